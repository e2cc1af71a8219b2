// SPDX-License-Identifier: Apache-2.0
// otpauth:// provisioning URIs for TOTP (the Google Authenticator Key URI
// Format), written and parsed strictly (docs/spec/otp.md §4):
//   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// The URI holds the secret: it is key material for the authenticator app
// (shown once as a QR code at enrolment), never a string to log or store.
#ifndef MEDSEAL_CORE_OTP_OTPAUTH_H_
#define MEDSEAL_CORE_OTP_OTPAUTH_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/otp/otp.h"

namespace medseal::otp {

// Longest URI the parser accepts (the formatter's longest output, names of
// 256 bytes that all need percent-encoding and a 128-byte secret, is ~2,600).
inline constexpr size_t kOtpauthMaxUriSize = 4096;
// Longest issuer and account name (UTF-8 bytes, after percent-decoding).
inline constexpr size_t kOtpauthMaxNameSize = 256;

struct OtpauthKey {
  std::string issuer;   // may be empty (then neither label prefix nor issuer= is written)
  std::string account;  // required, e.g. "alice@example.org"
  SecretBytes secret;
  TotpParams params;
};

// The URI as UTF-8 bytes in a zeroizing buffer (it contains the secret).
// kInvalidArgument for bad params, a secret outside 16..128 bytes, an empty
// account, an issuer containing ':', a name that is not UTF-8, has a
// control character or is longer than kOtpauthMaxNameSize.
Result<SecretBytes> FormatOtpauthUri(const OtpauthKey& key);

// Parses a TOTP provisioning URI; the rules, in order, with their codes are
// docs/spec/otp.md §4 (U1..U12).
Result<OtpauthKey> ParseOtpauthUri(std::string_view uri);

}  // namespace medseal::otp

#endif  // MEDSEAL_CORE_OTP_OTPAUTH_H_
