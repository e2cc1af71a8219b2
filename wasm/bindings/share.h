// SPDX-License-Identifier: Apache-2.0
// Shared with the testing module (testing.cc), which shares and re-seals
// with an RNG of its own choosing through the same slots.
#ifndef MEDSEAL_WASM_BINDINGS_SHARE_H_
#define MEDSEAL_WASM_BINDINGS_SHARE_H_

#include "core/base/random.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

// Slots: 0 sender identity (u32); 1 cards (region: u32 card handles);
// 2 resource or Bundle JSON, 3 share request JSON (regions,
// core/consent/share.h ParseShareRequestJson); 4 now (f64). Output slot 0 =
// the share result JSON (WriteShareResultJson). No vault.
int ShareWith(Output& out, const ArgReader& args, Rng& rng);
// Slots: 0 sender identity (u32); 1 cards (region); 2 records JSON
// ({"records": [...]}), 3 share request JSON (regions); 4 now (f64);
// 5 original sender card (u32); 6 opener identity (u32). Output slot 0 =
// {"results": [...]}. No vault.
int ResealAsIdentityWith(Output& out, const ArgReader& args, Rng& rng);

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_BINDINGS_SHARE_H_
