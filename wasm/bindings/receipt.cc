// SPDX-License-Identifier: Apache-2.0
// RFC 8785 canonical JSON and consent receipts: sign a FHIR Consent with an
// identity of the handle table, parse, verify with a card, hash, export the
// Kantara fields (wasm/package/src/receipt.ts is the caller). JSON crosses
// as UTF-8 regions; the FHIR version as a number (core's fhir::FhirVersion,
// 4 or 5), which core checks.
#include "core/consent/receipt.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/codec/jcs.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

using consent::SignedConsent;

// Publishes a receipt: slot 0 = its JSON (JCS form), 1 = the Consent (JCS
// form), 2 = signer key id (16 bytes), 3 = signature (64 bytes), 4 = consent
// hash (32 bytes); millis = signing time; num = FHIR version (4 or 5).
int PublishReceipt(Output& out, const SignedConsent& r) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, r.ToJson());
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string resource, CanonicalizeJson(r.resource));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes hash, consent::ConsentHash(r));
  out.Set(kSlot0, std::move(json));
  out.Set(kSlot1, std::move(resource));
  out.Set(kSlot2, Bytes(r.signer_key_id));
  out.Set(kSlot3, Bytes(r.signature));
  out.Set(kSlot4, std::move(hash));
  out.SetMillis(r.signed_at);
  out.SetNum(static_cast<double>(r.fhir_version));
  return Ok();
}

// 0 JSON text (region). Slot 0 = its canonical form.
int JcsCanonicalize(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string canonical,
                              CanonicalizeJsonText(args.Text(0), kMaxJcsTextBytes));
  out.Set(kSlot0, std::move(canonical));
  return Ok();
}

// 0 patient identity (u32), 1 Consent JSON (region), 2 FHIR version (u32),
// 3 now (f64). PublishReceipt's slots.
int ConsentSign(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* patient,
                              Identities().Get(args.U32(0), "patient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "options.now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, SignedConsent signed_consent,
      consent::SignConsentJson(*patient, args.Text(1), static_cast<fhir::FhirVersion>(args.U32(2)),
                               clock));
  return PublishReceipt(out, signed_consent);
}

// 0 receipt JSON (region). PublishReceipt's slots.
int ReceiptParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SignedConsent r, consent::ParseReceipt(args.Text(0)));
  return PublishReceipt(out, r);
}

// 0 receipt JSON (region), 1 patient card (u32).
int ReceiptVerify(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(1), "card"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SignedConsent r, consent::ParseReceipt(args.Text(0)));
  return out.Finish(consent::VerifyReceipt(r, *card));
}

// 0 receipt JSON (region). Slot 0 = the Kantara fields, JSON (JCS form).
int ReceiptKantara(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SignedConsent r, consent::ParseReceipt(args.Text(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Json kantara, consent::ExportKantaraReceipt(r));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string text, CanonicalizeJson(kantara));
  out.Set(kSlot0, std::move(text));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_receipt) {
  using namespace medseal::wasm;
  emscripten::function("_jcsCanonicalize", &JcsCanonicalize);
  emscripten::function("_consentSign", &ConsentSign);
  emscripten::function("_receiptParse", &ReceiptParse);
  emscripten::function("_receiptVerify", &ReceiptVerify);
  emscripten::function("_receiptKantara", &ReceiptKantara);
}
