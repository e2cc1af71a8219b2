// SPDX-License-Identifier: Apache-2.0
#include "core/codec/jcs.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>
#include <vector>

#include "core/base/utf8.h"

namespace medseal {
namespace {

// Nesting CanonicalizeJson follows before it gives up (kTooDeep): far above
// what any parser in core builds (kMaxJsonDepth), so that only a value built
// in code can reach it, and bounded so that the recursion is.
constexpr int kMaxCanonicalDepth = 256;

// The digits of a finite, nonzero, positive double as ECMAScript's
// Number::toString chooses them (ECMA-262 §6.1.6.1.20, step 5): the fewest
// decimal digits s (k of them) such that s × 10^(n−k) reads back as the same
// double, and of those the one closest to the value.
struct Digits {
  uint64_t s = 0;  // k digits, no trailing zeros
  int k = 0;
  int n = 0;  // position of the decimal point: value = 0.s × 10^n
};

// The double nearest to the decimal s × 10^e (strtod rounds exactly;
// written without a decimal point, so no locale can change its reading).
double ReadDecimal(uint64_t s, int e) {
  char buf[48];
  const int len = std::snprintf(buf, sizeof buf, "%llue%d", static_cast<unsigned long long>(s), e);
  MEDSEAL_CHECK(len > 0 && static_cast<size_t>(len) < sizeof buf);
  return std::strtod(buf, nullptr);
}

int DecimalLength(uint64_t s) {
  int k = 0;
  do {
    ++k;
    s /= 10;
  } while (s != 0);
  return k;
}

// The nearest p-digit decimal to `v` that reads back as `v`, if any p-digit
// decimal does: printf's %.*e gives the p-digit decimal nearest to `v` (C's
// printf rounds exactly; glibc and musl do). If that one does not read
// back but its neighbour on the other side of `v` does (next to a power of
// two the interval of decimals that read back as `v` is lopsided), the
// neighbour is the answer: every other p-digit decimal is farther out.
std::optional<Digits> DigitsAt(double v, int p) {
  char buf[40];
  // d.ddd…e±x: at most 1 + 1 + 16 + 2 + 3 digits of exponent.
  const int len = std::snprintf(buf, sizeof buf, "%.*e", p - 1, v);
  MEDSEAL_CHECK(len > 0 && static_cast<size_t>(len) < sizeof buf);
  uint64_t m = 0;
  const char* c = buf;
  for (; *c != 'e'; ++c) {  // skips the decimal point, whatever the locale's
    if (*c >= '0' && *c <= '9') m = m * 10 + static_cast<uint64_t>(*c - '0');
  }
  ++c;
  const bool negative = *c == '-';
  int x = 0;  // v ≈ m × 10^(x − p + 1)
  for (++c; *c != '\0'; ++c) x = x * 10 + (*c - '0');
  if (negative) x = -x;
  const int e = x - p + 1;
  uint64_t chosen = m;
  const double nearest = ReadDecimal(m, e);
  if (nearest != v) {
    const uint64_t other = nearest < v ? m + 1 : m - 1;
    if (other == 0 || ReadDecimal(other, e) != v) return std::nullopt;
    chosen = other;
  }
  int exp10 = e;
  while (chosen % 10 == 0) {
    chosen /= 10;
    ++exp10;
  }
  Digits d;
  d.s = chosen;
  d.k = DecimalLength(chosen);
  d.n = exp10 + d.k;
  return d;
}

// Shortest round-trip digits without std::to_chars (the libc++ of
// Emscripten 3.1.6 declares no floating-point to_chars): the least p in
// 1..17 at which DigitsAt finds a decimal. Whether one exists is monotone
// in p (the p-digit decimal found is also a (p+1)-digit one, and the
// nearest (p+1)-digit decimal on its side of `v` is at least as close), so
// a binary search finds the least p; 17 digits always read back (IEEE 754
// §5.12.2). Cross-checked against libstdc++'s std::to_chars, V8 and the
// ES6 number test file in the tests.
Digits ShortestDigits(double v) {
  int lo = 1;
  int hi = 17;
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    if (DigitsAt(v, mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  const std::optional<Digits> d = DigitsAt(v, lo);
  MEDSEAL_CHECK(d.has_value());  // 17 significant digits always read back
  return *d;
}

// ECMA-262 Number::toString(x) for a finite double (radix 10), step 6-12.
void AppendNumber(double v, std::string& out) {
  if (v == 0) {  // +0 and -0
    out += '0';
    return;
  }
  if (v < 0) {
    out += '-';
    v = -v;
  }
  const Digits d = ShortestDigits(v);
  const std::string digits = std::to_string(d.s);
  const int k = d.k;
  const int n = d.n;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out += '.';
    out.append(digits, static_cast<size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}

// RFC 8785 §3.2.2.2: JSON.stringify's escaping of a (valid UTF-8) string.
void AppendString(const std::string& s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// The UTF-16 code units of valid UTF-8 `s` (member names sort by them,
// RFC 8785 §3.2.3).
std::u16string Utf16(const std::string& s) {
  std::u16string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0;
    size_t len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b < 0xE0) {
      cp = b & 0x1Fu;
      len = 2;
    } else if (b < 0xF0) {
      cp = b & 0x0Fu;
      len = 3;
    } else {
      cp = b & 0x07u;
      len = 4;
    }
    for (size_t j = 1; j < len; ++j)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3Fu);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

// Recursive over the value's nesting, which kMaxCanonicalDepth bounds.
Status Append(const Json& v, int depth, std::string& out) {  // NOLINT(misc-no-recursion)
  if (depth > kMaxCanonicalDepth) return Error(ErrorCode::kTooDeep, "jcs: nesting too deep");
  switch (v.type()) {
    case Json::value_t::null: out += "null"; return Status::Ok();
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return Status::Ok();
    // Integers are IEEE 754 doubles in JCS (RFC 8785 §3.2.2.3): 2^53 + 1
    // is written as the double nearest to it, 9007199254740992.
    case Json::value_t::number_integer:
      AppendNumber(static_cast<double>(v.get<int64_t>()), out);
      return Status::Ok();
    case Json::value_t::number_unsigned:
      AppendNumber(static_cast<double>(v.get<uint64_t>()), out);
      return Status::Ok();
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d)) return Error(ErrorCode::kInvalidArgument, "jcs: number not finite");
      AppendNumber(d, out);
      return Status::Ok();
    }
    case Json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (!IsValidUtf8(s)) return Error(ErrorCode::kInvalidArgument, "jcs: invalid UTF-8");
      AppendString(s, out);
      return Status::Ok();
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& e : v) {
        if (!first) out += ',';
        first = false;
        MEDSEAL_RETURN_IF_ERROR(Append(e, depth + 1, out));
      }
      out += ']';
      return Status::Ok();
    }
    case Json::value_t::object: {
      std::vector<std::pair<std::u16string, Json::const_iterator>> members;
      members.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!IsValidUtf8(it.key())) return Error(ErrorCode::kInvalidArgument, "jcs: invalid UTF-8");
        members.emplace_back(Utf16(it.key()), it);
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [unused, it] : members) {
        if (!first) out += ',';
        first = false;
        AppendString(it.key(), out);
        out += ':';
        MEDSEAL_RETURN_IF_ERROR(Append(*it, depth + 1, out));
      }
      out += '}';
      return Status::Ok();
    }
    case Json::value_t::binary:
    case Json::value_t::discarded:
    default: return Error(ErrorCode::kInvalidArgument, "jcs: not a JSON value");
  }
}

}  // namespace

Result<std::string> CanonicalizeJson(const Json& value) {
  std::string out;
  MEDSEAL_RETURN_IF_ERROR(Append(value, 1, out));
  return out;
}

Result<std::string> CanonicalizeJsonText(std::string_view text, size_t max_bytes) {
  MEDSEAL_ASSIGN_OR_RETURN(Json value, ParseJsonValue(text, max_bytes));
  return CanonicalizeJson(value);
}

}  // namespace medseal
