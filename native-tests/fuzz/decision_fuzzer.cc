// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the consent decision's inputs (core/consent/request.h,
// core/consent/decision.h, docs/spec/consent.md).
//
// The first byte picks what the rest is:
//   even: an AccessRequest JSON text, evaluated against a fixed ConsentSet
//         (a few consents that name actors, purposes, labels and periods);
//   odd:  an Explain question JSON text, explained against the same set.
// A request that parses must evaluate or fail with a request code (Q1-Q7);
// a decision must be one of the table's rows with its effect (D4 is the only
// permit), carry `until` only for a permit, and be the same when evaluated
// again; its JSON form must parse. Any violation aborts.
//
// If MEDSEAL_FUZZ_SEED_DIR is set, LLVMFuzzerInitialize writes seed requests
// into it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/consent/decision.h"
#include "core/consent/request.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "decision_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

constexpr UnixMillis kNow = 1780272000000;  // 2026-06-01T00:00:00Z

const consent::ConsentSet& Fixed() {
  static const consent::ConsentSet* set = [] {
    const std::vector<std::string> texts = {
        R"({"resourceType":"Consent","id":"treat","status":"active","decision":"deny","provision":[)"
        R"({"actor":[{"reference":{"reference":"Practitioner/drA"}}],"purpose":[{"system":)"
        R"("http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"TREAT"}],"period":)"
        R"({"end":"2026-12-31"},"provision":[{"securityLabel":[{"system":)"
        R"("http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"V"}]}]}]})",
        R"({"resourceType":"Consent","id":"psy","status":"active","decision":"deny","provision":[)"
        R"({"actor":[{"reference":{"identifier":{"system":"urn:medseal:key-id","value":)"
        R"("AQIDBAUGBwgJCgsMDQ4PEA"}}},{"reference":{"reference":"CareTeam/ct1"}}],)"
        R"("securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode",)"
        R"("code":"SPI"}],"dataPeriod":{"start":"2020"}}]})",
        R"({"resourceType":"Consent","id":"base","status":"active","decision":"permit","provision":[)"
        R"({"securityLabel":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode",)"
        R"("code":"HIV"}]},{"resourceType":[{"system":"http://hl7.org/fhir/resource-types",)"
        R"("code":"Condition"}],"action":[{"coding":[{"system":)"
        R"("http://terminology.hl7.org/CodeSystem/consentaction","code":"disclose"}]}]}]})",
    };
    std::string all;
    std::vector<uint32_t> lengths;
    for (const std::string& t : texts) {
      all += t;
      lengths.push_back(static_cast<uint32_t>(t.size()));
    }
    auto compiled = consent::CompileConsentTexts(all, lengths);
    if (!compiled.ok()) Bug("the fixed consents do not compile");
    return new consent::ConsentSet(std::move(compiled).value());
  }();
  return *set;
}

bool IsRequestError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kTooLarge:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kUnknownCode: return true;
    default: return false;
  }
}

void CheckDecision(const consent::Decision& d) {
  const std::string& rule = d.reason.rule;
  const bool known = rule == "D1" || rule == "D2" || rule == "D3" || rule == "D4" || rule == "D5" ||
                     rule == "D6";
  if (!known) Bug("a rule that is not a row of the table");
  if ((d.effect == consent::Effect::kPermit) != (rule == "D4")) Bug("effect and rule disagree");
  if (d.permit_until && d.effect != consent::Effect::kPermit) Bug("until on a deny");
  const bool names_consent = rule != "D1" && rule != "D2";
  if (d.reason.consent_index.has_value() != names_consent) Bug("reason names the wrong things");
  if (names_consent && *d.reason.consent_index >= Fixed().size()) Bug("consent index out of range");
  auto written = nlohmann::json::parse(consent::WriteDecisionJson(d), nullptr, false);
  if (written.is_discarded()) Bug("decision JSON does not parse");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("MEDSEAL_FUZZ_SEED_DIR");
  if (dir == nullptr) return 0;
  const std::vector<std::string> seeds = {
      R"({"actor":{"references":[{"reference":"Practitioner/drA"}]},"action":{"system":)"
      R"("http://terminology.hl7.org/CodeSystem/consentaction","code":"access"},"purpose":)"
      R"({"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"BTG"},)"
      R"("resourceType":"Observation","securityLabels":[{"system":)"
      R"("http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]})",
      R"({"actor":{"keyId":"AQIDBAUGBwgJCgsMDQ4PEA","careTeams":["ct1"]},"action":{"code":)"
      R"("access"},"purpose":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason",)"
      R"("code":"HPAYMT"},"securityLabels":[{"system":)"
      R"("http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}],"dataPeriod":)"
      R"({"start":"2021-01-01","end":"2021-02-01T10:00:00+01:00"}})",
  };
  for (size_t i = 0; i < seeds.size(); ++i) {
    std::ofstream(std::string(dir) + "/decision-" + std::to_string(i) + ".json", std::ios::binary)
        << '\0' << seeds[i];
    std::ofstream(std::string(dir) + "/explain-" + std::to_string(i) + ".json", std::ios::binary)
        << '\1' << R"({"records":[{"id":"r","securityLabels":[{"system":)"
        << R"("http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}]}],"candidates":[)"
        << R"({"careTeams":["ct1"]},{"references":[{"reference":"Practitioner/drA"}]}]})";
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const consent::ConsentSet& set = Fixed();
  if ((data[0] & 1) == 0) {
    auto request = consent::ParseAccessRequestJson(text);
    if (!request.ok()) {
      if (!IsRequestError(request.status().code())) Bug("request parse: unexpected code");
      return 0;
    }
    auto d = set.Evaluate(*request, kNow);
    if (!d.ok()) {
      if (!IsRequestError(d.status().code())) Bug("evaluate: unexpected code");
      return 0;
    }
    CheckDecision(*d);
    auto again = set.Evaluate(*request, kNow);
    if (!again.ok() || again->reason != d->reason || again->effect != d->effect) {
      Bug("evaluate is not deterministic");
    }
    return 0;
  }
  auto answer = consent::ExplainJson(set, text, kNow);
  if (!answer.ok()) {
    if (!IsRequestError(answer.status().code())) Bug("explain: unexpected code");
    return 0;
  }
  auto parsed = nlohmann::json::parse(*answer, nullptr, false);
  if (parsed.is_discarded() || !parsed.contains("entries")) Bug("explain JSON does not parse");
  return 0;
}
