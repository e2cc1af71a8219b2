// SPDX-License-Identifier: Apache-2.0
// The key directory (docs/spec/log.md §9): cards published in the log,
// rotations and revocations (rules K1-K6), lookups (kKeyRevoked), card
// inclusion proofs, and the watch for cards a device did not publish.
#include "core/log/directory.h"

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
using testing::Person;
using testing::Policy;
using testing::TestLog;

class KeyDirectoryTest : public ::testing::Test {
 protected:
  Identity patient_ = Person(0x01, "Patient P", "patient");
  Identity old_ = Person(0x02, "Dr. C", "clinician");
  Identity new_ = Person(0x03, "Dr. C", "clinician");
  Identity other_ = Person(0x04, "Nurse N", "nurse");
  AuthorChains chains_;
};

TEST_F(KeyDirectoryTest, LookupPublishedCards) {
  KeyDirectory d;
  EXPECT_EQ(CodeOf(d.Lookup(patient_.key_id())), ErrorCode::kLogEntryMissing);
  ASSERT_TRUE(d.ApplyEntry(0, CardEntry(patient_.card())).ok());
  ASSERT_TRUE(d.ApplyEntry(1, CardEntry(old_.card())).ok());
  auto c = d.Lookup(patient_.key_id());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->ToJson(), patient_.card().ToJson());
  EXPECT_EQ(d.size(), 2u);
  EXPECT_EQ(d.Find(old_.key_id())->published, 1u);
  // The same keys under another name replace the held card.
  Identity renamed = Person(0x01, "Patient Q", "patient");
  ASSERT_TRUE(d.ApplyEntry(2, CardEntry(renamed.card())).ok());
  EXPECT_EQ(d.Lookup(patient_.key_id())->name(), "Patient Q");
  EXPECT_EQ(d.Find(patient_.key_id())->published, 0u);
  EXPECT_EQ(d.size(), 2u);
}

TEST_F(KeyDirectoryTest, RotationRetiresTheOldKey) {
  KeyDirectory d;
  ASSERT_TRUE(d.ApplyEntry(0, CardEntry(old_.card())).ok());
  ASSERT_TRUE(d.ApplyEntry(1, EventEntry(NextEvent(old_, chains_))).ok());
  ASSERT_TRUE(d.ApplyEntry(2, CardEntry(new_.card())).ok());
  ASSERT_TRUE(d.ApplyEntry(3, EventEntry(NextEvent(old_, chains_, EventType::kRotate,
                                                   {CardSubjectOf(new_)})))
                  .ok());
  EXPECT_EQ(CodeOf(d.Lookup(old_.key_id())), ErrorCode::kKeyRevoked);
  auto current = d.Current(old_.key_id());
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->key_id(), new_.key_id());
  EXPECT_TRUE(d.Lookup(new_.key_id()).ok());
  EXPECT_EQ(*d.Find(old_.key_id())->successor, new_.key_id());
  EXPECT_EQ(*d.Find(new_.key_id())->predecessor, old_.key_id());
  // The old key may sign nothing more (K2).
  EXPECT_EQ(d.ApplyEntry(4, EventEntry(NextEvent(old_, chains_))).code(), ErrorCode::kKeyRevoked);
  // The new key revokes the old one (K6: a predecessor), then itself.
  ASSERT_TRUE(d.ApplyEntry(5, EventEntry(NextEvent(new_, chains_, EventType::kRevoke,
                                                   {CardSubjectOf(old_)})))
                  .ok());
  EXPECT_EQ(CodeOf(d.Lookup(old_.key_id())), ErrorCode::kKeyRevoked);
  EXPECT_EQ(*d.Find(old_.key_id())->revoked, 5u);
  EXPECT_TRUE(d.Current(old_.key_id()).ok());  // the chain ends at the new key, not revoked
  ASSERT_TRUE(d.ApplyEntry(6, EventEntry(NextEvent(new_, chains_, EventType::kRevoke,
                                                   {CardSubjectOf(new_)})))
                  .ok());
  EXPECT_EQ(CodeOf(d.Lookup(new_.key_id())), ErrorCode::kKeyRevoked);
  EXPECT_EQ(CodeOf(d.Current(old_.key_id())), ErrorCode::kKeyRevoked);
}

TEST_F(KeyDirectoryTest, RulesK1ToK6) {
  KeyDirectory d;
  // K1: an author never published.
  EXPECT_EQ(d.ApplyEntry(0, EventEntry(NextEvent(old_, chains_))).code(),
            ErrorCode::kLogEntryMissing);
  ASSERT_TRUE(d.ApplyEntry(1, CardEntry(old_.card())).ok());
  ASSERT_TRUE(d.ApplyEntry(2, CardEntry(other_.card())).ok());
  // K4: a rotation to a card not published.
  EXPECT_EQ(d.ApplyEntry(
                 3, EventEntry(NextEvent(old_, chains_, EventType::kRotate, {CardSubjectOf(new_)})))
                .code(),
            ErrorCode::kLogEntryMissing);
  // K3: a rotation naming the author itself, or two cards.
  EXPECT_EQ(d.ApplyEntry(
                 4, EventEntry(NextEvent(old_, chains_, EventType::kRotate, {CardSubjectOf(old_)})))
                .code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(d.ApplyEntry(5, CardEntry(new_.card())).ok());
  EXPECT_EQ(d.ApplyEntry(6, EventEntry(NextEvent(old_, chains_, EventType::kRotate,
                                                 {CardSubjectOf(new_), CardSubjectOf(other_)})))
                .code(),
            ErrorCode::kInvalidArgument);
  // K6: a key revoking another person's.
  EXPECT_EQ(d.ApplyEntry(7, EventEntry(NextEvent(old_, chains_, EventType::kRevoke,
                                                 {CardSubjectOf(other_)})))
                .code(),
            ErrorCode::kNotPermitted);
  EXPECT_TRUE(d.Lookup(other_.key_id()).ok());
  // K5: a revocation of a card never published.
  EXPECT_EQ(d.ApplyEntry(8, EventEntry(NextEvent(old_, chains_, EventType::kRevoke,
                                                 {CardSubjectOf(patient_)})))
                .code(),
            ErrorCode::kLogEntryMissing);
}

TEST_F(KeyDirectoryTest, EventSignatureIsVerified) {
  KeyDirectory d;
  ASSERT_TRUE(d.ApplyEntry(0, CardEntry(old_.card())).ok());
  SignedEvent ev = NextEvent(old_, chains_);
  Bytes entry = EventEntry(ev);
  // The signature's first base64url character changed: still an event, no
  // longer a valid signature (or, if the change breaks the encoding, a
  // parse code; both are refusals).
  const std::string text(entry.begin() + 1, entry.end());
  const size_t at = text.find("\"sig\":\"") + 7;
  entry[1 + at] = entry[1 + at] == 'A' ? 'B' : 'A';
  const Status s = d.ApplyEntry(1, entry);
  EXPECT_EQ(s.code(), ErrorCode::kSignatureInvalid) << s.ToString();
  EXPECT_EQ(d.ApplyEntry(2, Bytes{}).code(), ErrorCode::kTruncated);
}

TEST(CardInclusion, AClientDemandsTheProof) {
  Identity patient = Person(0x01, "Patient P", "patient");
  Identity clinician = Person(0x02, "Dr. C", "clinician");
  Identity fake = Person(0x09, "Dr. C", "clinician");
  TestLog log({CardEntry(patient.card()), CardEntry(clinician.card())});
  auto client = LogClient::CreatePinned(Policy(), log.Note(2));
  ASSERT_TRUE(client.ok());
  EXPECT_TRUE(VerifyCardInclusion(*client, clinician.card(), 1, log.Inclusion(1, 2)).ok());
  // A card the log does not hold at that index.
  EXPECT_EQ(VerifyCardInclusion(*client, fake.card(), 1, log.Inclusion(1, 2)).code(),
            ErrorCode::kProofInvalid);
  EXPECT_EQ(VerifyCardInclusion(*client, clinician.card(), 0, log.Inclusion(1, 2)).code(),
            ErrorCode::kProofInvalid);
  EXPECT_EQ(VerifyCardInclusion(*client, clinician.card(), 2, {}).code(),
            ErrorCode::kLogEntryMissing);
}

TEST(CardWatchTest, FindsCardsInTheWatchedNameOrRoleNotPublishedByTheDevice) {
  Identity patient = Person(0x01, "Patient P", "patient");
  Identity rotated = Person(0x05, "Patient P", "patient");
  Identity fake = Person(0x09, "Patient P", "patient");
  Identity clinician = Person(0x02, "Dr. C", "clinician");
  Identity admin = Person(0x06, "Someone", "ward-admin");
  CardWatch watch({"Patient P"}, {"ward-admin"}, {patient.key_id()});
  watch.Observe(0, CardEntry(patient.card()));
  watch.Observe(1, CardEntry(clinician.card()));
  EXPECT_TRUE(watch.ToStatus().ok());
  watch.AddOwnKey(rotated.key_id());
  watch.Observe(2, CardEntry(rotated.card()));
  watch.Observe(3, CardEntry(fake.card()));
  watch.Observe(4, Bytes{kEntryCard, '{'});  // no card: not this watch's concern
  watch.Observe(5, CardEntry(admin.card()));
  ASSERT_EQ(watch.findings().size(), 2u);
  EXPECT_EQ(watch.findings()[0], (CardFinding{3, fake.key_id(), ErrorCode::kUnexpectedCard}));
  EXPECT_EQ(watch.findings()[1].index, 5u);
  EXPECT_EQ(watch.ToStatus().code(), ErrorCode::kUnexpectedCard);
}

}  // namespace
}  // namespace medseal::tlog
