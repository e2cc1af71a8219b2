// SPDX-License-Identifier: Apache-2.0
// PQClean draws randomness through one C function, PQCLEAN_randombytes
// (ML-DSA-44 key generation and signing; ML-KEM's non-derand entry points,
// which core never calls). Core's randomness is injected, so that function
// (third_party/pqclean/randombytes_hook.c) hands out bytes the caller drew
// from its Rng beforehand: a ScopedPqRandom names those bytes for the
// duration of one PQClean call. A PQClean call that asks for more than was
// provided, or asks outside a scope, is a bug in core: the hook stops the
// process rather than return predictable bytes. A call that asks for fewer
// is a bug too (randomness the caller drew would go unused): callers check
// unused() == 0 after the call.
#ifndef MEDSEAL_CORE_CRYPTO_INTERNAL_PQ_RANDOM_H_
#define MEDSEAL_CORE_CRYPTO_INTERNAL_PQ_RANDOM_H_

#include <cstddef>

#include "core/base/bytes.h"

namespace medseal::internal {

class ScopedPqRandom {
 public:
  // `bytes` must outlive the scope; PQClean's requests consume it in order.
  explicit ScopedPqRandom(ByteView bytes);
  ~ScopedPqRandom();
  ScopedPqRandom(const ScopedPqRandom&) = delete;
  ScopedPqRandom& operator=(const ScopedPqRandom&) = delete;
  ScopedPqRandom(ScopedPqRandom&&) = delete;
  ScopedPqRandom& operator=(ScopedPqRandom&&) = delete;

  // How many of the scope's bytes PQClean has not consumed so far.
  size_t unused() const;
};

}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_CRYPTO_INTERNAL_PQ_RANDOM_H_
