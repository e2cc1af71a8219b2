// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/internal/pq_random.h"

#include "medseal_pqclean.h"

namespace medseal::internal {

ScopedPqRandom::ScopedPqRandom(ByteView bytes) {
  medseal_pqclean_random_begin(bytes.data(), bytes.size());
}

size_t ScopedPqRandom::unused() const { return medseal_pqclean_random_remaining(); }

ScopedPqRandom::~ScopedPqRandom() { (void)medseal_pqclean_random_end(); }

}  // namespace medseal::internal
