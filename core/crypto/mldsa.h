// SPDX-License-Identifier: Apache-2.0
// ML-DSA-44 (FIPS 204, pure ML-DSA with a context string) on PQClean's
// "clean" C code (third_party/pqclean): checked sizes, secrets in
// SecretBytes, randomness from the injected Rng (PQClean draws its key
// seed and its signing randomness rnd through PQCLEAN_randombytes; core
// feeds it bytes drawn from the Rng, core/crypto/internal/pq_random.h).
// For checkpoint cosignatures of the verifiable log (C2SP recommends
// ML-DSA-44 there). Keys: public 1312 bytes; secret FIPS 204's 2560-byte
// expanded form; a key pair derives from the 32-byte seed xi.
#ifndef MEDSEAL_CORE_CRYPTO_MLDSA_H_
#define MEDSEAL_CORE_CRYPTO_MLDSA_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kMlDsa44PublicKeySize = 1312;
inline constexpr size_t kMlDsa44SecretKeySize = 2560;
inline constexpr size_t kMlDsa44SignatureSize = 2420;
inline constexpr size_t kMlDsa44SeedSize = 32;
inline constexpr size_t kMlDsaMaxContextSize = 255;

struct MlDsa44KeyPair {
  Bytes public_key;        // 1312 bytes
  SecretBytes secret_key;  // 2560 bytes
};

// ML-DSA.KeyGen_internal(xi) with a 32-byte seed (else kInvalidArgument).
Result<MlDsa44KeyPair> MlDsa44KeyPairFromSeed(ByteView seed);
// A fresh key pair: 32 bytes from `rng` as the seed.
Result<MlDsa44KeyPair> MlDsa44Generate(Rng& rng);

// The secret key as the signing functions check it first: 2560 bytes (else
// kInvalidArgument) whose s1 and s2 coefficients all lie in [-2, 2] (else
// kInvalidKey; PQClean would sign with such a key, Wycheproof's
// mldsa_44_sign_noseed_test requires rejecting it). The check does not
// branch on the key's bytes. It cannot check t0 (every 13-bit field is in
// range) nor tr = H(pk) (pk is not in sk).
[[nodiscard]] Status CheckMlDsa44SecretKey(ByteView secret_key);

// ML-DSA.Sign(sk, message, context), hedged: rnd = 32 bytes from `rng`.
// kInvalidArgument for a secret key of the wrong size or a context longer
// than 255 bytes; kInvalidKey for a key CheckMlDsa44SecretKey rejects.
Result<Bytes> MlDsa44Sign(ByteView secret_key, ByteView message, ByteView context, Rng& rng);
// The deterministic variant (rnd = 32 zero bytes), for known answers.
Result<Bytes> MlDsa44SignDeterministic(ByteView secret_key, ByteView message, ByteView context);
// kSignatureInvalid unless `signature` is a valid signature of `message`
// under `public_key` with `context` (a signature of the wrong size
// included); kInvalidArgument for a public key of the wrong size or a
// context longer than 255 bytes.
[[nodiscard]] Status MlDsa44Verify(ByteView public_key, ByteView message, ByteView context,
                                   ByteView signature);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_MLDSA_H_
