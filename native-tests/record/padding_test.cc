// SPDX-License-Identifier: Apache-2.0
// The padding scheme (core/record/padding.h, docs/spec/record.md §4.4).
#include "core/record/padding.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace medseal {
namespace {

size_t FloorLog2(size_t n) {
  size_t r = 0;
  while (n >>= 1) ++r;
  return r;
}

// Every m up to 2^20 and around every power of two up to 2^25 (past the
// largest padded payload, PAD(16777216 + 271) = 17301504), every 61st m in
// between: PAD is monotone, and its overhead is the bound spec §4.4 states:
// PAD(m) - m <= 2^(e-s) - 1 < m / 2^s, so below m/16 (6.25 %) for
// 256 < m < 2^16 and below m/32 (3.125 %) from 2^16 up.
TEST(Padding, Scheme) {
  size_t prev = 0;
  // The largest (PAD(m) - m) / m seen; 64-bit, as the cross products
  // exceed a 32-bit size_t (wasm32).
  uint64_t worst_num = 0, worst_den = 1;
  auto next = [](size_t m) {
    const size_t b = size_t{1} << FloorLog2(m | 1);  // the power of two at or below m
    const bool near_power = m - b < 4096 || 2 * b - m <= 4096;
    return m < (size_t{1} << 20) || near_power ? m + 1 : m + 61;
  };
  for (size_t m = 0; m <= (size_t{1} << 25); m = next(m)) {
    const size_t p = PaddedSize(m);
    ASSERT_GE(p, m);
    ASSERT_GE(p, kMinPaddedSize);
    ASSERT_GE(p, prev) << "not monotone at " << m;
    prev = p;
    if (m <= kMinPaddedSize) {
      ASSERT_EQ(p, kMinPaddedSize);
      continue;
    }
    const size_t e = FloorLog2(m);
    const size_t s = FloorLog2(e) + 1;
    const size_t over = p - m;
    ASSERT_LE(over, (size_t{1} << (e - s)) - 1) << m;
    ASSERT_LT(over << s, m) << m;  // over < m / 2^s
    ASSERT_LT(over * 16, m) << "overhead not below 6.25 % at " << m;
    if (m >= (size_t{1} << 16)) ASSERT_LT(over * 32, m) << "overhead not below 3.125 % at " << m;
    if (uint64_t{over} * worst_den > worst_num * m) {
      worst_num = over;
      worst_den = m;
    }
  }
  // The worst case: m = 2^15 + 1 padded to 2^15 + 2^11, 2047 / 32769 = 6.2468 %.
  EXPECT_EQ(worst_num, 2047u);
  EXPECT_EQ(worst_den, 32769u);
  EXPECT_EQ(PaddedSize(0), 256u);
  EXPECT_EQ(PaddedSize(256), 256u);
  EXPECT_EQ(PaddedSize(257), 272u);
  EXPECT_EQ(PaddedSize(1000), 1024u);
  EXPECT_EQ(PaddedSize(1100), 1152u);
  EXPECT_EQ(PaddedSize(1u << 20), 1u << 20);
  EXPECT_EQ(PaddedSize((1u << 20) + 1), (1u << 20) + (1u << 15));
  EXPECT_EQ(PaddedSize(16777216 + 271), 17301504u);  // the largest padded payload
}

// Idempotence on every padded size up to 2^25, and how many there are: in
// each range [2^e, 2^(e+1)) with e >= 8 exactly 2^s, the multiples of
// 2^(e-s): the O(log log m) bits a record's size reveals.
TEST(Padding, EveryPaddedSize) {
  for (size_t e = 8; e < 25; ++e) {
    const size_t s = FloorLog2(e) + 1;
    size_t count = 0;
    for (size_t m = size_t{1} << e; m < (size_t{2} << e);) {
      const size_t p = PaddedSize(m);
      ASSERT_EQ(PaddedSize(p), p) << "not idempotent at " << p;
      ASSERT_EQ(p % (size_t{1} << (e - s)), 0u) << p;
      if (p < (size_t{2} << e)) ++count;
      m = p + 1;
    }
    EXPECT_EQ(count, size_t{1} << s) << "e = " << e;
  }
}

}  // namespace
}  // namespace medseal
