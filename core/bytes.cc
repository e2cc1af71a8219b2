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
  // Trailing '=' is padding (a second spelling: kNonCanonical); any other
  // character outside the alphabet, including '=' before the end, is
  // kMalformed. The grammar is checked over the whole input first.
  size_t data_len = text.size();
  while (data_len > 0 && text[data_len - 1] == '=') --data_len;
  for (size_t i = 0; i < data_len; ++i) {
    char c = text[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Error(ErrorCode::kMalformed, "base64url: invalid character");
  }
  if (data_len % 4 == 1) return Error(ErrorCode::kMalformed, "base64url: impossible length");
  if (data_len != text.size()) return Error(ErrorCode::kNonCanonical, "base64url: padding");
  Bytes out(text.size() / 4 * 3 + 3);
  if (text.empty()) return Bytes{};
  internal::EnsureSodium();
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
