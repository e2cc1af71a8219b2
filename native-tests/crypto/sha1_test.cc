// SPDX-License-Identifier: Apache-2.0
// SHA-1 and HMAC-SHA1 (core/crypto/sha1.h): the four RFC 3174 §7.3 test
// driver cases (TEST1-3 are FIPS 180-2 Appendix A), every Wycheproof
// hmac_sha1 case, the padding boundaries, and the streaming classes against
// the one-shot functions.
#include "core/crypto/sha1.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

TEST(Sha1, Rfc3174TestDriver) {
  Json v = LoadVectorJson("external/rfc/sha1.json");
  size_t n = 0;
  for (const Json& c : v.at("cases")) {
    SCOPED_TRACE(Str(c, "id"));
    std::string message = Str(c, "message");
    size_t repeat = c.at("repeat").get<size_t>();
    // Streamed one repetition at a time (TEST3 is a million calls of one
    // byte: the buffering path), and once in one piece.
    Sha1Stream s;
    std::string whole;
    for (size_t i = 0; i < repeat; ++i) s.Update(AsBytes(message));
    if (repeat <= 10) {
      for (size_t i = 0; i < repeat; ++i) whole += message;
      EXPECT_EQ(HexEncode(Sha1(AsBytes(whole))), Str(c, "digest"));
    }
    EXPECT_EQ(HexEncode(s.Final()), Str(c, "digest"));
    EXPECT_EQ(message.size() * repeat, c.at("total_length_bytes").get<size_t>());
    ++n;
  }
  EXPECT_EQ(n, 4u);
}

// Values from Python's hashlib.sha1: the empty message and the lengths
// around the 55/56/64-byte padding boundaries.
TEST(Sha1, PaddingBoundaries) {
  EXPECT_EQ(HexEncode(Sha1({})), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(HexEncode(Sha1(AsBytes(std::string(55, 'a')))),
            "c1c8bbdc22796e28c0e15163d20899b65621d65a");
  EXPECT_EQ(HexEncode(Sha1(AsBytes(std::string(56, 'a')))),
            "c2db330f6083854c99d4b5bfb6e8f29f201be699");
  EXPECT_EQ(HexEncode(Sha1(AsBytes(std::string(64, 'a')))),
            "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

TEST(Sha1Stream, MatchesOneShotInPieces) {
  Bytes data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  for (size_t cut : {0u, 1u, 63u, 64u, 65u, 500u, 999u}) {
    Sha1Stream s;
    s.Update(ByteView(data).first(cut));
    s.Update(ByteView(data).subspan(cut));
    EXPECT_EQ(HexEncode(s.Final()), HexEncode(Sha1(data))) << cut;
  }
}

TEST(HmacSha1, WycheproofEveryCase) {
  Json v = LoadVectorJson("external/wycheproof/hmac_sha1_test.json");
  size_t truncated = 0, valid = 0;
  size_t n = ForEachWycheproofTest(
      v, "HMACSHA1", "mac_test_schema_v1.json", [&](const Json& g, const Json& t) {
        size_t tag_bytes = g.at("tagSize").get<size_t>() / 8;
        Bytes mac = HmacSha1(Hex(t, "key"), Hex(t, "msg"));
        ASSERT_EQ(mac.size(), kHmacSha1Size);
        if (tag_bytes < kHmacSha1Size) ++truncated;
        bool is_valid = Str(t, "result") == "valid";
        if (is_valid) ++valid;
        bool equal = HexEncode(ByteView(mac).first(tag_bytes)) == Str(t, "tag");
        EXPECT_EQ(equal, is_valid);
      });
  EXPECT_EQ(n, 170u);
  EXPECT_EQ(valid, 66u);
  EXPECT_GT(truncated, 0u);
}

// RFC 2202 test case 1 and Python's hmac.new(b"", b"", hashlib.sha1); a key
// longer than the 64-byte block is hashed first (RFC 2202 test case 6).
TEST(HmacSha1, Rfc2202AndEmptyKey) {
  EXPECT_EQ(HexEncode(HmacSha1(Bytes(20, 0x0b), AsBytes("Hi There"))),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  EXPECT_EQ(HexEncode(HmacSha1({}, {})), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
  EXPECT_EQ(HexEncode(HmacSha1(Bytes(80, 0xaa),
                               AsBytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HmacSha1Stream, MatchesOneShotInPieces) {
  Bytes key(100, 0x42);
  Bytes msg(300, 0x17);
  HmacSha1Stream s(key);
  s.Update(ByteView(msg).first(10));
  s.Update(ByteView(msg).subspan(10));
  EXPECT_EQ(HexEncode(s.Final()), HexEncode(HmacSha1(key, msg)));
}

}  // namespace
}  // namespace medseal
