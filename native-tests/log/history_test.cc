// SPDX-License-Identifier: Apache-2.0
// Full verification of a history (docs/spec/log.md §8.8, rules H1-H9) on a
// small real log, and the streaming root against MerkleTree.
#include "core/log/history.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/log/entry.h"
#include "native-tests/log/log_fixture.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using medseal::testing::CodeOf;
using testing::CardSubjectOf;
using testing::NextEvent;
using testing::OperatorKey;
using testing::Person;
using testing::Policy;
using testing::TestLog;

VerifiedCheckpoint Verified(const TestLog& log) {
  auto v = VerifyCheckpoint(log.Note(log.size()), Policy());
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return std::move(v).value();
}

ErrorCode Code(const std::vector<Bytes>& entries) {
  TestLog log(entries);
  return CodeOf(VerifyHistory(entries, Verified(log)));
}

TEST(StreamingRootTest, MatchesTheTreeAtEverySize) {
  MerkleTree tree;
  StreamingRoot stream;
  EXPECT_EQ(stream.Root(), EmptyRoot());
  for (int i = 0; i < 70; ++i) {
    const Bytes leaf = LeafHash(Bytes(1, static_cast<uint8_t>(i)));
    tree.AppendLeafHash(leaf);
    stream.AppendLeafHash(leaf);
    ASSERT_EQ(stream.Root(), tree.Root()) << i + 1;
  }
  EXPECT_EQ(stream.size(), 70u);
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Cards, events, a break-glass, a rotation and a revocation.
    entries_.push_back(CardEntry(patient_.card()));
    entries_.push_back(CardEntry(old_.card()));
    entries_.push_back(EventEntry(NextEvent(patient_, chains_, EventType::kGrant)));
    entries_.push_back(EventEntry(NextEvent(old_, chains_)));
    entries_.push_back(EventEntry(NextEvent(old_, chains_, EventType::kBreakGlass)));
    entries_.push_back(CardEntry(new_.card()));
    entries_.push_back(
        EventEntry(NextEvent(old_, chains_, EventType::kRotate, {CardSubjectOf(new_)})));
    entries_.push_back(EventEntry(NextEvent(new_, chains_)));
    entries_.push_back(
        EventEntry(NextEvent(new_, chains_, EventType::kRevoke, {CardSubjectOf(old_)})));
    entries_.push_back(EventEntry(NextEvent(patient_, chains_)));
  }
  Identity patient_ = Person(0x01, "Patient P", "patient");
  Identity old_ = Person(0x02, "Dr. C", "clinician");
  Identity new_ = Person(0x03, "Dr. C", "clinician");
  AuthorChains chains_;
  std::vector<Bytes> entries_;
};

TEST_F(HistoryTest, AValidHistory) {
  TestLog log(entries_);
  auto summary = VerifyHistory(entries_, Verified(log));
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->entries, 10u);
  EXPECT_EQ(summary->cards, 3u);
  EXPECT_EQ(summary->events, 7u);
  EXPECT_EQ(summary->authors, 3u);
  EXPECT_EQ(summary->rotations, 1u);
  EXPECT_EQ(summary->revocations, 1u);
  EXPECT_EQ(summary->break_glass, std::vector<uint64_t>{4});
  // The empty history.
  TestLog empty;
  EXPECT_TRUE(VerifyHistory({}, Verified(empty)).ok());
}

TEST_F(HistoryTest, H1CountAndH2Root) {
  TestLog log(entries_);
  const VerifiedCheckpoint cp = Verified(log);
  std::vector<Bytes> fewer(entries_.begin(), entries_.end() - 1);
  EXPECT_EQ(CodeOf(VerifyHistory(fewer, cp)), ErrorCode::kLogTruncated);
  std::vector<Bytes> more = entries_;
  more.push_back(CardEntry(Person(0x07, "X", "nurse").card()));
  EXPECT_EQ(CodeOf(VerifyHistory(more, cp)), ErrorCode::kTrailingData);
  std::vector<Bytes> swapped = entries_;
  std::swap(swapped[3], swapped[4]);
  EXPECT_EQ(CodeOf(VerifyHistory(swapped, cp)), ErrorCode::kLogEntryModified);
}

TEST_F(HistoryTest, H3EntriesParse) {
  std::vector<Bytes> e = entries_;
  e[3] = Bytes{0x7f};
  EXPECT_EQ(Code(e), ErrorCode::kUnsupportedVersion);
}

TEST_F(HistoryTest, H5AuthorCardPublishedEarlier) {
  std::vector<Bytes> e = entries_;
  std::swap(e[1],
            e[3]);  // the clinician's first event before the clinician's card
  EXPECT_EQ(Code(e), ErrorCode::kLogEntryMissing);
}

TEST_F(HistoryTest, H6RetiredKeys) {
  std::vector<Bytes> e = entries_;
  e.push_back(EventEntry(NextEvent(old_, chains_)));  // the old key after its rotation
  EXPECT_EQ(Code(e), ErrorCode::kKeyRevoked);
}

TEST_F(HistoryTest, H7Signatures) {
  std::vector<Bytes> e = entries_;
  Bytes& entry = e[3];
  const std::string text(entry.begin() + 1, entry.end());
  const size_t at = text.find("\"sig\":\"") + 7;
  entry[1 + at] = entry[1 + at] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Code(e), ErrorCode::kSignatureInvalid);
}

TEST_F(HistoryTest, H8AuthorChains) {
  std::vector<Bytes> gap = entries_;
  NextEvent(patient_, chains_);  // signed, never logged
  gap.push_back(EventEntry(NextEvent(patient_, chains_)));
  EXPECT_EQ(Code(gap), ErrorCode::kLogEntryMissing);
  std::vector<Bytes> reordered = entries_;
  std::swap(reordered[2], reordered[9]);  // the patient's two events
  EXPECT_EQ(Code(reordered), ErrorCode::kLogReordered);
}

TEST_F(HistoryTest, H9RevocationsArePermittedOnlyForOwnKeys) {
  std::vector<Bytes> e = entries_;
  e.push_back(EventEntry(NextEvent(patient_, chains_, EventType::kRevoke, {CardSubjectOf(new_)})));
  EXPECT_EQ(Code(e), ErrorCode::kNotPermitted);
}

TEST_F(HistoryTest, AnotherLogsCheckpoint) {
  TestLog log(entries_);
  auto other = VerifyCheckpoint(log.Note(log.size(), OperatorKey(0x99, "other.example/log")),
                                Policy(OperatorKey(0x99, "other.example/log")));
  ASSERT_TRUE(other.ok());
  std::vector<Bytes> e = entries_;
  e[0] = CardEntry(Person(0x0a, "Patient P", "patient").card());
  EXPECT_EQ(CodeOf(VerifyHistory(e, *other)), ErrorCode::kLogEntryModified);
}

}  // namespace
}  // namespace medseal::tlog
