// SPDX-License-Identifier: Apache-2.0
// core/fhir/model.h: FHIR date/dateTime parsing (docs/spec/fhir-consent.md
// §2) and Period::Contains.
#include "core/fhir/model.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"

namespace medseal::fhir {
namespace {

constexpr UnixMillis kDay = 86400000;

TEST(FhirDateTime, PartialDatesSpanTheirWholeRangeInUtc) {
  auto y = ParseFhirDateTime("2016");
  ASSERT_OK(y);
  EXPECT_EQ(y->text, "2016");
  EXPECT_EQ(y->lo, 1451606400000);      // 2016-01-01T00:00:00Z
  EXPECT_EQ(y->hi, 1483228800000 - 1);  // 2016 is a leap year: 366 days
  EXPECT_EQ(y->hi - y->lo + 1, 366 * kDay);
  auto m = ParseFhirDateTime("2016-02");
  ASSERT_OK(m);
  EXPECT_EQ(m->lo, 1454284800000);  // 2016-02-01
  EXPECT_EQ(m->hi - m->lo + 1, 29 * kDay);
  auto m2 = ParseFhirDateTime("2015-02");
  ASSERT_OK(m2);
  EXPECT_EQ(m2->hi - m2->lo + 1, 28 * kDay);
  auto d = ParseFhirDateTime("2015-11-18");
  ASSERT_OK(d);
  EXPECT_EQ(d->lo, 1447804800000);
  EXPECT_EQ(d->hi, 1447804800000 + kDay - 1);
  auto epoch = ParseFhirDateTime("1970");
  ASSERT_OK(epoch);
  EXPECT_EQ(epoch->lo, 0);
  auto before = ParseFhirDateTime("1964-01-01");  // HL7's basic example
  ASSERT_OK(before);
  EXPECT_EQ(before->lo, -189388800000);
  auto first = ParseFhirDateTime("0001");
  ASSERT_OK(first);
  EXPECT_EQ(first->lo, -62135596800000);
  auto last = ParseFhirDateTime("9999-12-31");
  ASSERT_OK(last);
  EXPECT_EQ(last->hi, 253402300800000 - 1);
}

TEST(FhirDateTime, TimesWithZones) {
  auto z = ParseFhirDateTime("2016-06-23T17:02:33Z");
  ASSERT_OK(z);
  EXPECT_EQ(z->lo, 1466701353000);
  EXPECT_EQ(z->hi, 1466701353999);  // the whole second
  auto plus = ParseFhirDateTime("2016-06-23T17:02:33+10:00");
  ASSERT_OK(plus);
  EXPECT_EQ(plus->lo, 1466701353000 - 10 * 3600000);
  auto minus = ParseFhirDateTime("2016-06-23T17:02:33-05:30");
  ASSERT_OK(minus);
  EXPECT_EQ(minus->lo, 1466701353000 + 5 * 3600000 + 30 * 60000);
  auto f1 = ParseFhirDateTime("2016-06-23T17:02:33.5Z");
  ASSERT_OK(f1);
  EXPECT_EQ(f1->lo, 1466701353500);
  EXPECT_EQ(f1->hi, 1466701353599);
  auto f2 = ParseFhirDateTime("2016-06-23T17:02:33.25Z");
  ASSERT_OK(f2);
  EXPECT_EQ(f2->lo, 1466701353250);
  EXPECT_EQ(f2->hi, 1466701353259);
  auto f9 = ParseFhirDateTime("2016-06-23T17:02:33.123456789Z");
  ASSERT_OK(f9);
  EXPECT_EQ(f9->lo, 1466701353123);
  EXPECT_EQ(f9->hi, 1466701353123);
  EXPECT_OK(ParseFhirDateTime("2016-06-23T17:02:33+14:00"));
  EXPECT_OK(ParseFhirDateTime("2016-06-23T17:02:33-14:00"));
  EXPECT_OK(ParseFhirDateTime("2016-02-29"));
  EXPECT_OK(ParseFhirDateTime("2000-02-29"));
}

TEST(FhirDateTime, RejectsWhatTheGrammarDoesNot) {
  for (const char* bad : {"",
                          "1",
                          "201",
                          "20160",
                          "2016-",
                          "2016-1",
                          "2016-13",
                          "2016-00",
                          "2016-01-00",
                          "2016-01-32",
                          "2015-02-29",
                          "1900-02-29",
                          "2016-04-31",
                          "2016-01-01T",
                          "2016-01-01T10:00",
                          "2016-01-01T10:00:00",   // a time needs a zone
                          "2016-01-01T24:00:00Z",  // no 24:00
                          "2016-01-01T23:60:00Z",
                          "2016-01-01T23:59:60Z",  // no leap second
                          "2016-01-01T10:00:00.Z",
                          "2016-01-01T10:00:00.1234567890Z",
                          "2016-01-01T10:00:00+15:00",
                          "2016-01-01T10:00:00+14:30",
                          "2016-01-01T10:00:00+05:60",
                          "2016-01-01T10:00:00+0500",
                          "2016-01-01T10:00:00ZZ",
                          "2016-01-01t10:00:00Z",
                          "2016-01-01 10:00:00Z",
                          "0001-01-01T00:00:00+01:00",  // before year 1 in UTC
                          "9999-12-31T23:59:59-01:00",  // after 9999 in UTC
                          "+2016",
                          "-2016",
                          "2016/01/01",
                          "2016-01-01T10:00:00z",
                          "10000",
                          "2016-01-01T1a:00:00Z",
                          "0000"}) {
    EXPECT_CODE(ParseFhirDateTime(bad), ErrorCode::kMalformed) << bad;
  }
}

TEST(FhirPeriod, ContainsUsesBothEndsInclusively) {
  Period p;
  p.start = *ParseFhirDateTime("2016-01-01");
  p.end = *ParseFhirDateTime("2016-12");  // through the end of December
  EXPECT_FALSE(p.Contains(p.start->lo - 1));
  EXPECT_TRUE(p.Contains(p.start->lo));
  EXPECT_TRUE(p.Contains(ParseFhirDateTime("2016-12-31T23:59:59Z")->hi));
  EXPECT_TRUE(p.Contains(p.end->hi));
  EXPECT_FALSE(p.Contains(p.end->hi + 1));
  Period open_start;
  open_start.end = p.end;
  EXPECT_TRUE(open_start.Contains(0));
  EXPECT_FALSE(open_start.Contains(p.end->hi + 1));
  Period open_end;
  open_end.start = p.start;
  EXPECT_TRUE(open_end.Contains(kMaxUnixMillis));
  EXPECT_FALSE(open_end.Contains(p.start->lo - 1));
  EXPECT_TRUE(Period{}.Contains(0));
}

}  // namespace
}  // namespace medseal::fhir
