// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/sha2.h"

#include <sodium.h>

#include <cstring>

#include "core/base/internal/sodium_init.h"

namespace medseal {
namespace {

static_assert(sizeof(crypto_auth_hmacsha256_state) <= 512);
static_assert(alignof(crypto_auth_hmacsha256_state) <= 16);
static_assert(sizeof(crypto_hash_sha256_state) <= 128);
static_assert(alignof(crypto_hash_sha256_state) <= 16);
static_assert(crypto_hash_sha256_BYTES == kSha256Size);

crypto_auth_hmacsha256_state* HmacState(uint8_t* storage) {
  return reinterpret_cast<crypto_auth_hmacsha256_state*>(storage);
}
crypto_hash_sha256_state* HashState(uint8_t* storage) {
  return reinterpret_cast<crypto_hash_sha256_state*>(storage);
}

}  // namespace

Bytes Sha256(ByteView data) {
  internal::EnsureSodium();
  Bytes out(kSha256Size);
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha256Stream::Sha256Stream() {
  internal::EnsureSodium();
  crypto_hash_sha256_init(HashState(state_));
}

Sha256Stream::~Sha256Stream() { sodium_memzero(state_, sizeof(state_)); }

void Sha256Stream::Update(ByteView data) {
  crypto_hash_sha256_update(HashState(state_), data.data(), data.size());
}

Bytes Sha256Stream::Final() {
  Bytes out(kSha256Size);
  crypto_hash_sha256_final(HashState(state_), out.data());
  return out;
}

HmacSha256Stream::HmacSha256Stream(ByteView key) {
  internal::EnsureSodium();
  // libsodium declares the key nonnull, also for an empty key.
  static constexpr uint8_t kEmpty[1] = {0};
  crypto_auth_hmacsha256_init(HmacState(state_), key.empty() ? kEmpty : key.data(), key.size());
}

HmacSha256Stream::~HmacSha256Stream() { sodium_memzero(state_, sizeof(state_)); }

void HmacSha256Stream::Update(ByteView data) {
  crypto_auth_hmacsha256_update(HmacState(state_), data.data(), data.size());
}

Bytes HmacSha256Stream::Final() {
  Bytes out(kHmacSha256Size);
  crypto_auth_hmacsha256_final(HmacState(state_), out.data());
  return out;
}

Bytes HmacSha256(ByteView key, ByteView message) {
  HmacSha256Stream mac(key);
  mac.Update(message);
  return mac.Final();
}

Result<SecretBytes> HkdfSha256(ByteView salt, ByteView ikm, ByteView info, size_t length) {
  if (length == 0 || length > kHkdfSha256MaxOutput) {
    return Error(ErrorCode::kInvalidArgument, "hkdf: output length");
  }
  // Extract: PRK = HMAC(salt or HashLen zeros, IKM).
  static constexpr uint8_t kZeroSalt[kSha256Size] = {};
  ByteView extract_salt = salt.empty() ? ByteView(kZeroSalt, sizeof(kZeroSalt)) : salt;
  Bytes prk_bytes = HmacSha256(extract_salt, ikm);
  SecretBytes prk = SecretBytes::CopyFrom(prk_bytes);
  sodium_memzero(prk_bytes.data(), prk_bytes.size());

  // Expand: T(i) = HMAC(PRK, T(i-1) | info | i).
  SecretBytes okm(length);
  uint8_t* out = RevealMutableSecret(okm);
  uint8_t block[kSha256Size] = {};
  size_t block_size = 0;
  size_t done = 0;
  for (uint8_t counter = 1; done < length; ++counter) {
    HmacSha256Stream mac(RevealSecret(prk));
    mac.Update(ByteView(block, block_size));
    mac.Update(info);
    mac.Update(ByteView(&counter, 1));
    Bytes t = mac.Final();
    std::memcpy(block, t.data(), kSha256Size);
    sodium_memzero(t.data(), t.size());
    block_size = kSha256Size;
    size_t take = length - done < kSha256Size ? length - done : kSha256Size;
    std::memcpy(out + done, block, take);
    done += take;
  }
  sodium_memzero(block, sizeof(block));
  return okm;
}

}  // namespace medseal
