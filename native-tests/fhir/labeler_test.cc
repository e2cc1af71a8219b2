// SPDX-License-Identifier: Apache-2.0
// core/fhir/labeler.h on real data: the 5 Synthea bundles and the HL7 R4
// examples (native-tests/vectors/external/fhir/), and the hand-written cases
// of native-tests/vectors/fhir/labels_synthea.json (its "derivation" says how
// the expected results were obtained: by hand and by an independent
// JavaScript implementation of docs/spec/labeling.md, not from this code).
#include "core/fhir/labeler.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/fhir/internal/embedded_data.h"
#include "core/fhir/terminology.h"
#include "native-tests/support/test_util.h"

namespace medseal::fhir {
namespace {

using testing::LoadVectorJson;
using testing::ReadVectorFile;

const Labeler& L() { return Labeler::Shipped(); }

std::string Code(const Coding& c) { return c.system + "|" + c.code; }

Json Reason(const LabelReason& r) {
  return Json{{"label", Code(r.label)},
              {"rule", r.rule},
              {"path", r.path},
              {"matched", r.matched.code.empty() ? std::string() : Code(r.matched)}};
}

// A result as the vector file writes it.
Json Compact(const LabelResult& r) {
  Json labels = Json::array();
  for (const Coding& c : r.labels) labels.push_back(Code(c));
  Json reasons = Json::array();
  for (const LabelReason& x : r.reasons) reasons.push_back(Reason(x));
  Json suppressed = Json::array();
  for (const LabelReason& x : r.suppressed) suppressed.push_back(Reason(x));
  return Json{
      {"resourceType", r.resource_type},      {"id", r.resource_id}, {"labels", labels},
      {"confidentiality", r.confidentiality}, {"reasons", reasons},  {"suppressed", suppressed}};
}

// The counts the vector file records for one file.
Json Summarize(const std::vector<LabelResult>& results) {
  std::map<std::string, int> label_counts;
  std::map<std::string, int> suppressed_by_code;
  std::map<std::string, int> confidentiality{{"N", 0}, {"R", 0}, {"V", 0}};
  int labeled = 0;
  size_t reasons = 0;
  size_t suppressed = 0;
  Json sample = Json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const LabelResult& r = results[i];
    ++confidentiality[r.confidentiality];
    labeled += r.labels.empty() ? 0 : 1;
    for (const Coding& c : r.labels) ++label_counts[Code(c)];
    reasons += r.reasons.size();
    suppressed += r.suppressed.size();
    for (const LabelReason& s : r.suppressed) ++suppressed_by_code[Code(s.matched)];
    if ((!r.reasons.empty() || !r.suppressed.empty()) && sample.size() < 5) {
      Json one = Compact(r);
      one["index"] = i;
      sample.push_back(one);
    }
  }
  return Json{{"resources", results.size()},
              {"labeled", labeled},
              {"labelCounts", label_counts},
              {"confidentiality", confidentiality},
              {"reasons", reasons},
              {"suppressed", suppressed},
              {"suppressedByCode", suppressed_by_code},
              {"sample", sample}};
}

Json Expected(const Json& entry) {
  Json e = entry;
  e.erase("file");
  return e;
}

const Json& Vectors() {
  static const Json v = LoadVectorJson("fhir/labels_synthea.json");
  return v;
}

TEST(Labeler, ShippedDataParses) {
  auto parsed = Labeler::FromJson(internal::SensitivityJson());
  ASSERT_OK(parsed);
  // A code of the data labels with the shipped labeler and the parsed one.
  const Json obs = {
      {"resourceType", "Observation"},
      {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "80203-3"}}}}}}};
  auto a = parsed->Label(obs);
  auto b = L().Label(obs);
  ASSERT_OK(a);
  ASSERT_OK(b);
  ASSERT_EQ(a->labels.size(), 1u);
  EXPECT_EQ(Code(a->labels[0]), "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV");
  EXPECT_EQ(Compact(*a), Compact(*b));
}

TEST(Labeler, HandWrittenCases) {
  const Json& cases = Vectors()["cases"];
  ASSERT_GE(cases.size(), 10u);
  for (const Json& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto from_json = L().LabelAll(c["resource"]);
    auto from_text = L().LabelAll(std::string_view(c["resource"].dump()));
    if (c.contains("error")) {
      EXPECT_EQ(ErrorCodeName(testing::CodeOf(from_json)), c["error"].get<std::string>());
      EXPECT_EQ(ErrorCodeName(testing::CodeOf(from_text)), c["error"].get<std::string>());
      continue;
    }
    ASSERT_OK(from_json);
    ASSERT_OK(from_text);
    Json got = Json::array();
    for (const LabelResult& r : *from_json) got.push_back(Compact(r));
    EXPECT_EQ(got, c["results"]);
    Json got_text = Json::array();
    for (const LabelResult& r : *from_text) got_text.push_back(Compact(r));
    EXPECT_EQ(got_text, got);
  }
}

void CheckFiles(const char* part, size_t count) {
  const Json& files = Vectors()[part];
  ASSERT_EQ(files.size(), count);
  for (const Json& f : files) {
    const std::string file = f["file"].get<std::string>();
    SCOPED_TRACE(file);
    auto results = L().LabelAll(std::string_view(ReadVectorFile(file)));
    ASSERT_OK(results);
    EXPECT_EQ(Summarize(*results), Expected(f));
  }
}

TEST(Labeler, SyntheaBundles) {
  CheckFiles("bundles", 5);
  // What the generic codes would have done without the suppression list:
  // every bundle has some (docs/spec/labeling.md §3).
  for (const Json& f : Vectors()["bundles"]) {
    EXPECT_GT(f["resources"].get<int>(), 100);
    EXPECT_GT(f["suppressed"].get<int>(), 0) << f["file"];
  }
}

TEST(Labeler, Hl7R4Examples) { CheckFiles("examples", 6); }

TEST(Labeler, BundleEntriesInOrder) {
  auto bundle = L().LabelAll(
      std::string_view(ReadVectorFile("external/fhir/hl7-r4-assorted/Bundle-bundle-example.json")));
  ASSERT_OK(bundle);
  ASSERT_EQ(bundle->size(), 2u);
  EXPECT_EQ((*bundle)[0].resource_type, "MedicationRequest");
  EXPECT_EQ((*bundle)[0].resource_id, "3123");
  EXPECT_EQ((*bundle)[1].resource_type, "Medication");
  // A Bundle without entries: no results; a Bundle labeled as one resource
  // with Label().
  auto empty = L().LabelAll(Json{{"resourceType", "Bundle"}, {"type", "collection"}});
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
  auto whole = L().Label(Json{{"resourceType", "Bundle"}});
  ASSERT_OK(whole);
  EXPECT_EQ(whole->confidentiality, "N");
}

// The data's own decisions (core/fhir/data/README.md).
TEST(Labeler, ShippedDataDecisions) {
  auto label = [](const char* system, const char* code) {
    Json r = {{"resourceType", "Observation"},
              {"code", {{"coding", {{{"system", system}, {"code", code}}}}}}};
    auto out = L().Label(r);
    EXPECT_OK(out);
    return out.ok() ? *out : LabelResult{};
  };
  // Generic codes are suppressed, not labeled.
  for (const char* code : {"185347001", "390906007", "185349003", "50849002"}) {
    LabelResult r = label("http://snomed.info/sct", code);
    EXPECT_TRUE(r.labels.empty()) << code;
    EXPECT_FALSE(r.suppressed.empty()) << code;
    EXPECT_EQ(r.confidentiality, "N");
  }
  // DIS (an insurance policy code) is not a sensitivity label: cerebral
  // palsy is labeled COGN (SyntheaCognitiveVS) only.
  LabelResult cp = label("http://snomed.info/sct", "128188000");
  ASSERT_EQ(cp.labels.size(), 1u);
  EXPECT_EQ(Code(cp.labels[0]), "http://terminology.hl7.org/CodeSystem/v3-ActCode|COGN");
  // CPT codes are not shipped (AMA licence) and not matched.
  EXPECT_TRUE(label("http://www.ama-assn.org/go/cpt", "96127").labels.empty());
  // The same code in another system does not match.
  EXPECT_TRUE(label("http://example.org/sct", "86849004").labels.empty());
  // Every label the data gives is a sensitivity label of the shipped
  // terminology (v3-ActInformationSensitivityPolicy, v3-ActUSPrivacyLaw) or
  // one of the IG's own systems.
  const Json data = Json::parse(internal::SensitivityJson());
  for (const Json& l : data["labels"]) {
    const std::string system = l["system"].get<std::string>();
    const std::string code = l["code"].get<std::string>();
    if (system == kActCodeSystem) {
      EXPECT_TRUE(
          Terminology::Shipped().InValueSet(kActInformationSensitivityPolicyValueSet, system, code))
          << code;
    } else if (system == kActUSPrivacyLawSystem) {
      EXPECT_TRUE(Terminology::Shipped().Defines(system, code)) << code;
    } else {
      EXPECT_EQ(system.rfind("http://SHIFT-Task-Force.github.io/SLS-ValueSets/CodeSystem/", 0), 0u)
          << system;
    }
  }
}

constexpr std::string_view kSmallData = R"({"format":"medseal-sensitivity-1",
 "labels":[{"system":"L","code":"A","display":"a"},{"system":"L","code":"B","display":"b"},
           {"system":"L","code":"Q","display":"q"}],
 "valueSets":[{"url":"vs1"},{"url":"vs2"}],
 "sensitiveLabels":{"L":["A","B"]},"veryRestricted":{"L":["B"]},
 "codes":{"s":{"1":[[0,1],[0,0]],"2":[[1,1]],"3":[[2,0]]}},"suppressed":{"s":{"9":[[0,0]]}}})";

Json Obs(const char* code, Json security = Json()) {
  Json r = {{"resourceType", "Observation"},
            {"code", {{"coding", {{{"system", "s"}, {"code", code}}}}}}};
  if (!security.is_null()) r["meta"] = {{"security", security}};
  return r;
}

TEST(Labeler, ConfidentialityIsAHighWaterMark) {
  auto l = Labeler::FromJson(kSmallData);
  ASSERT_OK(l);
  const std::string conf(kConfidentialitySystem);
  auto level = [&](const Json& r) {
    auto out = l->Label(r);
    EXPECT_OK(out);
    return out.ok() ? out->confidentiality : std::string();
  };
  EXPECT_EQ(level(Obs("0")), "N");
  EXPECT_EQ(level(Obs("1")), "R");                                       // sensitive label
  EXPECT_EQ(level(Obs("2")), "V");                                       // very restricted label
  EXPECT_EQ(level(Obs("3")), "N");                                       // a label that is neither
  EXPECT_EQ(level(Obs("1", {{{"system", conf}, {"code", "V"}}})), "V");  // existing V kept
  EXPECT_EQ(level(Obs("0", {{{"system", conf}, {"code", "R"}}})), "R");
  EXPECT_EQ(level(Obs("2", {{{"system", conf}, {"code", "R"}}})), "V");  // derived higher
  EXPECT_EQ(level(Obs("0", {{{"system", conf}, {"code", "L"}}})), "N");  // below N: N
  // A legacy (retired) confidentiality code is a label, not a level.
  auto legacy = l->Label(Obs("0", {{{"system", conf}, {"code", "HIV"}}}));
  ASSERT_OK(legacy);
  EXPECT_EQ(legacy->confidentiality, "N");
  ASSERT_EQ(legacy->labels.size(), 1u);
  // An existing sensitive label raises the level; a derived reason says so.
  auto existing = l->Label(Obs("0", {{{"system", "L"}, {"code", "A"}}}));
  ASSERT_OK(existing);
  EXPECT_EQ(existing->confidentiality, "R");
  ASSERT_EQ(existing->reasons.size(), 2u);
  EXPECT_EQ(existing->reasons[1].rule, kRuleConfidentiality);
  EXPECT_EQ(existing->reasons[1].path, "meta.security[0]");
  // Among several value sets for one label, the first in the data's table.
  auto one = l->Label(Obs("1"));
  ASSERT_OK(one);
  EXPECT_EQ(one->reasons[0].rule, "vs1");
  // Suppressed codes: reported, not applied.
  auto s = l->Label(Obs("9"));
  ASSERT_OK(s);
  EXPECT_TRUE(s->labels.empty());
  ASSERT_EQ(s->suppressed.size(), 1u);
  EXPECT_EQ(s->suppressed[0].path, "code.coding[0]");
}

TEST(Labeler, SameLabelTwiceIsOneLabelTwoReasons) {
  auto l = Labeler::FromJson(kSmallData);
  ASSERT_OK(l);
  Json r = {
      {"resourceType", "Condition"},
      {"code", {{"coding", {{{"system", "s"}, {"code", "1"}}, {{"system", "s"}, {"code", "1"}}}}}},
      {"meta", {{"security", {{{"system", "L"}, {"code", "A"}}}}}}};
  auto out = l->Label(r);
  ASSERT_OK(out);
  ASSERT_EQ(out->labels.size(), 1u);
  // meta.security, code.coding[0], code.coding[1], then the level, from the
  // path that gave the label first.
  ASSERT_EQ(out->reasons.size(), 4u);
  EXPECT_EQ(out->reasons[0].path, "meta.security[0]");
  EXPECT_EQ(out->reasons[1].path, "code.coding[0]");
  EXPECT_EQ(out->reasons[2].path, "code.coding[1]");
  EXPECT_EQ(out->reasons[3].rule, kRuleConfidentiality);
  EXPECT_EQ(out->reasons[3].path, "meta.security[0]");
  EXPECT_EQ(out->confidentiality, "R");
}

Json Deep(int levels) {
  // A resource whose "x" holds `levels` nested objects.
  Json inner = Json::object();
  for (int i = 0; i < levels; ++i) {
    Json outer = Json::object();
    outer["x"] = std::move(inner);
    inner = std::move(outer);
  }
  return Json{{"resourceType", "Basic"}, {"x", inner}};
}

TEST(Labeler, RejectsBadInput) {
  EXPECT_CODE(L().Label(Json::array()), ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json("Observation")), ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json{{"resourceType", 1}}), ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json{{"resourceType", "Basic"}, {"id", 1}}), ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json{{"resourceType", "Basic"}, {"meta", 1}}), ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json{{"resourceType", "Basic"}, {"meta", {{"security", {1}}}}}),
              ErrorCode::kMalformed);
  EXPECT_CODE(L().Label(Json{{"resourceType", "Basic"},
                             {"meta", {{"security", {{{"system", 1}, {"code", "R"}}}}}}}),
              ErrorCode::kMalformed);
  EXPECT_CODE(
      L().Label(Json{{"resourceType", "Basic"},
                     {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", 5}}}}}}}),
      ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(Json{{"resourceType", "Bundle"}, {"entry", 1}}), ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(Json{{"resourceType", "Bundle"}, {"entry", {1}}}),
              ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(Json{{"resourceType", "Bundle"}, {"entry", {{{"resource", 1}}}}}),
              ErrorCode::kMalformed);
  // Depth: a resource is at depth 1; 16 levels are read, 17 are kTooDeep.
  EXPECT_OK(L().Label(Deep(14)));
  EXPECT_CODE(L().Label(Deep(15)), ErrorCode::kTooDeep);
  EXPECT_CODE(L().Label(Deep(500)), ErrorCode::kTooDeep);
  // As text, the JSON reader's limit applies first (record.md §1.2 G6).
  EXPECT_CODE(L().LabelAll(std::string_view(Deep(15).dump())), ErrorCode::kMalformed);
  std::string deep = R"({"resourceType":"Basic","x":)" + std::string(100000, '[') +
                     std::string(100000, ']') + "}";
  EXPECT_CODE(L().LabelAll(std::string_view(deep)), ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(std::string_view("[]")), ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(std::string_view("{")), ErrorCode::kMalformed);
  EXPECT_CODE(L().LabelAll(std::string_view(std::string(kMaxResourceJsonBytes + 1, ' '))),
              ErrorCode::kTooLarge);
  // The labeler stays usable.
  EXPECT_OK(L().Label(Json{{"resourceType", "Basic"}}));
}

TEST(Labeler, FromJsonRejectsBadInput) {
  const std::string head =
      R"({"format":"medseal-sensitivity-1","labels":[{"system":"L","code":"A","display":"a"}],)"
      R"("valueSets":[{"url":"v"}],"sensitiveLabels":{},"veryRestricted":{},)";
  EXPECT_OK(Labeler::FromJson(head + R"("codes":{"s":{"1":[[0,0]]}}})"));
  for (std::string bad : {
           std::string("[]"),
           std::string("{}"),
           head + R"("codes":{"s":{"1":[[1,0]]}}})",
           head + R"("codes":{"s":{"1":[[0,1]]}}})",
           head + R"("codes":{"s":{"1":[[0,-1]]}}})",
           head + R"("codes":{"s":{"1":[[0,0.5]]}}})",
           head + R"("codes":{"s":{"1":[[0]]}}})",
           head + R"("codes":{"s":{"1":[]}}})",
           head + R"("codes":{"s":[]}})",
           head + R"("codes":[]})",
           head + R"("codes":{},"extra":1})",
           head + R"("codes":{},"suppressed":1})",
           std::string(R"({"format":"x","labels":[],"valueSets":[],"sensitiveLabels":{},)"
                       R"("veryRestricted":{},"codes":{}})"),
           std::string(R"({"format":"medseal-sensitivity-1","labels":[{"system":"L","code":""}],)"
                       R"("valueSets":[],"sensitiveLabels":{},"veryRestricted":{},"codes":{}})"),
           std::string(R"({"format":"medseal-sensitivity-1","labels":[],"valueSets":[1],)"
                       R"("sensitiveLabels":{},"veryRestricted":{},"codes":{}})"),
           std::string(R"({"format":"medseal-sensitivity-1","labels":[],"valueSets":[],)"
                       R"("sensitiveLabels":{"L":"A"},"veryRestricted":{},"codes":{}})"),
       }) {
    EXPECT_CODE(Labeler::FromJson(bad), ErrorCode::kMalformed) << bad;
  }
  EXPECT_CODE(Labeler::FromJson(std::string(kMaxSensitivityJsonBytes + 1, ' ')),
              ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace medseal::fhir

namespace medseal::fhir {
namespace {

TEST(Labeler, ResultsAsJson) {
  EXPECT_EQ(LabelResultsToJson({}), "[]");
  LabelResult r;
  r.resource_type = "Observation";
  r.resource_id = "o1";
  r.labels = {Coding{"L", "A", "a"}};
  r.confidentiality = "R";
  r.reasons = {LabelReason{Coding{"L", "A", "a"}, "meta.security", "meta.security[0]", {}},
               LabelReason{Coding{"L", "A", "a"}, "vs", "code.coding[0]", Coding{"s", "1", ""}}};
  r.suppressed = {LabelReason{Coding{"L", "B", "\"b\""}, "vs", "x", Coding{"s", "9", ""}}};
  EXPECT_EQ(
      LabelResultsToJson({r}),
      R"([{"confidentiality":"R","id":"o1","labels":[{"code":"A","display":"a","system":"L"}],)"
      R"("reasons":[{"label":{"code":"A","display":"a","system":"L"},"matched":null,)"
      R"("path":"meta.security[0]","rule":"meta.security"},)"
      R"({"label":{"code":"A","display":"a","system":"L"},)"
      R"("matched":{"code":"1","display":"","system":"s"},"path":"code.coding[0]","rule":"vs"}],)"
      R"("resourceType":"Observation","suppressed":[{"label":{"code":"B","display":"\"b\"",)"
      R"("system":"L"},"matched":{"code":"9","display":"","system":"s"},"path":"x","rule":"vs"}]}])");
  // Escapes: quote, backslash, control characters; nothing else.
  r.resource_id = "a\"b\\c\n\x01/\xc3\xa9";
  const std::string escaped = LabelResultsToJson({r});
  EXPECT_NE(escaped.find(std::string(R"("id":"a\"b\\c\u000a\u0001/)") + "\xc3\xa9\""),
            std::string::npos)
      << escaped;
  const Json back = Json::parse(escaped, nullptr, false);
  ASSERT_FALSE(back.is_discarded());
  EXPECT_EQ(back[0]["id"], r.resource_id);
  // Invalid UTF-8 (only possible through the Json overloads) does not abort.
  r.resource_id = "\xff";
  EXPECT_EQ(LabelResultsToJson({r}).find("\xff"), std::string::npos);
  EXPECT_NE(LabelResultsToJson({r}).find("\xef\xbf\xbd"), std::string::npos);
}

}  // namespace
}  // namespace medseal::fhir
