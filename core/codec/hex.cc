// SPDX-License-Identifier: Apache-2.0
#include "core/codec/hex.h"

#include <sodium.h>

namespace medseal {

std::string HexEncode(ByteView data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  // Grammar first (kMalformed), then canonical form (kNonCanonical), so the
  // code does not depend on where in the input the faults are.
  bool upper = false;
  for (char c : hex) {
    bool lower = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    bool is_upper = c >= 'A' && c <= 'F';
    if (!lower && !is_upper) return Error(ErrorCode::kMalformed, "hex: invalid character");
    upper = upper || is_upper;
  }
  if (hex.size() % 2 != 0) return Error(ErrorCode::kMalformed, "hex: odd length");
  if (upper) return Error(ErrorCode::kNonCanonical, "hex: upper-case digit");
  Bytes out(hex.size() / 2);
  if (out.empty()) return out;
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size()) {
    return Error(ErrorCode::kMalformed, "hex: decode failed");
  }
  return out;
}

}  // namespace medseal
