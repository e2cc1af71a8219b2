// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/aead.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {
namespace {

Status CheckAeadSizes(ByteView key, ByteView nonce, size_t nonce_size) {
  if (key.size() != kAeadKeySize) return Error(ErrorCode::kInvalidArgument, "aead: key size");
  if (nonce.size() != nonce_size) return Error(ErrorCode::kInvalidArgument, "aead: nonce size");
  return Status::Ok();
}

using AeadEncryptFn = int (*)(unsigned char*, unsigned long long*, const unsigned char*,
                              unsigned long long, const unsigned char*, unsigned long long,
                              const unsigned char*, const unsigned char*, const unsigned char*);
using AeadDecryptFn = int (*)(unsigned char*, unsigned long long*, unsigned char*,
                              const unsigned char*, unsigned long long, const unsigned char*,
                              unsigned long long, const unsigned char*, const unsigned char*);

Status AeadSeal(AeadEncryptFn fn, size_t nonce_size, ByteView key, ByteView nonce, ByteView aad,
                ByteView plaintext, uint8_t* out) {
  MEDSEAL_RETURN_IF_ERROR(CheckAeadSizes(key, nonce, nonce_size));
  internal::EnsureSodium();
  fn(out, nullptr, plaintext.data(), plaintext.size(), aad.data(), aad.size(), nullptr,
     nonce.data(), key.data());
  return Status::Ok();
}

Status AeadOpen(AeadDecryptFn fn, size_t nonce_size, ByteView key, ByteView nonce, ByteView aad,
                ByteView ciphertext, uint8_t* out) {
  MEDSEAL_RETURN_IF_ERROR(CheckAeadSizes(key, nonce, nonce_size));
  if (ciphertext.size() < kAeadTagSize) {
    return Error(ErrorCode::kDecryptFailed, "aead: ciphertext shorter than tag");
  }
  internal::EnsureSodium();
  if (fn(out, nullptr, nullptr, ciphertext.data(), ciphertext.size(), aad.data(), aad.size(),
         nonce.data(), key.data()) != 0) {
    return Error(ErrorCode::kDecryptFailed, "aead: authentication failed");
  }
  return Status::Ok();
}

Result<Bytes> AeadSealAlloc(AeadEncryptFn fn, size_t nonce_size, ByteView key, ByteView nonce,
                            ByteView aad, ByteView plaintext) {
  Bytes out(plaintext.size() + kAeadTagSize);
  MEDSEAL_RETURN_IF_ERROR(AeadSeal(fn, nonce_size, key, nonce, aad, plaintext, out.data()));
  return out;
}

Result<Bytes> AeadOpenAlloc(AeadDecryptFn fn, size_t nonce_size, ByteView key, ByteView nonce,
                            ByteView aad, ByteView ciphertext) {
  Bytes out(ciphertext.size() >= kAeadTagSize ? ciphertext.size() - kAeadTagSize : 0);
  MEDSEAL_RETURN_IF_ERROR(AeadOpen(fn, nonce_size, key, nonce, aad, ciphertext, out.data()));
  return out;
}

}  // namespace

Status XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext,
                             uint8_t* out) {
  return AeadSeal(crypto_aead_xchacha20poly1305_ietf_encrypt, kXChaChaNonceSize, key, nonce, aad,
                  plaintext, out);
}
Status XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext,
                             uint8_t* out) {
  return AeadOpen(crypto_aead_xchacha20poly1305_ietf_decrypt, kXChaChaNonceSize, key, nonce, aad,
                  ciphertext, out);
}
Result<Bytes> XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView plaintext) {
  return AeadSealAlloc(crypto_aead_xchacha20poly1305_ietf_encrypt, kXChaChaNonceSize, key, nonce,
                       aad, plaintext);
}
Result<Bytes> XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext) {
  return AeadOpenAlloc(crypto_aead_xchacha20poly1305_ietf_decrypt, kXChaChaNonceSize, key, nonce,
                       aad, ciphertext);
}
Result<Bytes> ChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
  return AeadSealAlloc(crypto_aead_chacha20poly1305_ietf_encrypt, kChaChaIetfNonceSize, key, nonce,
                       aad, plaintext);
}
Result<Bytes> ChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                   ByteView ciphertext) {
  return AeadOpenAlloc(crypto_aead_chacha20poly1305_ietf_decrypt, kChaChaIetfNonceSize, key, nonce,
                       aad, ciphertext);
}

}  // namespace medseal
