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

TEST(StrictJson, DepthLimit) {
  EXPECT_OK(ParseJsonObject(Nested(kMaxJsonDepth), 1000));
  EXPECT_CODE(ParseJsonObject(Nested(kMaxJsonDepth + 1), 1000), ErrorCode::kMalformed);
  EXPECT_CODE(ParseJsonObject(Nested(10000), 100000), ErrorCode::kMalformed);
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

}  // namespace
}  // namespace medseal
