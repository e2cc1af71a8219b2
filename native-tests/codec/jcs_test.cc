// SPDX-License-Identifier: Apache-2.0
// core/codec/jcs.h: RFC 8785 canonical JSON. The RFC's own test data
// (native-tests/vectors/external/rfc8785-jcs/: every input/output/outhex
// triple), the number samples of RFC 8785 Appendix B, the first 100 000
// lines of the ES6 number test file whose SHA-256 the test data's README
// publishes (generated here by its algorithm), a cross-check of the
// shortest digits against std::to_chars where the library has it, and the
// input rules with their codes.
#include "core/codec/jcs.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#if __has_include(<charconv>)
#include <charconv>
#endif

#include "core/codec/hex.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using testing::ReadVectorFile;

constexpr size_t kBig = 1 << 20;

// Every file of the RFC's test data; ReadVectorFile aborts the binary when
// one is missing, so a missing or incomplete folder fails.
constexpr std::array<const char*, 6> kRfcCases = {"arrays",  "french", "structures",
                                                  "unicode", "values", "weird"};

std::string Canon(std::string_view text) {
  auto r = CanonicalizeJsonText(text, kBig);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " for " << text;
  return r.ok() ? *r : std::string("<error>");
}

double FromBits(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

std::string CanonDouble(double d) {
  auto r = CanonicalizeJson(Json(d));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string("<error>");
}

TEST(Jcs, PassesEveryRfcTestDataPair) {
  for (const char* name : kRfcCases) {
    SCOPED_TRACE(name);
    const std::string input =
        ReadVectorFile(std::string("external/rfc8785-jcs/input/") + name + ".json");
    const std::string output =
        ReadVectorFile(std::string("external/rfc8785-jcs/output/") + name + ".json");
    const std::string outhex =
        ReadVectorFile(std::string("external/rfc8785-jcs/outhex/") + name + ".txt");
    // outhex: the same bytes as hex pairs separated by spaces and newlines.
    std::string hex;
    for (char c : outhex) {
      if (c != ' ' && c != '\n' && c != '\r') hex += c;
    }
    const Bytes expected_bytes = testing::HexOrDie(hex);
    ASSERT_FALSE(expected_bytes.empty());
    EXPECT_EQ(output, std::string(expected_bytes.begin(), expected_bytes.end()));
    EXPECT_EQ(Canon(input), output);
    // The canonical form is a fixed point.
    EXPECT_EQ(Canon(output), output);
  }
}

// RFC 8785 Appendix B: IEEE 754 values and the strings JCS writes for them
// (NaN and Infinity, the table's two errors, cannot be parsed from JSON and
// are refused by CanonicalizeJson).
TEST(Jcs, NumberSamplesOfAppendixB) {
  const std::pair<uint64_t, const char*> samples[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, expected] : samples) {
    EXPECT_EQ(CanonDouble(FromBits(bits)), expected) << std::hex << bits;
  }
  EXPECT_CODE(CanonicalizeJson(Json(FromBits(0x7fffffffffffffff))), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json(FromBits(0x7ff0000000000000))), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json(-std::numeric_limits<double>::infinity())),
              ErrorCode::kInvalidArgument);
}

// The test data's README defines a sequence of doubles (its static list, the
// 2000 doubles after 2^-1022, then doubles read from a SHA-256 chain) and
// publishes the SHA-256 of "hex,expected\n" lines for its first N values.
// The static list and the hashes are read from the README itself.
struct Es6File {
  std::vector<uint64_t> statics;
  std::vector<std::pair<std::string, size_t>> hashes;  // sha256 hex, lines
};

Es6File ReadEs6Description() {
  const std::string readme = ReadVectorFile("external/rfc8785-jcs/README.md");
  Es6File f;
  const size_t begin = readme.find("staticU64s = new BigUint64Array([");
  const size_t end = readme.find("])", begin);
  EXPECT_NE(begin, std::string::npos);
  EXPECT_NE(end, std::string::npos);
  if (begin == std::string::npos || end == std::string::npos) return f;
  for (size_t i = readme.find("0x", begin); i < end; i = readme.find("0x", i)) {
    size_t j = i + 2;
    uint64_t v = 0;
    while (std::isxdigit(static_cast<unsigned char>(readme[j]))) {
      v = v * 16 + static_cast<uint64_t>(std::stoi(std::string(1, readme[j]), nullptr, 16));
      ++j;
    }
    f.statics.push_back(v);
    i = j;
  }
  // Table rows: | <64 hex> | <lines> | <bytes> |
  for (size_t i = readme.find("\n| "); i != std::string::npos; i = readme.find("\n| ", i + 1)) {
    const std::string row = readme.substr(i + 3, 64);
    if (row.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    const size_t bar = readme.find('|', i + 3 + 64);
    f.hashes.emplace_back(row, std::stoull(readme.substr(bar + 1)));
  }
  return f;
}

TEST(Jcs, Es6NumberTestFileHashes) {
  const Es6File f = ReadEs6Description();
  ASSERT_EQ(f.statics.size(), 168u);  // the README's list, 0x0 .. 0x43143ff3c1cb0959
  ASSERT_GE(f.hashes.size(), 3u);
  ASSERT_EQ(f.hashes[0].second, 1000u);
  ASSERT_EQ(f.hashes[2].second, 100000u);
  std::array<uint8_t, 32> block{};
  std::vector<double> pool;  // the unread doubles of the current block
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  size_t next_hash = 0;
  for (size_t idx = 0; idx < 100000; ++idx) {
    double v = 0;
    if (idx < f.statics.size()) {
      v = FromBits(f.statics[idx]);
    } else if (idx < f.statics.size() + 2000) {
      v = FromBits(0x0010000000000000ull + (idx - f.statics.size()));
    } else {
      while (v == 0 || !std::isfinite(v)) {
        if (pool.empty()) {
          crypto_hash_sha256(block.data(), block.data(), block.size());
          for (size_t k = 4; k-- > 0;) {
            double d = 0;
            std::memcpy(&d, block.data() + 8 * k, 8);  // little-endian, as Float64Array
            pool.push_back(d);
          }
        }
        v = pool.back();
        pool.pop_back();
      }
    }
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    char hex[20];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(bits));
    const std::string line = std::string(hex) + "," + CanonDouble(v) + "\n";
    crypto_hash_sha256_update(&sha, reinterpret_cast<const uint8_t*>(line.data()), line.size());
    if (idx + 1 == f.hashes[next_hash].second) {
      crypto_hash_sha256_state copy = sha;
      std::array<uint8_t, 32> digest{};
      crypto_hash_sha256_final(&copy, digest.data());
      EXPECT_EQ(HexEncode(digest), f.hashes[next_hash].first) << "first " << idx + 1 << " lines";
      ++next_hash;
    }
  }
  EXPECT_EQ(next_hash, 3u);
}

// The digits and decimal exponent of a number as JCS or to_chars writes it:
// value = 0.digits × 10^n.
std::pair<std::string, int> DigitsOf(std::string s) {
  if (!s.empty() && s[0] == '-') s.erase(0, 1);
  int exp = 0;
  if (size_t e = s.find_first_of("eE"); e != std::string::npos) {
    exp = std::stoi(s.substr(e + 1));
    s.resize(e);
  }
  size_t point = s.find('.');
  if (point == std::string::npos) point = s.size();
  std::string digits = s.substr(0, point) + (point < s.size() ? s.substr(point + 1) : "");
  int n = static_cast<int>(point) + exp;
  while (!digits.empty() && digits[0] == '0') {
    digits.erase(0, 1);
    --n;
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return {digits, n};
}

#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
// libstdc++'s shortest to_chars (Ryu) as an independent oracle for the
// digits: random bit patterns, every power of two (where the interval of
// decimals that read back is lopsided) and its neighbours.
TEST(Jcs, ShortestDigitsAgreeWithToChars) {
  std::mt19937_64 rng(20261201);
  std::vector<double> values;
  for (int i = 0; i < 200000; ++i) {
    const double d = FromBits(rng());
    if (std::isfinite(d) && d != 0) values.push_back(d);
  }
  for (int e = -1074; e <= 1023; ++e) {
    const double p = std::ldexp(1.0, e);
    values.push_back(p);
    values.push_back(std::nextafter(p, 0.0));
    values.push_back(std::nextafter(p, HUGE_VAL));
  }
  for (uint64_t i = 1; i < 5000; ++i) values.push_back(static_cast<double>(i * 1000003));
  size_t mismatches = 0;
  for (double d : values) {
    if (!std::isfinite(d) || d == 0) continue;
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    ASSERT_EQ(r.ec, std::errc());
    const auto want = DigitsOf(std::string(buf, r.ptr));
    const auto got = DigitsOf(CanonDouble(d));
    if (want != got && ++mismatches < 10) {
      ADD_FAILURE() << std::string(buf, r.ptr) << " vs " << CanonDouble(d);
    }
  }
  EXPECT_EQ(mismatches, 0u);
}
#endif

TEST(Jcs, NumberFormsFollowEcmaScript) {
  EXPECT_EQ(Canon("[0,-0,0.0,-0.0,0e5]"), "[0,0,0,0,0]");
  EXPECT_EQ(Canon("[1e21,1e20,123e18,1.5e300]"),
            "[1e+21,100000000000000000000,123000000000000000000,1.5e+300]");
  EXPECT_EQ(Canon("[1e-6,1e-7,1.5e-7,0.00001234,123e-20]"),
            "[0.000001,1e-7,1.5e-7,0.00001234,1.23e-18]");
  EXPECT_EQ(Canon("[4.50,2e-3,-1.25,100,1E2,10.0]"), "[4.5,0.002,-1.25,100,100,10]");
  // Integers are doubles: beyond 2^53 the nearest double is written.
  EXPECT_EQ(Canon("[9007199254740991,9007199254740992,9007199254740993]"),
            "[9007199254740991,9007199254740992,9007199254740992]");
  EXPECT_EQ(Canon("[18446744073709551615,-9223372036854775808,123456789012345678901234567890]"),
            "[18446744073709552000,-9223372036854776000,1.2345678901234568e+29]");
  // Underflow reads as zero, the closest double (as JSON.parse does).
  EXPECT_EQ(Canon("[1e-400,-1e-400,4.9e-324,2.4e-324]"), "[0,0,5e-324,0]");
  EXPECT_EQ(CanonDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(CanonDouble(-0.0), "0");
  EXPECT_EQ(CanonDouble(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(CanonDouble(std::numeric_limits<double>::min()), "2.2250738585072014e-308");
  EXPECT_EQ(CanonDouble(std::ldexp(1.0, -1074 + 52)), "2.2250738585072014e-308");
  EXPECT_EQ(CanonDouble(5e-324 * 3), "1.5e-323");
}

TEST(Jcs, StringsAreEscapedMinimally) {
  EXPECT_EQ(Canon(R"(["\u0000\u0001\u001f\u0020\u007f\u0080"])"),
            "[\"\\u0000\\u0001\\u001f \x7f\xc2\x80\"]");
  EXPECT_EQ(Canon(R"(["\b\t\n\f\r\"\\\/"])"), R"(["\b\t\n\f\r\"\\/"])");
  EXPECT_EQ(Canon(R"(["\u000B\u000b\u00e9\u2028\u2029\uD83D\uDE00"])"),
            "[\"\\u000b\\u000b\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9\xf0\x9f\x98\x80\"]");
  EXPECT_EQ(Canon(R"("plain")"), R"("plain")");
}

// Members sort by UTF-16 code units, which is not UTF-8 byte order: U+1F600
// (UTF-16 D83D DE00) sorts before U+E000 and U+FFFD, although its UTF-8
// bytes (F0 ...) are larger than theirs (EE ..., EF ...).
TEST(Jcs, MembersSortByUtf16CodeUnits) {
  EXPECT_EQ(
      Canon("{\"\\ue000\":1,\"\\ud83d\\ude00\":2,\"\\ufffd\":3,\"\\u00ff\":4,\"z\":5}"),
      "{\"z\":5,\"\xc3\xbf\":4,\"\xf0\x9f\x98\x80\":2,\"\xee\x80\x80\":1,\"\xef\xbf\xbd\":3}");
  EXPECT_EQ(Canon(R"({"b":1,"a":2,"aa":3,"":4,"A":5})"), R"({"":4,"A":5,"a":2,"aa":3,"b":1})");
  // Nested objects are sorted too; array order is kept.
  EXPECT_EQ(Canon(R"({"x":[{"b":1,"a":2},3,"c"],"a":{"d":null,"c":true}})"),
            R"({"a":{"c":true,"d":null},"x":[{"a":2,"b":1},3,"c"]})");
}

TEST(Jcs, AnyTopLevelValue) {
  EXPECT_EQ(Canon(" null "), "null");
  EXPECT_EQ(Canon("true"), "true");
  EXPECT_EQ(Canon("false"), "false");
  EXPECT_EQ(Canon("-12.50"), "-12.5");
  EXPECT_EQ(Canon("[ ]"), "[]");
  EXPECT_EQ(Canon("{ }"), "{}");
}

std::string Nested(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "[";
  for (int i = 0; i < depth; ++i) s += "]";
  return s;
}

// The input rules of CanonicalizeJsonText (ParseJsonValue: G1-G7 and
// finiteness), each with its code.
TEST(Jcs, RejectsBadInputWithItsCode) {
  using namespace std::string_literals;
  EXPECT_CODE(CanonicalizeJsonText(std::string(101, ' '), 100), ErrorCode::kTooLarge);
  EXPECT_OK(CanonicalizeJsonText("[" + std::string(98, ' ') + "]", 100));
  EXPECT_CODE(CanonicalizeJsonText("\xEF\xBB\xBF{}", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[\"a\"]\0"s, 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[\"\xff\"]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[\"\xc0\xaf\"]", 100), ErrorCode::kMalformed);      // overlong
  EXPECT_CODE(CanonicalizeJsonText("[\"\xed\xa0\x80\"]", 100), ErrorCode::kMalformed);  // surrogate
  EXPECT_CODE(CanonicalizeJsonText(R"(["\ud800"])", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText(R"(["\udc00\ud800"])", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText(R"({"\ud83d":1})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText(R"({"a":1,"a":1})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText(R"({"a":1,"\u0061":2})", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[1,]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[1] [2]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[NaN]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[01]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[1e400]", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("-1e400", 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText("[1.8e308]", 100), ErrorCode::kMalformed);
  EXPECT_OK(CanonicalizeJsonText("[1.7976931348623157e308]", 100));
  EXPECT_OK(CanonicalizeJsonText(Nested(kMaxJsonDepth), 100));
  EXPECT_CODE(CanonicalizeJsonText(Nested(kMaxJsonDepth + 1), 100), ErrorCode::kMalformed);
  EXPECT_CODE(CanonicalizeJsonText(Nested(100000), 1 << 20), ErrorCode::kMalformed);
}

// CanonicalizeJson over values built in code: what a parser would have
// refused is kInvalidArgument, runaway nesting kTooDeep.
TEST(Jcs, RejectsValuesThatAreNotJson) {
  EXPECT_CODE(CanonicalizeJson(Json(std::nan(""))), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json::array({1, HUGE_VAL})), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json("\xff")), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json("\xed\xa0\x80")), ErrorCode::kInvalidArgument);
  Json bad_key = Json::object();
  bad_key["\xc3"] = 1;
  EXPECT_CODE(CanonicalizeJson(bad_key), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CanonicalizeJson(Json::binary({1, 2})), ErrorCode::kInvalidArgument);
  Json deep = Json::array();
  for (int i = 0; i < 300; ++i) deep = Json::array({std::move(deep)});
  EXPECT_CODE(CanonicalizeJson(deep), ErrorCode::kTooDeep);
  Json ok = Json::array();
  for (int i = 0; i < 200; ++i) ok = Json::array({std::move(ok)});
  EXPECT_OK(CanonicalizeJson(ok));
  // A NUL inside a string is a character like any other control character.
  EXPECT_EQ(*CanonicalizeJson(Json(std::string("a\0b", 3))), "\"a\\u0000b\"");
}

}  // namespace
}  // namespace medseal
