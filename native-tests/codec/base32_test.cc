// SPDX-License-Identifier: Apache-2.0
// RFC 4648 §6 base32 (core/codec/base32.h): the §10 test vectors (without
// their padding), round trips at every length, and the reject rules in order.
#include "core/codec/base32.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using ::medseal::testing::StatusText;

// RFC 4648 §10, with the '=' padding removed (medseal writes none).
TEST(Base32, Rfc4648Section10) {
  const std::pair<const char*, const char*> kCases[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : kCases) {
    SCOPED_TRACE(plain);
    EXPECT_EQ(Base32Encode(AsBytes(plain)), encoded);
    auto decoded = Base32Decode(encoded);
    ASSERT_OK(decoded);
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), plain);
  }
}

TEST(Base32, RoundTripsEveryLengthAndByte) {
  for (size_t n = 0; n <= 40; ++n) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 37 + n * 11 + 255 * (i & 1));
    std::string text = Base32Encode(data);
    EXPECT_EQ(text.size(), (n * 8 + 4) / 5);
    auto back = Base32Decode(text);
    ASSERT_OK(back);
    EXPECT_EQ(*back, data) << n;
    auto secret = Base32DecodeSecret(text);
    ASSERT_OK(secret);
    EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*secret), data));
  }
  Bytes all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  auto back = Base32Decode(Base32Encode(all));
  ASSERT_OK(back);
  EXPECT_EQ(*back, all);
}

TEST(Base32, RejectsInOrder) {
  // Characters outside A-Z 2-7: lower case, 0, 1, 8, 9, '=' inside, space.
  for (const char* bad :
       {"mzxw6", "MZXW0", "MZXW1", "MZXW8", "MZXW9", "MZ=XW6", "MZ XW6", "MZXW6\n"}) {
    EXPECT_CODE(Base32Decode(bad), ErrorCode::kMalformed) << bad;
    EXPECT_CODE(Base32DecodeSecret(bad), ErrorCode::kMalformed) << bad;
  }
  // Lengths 1, 3, 6 mod 8 cannot come from whole bytes.
  for (const char* bad : {"M", "MZX", "MZXW6Y", "MZXW6YTBM"}) {
    EXPECT_CODE(Base32Decode(bad), ErrorCode::kMalformed) << bad;
  }
  // A bad character wins over a bad length, a bad length over padding.
  EXPECT_CODE(Base32Decode("mzx"), ErrorCode::kMalformed);
  EXPECT_CODE(Base32Decode("MZX="), ErrorCode::kMalformed);
  // Padding is a second spelling.
  EXPECT_CODE(Base32Decode("MY======"), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base32Decode("MZXQ===="), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base32Decode("="), ErrorCode::kNonCanonical);
  // Non-zero unused bits: "MY" is 'f' (0x66) with 2 zero bits; "MZ", "M3" set them.
  EXPECT_CODE(Base32Decode("MZ"), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base32Decode("M3"), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base32Decode("MZXR"), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base32DecodeSecret("M3"), ErrorCode::kNonCanonical);
  auto ok = Base32Decode("MY");
  EXPECT_TRUE(ok.ok()) << StatusText(ok);
}

}  // namespace
}  // namespace medseal
