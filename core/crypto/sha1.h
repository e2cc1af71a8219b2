// SPDX-License-Identifier: Apache-2.0
// SHA-1 (FIPS 180-4 §6.1) and HMAC-SHA1 (RFC 2104) with keys of any length.
// libsodium has no SHA-1; HOTP/TOTP (RFC 4226 / RFC 6238, core/otp/) need
// it, and nothing else in medseal may use it: SHA-1 is not collision
// resistant, but HMAC-SHA1 is still a sound PRF, which is all HOTP asks.
// Tested against RFC 3174 §7.3 and Wycheproof hmac_sha1
// (native-tests/crypto/sha1_test.cc).
#ifndef MEDSEAL_CORE_CRYPTO_SHA1_H_
#define MEDSEAL_CORE_CRYPTO_SHA1_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"

namespace medseal {

inline constexpr size_t kSha1Size = 20;
inline constexpr size_t kSha1BlockSize = 64;
inline constexpr size_t kHmacSha1Size = 20;

Bytes Sha1(ByteView data);

// HMAC-SHA1 (RFC 2104): a key longer than a block is hashed first.
Bytes HmacSha1(ByteView key, ByteView message);

// Incremental SHA-1. The state is wiped on destruction and by Final().
class Sha1Stream {
 public:
  Sha1Stream();
  ~Sha1Stream();
  Sha1Stream(const Sha1Stream&) = delete;
  Sha1Stream& operator=(const Sha1Stream&) = delete;
  Sha1Stream(Sha1Stream&&) = delete;
  Sha1Stream& operator=(Sha1Stream&&) = delete;
  void Update(ByteView data);
  Bytes Final();  // the stream may not be updated afterwards

 private:
  void Wipe();
  uint32_t h_[5] = {};
  uint8_t block_[kSha1BlockSize] = {};
  size_t block_size_ = 0;
  uint64_t total_bytes_ = 0;
};

// Incremental HMAC-SHA1, for MACs over data that arrives in pieces.
class HmacSha1Stream {
 public:
  explicit HmacSha1Stream(ByteView key);
  ~HmacSha1Stream();
  HmacSha1Stream(const HmacSha1Stream&) = delete;
  HmacSha1Stream& operator=(const HmacSha1Stream&) = delete;
  HmacSha1Stream(HmacSha1Stream&&) = delete;
  HmacSha1Stream& operator=(HmacSha1Stream&&) = delete;
  void Update(ByteView data);
  Bytes Final();  // the stream may not be updated afterwards

 private:
  Sha1Stream inner_;
  uint8_t outer_key_[kSha1BlockSize] = {};  // K' xor opad, wiped on destruction
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_SHA1_H_
