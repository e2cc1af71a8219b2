// SPDX-License-Identifier: Apache-2.0
// What the entry points of wasm/bindings/ share: the output slots, the
// scratch region, the handle tables and the platform RNG (one of each per
// module instance). The calling convention is in wasm/marshal.h.
//
// Binding files decide nothing (scripts/test/bindings.test.mjs rejects an
// `if`, a `switch` or a `?:` in any of them): they read an argument block,
// call core, and publish the result or fail through marshal.h's helpers.
#ifndef MEDSEAL_WASM_BINDINGS_STATE_H_
#define MEDSEAL_WASM_BINDINGS_STATE_H_

#include "core/base/random.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

Output& Out();
Scratch& ScratchRegion();
HandleTable<Identity>& Identities();
HandleTable<PublicCard>& Cards();  // verified cards (public data only)
Rng& SystemRng();                  // crypto.getRandomValues

// The start of every entry point that takes arguments: wipes the previous
// call's results and returns the output.
inline Output& BeginCall() {
  Output& out = Out();
  out.Reset();
  return out;
}

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_BINDINGS_STATE_H_
