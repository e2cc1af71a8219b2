// SPDX-License-Identifier: Apache-2.0
// Explain (core/consent/explain.h, docs/spec/consent.md §9): who can open
// which record, for which purposes, until when, because of which consent;
// checked entry by entry, and against Evaluate for every combination.
#include "core/consent/explain.h"

#include <gtest/gtest.h>

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
using testing::MakeConsent;
using testing::Purpose;
using testing::Rule;
using testing::SmallTerminology;

constexpr UnixMillis kNow = 1780272000000;

struct Fixture {
  std::vector<fhir::Consent> consents;
  std::vector<RecordFacts> records;
  std::vector<RequestActor> candidates;
};

Fixture Make() {
  Fixture f;
  // drA: TREAT until 9999 (and PSY-labelled data too, through a second rule).
  fhir::Provision treat = Rule(ProvisionType::kPermit);
  treat.actor.push_back(ActorRef("Practitioner/drA"));
  treat.purpose.push_back(Purpose("TREAT"));
  treat.period = fhir::Period{std::nullopt, testing::Instant(9000, 9999)};
  fhir::Provision psy = treat;
  psy.security_label = {Label("PSY")};
  psy.period.reset();
  f.consents.push_back(MakeConsent("care", ProvisionType::kDeny, {treat, psy}));
  // The care team ct1: any purpose, not PSY.
  fhir::Provision team = Rule(ProvisionType::kPermit);
  team.actor.push_back(ActorRef("CareTeam/ct1"));
  f.consents.push_back(MakeConsent("team", ProvisionType::kDeny, {team}));
  // drB: HPAYMT, withdrawn (inactive): never listed.
  fhir::Provision pay = Rule(ProvisionType::kPermit);
  pay.actor.push_back(ActorRef("Practitioner/drB"));
  pay.purpose.push_back(Purpose("HPAYMT"));
  fhir::Consent withdrawn = MakeConsent("pay", ProvisionType::kDeny, {pay});
  withdrawn.status = "inactive";
  f.consents.push_back(withdrawn);

  RecordFacts plain;
  plain.id = "obs-1";
  plain.resource_type = "Observation";
  RecordFacts sensitive = plain;
  sensitive.id = "note-psy";
  sensitive.security_labels = {Label("PSY")};
  f.records = {plain, sensitive};

  RequestActor dra;
  dra.references.push_back(testing::Ref("Practitioner/drA"));
  RequestActor member;
  member.care_teams = {"ct1"};
  RequestActor drb;
  drb.references.push_back(testing::Ref("Practitioner/drB"));
  f.candidates = {dra, member, drb};
  return f;
}

TEST(Explain, WhoCanOpenWhatForWhichPurposeUntilWhen) {
  const Fixture f = Make();
  auto entries = Explain(f.consents, f.records, f.candidates, 500, SmallTerminology());
  ASSERT_OK(entries);
  // Purposes asked: PurposeOfUse (any), then the named ones: HPAYMT, TREAT.
  struct Want {
    size_t record, candidate;
    std::string purpose;
    std::optional<UnixMillis> until;
    std::string consent, path;
  };
  const std::vector<Want> want = {
      {0, 0, "TREAT", 9999, "care", "provision.provision[0]"},
      {0, 1, "PurposeOfUse", std::nullopt, "team", "provision.provision[0]"},
      {0, 1, "HPAYMT", std::nullopt, "team", "provision.provision[0]"},
      {0, 1, "TREAT", std::nullopt, "team", "provision.provision[0]"},
      {1, 0, "TREAT", std::nullopt, "care", "provision.provision[1]"},
  };
  ASSERT_EQ(entries->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    const ExplainEntry& e = (*entries)[i];
    EXPECT_EQ(e.record, want[i].record);
    EXPECT_EQ(e.candidate, want[i].candidate);
    EXPECT_EQ(e.purpose.code, want[i].purpose);
    EXPECT_EQ(e.purpose.system, fhir::kActReasonSystem);
    EXPECT_EQ(e.until, want[i].until);
    EXPECT_EQ(e.reason.consent_id, want[i].consent);
    EXPECT_EQ(e.reason.provision_path, want[i].path);
    EXPECT_EQ(e.reason.rule, "D4");
  }
}

TEST(Explain, EveryEntryIsAnEvaluatePermitAndNoPermitIsMissing) {
  const Fixture f = Make();
  for (UnixMillis now : {UnixMillis{500}, UnixMillis{10000}}) {
    auto set = ConsentSet::Compile(f.consents, SmallTerminology());
    ASSERT_OK(set);
    auto entries = Explain(*set, f.records, f.candidates, now, AccessAction());
    ASSERT_OK(entries);
    size_t next = 0;
    for (size_t r = 0; r < f.records.size(); ++r) {
      for (size_t c = 0; c < f.candidates.size(); ++c) {
        for (const char* p : {"PurposeOfUse", "HPAYMT", "TREAT"}) {
          AccessRequest q;
          q.actor = f.candidates[c];
          q.action = AccessAction();
          q.purpose = Purpose(p);
          q.resource_type = f.records[r].resource_type;
          q.security_labels = f.records[r].security_labels;
          auto d = set->Evaluate(q, now);
          ASSERT_OK(d);
          if (d->effect != Effect::kPermit) continue;
          ASSERT_LT(next, entries->size());
          EXPECT_EQ((*entries)[next].record, r);
          EXPECT_EQ((*entries)[next].candidate, c);
          EXPECT_EQ((*entries)[next].purpose.code, p);
          EXPECT_EQ((*entries)[next].reason, d->reason);
          ++next;
        }
      }
    }
    EXPECT_EQ(next, entries->size());
  }
}

TEST(Explain, ErrorsAndLimits) {
  Fixture f = Make();
  f.records[0].security_labels = {Label("NOPE")};
  EXPECT_CODE(Explain(f.consents, f.records, f.candidates, 500, SmallTerminology()),
              ErrorCode::kUnknownCode);
  std::vector<RecordFacts> many(kMaxExplainRecords + 1);
  EXPECT_CODE(Explain(f.consents, many, f.candidates, 500, SmallTerminology()),
              ErrorCode::kTooLarge);
  std::vector<RequestActor> crowd(kMaxExplainCandidates + 1);
  EXPECT_CODE(Explain(f.consents, f.records, crowd, 500, SmallTerminology()), ErrorCode::kTooLarge);
  const Fixture clean = Make();
  auto none = Explain(std::vector<fhir::Consent>{}, clean.records, clean.candidates, 500,
                      SmallTerminology());
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

// native-tests/vectors/consent/explain.json through ExplainJson (the FHIR
// reader, the shipped terminology), the file the Node test reads too.
TEST(ExplainVectors, EveryCase) {
  const nlohmann::json library_file = medseal::testing::LoadVectorJson("consent/decisions.json");
  const nlohmann::json file = medseal::testing::LoadVectorJson("consent/explain.json");
  ASSERT_EQ(file["tests"].size(), file["numberOfTests"].get<size_t>());
  ASSERT_GE(file["tests"].size(), 4u);
  for (const nlohmann::json& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
    std::vector<fhir::Consent> consents;
    for (const auto& name : t["consents"]) {
      auto parsed =
          fhir::ParseConsentAnyVersion(library_file["consents"][name.get<std::string>()].dump());
      ASSERT_OK(parsed);
      consents.push_back(parsed->consent);
    }
    auto set = ConsentSet::Compile(consents);
    ASSERT_OK(set);
    auto answer = ExplainJson(*set, t["question"].dump(), t["now"].get<int64_t>());
    if (t.contains("error")) {
      ASSERT_FALSE(answer.ok());
      EXPECT_EQ(ErrorCodeName(answer.status().code()), t["error"].get<std::string>());
      continue;
    }
    ASSERT_OK(answer);
    EXPECT_EQ(nlohmann::json::parse(*answer), t["expect"]);
  }
}

}  // namespace
}  // namespace medseal::consent
