// SPDX-License-Identifier: Apache-2.0
// Native benchmark of TOTP verification (core/otp/otp.h): verifications per
// second, for SHA1, SHA256 and SHA512 at 6 digits and a 30 s period, of
//   accept    a code for step T+1 (the window's last candidate), with a fresh
//             state each time, so that every call is an accepted login
//   mismatch  a wrong code (every call OTP_MISMATCH)
// VerifyTotp computes all three candidates (T-1, T, T+1) in both cases, so
// the two should cost the same; the difference is noise. Each row is
// calibrated to --sample-ms per sample, then sampled --reps times; the median
// is printed (ops/s), and written as JSON with --json PATH.
// docs/performance.md ("TOTP verification") records a run.
//
// Usage: medseal_otp_bench [--reps N] [--sample-ms MS] [--json PATH]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/otp/otp.h"

namespace {

using medseal::otp::OtpAlgorithm;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "medseal_otp_bench: %s\n", why.c_str());
  std::exit(1);
}

double TimeIters(const std::function<void()>& op, uint64_t n) {
  auto t0 = SteadyClock::now();
  for (uint64_t i = 0; i < n; ++i) op();
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

double MedianOpsPerSecond(const std::function<void()>& op, int reps, double sample_s) {
  op();
  uint64_t n = 1;
  double t = TimeIters(op, n);
  while (t < sample_s / 4) {
    n *= 2;
    t = TimeIters(op, n);
  }
  n = std::max<uint64_t>(1, static_cast<uint64_t>(static_cast<double>(n) * sample_s / t));
  std::vector<double> samples;
  for (int r = 0; r < reps; ++r) samples.push_back(static_cast<double>(n) / TimeIters(op, n));
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 9;
  double sample_ms = 100;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--sample-ms" && i + 1 < argc) {
      sample_ms = std::atof(argv[++i]);
    } else if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else {
      Die("usage: medseal_otp_bench [--reps N] [--sample-ms MS] [--json PATH]");
    }
  }
  if (reps < 1) Die("--reps must be at least 1");
  medseal::SodiumRng rng;
  auto secret_or = medseal::otp::GenerateOtpSecret(rng);
  if (!secret_or.ok()) Die("secret");
  const medseal::SecretBytes secret = std::move(secret_or).value();
  const medseal::UnixMillis now = 1'764'600'000'000;  // 2025-12-01, any time works
  medseal::FixedClock clock(now);
  std::string json =
      "{\n  \"environment\": \"native\",\n  \"unit\": \"verifications/s\",\n  \"rows\": [";
  bool first = true;
  for (OtpAlgorithm alg : {OtpAlgorithm::kSha1, OtpAlgorithm::kSha256, OtpAlgorithm::kSha512}) {
    medseal::otp::TotpParams params{alg, 6, 30};
    auto next = medseal::otp::TotpCode(secret, params, now + 30'000);  // step T+1
    if (!next.ok()) Die("code");
    const std::string good = *next;
    const std::string bad = good == "000000" ? "000001" : "000000";
    if (!medseal::otp::VerifyTotp(secret, params, good, clock, {}).ok()) Die("not accepted");
    if (medseal::otp::VerifyTotp(secret, params, bad, clock, {}).status().code() !=
        medseal::ErrorCode::kOtpMismatch) {
      Die("a wrong code was not a mismatch");
    }
    for (bool accept : {true, false}) {
      const std::string& code = accept ? good : bad;
      double ops = MedianOpsPerSecond(
          [&] {
            auto r = medseal::otp::VerifyTotp(secret, params, code, clock, {});
            if (r.ok() != accept) Die("result changed");
          },
          reps, sample_ms / 1000);
      std::string id = std::string("totp-verify-") + (accept ? "accept-" : "mismatch-") +
                       std::string(medseal::otp::OtpAlgorithmName(alg));
      std::printf("%-32s %12.0f verifications/s\n", id.c_str(), ops);
      json += std::string(first ? "" : ",") + "\n    {\"id\": \"" + id +
              "\", \"medseal\": " + std::to_string(ops) + "}";
      first = false;
    }
  }
  json += "\n  ]\n}\n";
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << json;
    if (!out) Die("cannot write " + json_path);
  }
  return 0;
}
