// Byte containers and text codecs (hex, base64url without padding).
#ifndef MEDSEAL_CORE_BYTES_H_
#define MEDSEAL_CORE_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace medseal {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline Bytes ToBytes(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// Lower-case hex. Decoding rejects odd length and non-hex characters
// (kMalformed) and upper-case digits (kNonCanonical).
std::string HexEncode(ByteView data);
Result<Bytes> HexDecode(std::string_view hex);

// RFC 4648 §5 base64url without '=' padding. Decoding is strict: characters
// outside the alphabet or an impossible length are kMalformed; padding or
// non-zero unused trailing bits (a second spelling of the same bytes) are
// kNonCanonical.
std::string Base64UrlEncode(ByteView data);
Result<Bytes> Base64UrlDecode(std::string_view text);

}  // namespace medseal

#endif  // MEDSEAL_CORE_BYTES_H_
