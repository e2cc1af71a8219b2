// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/x25519.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {

Result<SecretBytes> X25519(ByteView private_key, ByteView public_key) {
  if (private_key.size() != kX25519KeySize || public_key.size() != kX25519KeySize) {
    return Error(ErrorCode::kInvalidArgument, "x25519: key size");
  }
  internal::EnsureSodium();
  SecretBytes shared(crypto_scalarmult_BYTES);
  if (crypto_scalarmult(RevealMutableSecret(shared), private_key.data(), public_key.data()) != 0) {
    return Error(ErrorCode::kWeakKey, "x25519: all-zero shared secret");
  }
  return shared;
}

Result<Bytes> X25519PublicKey(ByteView private_key) {
  if (private_key.size() != kX25519KeySize) {
    return Error(ErrorCode::kInvalidArgument, "x25519: key size");
  }
  internal::EnsureSodium();
  Bytes pk(crypto_scalarmult_BYTES);
  if (crypto_scalarmult_base(pk.data(), private_key.data()) != 0) {
    return Error(ErrorCode::kWeakKey, "x25519: degenerate private key");
  }
  return pk;
}

Status CheckX25519PublicKey(ByteView public_key) {
  // A clamped X25519 scalar is a multiple of the cofactor 8, so it maps
  // every point of small order (orders 1, 2, 4 and 8, in any encoding) to
  // the all-zero output, and no other point: one multiplication by any
  // fixed scalar tells them apart. This scalar clamps to 2^254 + 8.
  static constexpr uint8_t kProbe[kX25519KeySize] = {8};
  return X25519(ByteView(kProbe), public_key).status();
}

}  // namespace medseal
