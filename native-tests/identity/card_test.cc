// SPDX-License-Identifier: Apache-2.0
// Public cards (core/identity/card.h): the generated card vectors (shared
// with the Node suite) and the name and role rules.
#include "core/identity/card.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/codec/base64url.h"
#include "core/identity/identity.h"
#include "core/identity/internal/card_internal.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

TEST(CardVectors, EveryCase) {
  auto file = testing::LoadVectorJson("identity/card_v1.json");
  ASSERT_EQ(file["tests"].size(), file["numberOfTests"].get<size_t>());
  for (const auto& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto card = PublicCard::ParseJson(t["card"].get<std::string>());
    if (t["result"] == "valid") {
      ASSERT_OK(card);
      EXPECT_EQ(card->ToJson(), t["card"].get<std::string>());
    } else {
      ASSERT_FALSE(card.ok());
      EXPECT_EQ(ErrorCodeName(card.status().code()), t["error"].get<std::string>())
          << card.status().ToString();
    }
  }
}

TEST(Card, NameAndRoleRules) {
  EXPECT_OK(CheckCardName(""));
  EXPECT_OK(CheckCardName(std::string(kMaxCardNameBytes, 'a')));
  EXPECT_OK(CheckCardName("Zhang Wei \xe5\xbc\xa0\xe4\xbc\x9f"));
  EXPECT_CODE(CheckCardName(std::string(kMaxCardNameBytes + 1, 'a')), ErrorCode::kTooLarge);
  // Length before character set: an over-long name of bad bytes is TOO_LARGE.
  EXPECT_CODE(CheckCardName(std::string(kMaxCardNameBytes + 1, '\xff')), ErrorCode::kTooLarge);
  EXPECT_CODE(CheckCardName("\xff"), ErrorCode::kMalformed);
  EXPECT_CODE(CheckCardName("a\tb"), ErrorCode::kMalformed);
  EXPECT_OK(CheckCardRole("care-team-2"));
  EXPECT_OK(CheckCardRole(std::string(kMaxCardRoleBytes, 'r')));
  EXPECT_CODE(CheckCardRole(""), ErrorCode::kMalformed);
  EXPECT_CODE(CheckCardRole(std::string(kMaxCardRoleBytes + 1, 'r')), ErrorCode::kTooLarge);
  EXPECT_CODE(CheckCardRole(std::string(kMaxCardRoleBytes + 1, 'R')), ErrorCode::kTooLarge);
  EXPECT_CODE(CheckCardRole("Dr"), ErrorCode::kMalformed);
  EXPECT_CODE(CheckCardRole("a b"), ErrorCode::kMalformed);
}

Identity TestIdentity(UnixMillis created = 1700000000000) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 7)), "Test T", "patient", created);
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  MEDSEAL_CHECK(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

// Rule C27: a properly self-signed card whose X25519 key has small order is
// refused when parsed (every record sealed to it could be opened by
// anyone), for every small-order key of the Wycheproof X25519 file; the
// same card with the identity's own key parses.
TEST(Card, SmallOrderKeyAgreementKeyIsWeak) {
  const Identity id = TestIdentity();
  const PublicCard genuine = internal::SelfSignedCardWithKxForTesting(id,
                                                                      id.card().kx_public_key());
  EXPECT_EQ(genuine.ToJson(), id.card().ToJson());
  EXPECT_OK(PublicCard::ParseJson(genuine.ToJson()));

  auto file = testing::LoadVectorJson("external/wycheproof/x25519_test.json");
  std::set<Bytes> weak_keys;
  for (const auto& group : file["testGroups"]) {
    for (const auto& t : group["tests"]) {
      if (testing::HasFlag(t, "ZeroSharedSecret")) weak_keys.insert(testing::Hex(t, "public"));
    }
  }
  ASSERT_GE(weak_keys.size(), 12u);
  for (const Bytes& kx : weak_keys) {
    SCOPED_TRACE(HexEncode(kx));
    const std::string card = internal::SelfSignedCardWithKxForTesting(id, kx).ToJson();
    EXPECT_CODE(PublicCard::ParseJson(card), ErrorCode::kWeakKey);
    // Checked last: a card that also breaks an earlier rule gets that code.
    const std::string created = std::to_string(id.card().created());
    EXPECT_CODE(
        PublicCard::ParseJson(Replace(card, created, std::to_string(id.card().created() + 1))),
        ErrorCode::kSignatureInvalid);
    const std::string kid = Base64UrlEncode(DeriveKeyId(id.card().sign_public_key(), kx));
    EXPECT_CODE(PublicCard::ParseJson(Replace(card, kid, Base64UrlEncode(id.key_id()))),
                ErrorCode::kKeyIdMismatch);
  }
}

// Rule C21: created is an integer in 0..2^53 - 1.
TEST(Card, CreationTimeRange) {
  const Identity latest = TestIdentity(kMaxUnixMillis);
  EXPECT_OK(PublicCard::ParseJson(latest.card().ToJson()));
  EXPECT_EQ(PublicCard::ParseJson(latest.card().ToJson())->created(), kMaxUnixMillis);
  const std::string card = TestIdentity().card().ToJson();
  for (const char* bad : {"9007199254740992", "9223372036854775807", "-1", "-0", "1.7e12",
                          "1700000000000.0", "\"1700000000000\"", "null"}) {
    EXPECT_CODE(PublicCard::ParseJson(Replace(card, "1700000000000", bad)), ErrorCode::kMalformed)
        << bad;
  }
}

// Limits G1 and C15 at their boundary (the vectors hold only canonical
// valid cards, so whitespace padding to exactly 4096 bytes is tested here).
TEST(Card, SizeLimits) {
  const std::string card = TestIdentity().card().ToJson();
  ASSERT_LT(card.size(), kMaxCardJsonBytes);
  EXPECT_OK(PublicCard::ParseJson(card + std::string(kMaxCardJsonBytes - card.size(), ' ')));
  EXPECT_CODE(PublicCard::ParseJson(card + std::string(kMaxCardJsonBytes + 1 - card.size(), ' ')),
              ErrorCode::kTooLarge);
}

// G4 for raw bytes: a JSON text that is not UTF-8 is MALFORMED before any
// member rule, so a name of invalid bytes is MALFORMED even when it is over
// 128 bytes (the vector files, being JSON, cannot hold such a text).
TEST(Card, InvalidUtf8InputIsMalformed) {
  const std::string card = TestIdentity().card().ToJson();
  EXPECT_CODE(PublicCard::ParseJson(Replace(card, "Test T", "Test \xff")), ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(card, "Test T", std::string(200, '\xff'))),
              ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(card, "Test T", std::string(200, 'x'))),
              ErrorCode::kTooLarge);
}

TEST(Card, KeyIdIsTheDerivedFingerprint) {
  const Bytes sign(32, 1), kx(32, 2);
  EXPECT_EQ(DeriveKeyId(sign, kx).size(), kKeyIdSize);
  EXPECT_EQ(DeriveKeyId(sign, kx), DeriveKeyId(sign, kx));
  EXPECT_NE(DeriveKeyId(sign, kx), DeriveKeyId(kx, sign));
}

}  // namespace
}  // namespace medseal
