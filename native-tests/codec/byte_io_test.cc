// SPDX-License-Identifier: Apache-2.0
// core/codec/byte_io.h: little-endian writer and bounds-checked reader.
#include "core/codec/byte_io.h"

#include <gtest/gtest.h>

namespace medseal {
namespace {

TEST(ByteWriter, LittleEndianIntegersLabelsAndStrings) {
  Bytes out;
  ByteWriter w(out);
  w.U8(0x01);
  w.U32(0x05040302);
  w.U64(0x0d0c0b0a09080706);
  w.Label("ab");
  w.Str8("xyz");
  w.Raw(ByteView());
  EXPECT_EQ(out, (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 'a', 'b', 0, 3, 'x', 'y', 'z'}));
  EXPECT_EQ(LabelBytes("medseal/v1/x"), ToBytes(std::string_view("medseal/v1/x\0", 13)));
}

TEST(ByteReader, ReadsBackAndNeverReadsPastTheEnd) {
  const Bytes in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
  ByteReader r(in);
  uint8_t a = 0;
  uint32_t b = 0;
  uint64_t c = 0;
  ASSERT_TRUE(r.U8(a));
  ASSERT_TRUE(r.U32(b));
  ASSERT_TRUE(r.U64(c));
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 0x05040302u);
  EXPECT_EQ(c, 0x0d0c0b0a09080706u);
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(r.position(), in.size());
  EXPECT_FALSE(r.U8(a));
  ByteView v;
  EXPECT_TRUE(r.Raw(0, v));
  EXPECT_FALSE(r.Raw(1, v));

  ByteReader short_reader(ByteView(in).first(3));
  EXPECT_FALSE(short_reader.U32(b));
  EXPECT_EQ(short_reader.position(), 0u);  // a failed read consumes nothing
  EXPECT_FALSE(short_reader.U64(c));
  EXPECT_FALSE(short_reader.Raw(4, v));
  EXPECT_TRUE(short_reader.Raw(3, v));
  EXPECT_EQ(Bytes(v.begin(), v.end()), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace medseal
