// SPDX-License-Identifier: Apache-2.0
// Bech32 (core/codec/bech32.h) against BIP-173's checksum-level vectors
// (external/rfc/bech32_bip173.json): every valid string decodes, every
// invalid one is rejected, and every Bech32m string (BIP-350) is rejected as
// a wrong checksum, because age uses the original Bech32 constant.
#include "core/codec/bech32.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using testing::Json;

const Json& Vectors() {
  static const Json* const kFile =
      new Json(testing::LoadVectorJson("external/rfc/bech32_bip173.json"));
  return *kFile;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The string of an invalid entry: string_hex when present (bytes outside
// printable ASCII), else the JSON string.
std::string InvalidString(const Json& entry) {
  if (entry.contains("string_hex")) {
    const Bytes b = testing::Hex(entry, "string_hex");
    return std::string(b.begin(), b.end());
  }
  return testing::Str(entry, "string");
}

TEST(Bech32, Bip173ValidStringsDecodeAndReencode) {
  const Json& valid = Vectors()["bech32"]["valid"];
  ASSERT_TRUE(valid.is_array());
  size_t n = 0;
  for (const Json& v : valid) {
    const std::string s = v.get<std::string>();
    SCOPED_TRACE(s);
    auto d = Bech32Decode(s);
    ASSERT_OK(d);
    // Re-encoding gives the lower-case string back (the data part is 8-bit
    // regrouped, so this also checks the padding rule both ways).
    auto e = Bech32Encode(d->hrp, d->data);
    ASSERT_OK(e);
    EXPECT_EQ(*e, Lower(s));
    ++n;
  }
  EXPECT_EQ(n, 7U);
}

TEST(Bech32, Bip173InvalidStringsAreRejected) {
  const Json& invalid = Vectors()["bech32"]["invalid"];
  ASSERT_TRUE(invalid.is_array());
  size_t n = 0;
  for (const Json& entry : invalid) {
    const std::string s = InvalidString(entry);
    SCOPED_TRACE(testing::Str(entry, "reason") + ": " + s);
    auto d = Bech32Decode(s);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), ErrorCode::kMalformed);
    ++n;
  }
  EXPECT_EQ(n, 12U);
}

TEST(Bech32, Bech32mStringsAreRejectedAsWrongChecksum) {
  const Json& m = Vectors()["bech32m"];
  size_t n = 0;
  for (const Json& v : m["valid"]) {
    const std::string s = v.get<std::string>();
    SCOPED_TRACE(s);
    auto d = Bech32Decode(s);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), ErrorCode::kMalformed);
    EXPECT_NE(d.status().message().find("checksum"), std::string::npos) << d.status().message();
    ++n;
  }
  for (const Json& entry : m["invalid"]) {
    const std::string s = InvalidString(entry);
    SCOPED_TRACE(testing::Str(entry, "reason") + ": " + s);
    EXPECT_CODE(Bech32Decode(s), ErrorCode::kMalformed);
    ++n;
  }
  EXPECT_EQ(n, 21U);
}

TEST(Bech32, NoNinetyCharacterLimit) {
  const Bytes data(200, 0xa5);
  auto e = Bech32Encode("age", data);
  ASSERT_OK(e);
  EXPECT_GT(e->size(), 90U);
  auto d = Bech32Decode(*e);
  ASSERT_OK(d);
  EXPECT_EQ(d->data, data);
  // max_length bounds the whole string.
  EXPECT_CODE(Bech32Decode(*e, e->size() - 1), ErrorCode::kTooLarge);
  EXPECT_OK(Bech32Decode(*e, e->size()));
}

TEST(Bech32, UpperCaseEncodingDecodesToTheSameData) {
  const Bytes data =
      testing::HexOrDie("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  auto upper = Bech32EncodeUpper("age-secret-key-", data);
  ASSERT_OK(upper);
  EXPECT_EQ(upper->substr(0, 16), "AGE-SECRET-KEY-1");
  auto lower = Bech32Encode("age-secret-key-", data);
  ASSERT_OK(lower);
  EXPECT_EQ(Lower(*upper), *lower);
  auto d = Bech32Decode(*upper);
  ASSERT_OK(d);
  EXPECT_EQ(d->hrp, "age-secret-key-");
  EXPECT_EQ(d->data, data);
}

TEST(Bech32, RoundTripsEveryLength) {
  for (size_t n = 0; n <= 80; ++n) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 29 + 7);
    auto e = Bech32Encode("x", data);
    ASSERT_OK(e);
    auto d = Bech32Decode(*e);
    ASSERT_OK(d);
    EXPECT_EQ(d->data, data) << n;
  }
}

TEST(Bech32, RejectsBadPaddingAndMixedCase) {
  // Strings with valid checksums (computed independently) whose 5-bit data
  // does not regroup into bytes: one word (5 padding bits), and two words
  // whose 2 padding bits are 01.
  EXPECT_CODE(Bech32Decode("a1q3g6mn3"), ErrorCode::kMalformed);
  EXPECT_CODE(Bech32Decode("a1pv7wwwr"), ErrorCode::kMalformed);
  EXPECT_CODE(Bech32Decode("a1qpamnt9j"), ErrorCode::kMalformed);
  auto ok = Bech32Decode("a1qqqd87cq");  // two zero words: one zero byte
  ASSERT_OK(ok);
  EXPECT_EQ(ok->data, Bytes{0x00});
  EXPECT_CODE(Bech32Decode("A12uEL5L"), ErrorCode::kMalformed);  // mixed case
  EXPECT_CODE(Bech32Decode("a12uel5m"), ErrorCode::kMalformed);  // one checksum char off
  EXPECT_CODE(Bech32Decode(""), ErrorCode::kMalformed);
}

TEST(Bech32, EncodeRejectsBadHrp) {
  EXPECT_CODE(Bech32Encode("", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Bech32Encode("Age", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Bech32Encode("a b", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Bech32Encode(std::string(84, 'a'), {}), ErrorCode::kInvalidArgument);
  EXPECT_OK(Bech32Encode(std::string(83, 'a'), {}));
}

}  // namespace
}  // namespace medseal
