// SPDX-License-Identifier: Apache-2.0
// Care teams and roles (issue #13): a group identity (e.g. "cardiology
// ward", role "nurse") with a normal public card, whose secret -- the
// identity seed of the current epoch -- is wrapped to each member's card as
// a small sealed record from the group's admin. Adding a member wraps the
// current epoch's seed to it (and, by choice, the older epochs' seeds:
// history); removing one starts a new epoch with a fresh seed (a new card)
// wrapped only to the remaining members. Every membership change is a
// MembershipState signed by the admin and chained by hash, verifiable with
// public cards only. Format and rules: docs/spec/group.md §5-§8.
#ifndef MEDSEAL_CORE_GROUP_GROUP_H_
#define MEDSEAL_CORE_GROUP_GROUP_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/sealed_record.h"

namespace medseal::group {

inline constexpr uint8_t kGroupStateVersion = 1;
inline constexpr size_t kGroupIdSize = 16;
inline constexpr size_t kStateHashSize = 32;
// One wrap record per epoch carries every member: at most kMaxRecipients.
inline constexpr size_t kMaxGroupMembers = kMaxRecipients;
inline constexpr size_t kMaxStateBytes = 4 + 1 + kGroupIdSize + 4 + 4 + kStateHashSize +
                                         kKeyIdSize + 4 + kMaxCardJsonBytes + 2 +
                                         kMaxGroupMembers * kKeyIdSize + 8 + 64;
// The content type of the sealed record that wraps an epoch seed (spec §7).
inline constexpr std::string_view kEpochKeyContentType = "application/vnd.medseal.group-epoch-key";

// The signed membership state after a change (spec §5.1).
struct MembershipState {
  Bytes group_id;              // 16, fixed for the group's life
  uint32_t seq = 0;            // 0 for the first state, +1 per change
  uint32_t epoch = 0;          // 0 first; +1 whenever the group key changes
  Bytes previous_hash;         // 32: StateHash of the state before, zeros for seq 0
  Bytes admin_key_id;          // 16: the admin whose signature this is
  PublicCard group_card;       // the epoch's group card
  std::vector<Bytes> members;  // member card key ids, 16 each, strictly ascending
  UnixMillis time = 0;
  Bytes signature;  // 64

  // LABEL("medseal/v1/group/state") || the encoding up to and with `time`
  // (spec §5.2).
  Bytes SignedBytes() const;
};

Bytes EncodeMembershipState(const MembershipState& state);
// SHA-256 of the whole encoding, signature included (spec §5.3).
Bytes StateHash(const MembershipState& state);
// Strict parser: rules S1-S10 of spec §5.4 in order.
Result<MembershipState> ParseMembershipState(ByteView data);
// The admin's signature (rules M1-M2: kKeyIdMismatch, kSignatureInvalid).
[[nodiscard]] Status VerifyMembershipState(const MembershipState& state, const PublicCard& admin);
// A whole history, first state first (rules M1-M2 on each, then M3 on the
// first and T1-T4 on each change; spec §6).
[[nodiscard]] Status VerifyMembershipHistory(std::span<const MembershipState> states,
                                             const PublicCard& admin);

// An epoch seed sealed to members (spec §7).
struct EpochKeyWrap {
  uint32_t epoch = 0;
  SealedRecord record;
};

// What the admin publishes after a change: the new state and the wraps to
// hand to members.
struct GroupUpdate {
  MembershipState state;
  std::vector<EpochKeyWrap> wraps;
};

// The admin's view of a group: holds every epoch's group identity (secret).
// Move-only.
class Group {
 public:
  // A new group, epoch 0, with 1..kMaxGroupMembers members (no key id
  // twice: kInvalidArgument). `name` and `role` as the group card's (role
  // names the role, e.g. "nurse"). Randomness: group id (16), then the
  // epoch seed (32), then SealRecord's draws.
  static Result<std::pair<Group, GroupUpdate>> Create(const Identity& admin, std::string_view name,
                                                      std::string_view role,
                                                      std::span<const PublicCard> members, Rng& rng,
                                                      Clock& clock);
  Group(Group&&) noexcept = default;
  Group& operator=(Group&&) noexcept = default;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  ~Group() = default;

  // Adds `member` in the current epoch (a member already present:
  // kInvalidArgument; a full group: kTooLarge; another admin:
  // kNotPermitted). The update wraps the current epoch's seed to the new
  // member, and with `share_history` also every older epoch's seed.
  Result<GroupUpdate> AddMember(const Identity& admin, const PublicCard& member, bool share_history,
                                Rng& rng, Clock& clock);
  // Removes the member with `key_id` (absent: kNoMatchingRecipient; the last
  // member: kInvalidArgument) and starts a new epoch: a fresh seed (32 from
  // `rng`) and card, wrapped to the remaining members only.
  Result<GroupUpdate> RemoveMember(const Identity& admin, ByteView key_id, Rng& rng, Clock& clock);

  const MembershipState& state() const { return states_.back(); }
  const std::vector<MembershipState>& history() const { return states_; }
  // The current epoch's group identity: seal to identity().card().
  const Identity& identity() const { return epochs_.back(); }
  const std::vector<PublicCard>& members() const { return members_; }

 private:
  Group() = default;
  Result<MembershipState> NextState(const Identity& admin, bool new_epoch, Clock& clock) const;
  Result<EpochKeyWrap> Wrap(const Identity& admin, uint32_t epoch,
                            std::span<const PublicCard* const> to, Rng& rng, Clock& clock) const;
  Bytes group_id_;
  std::vector<Identity> epochs_;
  std::vector<PublicCard> members_;  // sorted by key id
  std::vector<MembershipState> states_;
};

// A member opens an epoch seed: verifies the admin's signature on `state`
// (M1-M2) and on the wrap, opens it with `member` (OpenRecord's codes:
// kNoMatchingRecipient when it was not wrapped to this member), checks its
// payload (content type, record id = group id hex "." epoch; else
// kMalformed) and derives the group identity, whose key id must be the
// state's group card's (kKeyIdMismatch). `state` is a state of the wrap's
// epoch.
Result<Identity> OpenEpochKey(const EpochKeyWrap& wrap, const Identity& member,
                              const PublicCard& admin, const MembershipState& state);

}  // namespace medseal::group

#endif  // MEDSEAL_CORE_GROUP_GROUP_H_
