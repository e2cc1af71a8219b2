// SPDX-License-Identifier: Apache-2.0
// Lists of key links, membership states, sealed records and epoch-key wraps
// as one byte string each, for callers that pass a list as one buffer (the
// npm package's bindings, which may not loop). A list is the concatenation
// of its items, each as u32 length (little-endian) || bytes; the empty list
// is the empty string. docs/spec/group.md §11.
#ifndef MEDSEAL_CORE_GROUP_WIRE_H_
#define MEDSEAL_CORE_GROUP_WIRE_H_

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
#include "core/group/group.h"
#include "core/group/key_chain.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/sealed_record.h"

namespace medseal::group {

// The most items one list may hold (records: a re-seal scan of one batch).
inline constexpr size_t kMaxListItems = 10000;

// Splits a list: kMalformed for a truncated length or item, kTooLarge for
// more than `max_items` items.
Result<std::vector<ByteView>> SplitList(ByteView list, size_t max_items);
// The list of `items`.
Bytes JoinList(std::span<const Bytes> items);

// Parses every item with ParseKeyLink / ParseMembershipState /
// ParseRecordBinary (their codes; the first failing item decides).
Result<std::vector<KeyLink>> ParseKeyLinkList(ByteView list);
Result<std::vector<MembershipState>> ParseMembershipStateList(ByteView list);
Result<std::vector<SealedRecord>> ParseRecordList(ByteView list);

// KeyChain::Verify over a list of encoded links.
Result<KeyChain> VerifyKeyChainList(const PublicCard& root, ByteView links);
// ParseKeyRevocation, then VerifyKeyRevocation against the chain of `root`
// and `links`.
Result<KeyRevocation> VerifyKeyRevocationList(ByteView revocation, const PublicCard& root,
                                              ByteView links);
// Parses every state, then VerifyMembershipHistory.
Result<std::vector<MembershipState>> VerifyMembershipHistoryList(ByteView states,
                                                                 const PublicCard& admin);
// The chain's key ids, concatenated (16 bytes each).
Bytes ChainKeyIds(const KeyChain& chain);
// The cards of a chain as a list of card JSON texts.
Bytes ChainCards(const KeyChain& chain);
// A state's member key ids, concatenated.
Bytes MemberKeyIds(const MembershipState& state);
// An update's wraps: a list of items u32 epoch || record binary.
Bytes EncodeWrapList(std::span<const EpochKeyWrap> wraps);
// Indices as u32 little-endian words.
Bytes IndexWords(std::span<const size_t> indices);
// RecordsToReseal over a list of binary records, as IndexWords.
Result<Bytes> RecordsToResealList(ByteView revoked_key_id, ByteView records);

// A revocation reason given as a number (kInvalidArgument unless 0 or 1).
Result<RevocationReason> RevocationReasonFromNumber(uint32_t reason);

// Group::Create with the members given by pointer (null: kInvalidArgument).
Result<std::pair<Group, GroupUpdate>> CreateGroup(const Identity& admin, std::string_view name,
                                                  std::string_view role,
                                                  std::span<const PublicCard* const> members,
                                                  Rng& rng, Clock& clock);

// OpenEpochKey on encoded inputs: `wrap` a binary sealed record of epoch
// `epoch`, `state` an encoded membership state (ParseRecordBinary's and
// ParseMembershipState's codes first).
Result<Identity> OpenEpochKeyBytes(ByteView wrap, uint32_t epoch, const Identity& member,
                                   const PublicCard& admin, ByteView state);

}  // namespace medseal::group

#endif  // MEDSEAL_CORE_GROUP_WIRE_H_
