#include "core/primitives.h"

#include <sodium.h>

#include "core/internal/sodium_init.h"

namespace medseal {
namespace {

Status CheckAeadSizes(ByteView key, ByteView nonce, size_t nonce_size) {
  if (key.size() != kAeadKeySize) return Error(ErrorCode::kInvalidArgument, "aead: key size");
  if (nonce.size() != nonce_size) return Error(ErrorCode::kInvalidArgument, "aead: nonce size");
  return Status::Ok();
}

using AeadEncryptFn = int (*)(unsigned char*, unsigned long long*, const unsigned char*,
                              unsigned long long, const unsigned char*, unsigned long long,
                              const unsigned char*, const unsigned char*,
                              const unsigned char*);
using AeadDecryptFn = int (*)(unsigned char*, unsigned long long*, unsigned char*,
                              const unsigned char*, unsigned long long,
                              const unsigned char*, unsigned long long,
                              const unsigned char*, const unsigned char*);

Status AeadSeal(AeadEncryptFn fn, size_t nonce_size, ByteView key, ByteView nonce,
                ByteView aad, ByteView plaintext, uint8_t* out) {
  MEDSEAL_RETURN_IF_ERROR(CheckAeadSizes(key, nonce, nonce_size));
  internal::EnsureSodium();
  fn(out, nullptr, plaintext.data(), plaintext.size(), aad.data(), aad.size(), nullptr,
     nonce.data(), key.data());
  return Status::Ok();
}

Status AeadOpen(AeadDecryptFn fn, size_t nonce_size, ByteView key, ByteView nonce,
                ByteView aad, ByteView ciphertext, uint8_t* out) {
  MEDSEAL_RETURN_IF_ERROR(CheckAeadSizes(key, nonce, nonce_size));
  if (ciphertext.size() < kAeadTagSize) {
    return Error(ErrorCode::kDecryptFailed, "aead: ciphertext shorter than tag");
  }
  internal::EnsureSodium();
  if (fn(out, nullptr, nullptr, ciphertext.data(), ciphertext.size(), aad.data(),
         aad.size(), nonce.data(), key.data()) != 0) {
    return Error(ErrorCode::kDecryptFailed, "aead: authentication failed");
  }
  return Status::Ok();
}

Result<Bytes> AeadSealAlloc(AeadEncryptFn fn, size_t nonce_size, ByteView key,
                            ByteView nonce, ByteView aad, ByteView plaintext) {
  Bytes out(plaintext.size() + kAeadTagSize);
  MEDSEAL_RETURN_IF_ERROR(AeadSeal(fn, nonce_size, key, nonce, aad, plaintext, out.data()));
  return out;
}

Result<Bytes> AeadOpenAlloc(AeadDecryptFn fn, size_t nonce_size, ByteView key,
                            ByteView nonce, ByteView aad, ByteView ciphertext) {
  Bytes out(ciphertext.size() >= kAeadTagSize ? ciphertext.size() - kAeadTagSize : 0);
  MEDSEAL_RETURN_IF_ERROR(AeadOpen(fn, nonce_size, key, nonce, aad, ciphertext, out.data()));
  return out;
}

}  // namespace

Status XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                             ByteView plaintext, uint8_t* out) {
  return AeadSeal(crypto_aead_xchacha20poly1305_ietf_encrypt, kXChaChaNonceSize, key,
                  nonce, aad, plaintext, out);
}
Status XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                             ByteView ciphertext, uint8_t* out) {
  return AeadOpen(crypto_aead_xchacha20poly1305_ietf_decrypt, kXChaChaNonceSize, key,
                  nonce, aad, ciphertext, out);
}
Result<Bytes> XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView plaintext) {
  return AeadSealAlloc(crypto_aead_xchacha20poly1305_ietf_encrypt, kXChaChaNonceSize, key,
                       nonce, aad, plaintext);
}
Result<Bytes> XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext) {
  return AeadOpenAlloc(crypto_aead_xchacha20poly1305_ietf_decrypt, kXChaChaNonceSize, key,
                       nonce, aad, ciphertext);
}
Result<Bytes> ChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                                   ByteView plaintext) {
  return AeadSealAlloc(crypto_aead_chacha20poly1305_ietf_encrypt, kChaChaIetfNonceSize, key,
                       nonce, aad, plaintext);
}
Result<Bytes> ChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                   ByteView ciphertext) {
  return AeadOpenAlloc(crypto_aead_chacha20poly1305_ietf_decrypt, kChaChaIetfNonceSize, key,
                       nonce, aad, ciphertext);
}

Result<SecretBytes> X25519(ByteView private_key, ByteView public_key) {
  if (private_key.size() != kX25519KeySize || public_key.size() != kX25519KeySize) {
    return Error(ErrorCode::kInvalidArgument, "x25519: key size");
  }
  internal::EnsureSodium();
  SecretBytes shared(crypto_scalarmult_BYTES);
  if (crypto_scalarmult(shared.mutable_data(), private_key.data(), public_key.data()) != 0) {
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

Result<Ed25519KeyPair> Ed25519FromSeed(ByteView seed) {
  if (seed.size() != kEd25519SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ed25519: seed size");
  }
  internal::EnsureSodium();
  Ed25519KeyPair kp{Bytes(kEd25519PublicKeySize), SecretBytes(kEd25519SecretKeySize)};
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.mutable_data(), seed.data());
  return kp;
}

Result<Bytes> Ed25519Sign(ByteView secret_key, ByteView message) {
  if (secret_key.size() != kEd25519SecretKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ed25519: secret key size");
  }
  internal::EnsureSodium();
  Bytes sig(kEd25519SignatureSize);
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(),
                       secret_key.data());
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

Result<Bytes> Blake2b(size_t out_size, ByteView key, ByteView message) {
  if (out_size < kBlake2bMinOutput || out_size > kBlake2bMaxOutput) {
    return Error(ErrorCode::kInvalidArgument, "blake2b: output size");
  }
  if (key.size() > kBlake2bMaxKey) return Error(ErrorCode::kInvalidArgument, "blake2b: key size");
  internal::EnsureSodium();
  Bytes out(out_size);
  crypto_generichash(out.data(), out.size(), message.data(), message.size(),
                     key.empty() ? nullptr : key.data(), key.size());
  return out;
}

}  // namespace medseal
