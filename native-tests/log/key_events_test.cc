// SPDX-License-Identifier: Apache-2.0
// Key-chain links and revocations published as log events
// (core/log/key_events.h): the directory follows a rotation published this
// way to the new card, and a revocation published this way makes the key
// KEY_REVOKED; bad links and revocations are never turned into events.
#include "core/log/key_events.h"

#include <gtest/gtest.h>

#include "core/base/clock.h"
#include "core/group/key_chain.h"
#include "core/log/directory.h"
#include "core/log/entry.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

Identity Key(uint8_t fill, UnixMillis created) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, fill)), "Patient P",
                                      "patient", created))
      .value();
}

struct Keys {
  Identity k0 = Key(0x21, kT0);
  Identity k1 = Key(0x22, kT0 + 1000);
  Identity k2 = Key(0x23, kT0 + 2000);
  Identity other = Key(0x24, kT0);
  FixedClock clock{kT0 + 5000};
  AuthorChains chains;

  // Signs, appends to the author chains and applies through ApplyEntry
  // (which verifies the event's signature against the author's card).
  Status Publish(KeyDirectory& d, uint64_t index, const Result<SignedEvent>& ev) {
    if (!ev.ok()) return ev.status();
    MEDSEAL_RETURN_IF_ERROR(chains.Append(*ev));
    return d.ApplyEntry(index, EventEntry(*ev));
  }
};

TEST(KeyEvents, ARotationPublishedFromALinkResolvesTheOldKeyToTheNewCard) {
  Keys k;
  const group::KeyLink link = group::IssueKeyLink(k.k0, k.k1.card(), k.clock).value();
  Result<SignedEvent> ev = RotationEvent(k.k0, link, k.chains);
  ASSERT_OK(ev);
  EXPECT_EQ(ev->event.type, EventType::kRotate);
  EXPECT_EQ(ev->event.author, k.k0.key_id());
  EXPECT_EQ(ev->event.time, link.issued);
  ASSERT_EQ(ev->event.subjects.size(), 1u);
  EXPECT_EQ(ev->event.subjects[0], CardSubject(k.k1.card()));
  EXPECT_OK(MatchRotationEvent(*ev, link));
  EXPECT_OK(VerifyEvent(*ev, k.k0.card()));
  // The same event re-parsed from its log entry bytes.
  Result<SignedEvent> parsed = ParseEvent(ev->encoded);
  ASSERT_OK(parsed);
  EXPECT_OK(MatchRotationEvent(*parsed, link));

  KeyDirectory d;
  d.AddCard(0, k.k0.card());
  d.AddCard(1, k.k1.card());
  ASSERT_OK(k.Publish(d, 2, ev));
  EXPECT_CODE(d.Lookup(k.k0.key_id()), ErrorCode::kKeyRevoked);
  Result<PublicCard> current = d.Current(k.k0.key_id());
  ASSERT_OK(current);
  EXPECT_EQ(current->key_id(), k.k1.key_id());
  ASSERT_OK(d.Lookup(k.k1.key_id()));
  EXPECT_EQ(*d.Find(k.k0.key_id())->successor, k.k1.key_id());

  // A second link, from key 1 to key 2: the chain is followed to its end.
  k.clock.Set(kT0 + 6000);
  const group::KeyLink link2 = group::IssueKeyLink(k.k1, k.k2.card(), k.clock).value();
  d.AddCard(3, k.k2.card());
  ASSERT_OK(k.Publish(d, 4, RotationEvent(k.k1, link2, k.chains)));
  EXPECT_EQ(d.Current(k.k0.key_id())->key_id(), k.k2.key_id());
  // key 0 may no longer author anything (K2): not even a second rotation.
  const group::KeyLink stale = group::IssueKeyLink(k.k0, k.other.card(), k.clock).value();
  d.AddCard(5, k.other.card());
  EXPECT_CODE(k.Publish(d, 6, RotationEvent(k.k0, stale, k.chains)), ErrorCode::kKeyRevoked);
}

TEST(KeyEvents, ARevocationPublishedFromAKeyRevocationGivesKeyRevoked) {
  Keys k;
  KeyDirectory d;
  d.AddCard(0, k.k0.card());
  d.AddCard(1, k.k1.card());
  // Self-revocation before any rotation.
  const group::KeyRevocation self =
      group::IssueKeyRevocation(k.k1, k.k1.key_id(), group::RevocationReason::kCompromised, k.clock)
          .value();
  Result<SignedEvent> ev = RevocationEvent(k.k1, self, k.chains);
  ASSERT_OK(ev);
  EXPECT_EQ(ev->event.type, EventType::kRevoke);
  EXPECT_EQ(ev->event.time, self.revoked);
  EXPECT_OK(MatchRevocationEvent(*ev, self));
  ASSERT_OK(k.Publish(d, 2, ev));
  EXPECT_CODE(d.Lookup(k.k1.key_id()), ErrorCode::kKeyRevoked);
  EXPECT_CODE(d.Current(k.k1.key_id()), ErrorCode::kKeyRevoked);
  ASSERT_OK(d.Lookup(k.k0.key_id()));
}

TEST(KeyEvents, TheSuccessorRevokesItsPredecessorAfterARotation) {
  Keys k;
  KeyDirectory d;
  d.AddCard(0, k.k0.card());
  d.AddCard(1, k.k1.card());
  const group::KeyLink link = group::IssueKeyLink(k.k0, k.k1.card(), k.clock).value();
  ASSERT_OK(k.Publish(d, 2, RotationEvent(k.k0, link, k.chains)));
  // The usual compromise response: rotate, then revoke the old key from the new one.
  const group::KeyRevocation rev =
      group::IssueKeyRevocation(k.k1, k.k0.key_id(), group::RevocationReason::kCompromised, k.clock)
          .value();
  const group::KeyChain chain =
      group::KeyChain::Verify(k.k0.card(), std::span<const group::KeyLink>(&link, 1)).value();
  ASSERT_OK(group::VerifyKeyRevocation(rev, chain));
  ASSERT_OK(k.Publish(d, 3, RevocationEvent(k.k1, rev, k.chains)));
  ASSERT_TRUE(d.Find(k.k0.key_id())->revoked.has_value());
  EXPECT_EQ(*d.Find(k.k0.key_id())->revoked, 3u);
  EXPECT_EQ(d.Current(k.k0.key_id())->key_id(), k.k1.key_id());
  // The old key revoking the new one is refused by the directory (K2: it
  // was rotated away), as group.md's V2 refuses it in the chain.
  const group::KeyRevocation thief =
      group::IssueKeyRevocation(k.k0, k.k1.key_id(), group::RevocationReason::kCompromised, k.clock)
          .value();
  EXPECT_CODE(k.Publish(d, 4, RevocationEvent(k.k0, thief, k.chains)), ErrorCode::kKeyRevoked);
  ASSERT_OK(d.Lookup(k.k1.key_id()));
}

TEST(KeyEvents, BadLinksAndRevocationsAreNotPublished) {
  Keys k;
  const group::KeyLink link = group::IssueKeyLink(k.k0, k.k1.card(), k.clock).value();
  EXPECT_CODE(RotationEvent(k.k1, link, k.chains), ErrorCode::kSenderMismatch);
  group::KeyLink forged = link;
  forged.signature[0] ^= 1;
  EXPECT_CODE(RotationEvent(k.k0, forged, k.chains), ErrorCode::kSignatureInvalid);
  group::KeyLink early = link;
  early.issued = kT0 - 1;
  EXPECT_CODE(RotationEvent(k.k0, early, k.chains), ErrorCode::kMalformed);

  group::KeyRevocation rev = group::IssueKeyRevocation(
                                 k.k1, k.k0.key_id(), group::RevocationReason::kSuperseded, k.clock)
                                 .value();
  EXPECT_CODE(RevocationEvent(k.k0, rev, k.chains), ErrorCode::kSenderMismatch);
  rev.signature[5] ^= 1;
  EXPECT_CODE(RevocationEvent(k.k1, rev, k.chains), ErrorCode::kSignatureInvalid);

  // Match* refuse an event about something else.
  const SignedEvent ev = RotationEvent(k.k0, link, k.chains).value();
  const group::KeyLink other = group::IssueKeyLink(k.k0, k.k2.card(), k.clock).value();
  EXPECT_CODE(MatchRotationEvent(ev, other), ErrorCode::kLogEntryModified);
  const group::KeyRevocation rev2 =
      group::IssueKeyRevocation(k.k0, k.k0.key_id(), group::RevocationReason::kSuperseded, k.clock)
          .value();
  EXPECT_CODE(MatchRevocationEvent(ev, rev2), ErrorCode::kLogEntryModified);
  // A rotation event to a card that was never published: K4.
  KeyDirectory d;
  d.AddCard(0, k.k0.card());
  EXPECT_CODE(k.Publish(d, 1, RotationEvent(k.k0, link, k.chains)), ErrorCode::kLogEntryMissing);
}

}  // namespace
}  // namespace medseal::tlog
