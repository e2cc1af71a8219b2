// SPDX-License-Identifier: Apache-2.0
#include "core/codec/base64url.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {

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
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return Error(ErrorCode::kMalformed, "base64url: invalid character");
  }
  if (data_len % 4 == 1) return Error(ErrorCode::kMalformed, "base64url: impossible length");
  if (data_len != text.size()) return Error(ErrorCode::kNonCanonical, "base64url: padding");
  if (text.empty()) return Bytes{};
  Bytes out(text.size() / 4 * 3 + 3);
  internal::EnsureSodium();
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    // Only the unused trailing bits can fail here: the alphabet and the length
    // were checked above.
    return Error(ErrorCode::kNonCanonical, "base64url: non-zero trailing bits");
  }
  out.resize(len);
  return out;
}

}  // namespace medseal
