// SPDX-License-Identifier: Apache-2.0
// One-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1,
// HMAC-SHA256 or HMAC-SHA512, 6 to 8 digits, and a TOTP verifier with a
// +/-1 time-step window that accepts each code once (docs/spec/otp.md).
//
// TOTP is a login factor for the relay (a proof that the user holds an
// enrolled authenticator), NEVER key material: no key, keystore slot or
// record is ever derived from, wrapped under or unlocked by an OTP secret or
// code. The secret is shared with the relay, which can compute every code.
#ifndef MEDSEAL_CORE_OTP_OTP_H_
#define MEDSEAL_CORE_OTP_OTP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal::otp {

enum class OtpAlgorithm : uint8_t {
  kSha1 = 1,    // RFC 4226's HMAC-SHA-1; what every authenticator app supports
  kSha256 = 2,  // RFC 6238 HMAC-SHA-256
  kSha512 = 3,  // RFC 6238 HMAC-SHA-512
};

// "SHA1", "SHA256", "SHA512" (the otpauth:// spelling).
std::string_view OtpAlgorithmName(OtpAlgorithm algorithm);
// The inverse, exact and case-sensitive; OTP_UNSUPPORTED for any other name.
Result<OtpAlgorithm> OtpAlgorithmFromName(std::string_view name);

inline constexpr uint32_t kOtpMinDigits = 6;
inline constexpr uint32_t kOtpMaxDigits = 8;
// RFC 4226 §4 R6: at least 128 bits, 160 recommended. Generated secrets are
// 20 bytes (160 bits, the SHA-1 output size); a secret may be up to 128 bytes.
inline constexpr size_t kOtpMinSecretSize = 16;
inline constexpr size_t kOtpDefaultSecretSize = 20;
inline constexpr size_t kOtpMaxSecretSize = 128;
// TOTP time step X in seconds (T0 is always 0, the Unix epoch).
inline constexpr uint32_t kTotpDefaultPeriod = 30;
inline constexpr uint32_t kTotpMaxPeriod = 3600;
// Steps accepted on each side of the current one.
inline constexpr int64_t kTotpWindow = 1;

struct TotpParams {
  OtpAlgorithm algorithm = OtpAlgorithm::kSha1;
  uint32_t digits = 6;
  uint32_t period = kTotpDefaultPeriod;
};

// kInvalidArgument unless digits is 6..8 and period is 1..kTotpMaxPeriod and
// the algorithm is one of the three.
Status CheckTotpParams(const TotpParams& params);

// A fresh secret of `size` bytes from `rng`. kInvalidArgument unless size is
// kOtpMinSecretSize..kOtpMaxSecretSize.
Result<SecretBytes> GenerateOtpSecret(Rng& rng, size_t size = kOtpDefaultSecretSize);

// HOTP(K, C) = Truncate(HMAC(K, C as 8 bytes big-endian)) mod 10^digits,
// left-padded with '0' to `digits` characters (RFC 4226 §5.3).
// kInvalidArgument for digits outside 6..8 or an unknown algorithm;
// OTP_SECRET_WEAK / kTooLarge for a secret outside 16..128 bytes.
Result<std::string> HotpCode(const SecretBytes& secret, uint64_t counter, OtpAlgorithm algorithm,
                             uint32_t digits);

// The RFC 6238 time step T = floor(unix_seconds / period) of `now`.
// kInvalidArgument for a time outside 0..kMaxUnixMillis or a bad period.
Result<uint64_t> TotpStep(UnixMillis now, uint32_t period);

// TOTP(K, T) = HOTP(K, T) for the step of `now`.
Result<std::string> TotpCode(const SecretBytes& secret, const TotpParams& params, UnixMillis now);

// What the relay stores per enrolled factor, next to the (encrypted) secret,
// and passes back on the next verification: the last accepted time step.
struct TotpVerifierState {
  // -1: no code accepted yet.
  int64_t last_accepted_step = -1;
};

// Verifies `code` (exactly params.digits ASCII digits) at clock.Now()
// against the steps T-1, T, T+1. Every candidate is computed and compared in
// constant time; a code is accepted for the newest matching step later than
// state.last_accepted_step, and the returned state records that step: the
// caller MUST persist it before answering the login (docs/spec/otp.md §5).
// Errors, in order: bad params (kInvalidArgument), bad secret size
// (OTP_SECRET_WEAK, kTooLarge), a clock outside 0..kMaxUnixMillis or a
// last_accepted_step below -1 (kInvalidArgument); a code that is not params.digits
// digits (kMalformed); no step matches (OTP_MISMATCH); only steps at or
// before last_accepted_step match (OTP_REPLAYED). The state is never changed
// on failure.
Result<TotpVerifierState> VerifyTotp(const SecretBytes& secret, const TotpParams& params,
                                     std::string_view code, Clock& clock,
                                     const TotpVerifierState& state);

}  // namespace medseal::otp

#endif  // MEDSEAL_CORE_OTP_OTP_H_
