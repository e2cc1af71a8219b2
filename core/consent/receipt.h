// SPDX-License-Identifier: Apache-2.0
// Consent receipts: a FHIR Consent (R4 or R5 JSON) signed by the patient's
// Ed25519 key over its RFC 8785 (JCS) canonical form, verifiable with
// nothing but the patient's public card; its hash (what sealed record v2
// headers bind); and the fields of an ISO/IEC TS 27560 / Kantara consent
// receipt. Format, labels and MUST-reject rules: docs/spec/receipt.md.
#ifndef MEDSEAL_CORE_CONSENT_RECEIPT_H_
#define MEDSEAL_CORE_CONSENT_RECEIPT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/fhir/consent_resource.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"

namespace medseal::consent {

inline constexpr size_t kConsentHashSize = 32;
inline constexpr size_t kMaxReceiptJsonBytes = (256u << 10) + 4096;

// A signed consent as it travels (spec: the receipt envelope). A parsed
// SignedConsent has passed the structural rules; VerifyReceipt checks the
// signature against a card.
struct SignedConsent {
  fhir::FhirVersion fhir_version = fhir::FhirVersion::kR4;
  Json resource;          // the FHIR Consent exactly as signed
  Bytes signer_key_id;    // 16: the patient's card key id
  UnixMillis signed_at = 0;
  Bytes signature;        // 64

  // The bytes the signature covers (spec: label || JCS(envelope without sig)).
  Result<Bytes> SignedBytes() const;
  // The receipt's JSON text (its JCS form).
  Result<std::string> ToJson() const;
  // The model of the signed resource (fhir::ParseConsentJson).
  Result<fhir::ParsedConsent> Model() const;
};

// Signs `resource` (a FHIR Consent of `version`, checked by
// fhir::ParseConsentJson first) as `patient` at clock.Now().
Result<SignedConsent> SignConsent(const Identity& patient, const Json& resource,
                                  fhir::FhirVersion version, Clock& clock);
// Parses a receipt (JSON text): the JSON rules, then the spec's rules in order.
Result<SignedConsent> ParseReceipt(std::string_view json);
// kSenderMismatch when the card is not the signer's, kSignatureInvalid when
// the signature does not verify.
[[nodiscard]] Status VerifyReceipt(const SignedConsent& receipt, const PublicCard& patient);
// The 32-byte hash that names this signed version (spec: label, input).
Result<Bytes> ConsentHash(const SignedConsent& receipt);
// The ISO/IEC TS 27560 / Kantara Consent Receipt fields of a receipt: who
// (PII principal, controller), purposes, data categories, third parties
// (recipients), termination (period end / withdrawal), as a JSON object
// (spec: the mapping).
Result<Json> ExportKantaraReceipt(const SignedConsent& receipt);

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_RECEIPT_H_
