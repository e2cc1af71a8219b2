// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/ed25519.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {

Result<Ed25519KeyPair> Ed25519FromSeed(ByteView seed) {
  if (seed.size() != kEd25519SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ed25519: seed size");
  }
  internal::EnsureSodium();
  Ed25519KeyPair kp{Bytes(kEd25519PublicKeySize), SecretBytes(kEd25519SecretKeySize)};
  crypto_sign_seed_keypair(kp.public_key.data(), RevealMutableSecret(kp.secret_key), seed.data());
  return kp;
}

Result<Bytes> Ed25519Sign(ByteView secret_key, ByteView message) {
  if (secret_key.size() != kEd25519SecretKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ed25519: secret key size");
  }
  internal::EnsureSodium();
  Bytes sig(kEd25519SignatureSize);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key.data());
  return sig;
}

Status Ed25519Verify(ByteView public_key, ByteView message, ByteView signature) {
  if (public_key.size() != kEd25519PublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ed25519: public key size");
  }
  if (signature.size() != kEd25519SignatureSize) {
    return Error(ErrorCode::kSignatureInvalid, "ed25519: signature size");
  }
  internal::EnsureSodium();
  if (crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                  public_key.data()) != 0) {
    return Error(ErrorCode::kSignatureInvalid, "ed25519: verification failed");
  }
  return Status::Ok();
}

}  // namespace medseal
