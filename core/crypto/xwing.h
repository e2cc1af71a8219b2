// SPDX-License-Identifier: Apache-2.0
// X-Wing, the hybrid KEM of ML-KEM-768 and X25519
// (draft-connolly-cfrg-xwing-kem; the same KEM is HPKE's MLKEM768-X25519,
// id 0x647a, draft-ietf-hpke-pq, and age's mlkem768x25519 recipient). A
// secret stays secret as long as either ML-KEM-768 or X25519 holds.
//   expand(seed):   s = SHAKE256(seed, 96);
//                   (ek_M, dk_M) = ML-KEM-768.KeyGen_internal(s[0:32], s[32:64]);
//                   sk_X = s[64:96]; pk_X = X25519(sk_X, 9)
//   public key      pk = ek_M || pk_X                        (1216 bytes)
//   encapsulate     (ss_M, ct_M) = ML-KEM.Encaps_internal(ek_M, e[0:32]);
//                   ct_X = X25519(e[32:64], 9); ss_X = X25519(e[32:64], pk_X)
//                   ct = ct_M || ct_X                        (1120 bytes)
//   shared secret   ss = SHA3-256(ss_M || ss_X || ct_X || pk_X || "\.//^\")
// where e is 64 random bytes. Beyond the draft, and as RFC 9180's X25519
// rule and age's CCTV case hybrid_low_order require, an all-zero X25519
// output is kWeakKey (in both directions); ML-KEM's key checks apply
// (core/crypto/mlkem.h: kInvalidArgument for sizes, kInvalidKey).
// Decapsulation keeps ML-KEM's implicit rejection: a wrong ciphertext of
// the right size gives a wrong secret, which the AEAD above it rejects.
#ifndef MEDSEAL_CORE_CRYPTO_XWING_H_
#define MEDSEAL_CORE_CRYPTO_XWING_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kXWingSeedSize = 32;  // the secret key as stored
inline constexpr size_t kXWingPublicKeySize = 1216;
inline constexpr size_t kXWingCiphertextSize = 1120;
inline constexpr size_t kXWingSharedSecretSize = 32;
inline constexpr size_t kXWingEncapsSeedSize = 64;

struct XWingEncapsulation {
  Bytes ciphertext;           // 1120 bytes
  SecretBytes shared_secret;  // 32 bytes
};

// A decapsulation key: the 32-byte seed and what it expands to, computed
// once (the expansion costs about one ML-KEM key generation). Move-only.
class XWingPrivateKey {
 public:
  // kInvalidArgument unless `seed` is 32 bytes.
  static Result<XWingPrivateKey> FromSeed(ByteView seed);
  // A fresh key: 32 bytes from `rng`.
  static Result<XWingPrivateKey> Generate(Rng& rng);

  XWingPrivateKey(const XWingPrivateKey&) = delete;
  XWingPrivateKey& operator=(const XWingPrivateKey&) = delete;
  XWingPrivateKey(XWingPrivateKey&&) noexcept = default;
  XWingPrivateKey& operator=(XWingPrivateKey&&) noexcept = default;
  ~XWingPrivateKey() = default;

  const SecretBytes& seed() const { return seed_; }
  const Bytes& public_key() const { return public_key_; }  // 1216 bytes

  // Decaps(sk, ct): kInvalidArgument unless `ciphertext` is 1120 bytes,
  // kWeakKey when ct_X gives an all-zero X25519 output.
  Result<SecretBytes> Decapsulate(ByteView ciphertext) const;

 private:
  XWingPrivateKey() = default;
  SecretBytes seed_;
  SecretBytes mlkem_secret_key_;   // 2400 bytes
  SecretBytes x25519_secret_key_;  // 32 bytes
  Bytes public_key_;
};

// The public key of a 32-byte seed (X-Wing's PrivateKeyToPublicKey).
Result<Bytes> XWingPublicKey(ByteView seed);
// kInvalidArgument unless 1216 bytes; kInvalidKey if the ML-KEM part fails
// FIPS 203 §7.2; kWeakKey if the X25519 part is a point of small order.
[[nodiscard]] Status CheckXWingPublicKey(ByteView public_key);
// Encaps(pk) with 64 bytes from `rng`; the key is checked first.
Result<XWingEncapsulation> XWingEncapsulate(ByteView public_key, Rng& rng);
// EncapsDerand(pk, eseed) with a 64-byte eseed (else kInvalidArgument).
Result<XWingEncapsulation> XWingEncapsulateDerand(ByteView public_key, ByteView eseed);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_XWING_H_
