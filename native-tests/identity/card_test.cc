// Public cards (core/identity/card.h): the generated card vectors (shared
// with the Node suite) and the name and role rules.
#include "core/identity/card.h"

#include <gtest/gtest.h>

#include "native-tests/support/test_util.h"

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

TEST(Card, KeyIdIsTheDerivedFingerprint) {
  const Bytes sign(32, 1), kx(32, 2);
  EXPECT_EQ(DeriveKeyId(sign, kx).size(), kKeyIdSize);
  EXPECT_EQ(DeriveKeyId(sign, kx), DeriveKeyId(sign, kx));
  EXPECT_NE(DeriveKeyId(sign, kx), DeriveKeyId(kx, sign));
}

}  // namespace
}  // namespace medseal
