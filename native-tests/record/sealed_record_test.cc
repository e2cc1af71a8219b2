// SPDX-License-Identifier: Apache-2.0
// A record's two encodings (core/record/sealed_record.h): the encoding is
// chosen by the caller, both spell the same record, and an encoding value
// outside the enum is refused.
#include "core/record/sealed_record.h"

#include <gtest/gtest.h>

#include "core/codec/base64url.h"
#include "core/record/padding.h"
#include "core/record/payload.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

SealedRecord Sample() {
  auto sender = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 1)), "P", "patient", 0);
  MEDSEAL_CHECK(sender.ok());
  ChaChaRng rng(Bytes(32, 2));
  FixedClock clock(5);
  const PublicCard cards[] = {sender->card()};
  const Bytes body = ToBytes("hello");
  auto r = SealRecord(*sender, cards, RecordPayload{"text/plain", "", "", body}, rng, clock);
  MEDSEAL_CHECK(r.ok());
  return std::move(r).value();
}

TEST(SealedRecord, EncodingsByEnum) {
  const SealedRecord r = Sample();
  auto bin = EncodeRecord(r, RecordEncoding::kBinary);
  auto json = EncodeRecord(r, RecordEncoding::kJson);
  ASSERT_OK(bin);
  ASSERT_OK(json);
  EXPECT_EQ(*bin, EncodeRecordBinary(r));
  EXPECT_EQ(*json, ToBytes(EncodeRecordJson(r)));
  auto from_bin = ParseRecord(*bin, RecordEncoding::kBinary);
  auto from_json = ParseRecord(*json, RecordEncoding::kJson);
  ASSERT_OK(from_bin);
  ASSERT_OK(from_json);
  EXPECT_EQ(EncodeRecordBinary(*from_json), *bin);
  EXPECT_EQ(EncodeRecordJson(*from_bin), AsText(*json));
  // Nothing is guessed: each parser refuses the other spelling.
  EXPECT_CODE(ParseRecord(*json, RecordEncoding::kBinary), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecord(*bin, RecordEncoding::kJson), ErrorCode::kMalformed);
  const auto bad = static_cast<RecordEncoding>(2);
  EXPECT_CODE(EncodeRecord(r, bad), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseRecord(*bin, bad), ErrorCode::kInvalidArgument);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  MEDSEAL_CHECK(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

// Rule G1 for records (a vector would be a 32 MiB file): a JSON record of
// exactly 32 MiB parses, one byte more is TOO_LARGE, before any other rule.
TEST(SealedRecordLimits, JsonInputOver32MiBIsTooLarge) {
  const std::string json = EncodeRecordJson(Sample());
  std::string at_limit = json + std::string(kMaxRecordJsonBytes - json.size(), ' ');
  ASSERT_EQ(at_limit.size(), kMaxRecordJsonBytes);
  EXPECT_OK(ParseRecordJson(at_limit));
  EXPECT_CODE(ParseRecordJson(at_limit + " "), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseRecordJson("\xEF\xBB\xBF" + at_limit), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseRecordJson(Replace(at_limit, "\"v\":1", "\"v\":2") + " "), ErrorCode::kTooLarge);
}

// Rule J28 (B11 through JSON; a vector would be a 23 MB file): a ciphertext
// that decodes to the largest L (23068694 characters) parses, one byte more
// is TOO_LARGE: the length counted is the decoded one.
TEST(SealedRecordLimits, OverlongJsonCiphertextIsTooLarge) {
  const SealedRecord r = Sample();
  const std::string json = EncodeRecordJson(r);
  const std::string ct = Base64UrlEncode(r.ciphertext);
  const size_t max_l = PaddedSize(kMaxBodyBytes + 271) + 16;
  ASSERT_EQ(max_l, 17301520u);
  EXPECT_OK(ParseRecordJson(Replace(json, ct, Base64UrlEncode(Bytes(max_l, 0x11)))));
  EXPECT_CODE(ParseRecordJson(Replace(json, ct, Base64UrlEncode(Bytes(max_l + 1, 0x11)))),
              ErrorCode::kTooLarge);
}

SealedRecord SampleV2() {
  auto sender = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 1)), "P", "patient", 0);
  MEDSEAL_CHECK(sender.ok());
  ChaChaRng rng(Bytes(32, 3));
  FixedClock clock(5);
  const PublicCard* cards[] = {&sender->card()};
  const Bytes body = ToBytes("hello");
  RecordContext context{{{"urn:p", "TREAT"}}, {Bytes(32, 7)}};
  auto r = SealRecordV2(*sender, cards, {}, RecordPayload{"text/plain", "", "", body}, context, rng,
                        clock);
  MEDSEAL_CHECK(r.ok());
  return std::move(r).value();
}

// Rule G1 for version 2 records: the same limit, before J1-J3 and K1.
TEST(SealedRecordLimits, V2JsonInputOver32MiBIsTooLarge) {
  const std::string json = EncodeRecordJson(SampleV2());
  ASSERT_NE(json.find("\"v\":2"), std::string::npos);
  std::string at_limit = json + std::string(kMaxRecordJsonBytes - json.size(), ' ');
  EXPECT_OK(ParseRecordJson(at_limit));
  EXPECT_CODE(ParseRecordJson(at_limit + " "), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseRecordJson(Replace(at_limit, "\"purposes\":[", "\"purposes\":7,\"x\":[") + " "),
              ErrorCode::kTooLarge);
}

// Rule J28 in a version 2 record (after the K rules of the stanzas).
TEST(SealedRecordLimits, V2OverlongJsonCiphertextIsTooLarge) {
  const SealedRecord r = SampleV2();
  const std::string json = EncodeRecordJson(r);
  const std::string ct = Base64UrlEncode(r.ciphertext);
  const size_t max_l = PaddedSize(kMaxBodyBytes + 271) + 16;
  EXPECT_OK(ParseRecordJson(Replace(json, ct, Base64UrlEncode(Bytes(max_l, 0x11)))));
  EXPECT_CODE(ParseRecordJson(Replace(json, ct, Base64UrlEncode(Bytes(max_l + 1, 0x11)))),
              ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace medseal
