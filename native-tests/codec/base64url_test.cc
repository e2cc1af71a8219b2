// SPDX-License-Identifier: Apache-2.0
// Unpadded base64url (core/codec/base64url.h), strict: one spelling per byte
// string (docs/spec/record.md §1 relies on this for the JSON encodings).
#include "core/codec/base64url.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

// Deterministic, varied test bytes (not a secret, not an RNG).
Bytes Pattern(size_t n, uint8_t salt) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i * 37 + salt * 101 + (i >> 3));
  return out;
}

constexpr std::string_view kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// RFC 4648 §10 test vectors, with the padding removed.
TEST(Base64Url, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> kVectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain)), encoded);
    auto back = Base64UrlDecode(encoded);
    ASSERT_OK(back);
    EXPECT_EQ(std::string(back->begin(), back->end()), plain);
  }
}

// The URL-safe alphabet: 62 -> '-', 63 -> '_' (never '+' or '/').
TEST(Base64Url, UsesUrlSafeAlphabet) {
  const uint8_t bytes[] = {0xfb, 0xff, 0xbf};  // 111110 111111 111110 111111
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  auto back = Base64UrlDecode("-_-_");
  ASSERT_OK(back);
  EXPECT_EQ(*back, Bytes(std::begin(bytes), std::end(bytes)));
  EXPECT_CODE(Base64UrlDecode("+/+/"), ErrorCode::kMalformed);
  EXPECT_CODE(Base64UrlDecode("-_+/"), ErrorCode::kMalformed);
}

TEST(Base64Url, RoundTripsEveryLengthUpTo64) {
  for (size_t n = 0; n <= 64; ++n) {
    Bytes data = Pattern(n, 2);
    std::string text = Base64UrlEncode(data);
    EXPECT_EQ(text.size(), (4 * n + 2) / 3) << "length " << n;  // no padding
    EXPECT_EQ(text.find('='), std::string::npos);
    auto back = Base64UrlDecode(text);
    ASSERT_OK(back);
    EXPECT_EQ(*back, data) << "length " << n;
  }
}

TEST(Base64Url, PaddingIsNonCanonical) {
  for (std::string_view s : {"Zg==", "Zg=", "Zm8=", "Zm9vYg==", "Zm9vYmE=", "="}) {
    EXPECT_CODE(Base64UrlDecode(s), ErrorCode::kNonCanonical) << s;
  }
}

TEST(Base64Url, BadCharactersAreMalformed) {
  for (std::string_view s :
       {"Zg!", "Zm9v Yg", " Zm9v", "Zm9v\n", "Zm9v\r\n", "Zm.v", "Zm9v*", "Z\xc3\xa9", "Zm\t9v"}) {
    EXPECT_CODE(Base64UrlDecode(s), ErrorCode::kMalformed) << s;
  }
  EXPECT_CODE(Base64UrlDecode(std::string("Zm\0v", 4)), ErrorCode::kMalformed);
}

TEST(Base64Url, ImpossibleLengthIsMalformed) {
  // 4k+1 characters cannot encode whole bytes.
  for (std::string_view s : {"Z", "Zm9vY", "Zm9vYmFyZ", "AAAAA"}) {
    EXPECT_CODE(Base64UrlDecode(s), ErrorCode::kMalformed) << s;
  }
}

TEST(Base64Url, NonZeroTrailingBitsAreNonCanonical) {
  // "f" = 0x66 = 011001|10 -> "Zg" (Z = 25, g = 32 = 10|0000). Any other low
  // nibble in the second character is a second spelling of the same byte.
  for (std::string_view s : {"Zh", "Zi", "Zv", "Zm9vYh", "Zm9vYn"}) {
    EXPECT_CODE(Base64UrlDecode(s), ErrorCode::kNonCanonical) << s;
  }
  // "fo" -> "Zm8" (8 = 60 = 1111|00): 2 unused bits.
  for (std::string_view s : {"Zm9", "Zm-", "Zm_", "Zm9vYmF"}) {
    EXPECT_CODE(Base64UrlDecode(s), ErrorCode::kNonCanonical) << s;
  }
}

// Exhaustive over every 2- and 3-character string of the alphabet: each one
// either decodes to bytes that re-encode to exactly the same text, or is
// NON_CANONICAL (non-zero unused bits). Of 64^2 strings, 256 are canonical;
// of 64^3, 65536.
TEST(Base64Url, EveryShortStringIsCanonicalOrNonCanonical) {
  for (size_t len : {size_t{2}, size_t{3}}) {
    size_t accepted = 0;
    std::string s(len, 'A');
    size_t total = len == 2 ? 64 * 64 : 64 * 64 * 64;
    for (size_t i = 0; i < total; ++i) {
      size_t v = i;
      for (size_t k = 0; k < len; ++k) {
        s[k] = kBase64UrlAlphabet[v % 64];
        v /= 64;
      }
      auto r = Base64UrlDecode(s);
      if (r.ok()) {
        ++accepted;
        ASSERT_EQ(r->size(), len - 1) << s;
        ASSERT_EQ(Base64UrlEncode(*r), s);
      } else {
        ASSERT_EQ(ErrorCodeName(r.status().code()), ErrorCodeName(ErrorCode::kNonCanonical)) << s;
      }
    }
    EXPECT_EQ(accepted, len == 2 ? 256u : 65536u) << "length " << len;
  }
}

// Every byte value in every position of a 1-, 2- and 3-byte group.
TEST(Base64Url, RoundTripsEveryByteInEveryPosition) {
  for (size_t n = 1; n <= 3; ++n) {
    for (size_t pos = 0; pos < n; ++pos) {
      for (int b = 0; b < 256; ++b) {
        Bytes data(n, 0x5a);
        data[pos] = static_cast<uint8_t>(b);
        auto back = Base64UrlDecode(Base64UrlEncode(data));
        ASSERT_OK(back);
        ASSERT_EQ(*back, data);
      }
    }
  }
}

}  // namespace
}  // namespace medseal
