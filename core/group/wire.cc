// SPDX-License-Identifier: Apache-2.0
#include "core/group/wire.h"

#include <string>

#include "core/codec/byte_io.h"

namespace medseal::group {
namespace {

template <typename T, typename Parse>
Result<std::vector<T>> ParseEach(ByteView list, size_t max_items, Parse parse) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<ByteView> items, SplitList(list, max_items));
  std::vector<T> out;
  out.reserve(items.size());
  for (ByteView item : items) {
    MEDSEAL_ASSIGN_OR_RETURN(T parsed, parse(item));
    out.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace

Result<std::vector<ByteView>> SplitList(ByteView list, size_t max_items) {
  ByteReader r(list);
  std::vector<ByteView> out;
  while (r.remaining() != 0) {
    if (out.size() == max_items) return Error(ErrorCode::kTooLarge, "too many list items");
    uint32_t len = 0;
    ByteView item;
    if (!r.U32(len) || !r.Raw(len, item)) return Error(ErrorCode::kMalformed, "list truncated");
    out.push_back(item);
  }
  return out;
}

Bytes JoinList(std::span<const Bytes> items) {
  Bytes out;
  ByteWriter w(out);
  for (const Bytes& b : items) {
    w.U32(static_cast<uint32_t>(b.size()));
    w.Raw(b);
  }
  return out;
}

Result<std::vector<KeyLink>> ParseKeyLinkList(ByteView list) {
  return ParseEach<KeyLink>(list, kMaxChainLinks, ParseKeyLink);
}

Result<std::vector<MembershipState>> ParseMembershipStateList(ByteView list) {
  return ParseEach<MembershipState>(list, kMaxListItems, ParseMembershipState);
}

Result<std::vector<SealedRecord>> ParseRecordList(ByteView list) {
  return ParseEach<SealedRecord>(list, kMaxListItems,
                                 [](ByteView b) { return ParseRecordBinary(b); });
}

Result<KeyChain> VerifyKeyChainList(const PublicCard& root, ByteView links) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<KeyLink> parsed, ParseKeyLinkList(links));
  return KeyChain::Verify(root, parsed);
}

Result<KeyRevocation> VerifyKeyRevocationList(ByteView revocation, const PublicCard& root,
                                              ByteView links) {
  MEDSEAL_ASSIGN_OR_RETURN(KeyRevocation r, ParseKeyRevocation(revocation));
  MEDSEAL_ASSIGN_OR_RETURN(KeyChain chain, VerifyKeyChainList(root, links));
  MEDSEAL_RETURN_IF_ERROR(VerifyKeyRevocation(r, chain));
  return r;
}

Result<std::vector<MembershipState>> VerifyMembershipHistoryList(ByteView states,
                                                                 const PublicCard& admin) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<MembershipState> parsed, ParseMembershipStateList(states));
  MEDSEAL_RETURN_IF_ERROR(VerifyMembershipHistory(parsed, admin));
  return parsed;
}

Bytes ChainKeyIds(const KeyChain& chain) {
  Bytes out;
  for (const PublicCard& c : chain.cards())
    out.insert(out.end(), c.key_id().begin(), c.key_id().end());
  return out;
}

Bytes ChainCards(const KeyChain& chain) {
  std::vector<Bytes> cards;
  for (const PublicCard& c : chain.cards()) cards.push_back(ToBytes(c.ToJson()));
  return JoinList(cards);
}

Bytes MemberKeyIds(const MembershipState& state) {
  Bytes out;
  for (const Bytes& m : state.members) out.insert(out.end(), m.begin(), m.end());
  return out;
}

Bytes EncodeWrapList(std::span<const EpochKeyWrap> wraps) {
  std::vector<Bytes> items;
  for (const EpochKeyWrap& w : wraps) {
    Bytes item;
    ByteWriter(item).U32(w.epoch);
    const Bytes record = EncodeRecordBinary(w.record);
    item.insert(item.end(), record.begin(), record.end());
    items.push_back(std::move(item));
  }
  return JoinList(items);
}

Bytes IndexWords(std::span<const size_t> indices) {
  Bytes out;
  ByteWriter w(out);
  for (size_t i : indices) w.U32(static_cast<uint32_t>(i));
  return out;
}

Result<Bytes> RecordsToResealList(ByteView revoked_key_id, ByteView records) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<SealedRecord> parsed, ParseRecordList(records));
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<size_t> idx, RecordsToReseal(revoked_key_id, parsed));
  return IndexWords(idx);
}

Result<RevocationReason> RevocationReasonFromNumber(uint32_t reason) {
  if (reason > static_cast<uint32_t>(RevocationReason::kCompromised)) {
    return Error(ErrorCode::kInvalidArgument, "reason must be 0 (superseded) or 1 (compromised)");
  }
  return static_cast<RevocationReason>(reason);
}

Result<std::pair<Group, GroupUpdate>> CreateGroup(const Identity& admin, std::string_view name,
                                                  std::string_view role,
                                                  std::span<const PublicCard* const> members,
                                                  Rng& rng, Clock& clock) {
  std::vector<PublicCard> cards;
  for (const PublicCard* c : members) {
    if (c == nullptr) return Error(ErrorCode::kInvalidArgument, "a null member card");
    cards.push_back(*c);
  }
  return Group::Create(admin, name, role, cards, rng, clock);
}

Result<Identity> OpenEpochKeyBytes(ByteView wrap, uint32_t epoch, const Identity& member,
                                   const PublicCard& admin, ByteView state) {
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord record, ParseRecordBinary(wrap));
  MEDSEAL_ASSIGN_OR_RETURN(MembershipState s, ParseMembershipState(state));
  return OpenEpochKey(EpochKeyWrap{epoch, std::move(record)}, member, admin, s);
}

}  // namespace medseal::group
