// SPDX-License-Identifier: Apache-2.0
// The randomness hook between core's injected Rng and PQClean
// (core/crypto/internal/pq_random.h, third_party/pqclean/randombytes_hook.c):
// PQClean's requests consume the scope's bytes in order; a request outside a
// scope, beyond the bytes given, or a second open scope stops the process
// (a bug in core, never predictable bytes).
#include "core/crypto/internal/pq_random.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "core/base/bytes.h"
#include "native-tests/support/test_util.h"

// PQClean's randomness function, defined by randombytes_hook.c (linked into
// core through medseal::pqclean); declared here because the PQClean header
// is core-private.
extern "C" int PQCLEAN_randombytes(uint8_t* output, size_t n);

namespace medseal::internal {
namespace {

TEST(PqRandom, RequestsConsumeTheScopeInOrder) {
  const Bytes given = {1, 2, 3, 4, 5, 6, 7};
  ScopedPqRandom scope(given);
  EXPECT_EQ(scope.unused(), 7u);
  uint8_t a[3] = {}, b[4] = {};
  EXPECT_EQ(PQCLEAN_randombytes(a, 3), 0);
  EXPECT_EQ(scope.unused(), 4u);
  EXPECT_EQ(PQCLEAN_randombytes(b, 0), 0);
  EXPECT_EQ(PQCLEAN_randombytes(b, 4), 0);
  EXPECT_EQ(scope.unused(), 0u);
  EXPECT_EQ(Bytes(a, a + 3), Bytes({1, 2, 3}));
  EXPECT_EQ(Bytes(b, b + 4), Bytes({4, 5, 6, 7}));
}

TEST(PqRandom, AScopeEndsWithItsObject) {
  {
    const Bytes given(32, 9);
    ScopedPqRandom scope(given);
  }
  const Bytes again(2, 1);
  ScopedPqRandom next(again);  // would stop the process if the first were still open
  uint8_t out[2] = {};
  EXPECT_EQ(PQCLEAN_randombytes(out, 2), 0);
  EXPECT_EQ(out[1], 1);
}

TEST(PqRandom, EmptyScopeServesEmptyRequests) {
  ScopedPqRandom scope(ByteView{});
  uint8_t out[1] = {0xaa};
  EXPECT_EQ(PQCLEAN_randombytes(out, 0), 0);
  EXPECT_EQ(out[0], 0xaa);
  EXPECT_EQ(scope.unused(), 0u);
}

TEST(PqRandomDeathTest, MisuseStopsTheProcess) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  uint8_t out[8] = {};
  EXPECT_DEATH_IF_SUPPORTED(PQCLEAN_randombytes(out, 1), "request outside a scope");
  EXPECT_DEATH_IF_SUPPORTED(
      {
        const Bytes given(4, 0);
        ScopedPqRandom scope(given);
        PQCLEAN_randombytes(out, 5);
      },
      "request beyond the bytes provided");
  EXPECT_DEATH_IF_SUPPORTED(
      {
        const Bytes given(4, 0);
        ScopedPqRandom scope(given);
        ScopedPqRandom nested(given);
      },
      "a scope is already open");
}

}  // namespace
}  // namespace medseal::internal
