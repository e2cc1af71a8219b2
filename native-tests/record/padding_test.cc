// The padding scheme (core/record/padding.h, docs/spec/record.md §4.4).
#include "core/record/padding.h"

#include <gtest/gtest.h>

namespace medseal {
namespace {

TEST(Padding, Scheme) {
  size_t prev = 0;
  for (size_t n = 0; n < (1u << 20); n += (n < 4096 ? 1 : 997)) {
    size_t p = PaddedSize(n);
    ASSERT_GE(p, n);
    ASSERT_GE(p, kMinPaddedSize);
    ASSERT_EQ(PaddedSize(p), p) << "not idempotent at " << n;
    ASSERT_GE(p, prev) << "not monotone at " << n;
    if (n > kMinPaddedSize) {
      ASSERT_LE(p - n, n / 8) << "overhead above 12.5% at " << n;
    }
    prev = p;
  }
  EXPECT_EQ(PaddedSize(0), 256u);
  EXPECT_EQ(PaddedSize(256), 256u);
  EXPECT_EQ(PaddedSize(257), 272u);
  EXPECT_EQ(PaddedSize(1000), 1024u);
  EXPECT_EQ(PaddedSize(1100), 1152u);
  EXPECT_EQ(PaddedSize(1u << 20), 1u << 20);
  EXPECT_EQ(PaddedSize((1u << 20) + 1), (1u << 20) + (1u << 15));
}

}  // namespace
}  // namespace medseal
