// SPDX-License-Identifier: Apache-2.0
// The consent decision: Evaluate(consents, request, now) -> permit or deny
// with the reason, and Explain(...) -> who can open which record, for which
// purposes, until when, because of which consent. FHIR semantics and the
// decisions FHIR leaves open: docs/spec/consent.md (a decision table whose
// every row is a vector in native-tests/vectors/consent/).
#ifndef MEDSEAL_CORE_CONSENT_DECISION_H_
#define MEDSEAL_CORE_CONSENT_DECISION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/model.h"
#include "core/fhir/terminology.h"

namespace medseal::consent {

// The identifier system under which a provision's actor names a medseal key
// id: Reference.identifier {system: kKeyIdSystem, value: base64url(key id)}
// (spec §actors).
inline constexpr std::string_view kKeyIdSystem = "urn:medseal:key-id";
inline constexpr size_t kRequestKeyIdSize = 16;

// Who asks. A provision's actor matches when its reference names one of
// these (spec §actors: key id, references, care teams) and its role, if any,
// is one of `roles`.
struct RequestActor {
  Bytes key_id;                             // 16-byte medseal key id, or empty
  std::vector<fhir::Reference> references;  // e.g. Practitioner/f204, Organization/f001
  std::vector<fhir::Coding> roles;          // participation / role codes
  std::vector<std::string> care_teams;      // care-team (group) ids the actor belongs to
};

struct AccessRequest {
  RequestActor actor;
  fhir::Coding action;   // consentaction (access, use, disclose, correct, collect)
  fhir::Coding purpose;  // v3-ActReason (PurposeOfUse)
  std::string resource_type;
  std::vector<fhir::Coding> klass;            // resource type / document type codings
  std::vector<fhir::Coding> codes;            // the data's clinical codes
  std::vector<fhir::Coding> security_labels;  // sensitivity + confidentiality labels
  std::optional<fhir::Period> data_period;    // the period the data covers
  std::vector<fhir::Reference> data;          // the data's identity (instance references)
};

enum class Effect : uint32_t { kDeny = 0, kPermit = 1 };

// What decided: the consent (by index into the input and by id), the
// provision's path inside it (e.g. "provision.provision[1]"; "" when no
// provision applied) and the spec's decision-table row (e.g. "D4").
struct Reason {
  std::optional<size_t> consent_index;
  std::string consent_id;
  std::string provision_path;
  std::string rule;
  bool operator==(const Reason&) const = default;
};

struct Decision {
  Effect effect = Effect::kDeny;
  Reason reason;
  // The earliest end (DateTime::hi) among the periods that bound a permit:
  // Consent.period and the period of every provision on the deciding path
  // (spec §explain); empty when none of them ends, and for a deny.
  std::optional<UnixMillis> permit_until;
};

// Limits on what one ConsentSet holds (spec §limits): kTooLarge beyond them.
inline constexpr size_t kMaxConsentsPerSet = 1024;
inline constexpr size_t kMaxProvisionsPerSet = 16384;

// Consents compiled once for many decisions: criteria are indexed against
// the terminology (purpose and sensitivity subsumption become bit tests), so
// that Evaluate allocates nothing per provision. Immutable after Compile;
// safe to use from several threads. Keeps a pointer to `terminology`, which
// must outlive it (Terminology::Shipped() does).
class ConsentSet {
 public:
  // kTooLarge beyond the limits above, or when the terminology's
  // PurposeOfUse or ActInformationSensitivityPolicy value set has more codes
  // than the index holds (spec §limits); kTooDeep for a provision tree deeper
  // than fhir::kMaxProvisionDepth.
  static Result<ConsentSet> Compile(
      std::span<const fhir::Consent> consents,
      const fhir::Terminology& terminology = fhir::Terminology::Shipped());

  ConsentSet(ConsentSet&&) noexcept;
  ConsentSet& operator=(ConsentSet&&) noexcept;
  ConsentSet(const ConsentSet&) = delete;
  ConsentSet& operator=(const ConsentSet&) = delete;
  ~ConsentSet();

  // The decision for `request` at `now` (spec §algorithm). Errors as
  // consent::Evaluate below.
  Result<Decision> Evaluate(const AccessRequest& request, UnixMillis now) const;

  size_t size() const;
  const fhir::Terminology& terminology() const;
  // The PurposeOfUse codes (v3-ActReason) named by any provision of the
  // set, in the order of the value set's expansion (spec §explain).
  const std::vector<std::string>& named_purposes() const;

  struct Impl;

 private:
  explicit ConsentSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// kUnknownCode for a request purpose outside PurposeOfUse, or a request
// label in v3-ActCode or v3-Confidentiality that the terminology does not
// define as a label (spec §request); kInvalidArgument for an unusable
// request (no purpose, no action, a key id that is not 16 bytes). Compiles
// the consents first (ConsentSet::Compile's errors).
Result<Decision> Evaluate(std::span<const fhir::Consent> consents, const AccessRequest& request,
                          UnixMillis now,
                          const fhir::Terminology& terminology = fhir::Terminology::Shipped());

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_DECISION_H_
