// SPDX-License-Identifier: Apache-2.0
// Byte containers: owned bytes (Bytes) and borrowed views (ByteView).
// Text codecs for them are in core/codec/ (hex.h, base64url.h).
#ifndef MEDSEAL_CORE_BASE_BYTES_H_
#define MEDSEAL_CORE_BASE_BYTES_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace medseal {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// The bytes of `s` (no copy, no terminator).
inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// A copy of the bytes of `s`.
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
// The bytes of `b` read as text (no copy, no validation).
inline std::string_view AsText(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}

// Ascending byte order, shorter first on a common prefix (what
// std::vector's operator< gives, spelled out: GCC 12 at -O3 reports a false
// -Wstringop-overread for the memcmp inside vector's three-way compare).
inline bool BytesLess(ByteView a, ByteView b) {
  const size_t n = std::min(a.size(), b.size());
  if (n != 0) {
    const int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_BYTES_H_
