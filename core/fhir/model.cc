// SPDX-License-Identifier: Apache-2.0
#include "core/fhir/model.h"

#include <cstdint>

namespace medseal::fhir {
namespace {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kMillisPerMinute = int64_t{60} * kMillisPerSecond;
constexpr int64_t kMillisPerDay = int64_t{24} * 60 * kMillisPerMinute;

Status Bad() { return Error(ErrorCode::kMalformed, "fhir: not a FHIR date or dateTime"); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; false if they are not all digits.
bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(s[pos + i])) return false;
    v = v * 10 + (s[pos + i] - '0');
  }
  *out = v;
  return true;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int64_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

bool Period::Contains(UnixMillis t) const {
  if (start && t < start->lo) return false;
  if (end && t > end->hi) return false;
  return true;
}

// Grammar (FHIR R4/R5 dateTime, docs/spec/fhir-consent.md §2):
//   YYYY | YYYY-MM | YYYY-MM-DD | YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|(+|-)hh:mm)
// Year 0001-9999; a time needs a zone (FHIR:
// "If hours and minutes are specified, a timezone SHALL be populated");
// hh 00-23, mm 00-59, ss 00-59 (no leap second, no 24:00); zone offsets
// -14:00..+14:00 with minutes 00-59.
Result<DateTime> ParseFhirDateTime(std::string_view text) {
  int64_t year = 0;
  int64_t month = 1;
  int64_t day = 1;
  if (text.size() != 4 && text.size() != 7 && text.size() < 10) return Bad();
  if (!Digits(text, 0, 4, &year) || year < 1) return Bad();
  if (text.size() >= 7) {
    if (text[4] != '-' || !Digits(text, 5, 2, &month) || month < 1 || month > 12) return Bad();
  }
  if (text.size() >= 10) {
    if (text[7] != '-' || !Digits(text, 8, 2, &day) || day < 1 || day > DaysInMonth(year, month))
      return Bad();
  }
  int64_t lo = 0;
  int64_t hi = 0;
  const int64_t first_day = DaysFromCivil(year, month, day);
  if (text.size() == 4) {
    lo = first_day * kMillisPerDay;
    hi = DaysFromCivil(year + 1, 1, 1) * kMillisPerDay - 1;
  } else if (text.size() == 7) {
    lo = first_day * kMillisPerDay;
    hi = (first_day + DaysInMonth(year, month)) * kMillisPerDay - 1;
  } else if (text.size() == 10) {
    lo = first_day * kMillisPerDay;
    hi = lo + kMillisPerDay - 1;
  } else {
    // "T" hh ":" mm ":" ss at 10..18
    int64_t hh = 0;
    int64_t mi = 0;
    int64_t ss = 0;
    if (text.size() < 20 || text[10] != 'T' || !Digits(text, 11, 2, &hh) || text[13] != ':' ||
        !Digits(text, 14, 2, &mi) || text[16] != ':' || !Digits(text, 17, 2, &ss))
      return Bad();
    if (hh > 23 || mi > 59 || ss > 59) return Bad();
    size_t pos = 19;
    int64_t frac_ms = 0;
    int64_t span = kMillisPerSecond - 1;  // what the written precision leaves open
    if (text[pos] == '.') {
      ++pos;
      size_t n = 0;
      while (pos + n < text.size() && IsDigit(text[pos + n])) ++n;
      if (n < 1 || n > 9) return Bad();
      int64_t scale = 100;
      for (size_t i = 0; i < n && i < 3; ++i) {
        frac_ms += (text[pos + i] - '0') * scale;
        scale /= 10;
      }
      span = n >= 3 ? 0 : (n == 1 ? 99 : 9);
      pos += n;
    }
    int64_t offset_min = 0;
    if (pos < text.size() && text[pos] == 'Z') {
      ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      int64_t oh = 0;
      int64_t om = 0;
      if (!Digits(text, pos + 1, 2, &oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
          !Digits(text, pos + 4, 2, &om))
        return Bad();
      if (om > 59 || oh > 14 || (oh == 14 && om != 0)) return Bad();
      offset_min = (oh * 60 + om) * (text[pos] == '-' ? -1 : 1);
      pos += 6;
    } else {
      return Bad();  // a time without a zone
    }
    if (pos != text.size()) return Bad();
    lo = first_day * kMillisPerDay + hh * 60 * kMillisPerMinute + mi * kMillisPerMinute +
         ss * kMillisPerSecond + frac_ms - offset_min * kMillisPerMinute;
    hi = lo + span;
  }
  // 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z
  constexpr int64_t kEarliest = -62135596800000;
  constexpr int64_t kLatest = 253402300800000 - 1;
  if (lo < kEarliest || hi > kLatest) return Bad();
  return DateTime{std::string(text), lo, hi};
}

}  // namespace medseal::fhir
