// SPDX-License-Identifier: Apache-2.0
// Public cards: parsed and verified once by core, kept in the handle table,
// used by handle in the record entry points, freed by handle
// (wasm/package/src/card.ts is the caller).
#include "core/identity/card.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "core/base/status.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// 0 card JSON (region). num = handle, millis = created; views of the kept
// card: slot 0 = key id (16 bytes), 1 = name, 2 = role, 3 = signing key,
// 4 = kx key; slot 5 = the card's JSON as medseal writes it.
int CardParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, PublicCard parsed, PublicCard::ParseJson(args.Text(0)));
  auto owned = std::make_unique<PublicCard>(std::move(parsed));
  const PublicCard& card = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Cards().Add(std::move(owned), "card"));
  out.SetNum(handle);
  out.SetMillis(card.created());
  out.SetView(kSlot0, card.key_id());
  out.SetView(kSlot1, card.name());
  out.SetView(kSlot2, card.role());
  out.SetView(kSlot3, card.sign_public_key());
  out.SetView(kSlot4, card.kx_public_key());
  out.Set(kSlot5, card.ToJson());
  return Ok();
}

// 0 card (u32). num = version (1 or 2); views of the kept card: slot 0 =
// its X-Wing public key (1216 bytes, empty when it has none), 1 = its key
// types in order (one byte each, empty for version 1).
int CardKeys(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  out.SetNum(card->version());
  out.SetView(kSlot0, card->xwing_public_key());
  out.Set(kSlot1, card->key_types());
  return Ok();
}

// 0 card (u32).
int CardFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Cards().Remove(args.U32(0), "card"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_card) {
  using namespace medseal::wasm;
  emscripten::function("_cardParse", &CardParse);
  emscripten::function("_cardKeys", &CardKeys);
  emscripten::function("_cardFree", &CardFree);
}
