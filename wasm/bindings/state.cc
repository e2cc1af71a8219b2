// SPDX-License-Identifier: Apache-2.0
#include "wasm/bindings/state.h"

#include "wasm/web_crypto_rng.h"

namespace medseal::wasm {
namespace {

Output g_out;
Scratch g_scratch;
HandleTable<Identity> g_identities;
HandleTable<PublicCard> g_cards;
WebCryptoRng g_system_rng;

}  // namespace

Output& Out() { return g_out; }
Scratch& ScratchRegion() { return g_scratch; }
HandleTable<Identity>& Identities() { return g_identities; }
HandleTable<PublicCard>& Cards() { return g_cards; }
Rng& SystemRng() { return g_system_rng; }

}  // namespace medseal::wasm
