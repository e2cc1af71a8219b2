// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the otpauth:// URI parser (core/otp/otpauth.h) and
// the base32 decoder (core/codec/base32.h).
//
// The first byte selects the parser; the rest is its input.
//   even: ParseOtpauthUri. A failure must carry one of the codes of
//         docs/spec/otp.md §4. A URI that parses must hold a 16..128-byte
//         secret, 6..8 digits, a period of 1..3600, a non-empty account, and
//         names without ':', control characters or a leading space; FormatOtpauthUri must
//         accept the parsed key, and its output must parse back to the same
//         key (names, secret, parameters), and format to the same bytes.
//   odd:  Base32Decode. A failure is MALFORMED or NON_CANONICAL; a success
//         re-encodes to exactly the input (the decoder accepts one spelling
//         only), and Base32DecodeSecret agrees in result and bytes.
// Any violation aborts. Seeds (scripts/run-fuzzers.sh): every string that
// starts with "otpauth://" in native-tests/vectors (otp/otpauth_uris.json).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/utf8.h"
#include "core/codec/base32.h"
#include "core/otp/otpauth.h"

namespace {

using namespace medseal;
using namespace medseal::otp;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "otpauth_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsUriError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kOtpUnsupported:
    case ErrorCode::kOtpSecretWeak: return true;
    default: return false;
  }
}

std::string Text(const SecretBytes& s) {
  ByteView b = RevealSecret(s);
  return std::string(b.begin(), b.end());
}

bool SameKey(const OtpauthKey& a, const OtpauthKey& b) {
  return a.issuer == b.issuer && a.account == b.account &&
         ConstantTimeEqual(RevealSecret(a.secret), RevealSecret(b.secret)) &&
         a.params.algorithm == b.params.algorithm && a.params.digits == b.params.digits &&
         a.params.period == b.params.period;
}

void CheckName(const std::string& name) {
  if (name.size() > kOtpauthMaxNameSize) Bug("name too long");
  if (name.find(':') != std::string::npos) Bug("':' in a name");
  if (!name.empty() && name[0] == ' ') Bug("a name starts with a space");
  if (!IsValidUtf8(name) || HasControlCharacter(name)) Bug("name not UTF-8 text");
}

void Uri(std::string_view in) {
  auto key = ParseOtpauthUri(in);
  if (!key.ok()) {
    if (!IsUriError(key.status().code())) Bug("unexpected error code");
    return;
  }
  if (key->secret.size() < kOtpMinSecretSize || key->secret.size() > kOtpMaxSecretSize) {
    Bug("secret size");
  }
  if (!CheckTotpParams(key->params).ok()) Bug("params out of range");
  if (key->account.empty()) Bug("empty account");
  CheckName(key->account);
  CheckName(key->issuer);
  auto uri = FormatOtpauthUri(*key);
  if (!uri.ok()) Bug("a parsed key does not format");
  auto back = ParseOtpauthUri(Text(*uri));
  if (!back.ok()) Bug("a formatted URI does not parse");
  if (!SameKey(*key, *back)) Bug("round trip changed the key");
  auto again = FormatOtpauthUri(*back);
  if (!again.ok() || Text(*again) != Text(*uri)) Bug("formatting is not stable");
}

void Base32(std::string_view in) {
  auto bytes = Base32Decode(in);
  auto secret = Base32DecodeSecret(in);
  if (bytes.ok() != secret.ok()) Bug("Decode and DecodeSecret disagree");
  if (!bytes.ok()) {
    ErrorCode c = bytes.status().code();
    if (c != ErrorCode::kMalformed && c != ErrorCode::kNonCanonical) Bug("unexpected error code");
    if (secret.status().code() != c) Bug("Decode and DecodeSecret disagree on the code");
    return;
  }
  if (Base32Encode(*bytes) != in) Bug("a second spelling decoded");
  if (!ConstantTimeEqual(RevealSecret(*secret), *bytes)) Bug("DecodeSecret bytes differ");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    Uri(in);
  } else {
    Base32(in);
  }
  return 0;
}
