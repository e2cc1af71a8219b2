#include "core/bytes.h"

#include <sodium.h>

#include "core/internal/sodium_init.h"

namespace medseal {

std::string HexEncode(ByteView data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

Result<Bytes> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Error(ErrorCode::kMalformed, "hex: odd length");
  for (char c : hex) {
    bool lower = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    bool upper = c >= 'A' && c <= 'F';
    if (upper) return Error(ErrorCode::kNonCanonical, "hex: upper-case digit");
    if (!lower) return Error(ErrorCode::kMalformed, "hex: invalid character");
  }
  Bytes out(hex.size() / 2);
  size_t len = 0;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len,
                     nullptr) != 0 ||
      len != out.size()) {
    return Error(ErrorCode::kMalformed, "hex: decode failed");
  }
  return out;
}

std::string Base64UrlEncode(ByteView data) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), kVariant);
  out.pop_back();  // the terminating NUL
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (c == '=') return Error(ErrorCode::kNonCanonical, "base64url: padding");
    if (!ok) return Error(ErrorCode::kMalformed, "base64url: invalid character");
  }
  if (text.size() % 4 == 1) return Error(ErrorCode::kMalformed, "base64url: impossible length");
  internal::EnsureSodium();
  Bytes out(text.size() / 4 * 3 + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    // Only the unused trailing bits can fail here: the alphabet and the length
    // were checked above.
    return Error(ErrorCode::kNonCanonical, "base64url: non-zero trailing bits");
  }
  out.resize(len);
  return out;
}

}  // namespace medseal
