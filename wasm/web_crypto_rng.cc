// SPDX-License-Identifier: Apache-2.0
#include "wasm/web_crypto_rng.h"

#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>

// Fills [out, out + size) in chunks of at most 65536 bytes (the Web Crypto
// limit per call); nothing for size 0.
// clang-format off
EM_JS(void, medseal_fill_random, (uint8_t* out, size_t size), {
  out >>>= 0;
  for (var off = 0; off < size; off += 65536) {
    globalThis.crypto.getRandomValues(HEAPU8.subarray(out + off, out + Math.min(size, off + 65536)));
  }
});
// clang-format on

namespace medseal::wasm {

void WebCryptoRng::Fill(uint8_t* out, size_t size) { medseal_fill_random(out, size); }

}  // namespace medseal::wasm
