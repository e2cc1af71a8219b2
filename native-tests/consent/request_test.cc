// SPDX-License-Identifier: Apache-2.0
// The JSON forms of core/consent/request.h (docs/spec/consent.md §10): every
// member read, every reject rule with its code, limits, and the writers.
#include "core/consent/request.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using nlohmann::json;

json Minimal() {
  return json{
      {"action",
       {{"system", "http://terminology.hl7.org/CodeSystem/consentaction"}, {"code", "access"}}},
      {"purpose",
       {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActReason"}, {"code", "TREAT"}}}};
}

ErrorCode CodeFor(const json& request) {
  auto r = ParseAccessRequestJson(request.dump());
  return r.ok() ? ErrorCode::kOk : r.status().code();
}

TEST(RequestJson, ReadsEveryMember) {
  json j = Minimal();
  j["actor"] = {{"keyId", "AQIDBAUGBwgJCgsMDQ4PEA"},
                {"references",
                 {{{"reference", "Practitioner/f204"}, {"display", "Nurse"}},
                  {{"identifier", {{"system", "urn:x"}, {"value", "42"}}}}}},
                {"roles", {{{"system", "s"}, {"code", "PRCP"}}}},
                {"careTeams", {"ct1"}}};
  j["resourceType"] = "Observation";
  j["class"] = {{{"system", "urn:ietf:bcp:13"}, {"code", "text/plain"}}};
  j["codes"] = {{{"system", "http://loinc.org"}, {"code", "1234-5"}, {"display", "d"}}};
  j["securityLabels"] = {
      {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "PSY"}}};
  j["dataPeriod"] = {{"start", "2020"}, {"end", "2020-06-30"}};
  j["data"] = {{{"reference", "Observation/o1"}}};
  auto r = ParseAccessRequestJson(j.dump());
  ASSERT_OK(r);
  EXPECT_EQ(r->actor.key_id, (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  ASSERT_EQ(r->actor.references.size(), 2u);
  EXPECT_EQ(r->actor.references[0].reference, "Practitioner/f204");
  EXPECT_EQ(r->actor.references[1].identifier->value, "42");
  EXPECT_EQ(r->actor.roles[0].code, "PRCP");
  EXPECT_EQ(r->actor.care_teams, (std::vector<std::string>{"ct1"}));
  EXPECT_EQ(r->action.code, "access");
  EXPECT_EQ(r->purpose.code, "TREAT");
  EXPECT_EQ(r->resource_type, "Observation");
  EXPECT_EQ(r->klass[0].code, "text/plain");
  EXPECT_EQ(r->codes[0].display, "d");
  EXPECT_EQ(r->security_labels[0].code, "PSY");
  ASSERT_TRUE(r->data_period.has_value());
  EXPECT_EQ(r->data_period->start->text, "2020");
  EXPECT_EQ(r->data_period->end->text, "2020-06-30");
  EXPECT_EQ(r->data[0].reference, "Observation/o1");
  EXPECT_EQ(CodeFor(Minimal()), ErrorCode::kOk);
}

TEST(RequestJson, RejectsWrongTypesAndUnknownMembers) {
  const std::vector<std::pair<std::string, json>> cases = {
      {"actor", 5},
      {"actor", {{"unknown", 1}}},
      {"actor", {{"keyId", "AQID"}}},
      {"actor", {{"keyId", "AQIDBAUGBwgJCgsMDQ4PEA=="}}},
      {"actor", {{"keyId", 16}}},
      {"actor", {{"references", {{{"display", "no target"}}}}}},
      {"actor", {{"references", {{{"identifier", {{"system", "s"}}}}}}}},
      {"actor", {{"roles", {{{"system", "s"}}}}}},
      {"actor", {{"careTeams", {""}}}},
      {"actor", {{"careTeams", {7}}}},
      {"action", "access"},
      {"action", {{"code", ""}}},
      {"purpose", nullptr},
      {"purpose", {{"code", "TREAT"}, {"version", "1"}}},
      {"resourceType", true},
      {"class", {{"code", "x"}}},
      {"codes", {1, 2}},
      {"securityLabels", {{{"system", 3}, {"code", "PSY"}}}},
      {"dataPeriod", "2020"},
      {"dataPeriod", {{"start", "2020-02-30"}}},
      {"dataPeriod", {{"start", "2021"}, {"end", "2020"}}},
      {"dataPeriod", {{"begin", "2021"}}},
      {"data", {{{"reference", 1}}}},
      {"unknown", 1},
  };
  for (const auto& [member, value] : cases) {
    json j = Minimal();
    j[member] = value;
    SCOPED_TRACE(j.dump());
    EXPECT_EQ(CodeFor(j), ErrorCode::kMalformed);
  }
  json no_action = Minimal();
  no_action.erase("action");
  EXPECT_EQ(CodeFor(no_action), ErrorCode::kMalformed);
  json no_purpose = Minimal();
  no_purpose.erase("purpose");
  EXPECT_EQ(CodeFor(no_purpose), ErrorCode::kMalformed);
  // Not JSON, not an object, duplicate members: the general JSON rules.
  EXPECT_CODE(ParseAccessRequestJson("[]"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseAccessRequestJson("{"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseAccessRequestJson(R"({"action":{"code":"a"},"action":{"code":"b"}})"),
              ErrorCode::kMalformed);
}

TEST(RequestJson, Limits) {
  json j = Minimal();
  j["codes"] = json::array();
  for (size_t i = 0; i < kMaxRequestListEntries; ++i) j["codes"].push_back({{"code", "c"}});
  EXPECT_EQ(CodeFor(j), ErrorCode::kOk);
  j["codes"].push_back({{"code", "c"}});
  EXPECT_EQ(CodeFor(j), ErrorCode::kTooLarge);
  json s = Minimal();
  s["resourceType"] = std::string(kMaxRequestStringBytes, 'a');
  EXPECT_EQ(CodeFor(s), ErrorCode::kOk);
  s["resourceType"] = std::string(kMaxRequestStringBytes + 1, 'a');
  EXPECT_EQ(CodeFor(s), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseAccessRequestJson(std::string(kMaxRequestJsonBytes + 1, ' ')),
              ErrorCode::kTooLarge);
}

TEST(RequestJson, ExplainQuestion) {
  const json q = {{"records", {{{"id", "r1"}, {"resourceType", "Observation"}}}},
                  {"candidates", {{{"references", {{{"reference", "Practitioner/a"}}}}}}}};
  auto parsed = ParseExplainQuestionJson(q.dump());
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->records[0].id, "r1");
  EXPECT_EQ(parsed->candidates[0].references[0].reference, "Practitioner/a");
  EXPECT_EQ(parsed->action.code, "access");
  json bad = q;
  bad["records"][0]["purpose"] = {{"code", "TREAT"}};
  EXPECT_CODE(ParseExplainQuestionJson(bad.dump()), ErrorCode::kMalformed);
  bad = q;
  bad["extra"] = 1;
  EXPECT_CODE(ParseExplainQuestionJson(bad.dump()), ErrorCode::kMalformed);
}

TEST(RequestJson, WritesDecisions) {
  Decision permit;
  permit.effect = Effect::kPermit;
  permit.reason = Reason{2, "c", "provision.provision[1]", "D4"};
  permit.permit_until = 99;
  EXPECT_EQ(WriteDecisionJson(permit),
            R"({"effect":"permit","reason":{"consentId":"c","consentIndex":2,)"
            R"("provisionPath":"provision.provision[1]","rule":"D4"},"until":99})");
  Decision none;
  none.reason.rule = "D1";
  EXPECT_EQ(WriteDecisionJson(none),
            R"({"effect":"deny","reason":{"consentId":"","provisionPath":"","rule":"D1"}})");
  ExplainEntry e;
  e.record = 0;
  e.candidate = 1;
  e.purpose = {"http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT", ""};
  e.reason = permit.reason;
  RecordFacts rec;
  rec.id = "r";
  EXPECT_EQ(WriteExplanationJson(std::vector<ExplainEntry>{e}, std::vector<RecordFacts>{rec}),
            R"({"entries":[{"candidate":1,"purpose":{"code":"TREAT","system":)"
            R"("http://terminology.hl7.org/CodeSystem/v3-ActReason"},"reason":{"consentId":"c",)"
            R"("consentIndex":2,"provisionPath":"provision.provision[1]","rule":"D4"},)"
            R"("record":0,"recordId":"r"}]})");
}

// The package's entry points (consents as texts back to back; the shipped
// terminology and the FHIR reader).
TEST(RequestJson, CompileConsentTextsEvaluateJsonExplainJson) {
  const std::string a =
      R"({"resourceType":"Consent","id":"a","status":"active","decision":"deny",)"
      R"("provision":[{"actor":[{"reference":{"reference":"Practitioner/drA"}}]}]})";
  const std::string b =
      R"({"resourceType":"Consent","id":"b","status":"active","decision":"deny"})";
  const std::vector<uint32_t> lengths{static_cast<uint32_t>(a.size()),
                                      static_cast<uint32_t>(b.size())};
  auto set = CompileConsentTexts(a + b, lengths);
  ASSERT_OK(set);
  EXPECT_EQ(set->size(), 2u);
  json request = Minimal();
  request["actor"] = {{"references", {{{"reference", "Practitioner/drA"}}}}};
  auto answer = EvaluateJson(*set, request.dump(), 1780272000000);
  ASSERT_OK(answer);
  EXPECT_EQ(*answer, R"({"effect":"permit","reason":{"consentId":"a","consentIndex":0,)"
                     R"("provisionPath":"provision.provision[0]","rule":"D4"}})");
  EXPECT_CODE(EvaluateJson(*set, "{}", 0), ErrorCode::kMalformed);
  const json question = {{"records", {{{"id", "r"}}}}, {"candidates", {request["actor"]}}};
  auto explained = ExplainJson(*set, question.dump(), 1780272000000);
  ASSERT_OK(explained);
  EXPECT_EQ(json::parse(*explained)["entries"].size(), 1u);  // PurposeOfUse only

  EXPECT_CODE(CompileConsentTexts(a + b, std::vector<uint32_t>{1}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CompileConsentTexts(a, std::vector<uint32_t>{}), ErrorCode::kInvalidArgument);
  auto bad = CompileConsentTexts(a + "{",
                                 std::vector<uint32_t>{static_cast<uint32_t>(a.size()), 1});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kMalformed);
  EXPECT_NE(bad.status().message().find("consents[1]"), std::string::npos);
  auto none = CompileConsentTexts("", std::vector<uint32_t>{});
  ASSERT_OK(none);
  EXPECT_EQ(none->size(), 0u);
}

}  // namespace
}  // namespace medseal::consent
