// SPDX-License-Identifier: Apache-2.0
// Public cards (core/identity/card.h): the generated card vectors (shared
// with the Node suite) and the name and role rules.
#include "core/identity/card.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/codec/base64url.h"
#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"
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

// identity/card_v2.json (spec §6): the same procedure, and a valid card's
// version, key types and post-quantum flag.
TEST(CardVectors, EveryVersion2Case) {
  auto file = testing::LoadVectorJson("identity/card_v2.json");
  ASSERT_EQ(file["tests"].size(), file["numberOfTests"].get<size_t>());
  ASSERT_GT(file["tests"].size(), 50u);
  size_t valid = 0;
  for (const auto& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto card = PublicCard::ParseJson(t["card"].get<std::string>());
    if (t["result"] == "valid") {
      ++valid;
      ASSERT_OK(card);
      EXPECT_EQ(card->ToJson(), t["card"].get<std::string>());
      EXPECT_EQ(card->version(), t["version"].get<int>());
      std::vector<int> types;
      for (const CardKey& k : card->keys()) types.push_back(k.type);
      EXPECT_EQ(types, t["keyTypes"].get<std::vector<int>>());
      EXPECT_EQ(Bytes(types.begin(), types.end()), card->key_types());
      EXPECT_EQ(card->has_post_quantum_key(), t["postQuantum"].get<bool>());
      EXPECT_EQ(card->xwing_public_key().size(),
                t["postQuantum"].get<bool>() ? kXWingPublicKeySize : 0u);
    } else {
      ASSERT_FALSE(card.ok());
      EXPECT_EQ(ErrorCodeName(card.status().code()), t["error"].get<std::string>())
          << card.status().ToString();
    }
  }
  EXPECT_GE(valid, 5u);
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

// --- version 2 cards (spec §6) ---

Identity PqIdentity(uint8_t seed_byte = 7, std::string_view name = "Test T",
                    std::string_view role = "patient", UnixMillis created = 1700000000000) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role, created,
                               CardKeys::kPostQuantum);
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

TEST(CardV2, PostQuantumCardRoundTrips) {
  const Identity id = PqIdentity();
  const PublicCard& c = id.card();
  EXPECT_EQ(c.version(), kCardVersion2);
  ASSERT_EQ(c.keys().size(), 1u);
  EXPECT_EQ(c.keys()[0].type, kCardKeyXWing);
  EXPECT_EQ(c.keys()[0].key.size(), kXWingPublicKeySize);
  EXPECT_TRUE(c.has_post_quantum_key());
  EXPECT_EQ(Bytes(c.xwing_public_key().begin(), c.xwing_public_key().end()), c.keys()[0].key);
  EXPECT_EQ(c.key_id(), DeriveKeyIdV2(c.sign_public_key(), c.kx_public_key(), c.keys()));
  const std::string json = c.ToJson();
  EXPECT_NE(json.find("\"v\":2"), std::string::npos);
  EXPECT_NE(
      json.find("\"keys\":[{\"key\":\"" + Base64UrlEncode(c.keys()[0].key) + "\",\"type\":3}]"),
      std::string::npos);
  auto parsed = PublicCard::ParseJson(json);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->ToJson(), json);
  EXPECT_EQ(parsed->version(), kCardVersion2);
  EXPECT_EQ(parsed->keys(), c.keys());
  EXPECT_EQ(parsed->key_id(), c.key_id());
  EXPECT_EQ(parsed->SignedBytes(), c.SignedBytes());
  // The signed bytes are the v2 layout: LABEL("medseal/v2/card") || sign ||
  // kx || u8(1) || u8(3) || u16(1216) || key || name || role || created.
  const Bytes signed_bytes = c.SignedBytes();
  const std::string label = "medseal/v2/card";
  ASSERT_GT(signed_bytes.size(), label.size() + 1 + 64 + 4 + kXWingPublicKeySize);
  EXPECT_EQ(std::string(signed_bytes.begin(), signed_bytes.begin() + label.size()), label);
  size_t at = label.size() + 1 + 64;
  EXPECT_EQ(signed_bytes[at], 1);
  EXPECT_EQ(signed_bytes[at + 1], 3);
  EXPECT_EQ(signed_bytes[at + 2], 1216 & 0xff);
  EXPECT_EQ(signed_bytes[at + 3], 1216 >> 8);
  EXPECT_EQ(signed_bytes.size(),
            label.size() + 1 + 64 + 4 + kXWingPublicKeySize + 1 + 6 + 1 + 7 + 8);
  // A version 1 card has none of it.
  const Identity classic = TestIdentity();
  EXPECT_EQ(classic.card().version(), kCardVersion1);
  EXPECT_TRUE(classic.card().keys().empty());
  EXPECT_TRUE(classic.card().xwing_public_key().empty());
  EXPECT_FALSE(classic.card().has_post_quantum_key());
}

// Key id v2 covers every key: changing any key, type or the order changes it,
// and it never equals the v1 key id of the same two keys.
TEST(CardV2, KeyIdCoversEveryKey) {
  const Bytes sign(32, 1), kx(32, 2);
  const std::vector<CardKey> one{{3, Bytes(1216, 5)}};
  const Bytes base = DeriveKeyIdV2(sign, kx, one);
  EXPECT_EQ(base.size(), kKeyIdSize);
  EXPECT_NE(base, DeriveKeyId(sign, kx));
  std::vector<CardKey> changed = one;
  changed[0].key[1215] ^= 1;
  EXPECT_NE(DeriveKeyIdV2(sign, kx, changed), base);
  EXPECT_NE(DeriveKeyIdV2(sign, kx, {{4, Bytes(1216, 5)}}), base);
  EXPECT_NE(DeriveKeyIdV2(sign, kx, {{3, Bytes(1216, 5)}, {9, Bytes{1}}}), base);
  EXPECT_NE(DeriveKeyIdV2(sign, kx, {{3, Bytes{1, 2}}, {4, Bytes{3}}}),
            DeriveKeyIdV2(sign, kx, {{3, Bytes{1}}, {4, Bytes{2, 3}}}));
  EXPECT_NE(DeriveKeyIdV2(kx, sign, one), base);
}

// Spec §6.1 rule 4: keys of types this build does not know are kept and
// re-serialised, never offered as the X-Wing key.
TEST(CardV2, UnknownKeyTypesAreKept) {
  const Identity id = PqIdentity();
  const Bytes xwing = id.card().keys()[0].key;
  const std::vector<CardKey> keys{{3, xwing}, {4, Bytes{9}}, {255, Bytes(300, 0xab)}};
  const PublicCard card = internal::SelfSignedCardV2ForTesting(id, id.card().kx_public_key(), keys);
  auto parsed = PublicCard::ParseJson(card.ToJson());
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->keys(), keys);
  EXPECT_EQ(parsed->ToJson(), card.ToJson());
  EXPECT_EQ(Bytes(parsed->xwing_public_key().begin(), parsed->xwing_public_key().end()), xwing);
  // Only unknown keys: a valid card without a post-quantum key.
  const PublicCard unknown_only = internal::SelfSignedCardV2ForTesting(
      id, id.card().kx_public_key(), {{200, Bytes(1216, 1)}});
  auto u = PublicCard::ParseJson(unknown_only.ToJson());
  ASSERT_OK(u);
  EXPECT_EQ(u->version(), kCardVersion2);
  EXPECT_FALSE(u->has_post_quantum_key());
}

TEST(CardV2, KeyListRules) {
  const Identity id = PqIdentity();
  const Bytes kx = id.card().kx_public_key();
  const Bytes xwing = id.card().keys()[0].key;
  auto parse = [&](std::vector<CardKey> keys) {
    return PublicCard::ParseJson(internal::SelfSignedCardV2ForTesting(id, kx, keys).ToJson());
  };
  EXPECT_CODE(parse({{3, xwing}, {3, xwing}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{3, xwing}, {5, Bytes{1}}, {3, xwing}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{5, Bytes{1}}, {3, xwing}}), ErrorCode::kNonCanonical);
  EXPECT_CODE(parse({{3, Bytes(1215, 1)}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{3, Bytes(1217, 1)}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{0, Bytes{1}}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{1, Bytes(32, 1)}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{2, Bytes(32, 1)}}), ErrorCode::kMalformed);
  EXPECT_CODE(parse({{7, Bytes{}}}), ErrorCode::kMalformed);
  const std::string json = id.card().ToJson();
  const std::string key_list = "[{\"key\":\"" + Base64UrlEncode(xwing) + "\",\"type\":3}]";
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, key_list, "[]")), ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, key_list, "{}")), ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, ",\"type\":3}", ",\"type\":3,\"x\":0}")),
              ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, ",\"type\":3}", ",\"type\":259}")),
              ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, ",\"type\":3}", ",\"type\":\"3\"}")),
              ErrorCode::kMalformed);
  EXPECT_CODE(
      PublicCard::ParseJson(Replace(json, Base64UrlEncode(xwing), Base64UrlEncode(xwing) + "=")),
      ErrorCode::kNonCanonical);
  // The version picks the member set: a v2 card relabelled v1 has an
  // unknown member (C4), a v1 card relabelled v2 lacks "keys" (E1).
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, "\"v\":2", "\"v\":1")), ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(TestIdentity().card().ToJson(), "\"v\":1", "\"v\":2")),
              ErrorCode::kMalformed);
  EXPECT_CODE(PublicCard::ParseJson(Replace(json, "\"v\":2", "\"v\":3")),
              ErrorCode::kUnsupportedVersion);
  // The key list is signed and in the key id.
  Bytes other = xwing;
  other[5] ^= 1;
  const std::string swapped = Replace(json, Base64UrlEncode(xwing), Base64UrlEncode(other));
  EXPECT_CODE(PublicCard::ParseJson(swapped), ErrorCode::kKeyIdMismatch);
  const Bytes other_kid = DeriveKeyIdV2(id.card().sign_public_key(), kx, {{3, other}});
  EXPECT_CODE(PublicCard::ParseJson(
                  Replace(swapped, Base64UrlEncode(id.key_id()), Base64UrlEncode(other_kid))),
              ErrorCode::kSignatureInvalid);
}

// E15, E16: an X-Wing key whose ML-KEM part fails FIPS 203 §7.2 is
// INVALID_KEY, one whose X25519 part has small order WEAK_KEY; both checked
// after the signature.
TEST(CardV2, XWingKeyChecks) {
  const Identity id = PqIdentity();
  const Bytes kx = id.card().kx_public_key();
  Bytes bad_mlkem = id.card().keys()[0].key;
  bad_mlkem[0] = 0xff;  // the first 12-bit coefficient becomes >= q = 3329
  bad_mlkem[1] |= 0x0f;
  EXPECT_CODE(CheckMlKem768PublicKey(ByteView(bad_mlkem).first(kMlKem768PublicKeySize)),
              ErrorCode::kInvalidKey);
  const std::string invalid =
      internal::SelfSignedCardV2ForTesting(id, kx, {{3, bad_mlkem}}).ToJson();
  EXPECT_CODE(PublicCard::ParseJson(invalid), ErrorCode::kInvalidKey);
  EXPECT_CODE(PublicCard::ParseJson(Replace(invalid, "1700000000000", "1700000000001")),
              ErrorCode::kSignatureInvalid);
  Bytes weak = id.card().keys()[0].key;
  std::fill(weak.begin() + kMlKem768PublicKeySize, weak.end(), 0);
  const std::string weak_card = internal::SelfSignedCardV2ForTesting(id, kx, {{3, weak}}).ToJson();
  EXPECT_CODE(PublicCard::ParseJson(weak_card), ErrorCode::kWeakKey);
  // kx is checked first (C27 before E15).
  EXPECT_CODE(
      PublicCard::ParseJson(
          internal::SelfSignedCardV2ForTesting(id, Bytes(32, 0), {{3, bad_mlkem}}).ToJson()),
      ErrorCode::kWeakKey);
  // Both parts bad: the ML-KEM part decides (E15 before E16).
  Bytes both = bad_mlkem;
  std::fill(both.begin() + kMlKem768PublicKeySize, both.end(), 0);
  EXPECT_CODE(
      PublicCard::ParseJson(internal::SelfSignedCardV2ForTesting(id, kx, {{3, both}}).ToJson()),
      ErrorCode::kInvalidKey);
}

// One limit (G1, 4096 bytes) for every card version: the widest version 2
// card with an X-Wing key (a 128-byte name of '"', each escaped to 2 bytes,
// a 32-byte role, the latest time) fits with room for more keys.
TEST(CardV2, WidestPostQuantumCardFitsTheLimit) {
  const Identity widest = PqIdentity(0x0d, std::string(128, '"'), std::string(32, 'r'),
                                     kMaxUnixMillis);
  const std::string json = widest.card().ToJson();
  EXPECT_LT(json.size(), 2400u);
  EXPECT_OK(PublicCard::ParseJson(json));
  EXPECT_OK(PublicCard::ParseJson(json + std::string(kMaxCardJsonBytes - json.size(), ' ')));
  EXPECT_CODE(PublicCard::ParseJson(json + std::string(kMaxCardJsonBytes + 1 - json.size(), ' ')),
              ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace medseal
