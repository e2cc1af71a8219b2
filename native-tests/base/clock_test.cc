// SPDX-License-Identifier: Apache-2.0
// core/base/clock.h: time is injected; FixedClock reads what it was set to.
#include "core/base/clock.h"

#include <gtest/gtest.h>

namespace medseal {
namespace {

TEST(FixedClock, ReadsWhatItWasSetTo) {
  FixedClock clock(1700000000000);
  Clock& c = clock;
  EXPECT_EQ(c.Now(), 1700000000000);
  EXPECT_EQ(c.Now(), 1700000000000);
  clock.Set(-1);
  EXPECT_EQ(c.Now(), -1);
}

}  // namespace
}  // namespace medseal
