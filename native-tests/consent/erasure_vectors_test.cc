// SPDX-License-Identifier: Apache-2.0
// native-tests/vectors/consent/erasure_v1.json (shared with the Node suite,
// wasm/package/test/share.test.js): the erasure scenario replayed from the
// stored vault, every receipt case and every vault storage case.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/codec/hex.h"
#include "core/consent/vault.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using nlohmann::json;
using testing::HexOrDie;
using testing::LoadVectorJson;

std::map<std::string, std::unique_ptr<Identity>> Identities(const json& file) {
  std::map<std::string, std::unique_ptr<Identity>> out;
  for (const auto& [key, v] : file["identities"].items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>());
    EXPECT_TRUE(id.ok()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
    out[key] = std::make_unique<Identity>(std::move(id).value());
  }
  return out;
}

TEST(ErasureVectors, ScenarioReplaysByteForByte) {
  const json file = LoadVectorJson("consent/erasure_v1.json");
  auto ids = Identities(file);
  ASSERT_EQ(ids.size(), 3u);
  const json& s = file["scenario"];
  const PublicCard& sender = ids.at(s["sender"])->card();
  const RecordPurpose purpose{s["purpose"]["system"], s["purpose"]["code"]};
  auto vault = Vault::Parse(HexOrDie(s["vaultBefore"]));
  ASSERT_OK(vault);
  std::map<std::string, SealedRecord> records;
  for (const json& r : s["records"]) {
    auto record = ParseRecordJson(r["record"].get<std::string>());
    ASSERT_OK(record);
    EXPECT_EQ(HexEncode(SealedRecordHash(*record)), r["hash"]);
    auto opened = vault->Open(*record, sender, purpose);
    ASSERT_OK(opened);
    EXPECT_EQ(AsText(opened->body()), r["body"].get<std::string>());
    records.emplace(r["recordId"].get<std::string>(), std::move(record).value());
  }
  ErasureSelector selector{s["erase"]["records"].get<std::vector<std::string>>(),
                           s["erase"]["categories"].get<std::vector<std::string>>()};
  FixedClock clock(s["erasedAt"].get<int64_t>());
  auto receipt = vault->Erase(*ids.at("patient"), selector, clock);
  ASSERT_OK(receipt);
  auto text = receipt->ToJson();
  ASSERT_OK(text);
  EXPECT_EQ(*text, s["receipt"].get<std::string>());
  const SecretBytes after = vault->Serialize();
  EXPECT_EQ(HexEncode(RevealSecret(after)), s["vaultAfter"]);
  for (const auto& [id, expected] : s["afterErasure"].items()) {
    auto opened = vault->Open(records.at(id), sender, purpose);
    if (expected == "ok") {
      EXPECT_TRUE(opened.ok()) << id;
    } else {
      EXPECT_EQ(ErrorCodeName(opened.status().code()), expected.get<std::string>()) << id;
    }
  }
  // The stored vault after erasure says the same.
  auto restored = Vault::Parse(HexOrDie(s["vaultAfter"]));
  ASSERT_OK(restored);
  EXPECT_CODE(restored->Open(records.at("cond-psy"), sender, purpose), ErrorCode::kKeyErased);
  EXPECT_OK(restored->Open(records.at("obs-1"), sender, purpose));
}

TEST(ErasureVectors, EveryReceiptCase) {
  const json file = LoadVectorJson("consent/erasure_v1.json");
  auto ids = Identities(file);
  ASSERT_EQ(file["receiptTests"].size(), file["numberOfReceiptTests"].get<size_t>());
  std::set<std::string> errors;
  for (const json& t : file["receiptTests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto parsed = ParseErasureReceipt(t["receipt"].get<std::string>());
    Status status = parsed.ok() ? VerifyErasureReceipt(*parsed, ids.at(t["card"])->card())
                                : parsed.status();
    if (t["result"] == "valid") {
      EXPECT_OK(status);
      auto again = parsed->ToJson();
      ASSERT_OK(again);
      EXPECT_EQ(*again, t["receipt"].get<std::string>());
    } else {
      EXPECT_EQ(ErrorCodeName(status.code()), t["error"].get<std::string>()) << status.ToString();
      errors.insert(t["error"]);
    }
  }
  for (const char* code : {"MALFORMED", "UNSUPPORTED_VERSION", "NON_CANONICAL", "TOO_LARGE",
                           "SENDER_MISMATCH", "SIGNATURE_INVALID"}) {
    EXPECT_EQ(errors.count(code), 1u) << "no receipt vector for " << code;
  }
}

TEST(ErasureVectors, EveryVaultStorageCase) {
  const json file = LoadVectorJson("consent/erasure_v1.json");
  ASSERT_EQ(file["vaultTests"].size(), file["numberOfVaultTests"].get<size_t>());
  std::set<std::string> errors;
  for (const json& t : file["vaultTests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    const Bytes input = HexOrDie(t["vault"]);
    auto vault = Vault::Parse(input);
    if (t["result"] == "valid") {
      ASSERT_OK(vault);
      const SecretBytes again = vault->Serialize();
      EXPECT_TRUE(ConstantTimeEqual(RevealSecret(again), input));
    } else {
      ASSERT_FALSE(vault.ok());
      EXPECT_EQ(ErrorCodeName(vault.status().code()), t["error"].get<std::string>());
      errors.insert(t["error"]);
    }
  }
  for (const char* code : {"MALFORMED", "UNSUPPORTED_VERSION", "NON_CANONICAL", "TOO_LARGE",
                           "TRUNCATED", "TRAILING_DATA"}) {
    EXPECT_EQ(errors.count(code), 1u) << "no vault vector for " << code;
  }
}

}  // namespace
}  // namespace medseal::consent
