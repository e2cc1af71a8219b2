// SPDX-License-Identifier: Apache-2.0
// SHA-256, HMAC-SHA256 and HKDF-SHA256 (core/crypto/sha2.h): RFC 5869
// Appendix A, Wycheproof hkdf_sha256 and hmac_sha256 (every case), FIPS 180-2
// "abc", and the streaming classes against the one-shot functions.
#include "core/crypto/sha2.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

TEST(Sha256, Fips180Abc) {
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Stream, MatchesOneShotInPieces) {
  Bytes data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  Sha256Stream s;
  s.Update(ByteView(data).first(1));
  s.Update(ByteView(data).subspan(1, 500));
  s.Update(ByteView(data).subspan(501));
  EXPECT_EQ(HexEncode(s.Final()), HexEncode(Sha256(data)));
}

TEST(HkdfSha256, Rfc5869AppendixA) {
  Json v = LoadVectorJson("external/rfc/rfc5869_hkdf_sha256.json");
  size_t n = 0;
  for (const Json& t : v.at("tests")) {
    SCOPED_TRACE(Str(t, "name"));
    auto okm = HkdfSha256(Hex(t, "salt"), Hex(t, "ikm"), Hex(t, "info"), t.at("L").get<size_t>());
    ASSERT_OK(okm);
    EXPECT_EQ(HexEncode(RevealSecret(*okm)), Str(t, "okm"));
    // Extract alone is HMAC(salt or zeros, ikm).
    Bytes salt = Hex(t, "salt");
    if (salt.empty()) salt.assign(kSha256Size, 0);
    EXPECT_EQ(HexEncode(HmacSha256(salt, Hex(t, "ikm"))), Str(t, "prk"));
    ++n;
  }
  EXPECT_EQ(n, 3u);
}

TEST(HkdfSha256, WycheproofEveryCase) {
  Json v = LoadVectorJson("external/wycheproof/hkdf_sha256_test.json");
  size_t n = 0, valid = 0;
  for (const Json& g : v.at("testGroups")) {
    for (const Json& t : g.at("tests")) {
      SCOPED_TRACE(::testing::Message() << "tcId " << t.at("tcId").get<int>());
      ++n;
      size_t size = t.at("size").get<size_t>();
      auto okm = HkdfSha256(Hex(t, "salt"), Hex(t, "ikm"), Hex(t, "info"), size);
      if (Str(t, "result") == "valid") {
        ++valid;
        ASSERT_OK(okm);
        EXPECT_EQ(HexEncode(RevealSecret(*okm)), Str(t, "okm"));
      } else {
        // The invalid cases ask for more than 255 * HashLen bytes.
        EXPECT_GT(size, kHkdfSha256MaxOutput);
        EXPECT_CODE(okm, ErrorCode::kInvalidArgument);
      }
    }
  }
  EXPECT_EQ(n, v.at("numberOfTests").get<size_t>());
  EXPECT_EQ(n, 86u);
  EXPECT_GT(valid, 80u);
}

TEST(HkdfSha256, RejectsZeroAndOversizedLength) {
  EXPECT_CODE(HkdfSha256({}, AsBytes("k"), {}, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(HkdfSha256({}, AsBytes("k"), {}, kHkdfSha256MaxOutput + 1),
              ErrorCode::kInvalidArgument);
  EXPECT_OK(HkdfSha256({}, AsBytes("k"), {}, kHkdfSha256MaxOutput));
}

TEST(HmacSha256, WycheproofEveryCase) {
  Json v = LoadVectorJson("external/wycheproof/hmac_sha256_test.json");
  size_t n = 0, truncated = 0;
  for (const Json& g : v.at("testGroups")) {
    size_t tag_bytes = g.at("tagSize").get<size_t>() / 8;
    for (const Json& t : g.at("tests")) {
      SCOPED_TRACE(::testing::Message() << "tcId " << t.at("tcId").get<int>());
      ++n;
      Bytes mac = HmacSha256(Hex(t, "key"), Hex(t, "msg"));
      ASSERT_EQ(mac.size(), kHmacSha256Size);
      if (tag_bytes < kHmacSha256Size) ++truncated;
      bool equal = HexEncode(ByteView(mac).first(tag_bytes)) == Str(t, "tag");
      EXPECT_EQ(equal, Str(t, "result") == "valid");
    }
  }
  EXPECT_EQ(n, v.at("numberOfTests").get<size_t>());
  EXPECT_EQ(n, 174u);
  EXPECT_GT(truncated, 0u);
}

// RFC 2104 with an empty key: the key block is all zeros (value from
// Python's hmac.new(b"", b"", hashlib.sha256)).
TEST(HmacSha256, EmptyKeyAndMessage) {
  EXPECT_EQ(HexEncode(HmacSha256({}, {})),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Stream, MatchesOneShotInPieces) {
  Bytes key(100, 0x42);  // longer than a block: hashed first
  Bytes msg(300, 0x17);
  HmacSha256Stream s(key);
  s.Update(ByteView(msg).first(10));
  s.Update(ByteView(msg).subspan(10));
  EXPECT_EQ(HexEncode(s.Final()), HexEncode(HmacSha256(key, msg)));
}

}  // namespace
}  // namespace medseal
