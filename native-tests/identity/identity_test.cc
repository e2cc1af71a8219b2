// SPDX-License-Identifier: Apache-2.0
// Identities and public cards: the generated card vectors (shared with the
// Node suite), derivation from seeds, and the self-signature.
#include "core/identity/identity.h"

#include <gtest/gtest.h>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/xwing.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using testing::HexOrDie;

TEST(CardVectors, IdentitiesDeriveFromSeeds) {
  auto file = testing::LoadVectorJson("identity/card_v1.json");
  for (const auto& [key, v] : file["identities"].items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>());
    ASSERT_OK(id);
    EXPECT_EQ(HexEncode(id->key_id()), v["keyId"].get<std::string>()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
  }
}

// identity/card_v2.json: every identity is a post-quantum one; its X-Wing
// seed, key id and card follow from its seed (spec §3).
TEST(CardVectors, PostQuantumIdentitiesDeriveFromSeeds) {
  auto file = testing::LoadVectorJson("identity/card_v2.json");
  ASSERT_GE(file["identities"].size(), 5u);
  for (const auto& [key, v] : file["identities"].items()) {
    SCOPED_TRACE(key);
    ASSERT_EQ(v["cardKeys"], "postQuantum");
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>(), CardKeys::kPostQuantum);
    ASSERT_OK(id);
    ASSERT_NE(id->xwing_key(), nullptr);
    EXPECT_EQ(HexEncode(RevealSecret(id->xwing_key()->seed())), v["xwingSeed"].get<std::string>());
    EXPECT_EQ(HexEncode(id->key_id()), v["keyId"].get<std::string>());
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>());
  }
}

TEST(Identity, GenerateUsesRngAndClock) {
  ChaChaRng rng1(Bytes(32, 5)), rng2(Bytes(32, 5));
  FixedClock clock(42);
  auto a = Identity::Generate(rng1, clock, "A", "patient");
  auto b = Identity::Generate(rng2, clock, "A", "patient");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->card().ToJson(), b->card().ToJson());
  EXPECT_EQ(a->card().created(), 42);
  SodiumRng os;
  auto c = Identity::Generate(os, clock, "A", "patient");
  ASSERT_OK(c);
  EXPECT_NE(c->key_id(), a->key_id());
}

TEST(Identity, RejectsBadArguments) {
  SecretBytes seed = SecretBytes::CopyFrom(Bytes(32, 1));
  EXPECT_CODE(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(31, 1)), "A", "patient", 0),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "", 0), ErrorCode::kMalformed);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "Dr", 0), ErrorCode::kMalformed);
  EXPECT_CODE(Identity::FromSeed(seed, std::string(129, 'a'), "patient", 0), ErrorCode::kTooLarge);
  EXPECT_CODE(Identity::FromSeed(seed, "\xff", "patient", 0), ErrorCode::kMalformed);
  EXPECT_CODE(Identity::FromSeed(seed, "\xc0\x80", "patient", 0), ErrorCode::kMalformed);
  EXPECT_CODE(Identity::FromSeed(seed, "\xed\xa0\x80", "patient", 0), ErrorCode::kMalformed);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "patient", -5), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "patient", -1), ErrorCode::kInvalidArgument);
  // Card times are 0..2^53 - 1 (spec §2.2): what a JavaScript number holds.
  EXPECT_CODE(Identity::FromSeed(seed, "A", "patient", kMaxUnixMillis + 1),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "patient", INT64_MAX), ErrorCode::kInvalidArgument);
  EXPECT_OK(Identity::FromSeed(seed, "A", "patient", kMaxUnixMillis));
  EXPECT_OK(Identity::FromSeed(seed, "", "patient", 0));
}

TEST(Identity, SeedExportRoundTrips) {
  SodiumRng rng;
  FixedClock clock(7);
  auto a = Identity::Generate(rng, clock, "A", "patient");
  ASSERT_OK(a);
  auto b = Identity::FromSeed(a->seed(), "A", "patient", 7);
  ASSERT_OK(b);
  EXPECT_EQ(a->card().ToJson(), b->card().ToJson());
}

// kPostQuantum: the same Ed25519 and X25519 keys as kClassic from the same
// seed, plus the X-Wing key of xwing_seed = BLAKE2b-32(seed,
// LABEL("medseal/v2/identity/xwing")) (spec §3), on a version 2 card.
TEST(Identity, PostQuantumIdentityDerivesTheXWingKey) {
  const SecretBytes seed = SecretBytes::CopyFrom(Bytes(32, 3));
  auto classic = Identity::FromSeed(seed, "A", "patient", 5);
  auto classic2 = Identity::FromSeed(seed, "A", "patient", 5, CardKeys::kClassic);
  auto pq = Identity::FromSeed(seed, "A", "patient", 5, CardKeys::kPostQuantum);
  ASSERT_OK(classic);
  ASSERT_OK(classic2);
  ASSERT_OK(pq);
  EXPECT_EQ(classic->card().ToJson(), classic2->card().ToJson());
  EXPECT_EQ(classic->xwing_key(), nullptr);
  ASSERT_NE(pq->xwing_key(), nullptr);
  EXPECT_EQ(pq->card().version(), kCardVersion2);
  EXPECT_EQ(pq->card().sign_public_key(), classic->card().sign_public_key());
  EXPECT_EQ(pq->card().kx_public_key(), classic->card().kx_public_key());
  EXPECT_NE(pq->key_id(), classic->key_id());
  Bytes label;
  ByteWriter(label).Label("medseal/v2/identity/xwing");
  auto xwing_seed = Blake2bDeriveKey(32, RevealSecret(seed), label);
  ASSERT_OK(xwing_seed);
  EXPECT_EQ(HexEncode(RevealSecret(pq->xwing_key()->seed())), HexEncode(RevealSecret(*xwing_seed)));
  EXPECT_EQ(Bytes(pq->card().xwing_public_key().begin(), pq->card().xwing_public_key().end()),
            pq->xwing_key()->public_key());
  EXPECT_EQ(XWingPublicKey(RevealSecret(*xwing_seed)).value(), pq->xwing_key()->public_key());
  // Sealing to the card's key opens with the identity's key.
  SodiumRng rng;
  auto enc = XWingEncapsulate(pq->card().xwing_public_key(), rng);
  ASSERT_OK(enc);
  auto ss = pq->xwing_key()->Decapsulate(enc->ciphertext);
  ASSERT_OK(ss);
  EXPECT_EQ(HexEncode(RevealSecret(*ss)), HexEncode(RevealSecret(enc->shared_secret)));
  // The same seed always gives the same card; the seed round-trips.
  auto again = Identity::FromSeed(pq->seed(), "A", "patient", 5, CardKeys::kPostQuantum);
  ASSERT_OK(again);
  EXPECT_EQ(again->card().ToJson(), pq->card().ToJson());
  auto parsed = PublicCard::ParseJson(pq->card().ToJson());
  ASSERT_OK(parsed);
  EXPECT_TRUE(parsed->has_post_quantum_key());
}

TEST(Identity, GeneratePostQuantum) {
  ChaChaRng rng1(Bytes(32, 5)), rng2(Bytes(32, 5));
  FixedClock clock(42);
  auto a = Identity::Generate(rng1, clock, "A", "patient", CardKeys::kPostQuantum);
  auto b = Identity::Generate(rng2, clock, "A", "patient");
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->card().version(), kCardVersion2);
  EXPECT_EQ(b->card().version(), kCardVersion1);
  EXPECT_EQ(a->card().created(), 42);
  EXPECT_EQ(HexEncode(RevealSecret(a->seed())), HexEncode(RevealSecret(b->seed())));
  EXPECT_NE(a->xwing_key(), nullptr);
}

TEST(Identity, RejectsUnknownCardKeys) {
  const SecretBytes seed = SecretBytes::CopyFrom(Bytes(32, 1));
  EXPECT_CODE(Identity::FromSeed(seed, "A", "patient", 0, static_cast<CardKeys>(2)),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(31, 1)), "A", "patient", 0,
                                 CardKeys::kPostQuantum),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Identity::FromSeed(seed, "A", "Dr", 0, CardKeys::kPostQuantum),
              ErrorCode::kMalformed);
  SodiumRng rng;
  FixedClock clock(1);
  EXPECT_CODE(Identity::Generate(rng, clock, "A", "patient", static_cast<CardKeys>(7)),
              ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal
