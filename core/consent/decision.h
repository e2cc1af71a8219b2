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
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/model.h"
#include "core/fhir/terminology.h"

namespace medseal::consent {

// Who asks. A provision's actor matches when its reference names one of
// these (spec §actors: key id, references, care teams) and its role, if any,
// is one of `roles`.
struct RequestActor {
  Bytes key_id;                              // 16-byte medseal key id, or empty
  std::vector<fhir::Reference> references;   // e.g. Practitioner/f204, Organization/f001
  std::vector<fhir::Coding> roles;           // participation / role codes
  std::vector<std::string> care_teams;       // care-team (group) ids the actor belongs to
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
};

// kUnknownCode for a request purpose outside PurposeOfUse, kInvalidArgument
// for an unusable request (no purpose, a key id that is not 16 bytes).
Result<Decision> Evaluate(std::span<const fhir::Consent> consents, const AccessRequest& request,
                          UnixMillis now,
                          const fhir::Terminology& terminology = fhir::Terminology::Shipped());

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_DECISION_H_
