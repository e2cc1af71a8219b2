// SPDX-License-Identifier: Apache-2.0
// age's ASCII armor (core/age/armor.h): strict PEM, and every armored CCTV
// case: "armor failure" is kArmorMalformed, every other one decodes, and
// its header then has its header-level result.
#include "core/age/armor.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/age/header.h"
#include "core/age/keys.h"
#include "native-tests/age/cctv_files.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

Bytes Pattern(size_t n) {
  Bytes out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(i * 31 + 5);
  return out;
}

Result<Bytes> Decode(std::string_view s) { return ArmorDecode(AsBytes(s)); }

const std::string kBegin(kAgeArmorBegin);
const std::string kEnd(kAgeArmorEnd);

TEST(AgeArmor, RoundTripsEveryLength) {
  for (size_t n : {0U, 1U, 2U, 3U, 47U, 48U, 49U, 95U, 96U, 97U, 1000U, 4096U}) {
    SCOPED_TRACE(n);
    const Bytes data = Pattern(n);
    const std::string text = ArmorEncode(data);
    EXPECT_TRUE(text.starts_with(kBegin + "\n"));
    EXPECT_TRUE(text.ends_with("\n" + kEnd + "\n"));
    auto back = Decode(text);
    ASSERT_OK(back);
    EXPECT_EQ(*back, data);
    EXPECT_TRUE(LooksArmored(AsBytes(text)));
  }
}

TEST(AgeArmor, EncodesAt64ColumnsWithPadding) {
  const std::string text = ArmorEncode(Pattern(49));
  // 48 bytes = 64 columns, then 1 byte = "xx==".
  const std::string b64_first = text.substr(kBegin.size() + 1, 65);
  EXPECT_EQ(b64_first.size(), 65U);
  EXPECT_EQ(b64_first.back(), '\n');
  const size_t second = kBegin.size() + 1 + 65;
  EXPECT_EQ(text.substr(second, 5), text.substr(second, 2) + "==\n");
  EXPECT_EQ(ArmorEncode({}), kBegin + "\n" + kEnd + "\n");
}

TEST(AgeArmor, ToleratesWhatAgeTolerates) {
  const Bytes data = Pattern(60);
  const std::string lf = ArmorEncode(data);
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const std::string& ok :
       {crlf, " \t\n\r\n" + lf + "\n \n\t", lf.substr(0, lf.size() - 1), "\n\n" + crlf + "\r\n"}) {
    auto back = Decode(ok);
    ASSERT_OK(back);
    EXPECT_EQ(*back, data);
  }
  EXPECT_TRUE(LooksArmored(AsBytes("\n  " + lf)));
  EXPECT_FALSE(LooksArmored(AsBytes("age-encryption.org/v1\n")));
  EXPECT_FALSE(LooksArmored(AsBytes("x" + lf)));
}

TEST(AgeArmor, RejectsEverythingElse) {
  const Bytes data = Pattern(60);
  const std::string good = ArmorEncode(data);
  const std::string body = good.substr(kBegin.size() + 1,
                                       good.size() - kBegin.size() - kEnd.size() - 2);
  const std::string b1 = body.substr(0, 65);  // 64 columns + LF
  const std::string b2 = body.substr(65);     // the short line + LF
  const std::string b2t = b2.substr(0, b2.size() - 1);
  const std::vector<std::string> kBad = {
      "",
      kBegin + "\n",
      kBegin + "\n" + b1 + b2,                      // no END
      kBegin + "\n" + b1 + b2 + kEnd + "\nx",       // garbage after
      "x\n" + good,                                 // garbage before
      " " + kBegin + "\n" + b1 + b2 + kEnd + "\n",  // space on the BEGIN line
      kBegin + " \n" + b1 + b2 + kEnd + "\n",
      kBegin + "\n" + b1 + b2 + kEnd + " \n",   // space on the END line
      kBegin + "\n\n" + b1 + b2 + kEnd + "\n",  // empty line
      kBegin + "\n" + b1 + "\n" + b2 + kEnd + "\n",
      kBegin + "\n" + b1 + b2 + "\n" + kEnd + "\n",
      kBegin + "\n " + b1 + b2 + kEnd + "\n",                       // leading space on a line
      kBegin + "\n" + b1 + b2t + " \n" + kEnd + "\n",               // trailing space
      kBegin + "\n" + b2 + b1 + kEnd + "\n",                        // short line first
      kBegin + "\n" + b1.substr(0, 64) + b2t + "\n" + kEnd + "\n",  // a 64+ column line
      kBegin + "\n" + b1.substr(0, 60) + "\n" + b1.substr(60) + b2 + kEnd + "\n",
      kBegin + "\n" + b1 + b2t.substr(0, b2t.size() - 2) + "\n" + kEnd + "\n",  // no padding
      kBegin + "\n" + b1 + b2t.substr(0, b2t.size() - 1) + "\n=\n" + kEnd + "\n",
      "-----BEGIN AGE ENCRYPTED FILE----\n" + b1 + b2 + kEnd + "\n",
      "-----BEGIN PGP MESSAGE-----\n" + b1 + b2 + "-----END PGP MESSAGE-----\n",
      "-----begin age encrypted file-----\n" + b1 + b2 + kEnd + "\n",
      kBegin + "\nVersion: 1\n\n" + b1 + b2 + kEnd + "\n",  // PEM headers
      kBegin + "\n" + b1 + b2 + "=abcd\n" + kEnd + "\n",    // PGP checksum
      kBegin + "\n" + b1 + b2 + kEnd + "\n" + std::string(1024, ' '),
      std::string(1025, '\n') + good,
      kBegin + "\n" + b1 + b2 + kBegin + "\n",
  };
  for (const std::string& bad : kBad) {
    SCOPED_TRACE(bad);
    EXPECT_CODE(Decode(bad), ErrorCode::kArmorMalformed);
  }
  EXPECT_OK(Decode(good + std::string(1023, ' ')));
  EXPECT_OK(Decode(std::string(1024, '\n') + good));
  // Non-canonical trailing bits in the short line.
  std::string nc = kBegin + "\nZh==\n" + kEnd + "\n";
  EXPECT_CODE(Decode(nc), ErrorCode::kArmorMalformed);
  EXPECT_OK(Decode(kBegin + "\nZg==\n" + kEnd + "\n"));
}

TEST(AgeArmor, SizeLimit) {
  const Bytes big(kAgeMaxArmoredBytes + 1, ' ');
  EXPECT_CODE(ArmorDecode(big), ErrorCode::kTooLarge);
}

// Normalises an armored file as age's tolerance allows: no whitespace
// around the PEM block, LF line endings, a final LF.
std::string Normalise(ByteView file) {
  std::string s(AsText(file));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += s[i];
  }
  const size_t b = out.find_first_not_of(" \t\r\n\v\f");
  const size_t e = out.find_last_not_of(" \t\r\n\v\f");
  if (b == std::string::npos) return "";
  return out.substr(b, e - b + 1) + "\n";
}

TEST(AgeArmorCctv, EveryArmoredCase) {
  std::map<std::string, size_t> checked;
  size_t skipped_compressed = 0;
  size_t unarmored = 0;
  for (const testing::CctvCase& c : testing::LoadCctvCases()) {
    SCOPED_TRACE(c.name);
    if (!c.armored) {
      if (!c.compressed) {
        EXPECT_FALSE(LooksArmored(c.file));
      }
      ++unarmored;
      continue;
    }
    if (c.compressed) {
      ++skipped_compressed;
      continue;
    }
    auto decoded = ArmorDecode(c.file);
    if (c.expect == "armor failure") {
      EXPECT_CODE(decoded, ErrorCode::kArmorMalformed);
      ++checked[c.expect];
      continue;
    }
    ASSERT_OK(decoded);
    EXPECT_TRUE(LooksArmored(c.file));
    // Re-encoding gives the file back, up to the tolerated differences.
    EXPECT_EQ(ArmorEncode(*decoded), Normalise(c.file));
    // The header-level result of the decoded file.
    auto h = ParseAgeHeader(*decoded);
    ErrorCode code = h.status().code();
    if (h.ok()) {
      std::vector<AgeIdentity> ids;
      for (const auto& s : c.identities) {
        auto id = AgeIdentity::Parse(s);
        ASSERT_OK(id);
        ids.push_back(std::move(id).value());
      }
      for (const auto& p : c.passphrases) {
        auto id = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes(p)));
        ASSERT_OK(id);
        ids.push_back(std::move(id).value());
      }
      auto key = UnwrapAgeFileKey(*h, ids);
      code = key.status().code();
      if (key.ok()) code = VerifyAgeHeaderMac(*h, *key).code();
    }
    if (c.expect == "success") {
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(ErrorCode::kOk));
    } else if (c.expect == "no match") {
      EXPECT_EQ(ErrorCodeName(code), ErrorCodeName(ErrorCode::kNoMatchingRecipient));
    } else if (c.expect == "header failure") {
      // armor_empty: nothing inside the armor; armor_header_crlf: CRLF
      // inside the armored header.
      EXPECT_EQ(
          ErrorCodeName(code),
          ErrorCodeName(c.name == "armor_empty" ? ErrorCode::kTruncated : ErrorCode::kMalformed));
    } else {
      ADD_FAILURE() << "unexpected class " << c.expect;
    }
    ++checked[c.expect];
  }
  EXPECT_EQ(unarmored, 110U);
  EXPECT_EQ(skipped_compressed, 2U);
  EXPECT_EQ(checked["armor failure"], 22U);
  EXPECT_EQ(checked["success"], 6U);
  EXPECT_EQ(checked["no match"], 1U);
  EXPECT_EQ(checked["header failure"], 2U);
}

}  // namespace
}  // namespace medseal
