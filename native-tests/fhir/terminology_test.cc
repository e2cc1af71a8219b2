// SPDX-License-Identifier: Apache-2.0
// core/fhir/terminology.h against the shipped data (core/fhir/data/
// terminology.json) and, independently of that file, against HL7's own
// CodeSystem files (native-tests/vectors/external/fhir/terminology/).
#include "core/fhir/terminology.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/fhir/internal/embedded_data.h"
#include "core/fhir/model.h"
#include "native-tests/support/test_util.h"

namespace medseal::fhir {
namespace {

using testing::LoadVectorJson;
using CodeSet = std::set<std::string>;

const Terminology& T() { return Terminology::Shipped(); }

// The codes of `system` in a value set's expansion.
CodeSet Codes(std::string_view value_set, std::string_view system) {
  CodeSet out;
  for (const auto& [s, c] : T().Expand(value_set)) {
    if (s == system) out.insert(c);
  }
  return out;
}

// Straight from HL7's CodeSystem file: `root` and every concept it
// subsumes, reading subsumedBy and concept nesting (the spec's §1.2),
// without the extraction script or core.
CodeSet HierarchyFromHl7File(const std::string& file, const std::string& root) {
  const auto cs = LoadVectorJson("external/fhir/terminology/" + file);
  std::multimap<std::string, std::string> children;
  std::vector<std::pair<const nlohmann::json*, std::string>> todo;
  for (const auto& c : cs["concept"]) todo.emplace_back(&c, "");
  while (!todo.empty()) {
    auto [c, enclosing] = todo.back();
    todo.pop_back();
    const std::string code = (*c)["code"].get<std::string>();
    if (!enclosing.empty()) children.emplace(enclosing, code);
    if (c->contains("property")) {
      for (const auto& p : (*c)["property"]) {
        if (p["code"] == "subsumedBy") children.emplace(p["valueCode"].get<std::string>(), code);
      }
    }
    if (c->contains("concept")) {
      for (const auto& k : (*c)["concept"]) todo.emplace_back(&k, code);
    }
  }
  CodeSet out;
  std::vector<std::string> stack{root};
  while (!stack.empty()) {
    std::string code = stack.back();
    stack.pop_back();
    if (!out.insert(code).second) continue;
    auto [lo, hi] = children.equal_range(code);
    for (auto it = lo; it != hi; ++it) stack.push_back(it->second);
  }
  return out;
}

TEST(Terminology, ShippedDataParses) {
  auto parsed = Terminology::FromJson(internal::TerminologyJson());
  ASSERT_OK(parsed);
  EXPECT_TRUE(parsed->Defines(kActReasonSystem, "TREAT"));
  EXPECT_TRUE(T().Defines(kActReasonSystem, "TREAT"));
  for (std::string_view vs : {kPurposeOfUseValueSet, kInformationSensitivityPolicyValueSet,
                              kActInformationSensitivityPolicyValueSet, kConfidentialityValueSet,
                              kSecurityPolicyValueSet}) {
    EXPECT_TRUE(T().HasValueSet(vs)) << vs;
    EXPECT_FALSE(T().Expand(vs).empty()) << vs;
  }
}

TEST(Terminology, PurposeOfUseHas62CodesUnderIt) {
  const CodeSet pou = Codes(kPurposeOfUseValueSet, kActReasonSystem);
  // FHIR is-a includes the root itself: 62 codes below PurposeOfUse, + 1.
  EXPECT_EQ(pou.size(), 63u);
  EXPECT_EQ(pou.count("PurposeOfUse"), 1u);
  for (const char* c :
       {"TREAT", "ETREAT", "BTG", "HPAYMT", "HOPERAT", "HRESCH", "HTEST", "PATRQT"}) {
    EXPECT_EQ(pou.count(c), 1u) << c;
  }
  EXPECT_EQ(pou, HierarchyFromHl7File("CodeSystem-v3-ActReason.json", "PurposeOfUse"));
  for (const std::string& c : pou) {
    EXPECT_TRUE(T().Subsumes(kActReasonSystem, "PurposeOfUse", c)) << c;
    EXPECT_TRUE(T().InValueSet(kPurposeOfUseValueSet, kActReasonSystem, c)) << c;
  }
  // A v3-ActReason code outside the hierarchy, and the right code in the
  // wrong system, are not in it.
  EXPECT_FALSE(T().InValueSet(kPurposeOfUseValueSet, kActReasonSystem, "_ActCoverageReason"));
  EXPECT_FALSE(T().InValueSet(kPurposeOfUseValueSet, kActCodeSystem, "TREAT"));
  EXPECT_FALSE(T().InValueSet("http://example.org/ValueSet/none", kActReasonSystem, "TREAT"));
}

TEST(Terminology, ActInformationSensitivityPolicyHas24CodesUnderIt) {
  const CodeSet want = {"_ActInformationSensitivityPolicy",
                        "ETH",
                        "GDIS",
                        "HIV",
                        "MST",
                        "PREGNANT",
                        "SCA",
                        "SDV",
                        "SEX",
                        "SPI",
                        "BH",
                        "COGN",
                        "DVD",
                        "EMOTDIS",
                        "MH",
                        "PSY",
                        "PSYTHPN",
                        "SUD",
                        "ETHUD",
                        "OPIOIDUD",
                        "STD",
                        "TBOO",
                        "VIO",
                        "IDS",
                        "SICKLE"};
  ASSERT_EQ(want.size(), 25u);
  EXPECT_EQ(Codes(kActInformationSensitivityPolicyValueSet, kActCodeSystem), want);
  EXPECT_EQ(want,
            HierarchyFromHl7File("CodeSystem-v3-ActCode.json", "_ActInformationSensitivityPolicy"));
  // The wider value set contains it.
  const CodeSet isp = Codes(kInformationSensitivityPolicyValueSet, kActCodeSystem);
  EXPECT_EQ(isp,
            HierarchyFromHl7File("CodeSystem-v3-ActCode.json", "_InformationSensitivityPolicy"));
  for (const std::string& c : want) EXPECT_EQ(isp.count(c), 1u) << c;
  EXPECT_EQ(isp.count("RACE"), 1u);
  EXPECT_EQ(want.count("RACE"), 0u);
}

TEST(Terminology, SecurityPolicyContainsObligationAndRefrainPolicies) {
  const CodeSet sp = Codes(kSecurityPolicyValueSet, kActCodeSystem);
  EXPECT_EQ(sp, HierarchyFromHl7File("CodeSystem-v3-ActCode.json", "SecurityPolicy"));
  const CodeSet obligation = Codes("http://terminology.hl7.org/ValueSet/v3-ObligationPolicy",
                                   kActCodeSystem);
  const CodeSet refrain = Codes("http://terminology.hl7.org/ValueSet/v3-RefrainPolicy",
                                kActCodeSystem);
  EXPECT_EQ(obligation.size(), 33u);  // ObligationPolicy + 32 below it
  EXPECT_EQ(refrain.size(), 19u);     // RefrainPolicy + 18
  for (const auto* set : {&obligation, &refrain}) {
    for (const std::string& c : *set) EXPECT_EQ(sp.count(c), 1u) << c;
  }
  EXPECT_TRUE(T().Subsumes(kActCodeSystem, "RefrainPolicy", "NORDSCLCD"));
  EXPECT_EQ(T().Display(kActCodeSystem, "NORDSCLCD"), "no redisclosure without consent directive");
}

TEST(Terminology, BreakTheGlassChain) {
  // BTG is-a ETREAT is-a TREAT is-a PurposeOfUse (v3-ActReason subsumedBy).
  EXPECT_EQ(T().Parents(kActReasonSystem, "BTG"), std::vector<std::string>{"ETREAT"});
  EXPECT_EQ(T().Parents(kActReasonSystem, "ETREAT"), std::vector<std::string>{"TREAT"});
  EXPECT_EQ(T().Parents(kActReasonSystem, "HRESCH"), std::vector<std::string>{"PurposeOfUse"});
  EXPECT_TRUE(T().Subsumes(kActReasonSystem, "ETREAT", "BTG"));
  EXPECT_TRUE(T().Subsumes(kActReasonSystem, "TREAT", "ETREAT"));
  EXPECT_TRUE(T().Subsumes(kActReasonSystem, "TREAT", "BTG"));  // transitive
  EXPECT_TRUE(T().Subsumes(kActReasonSystem, "PurposeOfUse", "BTG"));
  EXPECT_TRUE(T().Subsumes(kActReasonSystem, "BTG", "BTG"));  // equal
  // Direction: the descendant does not subsume its ancestor.
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "BTG", "TREAT"));
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "ETREAT", "TREAT"));
  // Siblings and other branches.
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "HRESCH", "BTG"));
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "TREAT", "HRESCH"));
  // Unknown codes, unknown systems, the wrong system.
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "NOPE", "NOPE"));
  EXPECT_FALSE(T().Subsumes(kActReasonSystem, "TREAT", "NOPE"));
  EXPECT_FALSE(T().Subsumes("http://example.org", "TREAT", "BTG"));
  EXPECT_FALSE(T().Subsumes(kActCodeSystem, "TREAT", "BTG"));
  EXPECT_EQ(T().Display(kActReasonSystem, "BTG"), "break the glass");
  EXPECT_EQ(T().Display(kActReasonSystem, "ETREAT"), "Emergency Treatment");
  EXPECT_EQ(T().Display(kActReasonSystem, "NOPE"), "");
  EXPECT_EQ(T().Display("http://example.org", "BTG"), "");
}

TEST(Terminology, NestedConceptsAreAHierarchyToo) {
  // v3-Confidentiality and v3-ActUSPrivacyLaw nest their concepts instead
  // of using subsumedBy.
  EXPECT_TRUE(T().Subsumes(kConfidentialitySystem, "_Confidentiality", "V"));
  EXPECT_TRUE(T().Subsumes(kConfidentialitySystem, "_ConfidentialityByInfoType", "HIV"));
  EXPECT_FALSE(T().Subsumes(kConfidentialitySystem, "R", "V"));  // levels are siblings
  EXPECT_TRUE(T().Subsumes(kActUSPrivacyLawSystem, "_ActUSPrivacyLaw", "42CFRPart2"));
  EXPECT_EQ(Codes(kConfidentialityValueSet, kConfidentialitySystem),
            (CodeSet{"L", "M", "N", "R", "U", "V"}));
  EXPECT_EQ(Codes("http://terminology.hl7.org/ValueSet/v3-ActUSPrivacyLaw", kActUSPrivacyLawSystem),
            HierarchyFromHl7File("CodeSystem-v3-ActUSPrivacyLaw.json", "_ActUSPrivacyLaw"));
  EXPECT_EQ(T().Display(kConfidentialitySystem, "V"), "very restricted");
}

TEST(Terminology, WholeSystemsAndSubsets) {
  for (const char* c : {"collect", "access", "use", "disclose", "correct"}) {
    EXPECT_TRUE(T().Defines(kConsentActionSystem, c)) << c;
    EXPECT_TRUE(T().InValueSet("http://terminology.hl7.org/ValueSet/consent-action",
                               kConsentActionSystem, c));
  }
  for (const char* c : {"adr", "research", "patient-privacy", "treatment"}) {
    EXPECT_TRUE(T().Defines(kConsentScopeSystem, c)) << c;
  }
  EXPECT_EQ(Codes("http://terminology.hl7.org/ValueSet/consent-policy",
                  "http://terminology.hl7.org/CodeSystem/consentpolicycodes")
                .size(),
            27u);
  // v3-ActCode and v3-ActReason are shipped in part (core/fhir/data/README.md):
  // the value sets' codes and their ancestors.
  EXPECT_TRUE(T().Defines(kActCodeSystem, "_ActPolicyType"));  // ancestor of SecurityPolicy
  EXPECT_TRUE(T().Defines(kActReasonSystem, "_ActHealthInformationManagementReason"));
  EXPECT_FALSE(T().Defines(kActCodeSystem, "AMB"));  // an encounter code, not shipped
  EXPECT_FALSE(T().Defines(kActCodeSystem, "DIS"));  // an insurance policy code, not shipped
  EXPECT_TRUE(T().Expand("http://example.org/ValueSet/none").empty());
}

constexpr std::string_view kSmall = R"({"format":"medseal-terminology-1","systems":{
 "s":{"concepts":{"A":["a"],"B":["b",["A"]],"C":["c",["B"]],"X":["x",["Y"]],"Y":["y",["X"]]}}},
 "valueSets":{"v":{"codes":{"s":["A","B"]}}}})";

TEST(Terminology, FromJsonReadsItsFormat) {
  auto t = Terminology::FromJson(kSmall);
  ASSERT_OK(t);
  EXPECT_TRUE(t->Subsumes("s", "A", "C"));
  EXPECT_EQ(t->Display("s", "C"), "c");
  EXPECT_TRUE(t->InValueSet("v", "s", "B"));
  EXPECT_FALSE(t->InValueSet("v", "s", "C"));
  EXPECT_EQ(t->Expand("v"),
            (std::vector<std::pair<std::string, std::string>>{{"s", "A"}, {"s", "B"}}));
}

TEST(Terminology, ACycleInTheDataDoesNotLoop) {
  auto t = Terminology::FromJson(kSmall);
  ASSERT_OK(t);
  EXPECT_TRUE(t->Subsumes("s", "X", "Y"));
  EXPECT_TRUE(t->Subsumes("s", "Y", "X"));
  EXPECT_FALSE(t->Subsumes("s", "A", "X"));  // terminates
  EXPECT_FALSE(t->Subsumes("s", "X", "A"));
}

TEST(Terminology, FromJsonRejectsBadInput) {
  const std::string head = R"({"format":"medseal-terminology-1",)";
  for (
      std::string bad : {
          std::string(""),
          std::string("[]"),
          std::string("{}"),
          std::string(R"({"format":"other","systems":{},"valueSets":{}})"),
          std::string(R"({"format":1,"systems":{},"valueSets":{}})"),
          head + R"("systems":[],"valueSets":{}})",
          head + R"("systems":{},"valueSets":{},"extra":1})",
          head + R"("systems":{"s":{"concepts":{"A":"a"}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":[]}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":[1]}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":["a",[]]}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":["a",[1]]}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":["a",["Z"]]}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"A":["a"]},"x":1}},"valueSets":{}})",
          head + R"("systems":{"":{"concepts":{}}},"valueSets":{}})",
          head + R"("systems":{"s":{"concepts":{"":["a"]}}},"valueSets":{}})",
          head +
              R"("systems":{"s":{"concepts":{"A":["a"]}}},"valueSets":{"v":{"codes":{"t":["A"]}}}})",
          head +
              R"("systems":{"s":{"concepts":{"A":["a"]}}},"valueSets":{"v":{"codes":{"s":["B"]}}}})",
          head +
              R"("systems":{"s":{"concepts":{"A":["a"]}}},"valueSets":{"v":{"codes":{"s":[1]}}}})",
          head + R"("systems":{"s":{"concepts":{"A":["a"]}}},"valueSets":{"v":{}}})",
      }) {
    EXPECT_CODE(Terminology::FromJson(bad), ErrorCode::kMalformed) << bad;
  }
  EXPECT_CODE(Terminology::FromJson(std::string(kMaxTerminologyJsonBytes + 1, ' ')),
              ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace medseal::fhir
