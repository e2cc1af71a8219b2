// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/mlkem.h"

#include <cstdint>

#include "core/crypto/sha3.h"
#include "medseal_pqclean.h"

namespace medseal {
namespace {

static_assert(PQCLEAN_MLKEM768_CLEAN_CRYPTO_PUBLICKEYBYTES == kMlKem768PublicKeySize);
static_assert(PQCLEAN_MLKEM768_CLEAN_CRYPTO_SECRETKEYBYTES == kMlKem768SecretKeySize);
static_assert(PQCLEAN_MLKEM768_CLEAN_CRYPTO_CIPHERTEXTBYTES == kMlKem768CiphertextSize);
static_assert(PQCLEAN_MLKEM768_CLEAN_CRYPTO_BYTES == kMlKem768SharedSecretSize);

constexpr size_t kPolyVecBytes = size_t{3} * 384;  // k = 3 polynomials, ByteEncode12
constexpr uint16_t kQ = 3329;
// dk = dk_PKE (1152) || ek (1184) || H(ek) (32) || z (32)
constexpr size_t kDkEkOffset = kPolyVecBytes;
constexpr size_t kDkHashOffset = kDkEkOffset + kMlKem768PublicKeySize;

}  // namespace

Status CheckMlKem768PublicKey(ByteView public_key) {
  if (public_key.size() != kMlKem768PublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ml-kem-768: public key size");
  }
  // Every 3 bytes hold two 12-bit little-endian coefficients (ByteEncode12);
  // the key is in canonical form exactly when each is below q.
  for (size_t i = 0; i < kPolyVecBytes; i += 3) {
    const uint16_t a = static_cast<uint16_t>(public_key[i] | ((public_key[i + 1] & 0x0f) << 8));
    const uint16_t b = static_cast<uint16_t>((public_key[i + 1] >> 4) | (public_key[i + 2] << 4));
    if (a >= kQ || b >= kQ) {
      return Error(ErrorCode::kInvalidKey, "ml-kem-768: public key coefficient not reduced");
    }
  }
  return Status::Ok();
}

Status CheckMlKem768SecretKey(ByteView secret_key) {
  if (secret_key.size() != kMlKem768SecretKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ml-kem-768: secret key size");
  }
  const Bytes hash = Sha3_256(secret_key.subspan(kDkEkOffset, kMlKem768PublicKeySize));
  if (!ConstantTimeEqual(hash, secret_key.subspan(kDkHashOffset, kSha3_256Size))) {
    return Error(ErrorCode::kInvalidKey, "ml-kem-768: secret key hash check");
  }
  return Status::Ok();
}

Result<MlKem768KeyPair> MlKem768KeyPairFromSeed(ByteView seed) {
  if (seed.size() != kMlKem768SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-kem-768: seed size");
  }
  MlKem768KeyPair pair{Bytes(kMlKem768PublicKeySize), SecretBytes(kMlKem768SecretKeySize)};
  if (PQCLEAN_MLKEM768_CLEAN_crypto_kem_keypair_derand(
          pair.public_key.data(), RevealMutableSecret(pair.secret_key), seed.data()) != 0) {
    return Error(ErrorCode::kInternal, "ml-kem-768: key generation");
  }
  return pair;
}

Result<MlKem768KeyPair> MlKem768Generate(Rng& rng) {
  const SecretBytes seed = rng.Secret(kMlKem768SeedSize);
  return MlKem768KeyPairFromSeed(RevealSecret(seed));
}

Result<MlKem768Encapsulation> MlKem768EncapsulateDerand(ByteView public_key, ByteView m) {
  if (Status s = CheckMlKem768PublicKey(public_key); !s.ok()) return s;
  if (m.size() != kMlKem768EncapsSeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-kem-768: encapsulation randomness size");
  }
  MlKem768Encapsulation out{Bytes(kMlKem768CiphertextSize), SecretBytes(kMlKem768SharedSecretSize)};
  if (PQCLEAN_MLKEM768_CLEAN_crypto_kem_enc_derand(out.ciphertext.data(),
                                                   RevealMutableSecret(out.shared_secret),
                                                   public_key.data(), m.data()) != 0) {
    return Error(ErrorCode::kInternal, "ml-kem-768: encapsulation");
  }
  return out;
}

Result<MlKem768Encapsulation> MlKem768Encapsulate(ByteView public_key, Rng& rng) {
  if (Status s = CheckMlKem768PublicKey(public_key); !s.ok()) return s;
  const SecretBytes m = rng.Secret(kMlKem768EncapsSeedSize);
  return MlKem768EncapsulateDerand(public_key, RevealSecret(m));
}

Result<SecretBytes> MlKem768Decapsulate(ByteView secret_key, ByteView ciphertext) {
  if (Status s = CheckMlKem768SecretKey(secret_key); !s.ok()) return s;
  if (ciphertext.size() != kMlKem768CiphertextSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-kem-768: ciphertext size");
  }
  SecretBytes shared(kMlKem768SharedSecretSize);
  if (PQCLEAN_MLKEM768_CLEAN_crypto_kem_dec(RevealMutableSecret(shared), ciphertext.data(),
                                            secret_key.data()) != 0) {
    return Error(ErrorCode::kInternal, "ml-kem-768: decapsulation");
  }
  return shared;
}

}  // namespace medseal
