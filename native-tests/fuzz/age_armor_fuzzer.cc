// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for age's ASCII armor (ArmorDecode, core/age/armor.h).
//
// For every input: ArmorDecode. A failure must be kArmorMalformed or
// kTooLarge. An input that decodes must be canonical up to what the armor
// tolerates: ArmorEncode of its bytes equals the input without the
// whitespace around the block, with LF line endings and a final LF. And for
// any input x, ArmorDecode(ArmorEncode(x)) == x. Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/age/armor.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "age_armor_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::string Normalise(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += s[i];
  }
  size_t b = 0;
  while (b < out.size() && IsSpace(out[b])) ++b;
  size_t e = out.size();
  while (e > b && IsSpace(out[e - 1])) --e;
  return out.substr(b, e - b) + "\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  Result<Bytes> decoded = ArmorDecode(input);
  if (!decoded.ok()) {
    const ErrorCode code = decoded.status().code();
    if (code != ErrorCode::kArmorMalformed && code != ErrorCode::kTooLarge) Bug("error code");
  } else {
    if (!LooksArmored(input)) Bug("decodes but does not look armored");
    if (ArmorEncode(*decoded) != Normalise(AsText(input))) Bug("not canonical");
  }
  const std::string encoded = ArmorEncode(input);
  Result<Bytes> back = ArmorDecode(AsBytes(encoded));
  if (!back.ok() || *back != Bytes(data, data + size)) Bug("decode(encode(x)) != x");
  return 0;
}
