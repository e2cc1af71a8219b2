// SPDX-License-Identifier: Apache-2.0
// core/base/bytes.h: views and the byte order used to sort recipients.
#include "core/base/bytes.h"

#include <gtest/gtest.h>

namespace medseal {
namespace {

TEST(Bytes, ViewsAndCopiesOfText) {
  const std::string_view text("a\0b", 3);
  EXPECT_EQ(AsBytes(text).size(), 3u);
  EXPECT_EQ(AsBytes(text).data(), reinterpret_cast<const uint8_t*>(text.data()));
  EXPECT_EQ(ToBytes(text), (Bytes{'a', 0, 'b'}));
  const Bytes b{'x', 'y'};
  EXPECT_EQ(AsText(b), "xy");
  EXPECT_EQ(AsText(ByteView()), "");
}

TEST(Bytes, BytesLessIsAscendingByteOrderShorterFirst) {
  EXPECT_TRUE(BytesLess(Bytes{}, Bytes{0}));
  EXPECT_FALSE(BytesLess(Bytes{0}, Bytes{}));
  EXPECT_FALSE(BytesLess(Bytes{}, Bytes{}));
  EXPECT_TRUE(BytesLess(Bytes{1, 2}, Bytes{1, 3}));
  EXPECT_TRUE(BytesLess(Bytes{1, 2}, Bytes{1, 2, 0}));
  EXPECT_TRUE(BytesLess(Bytes{0x7f}, Bytes{0x80}));  // unsigned bytes
  EXPECT_FALSE(BytesLess(Bytes{0xff}, Bytes{0x00, 0xff}));
  EXPECT_FALSE(BytesLess(Bytes{5, 5}, Bytes{5, 5}));
}

}  // namespace
}  // namespace medseal
