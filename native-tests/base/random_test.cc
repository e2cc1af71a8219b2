// SPDX-License-Identifier: Apache-2.0
// core/base/random.h: the deterministic ChaChaRng (specified exactly, so other
// implementations can reproduce the vectors) and the OS-backed SodiumRng.
#include "core/base/random.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <set>
#include <vector>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

Bytes Seed(uint8_t first) {
  Bytes seed(ChaChaRng::kSeedSize);
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(first + i);
  return seed;
}

Bytes Draw(Rng& rng, size_t n) {
  Bytes out(n, 0xee);  // Fill must overwrite every byte
  rng.Fill(out.data(), out.size());
  return out;
}

// ChaCha20 (IETF, RFC 8439) keystream computed directly with libsodium:
// key = seed, nonce = `call` as 12 little-endian bytes, counter 0.
Bytes ReferenceStream(const Bytes& seed, uint64_t call, size_t n) {
  EXPECT_GE(sodium_init(), 0);
  uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
  for (size_t i = 0; i < 8; ++i) nonce[i] = static_cast<uint8_t>(call >> (8 * i));
  Bytes out(n);
  if (n > 0) crypto_stream_chacha20_ietf(out.data(), out.size(), nonce, seed.data());
  return out;
}

// Sizes that cover an empty call, a partial block, a block, block boundaries
// (the counter moving to 1, 2, ...) and a long call.
const std::vector<size_t> kSizes = {32, 0, 1, 63, 64, 65, 128, 129, 1000, 7, 4096};

TEST(ChaChaRng, SameSeedGivesSameStream) {
  ChaChaRng a(Seed(0)), b(Seed(0));
  for (size_t round = 0; round < 3; ++round) {
    for (size_t n : kSizes) EXPECT_EQ(HexEncode(Draw(a, n)), HexEncode(Draw(b, n))) << n;
  }
}

TEST(ChaChaRng, DifferentSeedsGiveDifferentStreams) {
  ChaChaRng a(Seed(0)), b(Seed(1));
  EXPECT_NE(Draw(a, 32), Draw(b, 32));
}

TEST(ChaChaRng, SuccessiveCallsDiffer) {
  ChaChaRng rng(Seed(0));
  std::set<Bytes> seen;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.insert(Draw(rng, 16)).second) << i;
}

// The specification (core/base/random.h, docs/spec/record.md): call i (0-based) of
// Fill(out, n) writes the first n bytes of the ChaCha20-IETF keystream with
// key = seed, nonce = LE96(i), block counter 0. Checked against libsodium's
// crypto_stream_chacha20_ietf for 300 calls, so that i > 255 (a second nonce
// byte) is covered, with sizes that cross block boundaries.
TEST(ChaChaRng, CallIIsChaCha20IetfKeystreamWithNonceI) {
  Bytes seed = Seed(0x40);
  ChaChaRng rng(seed);
  for (uint64_t call = 0; call < 300; ++call) {
    size_t n = kSizes[call % kSizes.size()];
    EXPECT_EQ(HexEncode(Draw(rng, n)), HexEncode(ReferenceStream(seed, call, n)))
        << "call " << call;
  }
}

// A zero-length Fill still uses up a call number.
TEST(ChaChaRng, EmptyCallCountsAsACall) {
  Bytes seed = Seed(0);
  ChaChaRng rng(seed);
  rng.Fill(nullptr, 0);
  EXPECT_EQ(HexEncode(Draw(rng, 32)), HexEncode(ReferenceStream(seed, 1, 32)));
}

// Secret(n) is one Fill call.
TEST(ChaChaRng, SecretIsOneFillCall) {
  Bytes seed = Seed(9);
  ChaChaRng rng(seed);
  SecretBytes s0 = rng.Secret(32);
  SecretBytes s1 = rng.Secret(100);
  EXPECT_EQ(HexEncode(RevealSecret(s0)), HexEncode(ReferenceStream(seed, 0, 32)));
  EXPECT_EQ(HexEncode(RevealSecret(s1)), HexEncode(ReferenceStream(seed, 1, 100)));
}

// Known answer for seed = 00 01 .. 1f, computed once with an independent
// ChaCha20 (pyca/cryptography 48 over OpenSSL: algorithms.ChaCha20(key,
// counter_le32(0) || nonce)) and hard-coded; the test also recomputes it with
// libsodium. These are the values other implementations (the wasm package,
// a second-language generator) must reproduce.
TEST(ChaChaRng, KnownAnswerSeed00To1f) {
  Bytes seed = Seed(0);
  const char* kCall0 = "39fd2b7dd9c5196a8dbd0377b8dc4a498a35d86fbcde6accb2cc7d4cd8ea2492";
  const char* kCall1 = "d838fb09536e2e3a10e8f23f486273a69f42d8e640d781ede384793c34c32564";
  const char* kCall2 = "2810192032f347083ad97a7ab7d70d6401ea8dfb9e02c30de643128940467b54";
  EXPECT_EQ(HexEncode(ReferenceStream(seed, 0, 32)), kCall0);
  EXPECT_EQ(HexEncode(ReferenceStream(seed, 1, 32)), kCall1);
  EXPECT_EQ(HexEncode(ReferenceStream(seed, 2, 32)), kCall2);
  ChaChaRng rng(seed);
  EXPECT_EQ(HexEncode(Draw(rng, 32)), kCall0);
  EXPECT_EQ(HexEncode(Draw(rng, 32)), kCall1);
  EXPECT_EQ(HexEncode(Draw(rng, 32)), kCall2);
}

// The length of a call only truncates its output: the first 32 bytes of a
// 200-byte call are the 32-byte call of a generator in the same state.
TEST(ChaChaRng, ShortCallIsPrefixOfLongCall) {
  ChaChaRng a(Seed(0)), b(Seed(0));
  Bytes short_draw = Draw(a, 32);
  Bytes long_draw = Draw(b, 200);
  EXPECT_EQ(HexEncode(short_draw), HexEncode(ByteView(long_draw).first(32)));
}

TEST(ChaChaRngDeathTest, WrongSeedSizeAborts) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  Bytes short_seed(31), long_seed(33);
  EXPECT_DEATH_IF_SUPPORTED({ ChaChaRng rng(short_seed); }, "check failed");
  EXPECT_DEATH_IF_SUPPORTED({ ChaChaRng rng(long_seed); }, "check failed");
  EXPECT_DEATH_IF_SUPPORTED({ ChaChaRng rng(ByteView{}); }, "check failed");
}

TEST(SodiumRng, FillsAndDiffers) {
  SodiumRng rng;
  rng.Fill(nullptr, 0);
  Bytes a = Draw(rng, 32), b = Draw(rng, 32);
  EXPECT_NE(a, b);
  EXPECT_NE(a, Bytes(32, 0xee));
  EXPECT_NE(a, Bytes(32, 0));
  SecretBytes s = rng.Secret(64);
  EXPECT_EQ(s.size(), 64u);
  EXPECT_FALSE(ConstantTimeEqual(RevealSecret(s), Bytes(64, 0)));
}

TEST(ChaChaRngCreate, RejectsWrongSeedSizes) {
  EXPECT_CODE(ChaChaRng::Create(Bytes(31, 0)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ChaChaRng::Create(Bytes(33, 0)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ChaChaRng::Create(Bytes()), ErrorCode::kInvalidArgument);
  auto rng = ChaChaRng::Create(Bytes(32, 0));
  ASSERT_OK(rng);
  ChaChaRng same(Bytes(32, 0));
  uint8_t a[16], b[16];
  rng->Fill(a, sizeof a);
  same.Fill(b, sizeof b);
  EXPECT_EQ(0, std::memcmp(a, b, sizeof a));
}

}  // namespace
}  // namespace medseal
