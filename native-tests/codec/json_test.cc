// SPDX-License-Identifier: Apache-2.0
// core/codec/json.h: the strict, non-throwing JSON reader every format
// parser uses (docs/spec/record.md §2.3's general rules).
#include "core/codec/json.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

std::string Nested(int depth) {
  // `depth` levels in all: the top-level object, then arrays.
  std::string s = "{\"a\":";
  for (int i = 1; i < depth; ++i) s += "[";
  s += "0";
  for (int i = 1; i < depth; ++i) s += "]";
  return s + "}";
}

TEST(StrictJson, AcceptsAnObject) {
  auto j = ParseJsonObject(R"({"a":1,"b":"x","c":[true,null]})", 100);
  ASSERT_OK(j);
  EXPECT_EQ(j->size(), 3u);
}

TEST(StrictJson, RejectsWhatItMust) {
  EXPECT_CODE(ParseJsonObject(std::string(101, ' '), 100), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseJsonObject("{", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("[]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("1", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(R"({"a":1,"a":2})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(R"({"a":{"b":1,"b":1}})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("{\"a\":\"\xff\"}", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("{} x", 100), ErrorCode::kMalformed);
  EXPECT_OK(ParseJsonObject(R"({"a":{"b":1},"c":{"b":1}})", 100));  // same name, two objects
}

// G2, G3: nlohmann skips a byte order mark and stops reading at a NUL, so
// both are refused before it sees the text.
TEST(StrictJson, ByteOrderMarkAndNulAreMalformed) {
  EXPECT_OK(ParseJsonObject("{}", 100));
  EXPECT_CODE(ParseJsonObject("\xEF\xBB\xBF{}", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(" \xEF\xBB\xBF{}", 100), ErrorCode::kMalformed);
  using namespace std::string_literals;
  EXPECT_CODE(ParseJsonObject("{}\0"s, 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("{}\0{\"smuggled\":1}"s, 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("\0{}"s, 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("{\"a\":\"\0\"}"s, 100), ErrorCode::kMalformed);
  // An escaped NUL is a character of a string, not a NUL byte of the input.
  EXPECT_OK(ParseJsonObject(R"({"a":"\u0000"})", 100));
  // The size limit comes first (G1).
  EXPECT_CODE(ParseJsonObject("\xEF\xBB\xBF{}" + std::string(100, ' '), 100), ErrorCode::kTooLarge);
}

// G4: raw bytes that are not UTF-8 anywhere (also outside strings), and \u
// escapes of lone surrogates; a pair is one character.
TEST(StrictJson, InvalidUnicodeIsMalformed) {
  for (const char* bad :
       {"{\"a\":\"\xff\"}", "{\"\xc0\x80\":1}", "{\"a\":\"\xed\xa0\x80\"}", "{} \xff",
        R"({"a":"\ud800"})", R"({"a":"\udc00"})", R"({"a":"\ud800\u0041"})", R"({"\udfff":1})"}) {
    EXPECT_CODE(ParseJsonObject(bad, 100), ErrorCode::kMalformed) << bad;
  }
  auto j = ParseJsonObject(R"({"a":"\ud83d\ude00"})", 100);
  ASSERT_OK(j);
  EXPECT_EQ((*j)["a"].get<std::string>(), "\xf0\x9f\x98\x80");
}

// G6: the top-level object is depth 1; each object or array adds one,
// whether or not it is empty; scalars add nothing.
TEST(StrictJson, DepthLimit) {
  EXPECT_OK(ParseJsonObject(Nested(kMaxJsonDepth), 1000));
  EXPECT_CODE(ParseJsonObject(Nested(kMaxJsonDepth + 1), 1000), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(Nested(10000), 100000), ErrorCode::kMalformed);
  auto empty_at = [](int depth, const char* open, const char* close) {
    std::string s = "{\"a\":";
    for (int i = 1; i < depth; ++i) s += open;
    for (int i = 1; i < depth; ++i) s += close;
    return s + "}";
  };
  EXPECT_OK(ParseJsonObject(empty_at(kMaxJsonDepth, "[", "]"), 1000));
  EXPECT_CODE(ParseJsonObject(empty_at(kMaxJsonDepth + 1, "[", "]"), 1000), ErrorCode::kMalformed);
  std::string objects = "{";
  for (int i = 1; i < kMaxJsonDepth; ++i) objects += "\"a\":{";
  objects += std::string(kMaxJsonDepth, '}');
  EXPECT_OK(ParseJsonObject(objects, 1000));
  EXPECT_CODE(ParseJsonObject("{\"a\":{" + objects.substr(1) + "}", 1000), ErrorCode::kMalformed);
}

// Deep nesting is refused as soon as it passes the limit, without reading
// on: 32 MiB of '[' (the largest record input) is refused at once.
TEST(StrictJson, DeepNestingStopsEarly) {
  std::string deep = "{\"a\":" + std::string((32u << 20) - 5, '[');
  EXPECT_CODE(ParseJsonObject(deep, 32u << 20), ErrorCode::kMalformed);
}

// G7: names are compared after unescaping, as code point sequences.
TEST(StrictJson, DuplicatesAfterUnescaping) {
  EXPECT_CODE(ParseJsonObject(R"({"kid":1,"k\u0069d":2})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(R"({"\u00e9":1,"\u00E9":2})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject("{\"\xc3\xa9\":1,\"\\u00e9\":2}", 100), ErrorCode::kMalformed);
  // No normalisation: U+00E9 and U+0065 U+0301 are different names.
  EXPECT_OK(ParseJsonObject(R"({"\u00e9":1,"e\u0301":2})", 100));
}

// What is a JSON integer (spec §1.2): no fraction, no exponent, not -0,
// magnitude at most 2^53 - 1.
TEST(StrictJson, Integers) {
  auto read = [](const std::string& number) {
    auto j = ParseJsonObject("{\"n\":" + number + "}", 100);
    MEDSEAL_CHECK(j.ok());
    return GetInt(*j, "n");
  };
  EXPECT_EQ(*read("0"), 0);
  EXPECT_EQ(*read("1"), 1);
  EXPECT_EQ(*read("-1"), -1);
  EXPECT_EQ(*read("9007199254740991"), kMaxJsonInteger);
  EXPECT_EQ(*read("-9007199254740991"), -kMaxJsonInteger);
  for (const char* bad :
       {"-0", "1.0", "1e0", "1E0", "0.0", "-0.0", "1.5", "1e2", "9007199254740992",
        "-9007199254740992", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
        "100000000000000000000000", "\"1\"", "true", "null", "[1]"}) {
    EXPECT_CODE(read(bad), ErrorCode::kMalformed) << bad;
  }
}

// Every base64 member follows spec §1.1's order, whatever its expected
// size: alphabet, length mod 4, then '=' (any run) and unused bits, then
// the decoded length.
TEST(StrictJson, Base64MembersFollowTheDecodingOrder) {
  auto get = [](const std::string& value, size_t size, size_t max = 0) {
    auto j = ParseJsonObject("{\"b\":\"" + value + "\"}", 1000);
    MEDSEAL_CHECK(j.ok());
    return GetBase64(*j, "b", size, max);
  };
  const std::string nonce(32, 'A');  // 24 bytes
  EXPECT_OK(get(nonce, 24));
  EXPECT_CODE(get(nonce + "=", 24), ErrorCode::kNonCanonical);
  EXPECT_CODE(get(nonce + "==", 24), ErrorCode::kNonCanonical);
  EXPECT_CODE(get(nonce + "===", 24), ErrorCode::kNonCanonical);
  EXPECT_CODE(get(nonce + std::string(100, '='), 24), ErrorCode::kNonCanonical);
  EXPECT_CODE(get(nonce + "AAAA", 24), ErrorCode::kMalformed);      // 27 bytes
  EXPECT_CODE(get(nonce + "AAAA=", 24), ErrorCode::kNonCanonical);  // '=' before size
  EXPECT_CODE(get(nonce + "A", 24), ErrorCode::kMalformed);         // 33 chars: 1 mod 4
  EXPECT_CODE(get(nonce + "A=", 24), ErrorCode::kMalformed);        // length before '='
  EXPECT_CODE(get(nonce + "+", 24), ErrorCode::kMalformed);         // alphabet first
  EXPECT_CODE(get(nonce + "=A", 24), ErrorCode::kMalformed);        // '=' inside
  EXPECT_OK(get("AAAA", 0, 3));
  EXPECT_CODE(get("AAAAAA", 0, 3), ErrorCode::kTooLarge);  // 4 decoded bytes
  EXPECT_CODE(get("AAAAAA==", 0, 3), ErrorCode::kNonCanonical);
  EXPECT_CODE(get("AAAAAAAAAAAAAAAAAAAAA", 0, 3), ErrorCode::kMalformed);  // 1 mod 4
}

// What dump() writes for a string is its RFC 8785 (JCS) form (§3.2.2.2),
// for every Unicode scalar value: \b \t \n \f \r, \u00xx (lower case) for
// the other controls, \" and \\, everything else (/, DEL, U+2028, U+2029,
// non-ASCII) as is.
std::string Utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string JcsString(uint32_t cp) {
  switch (cp) {
    case 0x08: return "\\b";
    case 0x09: return "\\t";
    case 0x0A: return "\\n";
    case 0x0C: return "\\f";
    case 0x0D: return "\\r";
    case 0x22: return "\\\"";
    case 0x5C: return "\\\\";
    default: break;
  }
  if (cp < 0x20) {
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("\\u00") + kHex[cp >> 4] + kHex[cp & 0xF];
  }
  return Utf8(cp);
}

TEST(StrictJson, DumpWritesJcsStrings) {
  size_t checked = 0;
  std::string all, all_expected;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    ASSERT_EQ(Json(Utf8(cp)).dump(), "\"" + JcsString(cp) + "\"") << "U+" << std::hex << cp;
    if (cp < 0x3000 || cp % 4099 == 0) {
      all += Utf8(cp);
      all_expected += JcsString(cp);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 0x110000u - 0x800u);
  EXPECT_EQ(Json(all).dump(), "\"" + all_expected + "\"");
}

// Integers: dump() writes the shortest decimal, which is JCS's form for
// every integer of magnitude below 2^53.
TEST(StrictJson, DumpWritesJcsIntegers) {
  for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1700000000000}, kMaxJsonInteger,
                    -kMaxJsonInteger}) {
    EXPECT_EQ(Json(n).dump(), std::to_string(n));
  }
  EXPECT_EQ(Json(uint64_t{9007199254740991}).dump(), "9007199254740991");
}

TEST(StrictJson, TypedMembers) {
  auto j = ParseJsonObject(
      R"({"s":"t","i":-5,"u":18446744073709551615,"f":1.0,"b":"AQID","n":null})", 1000);
  ASSERT_OK(j);
  EXPECT_OK(ExpectExactKeys(*j, {"s", "i", "u", "f", "b", "n"}));
  EXPECT_CODE(ExpectExactKeys(*j, {"s", "i", "u", "f", "b"}), ErrorCode::kMalformed);
  EXPECT_CODE(ExpectExactKeys(*j, {"s", "i", "u", "f", "b", "n", "x"}), ErrorCode::kMalformed);
  EXPECT_EQ(*GetString(*j, "s"), "t");
  EXPECT_CODE(GetString(*j, "i"), ErrorCode::kMalformed);
  EXPECT_EQ(*GetInt(*j, "i"), -5);
  EXPECT_CODE(GetInt(*j, "u"), ErrorCode::kMalformed);  // beyond int64
  EXPECT_CODE(GetInt(*j, "f"), ErrorCode::kMalformed);  // 1.0 is not an integer
  EXPECT_CODE(GetInt(*j, "missing"), ErrorCode::kMalformed);
  EXPECT_EQ(*GetBase64(*j, "b", 3), (Bytes{1, 2, 3}));
  EXPECT_CODE(GetBase64(*j, "b", 4), ErrorCode::kMalformed);
  EXPECT_CODE(GetBase64(*j, "n", 0, 10), ErrorCode::kMalformed);
}

TEST(StrictJson, TypeAndVersion) {
  auto j = ParseJsonObject(R"({"type":"medseal.card","v":1})", 100);
  ASSERT_OK(j);
  EXPECT_OK(ExpectTypeAndVersion(*j, "medseal.card", 1));
  EXPECT_CODE(ExpectTypeAndVersion(*j, "medseal.record", 1), ErrorCode::kMalformed);
  EXPECT_CODE(ExpectTypeAndVersion(*j, "medseal.card", 2), ErrorCode::kUnsupportedVersion);
}

// ParseJsonValue: the same rules without G8, a depth limit of the caller's
// choice; numbers that overflow a double are refused by both.
TEST(StrictJson, ParseJsonValueTakesAnyTopLevel) {
  EXPECT_EQ(*ParseJsonValue("[1,\"a\"]", 100), Json::array({1, "a"}));
  EXPECT_EQ(*ParseJsonValue(" 7 ", 100), Json(7));
  EXPECT_EQ(*ParseJsonValue("null", 100), Json(nullptr));
  EXPECT_CODE(ParseJsonValue("[1]", 2), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseJsonValue("\xEF\xBB\xBF"
                             "1",
                             100),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue("[\"\xff\"]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue(R"(["\udfff"])", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue(R"([{"a":1,"a":2}])", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue("1 2", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue("[1e309]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonValue("-1e999", 100), ErrorCode::kMalformed);
  EXPECT_OK(ParseJsonValue("1e-999", 100));  // underflow reads as 0, a finite double
  EXPECT_CODE(ParseJsonObject(R"({"a":1e309})", 100), ErrorCode::kMalformed);
  EXPECT_OK(ParseJsonValue(Nested(kMaxJsonDepth), 1000));
  EXPECT_CODE(ParseJsonValue(Nested(kMaxJsonDepth + 1), 1000), ErrorCode::kMalformed);
  EXPECT_OK(ParseJsonValue(Nested(kMaxJsonDepth + 1), 1000, kMaxJsonDepth + 1));
  EXPECT_CODE(ParseJsonValue(Nested(kMaxJsonDepth + 2), 1000, kMaxJsonDepth + 1),
              ErrorCode::kMalformed);
}

// ParseOrderedJsonObject: the same rules, members in document order, the
// caller's depth limit, and kTooDeep (not kMalformed) beyond it.
TEST(StrictJson, OrderedKeepsDocumentOrderAndTakesADepth) {
  auto j = ParseOrderedJsonObject(R"({"z":1,"a":{"y":2,"b":3},"m":[1]})", 100, 16);
  ASSERT_OK(j);
  std::string keys;
  for (auto it = j->begin(); it != j->end(); ++it) keys += it.key();
  EXPECT_EQ(keys, "zam");
  EXPECT_EQ(j->dump(), R"({"z":1,"a":{"y":2,"b":3},"m":[1]})");
  // The old function keeps the depth limit and its code.
  EXPECT_CODE(ParseJsonObject(Nested(kMaxJsonDepth + 1), 1000), ErrorCode::kMalformed);
  EXPECT_OK(ParseOrderedJsonObject(Nested(kMaxJsonDepth + 1), 1000, 40));
  EXPECT_OK(ParseOrderedJsonObject(Nested(40), 1000, 40));
  EXPECT_CODE(ParseOrderedJsonObject(Nested(41), 1000, 40), ErrorCode::kTooDeep);
  EXPECT_CODE(ParseOrderedJsonObject(std::string(101, ' '), 100, 16), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseOrderedJsonObject(R"({"a":1,"a":2})", 100, 16), ErrorCode::kMalformed);
  EXPECT_CODE(ParseOrderedJsonObject("\xEF\xBB\xBF{}", 100, 16), ErrorCode::kMalformed);
  EXPECT_CODE(ParseOrderedJsonObject(std::string("{\"a\":\"\0\"}", 9), 100, 16),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseOrderedJsonObject("{\"a\":\"\xff\"}", 100, 16), ErrorCode::kMalformed);
  EXPECT_CODE(ParseOrderedJsonObject("[1]", 100, 16), ErrorCode::kMalformed);
  EXPECT_CODE(ParseOrderedJsonObject("{} x", 100, 16), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal
