// SPDX-License-Identifier: Apache-2.0
#include "core/codec/base64.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {
namespace {

bool IsAlphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string Base64Encode(ByteView data, Base64Padding padding) {
  const int variant = padding == Base64Padding::kRequired
                          ? sodium_base64_VARIANT_ORIGINAL
                          : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.pop_back();  // the terminating NUL
  return out;
}

Result<Bytes> Base64Decode(std::string_view text, Base64Padding padding) {
  // The grammar is checked here in full (libsodium would skip nothing, but
  // its error does not say which rule broke); libsodium then decodes the
  // unpadded characters and rejects non-zero unused bits.
  size_t data_len = text.size();
  if (padding == Base64Padding::kRequired) {
    if (text.size() % 4 != 0) return Error(ErrorCode::kMalformed, "base64: length not 4n");
    size_t pad = 0;
    while (data_len > 0 && text[data_len - 1] == '=' && pad < 2) {
      --data_len;
      ++pad;
    }
  }
  for (size_t i = 0; i < data_len; ++i) {
    if (!IsAlphabet(text[i])) {
      return Error(ErrorCode::kMalformed,
                   text[i] == '=' ? "base64: misplaced padding" : "base64: invalid character");
    }
  }
  if (data_len % 4 == 1) return Error(ErrorCode::kMalformed, "base64: impossible length");
  if (data_len == 0) return Bytes{};
  Bytes out(data_len / 4 * 3 + 3);
  internal::EnsureSodium();
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), data_len, nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != text.data() + data_len) {
    // Only the unused trailing bits can fail here: the alphabet and the
    // length were checked above.
    return Error(ErrorCode::kNonCanonical, "base64: non-zero trailing bits");
  }
  out.resize(len);
  return out;
}

}  // namespace medseal
