// SPDX-License-Identifier: Apache-2.0
// SHA-256, HMAC-SHA256 with keys of any length, and HKDF-SHA256 (RFC 5869),
// all on libsodium (1.0.18 has no HKDF: crypto_kdf_hkdf_* came in 1.0.19).
// age v1 (C2SP) needs all three. Tested against RFC 4231, RFC 5869 and
// Wycheproof (native-tests/crypto/sha2_test.cc).
#ifndef MEDSEAL_CORE_CRYPTO_SHA2_H_
#define MEDSEAL_CORE_CRYPTO_SHA2_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kSha256Size = 32;
inline constexpr size_t kHmacSha256Size = 32;
// RFC 5869 §2.3: L <= 255 * HashLen.
inline constexpr size_t kHkdfSha256MaxOutput = 255 * kSha256Size;

Bytes Sha256(ByteView data);

// HMAC-SHA256 (RFC 2104) with a key of any length (libsodium's one-shot API
// takes 32-byte keys only; this uses init/update/final).
Bytes HmacSha256(ByteView key, ByteView message);

// Incremental HMAC-SHA256, for MACs over data that arrives in pieces.
class HmacSha256Stream {
 public:
  explicit HmacSha256Stream(ByteView key);
  ~HmacSha256Stream();
  HmacSha256Stream(const HmacSha256Stream&) = delete;
  HmacSha256Stream& operator=(const HmacSha256Stream&) = delete;
  HmacSha256Stream(HmacSha256Stream&&) = delete;
  HmacSha256Stream& operator=(HmacSha256Stream&&) = delete;
  void Update(ByteView data);
  Bytes Final();  // the stream may not be updated afterwards

 private:
  alignas(16) uint8_t state_[512] = {};  // crypto_auth_hmacsha256_state (checked in the .cc)
};

// Incremental SHA-256, for hashing a file as it streams.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  Sha256Stream(Sha256Stream&&) = delete;
  Sha256Stream& operator=(Sha256Stream&&) = delete;
  void Update(ByteView data);
  Bytes Final();  // the stream may not be updated afterwards

 private:
  alignas(16) uint8_t state_[128] = {};  // crypto_hash_sha256_state (checked in the .cc)
};

// HKDF-SHA256 (RFC 5869): Extract(salt, ikm) then Expand(prk, info, length).
// An empty salt means HashLen zero bytes, as RFC 5869 §2.2 says.
// kInvalidArgument if length is 0 or above kHkdfSha256MaxOutput.
Result<SecretBytes> HkdfSha256(ByteView salt, ByteView ikm, ByteView info, size_t length);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_SHA2_H_
