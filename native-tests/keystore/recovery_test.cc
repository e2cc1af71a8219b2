// SPDX-License-Identifier: Apache-2.0
// The recovery key's text form (core/keystore/recovery.h, spec §6): round
// trips, the accepted spellings, and that typing errors are detected and
// located.
#include "core/keystore/recovery.h"

#include <gtest/gtest.h>

#include <string>

#include "core/base/random.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

std::string Text(const SecretBytes& s) { return std::string(AsText(RevealSecret(s))); }

SecretBytes KeyOf(uint8_t seed) {
  ChaChaRng rng(Bytes(32, seed));
  return GenerateRecoveryKey(rng);
}

TEST(RecoveryKey, FormatsAsEightCheckedGroups) {
  SecretBytes key = KeyOf(1);
  ASSERT_EQ(key.size(), kRecoveryKeySize);
  std::string text = Text(FormatRecoveryKey(key));
  ASSERT_EQ(text.size(), kRecoveryTextSize);
  for (size_t g = 0; g < kRecoveryGroups; ++g) {
    if (g > 0) EXPECT_EQ(text[g * 9 - 1], '-');
    EXPECT_TRUE(RecoveryGroupValid(AsBytes(text.substr(g * 9, 8)), g)) << g;
    // A group is bound to its position.
    EXPECT_FALSE(RecoveryGroupValid(AsBytes(text.substr(g * 9, 8)), (g + 1) % 8)) << g;
  }
  EXPECT_EQ(text.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ-"), std::string::npos);
  auto back = ParseRecoveryKey(AsBytes(text));
  ASSERT_OK(back);
  EXPECT_EQ(HexEncode(RevealSecret(*back)), HexEncode(RevealSecret(key)));
}

TEST(RecoveryKey, AllZeroAndAllOnesKeys) {
  for (uint8_t b : {0x00, 0xff}) {
    SecretBytes key = SecretBytes::CopyFrom(Bytes(32, b));
    auto back = ParseRecoveryKey(RevealSecret(FormatRecoveryKey(key)));
    ASSERT_OK(back);
    EXPECT_EQ(HexEncode(RevealSecret(*back)), HexEncode(Bytes(32, b)));
  }
}

TEST(RecoveryKey, AcceptsLowerCaseSpacesAndConfusables) {
  SecretBytes key = KeyOf(2);
  std::string text = Text(FormatRecoveryKey(key));
  std::string typed;
  for (char c : text) {
    if (c == '-') {
      typed += "  ";
      continue;
    }
    char t = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '0') t = 'O';
    if (c == '1') t = 'l';
    typed += t;
  }
  auto back = ParseRecoveryKey(AsBytes(typed));
  ASSERT_OK(back);
  EXPECT_EQ(HexEncode(RevealSecret(*back)), HexEncode(RevealSecret(key)));
  // I and i read as 1 too.
  std::string with_i = text;
  for (char& c : with_i) {
    if (c == '1') c = 'I';
  }
  EXPECT_OK(ParseRecoveryKey(AsBytes(with_i)));
}

TEST(RecoveryKey, EverySingleSubstitutionIsLocated) {
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string text = Text(FormatRecoveryKey(KeyOf(3)));
  size_t cases = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if (text[pos] == '-') continue;
    for (size_t step : {1u, 7u, 31u}) {
      std::string typo = text;
      typo[pos] = alphabet[(alphabet.find(text[pos]) + step) % 32];
      RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(AsBytes(typo));
      ASSERT_EQ(ErrorCodeName(d.code), "RECOVERY_KEY_CHECKSUM") << pos;
      ASSERT_EQ(d.bad_groups, std::vector<size_t>{pos / 9}) << pos;
      ++cases;
    }
  }
  EXPECT_EQ(cases, 64u * 3u);
}

TEST(RecoveryKey, AdjacentTranspositionsAndSwappedGroupsAreLocated) {
  std::string text = Text(FormatRecoveryKey(KeyOf(4)));
  for (size_t pos = 0; pos + 1 < text.size(); ++pos) {
    if (text[pos] == '-' || text[pos + 1] == '-' || text[pos] == text[pos + 1]) continue;
    std::string typo = text;
    std::swap(typo[pos], typo[pos + 1]);
    RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(AsBytes(typo));
    ASSERT_EQ(ErrorCodeName(d.code), "RECOVERY_KEY_CHECKSUM") << pos;
    ASSERT_EQ(d.bad_groups, std::vector<size_t>{pos / 9}) << pos;
  }
  std::string swapped = text.substr(9, 8) + "-" + text.substr(0, 8) + text.substr(17);
  RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(AsBytes(swapped));
  EXPECT_EQ(ErrorCodeName(d.code), "RECOVERY_KEY_CHECKSUM");
  EXPECT_EQ(d.bad_groups, (std::vector<size_t>{0, 1}));
}

TEST(RecoveryKey, WholeKeyChecksumCatchesWhatGroupsMiss) {
  // Two substitutions in one group chosen so the group check still holds:
  // found by searching; the whole-key checksum must then fail.
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string text = Text(FormatRecoveryKey(KeyOf(5)));
  bool found = false;
  for (size_t a = 0; a < 32 && !found; ++a) {
    for (size_t b = 0; b < 32 && !found; ++b) {
      std::string typo = text;
      typo[0] = alphabet[a];
      typo[1] = alphabet[b];
      if (typo == text || !RecoveryGroupValid(AsBytes(typo.substr(0, 8)), 0)) continue;
      found = true;
      RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(AsBytes(typo));
      EXPECT_EQ(ErrorCodeName(d.code), "RECOVERY_KEY_CHECKSUM");
      EXPECT_TRUE(d.bad_groups.empty());
      EXPECT_CODE(ParseRecoveryKey(AsBytes(typo)), ErrorCode::kRecoveryKeyChecksum);
    }
  }
  EXPECT_TRUE(found);
}

TEST(RecoveryKey, RejectsMalformedText) {
  std::string text = Text(FormatRecoveryKey(KeyOf(6)));
  EXPECT_CODE(ParseRecoveryKey({}), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecoveryKey(AsBytes(text.substr(0, text.size() - 1))), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecoveryKey(AsBytes(text + "0")), ErrorCode::kMalformed);
  std::string with_u = text;
  with_u[0] = 'U';
  EXPECT_CODE(ParseRecoveryKey(AsBytes(with_u)), ErrorCode::kMalformed);
  std::string with_star = text;
  with_star[3] = '*';
  EXPECT_CODE(ParseRecoveryKey(AsBytes(with_star)), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecoveryKey(AsBytes(std::string(kRecoveryMaxInput + 1, ' '))),
              ErrorCode::kTooLarge);
  EXPECT_EQ(ErrorCodeName(DiagnoseRecoveryKey(AsBytes(with_u)).code), "MALFORMED");
  EXPECT_TRUE(DiagnoseRecoveryKey(AsBytes(with_u)).bad_groups.empty());
  EXPECT_FALSE(RecoveryGroupValid(AsBytes(text.substr(0, 8)), 8));
  EXPECT_FALSE(RecoveryGroupValid(AsBytes(text.substr(0, 7)), 0));
  EXPECT_EQ(ErrorCodeName(DiagnoseRecoveryKey(AsBytes(text)).code), "OK");
}

TEST(RecoveryKey, BadGroupMask) {
  RecoveryKeyDiagnosis d;
  EXPECT_EQ(RecoveryBadGroupMask(d), 0u);
  d.bad_groups = {0, 1, 7};
  EXPECT_EQ(RecoveryBadGroupMask(d), 0x83u);
  d.bad_groups = {8};  // not a group: ignored
  EXPECT_EQ(RecoveryBadGroupMask(d), 0u);
}

}  // namespace
}  // namespace medseal
