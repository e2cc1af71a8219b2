// SPDX-License-Identifier: Apache-2.0
// HOTP/TOTP (core/otp/otp.h): every row of RFC 4226 Appendix D and RFC 6238
// Appendix B, 6/7/8 digits, secret generation, and the verifier's window,
// replay rule and reject order.
#include "core/otp/otp.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/crypto/sha1.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::otp {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

SecretBytes SecretOf(ByteView bytes) { return SecretBytes::CopyFrom(bytes); }
SecretBytes Rfc4226Secret() { return SecretOf(AsBytes("12345678901234567890")); }

OtpAlgorithm AlgorithmOf(const std::string& mode) {
  if (mode == "SHA1") return OtpAlgorithm::kSha1;
  if (mode == "SHA256") return OtpAlgorithm::kSha256;
  EXPECT_EQ(mode, "SHA512");
  return OtpAlgorithm::kSha512;
}

TEST(Hotp, Rfc4226AppendixD) {
  Json v = LoadVectorJson("external/rfc/rfc4226_hotp.json");
  ASSERT_EQ(v.at("digits").get<uint32_t>(), 6u);
  SecretBytes secret = SecretOf(Hex(v, "secret_hex"));
  size_t n = 0;
  for (const Json& t : v.at("tests")) {
    uint64_t count = t.at("count").get<uint64_t>();
    SCOPED_TRACE(count);
    // The intermediate HMAC-SHA1 value, then the code.
    uint8_t c[8] = {0, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(count)};
    EXPECT_EQ(HexEncode(HmacSha1(RevealSecret(secret), ByteView(c, 8))), Str(t, "hmac_sha1"));
    auto code = HotpCode(secret, count, OtpAlgorithm::kSha1, 6);
    ASSERT_OK(code);
    EXPECT_EQ(*code, Str(t, "hotp"));
    // 8 digits are the low 8 decimal digits of the same truncated value.
    std::string truncated = std::to_string(t.at("truncated_decimal").get<uint64_t>());
    auto code8 = HotpCode(secret, count, OtpAlgorithm::kSha1, 8);
    ASSERT_OK(code8);
    EXPECT_EQ(*code8, std::string(10 - truncated.size(), '0').append(truncated).substr(2));
    ++n;
  }
  EXPECT_EQ(n, 10u);
}

TEST(Totp, Rfc6238AppendixB) {
  Json v = LoadVectorJson("external/rfc/rfc6238_totp.json");
  ASSERT_EQ(v.at("time_step_X").get<uint32_t>(), 30u);
  ASSERT_EQ(v.at("T0").get<int>(), 0);
  size_t n = 0;
  for (const Json& t : v.at("tests")) {
    int64_t time = t.at("time").get<int64_t>();
    SCOPED_TRACE(::testing::Message() << Str(t, "mode") << " at " << time);
    TotpParams params{AlgorithmOf(Str(t, "mode")), v.at("digits").get<uint32_t>(), 30};
    SecretBytes secret = SecretOf(Hex(t, "secret_hex"));
    auto step = TotpStep(time * 1000, 30);
    ASSERT_OK(step);
    EXPECT_EQ(HexEncode(Bytes{static_cast<uint8_t>(*step >> 56), static_cast<uint8_t>(*step >> 48),
                              static_cast<uint8_t>(*step >> 40), static_cast<uint8_t>(*step >> 32),
                              static_cast<uint8_t>(*step >> 24), static_cast<uint8_t>(*step >> 16),
                              static_cast<uint8_t>(*step >> 8), static_cast<uint8_t>(*step)}),
              Str(t, "T_hex"));
    auto code = TotpCode(secret, params, time * 1000 + 999);  // milliseconds do not matter
    ASSERT_OK(code);
    EXPECT_EQ(*code, Str(t, "totp"));
    // And the verifier accepts it at that time, for that step.
    FixedClock clock(time * 1000);
    auto state = VerifyTotp(secret, params, Str(t, "totp"), clock, {});
    ASSERT_OK(state);
    EXPECT_EQ(state->last_accepted_step, static_cast<int64_t>(*step));
    ++n;
  }
  EXPECT_EQ(n, 18u);
}

TEST(Otp, SecretGeneration) {
  CountingRng rng;
  auto s = GenerateOtpSecret(rng);
  ASSERT_OK(s);
  EXPECT_EQ(s->size(), kOtpDefaultSecretSize);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*s), Counting(0, 20)));
  auto s32 = GenerateOtpSecret(rng, 32);
  ASSERT_OK(s32);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*s32), Counting(20, 32)));
  EXPECT_EQ(rng.bytes(), 52u);
  EXPECT_CODE(GenerateOtpSecret(rng, 15), ErrorCode::kInvalidArgument);
  EXPECT_CODE(GenerateOtpSecret(rng, 129), ErrorCode::kInvalidArgument);
  EXPECT_OK(GenerateOtpSecret(rng, 16));
  EXPECT_OK(GenerateOtpSecret(rng, 128));
}

TEST(Otp, RejectsBadArguments) {
  SecretBytes secret = Rfc4226Secret();
  EXPECT_CODE(HotpCode(secret, 0, OtpAlgorithm::kSha1, 5), ErrorCode::kInvalidArgument);
  EXPECT_CODE(HotpCode(secret, 0, OtpAlgorithm::kSha1, 9), ErrorCode::kInvalidArgument);
  EXPECT_CODE(HotpCode(secret, 0, static_cast<OtpAlgorithm>(9), 6), ErrorCode::kInvalidArgument);
  EXPECT_CODE(HotpCode(SecretOf(Bytes(15, 1)), 0, OtpAlgorithm::kSha1, 6),
              ErrorCode::kOtpSecretWeak);
  EXPECT_CODE(HotpCode(SecretBytes(), 0, OtpAlgorithm::kSha1, 6), ErrorCode::kOtpSecretWeak);
  EXPECT_CODE(HotpCode(SecretOf(Bytes(129, 1)), 0, OtpAlgorithm::kSha1, 6), ErrorCode::kTooLarge);
  EXPECT_OK(HotpCode(SecretOf(Bytes(128, 1)), 0, OtpAlgorithm::kSha512, 7));
  EXPECT_CODE(TotpStep(-1, 30), ErrorCode::kInvalidArgument);
  EXPECT_CODE(TotpStep(kMaxUnixMillis + 1, 30), ErrorCode::kInvalidArgument);
  EXPECT_CODE(TotpStep(0, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(TotpStep(0, kTotpMaxPeriod + 1), ErrorCode::kInvalidArgument);
  auto last = TotpStep(kMaxUnixMillis, 1);
  ASSERT_OK(last);
  EXPECT_EQ(*last, static_cast<uint64_t>(kMaxUnixMillis / 1000));
  EXPECT_CODE(TotpCode(secret, TotpParams{OtpAlgorithm::kSha1, 6, 0}, 0),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(TotpCode(secret, TotpParams{}, -1), ErrorCode::kInvalidArgument);
  EXPECT_EQ(OtpAlgorithmName(OtpAlgorithm::kSha256), "SHA256");
  EXPECT_EQ(OtpAlgorithmName(OtpAlgorithm::kSha512), "SHA512");
  EXPECT_EQ(OtpAlgorithmName(OtpAlgorithm::kSha1), "SHA1");
  for (auto a : {OtpAlgorithm::kSha1, OtpAlgorithm::kSha256, OtpAlgorithm::kSha512}) {
    auto back = OtpAlgorithmFromName(OtpAlgorithmName(a));
    ASSERT_OK(back);
    EXPECT_EQ(*back, a);
  }
  for (const char* bad : {"", "sha1", "SHA-1", "MD5", "SHA1 "}) {
    EXPECT_CODE(OtpAlgorithmFromName(bad), ErrorCode::kOtpUnsupported) << bad;
  }
}

// RFC 6238 Appendix B row "59 s, SHA1": 94287082 (step 1); step 0 is
// 84755224 and step 2 is 37359152 (HOTP counts 0 and 2 at 8 digits).
class TotpVerify : public ::testing::Test {
 protected:
  SecretBytes secret_ = Rfc4226Secret();
  TotpParams params_{OtpAlgorithm::kSha1, 8, 30};
  FixedClock clock_{59'000};  // step 1
};

TEST_F(TotpVerify, AcceptsTheWindowOnceEach) {
  auto s = VerifyTotp(secret_, params_, "94287082", clock_, {});
  ASSERT_OK(s);
  EXPECT_EQ(s->last_accepted_step, 1);
  // The same code again: a replay, and the state the caller holds is unchanged.
  EXPECT_CODE(VerifyTotp(secret_, params_, "94287082", clock_, *s), ErrorCode::kOtpReplayed);
  // The previous step's code is older than the accepted one: a replay too.
  EXPECT_CODE(VerifyTotp(secret_, params_, "84755224", clock_, *s), ErrorCode::kOtpReplayed);
  // The next step's code is in the window and newer.
  auto next = VerifyTotp(secret_, params_, "37359152", clock_, *s);
  ASSERT_OK(next);
  EXPECT_EQ(next->last_accepted_step, 2);
  // Without state, the previous step's code is accepted (clock skew -1).
  auto prev = VerifyTotp(secret_, params_, "84755224", clock_, {});
  ASSERT_OK(prev);
  EXPECT_EQ(prev->last_accepted_step, 0);
}

TEST_F(TotpVerify, RejectsOutsideTheWindow) {
  // Step 3's code (HOTP count 3 at 8 digits: 26969429) at step 1: too new.
  EXPECT_CODE(VerifyTotp(secret_, params_, "26969429", clock_, {}), ErrorCode::kOtpMismatch);
  clock_.Set(3 * 30'000);  // step 3: now step 1's code is too old
  EXPECT_CODE(VerifyTotp(secret_, params_, "94287082", clock_, {}), ErrorCode::kOtpMismatch);
  EXPECT_OK(VerifyTotp(secret_, params_, "26969429", clock_, {}));
  // A wrong code, a code from another secret.
  EXPECT_CODE(VerifyTotp(secret_, params_, "26969428", clock_, {}), ErrorCode::kOtpMismatch);
  EXPECT_CODE(VerifyTotp(SecretOf(Bytes(20, 7)), params_, "26969429", clock_, {}),
              ErrorCode::kOtpMismatch);
  // At step 0 there is no step -1: only steps 0 and 1 are candidates.
  clock_.Set(0);
  EXPECT_OK(VerifyTotp(secret_, params_, "84755224", clock_, {}));
  EXPECT_OK(VerifyTotp(secret_, params_, "94287082", clock_, {}));
  EXPECT_CODE(VerifyTotp(secret_, params_, "37359152", clock_, {}), ErrorCode::kOtpMismatch);
}

TEST_F(TotpVerify, ReplayOfAMismatchIsAMismatch) {
  // A state far in the future: a matching code is a replay, a wrong one a mismatch.
  TotpVerifierState future{1000};
  EXPECT_CODE(VerifyTotp(secret_, params_, "94287082", clock_, future), ErrorCode::kOtpReplayed);
  EXPECT_CODE(VerifyTotp(secret_, params_, "00000000", clock_, future), ErrorCode::kOtpMismatch);
}

TEST_F(TotpVerify, RejectsInOrder) {
  // Bad params before a bad secret before a bad clock before a bad code.
  FixedClock bad_clock(-1);
  TotpParams bad{OtpAlgorithm::kSha1, 9, 30};
  EXPECT_CODE(VerifyTotp(SecretBytes(), bad, "x", bad_clock, {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyTotp(SecretBytes(), params_, "x", bad_clock, {}), ErrorCode::kOtpSecretWeak);
  EXPECT_CODE(VerifyTotp(secret_, params_, "x", bad_clock, {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyTotp(secret_, params_, "x", clock_, TotpVerifierState{-2}),
              ErrorCode::kInvalidArgument);
  for (const char* code :
       {"", "9428708", "942870820", "9428708a", " 94287082", "94287082\n", "９4287082"}) {
    EXPECT_CODE(VerifyTotp(secret_, params_, code, clock_, {}), ErrorCode::kMalformed) << code;
  }
}

TEST(Totp, SixAndSevenDigitsAndOtherPeriods) {
  // RFC 4226 count 1 at 6 digits is "287082"; at 7 it is "4287082". TOTP with
  // a 60 s period at t = 60..119 s is step 1.
  SecretBytes secret = Rfc4226Secret();
  for (auto [digits, want] : {std::pair{6u, "287082"}, std::pair{7u, "4287082"}}) {
    auto code = TotpCode(secret, TotpParams{OtpAlgorithm::kSha1, digits, 60}, 119'999);
    ASSERT_OK(code);
    EXPECT_EQ(*code, want);
  }
  auto code = TotpCode(secret, TotpParams{OtpAlgorithm::kSha1, 6, 60}, 120'000);
  ASSERT_OK(code);
  EXPECT_EQ(*code, "359152");  // count 2
}

}  // namespace
}  // namespace medseal::otp
