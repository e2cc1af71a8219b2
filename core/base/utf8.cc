// SPDX-License-Identifier: Apache-2.0
#include "core/base/utf8.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace medseal {

bool IsValidUtf8(std::string_view text) {
  // Smallest code point for each sequence length (1..4): anything below is
  // an overlong encoding.
  static constexpr uint32_t kMinCodePoint[5] = {0, 0, 0x80, 0x800, 0x10000};
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t n = 0;
    if (lead < 0x80) {
      n = 1;
    } else if ((lead >> 5) == 0x6) {
      n = 2;
    } else if ((lead >> 4) == 0xE) {
      n = 3;
    } else if ((lead >> 3) == 0x1E) {
      n = 4;
    } else {
      return false;  // a continuation byte or 0xF8..0xFF as lead byte
    }
    if (n > text.size() - i) return false;  // truncated sequence
    uint32_t cp = n == 1 ? lead : (lead & (0xFFu >> (n + 1)));
    for (size_t k = 1; k < n; ++k) {
      const auto cont = static_cast<unsigned char>(text[i + k]);
      if ((cont & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cont & 0x3Fu);
    }
    if (cp < kMinCodePoint[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace medseal
