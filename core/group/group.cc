// SPDX-License-Identifier: Apache-2.0
#include "core/group/group.h"

#include <algorithm>
#include <string>

#include "core/base/secret.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/sha2.h"
#include "core/record/record.h"

namespace medseal::group {
namespace {

constexpr std::string_view kStateMagic = "MSGS";
constexpr std::string_view kStateLabel = "medseal/v1/group/state";
constexpr size_t kSigSize = 64;

bool SameId(ByteView a, ByteView b) { return a.size() == b.size() && ConstantTimeEqual(a, b); }

bool Contains(const std::vector<Bytes>& ids, ByteView id) {
  return std::any_of(ids.begin(), ids.end(), [&](const Bytes& m) { return SameId(m, id); });
}

Bytes EncodeUnsigned(const MembershipState& s) {
  Bytes out;
  ByteWriter w(out);
  w.Raw(kStateMagic);
  w.U8(kGroupStateVersion);
  w.Raw(s.group_id);
  w.U32(s.seq);
  w.U32(s.epoch);
  w.Raw(s.previous_hash);
  w.Raw(s.admin_key_id);
  const std::string card = s.group_card.ToJson();
  w.U32(static_cast<uint32_t>(card.size()));
  w.Raw(card);
  w.U8(static_cast<uint8_t>(s.members.size()));
  w.U8(static_cast<uint8_t>(s.members.size() >> 8));
  for (const Bytes& m : s.members) w.Raw(m);
  w.U64(static_cast<uint64_t>(s.time));
  return out;
}

std::string EpochRecordId(ByteView group_id, uint32_t epoch) {
  return HexEncode(group_id) + "." + std::to_string(epoch);
}

}  // namespace

Bytes MembershipState::SignedBytes() const {
  Bytes out = LabelBytes(kStateLabel);
  const Bytes body = EncodeUnsigned(*this);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes EncodeMembershipState(const MembershipState& state) {
  Bytes out = EncodeUnsigned(state);
  out.insert(out.end(), state.signature.begin(), state.signature.end());
  return out;
}

Bytes StateHash(const MembershipState& state) { return Sha256(EncodeMembershipState(state)); }

Result<MembershipState> ParseMembershipState(ByteView data) {
  if (data.size() > kMaxStateBytes) return Error(ErrorCode::kTooLarge, "state too large");  // S1
  ByteReader r(data);
  ByteView magic, group_id, prev, admin, card_json, sig;
  uint8_t version = 0, lo = 0, hi = 0;
  uint32_t seq = 0, epoch = 0, card_len = 0;
  uint64_t time = 0;
  if (!r.Raw(kStateMagic.size(), magic) || AsText(magic) != kStateMagic || !r.U8(version)) {
    return Error(ErrorCode::kMalformed, "bad magic");  // S2
  }
  if (version != kGroupStateVersion) {  // S3
    return Error(ErrorCode::kUnsupportedVersion, "unsupported state version");
  }
  if (!r.Raw(kGroupIdSize, group_id) || !r.U32(seq) || !r.U32(epoch) ||
      !r.Raw(kStateHashSize, prev) || !r.Raw(kKeyIdSize, admin) || !r.U32(card_len)) {  // S4
    return Error(ErrorCode::kMalformed, "state truncated");
  }
  if (card_len > kMaxCardJsonBytes) return Error(ErrorCode::kTooLarge, "card too large");  // S5
  if (!r.Raw(card_len, card_json) || !r.U8(lo) || !r.U8(hi)) {                             // S4
    return Error(ErrorCode::kMalformed, "state truncated");
  }
  const size_t count = lo | (static_cast<size_t>(hi) << 8);
  if (count == 0) return Error(ErrorCode::kMalformed, "no members");                     // S6
  if (count > kMaxGroupMembers) return Error(ErrorCode::kTooLarge, "too many members");  // S6
  std::vector<Bytes> member_ids;
  for (size_t i = 0; i < count; ++i) {
    ByteView m;
    if (!r.Raw(kKeyIdSize, m)) return Error(ErrorCode::kMalformed, "state truncated");  // S4
    Bytes id(m.begin(), m.end());
    if (!member_ids.empty() && !(member_ids.back() < id)) {  // S7
      return Error(ErrorCode::kNonCanonical, "members not strictly ascending");
    }
    member_ids.push_back(std::move(id));
  }
  if (!r.U64(time) || !r.Raw(kSigSize, sig) || r.remaining() != 0) {  // S4
    return Error(ErrorCode::kMalformed, "state truncated or followed by bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(PublicCard card, PublicCard::ParseJson(AsText(card_json)));  // S8
  if (time > static_cast<uint64_t>(kMaxUnixMillis)) {                                   // S9
    return Error(ErrorCode::kMalformed, "time out of range");
  }
  if (seq == 0 && (epoch != 0 || std::any_of(prev.begin(), prev.end(),
                                             [](uint8_t b) { return b != 0; }))) {  // S10
    return Error(ErrorCode::kMalformed, "a first state with an epoch or a previous hash");
  }
  return MembershipState{Bytes(group_id.begin(), group_id.end()),
                         seq,
                         epoch,
                         Bytes(prev.begin(), prev.end()),
                         Bytes(admin.begin(), admin.end()),
                         std::move(card),
                         std::move(member_ids),
                         static_cast<UnixMillis>(time),
                         Bytes(sig.begin(), sig.end())};
}

Status VerifyMembershipState(const MembershipState& state, const PublicCard& admin) {
  if (!SameId(state.admin_key_id, admin.key_id())) {  // M1
    return Error(ErrorCode::kKeyIdMismatch, "state signed by another admin");
  }
  if (!Ed25519Verify(admin.sign_public_key(), state.SignedBytes(), state.signature).ok()) {  // M2
    return Error(ErrorCode::kSignatureInvalid, "state signature invalid");
  }
  return Status::Ok();
}

Status VerifyMembershipHistory(std::span<const MembershipState> states, const PublicCard& admin) {
  if (states.empty()) return Error(ErrorCode::kInvalidArgument, "no states");
  for (const MembershipState& s : states) MEDSEAL_RETURN_IF_ERROR(VerifyMembershipState(s, admin));
  const MembershipState& first = states.front();
  if (first.seq != 0 || first.epoch != 0 ||
      !SameId(first.previous_hash, Bytes(kStateHashSize, 0))) {  // M3
    return Error(ErrorCode::kMalformed, "history does not start at the first state");
  }
  for (size_t i = 1; i < states.size(); ++i) {
    const MembershipState& prev = states[i - 1];
    const MembershipState& next = states[i];
    if (!SameId(prev.group_id, next.group_id)) {  // T1
      return Error(ErrorCode::kMalformed, "states of different groups");
    }
    if (next.seq != prev.seq + 1 || !SameId(next.previous_hash, StateHash(prev))) {  // T2
      return Error(ErrorCode::kMalformed, "state does not follow the one before");
    }
    bool removed = false;
    for (const Bytes& m : prev.members) removed = removed || !Contains(next.members, m);
    if (removed && next.epoch == prev.epoch) {  // T3
      return Error(ErrorCode::kNotPermitted, "a member removed without a new epoch");
    }
    const bool same_card = SameId(next.group_card.key_id(), prev.group_card.key_id());
    const bool ok_same = next.epoch == prev.epoch && same_card;
    const bool ok_new = next.epoch == prev.epoch + 1 && !same_card &&
                        next.group_card.name() == prev.group_card.name() &&
                        next.group_card.role() == prev.group_card.role();
    if (!ok_same && !ok_new) {  // T4
      return Error(ErrorCode::kMalformed, "epoch and group card do not change together");
    }
  }
  return Status::Ok();
}

Result<MembershipState> Group::NextState(const Identity& admin, bool new_epoch,
                                         Clock& clock) const {
  const MembershipState& prev = states_.back();
  if (!SameId(admin.key_id(), prev.admin_key_id)) {
    return Error(ErrorCode::kNotPermitted, "not this group's admin");
  }
  MembershipState s{group_id_,
                    prev.seq + 1,
                    prev.epoch + (new_epoch ? 1u : 0u),
                    StateHash(prev),
                    admin.key_id(),
                    epochs_.back().card(),
                    {},
                    0,
                    {}};
  for (const PublicCard& m : members_) s.members.push_back(m.key_id());
  s.time = clock.Now();
  if (!IsValidCardTime(s.time)) return Error(ErrorCode::kInvalidArgument, "clock out of range");
  s.signature = admin.Sign(s.SignedBytes());
  return s;
}

Result<EpochKeyWrap> Group::Wrap(const Identity& admin, uint32_t epoch,
                                 std::span<const PublicCard* const> to, Rng& rng,
                                 Clock& clock) const {
  const std::string record_id = EpochRecordId(group_id_, epoch);
  const RecordPayload payload{kEpochKeyContentType, record_id, "",
                              RevealSecret(epochs_[epoch].seed())};
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord record, SealRecord(admin, to, payload, rng, clock));
  return EpochKeyWrap{epoch, std::move(record)};
}

Result<std::pair<Group, GroupUpdate>> Group::Create(const Identity& admin, std::string_view name,
                                                    std::string_view role,
                                                    std::span<const PublicCard> members, Rng& rng,
                                                    Clock& clock) {
  if (members.empty()) return Error(ErrorCode::kInvalidArgument, "a group needs a member");
  if (members.size() > kMaxGroupMembers) return Error(ErrorCode::kTooLarge, "too many members");
  Group g;
  g.members_.assign(members.begin(), members.end());
  std::sort(g.members_.begin(), g.members_.end(),
            [](const PublicCard& a, const PublicCard& b) { return a.key_id() < b.key_id(); });
  for (size_t i = 1; i < g.members_.size(); ++i) {
    if (g.members_[i].key_id() == g.members_[i - 1].key_id()) {
      return Error(ErrorCode::kInvalidArgument, "a member twice");
    }
  }
  g.group_id_.resize(kGroupIdSize);
  rng.Fill(g.group_id_.data(), g.group_id_.size());
  MEDSEAL_ASSIGN_OR_RETURN(Identity first, Identity::Generate(rng, clock, name, role));
  g.epochs_.push_back(std::move(first));
  MembershipState s{
      g.group_id_, 0, 0, Bytes(kStateHashSize, 0), admin.key_id(), g.epochs_.back().card(),
      {},          0, {}};
  for (const PublicCard& m : g.members_) s.members.push_back(m.key_id());
  s.time = clock.Now();
  if (!IsValidCardTime(s.time)) return Error(ErrorCode::kInvalidArgument, "clock out of range");
  s.signature = admin.Sign(s.SignedBytes());
  g.states_.push_back(s);
  std::vector<const PublicCard*> to;
  for (const PublicCard& m : g.members_) to.push_back(&m);
  MEDSEAL_ASSIGN_OR_RETURN(EpochKeyWrap wrap, g.Wrap(admin, 0, to, rng, clock));
  GroupUpdate update{std::move(s), {}};
  update.wraps.push_back(std::move(wrap));
  return std::pair<Group, GroupUpdate>(std::move(g), std::move(update));
}

Result<GroupUpdate> Group::AddMember(const Identity& admin, const PublicCard& member,
                                     bool share_history, Rng& rng, Clock& clock) {
  if (!SameId(admin.key_id(), state().admin_key_id)) {
    return Error(ErrorCode::kNotPermitted, "not this group's admin");
  }
  for (const PublicCard& m : members_) {
    if (SameId(m.key_id(), member.key_id())) {
      return Error(ErrorCode::kInvalidArgument, "already a member");
    }
  }
  if (members_.size() >= kMaxGroupMembers) return Error(ErrorCode::kTooLarge, "group full");
  std::vector<PublicCard> members = members_;
  members.insert(std::upper_bound(members.begin(), members.end(), member,
                                  [](const PublicCard& a, const PublicCard& b) {
                                    return a.key_id() < b.key_id();
                                  }),
                 member);
  std::swap(members, members_);
  Result<MembershipState> next = NextState(admin, false, clock);
  if (!next.ok()) {
    std::swap(members, members_);
    return next.status();
  }
  GroupUpdate update{std::move(next).value(), {}};
  const PublicCard* to[] = {&member};
  const uint32_t current = state().epoch;
  for (uint32_t e = share_history ? 0 : current; e <= current; ++e) {
    Result<EpochKeyWrap> wrap = Wrap(admin, e, to, rng, clock);
    if (!wrap.ok()) {
      std::swap(members, members_);
      return wrap.status();
    }
    update.wraps.push_back(std::move(wrap).value());
  }
  states_.push_back(update.state);
  return update;
}

Result<GroupUpdate> Group::RemoveMember(const Identity& admin, ByteView key_id, Rng& rng,
                                        Clock& clock) {
  if (!SameId(admin.key_id(), state().admin_key_id)) {
    return Error(ErrorCode::kNotPermitted, "not this group's admin");
  }
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const PublicCard& m) { return SameId(m.key_id(), key_id); });
  if (it == members_.end()) return Error(ErrorCode::kNoMatchingRecipient, "not a member");
  if (members_.size() == 1) return Error(ErrorCode::kInvalidArgument, "the last member");
  const PublicCard& card = state().group_card;
  MEDSEAL_ASSIGN_OR_RETURN(Identity next_identity,
                           Identity::Generate(rng, clock, card.name(), card.role()));
  std::vector<PublicCard> remaining;
  for (const PublicCard& m : members_) {
    if (&m != &*it) remaining.push_back(m);
  }
  // Commit on success only: build the new state against the new members
  // and epoch, roll back if anything fails.
  std::swap(remaining, members_);
  epochs_.push_back(std::move(next_identity));
  Result<MembershipState> next = NextState(admin, true, clock);
  std::vector<const PublicCard*> to;
  for (const PublicCard& m : members_) to.push_back(&m);
  Result<EpochKeyWrap> wrap = next.ok() ? Wrap(admin, next->epoch, to, rng, clock)
                                        : Result<EpochKeyWrap>(next.status());
  if (!wrap.ok()) {
    epochs_.pop_back();
    std::swap(remaining, members_);
    return wrap.status();
  }
  GroupUpdate update{std::move(next).value(), {}};
  update.wraps.push_back(std::move(wrap).value());
  states_.push_back(update.state);
  return update;
}

Result<Identity> OpenEpochKey(const EpochKeyWrap& wrap, const Identity& member,
                              const PublicCard& admin, const MembershipState& state) {
  MEDSEAL_RETURN_IF_ERROR(VerifyMembershipState(state, admin));
  if (wrap.epoch != state.epoch) {
    return Error(ErrorCode::kInvalidArgument, "the state is of another epoch");
  }
  MEDSEAL_ASSIGN_OR_RETURN(OpenedPayload opened, OpenRecord(wrap.record, member, admin));
  if (opened.content_type() != kEpochKeyContentType ||
      opened.record_id() != EpochRecordId(state.group_id, state.epoch) ||
      opened.body().size() != kIdentitySeedSize) {
    return Error(ErrorCode::kMalformed, "not this group's epoch key");
  }
  const SecretBytes seed = SecretBytes::CopyFrom(opened.body());
  const PublicCard& card = state.group_card;
  const CardKeys keys = card.version() == kCardVersion2 ? CardKeys::kPostQuantum
                                                        : CardKeys::kClassic;
  MEDSEAL_ASSIGN_OR_RETURN(
      Identity id, Identity::FromSeed(seed, card.name(), card.role(), card.created(), keys));
  if (!SameId(id.key_id(), card.key_id())) {
    return Error(ErrorCode::kKeyIdMismatch, "epoch key does not match the group card");
  }
  return id;
}

}  // namespace medseal::group
