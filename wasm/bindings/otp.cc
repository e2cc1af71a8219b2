// SPDX-License-Identifier: Apache-2.0
// One-time passwords (core/otp/): secret generation, HOTP and TOTP codes, the
// replay-safe TOTP verifier and otpauth:// URIs (wasm/package/src/otp.ts is
// the caller). Secrets arrive as regions that JS wipes after the call; every
// secret result is copied out by JS and wiped by _release().
#include "core/otp/otp.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <utility>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/otp/otpauth.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

using otp::OtpAlgorithmFromName;
using otp::TotpParams;

// Slots `first` (algorithm name, region), `first + 1` (digits, u32),
// `first + 2` (period, u32) as TotpParams.
Result<TotpParams> ParamsAt(const ArgReader& args, uint32_t first) {
  MEDSEAL_ASSIGN_OR_RETURN(otp::OtpAlgorithm algorithm, OtpAlgorithmFromName(args.Text(first)));
  return TotpParams{algorithm, args.U32(first + 1), args.U32(first + 2)};
}

// 0 size (u32). Slot 0 = the secret.
int OtpGenerateSecret(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes secret,
                              otp::GenerateOtpSecret(SystemRng(), args.U32(0)));
  const SecretBytes& kept = out.Keep(std::move(secret));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// 0 secret (region), 1 counter high 32 bits, 2 counter low 32 bits (u32),
// 3 algorithm name (region), 4 digits (u32). Slot 0 = the code.
int OtpHotpCode(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  SecretBytes secret = SecretBytes::CopyFrom(args.Bytes(0));
  uint64_t counter = (uint64_t{args.U32(1)} << 32) | args.U32(2);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, otp::OtpAlgorithm algorithm, OtpAlgorithmFromName(args.Text(3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string code,
                              otp::HotpCode(secret, counter, algorithm, args.U32(4)));
  out.Set(kSlot0, std::move(code));
  return Ok();
}

// 0 secret (region), 1-3 algorithm, digits, period, 4 time (f64 ms).
// Slot 0 = the code.
int OtpTotpCode(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  SecretBytes secret = SecretBytes::CopyFrom(args.Bytes(0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, TotpParams params, ParamsAt(args, 1));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(4, "time"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string code, otp::TotpCode(secret, params, now));
  out.Set(kSlot0, std::move(code));
  return Ok();
}

// 0 secret (region), 1 code (region), 2-4 algorithm, digits, period, 5 now
// (f64 ms), 6 last accepted step (f64, -1 for none). num = the new last
// accepted step.
int OtpVerifyTotp(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  SecretBytes secret = SecretBytes::CopyFrom(args.Bytes(0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, TotpParams params, ParamsAt(args, 2));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(5, "now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, int64_t last, args.Millis(6, "state.lastAcceptedStep"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, otp::TotpVerifierState state,
      otp::VerifyTotp(secret, params, args.Text(1), clock, otp::TotpVerifierState{last}));
  out.SetNum(static_cast<double>(state.last_accepted_step));
  return Ok();
}

// 0 issuer, 1 account (regions, UTF-8), 2 secret (region), 3-5 algorithm,
// digits, period. Slot 0 = the URI (UTF-8 bytes).
int OtpauthFormat(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  otp::OtpauthKey key;
  key.issuer = std::string(args.Text(0));
  key.account = std::string(args.Text(1));
  key.secret = SecretBytes::CopyFrom(args.Bytes(2));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, key.params, ParamsAt(args, 3));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes uri, otp::FormatOtpauthUri(key));
  const SecretBytes& kept = out.Keep(std::move(uri));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// 0 URI (region). Views of the parsed key: slot 0 = issuer, 1 = account,
// 2 = secret, 3 = algorithm name; slot 4 = digits and period (u32 words).
int OtpauthParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, otp::OtpauthKey parsed, otp::ParseOtpauthUri(args.Text(0)));
  const otp::OtpauthKey& key = out.Keep(std::move(parsed));
  out.SetView(kSlot0, key.issuer);
  out.SetView(kSlot1, key.account);
  out.SetView(kSlot2, RevealSecret(key.secret));
  out.SetView(kSlot3, otp::OtpAlgorithmName(key.params.algorithm));
  out.Set(kSlot4, WordBytes({key.params.digits, key.params.period}));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_otp) {
  using namespace medseal::wasm;
  emscripten::function("_otpGenerateSecret", &OtpGenerateSecret);
  emscripten::function("_otpHotpCode", &OtpHotpCode);
  emscripten::function("_otpTotpCode", &OtpTotpCode);
  emscripten::function("_otpVerifyTotp", &OtpVerifyTotp);
  emscripten::function("_otpauthFormat", &OtpauthFormat);
  emscripten::function("_otpauthParse", &OtpauthParse);
}
