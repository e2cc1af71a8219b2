// SPDX-License-Identifier: Apache-2.0
// The JSON forms of what crosses into and out of the decision engine: an
// AccessRequest, an Explain question (records + candidates), a Decision and
// an Explain answer. The package (wasm/package/src/decision.ts) sends its
// typed objects as this JSON; every rule, type and limit is checked here,
// in core (docs/spec/consent.md §request-json). Parsers never abort and
// their messages hold no patient data.
#ifndef MEDSEAL_CORE_CONSENT_REQUEST_H_
#define MEDSEAL_CORE_CONSENT_REQUEST_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/consent/decision.h"
#include "core/consent/explain.h"

namespace medseal::consent {

inline constexpr size_t kMaxRequestJsonBytes = 64u << 10;  // one AccessRequest
inline constexpr size_t kMaxExplainJsonBytes = 8u << 20;   // one Explain question
inline constexpr size_t kMaxRequestListEntries = 256;      // any list in a request
inline constexpr size_t kMaxRequestStringBytes = 4096;     // any string in a request

// {records, candidates, action}: the arguments of Explain.
struct ExplainQuestion {
  std::vector<RecordFacts> records;
  std::vector<RequestActor> candidates;
  fhir::Coding action;  // consentaction "access" when the JSON has none
};

// The JSON rules of docs/spec/record.md §1.2 (ParseJsonObject), then
// §request-json's: an unknown member, a member of the wrong JSON type, a
// Coding without a non-empty code, a Reference without reference or
// identifier, a dateTime FHIR does not allow, a period that ends before it
// starts, or a keyId that is not base64url of 16 bytes is kMalformed; a list
// longer than kMaxRequestListEntries or a string longer than
// kMaxRequestStringBytes is kTooLarge; no action or no purpose is
// kMalformed.
Result<AccessRequest> ParseAccessRequestJson(std::string_view json);
Result<AccessRequest> ParseAccessRequest(const Json& obj);
// The same rules for {"records": [...], "candidates": [...], "action"?}
// (records up to kMaxExplainRecords, candidates up to kMaxExplainCandidates).
Result<ExplainQuestion> ParseExplainQuestionJson(std::string_view json);

// {"effect": "permit"|"deny", "reason": {"consentIndex"?, "consentId",
// "provisionPath", "rule"}, "until"?} in JCS member order.
std::string WriteDecisionJson(const Decision& decision);
// {"entries": [{"record", "recordId", "candidate", "purpose", "until"?,
// "reason"}...]}.
std::string WriteExplanationJson(std::span<const ExplainEntry> entries,
                                 std::span<const RecordFacts> records);

// The package's entry points, with every rule in core (the bindings only
// move bytes):
//
// `texts` holds FHIR Consent JSON texts back to back, `lengths` the byte
// length of each (kInvalidArgument if they do not add up to texts.size());
// each is read with fhir::ParseConsentAnyVersion (its errors, the message
// naming the index, e.g. "consents[2]: ..."), then ConsentSet::Compile.
Result<ConsentSet> CompileConsentTexts(
    std::string_view texts, std::span<const uint32_t> lengths,
    const fhir::Terminology& terminology = fhir::Terminology::Shipped());
// ParseAccessRequestJson, ConsentSet::Evaluate, WriteDecisionJson.
Result<std::string> EvaluateJson(const ConsentSet& consents, std::string_view request_json,
                                 UnixMillis now);
// ParseExplainQuestionJson, Explain, WriteExplanationJson.
Result<std::string> ExplainJson(const ConsentSet& consents, std::string_view question_json,
                                UnixMillis now);

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_REQUEST_H_
