// SPDX-License-Identifier: Apache-2.0
// Evaluate and ConsentSet (core/consent/decision.h), docs/spec/consent.md:
// unit tests on consents built in the model with a small terminology, and
// every vector of native-tests/vectors/consent/decisions.json (FHIR JSON
// through fhir::ParseConsentAnyVersion, the shipped terminology).
#include "core/consent/decision.h"

#include <gtest/gtest.h>

#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/consent/request.h"
#include "core/fhir/consent_resource.h"
#include "native-tests/consent/consent_test_util.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using fhir::ProvisionType;
using testing::ActorRef;
using testing::Label;
using testing::Level;
using testing::MakeConsent;
using testing::Purpose;
using testing::RequestBy;
using testing::Rule;
using testing::SmallTerminology;

constexpr UnixMillis kNow = 1780272000000;  // 2026-06-01T00:00:00Z

// "deny, except drA for `purpose`" (an R5 consent with decision deny).
fhir::Consent GrantTo(const std::string& id, const std::string& actor, const std::string& purpose,
                      std::vector<fhir::Coding> labels = {}) {
  fhir::Provision p = Rule(ProvisionType::kPermit);
  p.actor.push_back(ActorRef(actor));
  p.purpose.push_back(Purpose(purpose));
  p.security_label = std::move(labels);
  return MakeConsent(id, ProvisionType::kDeny, {p});
}

Decision Decide(const std::vector<fhir::Consent>& consents, const AccessRequest& request,
                UnixMillis now = kNow) {
  auto d = Evaluate(consents, request, now, SmallTerminology());
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return d.ok() ? std::move(d).value() : Decision{};
}

TEST(Decision, NoConsentIsD1) {
  const Decision d = Decide({}, RequestBy("Practitioner/drA", "TREAT"));
  EXPECT_EQ(d.effect, Effect::kDeny);
  EXPECT_EQ(d.reason, (Reason{std::nullopt, "", "", "D1"}));
}

TEST(Decision, InactiveOrOutOfPeriodConsentsDoNotCount) {
  fhir::Consent inactive = MakeConsent("a", ProvisionType::kPermit);
  inactive.status = "inactive";
  fhir::Consent ended = MakeConsent("b", ProvisionType::kPermit);
  ended.period = fhir::Period{std::nullopt, testing::Instant(kNow - 2, kNow - 1)};
  fhir::Consent research = MakeConsent("c", ProvisionType::kPermit);
  research.scope = fhir::CodeableConcept{{{std::string(fhir::kConsentScopeSystem), "research", ""}},
                                         ""};
  EXPECT_EQ(Decide({inactive, ended, research}, RequestBy("Practitioner/drA", "TREAT")).reason.rule,
            "D1");
  // The same consents, active / in period / in scope, permit.
  ended.period->end = testing::Instant(kNow, kNow);
  EXPECT_EQ(Decide({ended}, RequestBy("Practitioner/drA", "TREAT")).effect, Effect::kPermit);
}

TEST(Decision, PermitNamesConsentPathAndRule) {
  const Decision d = Decide({GrantTo("g", "Practitioner/drA", "TREAT")},
                            RequestBy("Practitioner/drA", "TREAT"));
  EXPECT_EQ(d.effect, Effect::kPermit);
  EXPECT_EQ(d.reason, (Reason{0, "g", "provision.provision[0]", "D4"}));
  EXPECT_FALSE(d.permit_until.has_value());
}

TEST(Decision, PurposeMustSubsumeTheRequestsPurpose) {
  const std::vector<fhir::Consent> treat{GrantTo("g", "Practitioner/drA", "TREAT")};
  EXPECT_EQ(Decide(treat, RequestBy("Practitioner/drA", "ETREAT")).effect, Effect::kPermit);
  EXPECT_EQ(Decide(treat, RequestBy("Practitioner/drA", "BTG")).effect, Effect::kPermit);
  EXPECT_EQ(Decide(treat, RequestBy("Practitioner/drA", "HPAYMT")).reason.rule, "D6");
  const std::vector<fhir::Consent> btg{GrantTo("g", "Practitioner/drA", "BTG")};
  EXPECT_EQ(Decide(btg, RequestBy("Practitioner/drA", "ETREAT")).reason.rule, "D6");
  EXPECT_EQ(Decide(btg, RequestBy("Practitioner/drA", "TREAT")).reason.rule, "D6");
}

TEST(Decision, DefaultDenyRanksBelowPermitExplicitDenyAbove) {
  const fhir::Consent base_deny = MakeConsent("base", ProvisionType::kDeny);
  const fhir::Consent grant = GrantTo("grant", "Practitioner/drA", "TREAT");
  fhir::Provision no_dra = Rule(ProvisionType::kDeny);
  no_dra.actor.push_back(ActorRef("Practitioner/drA"));
  const fhir::Consent explicit_deny = MakeConsent("no", ProvisionType::kPermit, {no_dra});
  const AccessRequest dra = RequestBy("Practitioner/drA", "TREAT");
  EXPECT_EQ(Decide({base_deny}, dra).reason, (Reason{0, "base", "provision", "D6"}));
  EXPECT_EQ(Decide({base_deny, grant}, dra).reason,
            (Reason{1, "grant", "provision.provision[0]", "D4"}));
  EXPECT_EQ(Decide({grant, explicit_deny}, dra).reason,
            (Reason{1, "no", "provision.provision[0]", "D3"}));
  EXPECT_EQ(Decide({explicit_deny, grant}, dra).reason.rule, "D3");
  // A root deny with a criterion is explicit.
  fhir::Consent root_deny = MakeConsent("rd", ProvisionType::kDeny);
  root_deny.provision->actor.push_back(ActorRef("Practitioner/drA"));
  EXPECT_EQ(Decide({grant, root_deny}, dra).reason, (Reason{1, "rd", "provision", "D3"}));
  // ... and applies only to what it names: no rule applies to drB (D2).
  EXPECT_EQ(Decide({root_deny}, RequestBy("Practitioner/drB", "TREAT")).reason.rule, "D2");
}

TEST(Decision, SensitiveLabelsStayClosedUnlessNamed) {
  AccessRequest psy = RequestBy("Practitioner/drA", "BTG");
  psy.security_labels = {Label("PSY"), Level("R")};
  const fhir::Consent general = GrantTo("general", "Practitioner/drA", "TREAT");
  EXPECT_EQ(Decide({general}, psy).reason, (Reason{0, "general", "provision.provision[0]", "D5"}));
  // Not applicable rather than deny: another consent naming the label permits.
  const fhir::Consent named = GrantTo("named", "Practitioner/drA", "TREAT", {Label("SPI")});
  EXPECT_EQ(Decide({general, named}, psy).reason,
            (Reason{1, "named", "provision.provision[0]", "D4"}));
  // Naming SPI opens SUD; naming PSY does not open HIV or V.
  AccessRequest sud = psy;
  sud.security_labels = {Label("SUD")};
  EXPECT_EQ(Decide({named}, sud).effect, Effect::kPermit);
  const fhir::Consent psy_only = GrantTo("p", "Practitioner/drA", "TREAT", {Label("PSY")});
  AccessRequest psy_hiv = psy;
  psy_hiv.security_labels = {Label("PSY"), Label("HIV")};
  EXPECT_EQ(Decide({psy_only}, psy_hiv).reason.rule, "D5");
  AccessRequest psy_v = psy;
  psy_v.security_labels = {Label("PSY"), Level("V")};
  EXPECT_EQ(Decide({psy_only}, psy_v).reason.rule, "D5");
  // Not sensitive: DEMO and N.
  AccessRequest demo = psy;
  demo.security_labels = {Label("DEMO"), Level("N")};
  EXPECT_EQ(Decide({general}, demo).effect, Effect::kPermit);
  // A base permit does not open HIV either.
  AccessRequest hiv = psy;
  hiv.security_labels = {Label("HIV")};
  EXPECT_EQ(Decide({MakeConsent("all", ProvisionType::kPermit)}, hiv).reason,
            (Reason{0, "all", "provision", "D5"}));
}

TEST(Decision, ConfidentialityIsAHighWaterMark) {
  AccessRequest r = RequestBy("Practitioner/drA", "TREAT");
  const fhir::Consent v = GrantTo("v", "Practitioner/drA", "TREAT", {Level("V")});
  const fhir::Consent rr = GrantTo("r", "Practitioner/drA", "TREAT", {Level("R")});
  r.security_labels = {Level("R")};
  EXPECT_EQ(Decide({v}, r).effect, Effect::kPermit);
  EXPECT_EQ(Decide({rr}, r).effect, Effect::kPermit);
  r.security_labels = {Level("V")};
  EXPECT_EQ(Decide({v}, r).effect, Effect::kPermit);
  EXPECT_EQ(Decide({rr}, r).reason.rule, "D6");  // the permit does not apply to V
  // A deny naming R applies from R up.
  fhir::Provision deny_r = Rule(ProvisionType::kDeny);
  deny_r.security_label = {Level("R")};
  const fhir::Consent base = MakeConsent("b", ProvisionType::kPermit, {deny_r});
  EXPECT_EQ(Decide({base}, r).reason.rule, "D3");
  r.security_labels = {Level("L")};
  EXPECT_EQ(Decide({base}, r).reason.rule, "D4");
}

TEST(Decision, ActorsMatchByReferenceKeyIdCareTeamAndRole) {
  fhir::Provision p = Rule(ProvisionType::kPermit);
  fhir::ProvisionActor by_key;
  by_key.reference = fhir::Reference{
      "", fhir::Identifier{std::string(kKeyIdSystem), "AQIDBAUGBwgJCgsMDQ4PEA"}, ""};
  p.actor = {by_key, ActorRef("CareTeam/ct1")};
  fhir::ProvisionActor role_and_ref = ActorRef("Practitioner/drA");
  role_and_ref.role = fhir::CodeableConcept{
      {{std::string(fhir::kParticipationTypeSystem), "PRCP", ""}}, ""};
  p.actor.push_back(role_and_ref);
  const std::vector<fhir::Consent> c{MakeConsent("a", ProvisionType::kDeny, {p})};

  AccessRequest r = RequestBy("Practitioner/nobody", "TREAT");
  EXPECT_EQ(Decide(c, r).effect, Effect::kDeny);
  r.actor.key_id = Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  EXPECT_EQ(Decide(c, r).effect, Effect::kPermit);
  r.actor.key_id.back() = 17;
  EXPECT_EQ(Decide(c, r).effect, Effect::kDeny);
  r.actor.care_teams = {"ct2", "ct1"};
  EXPECT_EQ(Decide(c, r).effect, Effect::kPermit);

  AccessRequest dra = RequestBy("Practitioner/drA", "TREAT");
  EXPECT_EQ(Decide(c, dra).effect, Effect::kDeny);  // reference without the role
  dra.actor.roles = {{std::string(fhir::kParticipationTypeSystem), "PRCP", "ignored display"}};
  EXPECT_EQ(Decide(c, dra).effect, Effect::kPermit);
  AccessRequest drb = RequestBy("Practitioner/drB", "TREAT");
  drb.actor.roles = dra.actor.roles;
  EXPECT_EQ(Decide(c, drb).effect, Effect::kDeny);  // the role without the reference
}

TEST(Decision, NestedPeriodsAndUntil) {
  fhir::Provision inner = Rule(ProvisionType::kDeny);
  inner.period = fhir::Period{testing::Instant(1000, 1000), testing::Instant(2000, 2999)};
  fhir::Provision outer = Rule(ProvisionType::kPermit);
  outer.actor.push_back(ActorRef("Practitioner/drA"));
  outer.period = fhir::Period{std::nullopt, testing::Instant(9000, 9999)};
  outer.provision = {inner};
  fhir::Consent c = MakeConsent("n", ProvisionType::kDeny, {outer});
  c.period = fhir::Period{std::nullopt, testing::Instant(20000, 29999)};
  const AccessRequest r = RequestBy("Practitioner/drA", "TREAT");
  Decision d = Decide({c}, r, 500);
  EXPECT_EQ(d.effect, Effect::kPermit);
  EXPECT_EQ(d.permit_until, std::optional<UnixMillis>(9999));
  EXPECT_EQ(Decide({c}, r, 2999).reason,
            (Reason{0, "n", "provision.provision[0].provision[0]", "D3"}));
  EXPECT_EQ(Decide({c}, r, 3000).effect, Effect::kPermit);
  EXPECT_EQ(Decide({c}, r, 10000).reason.rule, "D6");
  EXPECT_EQ(Decide({c}, r, 30000).reason.rule, "D1");
  c.period->end = testing::Instant(5000, 5999);
  EXPECT_EQ(Decide({c}, r, 500).permit_until, std::optional<UnixMillis>(5999));
}

TEST(Decision, ListsWithinACriterion) {
  fhir::Provision p = Rule(ProvisionType::kPermit);
  p.purpose = {Purpose("TREAT"), Purpose("ETREAT")};  // AND
  p.klass = {{std::string(fhir::kResourceTypesSystem), "Condition", ""},
             {std::string(fhir::kResourceTypesSystem), "Observation", ""}};  // OR
  p.action = {fhir::CodeableConcept{{testing::Action("correct")}, ""},
              fhir::CodeableConcept{{testing::Action("access")}, ""}};  // OR
  const std::vector<fhir::Consent> c{MakeConsent("l", ProvisionType::kDeny, {p})};
  AccessRequest r = RequestBy("Practitioner/drA", "ETREAT");
  EXPECT_EQ(Decide(c, r).effect, Effect::kPermit);
  r.purpose = Purpose("TREAT");
  EXPECT_EQ(Decide(c, r).effect, Effect::kDeny);
  r.purpose = Purpose("BTG");
  r.resource_type = "Procedure";
  EXPECT_EQ(Decide(c, r).effect, Effect::kDeny);
  r.klass = {{std::string(fhir::kResourceTypesSystem), "Condition", ""}};
  EXPECT_EQ(Decide(c, r).effect, Effect::kPermit);
  r.action = testing::Action("disclose");
  EXPECT_EQ(Decide(c, r).effect, Effect::kDeny);
}

TEST(Decision, RequestRulesQ1ToQ7InOrder) {
  const std::vector<fhir::Consent> c{GrantTo("g", "Practitioner/drA", "TREAT")};
  auto code = [&](const AccessRequest& r) {
    auto d = Evaluate(c, r, kNow, SmallTerminology());
    return d.ok() ? ErrorCode::kOk : d.status().code();
  };
  AccessRequest r = RequestBy("Practitioner/drA", "TREAT");
  r.purpose.code.clear();
  r.action.code.clear();
  EXPECT_EQ(code(r), ErrorCode::kInvalidArgument);  // Q1 before Q2
  r.purpose = Purpose("TREAT");
  EXPECT_EQ(code(r), ErrorCode::kInvalidArgument);  // Q2
  r.action = testing::Action("access");
  r.actor.key_id = Bytes(15, 1);
  EXPECT_EQ(code(r), ErrorCode::kInvalidArgument);  // Q3
  r.actor.key_id.clear();
  r.purpose = Purpose("OTHER");
  EXPECT_EQ(code(r), ErrorCode::kUnknownCode);  // Q4: defined, not PurposeOfUse
  r.purpose = fhir::Coding{"http://example.org", "TREAT", ""};
  EXPECT_EQ(code(r), ErrorCode::kUnknownCode);  // Q4: another system
  r.purpose = Purpose("TREAT");
  r.security_labels = {Label("NOPE")};
  EXPECT_EQ(code(r), ErrorCode::kUnknownCode);  // Q5
  r.security_labels = {Level("PSY")};
  EXPECT_EQ(code(r), ErrorCode::kUnknownCode);  // Q6: retired, not a level
  r.security_labels = {Level("N"), Label("DEMO")};
  EXPECT_EQ(code(r), ErrorCode::kOk);
  // Q7: now outside 0 .. 2^53 - 1.
  EXPECT_CODE(Evaluate(c, r, -1, SmallTerminology()), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Evaluate(c, r, kMaxUnixMillis + 1, SmallTerminology()), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Evaluate(c, r, kMaxUnixMillis, SmallTerminology()).ok());
  EXPECT_TRUE(Evaluate(c, r, 0, SmallTerminology()).ok());
}

TEST(Decision, CompileLimits) {
  fhir::Provision deep = Rule(ProvisionType::kPermit);
  for (int i = 1; i < fhir::kMaxProvisionDepth; ++i) {
    fhir::Provision parent = Rule(ProvisionType::kPermit);
    parent.provision = {deep};
    deep = parent;
  }
  fhir::Consent ok = MakeConsent("ok", ProvisionType::kPermit);
  ok.provision = deep;  // exactly kMaxProvisionDepth levels
  EXPECT_TRUE(ConsentSet::Compile(std::vector<fhir::Consent>{ok}, SmallTerminology()).ok());
  fhir::Consent too_deep = MakeConsent("deep", ProvisionType::kPermit, {deep});
  EXPECT_CODE(ConsentSet::Compile(std::vector<fhir::Consent>{too_deep}, SmallTerminology()),
              ErrorCode::kTooDeep);
  std::vector<fhir::Consent> many(kMaxConsentsPerSet + 1, MakeConsent("m", ProvisionType::kPermit));
  EXPECT_CODE(ConsentSet::Compile(many, SmallTerminology()), ErrorCode::kTooLarge);
  many.pop_back();
  EXPECT_TRUE(ConsentSet::Compile(many, SmallTerminology()).ok());
}

TEST(Decision, ConsentSetAgreesWithEvaluateAndListsNamedPurposes) {
  const std::vector<fhir::Consent> c{GrantTo("a", "Practitioner/drA", "TREAT"),
                                     GrantTo("b", "Practitioner/drB", "HPAYMT", {Label("PSY")}),
                                     MakeConsent("base", ProvisionType::kDeny)};
  auto set = ConsentSet::Compile(c, SmallTerminology());
  ASSERT_OK(set);
  EXPECT_EQ(set->size(), 3u);
  EXPECT_EQ(set->named_purposes(), (std::vector<std::string>{"HPAYMT", "TREAT"}));
  for (const char* who : {"Practitioner/drA", "Practitioner/drB"}) {
    for (const char* purpose : {"TREAT", "BTG", "HPAYMT"}) {
      for (bool psy : {false, true}) {
        AccessRequest r = RequestBy(who, purpose);
        if (psy) r.security_labels = {Label("PSY")};
        auto a = set->Evaluate(r, kNow);
        auto b = Evaluate(c, r, kNow, SmallTerminology());
        ASSERT_OK(a);
        ASSERT_OK(b);
        EXPECT_EQ(a->effect, b->effect);
        EXPECT_EQ(a->reason, b->reason);
      }
    }
  }
}

// ---- the vectors ---------------------------------------------------------

TEST(DecisionVectors, EveryCase) {
  const nlohmann::json file = medseal::testing::LoadVectorJson("consent/decisions.json");
  ASSERT_TRUE(file.contains("tests") && file["tests"].is_array());
  ASSERT_EQ(file["tests"].size(), file["numberOfTests"].get<size_t>());
  std::map<std::string, fhir::Consent> library;
  for (auto it = file["consents"].begin(); it != file["consents"].end(); ++it) {
    auto parsed = fhir::ParseConsentAnyVersion(it.value().dump());
    ASSERT_TRUE(parsed.ok()) << it.key() << ": " << parsed.status().ToString();
    library.emplace(it.key(), parsed->consent);
  }
  size_t permits = 0;
  size_t errors = 0;
  for (const nlohmann::json& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + " (" +
                 t["comment"].get<std::string>() + ")");
    std::vector<fhir::Consent> consents;
    for (const auto& name : t["consents"]) {
      ASSERT_TRUE(library.count(name.get<std::string>())) << name;
      consents.push_back(library.at(name.get<std::string>()));
    }
    const UnixMillis now = t["now"].get<int64_t>();
    auto request = ParseAccessRequestJson(t["request"].dump());
    Result<Decision> decision = request.ok() ? Evaluate(consents, *request, now)
                                             : Result<Decision>(request.status());
    if (t.contains("error")) {
      ++errors;
      ASSERT_FALSE(decision.ok());
      EXPECT_EQ(ErrorCodeName(decision.status().code()), t["error"].get<std::string>());
      continue;
    }
    ASSERT_TRUE(decision.ok()) << decision.status().ToString();
    EXPECT_EQ(nlohmann::json::parse(WriteDecisionJson(*decision)), t["expect"]);
    if (decision->effect == Effect::kPermit) ++permits;
    // The compiled set gives the same answer.
    auto set = ConsentSet::Compile(consents);
    ASSERT_OK(set);
    auto again = set->Evaluate(*request, now);
    ASSERT_OK(again);
    EXPECT_EQ(again->reason, decision->reason);
  }
  EXPECT_GT(permits, 20u);
  EXPECT_GT(errors, 5u);
}

// ---- decision 1: HL7's R4 examples decide as HL7's R5 versions of them ----

// Everything a provision tree names, to build requests from.
struct Named {
  std::vector<fhir::ProvisionActor> actors;
  std::vector<fhir::Coding> actions;
  std::vector<fhir::Coding> purposes;
  std::vector<fhir::Coding> labels;
  std::vector<fhir::Reference> data;
};
// NOLINTNEXTLINE(misc-no-recursion): example trees are a few levels deep
void CollectNamed(const fhir::Provision& p, Named* n) {
  n->actors.insert(n->actors.end(), p.actor.begin(), p.actor.end());
  for (const auto& cc : p.action)
    n->actions.insert(n->actions.end(), cc.coding.begin(), cc.coding.end());
  n->purposes.insert(n->purposes.end(), p.purpose.begin(), p.purpose.end());
  n->labels.insert(n->labels.end(), p.security_label.begin(), p.security_label.end());
  for (const auto& d : p.data) n->data.push_back(d.reference);
  for (const auto& c : p.provision) CollectNamed(c, n);
}

TEST(ConsentDecision1, Hl7R4ExamplesDecideAsTheirR5Versions) {
  // Pairs whose R4 and R5 texts differ in content, so that equal decisions
  // cannot be required (each reason checked against the two files):
  // Each reason was checked against the two files.
  const std::map<std::string, std::string> kDiffer = {
      {"Out",
       "R4 policyRule OPTOUT gives a base deny (the root, actor Organization/f001, is a permit "
       "exception); R5 writes decision permit with a deny for f001"},
      {"Emergency",
       "R4 names Organization/f001 (root, ETREAT) and denies f001 again in its nested rule; R5 "
       "names Organization/f201 and puts ETREAT on the nested rule"},
      {"grantor",
       "R4's actors are Organization/f001 and Patient/example; R5's are Organization/f203 and "
       "Practitioner/f007"},
      {"notThis",
       "R4 withholds data related to Task/example3; R5 data related to "
       "MedicationRequest/medrx0305"},
      {"notTime",
       "R4's root has only a period: it is the consent's period (a base permit inside it, "
       "decision 1 unchanged); R5 writes decision permit and the period on a top-level "
       "provision, a deny exception inside the period"},
      {"smartonfhir",
       "R4's root has only a period (the consent's period, permit) and a written permit for "
       "access to MedicationRequest; R5 writes decision permit, a period-only top-level deny "
       "and a nested permit for access and correct"},
      {"notOrg",
       "R4 writes the root's type (deny), kept by decision 1 with no base, so the consent says "
       "nothing about other actors; R5 writes decision permit around that deny"},
  };
  const char* kNames[] = {"Emergency", "Out",     "basic",   "grantor", "notAuthor",  "notOrg",
                          "notThem",   "notThis", "notTime", "pkb",     "smartonfhir"};
  size_t compared = 0;
  for (const char* name : kNames) {
    SCOPED_TRACE(name);
    const std::string file = std::string("Consent-consent-example-") + name + ".json";
    auto r4 = fhir::ParseConsent(
        medseal::testing::ReadVectorFile("external/fhir/hl7-r4-consent/" + file),
        fhir::FhirVersion::kR4);
    auto r5 = fhir::ParseConsent(
        medseal::testing::ReadVectorFile("external/fhir/hl7-r5-consent/" + file),
        fhir::FhirVersion::kR5);
    ASSERT_OK(r4);
    ASSERT_OK(r5);
    Named n;
    for (const auto* c : {&r4->consent, &r5->consent}) {
      if (c->provision) CollectNamed(*c->provision, &n);
    }
    // Requests: each named actor (and one nobody names), each named action
    // (and access), each named purpose (and TREAT), each named label (and
    // none), each named data reference (and none).
    std::vector<RequestActor> actors(1);
    actors[0].references.push_back(fhir::Reference{"Practitioner/nobody-named", std::nullopt, ""});
    for (const auto& a : n.actors) {
      RequestActor r;
      if (a.reference) r.references.push_back(*a.reference);
      if (a.role) r.roles = a.role->coding;
      actors.push_back(std::move(r));
    }
    std::vector<fhir::Coding> actions = {
        fhir::Coding{"http://terminology.hl7.org/CodeSystem/consentaction", "access", ""}};
    actions.insert(actions.end(), n.actions.begin(), n.actions.end());
    std::vector<fhir::Coding> purposes = {Purpose("TREAT")};
    for (const auto& c : n.purposes) {
      if (c.system == fhir::kActReasonSystem) purposes.push_back(c);
    }
    std::vector<std::vector<fhir::Coding>> labels = {{}};
    for (const auto& c : n.labels) labels.push_back({c});
    std::vector<std::vector<fhir::Reference>> data = {{}};
    for (const auto& d : n.data) data.push_back({d});
    // Instants: now, and the ends of both consents' periods.
    std::vector<UnixMillis> nows = {1780272000000};
    for (const auto* c : {&r4->consent, &r5->consent}) {
      if (c->period && c->period->start) nows.push_back(c->period->start->lo);
      if (c->period && c->period->end) nows.push_back(c->period->end->hi);
    }
    const bool differ = kDiffer.count(name) != 0;
    size_t disagreements = 0;
    // Compiled once: consent::Evaluate compiles its consents on every call,
    // which the thousands of requests below need not repeat (under ASan it
    // took minutes). The one-call form gives the same decisions (checked on
    // the first request below).
    auto set4 = ConsentSet::Compile(std::span(&r4->consent, 1));
    auto set5 = ConsentSet::Compile(std::span(&r5->consent, 1));
    ASSERT_OK(set4);
    ASSERT_OK(set5);
    bool checked_one_call_form = false;
    for (const auto& actor : actors) {
      for (const auto& action : actions) {
        for (const auto& purpose : purposes) {
          for (const auto& label : labels) {
            for (const auto& d : data) {
              for (UnixMillis now : nows) {
                AccessRequest req;
                req.actor = actor;
                req.action = action;
                req.purpose = purpose;
                req.resource_type = "Observation";
                req.security_labels = label;
                req.data = d;
                auto a = set4->Evaluate(req, now);
                auto b = set5->Evaluate(req, now);
                if (!checked_one_call_form) {
                  checked_one_call_form = true;
                  auto a1 = Evaluate(std::span(&r4->consent, 1), req, now);
                  ASSERT_EQ(a1.ok(), a.ok());
                  if (a.ok()) {
                    EXPECT_EQ(a1->effect, a->effect);
                  }
                }
                ASSERT_EQ(a.ok(), b.ok());
                if (!a.ok()) {
                  EXPECT_EQ(a.status().code(), b.status().code());
                  continue;
                }
                ++compared;
                if (a->effect != b->effect) ++disagreements;
                if (!differ) {
                  EXPECT_EQ(a->effect, b->effect)
                      << "R4 " << a->reason.rule << " " << a->reason.provision_path << ", R5 "
                      << b->reason.rule << " " << b->reason.provision_path << " for "
                      << (actor.references.empty() ? "" : actor.references[0].reference) << " "
                      << action.code << " " << purpose.code << " "
                      << (label.empty() ? "" : label[0].code) << " "
                      << (d.empty() ? "" : d[0].reference) << " at " << now;
                }
              }
            }
          }
        }
      }
    }
    // A listed exception must really differ (else it is not one).
    if (differ) EXPECT_GT(disagreements, 0u) << kDiffer.at(name);
  }
  EXPECT_GT(compared, 500u);
}

}  // namespace
}  // namespace medseal::consent
