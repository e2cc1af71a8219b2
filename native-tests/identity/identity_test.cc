// SPDX-License-Identifier: Apache-2.0
// Identities and public cards: the generated card vectors (shared with the
// Node suite), derivation from seeds, and the self-signature.
#include "core/identity/identity.h"

#include <gtest/gtest.h>

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
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

}  // namespace
}  // namespace medseal
