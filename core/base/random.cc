// SPDX-License-Identifier: Apache-2.0
#include "core/base/random.h"

#include <sodium.h>

#include <cstring>

#include "core/base/internal/sodium_init.h"

namespace medseal {

SecretBytes Rng::Secret(size_t size) {
  SecretBytes s(size);
  Fill(RevealMutableSecret(s), size);
  return s;
}

void SodiumRng::Fill(uint8_t* out, size_t size) {
  internal::EnsureSodium();
  if (size > 0) randombytes_buf(out, size);
}

Result<ChaChaRng> ChaChaRng::Create(ByteView seed) {
  if (seed.size() != kSeedSize) {
    return Error(ErrorCode::kInvalidArgument, "ChaChaRng: seed must be 32 bytes");
  }
  return ChaChaRng(seed);
}

ChaChaRng::ChaChaRng(ByteView seed) : seed_(SecretBytes::CopyFrom(seed)) {
  MEDSEAL_CHECK(seed.size() == kSeedSize);
  internal::EnsureSodium();
}

void ChaChaRng::Fill(uint8_t* out, size_t size) {
  uint8_t nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
  uint64_t n = calls_++;
  for (int i = 0; i < 8; ++i) nonce[i] = static_cast<uint8_t>(n >> (8 * i));
  if (size == 0) return;
  std::memset(out, 0, size);
  crypto_stream_chacha20_ietf_xor_ic(out, out, size, nonce, 0, RevealSecret(seed_).data());
}

}  // namespace medseal
