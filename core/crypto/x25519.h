// SPDX-License-Identifier: Apache-2.0
// X25519 key agreement (RFC 7748), a checked wrapper over libsodium.
#ifndef MEDSEAL_CORE_CRYPTO_X25519_H_
#define MEDSEAL_CORE_CRYPTO_X25519_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kX25519KeySize = 32;

// The shared secret of `private_key` and `public_key` (32 bytes each, else
// kInvalidArgument). kWeakKey when the result is all zero, which is exactly
// when `public_key` is a point of small order (for any private key).
Result<SecretBytes> X25519(ByteView private_key, ByteView public_key);
// The public key of `private_key` (multiplication of the base point 9).
Result<Bytes> X25519PublicKey(ByteView private_key);
// kWeakKey if `public_key` is a point of small order (any X25519 with it
// gives all zeros), kInvalidArgument unless it is 32 bytes; OK otherwise.
[[nodiscard]] Status CheckX25519PublicKey(ByteView public_key);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_X25519_H_
