// SPDX-License-Identifier: Apache-2.0
// Safety numbers and the safety QR (docs/spec/log.md §10): the vectors of
// log/safety_v1.json, and the properties the spec states.
#include "core/log/safety.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::tlog {
namespace {

using medseal::testing::CodeOf;
using testing::Hex;
using testing::Json;
using testing::LoadVectorJson;
using testing::Str;

Identity Make(uint8_t seed, const char* name, const char* role, CardKeys keys) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, role, 1700000000000,
                               keys);
  EXPECT_TRUE(id.ok());
  return std::move(id).value();
}

class SafetyVectors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    file_ = new Json(LoadVectorJson("log/safety_v1.json"));
    cards_ = new std::map<std::string, PublicCard>();
    for (const auto& [key, c] : (*file_)["cards"].items()) {
      auto card = PublicCard::ParseJson(Str(c, "card"));
      ASSERT_TRUE(card.ok()) << key;
      cards_->emplace(key, std::move(card).value());
    }
  }
  static void TearDownTestSuite() {
    delete file_;
    delete cards_;
  }
  static const PublicCard& Card(const std::string& key) { return cards_->at(key); }
  static Json* file_;
  static std::map<std::string, PublicCard>* cards_;
};
Json* SafetyVectors::file_ = nullptr;
std::map<std::string, PublicCard>* SafetyVectors::cards_ = nullptr;

TEST_F(SafetyVectors, Cards) {
  ASSERT_EQ((*file_)["iterations"].get<unsigned>(), kSafetyIterations);
  ASSERT_GE((*file_)["cards"].size(), 6u);
  for (const auto& [key, c] : (*file_)["cards"].items()) {
    const std::string mode = Str(c, "cardKeys");
    Identity id = Make(Hex(c, "seed").at(0), Str(c, "name").c_str(), Str(c, "role").c_str(),
                       mode == "classic" ? CardKeys::kClassic : CardKeys::kPostQuantum);
    EXPECT_EQ(id.card().ToJson(), Str(c, "card")) << key;
    const PublicCard& card = Card(key);
    EXPECT_EQ(HexEncode(card.key_id()), Str(c, "keyId")) << key;
    EXPECT_EQ(HexEncode(SafetyCardKeys(card)), Str(c, "safetyCardKeys")) << key;
    EXPECT_EQ(HexEncode(SafetyFingerprint(card)), Str(c, "fingerprint")) << key;
    EXPECT_EQ(SafetyDigits(card), Str(c, "digits")) << key;
  }
}

TEST_F(SafetyVectors, Pairs) {
  ASSERT_GE((*file_)["pairs"].size(), 5u);
  for (const Json& p : (*file_)["pairs"]) {
    const PublicCard& a = Card(Str(p, "a"));
    const PublicCard& b = Card(Str(p, "b"));
    auto ab = SafetyNumber(a, b);
    auto ba = SafetyNumber(b, a);
    ASSERT_TRUE(ab.ok() && ba.ok());
    EXPECT_EQ(*ab, Str(p, "safetyNumber"));
    EXPECT_EQ(*ba, Str(p, "safetyNumber"));
    auto formatted = FormatSafetyNumber(*ab);
    ASSERT_TRUE(formatted.ok());
    EXPECT_EQ(*formatted, Str(p, "formatted"));
    auto qr_ab = SafetyQrPayload(a, b);
    auto qr_ba = SafetyQrPayload(b, a);
    ASSERT_TRUE(qr_ab.ok() && qr_ba.ok());
    EXPECT_EQ(HexEncode(*qr_ab), Str(p, "qrAB"));
    EXPECT_EQ(HexEncode(*qr_ba), Str(p, "qrBA"));
    // Each side's QR parses back to the two cards (the scans themselves
    // are the `tests` cases).
    auto parsed = ParseSafetyQr(*qr_ab);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->self_key_id, a.key_id());
    EXPECT_EQ(parsed->peer_key_id, b.key_id());
  }
}

TEST_F(SafetyVectors, QrCases) {
  const Json& tests = (*file_)["tests"];
  ASSERT_EQ(tests.size(), (*file_)["numberOfTests"].get<size_t>());
  ASSERT_GE(tests.size(), 15u);
  size_t invalid = 0;
  for (const Json& t : tests) {
    const Bytes payload = Hex(t, "payload");
    const Status s = VerifySafetyQr(payload, Card(Str(t, "scanner")), Card(Str(t, "shown")));
    if (Str(t, "result") == "valid") {
      EXPECT_TRUE(s.ok()) << t["tcId"] << " " << s.ToString();
      EXPECT_TRUE(ParseSafetyQr(payload).ok());
    } else {
      ++invalid;
      EXPECT_EQ(ErrorCodeName(s.code()), Str(t, "error")) << t["tcId"] << " " << Str(t, "comment");
      const std::string rule = Str(t, "rule");
      // Q rules are parse rules: ParseSafetyQr alone gives the same code.
      if (rule[0] == 'Q') {
        EXPECT_EQ(ErrorCodeName(ParseSafetyQr(payload).status().code()), Str(t, "error"));
      } else {
        EXPECT_TRUE(ParseSafetyQr(payload).ok()) << t["tcId"];
      }
    }
  }
  EXPECT_GE(invalid, 13u);
}

TEST(Safety, OrderIndependentAndDistinct) {
  Identity p = Make(0x21, "P", "patient", CardKeys::kClassic);
  Identity c = Make(0x22, "C", "clinician", CardKeys::kClassic);
  Identity n = Make(0x23, "N", "nurse", CardKeys::kClassic);
  auto pc = SafetyNumber(p.card(), c.card());
  auto cp = SafetyNumber(c.card(), p.card());
  auto pn = SafetyNumber(p.card(), n.card());
  ASSERT_TRUE(pc.ok() && cp.ok() && pn.ok());
  EXPECT_EQ(*pc, *cp);
  EXPECT_NE(*pc, *pn);
  EXPECT_EQ(pc->size(), kSafetyNumberDigits);
  const std::string dp = SafetyDigits(p.card());
  const std::string dc = SafetyDigits(c.card());
  EXPECT_EQ(*pc, dp < dc ? dp + dc : dc + dp);
  for (char ch : *pc) EXPECT_TRUE(ch >= '0' && ch <= '9');
}

TEST(Safety, SameCardIsRefused) {
  Identity p = Make(0x21, "P", "patient", CardKeys::kClassic);
  EXPECT_EQ(CodeOf(SafetyNumber(p.card(), p.card())), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(SafetyQrPayload(p.card(), p.card())), ErrorCode::kInvalidArgument);
}

TEST(Safety, NameAndRoleDoNotChangeTheFingerprintButKeysDo) {
  // Same seed, other name: the same keys, so the same fingerprint (the
  // number vouches for keys; the card's self-signature binds the name).
  Identity a = Make(0x31, "Ann", "patient", CardKeys::kClassic);
  Identity b = Make(0x31, "Anne", "patient", CardKeys::kClassic);
  Identity pq = Make(0x31, "Ann", "patient", CardKeys::kPostQuantum);
  EXPECT_EQ(SafetyFingerprint(a.card()), SafetyFingerprint(b.card()));
  EXPECT_NE(SafetyFingerprint(a.card()), SafetyFingerprint(pq.card()));
  // The version 2 encoding carries the X-Wing key.
  EXPECT_GT(SafetyCardKeys(pq.card()).size(), 1216u);
  EXPECT_EQ(SafetyCardKeys(a.card()).size(), 1u + 16 + 32 + 32 + 1);
}

TEST(Safety, FormatRejectsWhatIsNotDigits) {
  EXPECT_EQ(*FormatSafetyNumber("1234567890"), "12345 67890");
  EXPECT_EQ(CodeOf(FormatSafetyNumber("")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(FormatSafetyNumber("1234")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(FormatSafetyNumber("1234a")), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf(FormatSafetyNumber("12345 ")), ErrorCode::kInvalidArgument);
}

TEST(Safety, EveryPrefixAndBitFlipsInEveryFieldOfAQrGetACode) {
  Identity p = Make(0x21, "P", "patient", CardKeys::kClassic);
  Identity c = Make(0x22, "C", "clinician", CardKeys::kClassic);
  auto qr = SafetyQrPayload(p.card(), c.card());
  ASSERT_TRUE(qr.ok());
  ASSERT_EQ(qr->size(), kSafetyQrSize);
  auto parsed = ParseSafetyQr(*qr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->self_key_id, p.card().key_id());
  EXPECT_EQ(parsed->peer_key_id, c.card().key_id());
  for (size_t n = 0; n < qr->size(); ++n) {
    const ErrorCode code = CodeOf(ParseSafetyQr(ByteView(*qr).first(n)));
    EXPECT_EQ(code, ErrorCode::kTruncated) << n;
  }
  // One bit in the first and last byte of every field (magic, version,
  // each key id and fingerprint) and in a middle byte of each fingerprint:
  // each flip is refused. (Every byte would cost 101 verifications.)
  for (size_t i : {0, 1, 2, 3, 4, 5, 20, 21, 36, 52, 53, 68, 69, 84, 100}) {
    Bytes b = *qr;
    b[i] ^= static_cast<uint8_t>(1u << (i % 8));
    EXPECT_FALSE(VerifySafetyQr(b, c.card(), p.card()).ok()) << i;
  }
}

}  // namespace
}  // namespace medseal::tlog
