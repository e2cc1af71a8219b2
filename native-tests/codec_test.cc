// Text codecs of core/bytes.h: lower-case hex and unpadded base64url, both
// strict (one spelling per byte string; docs/spec/record.md relies on this for
// the JSON encodings).
#include "core/bytes.h"

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

// ---------------------------------------------------------------------------
// Hex
// ---------------------------------------------------------------------------

TEST(Hex, EncodesLowerCase) {
  EXPECT_EQ(HexEncode({}), "");
  const uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff};
  EXPECT_EQ(HexEncode(bytes), "00017f80abcdefff");
}

TEST(Hex, DecodesKnownValues) {
  auto empty = HexDecode("");
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
  auto r = HexDecode("00017f80abcdefff");
  ASSERT_OK(r);
  EXPECT_EQ(*r, (Bytes{0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff}));
}

TEST(Hex, RoundTripsEveryLengthUpTo64) {
  for (size_t n = 0; n <= 64; ++n) {
    Bytes data = Pattern(n, 1);
    std::string hex = HexEncode(data);
    EXPECT_EQ(hex.size(), 2 * n);
    auto back = HexDecode(hex);
    ASSERT_OK(back);
    EXPECT_EQ(*back, data) << "length " << n;
  }
}

TEST(Hex, RoundTripsEveryByte) {
  for (int b = 0; b < 256; ++b) {
    Bytes one{static_cast<uint8_t>(b)};
    auto back = HexDecode(HexEncode(one));
    ASSERT_OK(back);
    EXPECT_EQ(*back, one);
  }
}

TEST(Hex, OddLengthIsMalformed) {
  EXPECT_CODE(HexDecode("0"), ErrorCode::kMalformed);
  EXPECT_CODE(HexDecode("abc"), ErrorCode::kMalformed);
  EXPECT_CODE(HexDecode(std::string(129, 'a')), ErrorCode::kMalformed);
}

TEST(Hex, BadCharactersAreMalformed) {
  for (std::string_view s : {"0g", "g0", "zz", " 0", "0 ", "0\n", "0x", "-1", "+1", "0:"}) {
    EXPECT_CODE(HexDecode(s), ErrorCode::kMalformed) << s;
  }
  EXPECT_CODE(HexDecode(std::string("0\0", 2)), ErrorCode::kMalformed);
  EXPECT_CODE(HexDecode("\xc3\xa9"), ErrorCode::kMalformed);  // UTF-8 e-acute
  EXPECT_CODE(HexDecode("00:11"), ErrorCode::kMalformed);     // separators are not skipped
}

TEST(Hex, UpperCaseIsNonCanonical) {
  for (std::string_view s : {"AB", "aB", "Ab", "0F", "FF00", "00ABcd"}) {
    EXPECT_CODE(HexDecode(s), ErrorCode::kNonCanonical) << s;
  }
}

// Exhaustive over every two-character string: a decode that succeeds must
// re-encode to the same text (one spelling per byte), and a failure is
// NON_CANONICAL exactly when the only fault is an upper-case digit.
TEST(Hex, EveryTwoCharacterStringIsCanonicalOrRejected) {
  auto is_lower = [](int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  auto is_upper = [](int c) { return c >= 'A' && c <= 'F'; };
  size_t accepted = 0;
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string s{static_cast<char>(a), static_cast<char>(b)};
      auto r = HexDecode(s);
      if (r.ok()) {
        ++accepted;
        ASSERT_EQ(r->size(), 1u);
        EXPECT_EQ(HexEncode(*r), s);
      } else if ((is_lower(a) || is_upper(a)) && (is_lower(b) || is_upper(b))) {
        EXPECT_CODE(r, ErrorCode::kNonCanonical) << a << "," << b;  // only upper case
      } else if (!is_upper(a) && !is_upper(b)) {
        EXPECT_CODE(r, ErrorCode::kMalformed) << a << "," << b;  // only bad characters
      } else {
        // Both faults at once (e.g. "A!"): HexDecode reports the first one it
        // meets, so "A!" is NON_CANONICAL and "!A" MALFORMED. Only rejection
        // is asserted here.
        EXPECT_TRUE(r.status().code() == ErrorCode::kNonCanonical ||
                    r.status().code() == ErrorCode::kMalformed);
      }
    }
  }
  EXPECT_EQ(accepted, 256u);
}

// ---------------------------------------------------------------------------
// Base64url (RFC 4648 §5, no padding)
// ---------------------------------------------------------------------------

// RFC 4648 §10 test vectors, with the padding removed.
TEST(Base64Url, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> kVectors[] = {
      {"", ""},         {"f", "Zg"},         {"fo", "Zm8"},      {"foo", "Zm9v"},
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
  for (std::string_view s : {"Zg!", "Zm9v Yg", " Zm9v", "Zm9v\n", "Zm9v\r\n", "Zm.v", "Zm9v*",
                             "Z\xc3\xa9", "Zm\t9v"}) {
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
