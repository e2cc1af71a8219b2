// SPDX-License-Identifier: Apache-2.0
// The payload inside a record (core/record/payload.h, docs/spec/record.md
// §4.3-§4.4): encoding, padding removal and the opener's rules, directly on
// plaintexts (the record vectors reach the same rules through sealed records).
#include "core/record/payload.h"

#include <gtest/gtest.h>

#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using testing::PayloadData;

Result<OpenedPayload> Open(const Bytes& padded) {
  return OpenedPayload::FromPadded(SecretBytes::CopyFrom(padded));
}

TEST(Payload, EncodeThenOpenGivesTheFields) {
  const PayloadData p{"application/fhir+json", "obs-1", "Observation", ToBytes("{\"a\":1}")};
  const Bytes padded = internal::EncodePayloadForTesting(p, 1700000000123);
  EXPECT_EQ(padded.size(), kMinPaddedSize);
  auto opened = Open(padded);
  ASSERT_OK(opened);
  EXPECT_TRUE(testing::SamePayload(*opened, p));
  EXPECT_EQ(opened->created(), 1700000000123);
  // The views stay valid when the payload is moved.
  OpenedPayload moved = std::move(opened).value();
  EXPECT_TRUE(testing::SamePayload(moved, p));
}

TEST(Payload, OpenerRules) {
  const PayloadData p{"text/plain", "", "", ToBytes("x")};
  const Bytes good = internal::EncodePayloadForTesting(p, 0);
  Bytes no_marker = good;
  for (size_t i = no_marker.size(); i-- > 0;) {
    if (no_marker[i] == 0x80) {
      no_marker[i] = 0;
      break;
    }
  }
  EXPECT_CODE(Open(no_marker), ErrorCode::kNonCanonical);
  EXPECT_CODE(Open(Bytes(256, 0)), ErrorCode::kNonCanonical);
  Bytes long_pad = good;
  long_pad.resize(512, 0);
  EXPECT_CODE(Open(long_pad), ErrorCode::kNonCanonical);
  Bytes only_marker(256, 0);
  only_marker[0] = 0x80;
  EXPECT_CODE(Open(only_marker), ErrorCode::kMalformed);
  Bytes body_after = good;
  body_after[1 + 10 + 1 + 1 + 8 + 4 + 1] = 'y';  // a byte after the body, before the marker
  body_after[1 + 10 + 1 + 1 + 8 + 4 + 2] = 0x80;
  EXPECT_CODE(Open(body_after), ErrorCode::kMalformed);
  // created: 0..2^53 - 1 (spec §4.3, rule P5).
  EXPECT_OK(Open(internal::EncodePayloadForTesting(p, kMaxUnixMillis)));
  EXPECT_CODE(Open(internal::EncodePayloadForTesting(p, kMaxUnixMillis + 1)),
              ErrorCode::kMalformed);
  EXPECT_CODE(Open(internal::EncodePayloadForTesting(p, INT64_MAX)), ErrorCode::kMalformed);
  EXPECT_CODE(Open(internal::EncodePayloadForTesting(p, -1)), ErrorCode::kMalformed);
}

TEST(Payload, SealArgumentRules) {
  auto check = [](const PayloadData& p) {
    return internal::CheckPayloadFields(p, ErrorCode::kInvalidArgument);
  };
  EXPECT_OK(check({"t", "", "", {}}));
  EXPECT_CODE(check({"", "", "", {}}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(check({std::string(kMaxContentTypeBytes + 1, 't'), "", "", {}}),
              ErrorCode::kTooLarge);
  EXPECT_CODE(check({"t", std::string(kMaxRecordIdBytes + 1, 'r'), "", {}}), ErrorCode::kTooLarge);
  EXPECT_CODE(check({"t", "", std::string(kMaxResourceTypeBytes + 1, 'R'), {}}),
              ErrorCode::kTooLarge);
  EXPECT_CODE(check({"t", "", "", Bytes(kMaxBodyBytes + 1)}), ErrorCode::kTooLarge);
  EXPECT_CODE(internal::CheckPayloadFields(PayloadData{"t\x01", "", "", {}}, ErrorCode::kMalformed),
              ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal
