// SPDX-License-Identifier: Apache-2.0
// otpauth:// URIs (core/otp/otpauth.h): every case of
// native-tests/vectors/otp/otpauth_uris.json (the parse rules U1..U12 with
// their codes, and the formatter's exact output), round trips, and the
// formatter's argument checks.
#include "core/otp/otpauth.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::otp {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

std::string UriText(const SecretBytes& uri) {
  ByteView b = RevealSecret(uri);
  return std::string(b.begin(), b.end());
}

TEST(OtpauthUri, ParseVectors) {
  Json v = LoadVectorJson("otp/otpauth_uris.json");
  size_t n = 0, accepted = 0;
  for (const Json& c : v.at("parse")) {
    SCOPED_TRACE(Str(c, "uri").substr(0, 120));
    auto key = ParseOtpauthUri(Str(c, "uri"));
    ++n;
    if (Str(c, "expect") != "OK") {
      EXPECT_EQ(ErrorCodeName(CodeOf(key)), Str(c, "expect")) << Str(c, "note");
      continue;
    }
    ++accepted;
    ASSERT_OK(key);
    EXPECT_EQ(key->issuer, Str(c, "issuer"));
    EXPECT_EQ(key->account, Str(c, "account"));
    EXPECT_EQ(HexEncode(RevealSecret(key->secret)), Str(c, "secret_hex"));
    EXPECT_EQ(OtpAlgorithmName(key->params.algorithm), Str(c, "algorithm"));
    EXPECT_EQ(key->params.digits, c.at("digits").get<uint32_t>());
    EXPECT_EQ(key->params.period, c.at("period").get<uint32_t>());
    // What the formatter writes for the parsed key parses to the same key.
    auto again = FormatOtpauthUri(*key);
    ASSERT_OK(again);
    auto back = ParseOtpauthUri(UriText(*again));
    ASSERT_OK(back);
    EXPECT_EQ(back->issuer, key->issuer);
    EXPECT_EQ(back->account, key->account);
    EXPECT_TRUE(ConstantTimeEqual(RevealSecret(back->secret), RevealSecret(key->secret)));
  }
  EXPECT_EQ(n, 58u);
  EXPECT_EQ(accepted, 6u);
}

TEST(OtpauthUri, FormatVectors) {
  Json v = LoadVectorJson("otp/otpauth_uris.json");
  size_t n = 0;
  for (const Json& c : v.at("format")) {
    SCOPED_TRACE(Str(c, "uri"));
    OtpauthKey key;
    key.issuer = Str(c, "issuer");
    key.account = Str(c, "account");
    key.secret = SecretBytes::CopyFrom(Hex(c, "secret_hex"));
    std::string alg = Str(c, "algorithm");
    key.params.algorithm = alg == "SHA1"     ? OtpAlgorithm::kSha1
                           : alg == "SHA256" ? OtpAlgorithm::kSha256
                                             : OtpAlgorithm::kSha512;
    key.params.digits = c.at("digits").get<uint32_t>();
    key.params.period = c.at("period").get<uint32_t>();
    auto uri = FormatOtpauthUri(key);
    ASSERT_OK(uri);
    EXPECT_EQ(UriText(*uri), Str(c, "uri"));
    auto back = ParseOtpauthUri(UriText(*uri));
    ASSERT_OK(back);
    EXPECT_EQ(back->issuer, key.issuer);
    EXPECT_EQ(back->account, key.account);
    EXPECT_EQ(back->params.algorithm, key.params.algorithm);
    EXPECT_EQ(back->params.digits, key.params.digits);
    EXPECT_EQ(back->params.period, key.params.period);
    ++n;
  }
  EXPECT_EQ(n, 3u);
}

TEST(OtpauthUri, FormatRejectsBadKeys) {
  auto make = [] {
    OtpauthKey k;
    k.issuer = "Clinic";
    k.account = "alice";
    k.secret = SecretBytes::CopyFrom(Bytes(20, 1));
    return k;
  };
  EXPECT_OK(FormatOtpauthUri(make()));
  OtpauthKey k = make();
  k.account = "";
  EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument);
  for (const char* bad : {"a:b", " lead", "tab\there", "\xff", "del\x7f"}) {
    k = make();
    k.issuer = bad;
    EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument) << bad;
    k = make();
    k.account = bad;
    EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument) << bad;
  }
  k = make();
  k.account = std::string(kOtpauthMaxNameSize + 1, 'a');
  EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument);
  k = make();
  k.secret = SecretBytes::CopyFrom(Bytes(15, 1));
  EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument);
  k = make();
  k.params.digits = 9;
  EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument);
  // The longest names, the longest secret: still under the URI size limit.
  k = make();
  k.issuer = std::string(kOtpauthMaxNameSize / 2, '\xe2');  // not UTF-8 on its own
  EXPECT_CODE(FormatOtpauthUri(k), ErrorCode::kInvalidArgument);
  k = make();
  k.issuer = std::string(kOtpauthMaxNameSize, 'i');
  k.account = std::string(kOtpauthMaxNameSize, 'a');
  k.secret = SecretBytes::CopyFrom(Bytes(kOtpMaxSecretSize, 9));
  auto uri = FormatOtpauthUri(k);
  ASSERT_OK(uri);
  EXPECT_LE(uri->size(), kOtpauthMaxUriSize);
  EXPECT_OK(ParseOtpauthUri(UriText(*uri)));
}

TEST(OtpauthUri, ParseRejectsNul) {
  std::string uri = "otpauth://totp/a";
  uri.push_back('\0');
  uri += "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  EXPECT_CODE(ParseOtpauthUri(uri), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal::otp
