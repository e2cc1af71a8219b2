// SPDX-License-Identifier: Apache-2.0
#include "core/otp/otp.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"
#include "core/crypto/sha1.h"
#include "core/crypto/sha2.h"

namespace medseal::otp {
namespace {

Bytes HmacSha512(ByteView key, ByteView message) {
  internal::EnsureSodium();
  crypto_auth_hmacsha512_state state;
  static constexpr uint8_t kEmpty[1] = {0};
  crypto_auth_hmacsha512_init(&state, key.empty() ? kEmpty : key.data(), key.size());
  crypto_auth_hmacsha512_update(&state, message.data(), message.size());
  Bytes out(crypto_auth_hmacsha512_BYTES);
  crypto_auth_hmacsha512_final(&state, out.data());
  sodium_memzero(&state, sizeof(state));
  return out;
}

Status CheckSecret(const SecretBytes& secret) {
  if (secret.size() < kOtpMinSecretSize) {
    return Error(ErrorCode::kOtpSecretWeak, "otp: secret shorter than 16 bytes");
  }
  if (secret.size() > kOtpMaxSecretSize) {
    return Error(ErrorCode::kTooLarge, "otp: secret longer than 128 bytes");
  }
  return Status::Ok();
}

bool KnownAlgorithm(OtpAlgorithm algorithm) {
  return algorithm == OtpAlgorithm::kSha1 || algorithm == OtpAlgorithm::kSha256 ||
         algorithm == OtpAlgorithm::kSha512;
}

// RFC 4226 §5.3 for a checked secret, algorithm and digit count.
std::string Compute(ByteView key, uint64_t counter, OtpAlgorithm algorithm, uint32_t digits) {
  uint8_t message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<uint8_t>(counter);
    counter >>= 8;
  }
  ByteView m(message, sizeof(message));
  Bytes mac = algorithm == OtpAlgorithm::kSha1     ? HmacSha1(key, m)
              : algorithm == OtpAlgorithm::kSha256 ? HmacSha256(key, m)
                                                   : HmacSha512(key, m);
  // Dynamic truncation: the low 4 bits of the last byte are the offset.
  size_t offset = mac.back() & 0x0f;
  uint32_t binary = (uint32_t{mac[offset]} & 0x7f) << 24 | uint32_t{mac[offset + 1]} << 16 |
                    uint32_t{mac[offset + 2]} << 8 | uint32_t{mac[offset + 3]};
  SecureWipe(mac);
  std::string code(digits, '0');
  for (uint32_t i = digits; i > 0; --i) {
    code[i - 1] = static_cast<char>('0' + binary % 10);
    binary /= 10;
  }
  return code;
}

}  // namespace

std::string_view OtpAlgorithmName(OtpAlgorithm algorithm) {
  switch (algorithm) {
    case OtpAlgorithm::kSha1: return "SHA1";
    case OtpAlgorithm::kSha256: return "SHA256";
    case OtpAlgorithm::kSha512: return "SHA512";
    default: return "UNKNOWN";
  }
}

Result<OtpAlgorithm> OtpAlgorithmFromName(std::string_view name) {
  if (name == "SHA1") return OtpAlgorithm::kSha1;
  if (name == "SHA256") return OtpAlgorithm::kSha256;
  if (name == "SHA512") return OtpAlgorithm::kSha512;
  return Error(ErrorCode::kOtpUnsupported, "otp: the algorithm is not SHA1, SHA256 or SHA512");
}

Status CheckTotpParams(const TotpParams& params) {
  if (!KnownAlgorithm(params.algorithm)) {
    return Error(ErrorCode::kInvalidArgument, "otp: unknown algorithm");
  }
  if (params.digits < kOtpMinDigits || params.digits > kOtpMaxDigits) {
    return Error(ErrorCode::kInvalidArgument, "otp: digits must be 6 to 8");
  }
  if (params.period < 1 || params.period > kTotpMaxPeriod) {
    return Error(ErrorCode::kInvalidArgument, "otp: period must be 1 to 3600 seconds");
  }
  return Status::Ok();
}

Result<SecretBytes> GenerateOtpSecret(Rng& rng, size_t size) {
  if (size < kOtpMinSecretSize || size > kOtpMaxSecretSize) {
    return Error(ErrorCode::kInvalidArgument, "otp: secret size must be 16 to 128 bytes");
  }
  return rng.Secret(size);
}

Result<std::string> HotpCode(const SecretBytes& secret, uint64_t counter, OtpAlgorithm algorithm,
                             uint32_t digits) {
  if (!KnownAlgorithm(algorithm)) {
    return Error(ErrorCode::kInvalidArgument, "otp: unknown algorithm");
  }
  if (digits < kOtpMinDigits || digits > kOtpMaxDigits) {
    return Error(ErrorCode::kInvalidArgument, "otp: digits must be 6 to 8");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckSecret(secret));
  return Compute(RevealSecret(secret), counter, algorithm, digits);
}

Result<uint64_t> TotpStep(UnixMillis now, uint32_t period) {
  if (period < 1 || period > kTotpMaxPeriod) {
    return Error(ErrorCode::kInvalidArgument, "otp: period must be 1 to 3600 seconds");
  }
  if (now < 0 || now > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "otp: time outside 0..2^53-1 ms");
  }
  return static_cast<uint64_t>(now / 1000) / period;
}

Result<std::string> TotpCode(const SecretBytes& secret, const TotpParams& params, UnixMillis now) {
  MEDSEAL_RETURN_IF_ERROR(CheckTotpParams(params));
  MEDSEAL_RETURN_IF_ERROR(CheckSecret(secret));
  MEDSEAL_ASSIGN_OR_RETURN(uint64_t step, TotpStep(now, params.period));
  return Compute(RevealSecret(secret), step, params.algorithm, params.digits);
}

Result<TotpVerifierState> VerifyTotp(const SecretBytes& secret, const TotpParams& params,
                                     std::string_view code, Clock& clock,
                                     const TotpVerifierState& state) {
  MEDSEAL_RETURN_IF_ERROR(CheckTotpParams(params));
  MEDSEAL_RETURN_IF_ERROR(CheckSecret(secret));
  MEDSEAL_ASSIGN_OR_RETURN(uint64_t now_step, TotpStep(clock.Now(), params.period));
  if (state.last_accepted_step < -1) {
    return Error(ErrorCode::kInvalidArgument, "otp: last accepted step below -1");
  }
  // The code's length and alphabet are not secret: checked before any MAC.
  bool digits_only = code.size() == params.digits;
  for (char c : code) digits_only = digits_only && c >= '0' && c <= '9';
  if (!digits_only) {
    return Error(ErrorCode::kMalformed, "otp: a code is 6 to 8 ASCII digits, as enrolled");
  }
  // Every step of the window is computed and compared, matching or not.
  int64_t current = static_cast<int64_t>(now_step);
  int64_t fresh_step = -1;
  bool replayed = false;
  for (int64_t step = current - kTotpWindow; step <= current + kTotpWindow; ++step) {
    if (step < 0) continue;  // before the epoch: no such step
    std::string candidate = Compute(RevealSecret(secret), static_cast<uint64_t>(step),
                                    params.algorithm, params.digits);
    bool match = ConstantTimeEqual(AsBytes(candidate), AsBytes(code));
    SecureWipe(reinterpret_cast<uint8_t*>(candidate.data()), candidate.size());
    bool is_fresh = step > state.last_accepted_step;
    // Steps ascend, so the last fresh match is the newest one.
    fresh_step = (match && is_fresh) ? step : fresh_step;
    replayed = replayed || (match && !is_fresh);
  }
  if (fresh_step >= 0) return TotpVerifierState{fresh_step};
  if (replayed) return Error(ErrorCode::kOtpReplayed, "otp: code already used");
  return Error(ErrorCode::kOtpMismatch, "otp: code does not match");
}

}  // namespace medseal::otp
