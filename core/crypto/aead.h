// SPDX-License-Identifier: Apache-2.0
// Authenticated encryption: XChaCha20-Poly1305 and ChaCha20-Poly1305 (IETF),
// checked wrappers over libsodium. Wrong key or nonce sizes are
// kInvalidArgument; a ciphertext that does not authenticate (wrong key,
// nonce, associated data, or any modified byte) is kDecryptFailed, and
// nothing is written to `out` that the caller may use.
#ifndef MEDSEAL_CORE_CRYPTO_AEAD_H_
#define MEDSEAL_CORE_CRYPTO_AEAD_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr size_t kAeadTagSize = 16;
inline constexpr size_t kXChaChaNonceSize = 24;
inline constexpr size_t kChaChaIetfNonceSize = 12;

// XChaCha20-Poly1305 (libsodium's crypto_aead_xchacha20poly1305_ietf).
// `out` must hold plaintext.size() + 16 bytes for Seal and
// ciphertext.size() - 16 bytes for Open; it may alias the input (in place).
Status XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext,
                             uint8_t* out);
[[nodiscard]] Status XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                           ByteView ciphertext, uint8_t* out);
Result<Bytes> XChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);
Result<Bytes> XChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext);

// ChaCha20-Poly1305 (RFC 8439, 12-byte nonce).
Result<Bytes> ChaCha20Poly1305Seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);
Result<Bytes> ChaCha20Poly1305Open(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_AEAD_H_
