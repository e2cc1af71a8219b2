// SPDX-License-Identifier: Apache-2.0
// Safety numbers of two public cards and the in-person QR payload
// (core/log/safety.h, docs/spec/log.md §10; wasm/package/src/log-safety.ts
// is the caller). Public data only: cards arrive as handles of verified
// cards, payloads as regions.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/log/safety.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// 0 card a, 1 card b (u32 handles). Slot 0 = the 60 digits, 1 = the same
// formatted in groups of five.
int LogSafetyNumber(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* a, Cards().Get(args.U32(0), "a"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* b, Cards().Get(args.U32(1), "b"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string digits, tlog::SafetyNumber(*a, *b));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string formatted, tlog::FormatSafetyNumber(digits));
  out.Set(kSlot0, std::move(digits));
  out.Set(kSlot1, std::move(formatted));
  return Ok();
}

// 0 card (u32 handle). Slot 0 = its 30 digits, 1 = its 64-byte fingerprint,
// 2 = the bytes the fingerprint covers.
int LogSafetyCard(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  out.Set(kSlot0, tlog::SafetyDigits(*card));
  out.Set(kSlot1, tlog::SafetyFingerprint(*card));
  out.Set(kSlot2, tlog::SafetyCardKeys(*card));
  return Ok();
}

// 0 digits (region, UTF-8). Slot 0 = the digits in groups of five.
int LogSafetyFormat(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string formatted, tlog::FormatSafetyNumber(args.Text(0)));
  out.Set(kSlot0, std::move(formatted));
  return Ok();
}

// 0 self card, 1 peer card (u32 handles). Slot 0 = the QR payload.
int LogSafetyQrPayload(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* self, Cards().Get(args.U32(0), "self"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* peer, Cards().Get(args.U32(1), "peer"));
  return out.Finish(kSlot0, tlog::SafetyQrPayload(*self, *peer));
}

// 0 payload (region). Views of the parsed payload: slot 0 = self key id,
// 1 = self fingerprint prefix, 2 = peer key id, 3 = peer fingerprint prefix.
int LogSafetyQrParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SafetyQr parsed, tlog::ParseSafetyQr(args.Bytes(0)));
  const tlog::SafetyQr& qr = out.Keep(std::move(parsed));
  out.SetView(kSlot0, qr.self_key_id);
  out.SetView(kSlot1, qr.self_fingerprint);
  out.SetView(kSlot2, qr.peer_key_id);
  out.SetView(kSlot3, qr.peer_fingerprint);
  return Ok();
}

// 0 payload (region), 1 scanner's own card, 2 the card it holds for the
// person shown (u32 handles).
int LogSafetyQrVerify(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* scanner, Cards().Get(args.U32(1), "scanner"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* shown, Cards().Get(args.U32(2), "shown"));
  return out.Finish(tlog::VerifySafetyQr(args.Bytes(0), *scanner, *shown));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_safety) {
  using namespace medseal::wasm;
  emscripten::function("_logSafetyNumber", &LogSafetyNumber);
  emscripten::function("_logSafetyCard", &LogSafetyCard);
  emscripten::function("_logSafetyFormat", &LogSafetyFormat);
  emscripten::function("_logSafetyQrPayload", &LogSafetyQrPayload);
  emscripten::function("_logSafetyQrParse", &LogSafetyQrParse);
  emscripten::function("_logSafetyQrVerify", &LogSafetyQrVerify);
}
