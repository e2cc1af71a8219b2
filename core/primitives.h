// Thin, checked wrappers over the libsodium primitives medseal uses. Sizes are
// validated (kInvalidArgument), authentication failures are kDecryptFailed /
// kSignatureInvalid. These are what the Wycheproof and RFC vectors exercise.
#ifndef MEDSEAL_CORE_PRIMITIVES_H_
#define MEDSEAL_CORE_PRIMITIVES_H_

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"
#include "core/secret.h"
#include "core/status.h"

namespace medseal {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kXChaChaNonceSize = 24;
inline constexpr size_t kChaChaIetfNonceSize = 12;
inline constexpr size_t kX25519KeySize = 32;
inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SecretKeySize = 64;
inline constexpr size_t kEd25519SignatureSize = 64;
inline constexpr size_t kBlake2bMinOutput = 16;
inline constexpr size_t kBlake2bMaxOutput = 64;
inline constexpr size_t kBlake2bMaxKey = 64;

// XChaCha20-Poly1305 (IETF construction, libsodium's
// crypto_aead_xchacha20poly1305_ietf). `out` must hold plaintext.size() + 16
// bytes for Seal and ciphertext.size() - 16 bytes for Open. `out` may alias
// the input (in-place).
Status XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                             ByteView plaintext, uint8_t* out);
[[nodiscard]] Status XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                           ByteView ciphertext, uint8_t* out);
Result<Bytes> XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView plaintext);
Result<Bytes> XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext);

// ChaCha20-Poly1305 (RFC 8439, 12-byte nonce).
Result<Bytes> ChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad,
                                   ByteView plaintext);
Result<Bytes> ChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                   ByteView ciphertext);

// X25519 (RFC 7748). kWeakKey when the shared secret is all zero.
Result<SecretBytes> X25519(ByteView private_key, ByteView public_key);
Result<Bytes> X25519PublicKey(ByteView private_key);

// Ed25519 (RFC 8032, libsodium's strict verification).
struct Ed25519KeyPair {
  Bytes public_key;        // 32 bytes
  SecretBytes secret_key;  // 64 bytes: seed || public key
};
Result<Ed25519KeyPair> Ed25519FromSeed(ByteView seed);
Result<Bytes> Ed25519Sign(ByteView secret_key, ByteView message);
[[nodiscard]] Status Ed25519Verify(ByteView public_key, ByteView message,
                                   ByteView signature);

// BLAKE2b (RFC 7693) with an output of 16..64 bytes and an optional key of at
// most 64 bytes.
Result<Bytes> Blake2b(size_t out_size, ByteView key, ByteView message);

}  // namespace medseal

#endif  // MEDSEAL_CORE_PRIMITIVES_H_
