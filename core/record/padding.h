// SPDX-License-Identifier: Apache-2.0
// Length hiding: the Padmé padding scheme with a 256-byte floor
// (docs/spec/record.md §4.4).
#ifndef MEDSEAL_CORE_RECORD_PADDING_H_
#define MEDSEAL_CORE_RECORD_PADDING_H_

#include <cstddef>

namespace medseal {

inline constexpr size_t kMinPaddedSize = 256;

// PAD(n) of the spec: 256 for n <= 256; above, n rounded up so that only
// the top floor(log2 e) + 1 bits of its e-bit length may be non-zero. Less
// than n / 16 larger for every n > 256; PaddedSize(PaddedSize(n)) ==
// PaddedSize(n).
size_t PaddedSize(size_t n);

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_PADDING_H_
