// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation (core/base/utf8.h): RFC 3629's well-formed byte sequences
// (Table 3-7 of the Unicode Standard), exhaustively for one and two bytes and
// at every boundary for three and four.
#include "core/base/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace medseal {
namespace {

std::string Str(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// The UTF-8 encoding of one code point (no validation: may encode surrogates).
std::string Encode(uint32_t cp) {
  if (cp < 0x80) return Str({static_cast<int>(cp)});
  if (cp < 0x800)
    return Str({0xC0 | static_cast<int>(cp >> 6), 0x80 | static_cast<int>(cp & 0x3F)});
  if (cp < 0x10000) {
    return Str({0xE0 | static_cast<int>(cp >> 12), 0x80 | static_cast<int>((cp >> 6) & 0x3F),
                0x80 | static_cast<int>(cp & 0x3F)});
  }
  return Str({0xF0 | static_cast<int>(cp >> 18), 0x80 | static_cast<int>((cp >> 12) & 0x3F),
              0x80 | static_cast<int>((cp >> 6) & 0x3F), 0x80 | static_cast<int>(cp & 0x3F)});
}

TEST(Utf8, EmptyAndAscii) {
  EXPECT_TRUE(IsValidUtf8(""));
  for (int c = 0; c < 0x80; ++c) EXPECT_TRUE(IsValidUtf8(Str({c}))) << c;
  EXPECT_TRUE(IsValidUtf8("Zhang Wei \xe5\xbc\xa0\xe4\xbc\x9f"));
}

TEST(Utf8, EveryOneAndTwoByteSequence) {
  for (int a = 0x80; a < 0x100; ++a) EXPECT_FALSE(IsValidUtf8(Str({a}))) << a;
  for (int a = 0; a < 0x100; ++a) {
    for (int b = 0; b < 0x100; ++b) {
      bool ascii_pair = a < 0x80 && b < 0x80;
      bool two_byte = a >= 0xC2 && a <= 0xDF && b >= 0x80 && b <= 0xBF;
      EXPECT_EQ(IsValidUtf8(Str({a, b})), ascii_pair || two_byte) << a << " " << b;
    }
  }
}

TEST(Utf8, BoundariesOfEveryLength) {
  for (uint32_t cp : {0x0u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu,
                      0x10000u, 0x10FFFFu}) {
    EXPECT_TRUE(IsValidUtf8(Encode(cp))) << std::hex << cp;
  }
  // Surrogates are not characters.
  for (uint32_t cp : {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu}) {
    EXPECT_FALSE(IsValidUtf8(Encode(cp))) << std::hex << cp;
  }
  // Above U+10FFFF, and lead bytes that can only start such sequences.
  EXPECT_FALSE(IsValidUtf8(Encode(0x110000)));
  EXPECT_FALSE(IsValidUtf8(Str({0xF5, 0x80, 0x80, 0x80})));
  EXPECT_FALSE(IsValidUtf8(Str({0xF8, 0x88, 0x80, 0x80, 0x80})));
  EXPECT_FALSE(IsValidUtf8(Str({0xFF})));
}

TEST(Utf8, OverlongEncodingsAreInvalid) {
  EXPECT_FALSE(IsValidUtf8(Str({0xC0, 0x80})));              // U+0000 in two bytes
  EXPECT_FALSE(IsValidUtf8(Str({0xC1, 0xBF})));              // U+007F in two bytes
  EXPECT_FALSE(IsValidUtf8(Str({0xE0, 0x9F, 0xBF})));        // U+07FF in three
  EXPECT_FALSE(IsValidUtf8(Str({0xF0, 0x8F, 0xBF, 0xBF})));  // U+FFFF in four
  EXPECT_FALSE(IsValidUtf8(Str({0xE0, 0x80, 0x80})));
}

TEST(Utf8, TruncatedAndInterruptedSequences) {
  const std::string four = Encode(0x1F600);
  for (size_t n = 1; n < four.size(); ++n) {
    EXPECT_FALSE(IsValidUtf8(four.substr(0, n))) << n;
    EXPECT_FALSE(IsValidUtf8(four.substr(0, n) + "a")) << n;
  }
  EXPECT_TRUE(IsValidUtf8(four + "a"));
  EXPECT_FALSE(IsValidUtf8(Str({0x80})));  // a lone continuation byte
  EXPECT_FALSE(IsValidUtf8("a" + Str({0xBF}) + "b"));
}

TEST(Utf8, ControlCharacters) {
  EXPECT_FALSE(HasControlCharacter(""));
  EXPECT_FALSE(HasControlCharacter("Dr. C \xe5\xbc\xa0 \x7f"));  // DEL is not below 0x20
  for (int c = 0; c < 0x20; ++c) EXPECT_TRUE(HasControlCharacter("a" + Str({c}))) << c;
  EXPECT_TRUE(HasControlCharacter(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace medseal
