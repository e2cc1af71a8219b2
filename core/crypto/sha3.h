// SPDX-License-Identifier: Apache-2.0
// SHA-3 and SHAKE (FIPS 202) on PQClean's fips202.c (third_party/pqclean),
// the same Keccak that ML-KEM-768 and ML-DSA-44 use. libsodium has no SHA-3.
// X-Wing's combiner and key expansion need SHA3-256 and SHAKE256; the
// Secret variants are for outputs that are key material.
#ifndef MEDSEAL_CORE_CRYPTO_SHA3_H_
#define MEDSEAL_CORE_CRYPTO_SHA3_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/secret.h"

namespace medseal {

inline constexpr size_t kSha3_256Size = 32;
inline constexpr size_t kSha3_512Size = 64;

Bytes Sha3_256(ByteView data);
Bytes Sha3_512(ByteView data);
// `length` output bytes of the extendable-output functions (0 gives empty).
Bytes Shake128(ByteView data, size_t length);
Bytes Shake256(ByteView data, size_t length);

SecretBytes Sha3_256Secret(ByteView data);
SecretBytes Shake256Secret(ByteView data, size_t length);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_SHA3_H_
