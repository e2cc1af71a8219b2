// SPDX-License-Identifier: Apache-2.0
#include "core/codec/base32.h"

#include <cstdint>

namespace medseal {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// The 5-bit value of an alphabet character, or -1. Branch-free over the
// character classes so that decoding a secret takes no secret-dependent
// branches (the result is checked once per character).
int Value(char ch) {
  int c = static_cast<unsigned char>(ch);
  int upper = ((('A' - 1 - c) & (c - ('Z' + 1))) >> 8) & 1;  // 'A' <= c <= 'Z'
  int digit = ((('2' - 1 - c) & (c - ('7' + 1))) >> 8) & 1;  // '2' <= c <= '7'
  int v = (upper * (c - 'A' + 1)) + (digit * (c - '2' + 27));
  return v - 1;
}

// Decodes `data_len` checked characters into `out` (size data_len * 5 / 8);
// returns false if the unused trailing bits are not zero.
bool DecodeInto(std::string_view text, size_t data_len, uint8_t* out) {
  uint32_t buffer = 0;
  int bits = 0;
  size_t o = 0;
  for (size_t i = 0; i < data_len; ++i) {
    buffer = (buffer << 5) | static_cast<uint32_t>(Value(text[i]));
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<uint8_t>(buffer >> bits);
    }
  }
  return (buffer & ((1u << bits) - 1)) == 0;
}

Status Check(std::string_view text, size_t* data_len) {
  size_t len = text.size();
  while (len > 0 && text[len - 1] == '=') --len;
  for (size_t i = 0; i < len; ++i) {
    if (Value(text[i]) < 0) return Error(ErrorCode::kMalformed, "base32: invalid character");
  }
  size_t rem = len % 8;
  if (rem == 1 || rem == 3 || rem == 6) {
    return Error(ErrorCode::kMalformed, "base32: impossible length");
  }
  if (len != text.size()) return Error(ErrorCode::kNonCanonical, "base32: padding");
  *data_len = len;
  return Status::Ok();
}

}  // namespace

std::string Base32Encode(ByteView data) {
  std::string out;
  out.reserve((data.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(kAlphabet[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
  return out;
}

Result<Bytes> Base32Decode(std::string_view text) {
  size_t len = 0;
  MEDSEAL_RETURN_IF_ERROR(Check(text, &len));
  Bytes out(len * 5 / 8);
  if (!DecodeInto(text, len, out.data())) {
    return Error(ErrorCode::kNonCanonical, "base32: non-zero trailing bits");
  }
  return out;
}

Result<SecretBytes> Base32DecodeSecret(std::string_view text) {
  size_t len = 0;
  MEDSEAL_RETURN_IF_ERROR(Check(text, &len));
  SecretBytes out(len * 5 / 8);
  if (!DecodeInto(text, len, RevealMutableSecret(out))) {
    return Error(ErrorCode::kNonCanonical, "base32: non-zero trailing bits");
  }
  return out;
}

}  // namespace medseal
