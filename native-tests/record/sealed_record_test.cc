// A record's two encodings (core/record/sealed_record.h): the encoding is
// chosen by the caller, both spell the same record, and an encoding value
// outside the enum is refused.
#include "core/record/sealed_record.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace medseal
