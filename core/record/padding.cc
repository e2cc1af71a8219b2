// SPDX-License-Identifier: Apache-2.0
#include "core/record/padding.h"

#include <bit>

namespace medseal {

size_t PaddedSize(size_t n) {
  if (n <= kMinPaddedSize) return kMinPaddedSize;
  const auto e = static_cast<size_t>(std::bit_width(n)) - 1;  // floor(log2 n) >= 8
  const auto s = static_cast<size_t>(std::bit_width(e));      // floor(log2 e) + 1
  const size_t mask = (size_t{1} << (e - s)) - 1;
  return (n + mask) & ~mask;
}

}  // namespace medseal
