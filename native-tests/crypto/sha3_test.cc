// SPDX-License-Identifier: Apache-2.0
// SHA-3 and SHAKE (core/crypto/sha3.h, PQClean's fips202.c) against the
// example values NIST publishes for FIPS 202 (CSRC "Cryptographic Standards
// and Guidelines: Examples with Intermediate Values", SHA3-256, SHA3-512,
// SHAKE128 and SHAKE256 for the 0-bit and the 1600-bit message of 0xa3
// bytes) and the well-known "abc" values. Every value below was checked
// against Python's hashlib (sha3_256, sha3_512, shake_128, shake_256).
// The SHAKE examples are 4096 bits (512 bytes) long: the first and the
// last 32 bytes are checked, so that squeezing across many rate blocks
// (168 bytes for SHAKE128, 136 for SHAKE256) is covered.
#include "core/crypto/sha3.h"

#include <gtest/gtest.h>

#include <string>

#include "core/codec/hex.h"

namespace medseal {
namespace {

Bytes Msg(const std::string& s) { return Bytes(s.begin(), s.end()); }
const Bytes kA3x200(200, 0xa3);  // NIST's 1600-bit example message

std::string HexFirst(ByteView b, size_t n) { return HexEncode(b.first(n)); }
std::string HexLast(ByteView b, size_t n) { return HexEncode(b.last(n)); }

TEST(Sha3, Sha3_256NistExamples) {
  EXPECT_EQ(HexEncode(Sha3_256({})),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a");
  EXPECT_EQ(HexEncode(Sha3_256(Msg("abc"))),
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(HexEncode(Sha3_256(kA3x200)),
            "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787");
  EXPECT_EQ(Sha3_256(Msg("abc")).size(), kSha3_256Size);
}

TEST(Sha3, Sha3_512NistExamples) {
  EXPECT_EQ(HexEncode(Sha3_512({})),
            "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6"
            "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26");
  EXPECT_EQ(HexEncode(Sha3_512(Msg("abc"))),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
            "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0");
  EXPECT_EQ(HexEncode(Sha3_512(kA3x200)),
            "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca8"
            "1b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00");
}

TEST(Sha3, Shake128NistExamples) {
  const Bytes empty = Shake128({}, 512);
  ASSERT_EQ(empty.size(), 512u);
  EXPECT_EQ(HexFirst(empty, 32),
            "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  EXPECT_EQ(HexLast(empty, 32), "43e41b45a653f2a5c4492c1add544512dda2529833462b71a41a45be97290b6f");
  const Bytes long_msg = Shake128(kA3x200, 512);
  EXPECT_EQ(HexFirst(long_msg, 32),
            "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037");
  EXPECT_EQ(HexLast(long_msg, 32),
            "44c9fb359fd56ac0a9a75a743cff6862f17d7259ab075216c0699511643b6439");
  EXPECT_EQ(HexEncode(Shake128(Msg("abc"), 32)),
            "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8");
}

TEST(Sha3, Shake256NistExamples) {
  const Bytes empty = Shake256({}, 512);
  ASSERT_EQ(empty.size(), 512u);
  EXPECT_EQ(HexFirst(empty, 32),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
  EXPECT_EQ(HexLast(empty, 32), "ab0bae316339894304e35877b0c28a9b1fd166c796b9cc258a064a8f57e27f2a");
  const Bytes long_msg = Shake256(kA3x200, 512);
  EXPECT_EQ(HexFirst(long_msg, 32),
            "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d");
  EXPECT_EQ(HexLast(long_msg, 32),
            "6a1a9d7846436e4dca5728b6f760eef0ca92bf0be5615e96959d767197a0beeb");
  EXPECT_EQ(HexEncode(Shake256(Msg("abc"), 64)),
            "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739"
            "d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4");
}

TEST(Sha3, ShakeOutputIsAPrefixOfLongerOutput) {
  // An XOF: asking for fewer bytes gives a prefix, at and across rate
  // boundaries (168 for SHAKE128, 136 for SHAKE256).
  const Bytes long128 = Shake128(kA3x200, 400);
  const Bytes long256 = Shake256(kA3x200, 400);
  for (size_t n : {1u, 31u, 135u, 136u, 137u, 167u, 168u, 169u, 336u, 399u}) {
    EXPECT_EQ(Shake128(kA3x200, n), Bytes(long128.begin(), long128.begin() + n)) << n;
    EXPECT_EQ(Shake256(kA3x200, n), Bytes(long256.begin(), long256.begin() + n)) << n;
  }
}

TEST(Sha3, ZeroLengthOutputIsEmpty) {
  EXPECT_TRUE(Shake128(Msg("abc"), 0).empty());
  EXPECT_TRUE(Shake256(Msg("abc"), 0).empty());
  EXPECT_EQ(Shake256Secret(Msg("abc"), 0).size(), 0u);
}

TEST(Sha3, SecretVariantsEqualThePublicOnes) {
  for (const Bytes& m : {Bytes{}, Msg("abc"), kA3x200}) {
    EXPECT_EQ(HexEncode(RevealSecret(Sha3_256Secret(m))), HexEncode(Sha3_256(m)));
    EXPECT_EQ(HexEncode(RevealSecret(Shake256Secret(m, 300))), HexEncode(Shake256(m, 300)));
  }
}

TEST(Sha3, InputLengthsAroundTheRate) {
  // Messages of rate - 1, rate and rate + 1 bytes of 0x5a (the padding
  // cases: SHA3-256's rate is 136 bytes, SHAKE128's 168); values from
  // Python's hashlib.
  const Bytes m(169, 0x5a);
  EXPECT_EQ(HexEncode(Sha3_256(ByteView(m).first(135))),
            "12fa8b3d366f54305d82b8eff1dae1df85046ee32ec82d6f6e290f8e9cae2f90");
  EXPECT_EQ(HexEncode(Sha3_256(ByteView(m).first(136))),
            "89e699b3685be673ff90f26e215dd8140b5364e1f931f27c6000dc184ee0533c");
  EXPECT_EQ(HexEncode(Sha3_256(ByteView(m).first(137))),
            "50bf5cd6f1906058d863c6d02a7b7dd7bed531bdca5dab2b55b135d295cb72a1");
  EXPECT_EQ(HexEncode(Shake128(ByteView(m).first(167), 32)),
            "16e6f74583050d8ebb152e5d5885c81f5ae47820e7477743366282a5041580c3");
  EXPECT_EQ(HexEncode(Shake128(ByteView(m).first(168), 32)),
            "a166bbd636ca1cb199b939a7779e0dcf68a8084bb810fafbc40cdc298d3a02b2");
  EXPECT_EQ(HexEncode(Shake128(m, 32)),
            "ae553ade0e9bfb89491c2244f61f861ced4349ff79f6f0f91e22cb759cc2b75c");
}

}  // namespace
}  // namespace medseal
