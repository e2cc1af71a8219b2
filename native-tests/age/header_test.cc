// SPDX-License-Identifier: Apache-2.0
// The age v1 header (core/age/header.h): grammar, limits, the MAC, the
// canonical re-encoding, and every CCTV case that can be decided without the
// payload (docs/spec/age.md §6 maps the CCTV classes to codes).
#include "core/age/header.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/age/keys.h"
#include "core/base/random.h"
#include "native-tests/age/cctv_files.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using testing::CctvCase;

SecretBytes FileKey(uint8_t fill) {
  SecretBytes k(kAgeFileKeySize);
  for (size_t i = 0; i < k.size(); ++i) RevealMutableSecret(k)[i] = static_cast<uint8_t>(fill + i);
  return k;
}

AgeStanza Stanza(std::string type, std::vector<std::string> args, size_t body_size) {
  AgeStanza s;
  s.type = std::move(type);
  s.args = std::move(args);
  s.body.resize(body_size);
  for (size_t i = 0; i < body_size; ++i) s.body[i] = static_cast<uint8_t>(i * 7 + 3);
  return s;
}

Result<AgeHeader> ParseText(std::string_view text) { return ParseAgeHeader(AsBytes(text)); }

// A small valid header (from the CCTV x25519 case) and its MAC.
constexpr std::string_view kHeader =
    "age-encryption.org/v1\n"
    "-> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc\n"
    "hjabGXwSLQ9c3S6Lw2i+S2Tu2fiwQHHslbBN6B41FLE\n"
    "--- WyJp9F/9FOZh7gJdheq2WIJcwHgYc8NIVh3ddwhrcNg\n";
constexpr std::string_view kHeaderFileKey = "59454c4c4f57205355424d4152494e45";

TEST(AgeHeader, ParsesAValidHeaderAndIgnoresThePayload) {
  std::string file(kHeader);
  file += "\x01\x02payload";
  auto h = ParseText(file);
  ASSERT_OK(h);
  ASSERT_EQ(h->stanzas.size(), 1U);
  EXPECT_EQ(h->stanzas[0].type, "X25519");
  ASSERT_EQ(h->stanzas[0].args.size(), 1U);
  EXPECT_EQ(h->stanzas[0].args[0], "TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc");
  EXPECT_EQ(h->stanzas[0].body.size(), 32U);
  EXPECT_EQ(h->size, kHeader.size());
  EXPECT_EQ(AsText(h->mac_input), kHeader.substr(0, kHeader.size() - 45));
  EXPECT_EQ(h->mac.size(), kAgeHeaderMacSize);
  SecretBytes key = SecretBytes::CopyFrom(testing::HexOrDie(std::string(kHeaderFileKey)));
  EXPECT_OK(VerifyAgeHeaderMac(*h, key));
  EXPECT_CODE(VerifyAgeHeaderMac(*h, FileKey(1)), ErrorCode::kHeaderMacMismatch);
  auto written = WriteAgeHeader(h->stanzas, key);
  ASSERT_OK(written);
  EXPECT_EQ(AsText(*written), kHeader);
}

// Every strict prefix of a valid header is kTruncated, so that a streaming
// decryptor waits for more bytes instead of failing.
TEST(AgeHeader, EveryPrefixIsTruncated) {
  for (size_t n = 0; n < kHeader.size(); ++n) {
    EXPECT_CODE(ParseText(kHeader.substr(0, n)), ErrorCode::kTruncated) << "prefix " << n;
  }
  EXPECT_OK(ParseText(kHeader));
}

// An error shows as soon as the byte that makes it appears, not only once
// the line is complete.
TEST(AgeHeader, ErrorsAreReportedBeforeTheLineEnds) {
  EXPECT_CODE(ParseText("age-encryption.org/v2"), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseText("age-encryption.org/v12"), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseText("age-encryption.org/v1\r"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.ORG"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("PK\x03\x04"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n->  X"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\tY"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\nAA=A"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n" + std::string(65, 'A')),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n\n---x"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n\n--- " + std::string(44, 'A')),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n\n-- "), ErrorCode::kMalformed);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n\n->"), ErrorCode::kTruncated);
  EXPECT_CODE(ParseText("age-encryption.org/v1\n-> X\n\n-> "), ErrorCode::kTruncated);
}

TEST(AgeHeader, GrammarErrors) {
  const std::string v1 = "age-encryption.org/v1\n";
  const std::string mac = "--- " + std::string(43, 'A') + "\n";
  const std::pair<std::string, ErrorCode> kCases[] = {
      {"age-encryption.org/\n", ErrorCode::kMalformed},     // empty version
      {"age-encryption.org/v1 \n", ErrorCode::kMalformed},  // SP is not VCHAR
      {"age-encryption.org/v2\n-> X\n\n" + mac, ErrorCode::kUnsupportedVersion},
      {v1 + mac, ErrorCode::kMalformed},                         // no stanza
      {v1 + "->\n\n" + mac, ErrorCode::kMalformed},              // no space, no argument
      {v1 + "-> \n\n" + mac, ErrorCode::kMalformed},             // no argument
      {v1 + "-> X \n\n" + mac, ErrorCode::kMalformed},           // trailing space
      {v1 + "-> X\n" + mac, ErrorCode::kMalformed},              // no body line
      {v1 + "-> X\nAAAA\nAAAA\n" + mac, ErrorCode::kMalformed},  // two short lines
      {v1 + "-> X\n" + std::string(64, 'A') + "\n" + mac, ErrorCode::kMalformed},  // no final
      {v1 + "-> X\nAAAAA\n" + mac, ErrorCode::kMalformed},                         // 1 mod 4
      {v1 + "-> X\nAB\n" + mac, ErrorCode::kNonCanonical},                         // trailing bits
      {v1 + "-> X\n\n--- " + std::string(42, 'A') + "B\n", ErrorCode::kNonCanonical},
      {v1 + "-> X\n\n--- " + std::string(42, 'A') + "\n", ErrorCode::kMalformed},
      {v1 + "-> X\n\n---" + std::string(43, 'A') + "\n", ErrorCode::kMalformed},
      {v1 + "-> X\n\n" + "---\n", ErrorCode::kMalformed},
      {v1 + "-> X\n\n" + "--- " + std::string(43, 'A') + " \n", ErrorCode::kMalformed},
      {v1 + "-> X\n\n" + "--- " + std::string(43, 'A') + "\r\n", ErrorCode::kMalformed},
      {v1 + "-> X\n\n" + "--- " + std::string(43, 'A'), ErrorCode::kTruncated},
      {v1 + "-> X\n\nx" + mac, ErrorCode::kMalformed},
      {v1 + "-> X\n\n\n" + mac, ErrorCode::kMalformed},  // empty line between
  };
  for (const auto& [text, code] : kCases) {
    SCOPED_TRACE(text);
    EXPECT_CODE(ParseText(text), code);
  }
  auto ok = ParseText(v1 + "-> X a b\n\n" + mac);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->stanzas[0].type, "X");
  EXPECT_EQ(ok->stanzas[0].args, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(ok->stanzas[0].body.empty());
}

TEST(AgeHeader, LimitsAreTooLarge) {
  const std::string v1 = "age-encryption.org/v1\n";
  const std::string mac = "--- " + std::string(43, 'A') + "\n";
  std::string many = v1;
  for (size_t i = 0; i < kAgeMaxStanzas; ++i) many += "-> X\n\n";
  EXPECT_OK(ParseText(many + mac));
  EXPECT_CODE(ParseText(many + "-> X\n\n" + mac), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseText(many + "-> X"), ErrorCode::kTooLarge);  // even before the line ends

  // A header of exactly kAgeMaxHeaderBytes parses; one byte more is too large,
  // and so is a valid prefix longer than the limit.
  std::string big = v1 + "-> X\n";
  const size_t fixed = big.size() + 1 + mac.size();  // + the final (empty) body line
  const size_t body_chars = (kAgeMaxHeaderBytes - fixed) / 65 * 64;
  for (size_t i = 0; i < body_chars; i += 64) big += std::string(64, 'A') + "\n";
  std::string tail = "\n" + mac;
  ASSERT_LE(big.size() + tail.size(), kAgeMaxHeaderBytes);
  // Pad with one argument to reach the limit exactly.
  const size_t missing = kAgeMaxHeaderBytes - big.size() - tail.size();
  std::string exact = v1 + "-> X";
  if (missing > 0) exact += " " + std::string(missing - 1, 'a');
  exact += big.substr(v1.size() + 4) + tail;
  ASSERT_EQ(exact.size(), kAgeMaxHeaderBytes);
  EXPECT_OK(ParseText(exact));
  std::string over = v1 + "-> X " + std::string(missing, 'a') + big.substr(v1.size() + 4) + tail;
  ASSERT_EQ(over.size(), kAgeMaxHeaderBytes + 1);
  EXPECT_CODE(ParseText(over), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseText(v1 + "-> X\n" + std::string(kAgeMaxHeaderBytes, 'A')),
              ErrorCode::kMalformed);  // a grammar error inside the limit wins
  std::string long_prefix = v1 + "-> " + std::string(kAgeMaxHeaderBytes, 'a');
  EXPECT_CODE(ParseText(long_prefix), ErrorCode::kTooLarge);
}

TEST(AgeHeader, WriteWrapsBodiesAt64Columns) {
  const SecretBytes key = FileKey(9);
  for (size_t n : {0U, 1U, 47U, 48U, 49U, 96U, 100U, 1000U}) {
    SCOPED_TRACE(n);
    std::vector<AgeStanza> stanzas = {Stanza("t", {"a"}, n), Stanza("u", {}, 3)};
    auto out = WriteAgeHeader(stanzas, key);
    ASSERT_OK(out);
    auto h = ParseAgeHeader(*out);
    ASSERT_OK(h);
    EXPECT_EQ(h->size, out->size());
    ASSERT_EQ(h->stanzas.size(), 2U);
    EXPECT_EQ(h->stanzas[0].body, stanzas[0].body);
    EXPECT_EQ(h->stanzas[1].type, "u");
    EXPECT_OK(VerifyAgeHeaderMac(*h, key));
    auto input = EncodeAgeHeaderMacInput(h->stanzas);
    ASSERT_OK(input);
    EXPECT_EQ(*input, h->mac_input);
    // No line is longer than 64 columns after the arguments.
    const std::string_view text = AsText(*out);
    size_t start = text.find('\n', text.find("-> t")) + 1;
    while (text[start] != '-') {
      const size_t lf = text.find('\n', start);
      EXPECT_LE(lf - start, 64U);
      start = lf + 1;
    }
  }
}

TEST(AgeHeader, WriteRejectsBadStanzas) {
  const SecretBytes key = FileKey(1);
  EXPECT_CODE(WriteAgeHeader({}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("", {}, 0)}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("a b", {}, 0)}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("a", {""}, 0)}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("a", {"x\n"}, 0)}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("a", {"\x7f"}, 0)}, key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader({Stanza("a", {}, 0)}, SecretBytes(15)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteAgeHeader(std::vector<AgeStanza>(kAgeMaxStanzas + 1, Stanza("a", {}, 0)), key),
              ErrorCode::kTooLarge);
  EXPECT_CODE(WriteAgeHeader({Stanza("a", {}, kAgeMaxHeaderBytes)}, key), ErrorCode::kTooLarge);
  EXPECT_OK(WriteAgeHeader({Stanza("!~", {"\"#"}, 0)}, key));
}

// The MAC: HMAC-SHA256 keyed with HKDF-SHA256(salt empty, file key, "header").
TEST(AgeHeader, MacMatchesCctvFileKey) {
  auto h = ParseText(kHeader);
  ASSERT_OK(h);
  SecretBytes key = SecretBytes::CopyFrom(testing::HexOrDie(std::string(kHeaderFileKey)));
  EXPECT_EQ(ComputeAgeHeaderMac(key, h->mac_input), h->mac);
  AgeHeader changed = *h;
  changed.mac_input.back() ^= 1;
  EXPECT_CODE(VerifyAgeHeaderMac(changed, key), ErrorCode::kHeaderMacMismatch);
  changed = *h;
  changed.mac.pop_back();
  EXPECT_CODE(VerifyAgeHeaderMac(changed, key), ErrorCode::kHeaderMacMismatch);
  EXPECT_CODE(VerifyAgeHeaderMac(*h, SecretBytes(32)), ErrorCode::kInvalidArgument);
}

// ---- CCTV ------------------------------------------------------------------

// The identities of a case (X25519 and post-quantum hybrid: every one parses).
std::vector<AgeIdentity> Identities(const CctvCase& c) {
  std::vector<AgeIdentity> ids;
  for (const std::string& s : c.identities) {
    auto id = AgeIdentity::Parse(s);
    EXPECT_TRUE(id.ok()) << s << ": " << id.status().ToString();
    if (id.ok()) ids.push_back(std::move(id).value());
  }
  for (const std::string& p : c.passphrases) {
    auto id = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes(p)));
    EXPECT_TRUE(id.ok());
    if (id.ok()) ids.push_back(std::move(id).value());
  }
  return ids;
}

// The expected code of each unarmored, uncompressed header-failure case.
const std::map<std::string, ErrorCode>& HeaderFailureCodes() {
  using E = ErrorCode;
  static const auto* const kCodes = new std::map<std::string, ErrorCode>{
      {"empty", E::kTruncated},
      {"header_crlf", E::kMalformed},
      {"hmac_extra_space", E::kMalformed},
      {"hmac_garbage", E::kMalformed},
      {"hmac_missing", E::kMalformed},
      {"hmac_no_space", E::kMalformed},
      {"hmac_not_canonical", E::kNonCanonical},
      {"hmac_trailing_space", E::kMalformed},
      {"hmac_truncated", E::kMalformed},
      {"hybrid_extra_argument", E::kMalformed},         // P2: two arguments after the type
      {"hybrid_identity", E::kWeakKey},                 // P6: X25519 part 0, all-zero output
      {"hybrid_long_file_key", E::kMalformed},          // P5: body 41 bytes
      {"hybrid_long_share", E::kMalformed},             // P4: enc 1121 bytes
      {"hybrid_low_order", E::kWeakKey},                // P6: a point of small order
      {"hybrid_not_canonical_body", E::kNonCanonical},  // H10, the header grammar
      {"hybrid_not_canonical_enc", E::kNonCanonical},   // P3
      {"hybrid_short_share", E::kMalformed},            // P4: enc 1119 bytes
      {"hybrid_x25519_arg", E::kMalformed},             // X4: an X25519 share of 1120 bytes
      {"scrypt_and_x25519", E::kMalformed},
      {"scrypt_double", E::kMalformed},
      {"scrypt_extra_argument", E::kMalformed},
      {"scrypt_long_file_key", E::kMalformed},
      {"scrypt_not_canonical_body", E::kNonCanonical},
      {"scrypt_not_canonical_salt", E::kNonCanonical},
      {"scrypt_salt_long", E::kMalformed},
      {"scrypt_salt_missing", E::kMalformed},
      {"scrypt_salt_short", E::kMalformed},
      {"scrypt_work_factor_23", E::kTooLarge},
      {"scrypt_work_factor_hex", E::kMalformed},
      {"scrypt_work_factor_leading_garbage", E::kMalformed},
      {"scrypt_work_factor_leading_plus", E::kMalformed},
      {"scrypt_work_factor_leading_zero_decimal", E::kMalformed},
      {"scrypt_work_factor_leading_zero_octal", E::kMalformed},
      {"scrypt_work_factor_missing", E::kMalformed},
      {"scrypt_work_factor_negative", E::kMalformed},
      {"scrypt_work_factor_overflow", E::kTooLarge},
      {"scrypt_work_factor_trailing_garbage", E::kMalformed},
      {"scrypt_work_factor_zero", E::kMalformed},
      {"stanza_bad_start", E::kMalformed},
      {"stanza_base64_padding", E::kMalformed},
      {"stanza_empty_argument", E::kMalformed},
      {"stanza_invalid_character", E::kMalformed},
      {"stanza_long_line", E::kMalformed},
      {"stanza_missing_body", E::kMalformed},
      {"stanza_missing_final_line", E::kMalformed},
      {"stanza_multiple_short_lines", E::kMalformed},
      {"stanza_no_arguments", E::kMalformed},
      {"stanza_not_canonical", E::kNonCanonical},
      {"stanza_spurious_cr", E::kMalformed},
      // The header is valid; the payload's 16-byte nonce is missing or short.
      {"stream_no_nonce", E::kTruncated},
      {"stream_short_nonce", E::kTruncated},
      {"version_unsupported", E::kUnsupportedVersion},
      {"x25519_extra_argument", E::kMalformed},
      {"x25519_identity", E::kWeakKey},
      {"x25519_long_file_key", E::kMalformed},
      {"x25519_long_share", E::kMalformed},
      {"x25519_low_order", E::kWeakKey},
      {"x25519_not_canonical_body", E::kNonCanonical},
      {"x25519_not_canonical_share", E::kNonCanonical},
      {"x25519_short_share", E::kMalformed},
  };
  return *kCodes;
}

constexpr size_t kPayloadNonceSize = 16;

// Header-level processing of an age file: parse, unwrap, verify the MAC,
// and check that the payload nonce is there. The first failing code.
ErrorCode HeaderLevelCode(const CctvCase& c, ByteView file) {
  auto h = ParseAgeHeader(file);
  if (!h.ok()) return h.status().code();
  const std::vector<AgeIdentity> ids = Identities(c);
  auto key = UnwrapAgeFileKey(*h, ids);
  if (!key.ok()) return key.status().code();
  Status mac = VerifyAgeHeaderMac(*h, *key);
  if (!mac.ok()) return mac.code();
  if (file.size() - h->size < kPayloadNonceSize) return ErrorCode::kTruncated;
  return ErrorCode::kOk;
}

TEST(AgeHeaderCctv, EveryUnarmoredCaseHasItsHeaderLevelResult) {
  const std::vector<CctvCase> cases = testing::LoadCctvCases();
  std::map<std::string, size_t> checked;  // by expect class
  size_t skipped_compressed = 0;
  size_t skipped_armored = 0;
  size_t roundtrips = 0;
  size_t hybrid_cases = 0;
  for (const CctvCase& c : cases) {
    SCOPED_TRACE(c.name);
    if (c.compressed) {
      ++skipped_compressed;
      continue;
    }
    if (c.armored) {
      ++skipped_armored;  // native-tests/age/armor_test.cc
      continue;
    }
    const ErrorCode code = HeaderLevelCode(c, c.file);
    // Cases with a post-quantum hybrid identity (mlkem768x25519).
    const bool hybrid = std::any_of(c.identities.begin(), c.identities.end(), [](const auto& s) {
      return s.starts_with("AGE-SECRET-KEY-PQ-");
    });
    if (c.expect == "header failure") {
      auto it = HeaderFailureCodes().find(c.name);
      ASSERT_NE(it, HeaderFailureCodes().end()) << "no expected code for " << c.name;
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(it->second));
    } else if (c.expect == "HMAC failure") {
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(ErrorCode::kHeaderMacMismatch));
    } else if (c.expect == "no match") {
      // Includes hybrid_uppercase: "MLKEM768X25519" is not the hybrid's type.
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(ErrorCode::kNoMatchingRecipient));
    } else if (c.expect == "success" || c.expect == "payload failure") {
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(ErrorCode::kOk));
    } else {
      ADD_FAILURE() << "unknown expect: " << c.expect;
    }
    if (hybrid) ++hybrid_cases;
    // Re-encoding: every case that is not a header failure gives back its
    // MAC input byte for byte, and with its file key the whole header.
    if (c.expect != "header failure") {
      auto h = ParseAgeHeader(c.file);
      ASSERT_OK(h);
      auto input = EncodeAgeHeaderMacInput(h->stanzas);
      ASSERT_OK(input);
      EXPECT_EQ(*input, h->mac_input);
      if (c.expect != "HMAC failure") {
        SecretBytes key = SecretBytes::CopyFrom(testing::HexOrDie(c.file_key_hex));
        auto written = WriteAgeHeader(h->stanzas, key);
        ASSERT_OK(written);
        EXPECT_EQ(*written,
                  Bytes(c.file.begin(), c.file.begin() + static_cast<ptrdiff_t>(h->size)));
      }
      ++roundtrips;
    }
    ++checked[c.expect];
  }
  // The counts of the kit as copied: fewer means files are missing.
  EXPECT_EQ(skipped_compressed, 22U);
  EXPECT_EQ(skipped_armored, 31U);
  EXPECT_EQ(checked["header failure"], 60U);
  EXPECT_EQ(checked["HMAC failure"], 1U);
  EXPECT_EQ(checked["no match"], 12U);
  EXPECT_EQ(checked["success"], 11U);
  EXPECT_EQ(checked["payload failure"], 6U);
  EXPECT_EQ(roundtrips, 30U);
  EXPECT_EQ(hybrid_cases, 17U);
  EXPECT_EQ(HeaderFailureCodes().size(), 60U);
}

// Streaming: every prefix of every valid CCTV header is kTruncated.
TEST(AgeHeaderCctv, PrefixesOfValidHeadersAreTruncated) {
  size_t headers = 0;
  for (const CctvCase& c : testing::LoadCctvCases()) {
    if (c.compressed || c.armored || c.expect == "header failure") continue;
    auto h = ParseAgeHeader(c.file);
    ASSERT_OK(h);
    for (size_t n = 0; n < h->size; ++n) {
      ASSERT_EQ(ParseAgeHeader(ByteView(c.file).first(n)).status().code(), ErrorCode::kTruncated)
          << c.name << " prefix " << n;
    }
    ++headers;
  }
  EXPECT_EQ(headers, 30U);
}

}  // namespace
}  // namespace medseal
