// SPDX-License-Identifier: Apache-2.0
// The erasure vault: key per record filed under categories, opening the
// patient's self-copies, crypto-shredding by record and by category, signed
// erasure receipts (parse rules, tamper sweep, verification), and the
// vault's storage format.
#include "core/consent/vault.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/json.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using testing::FixtureIdentity;
using testing::TreatRecordPurpose;

class VaultTest : public ::testing::Test {
 protected:
  VaultTest()
      : patient_(FixtureIdentity(1, "Pat", "patient")),
        doctor_(FixtureIdentity(40, "Dr A", "doctor")),
        rng_(Bytes(32, 7)),
        clock_(testing::kShareNow) {}

  // Seals a self-copy of `record_id` under the vault's key for it, and to
  // the doctor, and notes it in the vault.
  SealedRecord SealSelfCopy(const std::string& record_id,
                            const std::vector<std::string>& categories) {
    auto key = vault_.KeyForRecord(record_id, categories, rng_);
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    const std::string body = "{\"resourceType\":\"Observation\",\"id\":\"" + record_id + "\"}";
    const RecordPayload payload{"application/fhir+json", record_id, "Observation", AsBytes(body)};
    RecordContext context;
    context.purposes.push_back(TreatRecordPurpose());
    const PublicCard* cards[] = {&doctor_.card()};
    const VaultKey* keys[] = {*key};
    auto sealed = SealRecordV2(patient_, cards, keys, payload, context, rng_, clock_);
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    const Bytes recipients[] = {doctor_.key_id()};
    EXPECT_OK(vault_.NoteSealed(record_id, *sealed, recipients));
    return std::move(sealed).value();
  }

  Identity patient_;
  Identity doctor_;
  ChaChaRng rng_;
  FixedClock clock_;
  Vault vault_;
};

TEST_F(VaultTest, OneKeyPerRecordReusedAndCategoriesMerged) {
  const std::string psy[] = {"PSY"};
  const std::string sud[] = {"SUD", "PSY"};
  auto a = vault_.KeyForRecord("r1", psy, rng_);
  ASSERT_OK(a);
  auto again = vault_.KeyForRecord("r1", sud, rng_);
  ASSERT_OK(again);
  EXPECT_EQ(*a, *again);
  auto b = vault_.KeyForRecord("r2", {}, rng_);
  ASSERT_OK(b);
  EXPECT_NE((*a)->key_id(), (*b)->key_id());
  const auto entries = vault_.Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].record_id, "r1");
  EXPECT_EQ(entries[0].categories, (std::vector<std::string>{"PSY", "SUD"}));
  EXPECT_FALSE(entries[0].erased);
}

TEST_F(VaultTest, KeyForRecordRejectsBadArguments) {
  EXPECT_CODE(vault_.KeyForRecord("", {}, rng_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(vault_.KeyForRecord("has space", {}, rng_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(vault_.KeyForRecord(std::string(65, 'a'), {}, rng_), ErrorCode::kInvalidArgument);
  const std::string bad_cat[] = {""};
  EXPECT_CODE(vault_.KeyForRecord("r", bad_cat, rng_), ErrorCode::kInvalidArgument);
  std::vector<std::string> many;
  for (int i = 0; i < 17; ++i) many.push_back("C" + std::to_string(i));
  EXPECT_CODE(vault_.KeyForRecord("r", many, rng_), ErrorCode::kTooLarge);
  EXPECT_EQ(vault_.size(), 0u);
  SealedRecord unknown;
  EXPECT_CODE(vault_.NoteSealed("nope", unknown, {}), ErrorCode::kInvalidArgument);
}

TEST_F(VaultTest, EraseByRecordShredsTheKey) {
  const SealedRecord r1 = SealSelfCopy("r1", {"N"});
  const SealedRecord r2 = SealSelfCopy("r2", {"N"});
  // Negative control: before erasure the patient's copy opens.
  auto opened = vault_.Open(r1, patient_.card(), TreatRecordPurpose());
  ASSERT_OK(opened);
  EXPECT_EQ(opened->record_id(), "r1");
  auto key_id = vault_.FindForRecord(r1);
  ASSERT_OK(key_id);
  const Bytes r1_key_id = (*key_id)->key_id();

  auto receipt = vault_.Erase(patient_, ErasureSelector{{"r1"}, {}}, clock_);
  ASSERT_OK(receipt);
  EXPECT_CODE(vault_.Open(r1, patient_.card(), TreatRecordPurpose()), ErrorCode::kKeyErased);
  EXPECT_CODE(vault_.Find(r1_key_id), ErrorCode::kKeyErased);
  EXPECT_CODE(vault_.KeyForRecord("r1", {}, rng_), ErrorCode::kKeyErased);
  EXPECT_OK(vault_.Open(r2, patient_.card(), TreatRecordPurpose()));
  EXPECT_CODE(vault_.Find(Bytes(16, 0xEE)), ErrorCode::kNoMatchingRecipient);

  // The receipt: what, when, whom to ask.
  EXPECT_EQ(receipt->patient_key_id, patient_.key_id());
  EXPECT_EQ(receipt->erased_at, testing::kShareNow);
  ASSERT_EQ(receipt->erased.size(), 1u);
  EXPECT_EQ(receipt->erased[0].record_id, "r1");
  EXPECT_EQ(receipt->erased[0].key_id, r1_key_id);
  EXPECT_EQ(receipt->erased[0].record_hashes, std::vector<Bytes>{SealedRecordHash(r1)});
  ASSERT_EQ(receipt->notify.size(), 1u);
  EXPECT_EQ(receipt->notify[0].recipient_key_id, doctor_.key_id());
  EXPECT_EQ(receipt->notify[0].record_ids, std::vector<std::string>{"r1"});
  EXPECT_OK(VerifyErasureReceipt(*receipt, patient_.card()));
  EXPECT_CODE(VerifyErasureReceipt(*receipt, doctor_.card()), ErrorCode::kSenderMismatch);

  // Erasing again: already gone.
  EXPECT_CODE(vault_.Erase(patient_, ErasureSelector{{"r1"}, {}}, clock_), ErrorCode::kKeyErased);
}

TEST_F(VaultTest, EraseByCategoryTakesEveryRecordFiledUnderIt) {
  const SealedRecord a = SealSelfCopy("a", {"PSY", "R"});
  const SealedRecord b = SealSelfCopy("b", {"PSY", "SUD", "R"});
  const SealedRecord c = SealSelfCopy("c", {"N"});
  auto receipt = vault_.Erase(patient_, ErasureSelector{{}, {"SUD"}}, clock_);
  ASSERT_OK(receipt);
  ASSERT_EQ(receipt->erased.size(), 1u);
  EXPECT_EQ(receipt->erased[0].record_id, "b");
  EXPECT_EQ(receipt->requested.categories, std::vector<std::string>{"SUD"});
  // A record in two categories is gone with either.
  EXPECT_CODE(vault_.Open(b, patient_.card(), TreatRecordPurpose()), ErrorCode::kKeyErased);
  EXPECT_OK(vault_.Open(a, patient_.card(), TreatRecordPurpose()));
  auto psy = vault_.Erase(patient_, ErasureSelector{{}, {"PSY"}}, clock_);
  ASSERT_OK(psy);
  ASSERT_EQ(psy->erased.size(), 1u);  // b was already erased
  EXPECT_EQ(psy->erased[0].record_id, "a");
  EXPECT_CODE(vault_.Open(a, patient_.card(), TreatRecordPurpose()), ErrorCode::kKeyErased);
  EXPECT_OK(vault_.Open(c, patient_.card(), TreatRecordPurpose()));
}

TEST_F(VaultTest, EraseErrorsDestroyNothing) {
  const SealedRecord r1 = SealSelfCopy("r1", {"N"});
  EXPECT_CODE(vault_.Erase(patient_, ErasureSelector{}, clock_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(vault_.Erase(patient_, ErasureSelector{{"r1", "unknown"}, {}}, clock_),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(vault_.Erase(patient_, ErasureSelector{{}, {"HIV"}}, clock_),
              ErrorCode::kInvalidArgument);
  EXPECT_OK(vault_.Open(r1, patient_.card(), TreatRecordPurpose()));
}

TEST_F(VaultTest, ReceiptJsonRoundTripsAndEveryCharacterMatters) {
  SealSelfCopy("r1", {"N"});
  SealSelfCopy("r2", {"PSY"});
  auto receipt = vault_.Erase(patient_, ErasureSelector{{"r1"}, {"PSY"}}, clock_);
  ASSERT_OK(receipt);
  auto json = receipt->ToJson();
  ASSERT_OK(json);
  auto parsed = ParseErasureReceipt(*json);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->erased, receipt->erased);
  EXPECT_EQ(parsed->notify, receipt->notify);
  EXPECT_EQ(parsed->requested.record_ids, receipt->requested.record_ids);
  EXPECT_EQ(parsed->signature, receipt->signature);
  EXPECT_OK(VerifyErasureReceipt(*parsed, patient_.card()));
  auto again = parsed->ToJson();
  ASSERT_OK(again);
  EXPECT_EQ(*again, *json);
  // Tamper sweep: every single-character change is rejected, by the parser
  // or by the signature.
  for (size_t i = 0; i < json->size(); ++i) {
    std::string t = *json;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    auto p = ParseErasureReceipt(t);
    if (p.ok()) {
      EXPECT_FALSE(VerifyErasureReceipt(*p, patient_.card()).ok()) << "position " << i;
    }
  }
}

// Each parse rule with its code, applied to a valid receipt's JSON.
TEST_F(VaultTest, ReceiptParseRules) {
  SealSelfCopy("r1", {"N"});
  SealSelfCopy("r2", {"N"});
  auto receipt = vault_.Erase(patient_, ErasureSelector{{"r1", "r2"}, {}}, clock_);
  ASSERT_OK(receipt);
  auto text = receipt->ToJson();
  ASSERT_OK(text);
  auto base = ParseJsonObject(*text, kMaxErasureReceiptJsonBytes);
  ASSERT_OK(base);
  auto code_of = [](const Json& j) { return ParseErasureReceipt(j.dump()).status().code(); };
  struct Case {
    const char* what;
    void (*edit)(Json&);
    ErrorCode code;
  };
  const Case cases[] = {
      {"wrong type", [](Json& j) { j["type"] = "x"; }, ErrorCode::kMalformed},
      {"version 2", [](Json& j) { j["v"] = 2; }, ErrorCode::kUnsupportedVersion},
      {"extra member", [](Json& j) { j["extra"] = 1; }, ErrorCode::kMalformed},
      {"missing notify", [](Json& j) { j.erase("notify"); }, ErrorCode::kMalformed},
      {"short patient", [](Json& j) { j["patient"] = "AAAA"; }, ErrorCode::kMalformed},
      {"negative time", [](Json& j) { j["erased_at"] = -1; }, ErrorCode::kMalformed},
      {"time as string", [](Json& j) { j["erased_at"] = "1"; }, ErrorCode::kMalformed},
      {"nothing requested", [](Json& j) { j["requested"]["records"] = Json::array(); },
       ErrorCode::kMalformed},
      {"requested unsorted",
       [](Json& j) {
         j["requested"]["records"] = Json::array({"r2", "r1"});
       },
       ErrorCode::kNonCanonical},
      {"erased empty", [](Json& j) { j["erased"] = Json::array(); }, ErrorCode::kMalformed},
      {"erased unsorted", [](Json& j) { std::swap(j["erased"][0], j["erased"][1]); },
       ErrorCode::kNonCanonical},
      {"record id with space", [](Json& j) { j["erased"][0]["record"] = "a b"; },
       ErrorCode::kMalformed},
      {"hash too short", [](Json& j) { j["erased"][0]["hashes"][0] = "AAAA"; },
       ErrorCode::kMalformed},
      {"no hashes", [](Json& j) { j["erased"][0]["hashes"] = Json::array(); },
       ErrorCode::kMalformed},
      {"notify names a record not erased",
       [](Json& j) { j["notify"][0]["records"] = Json::array({"zz"}); }, ErrorCode::kMalformed},
      {"notify without records", [](Json& j) { j["notify"][0]["records"] = Json::array(); },
       ErrorCode::kMalformed},
      {"short signature", [](Json& j) { j["sig"] = "AAAA"; }, ErrorCode::kMalformed},
      {"padded base64 key",
       [](Json& j) { j["erased"][0]["key"] = j["erased"][0]["key"].get<std::string>() + "=="; },
       ErrorCode::kNonCanonical},
  };
  for (const Case& c : cases) {
    Json j = *base;
    c.edit(j);
    EXPECT_EQ(ErrorCodeName(code_of(j)), ErrorCodeName(c.code)) << c.what;
  }
  EXPECT_CODE(ParseErasureReceipt("[]"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseErasureReceipt(std::string(kMaxErasureReceiptJsonBytes + 1, ' ')),
              ErrorCode::kTooLarge);
}

TEST_F(VaultTest, StorageRoundTripKeepsKeysAndTombstones) {
  const SealedRecord r1 = SealSelfCopy("r1", {"N"});
  const SealedRecord r2 = SealSelfCopy("r2", {"PSY"});
  ASSERT_OK(vault_.Erase(patient_, ErasureSelector{{"r2"}, {}}, clock_));
  const SecretBytes stored = vault_.Serialize();
  auto restored = Vault::Parse(RevealSecret(stored));
  ASSERT_OK(restored);
  EXPECT_OK(restored->Open(r1, patient_.card(), TreatRecordPurpose()));
  EXPECT_CODE(restored->Open(r2, patient_.card(), TreatRecordPurpose()), ErrorCode::kKeyErased);
  const SecretBytes again = restored->Serialize();
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(again), RevealSecret(stored)));
  // The erased key's bytes are not in the storage.
  const auto entries = restored->Entries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_TRUE(entries[1].erased);
}

TEST_F(VaultTest, StorageParseRules) {
  SealSelfCopy("r1", {"N"});
  const SecretBytes stored = vault_.Serialize();
  const ByteView bytes = RevealSecret(stored);
  // Every truncation is rejected.
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(Vault::Parse(bytes.first(n)).ok()) << n;
  }
  Bytes trailing(bytes.begin(), bytes.end());
  trailing.push_back(0);
  EXPECT_CODE(Vault::Parse(trailing), ErrorCode::kTrailingData);
  Bytes v2(bytes.begin(), bytes.end());
  v2[9] = '2';  // "medseal/v2/vault"
  EXPECT_CODE(Vault::Parse(v2), ErrorCode::kUnsupportedVersion);
  Bytes other(bytes.begin(), bytes.end());
  other[0] = 'x';
  EXPECT_CODE(Vault::Parse(other), ErrorCode::kMalformed);
  // The state byte after the record id (u8 len 2, "r1") and the key id.
  Bytes state(bytes.begin(), bytes.end());
  const size_t state_at = 17 + 4 + 1 + 2 + 16;
  ASSERT_EQ(state[state_at], 1);
  state[state_at] = 2;
  EXPECT_CODE(Vault::Parse(state), ErrorCode::kMalformed);
  Bytes huge(bytes.begin(), bytes.begin() + 17);
  for (uint8_t b : {0xFF, 0xFF, 0xFF, 0xFF}) huge.push_back(b);
  EXPECT_CODE(Vault::Parse(huge), ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace medseal::consent
