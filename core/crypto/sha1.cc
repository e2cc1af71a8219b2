// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/sha1.h"

#include <cstring>

#include "core/base/secret.h"

namespace medseal {
namespace {

constexpr uint32_t Rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

uint32_t LoadBe32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

void StoreBe32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// FIPS 180-4 §6.1.2: one 512-bit block into the hash state.
void Compress(uint32_t h[5], const uint8_t block[kSha1BlockSize]) {
  uint32_t w[80];
  for (size_t t = 0; t < 16; ++t) w[t] = LoadBe32(block + 4 * t);
  for (int t = 16; t < 80; ++t) w[t] = Rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  // One round of §6.1.2 step 3; f is Ch, Parity, Maj, Parity by quarter.
  auto round = [&](uint32_t f, uint32_t k, uint32_t wt) {
    uint32_t temp = Rotl(a, 5) + f + e + k + wt;
    e = d;
    d = c;
    c = Rotl(b, 30);
    b = a;
    a = temp;
  };
  for (int t = 0; t < 20; ++t) round((b & c) | (~b & d), 0x5a827999, w[t]);
  for (int t = 20; t < 40; ++t) round(b ^ c ^ d, 0x6ed9eba1, w[t]);
  for (int t = 40; t < 60; ++t) round((b & c) | (b & d) | (c & d), 0x8f1bbcdc, w[t]);
  for (int t = 60; t < 80; ++t) round(b ^ c ^ d, 0xca62c1d6, w[t]);
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  SecureWipe(reinterpret_cast<uint8_t*>(w), sizeof(w));
}

}  // namespace

Sha1Stream::Sha1Stream() {
  // FIPS 180-4 §5.3.1.
  h_[0] = 0x67452301;
  h_[1] = 0xefcdab89;
  h_[2] = 0x98badcfe;
  h_[3] = 0x10325476;
  h_[4] = 0xc3d2e1f0;
}

Sha1Stream::~Sha1Stream() { Wipe(); }

void Sha1Stream::Wipe() {
  SecureWipe(reinterpret_cast<uint8_t*>(h_), sizeof(h_));
  SecureWipe(block_, sizeof(block_));
  block_size_ = 0;
  total_bytes_ = 0;
}

void Sha1Stream::Update(ByteView data) {
  total_bytes_ += data.size();
  const uint8_t* p = data.data();
  size_t left = data.size();
  if (block_size_ > 0) {
    size_t take = kSha1BlockSize - block_size_ < left ? kSha1BlockSize - block_size_ : left;
    std::memcpy(block_ + block_size_, p, take);
    block_size_ += take;
    p += take;
    left -= take;
    if (block_size_ < kSha1BlockSize) return;
    Compress(h_, block_);
    block_size_ = 0;
  }
  for (; left >= kSha1BlockSize; p += kSha1BlockSize, left -= kSha1BlockSize) Compress(h_, p);
  if (left > 0) std::memcpy(block_, p, left);
  block_size_ = left;
}

Bytes Sha1Stream::Final() {
  // FIPS 180-4 §5.1.1: 0x80, zeros to 56 mod 64, the bit length big-endian.
  uint64_t bit_length = total_bytes_ * 8;
  block_[block_size_++] = 0x80;
  if (block_size_ > kSha1BlockSize - 8) {
    std::memset(block_ + block_size_, 0, kSha1BlockSize - block_size_);
    Compress(h_, block_);
    block_size_ = 0;
  }
  std::memset(block_ + block_size_, 0, kSha1BlockSize - 8 - block_size_);
  StoreBe32(block_ + 56, static_cast<uint32_t>(bit_length >> 32));
  StoreBe32(block_ + 60, static_cast<uint32_t>(bit_length));
  Compress(h_, block_);
  Bytes out(kSha1Size);
  for (size_t i = 0; i < 5; ++i) StoreBe32(out.data() + 4 * i, h_[i]);
  Wipe();
  return out;
}

Bytes Sha1(ByteView data) {
  Sha1Stream s;
  s.Update(data);
  return s.Final();
}

HmacSha1Stream::HmacSha1Stream(ByteView key) {
  uint8_t k[kSha1BlockSize] = {};
  if (key.size() > kSha1BlockSize) {
    Bytes hashed = Sha1(key);
    std::memcpy(k, hashed.data(), hashed.size());
    SecureWipe(hashed);
  } else if (!key.empty()) {
    std::memcpy(k, key.data(), key.size());
  }
  uint8_t inner_key[kSha1BlockSize];
  for (size_t i = 0; i < kSha1BlockSize; ++i) {
    inner_key[i] = k[i] ^ 0x36;
    outer_key_[i] = k[i] ^ 0x5c;
  }
  inner_.Update(ByteView(inner_key, sizeof(inner_key)));
  SecureWipe(inner_key, sizeof(inner_key));
  SecureWipe(k, sizeof(k));
}

HmacSha1Stream::~HmacSha1Stream() { SecureWipe(outer_key_, sizeof(outer_key_)); }

void HmacSha1Stream::Update(ByteView data) { inner_.Update(data); }

Bytes HmacSha1Stream::Final() {
  Bytes inner_hash = inner_.Final();
  Sha1Stream outer;
  outer.Update(ByteView(outer_key_, sizeof(outer_key_)));
  outer.Update(inner_hash);
  SecureWipe(inner_hash);
  SecureWipe(outer_key_, sizeof(outer_key_));
  return outer.Final();
}

Bytes HmacSha1(ByteView key, ByteView message) {
  HmacSha1Stream mac(key);
  mac.Update(message);
  return mac.Final();
}

}  // namespace medseal
