// SPDX-License-Identifier: Apache-2.0
// native-tests/vectors/consent/share_v1.json (shared with the Node suite,
// wasm/package/test/share.test.js): every share, withdrawal and reseal case
// replayed through the JSON forms with the recorded RNG seed and clock,
// byte for byte, and every sealed record opened by exactly its recipients.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/codec/base64url.h"
#include "core/consent/share.h"
#include "core/consent/withdraw.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using nlohmann::json;
using testing::HexOrDie;
using testing::LoadVectorJson;

struct People {
  std::map<std::string, std::unique_ptr<Identity>> by_name;
  std::vector<const PublicCard*> cards;  // a, b, c
};

People LoadPeople(const json& file) {
  People p;
  for (const auto& [key, v] : file["identities"].items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>());
    EXPECT_TRUE(id.ok()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
    p.by_name[key] = std::make_unique<Identity>(std::move(id).value());
  }
  for (const char* k : {"a", "b", "c"}) p.cards.push_back(&p.by_name.at(k)->card());
  return p;
}

// Every record of a share result opens for its recipients, for the purpose
// of the request, and for nobody else of `people`.
void CheckRecipients(const json& result, const People& people, const RecordPurpose& purpose) {
  const PublicCard& sender = people.by_name.at("patient")->card();
  for (const json& r : result["resources"]) {
    if (r["record"].is_null()) continue;
    auto record = ParseRecordJson(r["record"].get<std::string>());
    ASSERT_OK(record);
    std::set<std::string> recipients;
    for (const json& k : r["recipients"]) recipients.insert(k.get<std::string>());
    for (const auto& [name, id] : people.by_name) {
      auto opened = OpenRecord(*record, *id, sender, purpose);
      if (recipients.count(Base64UrlEncode(id->key_id())) != 0) {
        EXPECT_TRUE(opened.ok()) << name << ": " << opened.status().ToString();
      } else {
        EXPECT_CODE(opened, ErrorCode::kNoMatchingRecipient);
      }
    }
    // The header binds the consent hashes the result lists.
    std::vector<std::string> bound;
    for (const Bytes& h : record->consent_hashes) bound.push_back(Base64UrlEncode(h));
    EXPECT_EQ(json(bound), r["consentHashes"]);
  }
}

TEST(ShareVectors, EveryShareCase) {
  const json file = LoadVectorJson("consent/share_v1.json");
  People people = LoadPeople(file);
  ASSERT_EQ(file["shareTests"].size(), file["numberOfShareTests"].get<size_t>());
  const Identity& patient = *people.by_name.at(file["sender"]);
  int withheld = 0;
  for (const json& t : file["shareTests"]) {
    SCOPED_TRACE(t["comment"].get<std::string>());
    ChaChaRng rng(HexOrDie(t["rngSeed"]));
    FixedClock clock(t["now"].get<int64_t>());
    auto out = ShareFromJson(patient, t["resource"].get<std::string>(),
                             t["request"].get<std::string>(), people.cards, nullptr, rng, clock);
    if (t.contains("error")) {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(ErrorCodeName(out.status().code()), t["error"].get<std::string>());
      continue;
    }
    ASSERT_OK(out);
    EXPECT_EQ(*out, t["result"].get<std::string>());
    const json result = json::parse(*out);
    const json request = json::parse(t["request"].get<std::string>());
    CheckRecipients(result, people,
                    RecordPurpose{request["purpose"]["system"], request["purpose"]["code"]});
    withheld += static_cast<int>(result["withheld"].size());
  }
  EXPECT_GT(withheld, 0) << "no vector withholds a resource";
}

TEST(ShareVectors, EveryWithdrawalCase) {
  const json file = LoadVectorJson("consent/share_v1.json");
  People people = LoadPeople(file);
  ASSERT_EQ(file["withdrawalTests"].size(), file["numberOfWithdrawalTests"].get<size_t>());
  const Identity& patient = *people.by_name.at(file["sender"]);
  for (const json& t : file["withdrawalTests"]) {
    SCOPED_TRACE(t["comment"].get<std::string>());
    FixedClock clock(t["now"].get<int64_t>());
    auto out = WithdrawFromJson(patient, t["receipt"].get<std::string>(),
                                t["withdrawal"].get<std::string>(), clock);
    if (t.contains("error")) {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(ErrorCodeName(out.status().code()), t["error"].get<std::string>());
      continue;
    }
    ASSERT_OK(out);
    EXPECT_EQ(*out, t["result"].get<std::string>());
    auto receipt = ParseReceipt(*out);
    ASSERT_OK(receipt);
    EXPECT_OK(VerifyReceipt(*receipt, patient.card()));
  }
}

TEST(ShareVectors, ResealAfterWithdrawal) {
  const json file = LoadVectorJson("consent/share_v1.json");
  People people = LoadPeople(file);
  const json& t = file["reseal"];
  const Identity& patient = *people.by_name.at(file["sender"]);
  ChaChaRng rng(HexOrDie(t["rngSeed"]));
  FixedClock clock(t["now"].get<int64_t>());
  const ResealOpener opener{nullptr, people.by_name.at(t["opener"]).get()};
  auto out = ResealFromJson(patient, t["records"].get<std::string>(),
                            people.by_name.at(t["originalSender"])->card(), opener,
                            t["request"].get<std::string>(), people.cards, nullptr, rng, clock);
  ASSERT_OK(out);
  EXPECT_EQ(*out, t["result"].get<std::string>());
  const json result = json::parse(*out);
  const RecordPurpose treat{std::string(fhir::kActReasonSystem), "TREAT"};
  const json& shared = result["results"][0]["resources"][0];
  auto fresh = ParseRecordJson(shared["record"].get<std::string>());
  ASSERT_OK(fresh);
  const PublicCard& sender = patient.card();
  // Negative control first: the withdrawn grantee opened the old version.
  const json records = json::parse(t["records"].get<std::string>());
  auto old = ParseRecordJson(records["records"][0].get<std::string>());
  ASSERT_OK(old);
  EXPECT_OK(OpenRecord(*old, *people.by_name.at(t["cannotOpen"]), sender, treat));
  EXPECT_CODE(OpenRecord(*fresh, *people.by_name.at(t["cannotOpen"]), sender, treat),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(OpenRecord(*fresh, *people.by_name.at(t["canOpen"]), sender, treat));
  CheckRecipients(result["results"][0], people, treat);
}

}  // namespace
}  // namespace medseal::consent
