// SPDX-License-Identifier: Apache-2.0
#include "core/group/group.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/base/random.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal::group {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

Identity Make(uint8_t fill, const char* name, const char* role) {
  SecretBytes seed = SecretBytes::CopyFrom(Bytes(32, fill));
  return std::move(Identity::FromSeed(seed, name, role, kT0)).value();
}

struct Ward {
  Identity admin = Make(1, "Ward admin", "admin");
  Identity alice = Make(2, "Alice", "nurse");
  Identity bob = Make(3, "Bob", "nurse");
  Identity carol = Make(4, "Carol", "nurse");
  Identity patient = Make(5, "Patient", "patient");
  ChaChaRng rng = ChaChaRng::Create(Bytes(32, 9)).value();
  FixedClock clock{kT0 + 1000};
};

SealedRecord SealTo(Ward& w, const PublicCard& card, const char* text) {
  const RecordPayload payload{"text/plain", "note", "", AsBytes(text)};
  const PublicCard to[] = {card};
  return SealRecord(w.patient, to, payload, w.rng, w.clock).value();
}

TEST(GroupGroup, MembersOpenRecordsSealedToTheRoleCard) {
  Ward w;
  const PublicCard members[] = {w.alice.card(), w.bob.card()};
  auto [nurses, created] =
      std::move(Group::Create(w.admin, "Cardiology ward", "nurse", members, w.rng, w.clock))
          .value();
  ASSERT_EQ(created.wraps.size(), 1u);
  EXPECT_TRUE(VerifyMembershipHistory(nurses.history(), w.admin.card()).ok());
  EXPECT_EQ(nurses.identity().card().role(), "nurse");
  SealedRecord rec = SealTo(w, nurses.identity().card(), "BP 120/80");
  for (const Identity* m : {&w.alice, &w.bob}) {
    Result<Identity> g = OpenEpochKey(created.wraps[0], *m, w.admin.card(), created.state);
    ASSERT_TRUE(g.ok()) << g.status().message();
    Result<OpenedPayload> opened = OpenRecord(rec, *g, w.patient.card());
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(AsText(opened->body()), "BP 120/80");
  }
  // Carol is not a member: the wrap has no stanza for her.
  EXPECT_EQ(OpenEpochKey(created.wraps[0], w.carol, w.admin.card(), created.state).status().code(),
            ErrorCode::kNoMatchingRecipient);
}

TEST(GroupGroup, AMemberOfRoleXCannotOpenARecordSealedOnlyToRoleY) {
  Ward w;
  Identity doctor = Make(6, "Dana", "doctor");
  const PublicCard nurses_m[] = {w.alice.card()};
  const PublicCard doctors_m[] = {doctor.card()};
  auto [nurses, n_up] =
      std::move(Group::Create(w.admin, "Cardiology ward", "nurse", nurses_m, w.rng, w.clock))
          .value();
  auto [doctors, d_up] =
      std::move(Group::Create(w.admin, "Cardiology ward", "doctor", doctors_m, w.rng, w.clock))
          .value();
  SealedRecord for_doctors = SealTo(w, doctors.identity().card(), "diagnosis");
  Identity nurse_group = OpenEpochKey(n_up.wraps[0], w.alice, w.admin.card(), n_up.state).value();
  EXPECT_EQ(OpenRecord(for_doctors, nurse_group, w.patient.card()).status().code(),
            ErrorCode::kNoMatchingRecipient);
  // Nor with the doctors' wrap, which was never wrapped to her.
  EXPECT_EQ(OpenEpochKey(d_up.wraps[0], w.alice, w.admin.card(), d_up.state).status().code(),
            ErrorCode::kNoMatchingRecipient);
  // A wrap checked against the other group's state: the derived key differs.
  Identity doctor_group = OpenEpochKey(d_up.wraps[0], doctor, w.admin.card(), d_up.state).value();
  EXPECT_TRUE(OpenRecord(for_doctors, doctor_group, w.patient.card()).ok());
}

TEST(GroupGroup, ARemovedMemberCannotOpenWhatIsSealedAfterwards) {
  Ward w;
  const PublicCard members[] = {w.alice.card(), w.bob.card()};
  auto [nurses, first] =
      std::move(Group::Create(w.admin, "Cardiology ward", "nurse", members, w.rng, w.clock))
          .value();
  Identity bob_epoch0 = OpenEpochKey(first.wraps[0], w.bob, w.admin.card(), first.state).value();
  GroupUpdate removed = nurses.RemoveMember(w.admin, w.bob.key_id(), w.rng, w.clock).value();
  EXPECT_EQ(removed.state.epoch, 1u);
  EXPECT_EQ(removed.state.members.size(), 1u);
  EXPECT_NE(removed.state.group_card.key_id(), first.state.group_card.key_id());
  EXPECT_TRUE(VerifyMembershipHistory(nurses.history(), w.admin.card()).ok());
  SealedRecord after = SealTo(w, nurses.identity().card(), "after removal");
  EXPECT_EQ(OpenRecord(after, bob_epoch0, w.patient.card()).status().code(),
            ErrorCode::kNoMatchingRecipient);
  EXPECT_EQ(OpenEpochKey(removed.wraps[0], w.bob, w.admin.card(), removed.state).status().code(),
            ErrorCode::kNoMatchingRecipient);
  Identity alice1 = OpenEpochKey(removed.wraps[0], w.alice, w.admin.card(), removed.state).value();
  EXPECT_TRUE(OpenRecord(after, alice1, w.patient.card()).ok());
  EXPECT_EQ(nurses.RemoveMember(w.admin, w.bob.key_id(), w.rng, w.clock).status().code(),
            ErrorCode::kNoMatchingRecipient);
  EXPECT_EQ(nurses.RemoveMember(w.admin, w.alice.key_id(), w.rng, w.clock).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST(GroupGroup, ANewMemberOpensHistoryOnlyWhenGivenIt) {
  Ward w;
  const PublicCard members[] = {w.alice.card(), w.bob.card()};
  auto [nurses, first] =
      std::move(Group::Create(w.admin, "Cardiology ward", "nurse", members, w.rng, w.clock))
          .value();
  SealedRecord old_rec = SealTo(w, nurses.identity().card(), "epoch 0");
  ASSERT_TRUE(nurses.RemoveMember(w.admin, w.bob.key_id(), w.rng, w.clock).ok());
  SealedRecord new_rec = SealTo(w, nurses.identity().card(), "epoch 1");
  Identity dave = Make(7, "Dave", "nurse");
  GroupUpdate no_history = nurses.AddMember(w.admin, w.carol.card(), false, w.rng, w.clock).value();
  ASSERT_EQ(no_history.wraps.size(), 1u);
  EXPECT_EQ(no_history.wraps[0].epoch, 1u);
  Identity carol1 =
      OpenEpochKey(no_history.wraps[0], w.carol, w.admin.card(), no_history.state).value();
  EXPECT_TRUE(OpenRecord(new_rec, carol1, w.patient.card()).ok());
  EXPECT_FALSE(OpenRecord(old_rec, carol1, w.patient.card()).ok());
  GroupUpdate with_history = nurses.AddMember(w.admin, dave.card(), true, w.rng, w.clock).value();
  ASSERT_EQ(with_history.wraps.size(), 2u);
  const std::vector<MembershipState>& h = nurses.history();
  ASSERT_EQ(h.size(), 4u);
  EXPECT_TRUE(VerifyMembershipHistory(h, w.admin.card()).ok());
  Identity dave0 = OpenEpochKey(with_history.wraps[0], dave, w.admin.card(), h[0]).value();
  EXPECT_TRUE(OpenRecord(old_rec, dave0, w.patient.card()).ok());
  // A wrap checked against a state of another epoch.
  EXPECT_EQ(OpenEpochKey(with_history.wraps[0], dave, w.admin.card(), h[1]).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(nurses.AddMember(w.admin, dave.card(), false, w.rng, w.clock).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(nurses.AddMember(w.bob, w.bob.card(), false, w.rng, w.clock).status().code(),
            ErrorCode::kNotPermitted);
}

TEST(GroupGroup, MembershipStatesParseAndHistoryRulesHold) {
  Ward w;
  const PublicCard members[] = {w.alice.card(), w.bob.card()};
  auto [nurses, first] =
      std::move(Group::Create(w.admin, "Cardiology ward", "nurse", members, w.rng, w.clock))
          .value();
  ASSERT_TRUE(nurses.AddMember(w.admin, w.carol.card(), false, w.rng, w.clock).ok());
  ASSERT_TRUE(nurses.RemoveMember(w.admin, w.alice.key_id(), w.rng, w.clock).ok());
  std::vector<MembershipState> h;
  for (const MembershipState& s : nurses.history()) {
    Result<MembershipState> back = ParseMembershipState(EncodeMembershipState(s));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(EncodeMembershipState(*back), EncodeMembershipState(s));
    h.push_back(std::move(back).value());
  }
  EXPECT_TRUE(VerifyMembershipHistory(h, w.admin.card()).ok());
  EXPECT_EQ(VerifyMembershipHistory(h, w.alice.card()).code(), ErrorCode::kKeyIdMismatch);
  std::vector<MembershipState> gap{h[0], h[2]};
  EXPECT_EQ(VerifyMembershipHistory(gap, w.admin.card()).code(), ErrorCode::kMalformed);
  std::vector<MembershipState> no_start{h[1], h[2]};
  EXPECT_EQ(VerifyMembershipHistory(no_start, w.admin.card()).code(), ErrorCode::kMalformed);
  // An admin who removes a member but keeps the epoch (and its key) is
  // caught by T3, even with a valid signature.
  MembershipState sneaky = h[1];
  sneaky.seq = 2;
  sneaky.previous_hash = StateHash(h[1]);
  sneaky.members.erase(sneaky.members.begin());
  sneaky.signature = w.admin.Sign(sneaky.SignedBytes());
  std::vector<MembershipState> bad{h[0], h[1], sneaky};
  EXPECT_EQ(VerifyMembershipHistory(bad, w.admin.card()).code(), ErrorCode::kNotPermitted);
  MembershipState tampered = h[1];
  tampered.members.pop_back();
  std::vector<MembershipState> t{h[0], tampered};
  EXPECT_EQ(VerifyMembershipHistory(t, w.admin.card()).code(), ErrorCode::kSignatureInvalid);

  const Bytes good = EncodeMembershipState(h[1]);
  EXPECT_EQ(ParseMembershipState(Bytes(kMaxStateBytes + 1, 0)).status().code(),
            ErrorCode::kTooLarge);
  Bytes b = good;
  b[1] = 'x';
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kMalformed);
  b = good;
  b[4] = 9;
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kUnsupportedVersion);
  for (size_t n : {size_t{0}, size_t{20}, size_t{60}, good.size() - 1}) {
    EXPECT_EQ(ParseMembershipState(ByteView(good).first(n)).status().code(), ErrorCode::kMalformed)
        << n;
  }
  b = good;
  b.push_back(0);
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kMalformed);
  // Members out of order: swap the first two ids.
  const size_t card_len = good[77] | (good[78] << 8) | (good[79] << 16);
  const size_t members_at = 83 + card_len;
  b = good;
  std::swap_ranges(b.begin() + members_at, b.begin() + members_at + 16,
                   b.begin() + members_at + 16);
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kNonCanonical);
  b = good;
  b[81 + card_len] = 0;
  b[81 + card_len + 1] = 0;
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kMalformed);
  b = good;
  b[81 + card_len] = 65;
  EXPECT_EQ(ParseMembershipState(b).status().code(), ErrorCode::kTooLarge);
  // The first state with a non-zero epoch (S10).
  MembershipState odd = h[0];
  odd.epoch = 3;
  EXPECT_EQ(ParseMembershipState(EncodeMembershipState(odd)).status().code(),
            ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal::group
