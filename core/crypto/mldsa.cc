// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/mldsa.h"

#include <cstdint>

#include "core/crypto/internal/pq_random.h"
#include "medseal_pqclean.h"

namespace medseal {
namespace {

static_assert(PQCLEAN_MLDSA44_CLEAN_CRYPTO_PUBLICKEYBYTES == kMlDsa44PublicKeySize);
static_assert(PQCLEAN_MLDSA44_CLEAN_CRYPTO_SECRETKEYBYTES == kMlDsa44SecretKeySize);
static_assert(PQCLEAN_MLDSA44_CLEAN_CRYPTO_BYTES == kMlDsa44SignatureSize);

constexpr size_t kRndSize = 32;
// sk = rho (32) || K (32) || tr (64) || s1 (4 x 96) || s2 (4 x 96) || t0 (4 x 416);
// s1 and s2 hold eta - c for coefficients c in [-eta, eta], eta = 2, as
// 3-bit fields, eight to three bytes (FIPS 204 BitPack(s, eta, eta)).
constexpr size_t kSkEtaOffset = 32 + 32 + 64;
constexpr size_t kSkEtaBytes = size_t{2} * 4 * 96;
constexpr uint32_t kTwoEta = 4;
constexpr uint8_t kEmpty = 0;
const uint8_t* Ptr(ByteView data) { return data.empty() ? &kEmpty : data.data(); }

Result<Bytes> SignWithRnd(ByteView secret_key, ByteView message, ByteView context, ByteView rnd) {
  Bytes signature(kMlDsa44SignatureSize);
  size_t length = 0;
  internal::ScopedPqRandom scope(rnd);
  if (PQCLEAN_MLDSA44_CLEAN_crypto_sign_signature_ctx(signature.data(), &length, Ptr(message),
                                                      message.size(), Ptr(context), context.size(),
                                                      secret_key.data()) != 0 ||
      length != kMlDsa44SignatureSize || scope.unused() != 0) {
    return Error(ErrorCode::kInternal, "ml-dsa-44: signing");
  }
  return signature;
}

Status CheckSignInputs(ByteView secret_key, ByteView context) {
  if (Status s = CheckMlDsa44SecretKey(secret_key); !s.ok()) return s;
  if (context.size() > kMlDsaMaxContextSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-dsa-44: context longer than 255 bytes");
  }
  return Status::Ok();
}

}  // namespace

Status CheckMlDsa44SecretKey(ByteView secret_key) {
  if (secret_key.size() != kMlDsa44SecretKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ml-dsa-44: secret key size");
  }
  // Without a branch on secret data: a field is out of range exactly when
  // it is 5, 6 or 7, i.e. when field + 3 has bit 3 set.
  uint32_t bad = 0;
  const ByteView eta = secret_key.subspan(kSkEtaOffset, kSkEtaBytes);
  for (size_t i = 0; i < eta.size(); i += 3) {
    const uint32_t v = uint32_t{eta[i]} | (uint32_t{eta[i + 1]} << 8) |
                       (uint32_t{eta[i + 2]} << 16);
    for (unsigned j = 0; j < 8; ++j) bad |= (((v >> (3 * j)) & 7u) + (7u - kTwoEta)) >> 3;
  }
  if (bad != 0) {
    return Error(ErrorCode::kInvalidKey, "ml-dsa-44: secret key s1/s2 coefficient out of range");
  }
  return Status::Ok();
}

Result<MlDsa44KeyPair> MlDsa44KeyPairFromSeed(ByteView seed) {
  if (seed.size() != kMlDsa44SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-dsa-44: seed size");
  }
  MlDsa44KeyPair pair{Bytes(kMlDsa44PublicKeySize), SecretBytes(kMlDsa44SecretKeySize)};
  internal::ScopedPqRandom scope(seed);
  if (PQCLEAN_MLDSA44_CLEAN_crypto_sign_keypair(pair.public_key.data(),
                                                RevealMutableSecret(pair.secret_key)) != 0 ||
      scope.unused() != 0) {
    return Error(ErrorCode::kInternal, "ml-dsa-44: key generation");
  }
  return pair;
}

Result<MlDsa44KeyPair> MlDsa44Generate(Rng& rng) {
  const SecretBytes seed = rng.Secret(kMlDsa44SeedSize);
  return MlDsa44KeyPairFromSeed(RevealSecret(seed));
}

Result<Bytes> MlDsa44Sign(ByteView secret_key, ByteView message, ByteView context, Rng& rng) {
  if (Status s = CheckSignInputs(secret_key, context); !s.ok()) return s;
  const SecretBytes rnd = rng.Secret(kRndSize);
  return SignWithRnd(secret_key, message, context, RevealSecret(rnd));
}

Result<Bytes> MlDsa44SignDeterministic(ByteView secret_key, ByteView message, ByteView context) {
  if (Status s = CheckSignInputs(secret_key, context); !s.ok()) return s;
  static constexpr uint8_t kZeroRnd[kRndSize] = {};
  return SignWithRnd(secret_key, message, context, ByteView(kZeroRnd));
}

Status MlDsa44Verify(ByteView public_key, ByteView message, ByteView context, ByteView signature) {
  if (public_key.size() != kMlDsa44PublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "ml-dsa-44: public key size");
  }
  if (context.size() > kMlDsaMaxContextSize) {
    return Error(ErrorCode::kInvalidArgument, "ml-dsa-44: context longer than 255 bytes");
  }
  if (signature.size() != kMlDsa44SignatureSize ||
      PQCLEAN_MLDSA44_CLEAN_crypto_sign_verify_ctx(signature.data(), signature.size(), Ptr(message),
                                                   message.size(), Ptr(context), context.size(),
                                                   public_key.data()) != 0) {
    return Error(ErrorCode::kSignatureInvalid, "ml-dsa-44: signature does not verify");
  }
  return Status::Ok();
}

}  // namespace medseal
