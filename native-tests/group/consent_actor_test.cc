// SPDX-License-Identifier: Apache-2.0
// Groups as consent actors and share recipients (core/group/consent_actor.h):
// a consent naming "Group/<id>" makes Share seal to the group's card; a
// member opens through the epoch key; a member of role X cannot open what
// was sealed only to role Y; after a removal the same consent seals to the
// new epoch's card, which the removed member cannot open.
#include "core/group/consent_actor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/base64url.h"
#include "core/consent/share.h"
#include "core/record/record.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/support/test_util.h"

namespace medseal::group {
namespace {

using nlohmann::json;
using testing::FixtureBundle;
using testing::FixtureIdentity;
using testing::R4Consent;
using testing::SignFixture;
using testing::TreatPurpose;
using testing::TreatRecordPurpose;

const fhir::Coding kPrcp{std::string(fhir::kParticipationTypeSystem), "PRCP", ""};

struct Fixture {
  Identity patient = FixtureIdentity(1, "Pat", "patient");
  Identity admin = FixtureIdentity(20, "Ward admin", "admin");
  Identity alice = FixtureIdentity(40, "Alice", "nurse");
  Identity bob = FixtureIdentity(60, "Bob", "nurse");
  Identity dana = FixtureIdentity(80, "Dana", "doctor");
  ChaChaRng rng{Bytes(32, 5)};
  FixedClock clock{testing::kShareNow};

  std::pair<Group, GroupUpdate> Create(const char* role, std::vector<PublicCard> members) {
    return std::move(Group::Create(admin, "Cardiology ward", role, members, rng, clock)).value();
  }
  consent::ShareResult ShareGlucose(const std::vector<consent::SignedConsent>& consents,
                                    const std::vector<consent::ShareCandidate>& candidates) {
    consent::ShareOptions options;
    options.purpose = TreatPurpose();
    json glucose = FixtureBundle()["entry"][0]["resource"];
    return std::move(
               consent::Share(patient, glucose.dump(), consents, candidates, options, rng, clock))
        .value();
  }
  Result<OpenedPayload> OpenAs(const SealedRecord& record, const Identity& group_identity) {
    return OpenRecord(record, group_identity, patient.card(), TreatRecordPurpose());
  }
};

TEST(GroupConsentActor, AConsentNamingTheGroupSealsToItsCardAndMembersOpenIt) {
  Fixture f;
  auto [nurses, n0] = f.Create("nurse", {f.alice.card(), f.bob.card()});
  auto [doctors, d0] = f.Create("doctor", {f.dana.card()});
  EXPECT_EQ(GroupActorReference(nurses.state()).reference,
            "Group/" + HexEncode(nurses.state().group_id));
  const consent::SignedConsent c1 = SignFixture(
      f.patient, R4Consent("c1", {GroupActorReference(nurses.state()).reference}, "TREAT"));
  const consent::ShareResult shared = f.ShareGlucose(
      {c1},
      {GroupCandidate(nurses.state(), {&kPrcp, 1}), GroupCandidate(doctors.state(), {&kPrcp, 1})});
  ASSERT_EQ(shared.resources.size(), 1u);
  const consent::SharedResource& r = shared.resources[0];
  ASSERT_TRUE(r.record.has_value());
  EXPECT_EQ(r.recipients, std::vector<Bytes>{nurses.identity().key_id()});
  ASSERT_EQ(r.decisions.size(), 2u);
  EXPECT_EQ(r.decisions[0].decision.effect, consent::Effect::kPermit);
  EXPECT_EQ(r.decisions[1].decision.effect, consent::Effect::kDeny);

  for (const Identity* m : {&f.alice, &f.bob}) {
    Result<Identity> g = OpenEpochKey(n0.wraps[0], *m, f.admin.card(), n0.state);
    ASSERT_OK(g);
    Result<OpenedPayload> opened = f.OpenAs(*r.record, *g);
    ASSERT_OK(opened);
    EXPECT_EQ(json::parse(AsText(opened->body()))["id"], "obs-glucose");
  }
  // Role X (doctor) cannot open a record sealed only to role Y (nurse).
  Identity doctor_group = OpenEpochKey(d0.wraps[0], f.dana, f.admin.card(), d0.state).value();
  EXPECT_CODE(f.OpenAs(*r.record, doctor_group), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenEpochKey(n0.wraps[0], f.dana, f.admin.card(), n0.state),
              ErrorCode::kNoMatchingRecipient);
}

TEST(GroupConsentActor, AfterARemovalTheSameConsentSealsToTheNewEpochOnly) {
  Fixture f;
  auto [nurses, n0] = f.Create("nurse", {f.alice.card(), f.bob.card()});
  const consent::SignedConsent by_group = SignFixture(
      f.patient, R4Consent("c1", {GroupActorReference(nurses.state()).reference}, "TREAT"));
  Identity bob0 = OpenEpochKey(n0.wraps[0], f.bob, f.admin.card(), n0.state).value();

  GroupUpdate n1 = nurses.RemoveMember(f.admin, f.bob.key_id(), f.rng, f.clock).value();
  ASSERT_OK(VerifyMembershipHistory(nurses.history(), f.admin.card()));
  const consent::ShareResult after = f.ShareGlucose({by_group},
                                                    {GroupCandidate(nurses.state(), {&kPrcp, 1})});
  ASSERT_TRUE(after.resources[0].record.has_value());
  EXPECT_EQ(after.resources[0].recipients, std::vector<Bytes>{n1.state.group_card.key_id()});
  // Bob keeps epoch 0's key, which does not open the new record.
  EXPECT_CODE(f.OpenAs(*after.resources[0].record, bob0), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenEpochKey(n1.wraps[0], f.bob, f.admin.card(), n1.state),
              ErrorCode::kNoMatchingRecipient);
  Identity alice1 = OpenEpochKey(n1.wraps[0], f.alice, f.admin.card(), n1.state).value();
  EXPECT_OK(f.OpenAs(*after.resources[0].record, alice1));

  // A consent naming the epoch 0 card by its key id stops matching once the
  // card changed: why consents name the group by its group id.
  json by_key = R4Consent("c2", {"Practitioner/none"}, "TREAT");
  by_key["provision"]["actor"][0]["reference"] = {
      {"identifier",
       {{"system", std::string(consent::kKeyIdSystem)},
        {"value", Base64UrlEncode(n0.state.group_card.key_id())}}}};
  const consent::ShareResult stale = f.ShareGlucose({SignFixture(f.patient, by_key)},
                                                    {GroupCandidate(nurses.state(), {&kPrcp, 1})});
  EXPECT_FALSE(stale.resources[0].record.has_value());
  EXPECT_EQ(stale.resources[0].decisions[0].decision.effect, consent::Effect::kDeny);
}

TEST(GroupConsentActor, TheCandidateCarriesTheGroupIdAndTheEpochCard) {
  Fixture f;
  auto [nurses, n0] = f.Create("nurse", {f.alice.card()});
  const consent::ShareCandidate c = GroupCandidate(nurses.state(), {&kPrcp, 1});
  EXPECT_EQ(c.card, &nurses.state().group_card);
  EXPECT_EQ(c.actor.key_id, nurses.identity().key_id());
  EXPECT_EQ(c.actor.care_teams, std::vector<std::string>{GroupActorId(nurses.state())});
  EXPECT_EQ(GroupActorId(nurses.state()).size(), 32u);
  ASSERT_EQ(c.actor.roles.size(), 1u);
  EXPECT_EQ(c.actor.roles[0], kPrcp);
  // "CareTeam/<id>" names the group too (consent.md §5.2 rule 4).
  const consent::SignedConsent care_team = SignFixture(
      f.patient, R4Consent("c3", {"CareTeam/" + GroupActorId(nurses.state())}, "TREAT"));
  EXPECT_TRUE(f.ShareGlucose({care_team}, {c}).resources[0].record.has_value());
}

}  // namespace
}  // namespace medseal::group
