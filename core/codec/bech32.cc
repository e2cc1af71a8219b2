// SPDX-License-Identifier: Apache-2.0
#include "core/codec/bech32.h"

#include <array>
#include <cstdint>

namespace medseal {
namespace {

constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t kChecksumSize = 6;
constexpr size_t kMaxHrpSize = 83;       // BIP-173: 1 to 83 US-ASCII characters
constexpr uint32_t kBech32Constant = 1;  // (Bech32m would be 0x2bc830a3)

// The charset index of each lower-case character, -1 outside it.
constexpr std::array<int8_t, 128> MakeReverse() {
  std::array<int8_t, 128> rev{};
  for (auto& r : rev) r = -1;
  for (size_t i = 0; i < kCharset.size(); ++i) {
    rev[static_cast<unsigned char>(kCharset[i])] = static_cast<int8_t>(i);
  }
  return rev;
}
constexpr std::array<int8_t, 128> kReverse = MakeReverse();

uint32_t PolyMod(const std::vector<uint8_t>& values) {
  constexpr std::array<uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                            0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (size_t i = 0; i < kGen.size(); ++i) {
      if (((top >> i) & 1) != 0) chk ^= kGen[i];
    }
  }
  return chk;
}

// hrp expanded as BIP-173 specifies: high bits, a zero, low bits.
std::vector<uint8_t> HrpExpand(std::string_view hrp) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(static_cast<unsigned char>(c) >> 5));
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(static_cast<unsigned char>(c) & 31));
  return out;
}

bool ValidHrpChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 33 && u <= 126;
}

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

Result<std::string> Encode(std::string_view hrp, ByteView data) {
  if (hrp.empty() || hrp.size() > kMaxHrpSize) {
    return Error(ErrorCode::kInvalidArgument, "bech32: hrp must have 1 to 83 characters");
  }
  for (char c : hrp) {
    if (!ValidHrpChar(c) || (c >= 'A' && c <= 'Z')) {
      return Error(ErrorCode::kInvalidArgument, "bech32: hrp character outside 33..126 or upper");
    }
  }
  // 8-bit bytes to 5-bit words, the last one zero-padded.
  std::vector<uint8_t> words;
  words.reserve((data.size() * 8 + 4) / 5 + kChecksumSize);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      words.push_back(static_cast<uint8_t>((acc >> bits) & 31));
    }
  }
  if (bits > 0) words.push_back(static_cast<uint8_t>((acc << (5 - bits)) & 31));

  std::vector<uint8_t> values = HrpExpand(hrp);
  values.insert(values.end(), words.begin(), words.end());
  values.insert(values.end(), kChecksumSize, 0);
  const uint32_t mod = PolyMod(values) ^ kBech32Constant;
  for (size_t i = 0; i < kChecksumSize; ++i) {
    words.push_back(static_cast<uint8_t>((mod >> (5 * (5 - i))) & 31));
  }
  std::string out(hrp);
  out.push_back('1');
  for (uint8_t w : words) out.push_back(kCharset[w]);
  return out;
}

}  // namespace

Result<std::string> Bech32Encode(std::string_view hrp, ByteView data) { return Encode(hrp, data); }

Result<std::string> Bech32EncodeUpper(std::string_view hrp, ByteView data) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string out, Encode(hrp, data));
  for (char& c : out) c = ToUpperAscii(c);
  return out;
}

Result<Bech32Data> Bech32Decode(std::string_view text, size_t max_length) {
  if (text.size() > max_length) return Error(ErrorCode::kTooLarge, "bech32: string too long");
  bool has_lower = false;
  bool has_upper = false;
  for (char c : text) {
    if (!ValidHrpChar(c)) return Error(ErrorCode::kMalformed, "bech32: character out of range");
    has_lower = has_lower || (c >= 'a' && c <= 'z');
    has_upper = has_upper || (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) return Error(ErrorCode::kMalformed, "bech32: mixed case");
  const size_t sep = text.rfind('1');
  if (sep == std::string_view::npos) return Error(ErrorCode::kMalformed, "bech32: no separator");
  if (sep == 0) return Error(ErrorCode::kMalformed, "bech32: empty hrp");
  if (sep > kMaxHrpSize) return Error(ErrorCode::kMalformed, "bech32: hrp too long");
  if (text.size() - sep - 1 < kChecksumSize) {
    return Error(ErrorCode::kMalformed, "bech32: checksum too short");
  }
  Bech32Data result;
  result.hrp.reserve(sep);
  for (size_t i = 0; i < sep; ++i) result.hrp.push_back(ToLowerAscii(text[i]));

  std::vector<uint8_t> words;
  words.reserve(text.size() - sep - 1);
  for (size_t i = sep + 1; i < text.size(); ++i) {
    const char c = ToLowerAscii(text[i]);
    const int8_t v = kReverse[static_cast<unsigned char>(c)];
    if (v < 0) return Error(ErrorCode::kMalformed, "bech32: character outside the charset");
    words.push_back(static_cast<uint8_t>(v));
  }
  std::vector<uint8_t> values = HrpExpand(result.hrp);
  values.insert(values.end(), words.begin(), words.end());
  if (PolyMod(values) != kBech32Constant) {
    return Error(ErrorCode::kMalformed, "bech32: wrong checksum");
  }
  words.resize(words.size() - kChecksumSize);

  // 5-bit words to 8-bit bytes: at most 4 padding bits, all zero.
  uint32_t acc = 0;
  int bits = 0;
  result.data.reserve(words.size() * 5 / 8);
  for (uint8_t w : words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      result.data.push_back(static_cast<uint8_t>((acc >> bits) & 0xff));
    }
  }
  if (bits >= 5) return Error(ErrorCode::kMalformed, "bech32: more than 4 padding bits");
  if ((acc & ((1U << bits) - 1)) != 0) {
    return Error(ErrorCode::kMalformed, "bech32: non-zero padding bits");
  }
  return result;
}

}  // namespace medseal
