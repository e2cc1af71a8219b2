// SPDX-License-Identifier: Apache-2.0
// Standard base64 (core/codec/base64.h), strict in both modes: age's
// unpadded encoding and the padded encoding of its ASCII armor.
#include "core/codec/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

// RFC 4648 §10.
constexpr std::pair<std::string_view, std::string_view> kRfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

std::string Unpad(std::string_view s) {
  std::string out(s);
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

TEST(Base64, Rfc4648VectorsPadded) {
  for (const auto& [plain, encoded] : kRfc4648) {
    EXPECT_EQ(Base64Encode(AsBytes(plain), Base64Padding::kRequired), encoded);
    auto back = Base64Decode(encoded, Base64Padding::kRequired);
    ASSERT_OK(back);
    EXPECT_EQ(std::string(back->begin(), back->end()), plain);
  }
}

TEST(Base64, Rfc4648VectorsUnpadded) {
  for (const auto& [plain, encoded] : kRfc4648) {
    const std::string unpadded = Unpad(encoded);
    EXPECT_EQ(Base64Encode(AsBytes(plain), Base64Padding::kNone), unpadded);
    auto back = Base64Decode(unpadded, Base64Padding::kNone);
    ASSERT_OK(back);
    EXPECT_EQ(std::string(back->begin(), back->end()), plain);
    if (unpadded != encoded) {
      // Padding where none is allowed, and none where it is required.
      EXPECT_CODE(Base64Decode(encoded, Base64Padding::kNone), ErrorCode::kMalformed);
      EXPECT_CODE(Base64Decode(unpadded, Base64Padding::kRequired), ErrorCode::kMalformed);
    }
  }
}

TEST(Base64, StandardAlphabetOnly) {
  const uint8_t bytes[] = {0xfb, 0xff, 0xbf};
  EXPECT_EQ(Base64Encode(bytes, Base64Padding::kNone), "+/+/");
  auto back = Base64Decode("+/+/", Base64Padding::kNone);
  ASSERT_OK(back);
  EXPECT_EQ(*back, Bytes(std::begin(bytes), std::end(bytes)));
  EXPECT_CODE(Base64Decode("-_-_", Base64Padding::kNone), ErrorCode::kMalformed);
  EXPECT_CODE(Base64Decode("-_-_", Base64Padding::kRequired), ErrorCode::kMalformed);
}

TEST(Base64, RoundTripsEveryLengthUpTo100) {
  for (size_t n = 0; n <= 100; ++n) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 53 + 11);
    for (Base64Padding p : {Base64Padding::kNone, Base64Padding::kRequired}) {
      const std::string text = Base64Encode(data, p);
      EXPECT_EQ(text.size(), p == Base64Padding::kNone ? (4 * n + 2) / 3 : (n + 2) / 3 * 4);
      auto back = Base64Decode(text, p);
      ASSERT_OK(back);
      EXPECT_EQ(*back, data) << n;
    }
  }
}

TEST(Base64, RejectsNonCanonicalTrailingBits) {
  // "Zg" is 0x66; "Zh".."Zv" set unused bits and are a second spelling.
  EXPECT_CODE(Base64Decode("Zh", Base64Padding::kNone), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base64Decode("Zh==", Base64Padding::kRequired), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base64Decode("Zm9", Base64Padding::kNone), ErrorCode::kNonCanonical);
  EXPECT_CODE(Base64Decode("Zm9=", Base64Padding::kRequired), ErrorCode::kNonCanonical);
  EXPECT_OK(Base64Decode("Zm8", Base64Padding::kNone));
  // Every one of the 16 spellings of a 1-byte tail but one is rejected.
  size_t accepted = 0;
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (char c : alphabet) {
    std::string s = "Z";
    s.push_back(c);
    if (Base64Decode(s, Base64Padding::kNone).ok()) ++accepted;
  }
  EXPECT_EQ(accepted, 4U);  // the 4 characters whose low 4 bits are zero
}

TEST(Base64, RejectsBadGrammar) {
  for (std::string_view bad :
       {"Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zm\r9", "Zm9v=", "Z=9v", "Zm9v\x80", "Zm9v*"}) {
    SCOPED_TRACE(bad);
    EXPECT_CODE(Base64Decode(bad, Base64Padding::kNone), ErrorCode::kMalformed);
  }
  for (std::string_view bad :
       {"Zg=", "Zg", "Z===", "Zm9v====", "Zg==Zg==", "=Zg=", "Zm9v\n", " Zg==", "Zm=v"}) {
    SCOPED_TRACE(bad);
    EXPECT_CODE(Base64Decode(bad, Base64Padding::kRequired), ErrorCode::kMalformed);
  }
}

}  // namespace
}  // namespace medseal
