// SPDX-License-Identifier: Apache-2.0
// Explain: who can open which record, for which purposes, until when, and
// because of which consent: the data behind a patient's "who can see what"
// page. Every answer is an Evaluate decision (core/consent/decision.h), so
// the page can never show more than the engine permits. Purposes asked,
// order of the entries and limits: docs/spec/consent.md §explain.
#ifndef MEDSEAL_CORE_CONSENT_EXPLAIN_H_
#define MEDSEAL_CORE_CONSENT_EXPLAIN_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/consent/decision.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/model.h"
#include "core/fhir/terminology.h"

namespace medseal::consent {

// What Evaluate needs to know about a record (an AccessRequest without the
// actor, action and purpose); `id` is the caller's name for it.
struct RecordFacts {
  std::string id;
  std::string resource_type;
  std::vector<fhir::Coding> klass;
  std::vector<fhir::Coding> codes;
  std::vector<fhir::Coding> security_labels;
  std::optional<fhir::Period> data_period;
  std::vector<fhir::Reference> data;
};

// One permitted (record, candidate, purpose).
struct ExplainEntry {
  size_t record = 0;     // index into `records`
  size_t candidate = 0;  // index into `candidates`
  // The purpose asked (v3-ActReason). "PurposeOfUse", the value set's root,
  // stands for "any purpose": only a provision without a purpose (or naming
  // the root) permits it.
  fhir::Coding purpose;
  // The earliest end among Consent.period and the periods of the provisions
  // on the deciding path; empty when none of them ends.
  std::optional<UnixMillis> until;
  Reason reason;  // the deciding consent, provision path and rule (D4)
};

inline constexpr size_t kMaxExplainRecords = 4096;
inline constexpr size_t kMaxExplainCandidates = 256;
// records x candidates x purposes asked (spec §explain): kTooLarge beyond.
inline constexpr size_t kMaxExplainEvaluations = size_t{1} << 22;

// For every record, every candidate and every purpose asked (the root
// "PurposeOfUse", then the PurposeOfUse codes named in the set's provisions,
// in the value set's order), the entries Evaluate permits, in that nesting
// order (record, then candidate, then purpose). `action` is the action asked
// (default consentaction "access"). kTooLarge beyond the limits above;
// Evaluate's errors (a record's unknown label: kUnknownCode) otherwise.
Result<std::vector<ExplainEntry>> Explain(const ConsentSet& consents,
                                          std::span<const RecordFacts> records,
                                          std::span<const RequestActor> candidates, UnixMillis now,
                                          const fhir::Coding& action);
Result<std::vector<ExplainEntry>> Explain(
    std::span<const fhir::Consent> consents, std::span<const RecordFacts> records,
    std::span<const RequestActor> candidates, UnixMillis now,
    const fhir::Terminology& terminology = fhir::Terminology::Shipped());

// consentaction "access".
fhir::Coding AccessAction();

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_EXPLAIN_H_
