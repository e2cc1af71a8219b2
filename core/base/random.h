// SPDX-License-Identifier: Apache-2.0
// Randomness is injected: core never calls an RNG of its own.
#ifndef MEDSEAL_CORE_BASE_RANDOM_H_
#define MEDSEAL_CORE_BASE_RANDOM_H_

#include <cstddef>
#include <cstdint>

#include "core/base/secret.h"

namespace medseal {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual void Fill(uint8_t* out, size_t size) = 0;
  SecretBytes Secret(size_t size);
};

// The operating system's CSPRNG through libsodium's randombytes_buf
// (getrandom() natively; crypto.getRandomValues() in wasm).
class SodiumRng final : public Rng {
 public:
  void Fill(uint8_t* out, size_t size) override;
};

// Deterministic generator for known-answer tests. NOT for production keys.
// Call number i (0-based) of Fill(out, n) writes the first n bytes of the
// ChaCha20 (IETF, RFC 8439) keystream with key = seed, nonce = i encoded as 12
// little-endian bytes, block counter starting at 0. Specified in
// docs/spec/record.md so that other implementations reproduce the vectors.
class ChaChaRng final : public Rng {
 public:
  static constexpr size_t kSeedSize = 32;
  // kInvalidArgument unless `seed` is 32 bytes.
  static Result<ChaChaRng> Create(ByteView seed);
  // `seed` must be 32 bytes (precondition; use Create for untrusted sizes).
  explicit ChaChaRng(ByteView seed);
  void Fill(uint8_t* out, size_t size) override;

 private:
  SecretBytes seed_;
  uint64_t calls_ = 0;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_RANDOM_H_
