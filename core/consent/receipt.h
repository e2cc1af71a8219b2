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
// The envelope's "type" and the two labels (spec: docs/spec/receipt.md §5).
inline constexpr std::string_view kReceiptType = "medseal.consent-receipt";
inline constexpr std::string_view kReceiptSignatureLabel = "medseal/v1/consent-receipt";
inline constexpr std::string_view kConsentHashLabel = "medseal/v1/consent-hash";
// The envelope is at depth 1 and the Consent at depth 2, so that a Consent
// may nest as deeply inside a receipt as it may on its own (kMaxJsonDepth).
inline constexpr int kMaxReceiptJsonDepth = kMaxJsonDepth + 1;
// The Kantara Consent Receipt version ExportKantaraReceipt writes.
inline constexpr std::string_view kKantaraVersion = "KI-CR-v1.1.0";

// The envelope's "fhirVersion": "4.0.1" (R4) or "5.0.0" (R5), FHIR's own
// version codes.
std::string_view FhirVersionCode(fhir::FhirVersion version);

// A signed consent as it travels (spec: the receipt envelope). A parsed
// SignedConsent has passed the structural rules; VerifyReceipt checks the
// signature against a card.
struct SignedConsent {
  fhir::FhirVersion fhir_version = fhir::FhirVersion::kR4;
  Json resource;        // the FHIR Consent exactly as signed
  Bytes signer_key_id;  // 16: the patient's card key id
  UnixMillis signed_at = 0;
  Bytes signature;  // 64

  // The bytes the signature covers (spec: label || JCS(envelope without sig)).
  Result<Bytes> SignedBytes() const;
  // The receipt's JSON text (its JCS form).
  Result<std::string> ToJson() const;
  // The model of the signed resource (fhir::ParseConsentJson).
  Result<fhir::ParsedConsent> Model() const;
};

// The checks a receipt's "consent" gets (spec rules R7-R10): an object whose
// resourceType is "Consent", whose JCS form is at most
// fhir::kMaxConsentJsonBytes, and that fhir::ParseConsentJson reads as a
// Consent of `version` (R10, that parser's code).
[[nodiscard]] Status CheckReceiptConsent(const Json& resource, fhir::FhirVersion version);

// Signs `resource` (a FHIR Consent of `version`, checked by
// fhir::ParseConsentJson first) as `patient` at clock.Now(). What it signs
// parses: every rule of ParseReceipt is checked before signing, with its
// code (a clock outside 0..kMaxUnixMillis: kInvalidArgument).
Result<SignedConsent> SignConsent(const Identity& patient, const Json& resource,
                                  fhir::FhirVersion version, Clock& clock);
// SignConsent for a Consent given as JSON text (at most
// fhir::kMaxConsentJsonBytes; ParseJsonValue's rules, their codes).
Result<SignedConsent> SignConsentJson(const Identity& patient, std::string_view consent_json,
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
