// SPDX-License-Identifier: Apache-2.0
// The handle tables of pq.cc, shared with the testing module (testing.cc),
// whose liveHandles() counts them for the package's leak checks.
#ifndef MEDSEAL_WASM_BINDINGS_PQ_H_
#define MEDSEAL_WASM_BINDINGS_PQ_H_

#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

// The ML-KEM-768 key pairs and X-Wing private keys JS holds
// (MlKem768KeyPair and XWingPrivateKey objects of wasm/package/src/pq.ts).
HandleTable<MlKem768KeyPair>& MlKemKeys();
HandleTable<XWingPrivateKey>& XWingKeys();

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_BINDINGS_PQ_H_
