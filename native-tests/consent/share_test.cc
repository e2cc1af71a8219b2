// SPDX-License-Identifier: Apache-2.0
// Consent-gated sharing: the request Share builds per resource, who gets
// which resource, what is withheld, the purpose and deciding consents bound
// into the records, the vault self-copies, consent versions, Reseal, and
// bad input with its codes.
#include "core/consent/share.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/json.h"
#include "core/consent/withdraw.h"
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
using testing::TreatRecordPurpose;

class ShareTest : public ::testing::Test {
 protected:
  ShareTest()
      : patient_(FixtureIdentity(1, "Pat", "patient")),
        a_(FixtureIdentity(40, "Dr A", "doctor")),
        b_(FixtureIdentity(80, "Dr B", "doctor")),
        c_(FixtureIdentity(120, "Researcher C", "researcher")),
        rng_(Bytes(32, 9)),
        clock_(testing::kShareNow) {
    candidates_ = {ShareCandidate{&a_.card(), ActorFor(a_, "Practitioner/a")},
                   ShareCandidate{&b_.card(), ActorFor(b_, "Practitioner/b")},
                   ShareCandidate{&c_.card(), ActorFor(c_, "Practitioner/c")}};
    options_.purpose = TreatPurpose();
  }

  Result<ShareResult> ShareBundle(const std::vector<SignedConsent>& consents) {
    return Share(patient_, FixtureBundle().dump(), consents, candidates_, options_, rng_, clock_);
  }

  Identity patient_, a_, b_, c_;
  ChaChaRng rng_;
  FixedClock clock_;
  std::vector<ShareCandidate> candidates_;
  ShareOptions options_;
};

TEST_F(ShareTest, BuildAccessRequestNamesTypeCodesLabelsAndDataPeriod) {
  const json obs = FixtureBundle()["entry"][0]["resource"];
  auto labels = fhir::Labeler::Shipped().Label(obs);
  ASSERT_OK(labels);
  auto request = BuildAccessRequest(obs, *labels, ActorFor(a_, "Practitioner/a"),
                                    ShareOptions{}.action, TreatPurpose());
  ASSERT_OK(request);
  EXPECT_EQ(request->resource_type, "Observation");
  ASSERT_EQ(request->klass.size(), 1u);
  EXPECT_EQ(request->klass[0].system, fhir::kResourceTypesSystem);
  EXPECT_EQ(request->klass[0].code, "Observation");
  ASSERT_EQ(request->codes.size(), 1u);
  EXPECT_EQ(request->codes[0].code, "2339-0");
  EXPECT_EQ(request->action.code, "access");
  ASSERT_TRUE(request->data_period.has_value());
  ASSERT_TRUE(request->data_period->start.has_value());
  EXPECT_EQ(request->data_period->start->text, "2026-03-04T10:00:00Z");
  EXPECT_EQ(request->data_period->end->text, "2026-03-04T10:00:00Z");
  ASSERT_EQ(request->data.size(), 1u);
  EXPECT_EQ(request->data[0].reference, "Observation/obs-glucose");
  // The confidentiality code is one of the request's labels.
  bool has_confidentiality = false;
  for (const fhir::Coding& l : request->security_labels) {
    has_confidentiality |= l.system == fhir::kConfidentialitySystem;
  }
  EXPECT_TRUE(has_confidentiality);

  const json cond = FixtureBundle()["entry"][1]["resource"];
  auto cond_labels = fhir::Labeler::Shipped().Label(cond);
  ASSERT_OK(cond_labels);
  auto cond_request = BuildAccessRequest(cond, *cond_labels, ActorFor(a_, "Practitioner/a"),
                                         ShareOptions{}.action, TreatPurpose());
  ASSERT_OK(cond_request);
  bool has_psy = false;
  for (const fhir::Coding& l : cond_request->security_labels) has_psy |= l.code == "PSY";
  EXPECT_TRUE(has_psy);
  EXPECT_EQ(cond_request->data_period->start->text, "2025-11-02");

  // A Period element wins over a date; a bad date is kMalformed.
  json p = obs;
  p["effectivePeriod"] = {{"start", "2026-01-01"}};
  auto with_period = BuildAccessRequest(p, *labels, ActorFor(a_, "Practitioner/a"),
                                        ShareOptions{}.action, TreatPurpose());
  ASSERT_OK(with_period);
  EXPECT_EQ(with_period->data_period->start->text, "2026-01-01");
  EXPECT_FALSE(with_period->data_period->end.has_value());
  json bad = obs;
  bad["effectiveDateTime"] = "2026-13-01";
  EXPECT_CODE(BuildAccessRequest(bad, *labels, ActorFor(a_, "Practitioner/a"),
                                 ShareOptions{}.action, TreatPurpose()),
              ErrorCode::kMalformed);
  json bad_code = obs;
  bad_code["code"] = "2339-0";
  EXPECT_CODE(BuildAccessRequest(bad_code, *labels, ActorFor(a_, "Practitioner/a"),
                                 ShareOptions{}.action, TreatPurpose()),
              ErrorCode::kMalformed);
}

TEST_F(ShareTest, SealsEachResourceOnlyToThePermittedAndWithholdsTheRest) {
  const SignedConsent treat = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  auto result = ShareBundle({treat});
  ASSERT_OK(result);
  ASSERT_EQ(result->resources.size(), 2u);
  const SharedResource& obs = result->resources[0];
  EXPECT_EQ(obs.resource_type, "Observation");
  EXPECT_EQ(obs.resource_id, "obs-glucose");
  ASSERT_EQ(obs.decisions.size(), 3u);
  EXPECT_EQ(obs.decisions[0].decision.effect, Effect::kPermit);
  EXPECT_EQ(obs.decisions[0].decision.reason.consent_id, "c1");
  EXPECT_EQ(obs.decisions[1].decision.effect, Effect::kPermit);
  EXPECT_EQ(obs.decisions[2].decision.effect, Effect::kDeny);
  ASSERT_TRUE(obs.record.has_value());
  auto hash = ConsentHash(treat);
  ASSERT_OK(hash);
  EXPECT_EQ(obs.consent_hashes, std::vector<Bytes>{*hash});
  EXPECT_EQ(obs.recipients.size(), 2u);

  // A and B open it for treatment; C is no recipient; another purpose is
  // not the one bound.
  auto opened = OpenRecord(*obs.record, a_, patient_.card(), TreatRecordPurpose());
  ASSERT_OK(opened);
  EXPECT_EQ(opened->record_id(), "obs-glucose");
  EXPECT_EQ(opened->resource_type(), "Observation");
  EXPECT_EQ(opened->content_type(), kFhirJsonContentType);
  auto body = ParseJsonObject(AsText(opened->body()), fhir::kMaxResourceJsonBytes);
  ASSERT_OK(body);
  EXPECT_EQ(*body, FixtureBundle()["entry"][0]["resource"]);
  EXPECT_OK(OpenRecord(*obs.record, b_, patient_.card(), TreatRecordPurpose()));
  EXPECT_CODE(OpenRecord(*obs.record, c_, patient_.card(), TreatRecordPurpose()),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenRecord(*obs.record, a_, patient_.card(),
                         RecordPurpose{std::string(fhir::kActReasonSystem), "HRESCH"}),
              ErrorCode::kPurposeMismatch);

  // The PSY condition: a general treatment consent does not open it, so
  // nobody may see it: not sealed, reported.
  const SharedResource& cond = result->resources[1];
  EXPECT_FALSE(cond.record.has_value());
  for (const CandidateDecision& d : cond.decisions) EXPECT_EQ(d.decision.effect, Effect::kDeny);
  EXPECT_EQ(result->withheld, std::vector<size_t>{1});
}

TEST_F(ShareTest, AConsentNamingTheCategoryOpensItAndIsBound) {
  const SignedConsent treat = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  const SignedConsent psy = SignFixture(patient_,
                                        R4Consent("c2", {"Practitioner/a"}, "TREAT", {"PSY"}));
  auto result = ShareBundle({treat, psy});
  ASSERT_OK(result);
  const SharedResource& cond = result->resources[1];
  ASSERT_TRUE(cond.record.has_value());
  EXPECT_TRUE(result->withheld.empty());
  EXPECT_EQ(cond.decisions[0].decision.effect, Effect::kPermit);
  EXPECT_EQ(cond.decisions[0].decision.reason.consent_id, "c2");
  EXPECT_EQ(cond.decisions[1].decision.effect, Effect::kDeny);
  auto psy_hash = ConsentHash(psy);
  ASSERT_OK(psy_hash);
  EXPECT_EQ(cond.consent_hashes, std::vector<Bytes>{*psy_hash});
  EXPECT_EQ(cond.recipients, std::vector<Bytes>{a_.key_id()});
  EXPECT_OK(OpenRecord(*cond.record, a_, patient_.card(), TreatRecordPurpose()));
  EXPECT_CODE(OpenRecord(*cond.record, b_, patient_.card(), TreatRecordPurpose()),
              ErrorCode::kNoMatchingRecipient);
}

TEST_F(ShareTest, VaultSelfCopiesAreFiledUnderTheLabelsAndErasable) {
  const SignedConsent treat = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  const SignedConsent psy = SignFixture(patient_,
                                        R4Consent("c2", {"Practitioner/a"}, "TREAT", {"PSY"}));
  Vault vault;
  options_.vault = &vault;
  auto result = ShareBundle({treat, psy});
  ASSERT_OK(result);
  const SharedResource& cond = result->resources[1];
  ASSERT_TRUE(cond.record.has_value());
  EXPECT_FALSE(cond.vault_key_id.empty());
  EXPECT_OK(vault.Open(*cond.record, patient_.card(), TreatRecordPurpose()));
  const auto entries = vault.Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].record_id, "cond-psy");
  EXPECT_TRUE(std::find(entries[0].categories.begin(), entries[0].categories.end(), "PSY") !=
              entries[0].categories.end());
  EXPECT_EQ(entries[0].recipients, std::vector<Bytes>{a_.key_id()});

  auto receipt = vault.Erase(patient_, ErasureSelector{{}, {"PSY"}}, clock_);
  ASSERT_OK(receipt);
  ASSERT_EQ(receipt->erased.size(), 1u);
  EXPECT_EQ(receipt->erased[0].record_id, "cond-psy");
  ASSERT_EQ(receipt->notify.size(), 1u);
  EXPECT_EQ(receipt->notify[0].recipient_key_id, a_.key_id());
  EXPECT_CODE(vault.Open(*cond.record, patient_.card(), TreatRecordPurpose()),
              ErrorCode::kKeyErased);
  // The glucose result stays readable for the patient.
  EXPECT_OK(vault.Open(*result->resources[0].record, patient_.card(), TreatRecordPurpose()));
  // Erasure shreds the patient's own copy, not the copy already sent to A.
  EXPECT_OK(OpenRecord(*cond.record, a_, patient_.card(), TreatRecordPurpose()));
}

TEST_F(ShareTest, OnlyTheLatestVersionOfAConsentCounts) {
  json v1 = R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT");
  json v2 = R4Consent("c1", {"Practitioner/a"}, "TREAT");
  v2["meta"] = {{"versionId", "2"}};
  const SignedConsent s1 = SignFixture(patient_, v1);
  const SignedConsent s2 = SignFixture(patient_, v2);
  auto current = CurrentConsents(std::vector<SignedConsent>{s2, s1}, patient_.card());
  ASSERT_OK(current);
  EXPECT_EQ(*current, std::vector<size_t>{0});
  auto result = ShareBundle({s1, s2});
  ASSERT_OK(result);
  EXPECT_EQ(result->resources[0].decisions[1].decision.effect, Effect::kDeny);

  json conflict = R4Consent("c1", {"Practitioner/c"}, "TREAT");
  conflict["meta"] = {{"versionId", "2"}};
  EXPECT_CODE(CurrentConsents(std::vector<SignedConsent>{s2, SignFixture(patient_, conflict)},
                              patient_.card()),
              ErrorCode::kInvalidArgument);
  for (const char* bad : {"01", "0", "x", "9007199254740992"}) {
    json b = v1;
    b["meta"] = {{"versionId", bad}};
    EXPECT_CODE(
        CurrentConsents(std::vector<SignedConsent>{SignFixture(patient_, b)}, patient_.card()),
        ErrorCode::kInvalidArgument)
        << bad;
  }
  // A consent another key signed does not count: the call fails.
  const SignedConsent foreign = SignFixture(a_, v1);
  EXPECT_CODE(ShareBundle({foreign}), ErrorCode::kSenderMismatch);
}

TEST_F(ShareTest, ResealAfterWithdrawalExcludesTheWithdrawnGrantee) {
  const SignedConsent treat = SignFixture(
      patient_, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  Vault vault;
  options_.vault = &vault;
  auto first = ShareBundle({treat});
  ASSERT_OK(first);
  const SealedRecord old_obs = *first->resources[0].record;
  // Negative control: B could open the old version.
  ASSERT_OK(OpenRecord(old_obs, b_, patient_.card(), TreatRecordPurpose()));

  Withdrawal w;
  w.scope = WithdrawScope::kActor;
  fhir::Reference ref;
  ref.reference = "Practitioner/b";
  w.actor.reference = ref;
  auto withdrawn = Withdraw(patient_, treat, w, clock_);
  ASSERT_OK(withdrawn);

  const SealedRecord records[] = {old_obs};
  auto resealed = Reseal(patient_, records, patient_.card(), ResealOpener{&vault, nullptr},
                         std::vector<SignedConsent>{treat, *withdrawn}, candidates_, options_, rng_,
                         clock_);
  ASSERT_OK(resealed);
  ASSERT_EQ(resealed->size(), 1u);
  ASSERT_EQ((*resealed)[0].resources.size(), 1u);
  const SharedResource& again = (*resealed)[0].resources[0];
  ASSERT_TRUE(again.record.has_value());
  EXPECT_EQ(again.decisions[1].decision.effect, Effect::kDeny);
  EXPECT_CODE(OpenRecord(*again.record, b_, patient_.card(), TreatRecordPurpose()),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(OpenRecord(*again.record, a_, patient_.card(), TreatRecordPurpose()));
  // A new data key: the new ciphertext is not the old one.
  EXPECT_NE(again.record->ciphertext, old_obs.ciphertext);
  auto new_hash = ConsentHash(*withdrawn);
  ASSERT_OK(new_hash);
  EXPECT_EQ(again.consent_hashes, std::vector<Bytes>{*new_hash});
  // The vault remembers both versions and every recipient ever sealed to.
  const auto entries = vault.Entries();
  const auto obs_entry = std::find_if(entries.begin(), entries.end(), [](const VaultEntryInfo& e) {
    return e.record_id == "obs-glucose";
  });
  ASSERT_NE(obs_entry, entries.end());
  EXPECT_EQ(obs_entry->record_hashes.size(), 2u);
  EXPECT_EQ(obs_entry->recipients.size(), 2u);

  // Reseal as a recipient identity works the same way; errors first.
  auto as_a = Reseal(patient_, records, patient_.card(), ResealOpener{nullptr, &a_},
                     std::vector<SignedConsent>{*withdrawn}, candidates_, options_, rng_, clock_);
  ASSERT_OK(as_a);
  EXPECT_CODE(Reseal(patient_, records, patient_.card(), ResealOpener{nullptr, &c_},
                     std::vector<SignedConsent>{*withdrawn}, candidates_, options_, rng_, clock_),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(Reseal(patient_, records, patient_.card(), ResealOpener{},
                     std::vector<SignedConsent>{*withdrawn}, candidates_, options_, rng_, clock_),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Reseal(patient_, {}, patient_.card(), ResealOpener{&vault, nullptr},
                     std::vector<SignedConsent>{*withdrawn}, candidates_, options_, rng_, clock_),
              ErrorCode::kInvalidArgument);
}

TEST_F(ShareTest, BadInputHasStableCodes) {
  const std::vector<SignedConsent> consents = {
      SignFixture(patient_, R4Consent("c1", {"Practitioner/a"}, "TREAT"))};
  const std::string bundle = FixtureBundle().dump();
  auto run = [&](std::string_view input, std::span<const ShareCandidate> candidates,
                 const ShareOptions& options) {
    return Share(patient_, input, consents, candidates, options, rng_, clock_).status().code();
  };
  auto name = [](ErrorCode c) { return std::string(ErrorCodeName(c)); };
  EXPECT_EQ(name(run(bundle, {}, options_)), "INVALID_ARGUMENT");
  std::vector<ShareCandidate> null_card = {ShareCandidate{nullptr, {}}};
  EXPECT_EQ(name(run(bundle, null_card, options_)), "INVALID_ARGUMENT");
  std::vector<ShareCandidate> wrong_id = {
      ShareCandidate{&a_.card(), ActorFor(b_, "Practitioner/a")}};
  EXPECT_EQ(name(run(bundle, wrong_id, options_)), "INVALID_ARGUMENT");
  std::vector<ShareCandidate> twice = {candidates_[0], candidates_[0]};
  EXPECT_EQ(name(run(bundle, twice, options_)), "DUPLICATE_RECIPIENT");
  ShareOptions no_purpose;
  EXPECT_EQ(name(run(bundle, candidates_, no_purpose)), "INVALID_ARGUMENT");
  ShareOptions unknown_purpose = options_;
  unknown_purpose.purpose.code = "NOT-A-PURPOSE";
  EXPECT_EQ(name(run(bundle, candidates_, unknown_purpose)), "UNKNOWN_CODE");
  EXPECT_EQ(name(run("{", candidates_, options_)), "MALFORMED");
  EXPECT_EQ(name(run("[]", candidates_, options_)), "MALFORMED");
  EXPECT_EQ(name(run(R"({"id":"x"})", candidates_, options_)), "MALFORMED");
  EXPECT_EQ(
      name(run(R"({"resourceType":"Bundle","entry":[{"fullUrl":"x"}]})", candidates_, options_)),
      "MALFORMED");
  EXPECT_EQ(name(run(R"({"resourceType":"Bundle","entry":{}})", candidates_, options_)),
            "MALFORMED");
  EXPECT_EQ(name(run(R"({"resourceType":"Observation","id":"a b"})", candidates_, options_)),
            "MALFORMED");
  EXPECT_EQ(name(run(R"({"resourceType":"Observation","effectiveDateTime":"2026-13-01"})",
                     candidates_, options_)),
            "MALFORMED");
  std::vector<ShareCandidate> many;
  std::vector<Identity> ids;
  ids.reserve(65);
  for (int i = 0; i < 65; ++i) ids.push_back(FixtureIdentity(static_cast<uint8_t>(i), "x", "y"));
  for (const Identity& id : ids) many.push_back(ShareCandidate{&id.card(), {}});
  EXPECT_EQ(name(run(bundle, many, options_)), "INVALID_ARGUMENT");
  // The module stays usable: a good call after the bad ones.
  EXPECT_OK(Share(patient_, bundle, consents, candidates_, options_, rng_, clock_));
}

TEST_F(ShareTest, AResourceWithoutIdSharesButHasNoSelfCopy) {
  const std::vector<SignedConsent> consents = {
      SignFixture(patient_, R4Consent("c1", {"Practitioner/a"}, "TREAT"))};
  const std::string obs = R"({"resourceType":"Observation","status":"final"})";
  auto shared = Share(patient_, obs, consents, candidates_, options_, rng_, clock_);
  ASSERT_OK(shared);
  ASSERT_TRUE(shared->resources[0].record.has_value());
  Vault vault;
  options_.vault = &vault;
  EXPECT_CODE(Share(patient_, obs, consents, candidates_, options_, rng_, clock_),
              ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal::consent
