// SPDX-License-Identifier: Apache-2.0
// Explain: docs/spec/consent.md §explain.
#include "core/consent/explain.h"

#include <string>
#include <utility>
#include <vector>

namespace medseal::consent {

fhir::Coding AccessAction() {
  return fhir::Coding{std::string(fhir::kConsentActionSystem), "access", ""};
}

Result<std::vector<ExplainEntry>> Explain(const ConsentSet& consents,
                                          std::span<const RecordFacts> records,
                                          std::span<const RequestActor> candidates, UnixMillis now,
                                          const fhir::Coding& action) {
  if (records.size() > kMaxExplainRecords || candidates.size() > kMaxExplainCandidates) {
    return Error(ErrorCode::kTooLarge, "explain: too many records or candidates");
  }
  // The purposes asked: the value set's root ("any purpose") when the
  // terminology's expansion holds it, then the named ones.
  std::vector<std::string> purposes;
  const fhir::Terminology& terminology = consents.terminology();
  if (terminology.InValueSet(fhir::kPurposeOfUseValueSet, fhir::kActReasonSystem, "PurposeOfUse")) {
    purposes.emplace_back("PurposeOfUse");
  }
  for (const std::string& p : consents.named_purposes()) {
    if (p != "PurposeOfUse") purposes.push_back(p);
  }
  if (records.size() * candidates.size() * purposes.size() > kMaxExplainEvaluations) {
    return Error(ErrorCode::kTooLarge, "explain: too many evaluations");
  }
  std::vector<ExplainEntry> entries;
  AccessRequest request;
  request.action = action;
  request.purpose.system = std::string(fhir::kActReasonSystem);
  for (size_t r = 0; r < records.size(); ++r) {
    const RecordFacts& rec = records[r];
    request.resource_type = rec.resource_type;
    request.klass = rec.klass;
    request.codes = rec.codes;
    request.security_labels = rec.security_labels;
    request.data_period = rec.data_period;
    request.data = rec.data;
    for (size_t c = 0; c < candidates.size(); ++c) {
      request.actor = candidates[c];
      for (const std::string& p : purposes) {
        request.purpose.code = p;
        MEDSEAL_ASSIGN_OR_RETURN(Decision d, consents.Evaluate(request, now));
        if (d.effect != Effect::kPermit) continue;
        ExplainEntry e;
        e.record = r;
        e.candidate = c;
        e.purpose = request.purpose;
        e.until = d.permit_until;
        e.reason = std::move(d.reason);
        entries.push_back(std::move(e));
      }
    }
  }
  return entries;
}

Result<std::vector<ExplainEntry>> Explain(std::span<const fhir::Consent> consents,
                                          std::span<const RecordFacts> records,
                                          std::span<const RequestActor> candidates, UnixMillis now,
                                          const fhir::Terminology& terminology) {
  MEDSEAL_ASSIGN_OR_RETURN(ConsentSet set, ConsentSet::Compile(consents, terminology));
  return Explain(set, records, candidates, now, AccessAction());
}

}  // namespace medseal::consent
