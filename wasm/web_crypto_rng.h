// SPDX-License-Identifier: Apache-2.0
// The platform CSPRNG of the WebAssembly module: crypto.getRandomValues,
// which exists in pages, workers and Node >= 19 (globalThis.crypto).
#ifndef MEDSEAL_WASM_WEB_CRYPTO_RNG_H_
#define MEDSEAL_WASM_WEB_CRYPTO_RNG_H_

#include <cstddef>
#include <cstdint>

#include "core/base/random.h"

namespace medseal::wasm {

// One JS call per Fill, straight into the heap. Core's SodiumRng would go
// through libsodium 1.0.18's Emscripten randombytes_buf, which calls JS once
// per byte and ignores randombytes_set_implementation().
class WebCryptoRng final : public Rng {
 public:
  void Fill(uint8_t* out, size_t size) override;
};

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_WEB_CRYPTO_RNG_H_
