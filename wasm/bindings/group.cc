// SPDX-License-Identifier: Apache-2.0
// Key chains, revocations and care-team groups (core/group/; spec
// docs/spec/group.md; wasm/package/src/group.ts is the caller). Lists of
// links, states, records and wraps cross as one region each in
// core/group/wire.h's list form (u32 length || bytes, repeated); key ids as
// 16-byte runs. Groups hold every epoch's group secret: they live in this
// file's handle table and leave wasm memory only as sealed wraps. An opened
// epoch key becomes an Identity handle.
#include "core/group/group.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/group/key_chain.h"
#include "core/group/wire.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

using group::Group;
using group::GroupUpdate;
using group::KeyChain;
using group::KeyLink;
using group::KeyRevocation;
using group::MembershipState;

HandleTable<Group>& Groups() {
  static HandleTable<Group> table;
  return table;
}

// An update: slot 0 = the new state, 1 = its wraps (list of u32 epoch ||
// record), 2 = the current group card JSON.
int PublishUpdate(Output& out, const GroupUpdate& update, const Group& g) {
  out.Set(kSlot0, group::EncodeMembershipState(update.state));
  out.Set(kSlot1, group::EncodeWrapList(update.wraps));
  out.Set(kSlot2, g.identity().card().ToJson());
  return Ok();
}

// 0 link. Slot 0 = previous key id, 1 = next card JSON, 2 = signature;
// millis = issued.
int GroupParseKeyLink(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyLink link, group::ParseKeyLink(args.Bytes(0)));
  out.Set(kSlot0, std::move(link.previous_key_id));
  out.Set(kSlot1, link.next_card.ToJson());
  out.Set(kSlot2, std::move(link.signature));
  out.SetMillis(link.issued);
  return Ok();
}

// 0 link, 1 previous card (u32).
int GroupVerifyKeyLink(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* prev, Cards().Get(args.U32(1), "previous"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyLink link, group::ParseKeyLink(args.Bytes(0)));
  return out.Finish(group::VerifyKeyLink(link, *prev));
}

// 0 current identity, 1 next card (u32), 2 now (f64). Slot 0 = the link.
int GroupIssueKeyLink(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* current,
                              Identities().Get(args.U32(0), "current"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* next, Cards().Get(args.U32(1), "nextCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(2, "now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyLink link, group::IssueKeyLink(*current, *next, clock));
  out.Set(kSlot0, group::EncodeKeyLink(link));
  return Ok();
}

// 0 root card (u32), 1 links (list). Slot 0 = key ids, 1 = cards (list of
// JSON texts).
int GroupVerifyKeyChain(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* root, Cards().Get(args.U32(0), "root"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyChain chain, group::VerifyKeyChainList(*root, args.Bytes(1)));
  out.Set(kSlot0, group::ChainKeyIds(chain));
  out.Set(kSlot1, group::ChainCards(chain));
  return Ok();
}

// 0 revocation. Slot 0 = revoked key id, 1 = signer key id, 2 = signature;
// millis = revoked, num = reason.
int GroupParseKeyRevocation(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyRevocation r, group::ParseKeyRevocation(args.Bytes(0)));
  out.Set(kSlot0, std::move(r.revoked_key_id));
  out.Set(kSlot1, std::move(r.signer_key_id));
  out.Set(kSlot2, std::move(r.signature));
  out.SetMillis(r.revoked);
  out.SetNum(static_cast<double>(r.reason));
  return Ok();
}

// 0 revocation, 1 root card (u32), 2 links (list).
int GroupVerifyKeyRevocation(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* root, Cards().Get(args.U32(1), "root"));
  return out.Finish(group::VerifyKeyRevocationList(args.Bytes(0), *root, args.Bytes(2)).status());
}

// 0 signer identity (u32), 1 revoked key id, 2 reason (u32), 3 now (f64).
// Slot 0 = the revocation.
int GroupIssueKeyRevocation(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* signer, Identities().Get(args.U32(0), "signer"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, group::RevocationReason reason,
                              group::RevocationReasonFromNumber(args.U32(2)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeyRevocation r,
                              group::IssueKeyRevocation(*signer, args.Bytes(1), reason, clock));
  out.Set(kSlot0, group::EncodeKeyRevocation(r));
  return Ok();
}

// 0 state. Slot 0 = group id, 1 = previous hash, 2 = admin key id, 3 =
// group card JSON, 4 = member key ids, 5 = words {seq, epoch}; millis =
// time.
int GroupParseState(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, MembershipState s, group::ParseMembershipState(args.Bytes(0)));
  out.Set(kSlot4, group::MemberKeyIds(s));
  out.Set(kSlot5, WordBytes({s.seq, s.epoch}));
  out.Set(kSlot3, s.group_card.ToJson());
  out.Set(kSlot0, std::move(s.group_id));
  out.Set(kSlot1, std::move(s.previous_hash));
  out.Set(kSlot2, std::move(s.admin_key_id));
  out.SetMillis(s.time);
  return Ok();
}

// 0 state. Slot 0 = StateHash, 1 = the signed bytes.
int GroupStateHash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, MembershipState s, group::ParseMembershipState(args.Bytes(0)));
  out.Set(kSlot0, group::StateHash(s));
  out.Set(kSlot1, s.SignedBytes());
  return Ok();
}

// 0 state, 1 admin card (u32).
int GroupVerifyState(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* admin, Cards().Get(args.U32(1), "admin"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, MembershipState s, group::ParseMembershipState(args.Bytes(0)));
  return out.Finish(group::VerifyMembershipState(s, *admin));
}

// 0 states (list), 1 admin card (u32).
int GroupVerifyHistory(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* admin, Cards().Get(args.U32(1), "admin"));
  return out.Finish(group::VerifyMembershipHistoryList(args.Bytes(0), *admin).status());
}

// 0 wrap (binary record), 1 epoch (u32), 2 member identity (u32), 3 admin
// card (u32), 4 state. A new identity: num = handle, slot 0 = card JSON,
// 1 = key id.
int GroupOpenEpochKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* member, Identities().Get(args.U32(2), "member"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* admin, Cards().Get(args.U32(3), "admin"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, Identity opened,
      group::OpenEpochKeyBytes(args.Bytes(0), args.U32(1), *member, *admin, args.Bytes(4)));
  auto owned = std::make_unique<Identity>(std::move(opened));
  const Identity& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Identities().Add(std::move(owned), "identity"));
  out.SetNum(handle);
  out.Set(kSlot0, kept.card().ToJson());
  out.SetView(kSlot1, kept.key_id());
  return Ok();
}

// 0 revoked key id, 1 records (list of binary records). Slot 0 = indices
// (u32 words).
int GroupRecordsToReseal(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(kSlot0, group::RecordsToResealList(args.Bytes(0), args.Bytes(1)));
}

// 0 admin identity (u32), 1 name, 2 role, 3 member cards (u32 words), 4
// now (f64). num = the group's handle; slots as PublishUpdate.
int GroupCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* admin, Identities().Get(args.U32(0), "admin"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> members,
                              Cards().GetEach(args.Words(3), "members"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(4, "now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, auto created,
      group::CreateGroup(*admin, args.Text(1), args.Text(2), members, SystemRng(), clock));
  auto owned = std::make_unique<Group>(std::move(created.first));
  const Group& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Groups().Add(std::move(owned), "group"));
  out.SetNum(handle);
  return PublishUpdate(out, created.second, kept);
}

// 0 group (u32), 1 admin (u32), 2 member card (u32), 3 share history (u32
// 0/1), 4 now (f64). Slots as PublishUpdate.
int GroupAddMember(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Group * g, Groups().Get(args.U32(0), "group"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* admin, Identities().Get(args.U32(1), "admin"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* member, Cards().Get(args.U32(2), "member"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(4, "now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, GroupUpdate update,
                              g->AddMember(*admin, *member, args.U32(3) != 0, SystemRng(), clock));
  return PublishUpdate(out, update, *g);
}

// 0 group (u32), 1 admin (u32), 2 member key id, 3 now (f64). Slots as
// PublishUpdate.
int GroupRemoveMember(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Group * g, Groups().Get(args.U32(0), "group"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* admin, Identities().Get(args.U32(1), "admin"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "now"));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, GroupUpdate update,
                              g->RemoveMember(*admin, args.Bytes(2), SystemRng(), clock));
  return PublishUpdate(out, update, *g);
}

// 0 group (u32).
int GroupFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Groups().Remove(args.U32(0), "group"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_group) {
  using namespace medseal::wasm;
  emscripten::function("_groupParseKeyLink", &GroupParseKeyLink);
  emscripten::function("_groupVerifyKeyLink", &GroupVerifyKeyLink);
  emscripten::function("_groupIssueKeyLink", &GroupIssueKeyLink);
  emscripten::function("_groupVerifyKeyChain", &GroupVerifyKeyChain);
  emscripten::function("_groupParseKeyRevocation", &GroupParseKeyRevocation);
  emscripten::function("_groupVerifyKeyRevocation", &GroupVerifyKeyRevocation);
  emscripten::function("_groupIssueKeyRevocation", &GroupIssueKeyRevocation);
  emscripten::function("_groupParseState", &GroupParseState);
  emscripten::function("_groupStateHash", &GroupStateHash);
  emscripten::function("_groupVerifyState", &GroupVerifyState);
  emscripten::function("_groupVerifyHistory", &GroupVerifyHistory);
  emscripten::function("_groupOpenEpochKey", &GroupOpenEpochKey);
  emscripten::function("_groupRecordsToReseal", &GroupRecordsToReseal);
  emscripten::function("_groupCreate", &GroupCreate);
  emscripten::function("_groupAddMember", &GroupAddMember);
  emscripten::function("_groupRemoveMember", &GroupRemoveMember);
  emscripten::function("_groupFree", &GroupFree);
}
