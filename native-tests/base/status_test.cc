// SPDX-License-Identifier: Apache-2.0
// core/base/status.h: the stable error-code table, Status, Result<T> and the
// precondition check.
#include "core/base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include "core/base/secret.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

// The full table. Values and names are a public contract (docs/errors.md,
// the JS error codes): a change here is a breaking change, never an edit to
// make this test pass. New codes get new values and a new row.
struct CodeRow {
  ErrorCode code;
  uint16_t value;
  const char* name;
};
constexpr CodeRow kCodeTable[] = {
    {ErrorCode::kOk, 0, "OK"},
    {ErrorCode::kInvalidArgument, 1, "INVALID_ARGUMENT"},
    {ErrorCode::kMalformed, 2, "MALFORMED"},
    {ErrorCode::kUnsupportedVersion, 3, "UNSUPPORTED_VERSION"},
    {ErrorCode::kTrailingData, 4, "TRAILING_DATA"},
    {ErrorCode::kDuplicateRecipient, 5, "DUPLICATE_RECIPIENT"},
    {ErrorCode::kNonCanonical, 6, "NON_CANONICAL"},
    {ErrorCode::kTooLarge, 7, "TOO_LARGE"},
    {ErrorCode::kTruncated, 8, "TRUNCATED"},
    {ErrorCode::kNoMatchingRecipient, 9, "NO_MATCHING_RECIPIENT"},
    {ErrorCode::kDecryptFailed, 10, "DECRYPT_FAILED"},
    {ErrorCode::kSignatureInvalid, 11, "SIGNATURE_INVALID"},
    {ErrorCode::kSenderMismatch, 12, "SENDER_MISMATCH"},
    {ErrorCode::kKeyIdMismatch, 13, "KEY_ID_MISMATCH"},
    {ErrorCode::kWeakKey, 14, "WEAK_KEY"},
    {ErrorCode::kDisposed, 15, "DISPOSED"},
    {ErrorCode::kDetachedBuffer, 16, "DETACHED_BUFFER"},
    {ErrorCode::kInternal, 17, "INTERNAL"},
    {ErrorCode::kPurposeMismatch, 18, "PURPOSE_MISMATCH"},
    {ErrorCode::kUnknownCode, 19, "UNKNOWN_CODE"},
    {ErrorCode::kTooDeep, 20, "TOO_DEEP"},
    {ErrorCode::kKeyErased, 21, "KEY_ERASED"},
    {ErrorCode::kNotPermitted, 22, "NOT_PERMITTED"},
    {ErrorCode::kConsentInactive, 23, "CONSENT_INACTIVE"},
    {ErrorCode::kHeaderMacMismatch, 24, "HEADER_MAC_MISMATCH"},
    {ErrorCode::kArmorMalformed, 25, "ARMOR_MALFORMED"},
    {ErrorCode::kUnsupportedRecipient, 26, "UNSUPPORTED_RECIPIENT"},
    {ErrorCode::kInvalidKey, 27, "INVALID_KEY"},
    {ErrorCode::kProofInvalid, 28, "PROOF_INVALID"},
    {ErrorCode::kLogFork, 29, "LOG_FORK"},
    {ErrorCode::kLogTruncated, 30, "LOG_TRUNCATED"},
    {ErrorCode::kLogEntryModified, 31, "LOG_ENTRY_MODIFIED"},
    {ErrorCode::kLogEntryMissing, 32, "LOG_ENTRY_MISSING"},
    {ErrorCode::kLogReordered, 33, "LOG_REORDERED"},
    {ErrorCode::kWitnessQuorum, 34, "WITNESS_QUORUM"},
    {ErrorCode::kReasonRequired, 35, "REASON_REQUIRED"},
    {ErrorCode::kUnexpectedCard, 36, "UNEXPECTED_CARD"},
    {ErrorCode::kKeyRevoked, 37, "KEY_REVOKED"},
    {ErrorCode::kSafetyNumberMismatch, 50, "SAFETY_NUMBER_MISMATCH"},
};

static_assert(sizeof(ErrorCode) == 2);
static_assert(static_cast<uint16_t>(ErrorCode::kDoNotUseReservedForFutureExpansion) == 0xFFFF);

TEST(ErrorCode, ValuesAndNamesAreStable) {
  for (const CodeRow& row : kCodeTable) {
    EXPECT_EQ(static_cast<uint16_t>(row.code), row.value) << row.name;
    EXPECT_EQ(ErrorCodeName(row.code), row.name);
  }
}

TEST(ErrorCode, NamesAreDistinctScreamingSnake) {
  const std::regex screaming_snake("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");
  std::set<std::string> names;
  std::set<uint16_t> values;
  for (const CodeRow& row : kCodeTable) {
    std::string name(ErrorCodeName(row.code));
    EXPECT_TRUE(std::regex_match(name, screaming_snake)) << name;
    EXPECT_NE(name, "UNKNOWN");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    EXPECT_TRUE(values.insert(row.value).second) << "duplicate value " << row.value;
  }
  EXPECT_EQ(names.size(), std::size(kCodeTable));
}

// Every 16-bit value outside the table is "UNKNOWN" (including the reserved
// enumerator). This also catches a code that was added to ErrorCodeName but
// not to the table above (or to docs/errors.md).
TEST(ErrorCode, EveryOtherValueIsUnknown) {
  std::set<uint32_t> known;
  for (const CodeRow& row : kCodeTable) known.insert(row.value);
  for (uint32_t v = 0; v <= 0xFFFF; ++v) {
    if (known.count(v) != 0) continue;
    ASSERT_EQ(ErrorCodeName(static_cast<ErrorCode>(v)), "UNKNOWN") << v;
  }
  EXPECT_EQ(ErrorCodeName(ErrorCode::kDoNotUseReservedForFutureExpansion), "UNKNOWN");
}

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  Status s = Error(ErrorCode::kDecryptFailed, "aead: authentication failed");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kDecryptFailed);
  EXPECT_EQ(s.message(), "aead: authentication failed");
  EXPECT_EQ(s.ToString(), "DECRYPT_FAILED: aead: authentication failed");
  EXPECT_EQ(Status(ErrorCode::kMalformed, "").ToString(), "MALFORMED");
  EXPECT_EQ(Status(static_cast<ErrorCode>(999), "x").ToString(), "UNKNOWN: x");
}

// A status built with kOk and a message is still ok (the code decides).
TEST(Status, OkCodeWithMessageIsOk) {
  Status s(ErrorCode::kOk, "ignored");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(Result, HoldsValue) {
  Result<int> r(42);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
  r.value() = 7;
  EXPECT_EQ(*r, 7);
  const Result<std::string> cs(std::string("abc"));
  EXPECT_EQ(cs->size(), 3u);
  EXPECT_EQ(*cs, "abc");
}

TEST(Result, HoldsError) {
  Result<int> r = Error(ErrorCode::kTruncated, "short");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(r.status().message(), "short");
}

TEST(Result, MoveOnlyValue) {
  static_assert(!std::is_copy_constructible_v<Result<std::unique_ptr<int>>>);
  Result<std::unique_ptr<int>> r(std::make_unique<int>(5));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(**r, 5);
  EXPECT_EQ(*r.value(), 5);
  Result<std::unique_ptr<int>> moved(std::move(r));
  ASSERT_TRUE(moved.ok());
  std::unique_ptr<int> p = std::move(moved).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 5);

  Result<SecretBytes> secret(SecretBytes::CopyFrom(Bytes{1, 2, 3}));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret->size(), 3u);
  SecretBytes taken = std::move(secret).value();
  EXPECT_EQ(Bytes(RevealSecret(taken).begin(), RevealSecret(taken).end()), (Bytes{1, 2, 3}));

  Result<std::unique_ptr<int>> err = Error(ErrorCode::kInternal, "x");
  EXPECT_FALSE(err.ok());
  Result<std::unique_ptr<int>> assigned(std::make_unique<int>(1));
  assigned = std::move(err);
  EXPECT_FALSE(assigned.ok());
  EXPECT_EQ(assigned.status().code(), ErrorCode::kInternal);
}

// The propagation macros.
Status FailIf(bool fail) {
  if (fail) return Error(ErrorCode::kMalformed, "inner");
  return Status::Ok();
}
Result<std::unique_ptr<int>> MakeIf(bool fail, int v) {
  if (fail) return Error(ErrorCode::kTooLarge, "make");
  return std::make_unique<int>(v);
}
Status Chain(bool fail_first, bool fail_second, int* out) {
  MEDSEAL_RETURN_IF_ERROR(FailIf(fail_first));
  MEDSEAL_ASSIGN_OR_RETURN(std::unique_ptr<int> p, MakeIf(fail_second, 11));
  MEDSEAL_ASSIGN_OR_RETURN(std::unique_ptr<int> q, MakeIf(false, 31));  // two in one scope
  *out = *p + *q;
  return Status::Ok();
}
Result<int> ChainResult(bool fail) {
  MEDSEAL_RETURN_IF_ERROR(FailIf(fail));
  return 1;
}

TEST(StatusMacros, PropagateErrorsAndValues) {
  int out = 0;
  EXPECT_OK(Chain(false, false, &out));
  EXPECT_EQ(out, 42);
  out = 0;
  EXPECT_CODE(Chain(true, false, &out), ErrorCode::kMalformed);
  EXPECT_CODE(Chain(false, true, &out), ErrorCode::kTooLarge);
  EXPECT_EQ(out, 0);
  EXPECT_OK(ChainResult(false));
  EXPECT_CODE(ChainResult(true), ErrorCode::kMalformed);
  EXPECT_EQ(ChainResult(true).status().message(), "inner");
}

// Preconditions: a broken one is a bug and aborts (sodium_misuse-style),
// never a Status.
TEST(StatusDeathTest, CheckAborts) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  EXPECT_DEATH_IF_SUPPORTED(MEDSEAL_CHECK(1 + 1 == 3),
                            "check failed at .*status_test.cc:[0-9]+: 1 \\+ 1 == 3");
  MEDSEAL_CHECK(1 + 1 == 2);  // a holding check is a no-op
}

TEST(StatusDeathTest, ValueOfErrorAborts) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  EXPECT_DEATH_IF_SUPPORTED(
      {
        Result<int> r = Error(ErrorCode::kMalformed, "x");
        (void)r.value();
      },
      "check failed");
  EXPECT_DEATH_IF_SUPPORTED(
      {
        const Result<int> r = Error(ErrorCode::kMalformed, "x");
        (void)*r;
      },
      "check failed");
  EXPECT_DEATH_IF_SUPPORTED(
      {
        Result<std::unique_ptr<int>> r = Error(ErrorCode::kMalformed, "x");
        std::unique_ptr<int> p = std::move(r).value();
      },
      "check failed");
  EXPECT_DEATH_IF_SUPPORTED(
      {
        Result<std::string> r = Error(ErrorCode::kMalformed, "x");
        (void)r->size();
      },
      "check failed");
}

// A Result cannot hold an ok Status without a value.
TEST(StatusDeathTest, ResultFromOkStatusAborts) {
  MEDSEAL_SKIP_WITHOUT_DEATH_TESTS();
  EXPECT_DEATH_IF_SUPPORTED(
      {
        Result<int> r = Status::Ok();
        (void)r;
      },
      "check failed");
}

}  // namespace
}  // namespace medseal
