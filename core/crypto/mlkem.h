// SPDX-License-Identifier: Apache-2.0
// ML-KEM-768 (FIPS 203) on PQClean's "clean" C code (third_party/pqclean),
// wrapped the way core wraps libsodium: checked sizes, secrets in
// SecretBytes, randomness from the injected Rng, stable codes. The wrapper
// adds the input checks that PQClean lacks and FIPS 203 requires:
//   - §7.2 encapsulation key check: 1184 bytes (kInvalidArgument) whose
//     twelve-bit coefficients are all below q = 3329, i.e.
//     ByteEncode12(ByteDecode12(ek)) = ek (else kInvalidKey);
//   - §7.3 decapsulation key check: 2400 bytes (kInvalidArgument) whose
//     embedded H(ek) is SHA3-256 of its embedded ek (else kInvalidKey), and
//     a 1088-byte ciphertext (kInvalidArgument).
// Keys: the public (encapsulation) key is 1184 bytes; the secret
// (decapsulation) key is FIPS 203's 2400-byte expanded form; a key pair can
// be derived from the 64-byte seed d || z (KeyGen_internal).
#ifndef MEDSEAL_CORE_CRYPTO_MLKEM_H_
#define MEDSEAL_CORE_CRYPTO_MLKEM_H_

#include <cstddef>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kMlKem768PublicKeySize = 1184;
inline constexpr size_t kMlKem768SecretKeySize = 2400;
inline constexpr size_t kMlKem768CiphertextSize = 1088;
inline constexpr size_t kMlKem768SharedSecretSize = 32;
inline constexpr size_t kMlKem768SeedSize = 64;        // d || z
inline constexpr size_t kMlKem768EncapsSeedSize = 32;  // m

struct MlKem768KeyPair {
  Bytes public_key;        // ek, 1184 bytes
  SecretBytes secret_key;  // dk, 2400 bytes (dk_PKE || ek || H(ek) || z)
};

struct MlKem768Encapsulation {
  Bytes ciphertext;           // 1088 bytes
  SecretBytes shared_secret;  // 32 bytes
};

// ML-KEM.KeyGen_internal(d, z) with seed = d || z (64 bytes, else
// kInvalidArgument).
Result<MlKem768KeyPair> MlKem768KeyPairFromSeed(ByteView seed);
// A fresh key pair: 64 bytes from `rng` as the seed.
Result<MlKem768KeyPair> MlKem768Generate(Rng& rng);

// The checks of §7.2 and §7.3 above, on their own.
[[nodiscard]] Status CheckMlKem768PublicKey(ByteView public_key);
[[nodiscard]] Status CheckMlKem768SecretKey(ByteView secret_key);

// ML-KEM.Encaps(ek): 32 bytes m from `rng`. The key is checked first.
Result<MlKem768Encapsulation> MlKem768Encapsulate(ByteView public_key, Rng& rng);
// ML-KEM.Encaps_internal(ek, m) with the given m (32 bytes, else
// kInvalidArgument), for known answers.
Result<MlKem768Encapsulation> MlKem768EncapsulateDerand(ByteView public_key, ByteView m);
// ML-KEM.Decaps(dk, c), with implicit rejection: a ciphertext of the right
// size that was not made for this key gives a pseudorandom secret, not an
// error. The key and the size are checked first.
Result<SecretBytes> MlKem768Decapsulate(ByteView secret_key, ByteView ciphertext);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_MLKEM_H_
