// SPDX-License-Identifier: Apache-2.0
#include "core/record/padding.h"

namespace medseal {
namespace {

size_t FloorLog2(size_t n) {
  size_t r = 0;
  while (n >>= 1) ++r;
  return r;
}

}  // namespace

size_t PaddedSize(size_t n) {
  if (n <= kMinPaddedSize) return kMinPaddedSize;
  const size_t e = FloorLog2(n);
  const size_t s = FloorLog2(e) + 1;
  const size_t mask = (size_t{1} << (e - s)) - 1;
  return (n + mask) & ~mask;
}

}  // namespace medseal
