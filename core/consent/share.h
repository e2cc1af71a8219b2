// SPDX-License-Identifier: Apache-2.0
// Consent-gated sharing (docs/spec/share.md): Share splits a FHIR resource or
// Bundle per resource, labels each one (fhir::Labeler), evaluates the
// patient's signed consents for each candidate recipient (Evaluate) and
// seals each resource (sealed record v2) only to the candidates permitted,
// binding the purpose and the hashes of the deciding consents into the
// record's authenticated header. A resource nobody may see is not sealed and
// is reported. Reseal opens existing records and shares them again under new
// consents: new versions with new data keys, to the remaining recipients.
#ifndef MEDSEAL_CORE_CONSENT_SHARE_H_
#define MEDSEAL_CORE_CONSENT_SHARE_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/consent/decision.h"
#include "core/consent/receipt.h"
#include "core/consent/vault.h"
#include "core/fhir/labeler.h"
#include "core/fhir/model.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"

namespace medseal::consent {

inline constexpr std::string_view kFhirJsonContentType = "application/fhir+json";
inline constexpr size_t kMaxShareResources = 10000;  // resources in one Share call
inline constexpr size_t kMaxShareConsents = 256;     // signed consents in one call

// A candidate recipient: the card to seal to and who the card's holder is
// for the consents (the actor of the AccessRequest). An empty actor.key_id
// is filled with the card's key id; a non-empty one must equal it.
struct ShareCandidate {
  const PublicCard* card = nullptr;
  RequestActor actor;
};

struct ShareOptions {
  // v3-ActReason (PurposeOfUse); required.
  fhir::Coding purpose;
  // consentaction; default "access" (what the recipient will do, spec §2.2).
  fhir::Coding action{std::string(fhir::kConsentActionSystem), "access", ""};
  // The patient's card: every consent must verify against it. Null: the
  // sender's card (the patient shares their own records).
  const PublicCard* patient = nullptr;
  // When set, every sealed record also gets a vault stanza: the record's
  // self-copy key from the vault (KeyForRecord), filed under its labels.
  Vault* vault = nullptr;
};

struct CandidateDecision {
  Bytes key_id;       // the candidate's card key id
  Decision decision;  // permit or deny, and why
};

struct SharedResource {
  size_t index = 0;  // position in the input (Bundle entry index; 0 for a resource)
  std::string resource_type;
  std::string resource_id;   // "" when the resource has no id
  fhir::LabelResult labels;  // labels, confidentiality and the reasons
  // One per candidate, in input order; a reason's consent_index is the
  // consent's index in the caller's list.
  std::vector<CandidateDecision> decisions;
  // The sealed record (v2), or empty: nobody may see the resource.
  std::optional<SealedRecord> record;
  std::vector<Bytes> recipients;      // card key ids sealed to, sorted
  std::vector<Bytes> consent_hashes;  // bound in the header, sorted
  Bytes vault_key_id;                 // the self-copy key's id, or empty
};

struct ShareResult {
  std::vector<SharedResource> resources;  // in input order
  std::vector<size_t> withheld;           // indexes of the resources not sealed
};

// Shares `resource_json` (one FHIR resource or a Bundle, at most
// fhir::kMaxResourceJsonBytes) as `sender` (spec §2, steps in order).
// Errors: kInvalidArgument (no candidate, a null card, a candidate key id
// that is not its card's, no purpose, too many consents), kDuplicateRecipient
// (two candidates with one key id), kSenderMismatch / kSignatureInvalid (a
// consent not signed by the patient), kMalformed (the JSON, a Bundle entry
// without a resource, a resource without resourceType, a bad date),
// kUnknownCode (a purpose outside PurposeOfUse), kTooLarge, and the codes of
// Labeler, Evaluate, SealRecordV2 and Vault::KeyForRecord. A failing call
// seals nothing it returns.
Result<ShareResult> Share(const Identity& sender, std::string_view resource_json,
                          std::span<const SignedConsent> consents,
                          std::span<const ShareCandidate> candidates, const ShareOptions& options,
                          Rng& rng, Clock& clock);
// The same on a parsed resource or Bundle.
Result<ShareResult> ShareJson(const Identity& sender, const Json& resource,
                              std::span<const SignedConsent> consents,
                              std::span<const ShareCandidate> candidates,
                              const ShareOptions& options, Rng& rng, Clock& clock);

// The AccessRequest Share builds for one resource and one candidate
// (spec §2.3): exposed so that callers and tests see exactly what is asked.
Result<AccessRequest> BuildAccessRequest(const Json& resource, const fhir::LabelResult& labels,
                                         const RequestActor& actor, const fhir::Coding& action,
                                         const fhir::Coding& purpose);

// The consents that count (spec §2.1): each signed consent verified against
// the patient's card; of several versions of one Consent id (meta.versionId,
// absent = 1) only the highest. kInvalidArgument for two different signed
// consents with the same id and version or a versionId that is not a
// decimal integer 1..2^53-1.
Result<std::vector<size_t>> CurrentConsents(std::span<const SignedConsent> consents,
                                            const PublicCard& patient);

// How Reseal opens an existing record: with the vault's self-copy key, or as
// a recipient identity. Exactly one must be set.
struct ResealOpener {
  const Vault* vault = nullptr;
  const Identity* identity = nullptr;
};

// Opens each record (sent by `original_sender`, for options.purpose), reads
// its body as a FHIR resource and shares it again (ShareJson) under
// `consents` to `candidates`: new versions, new data keys, sealed by
// `sender`. One ShareResult per record, in order. Codes: those of opening
// (kNoMatchingRecipient, kKeyErased, kPurposeMismatch, ...), kMalformed for
// a body that is not a FHIR JSON resource, then Share's.
Result<std::vector<ShareResult>> Reseal(const Identity& sender,
                                        std::span<const SealedRecord> records,
                                        const PublicCard& original_sender,
                                        const ResealOpener& opener,
                                        std::span<const SignedConsent> consents,
                                        std::span<const ShareCandidate> candidates,
                                        const ShareOptions& options, Rng& rng, Clock& clock);

// ---- JSON forms, for the package (spec §6) ----
inline constexpr size_t kMaxShareRequestJsonBytes = 8u << 20;
inline constexpr size_t kMaxResealRecordsJsonBytes = 64u << 20;

// A share request as JSON: {"purpose": Coding, "action"?: Coding,
// "candidates": [{"card": i, "actor"?: actor}], "consents": ["<receipt
// JSON text>", ...]}; `card` indexes `cards`, `actor` is consent.md's
// request-json actor. kMalformed / kTooLarge as ParseAccessRequest, plus a
// card index out of range (kInvalidArgument) and the receipt parser's codes.
struct ShareRequestForm {
  std::vector<ShareCandidate> candidates;
  std::vector<SignedConsent> consents;
  fhir::Coding purpose;
  fhir::Coding action;
};
Result<ShareRequestForm> ParseShareRequestJson(std::string_view json,
                                               std::span<const PublicCard* const> cards);
// {"resources": [{"index", "resourceType", "resourceId", "labels": [Coding],
// "confidentiality", "reasons": [{"label", "rule", "path", "matched"}],
// "decisions": [{"keyId", "effect", "reason": {"consentIndex"?,
// "consentId", "provisionPath", "rule"}}], "record": "<sealed record JSON>"
// | null, "recipients": [keyId], "consentHashes": [b64], "vaultKeyId":
// b64 | ""}], "withheld": [index]} in JCS form (key ids and hashes base64url).
Result<std::string> WriteShareResultJson(const ShareResult& result);
// Parse, Share (with the vault's self-copies when `vault` is not null),
// write.
Result<std::string> ShareFromJson(const Identity& sender, std::string_view resource_json,
                                  std::string_view request_json,
                                  std::span<const PublicCard* const> cards, Vault* vault, Rng& rng,
                                  Clock& clock);
// `records_json` = {"records": ["<sealed record JSON>", ...]}; the result
// is {"results": [share result, ...]}.
Result<std::string> ResealFromJson(const Identity& sender, std::string_view records_json,
                                   const PublicCard& original_sender, const ResealOpener& opener,
                                   std::string_view request_json,
                                   std::span<const PublicCard* const> cards, Vault* vault, Rng& rng,
                                   Clock& clock);

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_SHARE_H_
