// SPDX-License-Identifier: Apache-2.0
// Withdrawal in one call: the whole consent (inactive) or one grantee (the
// actor removed from the permits that name it; a deny exception under the
// permits open to anyone), the version bump, later shares excluding the
// grantee, and the errors.
#include "core/consent/withdraw.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/consent/share.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using nlohmann::json;
using testing::ActorFor;
using testing::FixtureBundle;
using testing::FixtureIdentity;
using testing::R4Consent;
using testing::SignFixture;
using testing::TreatPurpose;

Withdrawal ActorWithdrawal(const std::string& reference, bool with_role = false) {
  Withdrawal w;
  w.scope = WithdrawScope::kActor;
  fhir::Reference ref;
  ref.reference = reference;
  w.actor.reference = ref;
  if (with_role) {
    fhir::CodeableConcept role;
    role.coding.push_back(fhir::Coding{std::string(fhir::kParticipationTypeSystem), "PRCP", ""});
    w.actor.role = role;
  }
  return w;
}

class WithdrawTest : public ::testing::Test {
 protected:
  WithdrawTest()
      : patient_(FixtureIdentity(1, "Pat", "patient")),
        a_(FixtureIdentity(40, "Dr A", "doctor")),
        b_(FixtureIdentity(80, "Dr B", "doctor")),
        rng_(Bytes(32, 3)),
        clock_(testing::kShareNow) {
    candidates_ = {ShareCandidate{&a_.card(), ActorFor(a_, "Practitioner/a")},
                   ShareCandidate{&b_.card(), ActorFor(b_, "Practitioner/b")}};
    options_.purpose = TreatPurpose();
  }

  // The effects for A and B on the bundle's Observation.
  std::vector<Effect> Effects(const std::vector<SignedConsent>& consents) {
    auto r = Share(patient_, FixtureBundle().dump(), consents, candidates_, options_, rng_, clock_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    std::vector<Effect> out;
    for (const CandidateDecision& d : r->resources[0].decisions) {
      out.push_back(d.decision.effect);
    }
    return out;
  }

  Identity patient_, a_, b_;
  ChaChaRng rng_;
  FixedClock clock_;
  std::vector<ShareCandidate> candidates_;
  ShareOptions options_;
};

TEST_F(WithdrawTest, WholeConsentBecomesInactiveVersion2) {
  const SignedConsent v1 = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  ASSERT_EQ(Effects({v1}), (std::vector<Effect>{Effect::kPermit, Effect::kPermit}));
  auto v2 = Withdraw(patient_, v1, Withdrawal{}, clock_);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->resource["status"], "inactive");
  EXPECT_EQ(v2->resource["meta"]["versionId"], "2");
  EXPECT_EQ(v2->signed_at, testing::kShareNow);
  EXPECT_OK(VerifyReceipt(*v2, patient_.card()));
  // Everything else is as signed before.
  json rest = v2->resource;
  rest.erase("meta");
  rest["status"] = "active";
  EXPECT_EQ(rest, v1.resource);
  EXPECT_EQ(Effects({v1, *v2}), (std::vector<Effect>{Effect::kDeny, Effect::kDeny}));
  // An inactive consent cannot be withdrawn again.
  EXPECT_CODE(Withdraw(patient_, *v2, Withdrawal{}, clock_), ErrorCode::kConsentInactive);
}

TEST_F(WithdrawTest, OneGranteeIsRemovedFromThePermitThatNamesIt) {
  const SignedConsent v1 = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  auto v2 = Withdraw(patient_, v1, ActorWithdrawal("Practitioner/b"), clock_);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->resource["status"], "active");
  EXPECT_EQ(v2->resource["meta"]["versionId"], "2");
  ASSERT_EQ(v2->resource["provision"]["actor"].size(), 1u);
  EXPECT_EQ(v2->resource["provision"]["actor"][0]["reference"]["reference"], "Practitioner/a");
  // Later shares exclude B, keep A.
  EXPECT_EQ(Effects({v1, *v2}), (std::vector<Effect>{Effect::kPermit, Effect::kDeny}));
  // Version 3 from version 2.
  auto v3 = Withdraw(patient_, *v2, ActorWithdrawal("Practitioner/a"), clock_);
  ASSERT_OK(v3);
  // A was the last actor of the root rule: the consent becomes inactive.
  EXPECT_EQ(v3->resource["status"], "inactive");
  EXPECT_EQ(v3->resource["meta"]["versionId"], "3");
  EXPECT_EQ(Effects({v1, *v2, *v3}), (std::vector<Effect>{Effect::kDeny, Effect::kDeny}));
}

TEST_F(WithdrawTest, APermitOpenToAnyoneGetsADenyException) {
  json open = R4Consent("c1", {}, "TREAT");
  open["provision"].erase("actor");
  const SignedConsent v1 = SignFixture(patient_, open);
  ASSERT_EQ(Effects({v1}), (std::vector<Effect>{Effect::kPermit, Effect::kPermit}));
  // R4 needs a role for the deny exception's actor.
  EXPECT_CODE(Withdraw(patient_, v1, ActorWithdrawal("Practitioner/b"), clock_),
              ErrorCode::kInvalidArgument);
  auto v2 = Withdraw(patient_, v1, ActorWithdrawal("Practitioner/b", true), clock_);
  ASSERT_OK(v2);
  const json& exception = v2->resource["provision"]["provision"][0];
  EXPECT_EQ(exception["type"], "deny");
  EXPECT_EQ(exception["actor"][0]["reference"]["reference"], "Practitioner/b");
  EXPECT_EQ(Effects({v1, *v2}), (std::vector<Effect>{Effect::kPermit, Effect::kDeny}));
  // Withdrawing B again: nothing permits B any more.
  EXPECT_CODE(Withdraw(patient_, *v2, ActorWithdrawal("Practitioner/b", true), clock_),
              ErrorCode::kInvalidArgument);
}

TEST_F(WithdrawTest, APermitByThePolicyRuleIsWithdrawnWhole) {
  // HL7's notThem shape: policyRule OPTIN (a base permit) and a root without
  // a type naming Practitioner/a, an exception to the base (decision 1).
  json c = R4Consent("c1", {"Practitioner/a"}, "TREAT");
  c["provision"].erase("type");
  c["policyRule"] = {
      {"coding", {{{"system", std::string(fhir::kActCodeSystem)}, {"code", "OPTIN"}}}}};
  const SignedConsent v1 = SignFixture(patient_, c);
  ASSERT_EQ(Effects({v1}), (std::vector<Effect>{Effect::kDeny, Effect::kPermit}));
  // A is denied by the root: nothing permits A.
  EXPECT_CODE(Withdraw(patient_, v1, ActorWithdrawal("Practitioner/a", true), clock_),
              ErrorCode::kInvalidArgument);
  // B is permitted by the base, which no provision holds: withdraw it whole.
  EXPECT_CODE(Withdraw(patient_, v1, ActorWithdrawal("Practitioner/b", true), clock_),
              ErrorCode::kInvalidArgument);
  auto v2 = Withdraw(patient_, v1, Withdrawal{}, clock_);
  ASSERT_OK(v2);
  EXPECT_EQ(Effects({*v2}), (std::vector<Effect>{Effect::kDeny, Effect::kDeny}));
}

TEST_F(WithdrawTest, Errors) {
  const SignedConsent v1 = SignFixture(patient_, R4Consent("c1", {"Practitioner/a"}, "TREAT"));
  // Not the patient's consent.
  EXPECT_CODE(Withdraw(a_, v1, Withdrawal{}, clock_), ErrorCode::kSenderMismatch);
  SignedConsent tampered = v1;
  tampered.signature[0] ^= 1;
  EXPECT_CODE(Withdraw(patient_, tampered, Withdrawal{}, clock_), ErrorCode::kSignatureInvalid);
  // Nobody by that name is permitted; no reference at all; unknown scope.
  EXPECT_CODE(Withdraw(patient_, v1, ActorWithdrawal("Practitioner/zz"), clock_),
              ErrorCode::kInvalidArgument);
  Withdrawal no_ref;
  no_ref.scope = WithdrawScope::kActor;
  EXPECT_CODE(Withdraw(patient_, v1, no_ref, clock_), ErrorCode::kInvalidArgument);
  Withdrawal unknown;
  unknown.scope = static_cast<WithdrawScope>(7);
  EXPECT_CODE(Withdraw(patient_, v1, unknown, clock_), ErrorCode::kInvalidArgument);
  // A versionId that is no number.
  json bad = R4Consent("c1", {"Practitioner/a"}, "TREAT");
  bad["meta"] = {{"versionId", "v1"}};
  EXPECT_CODE(Withdraw(patient_, SignFixture(patient_, bad), Withdrawal{}, clock_),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(ResourceVersion(json{{"meta", 1}}), ErrorCode::kInvalidArgument);
  auto absent = ResourceVersion(json::object());
  ASSERT_OK(absent);
  EXPECT_EQ(*absent, 1);
}

// R5 (top-level provisions are the negation of Consent.decision,
// consent.md open point 2): a grantee named in a permitting top-level
// provision (decision deny) is removed there and from Consent.grantee; a
// decision permit open to anyone gets a top-level provision naming the
// grantee, which R5 reads as a deny.
TEST_F(WithdrawTest, R5GranteeAndOpenDecision) {
  const json period = {{"start", "2026-01-01"}, {"end", "2027-12-31"}};
  json named = {
      {"resourceType", "Consent"},
      {"id", "r5"},
      {"status", "active"},
      {"decision", "deny"},
      {"subject", {{"reference", "Patient/p1"}}},
      {"period", period},
      {"grantee", {{{"reference", "Practitioner/a"}}, {{"reference", "Practitioner/b"}}}},
      {"provision",
       {{{"actor", {testing::ActorEntry("Practitioner/a"), testing::ActorEntry("Practitioner/b")}},
         {"purpose", {testing::Purpose("TREAT")}}}}}};
  FixedClock at(testing::kShareNow - 1000);
  auto v1 = SignConsent(patient_, named, fhir::FhirVersion::kR5, at);
  ASSERT_OK(v1);
  auto v2 = Withdraw(patient_, *v1, ActorWithdrawal("Practitioner/b"), clock_);
  ASSERT_OK(v2);
  EXPECT_EQ(v2->resource["provision"][0]["actor"].size(), 1u);
  EXPECT_EQ(v2->resource["grantee"].size(), 1u);
  EXPECT_EQ(v2->resource["meta"]["versionId"], "2");
  EXPECT_EQ(Effects({*v1}), (std::vector<Effect>{Effect::kPermit, Effect::kPermit}));
  EXPECT_EQ(Effects({*v1, *v2}), (std::vector<Effect>{Effect::kPermit, Effect::kDeny}));

  json open = named;
  open["decision"] = "permit";
  open.erase("provision");
  open.erase("grantee");
  auto o1 = SignConsent(patient_, open, fhir::FhirVersion::kR5, at);
  ASSERT_OK(o1);
  auto o2 = Withdraw(patient_, *o1, ActorWithdrawal("Practitioner/b"), clock_);
  ASSERT_OK(o2);
  ASSERT_EQ(o2->resource["provision"].size(), 1u);
  EXPECT_FALSE(o2->resource["provision"][0].contains("type"));
  EXPECT_EQ(o2->resource["provision"][0]["actor"][0]["reference"]["reference"], "Practitioner/b");
  auto model = o2->Model();
  ASSERT_OK(model);
  ASSERT_EQ(model->consent.provision->provision.size(), 1u);
  EXPECT_EQ(model->consent.provision->provision[0].type, fhir::ProvisionType::kDeny);
  EXPECT_EQ(Effects({*o1, *o2}), (std::vector<Effect>{Effect::kPermit, Effect::kDeny}));
}

}  // namespace
}  // namespace medseal::consent
