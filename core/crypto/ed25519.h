// SPDX-License-Identifier: Apache-2.0
// Ed25519 signatures (RFC 8032, pure), checked wrappers over libsodium.
// Verification is libsodium's strict verification: non-canonical S and
// small-order public keys are rejected.
#ifndef MEDSEAL_CORE_CRYPTO_ED25519_H_
#define MEDSEAL_CORE_CRYPTO_ED25519_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SecretKeySize = 64;
inline constexpr size_t kEd25519SignatureSize = 64;

struct Ed25519KeyPair {
  Bytes public_key;        // 32 bytes
  SecretBytes secret_key;  // 64 bytes: seed || public key
};
// The key pair of a 32-byte seed (RFC 8032 key generation).
Result<Ed25519KeyPair> Ed25519FromSeed(ByteView seed);
// A 64-byte signature; kInvalidArgument unless `secret_key` is 64 bytes.
Result<Bytes> Ed25519Sign(ByteView secret_key, ByteView message);
// kSignatureInvalid if `signature` is not a valid signature of `message`
// under `public_key` (a signature of the wrong size included);
// kInvalidArgument unless the public key is 32 bytes.
[[nodiscard]] Status Ed25519Verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_ED25519_H_
