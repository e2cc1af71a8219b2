// SPDX-License-Identifier: Apache-2.0
// The test support itself: a broken vector file stops the suite instead of
// passing with fewer checks.
#include "native-tests/support/test_util.h"

#include <gtest/gtest.h>

namespace medseal {
namespace {

TEST(TestUtilDeathTest, HexOrDieDiesOnBadHex) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  EXPECT_DEATH_IF_SUPPORTED(testing::HexOrDie("zz"), "bad hex in a vector file");
  EXPECT_DEATH_IF_SUPPORTED(testing::HexOrDie("abc"), "bad hex in a vector file");
}

TEST(TestUtil, HexOrDieDecodes) { EXPECT_EQ(testing::HexOrDie("00ff"), (Bytes{0x00, 0xff})); }

TEST(TestUtilDeathTest, MissingVectorFileDies) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  EXPECT_DEATH_IF_SUPPORTED(testing::ReadVectorFile("no/such/file.json"), "missing vector file");
}

}  // namespace
}  // namespace medseal
