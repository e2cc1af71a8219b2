// SPDX-License-Identifier: Apache-2.0
// group/group_v1.json (docs/spec/group.md): see group_vectors.h.
// Identities come from fixed seeds; the nurses' group from a fixed ChaCha20
// RNG seed: created with Alice and Bob (state 0, epoch 0), Carol added
// without history (state 1), Bob removed (state 2, epoch 1), Dave added with
// history (state 3). A second group, the ward's doctors, is there for the
// role X / role Y cases. Then one failure per rule of the spec, each with
// its code by NAME and its rule id. Invalid inputs that must carry a valid
// signature (a removal without a new epoch, a link to the same key...) are
// re-signed here with the right key.
#include "native-tests/vectors/generate/group_vectors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/group/group.h"
#include "core/group/key_chain.h"
#include "core/record/record.h"

namespace medseal::testing {
namespace {

using group::EpochKeyWrap;
using group::GroupUpdate;
using group::KeyLink;
using group::KeyRevocation;
using group::MembershipState;
using nlohmann::ordered_json;

constexpr UnixMillis kT0 = 1700000000000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (group): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

struct Person {
  Bytes seed;
  Identity id;
};

class People {
 public:
  void Add(const std::string& key, uint8_t fill, const char* name, const char* role,
           UnixMillis created) {
    Bytes seed(32, fill);
    Identity id = Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, created),
                       "identity");
    json_[key] = {{"seed", HexEncode(seed)},
                  {"name", name},
                  {"role", role},
                  {"created", created},
                  {"keyId", HexEncode(id.key_id())},
                  {"card", id.card().ToJson()}};
    people_.emplace(key, Person{std::move(seed), std::move(id)});
  }
  const Identity& operator[](const std::string& key) const { return people_.at(key).id; }
  const ordered_json& json() const { return json_; }

 private:
  std::map<std::string, Person> people_;
  ordered_json json_ = ordered_json::object();
};

struct Cases {
  ordered_json tests = ordered_json::array();
  int next = 1;
  ordered_json& Add(const std::string& kind, const std::string& comment, const std::string& error,
                    const std::string& rule) {
    ordered_json t{{"tcId", next++}, {"kind", kind}, {"comment", comment}};
    if (error.empty()) {
      t["result"] = "valid";
    } else {
      t["result"] = "invalid";
      t["error"] = error;
      t["rule"] = rule;
    }
    tests.push_back(std::move(t));
    return tests.back();
  }
};

void PutU32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
void PutU64(Bytes& b, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
Bytes Head(const Bytes& b, size_t n) { return Bytes(b.begin(), b.begin() + n); }
Bytes Plus(Bytes b, uint8_t extra) {
  b.push_back(extra);
  return b;
}
Bytes Flip(Bytes b, size_t at) {
  b[at] ^= 0x01;
  return b;
}

ordered_json HexList(const std::vector<Bytes>& items) {
  ordered_json a = ordered_json::array();
  for (const Bytes& b : items) a.push_back(HexEncode(b));
  return a;
}

std::string Wrap(const EpochKeyWrap& w) { return HexEncode(EncodeRecordBinary(w.record)); }

MembershipState Resign(MembershipState s, const Identity& admin) {
  s.signature = admin.Sign(s.SignedBytes());
  return s;
}

KeyLink ResignLink(KeyLink l, const Identity& prev) {
  l.signature = prev.Sign(l.SignedBytes(prev.card()));
  return l;
}

// The offset of a link's `issued` field: 4 + 1 + 16 + 4 + card.
size_t LinkIssuedAt(const KeyLink& l) { return 25 + l.next_card.ToJson().size(); }
// The offset of a state's member count: 81 + card.
size_t StateCountAt(const MembershipState& s) { return 81 + s.group_card.ToJson().size(); }

}  // namespace

void GenerateGroupVectors(const std::string& dir) {
  People p;
  p.Add("admin", 0x11, "Ward admin", "admin", kT0);
  p.Add("alice", 0x12, "Alice", "nurse", kT0);
  p.Add("bob", 0x13, "Bob", "nurse", kT0);
  p.Add("carol", 0x14, "Carol", "nurse", kT0);
  p.Add("dave", 0x15, "Dave", "nurse", kT0);
  p.Add("dana", 0x16, "Dana", "doctor", kT0);
  p.Add("patient0", 0x21, "Patient P", "patient", kT0);
  p.Add("patient1", 0x22, "Patient P", "patient", kT0 + 1000);
  p.Add("patient2", 0x23, "Patient P", "patient", kT0 + 2000);
  p.Add("outsider", 0x31, "Outsider O", "clinician", kT0);
  const Identity& admin = p["admin"];
  const Identity& k0 = p["patient0"];
  const Identity& k1 = p["patient1"];
  const Identity& k2 = p["patient2"];
  const Identity& outsider = p["outsider"];

  FixedClock clock(kT0 + 10000);
  ChaChaRng rng(Bytes(32, 0x77));
  Cases c;

  // ---- key chain links (spec §2) ----
  const KeyLink l01 = Must(group::IssueKeyLink(k0, k1.card(), clock), "link 0-1");
  clock.Set(kT0 + 11000);
  const KeyLink l12 = Must(group::IssueKeyLink(k1, k2.card(), clock), "link 1-2");
  const Bytes b01 = group::EncodeKeyLink(l01), b12 = group::EncodeKeyLink(l12);
  auto link = [&](const std::string& comment, const Bytes& bytes, const std::string& previous,
                  const std::string& error, const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("keyLink", comment, error, rule);
    t["link"] = HexEncode(bytes);
    t["previous"] = previous;
    return t;
  };
  for (const auto& [l, b, prev] :
       {std::tuple{&l01, &b01, "patient0"}, std::tuple{&l12, &b12, "patient1"}}) {
    ordered_json& t = link(std::string("key ") + prev + " -> its next key", *b, prev, "", "");
    t["previousKeyId"] = HexEncode(l->previous_key_id);
    t["nextCard"] = l->next_card.ToJson();
    t["issued"] = l->issued;
    t["signedBytes"] = HexEncode(l->SignedBytes(p[prev].card()));
    t["signature"] = HexEncode(l->signature);
  }
  {
    Bytes big = b01;
    big.resize(group::kMaxLinkBytes + 1, 0);
    link("4190 bytes", big, "patient0", "TOO_LARGE", "K1");
  }
  link("3 bytes", Head(b01, 3), "patient0", "MALFORMED", "K2");
  {
    Bytes m = b01;
    m[3] = 'X';
    link("magic MSKX", m, "patient0", "MALFORMED", "K2");
  }
  {
    Bytes m = b01;
    m[4] = 2;
    link("version 2", m, "patient0", "UNSUPPORTED_VERSION", "K3");
  }
  link("truncated in the previous key id", Head(b01, 15), "patient0", "MALFORMED", "K4");
  {
    Bytes m = b01;
    PutU32(m, 21, 4097);
    link("card_len 4097", m, "patient0", "TOO_LARGE", "K5");
  }
  link("last byte missing", Head(b01, b01.size() - 1), "patient0", "MALFORMED", "K4");
  link("one byte after the signature", Plus(b01, 0), "patient0", "MALFORMED", "K4");
  {
    Bytes m = b01;
    const std::string card = l01.next_card.ToJson();
    const size_t at = 25 + card.find("Patient P");
    m[at] = 'Q';  // the card's name changed: its self-signature breaks
    link("the next card's name changed", m, "patient0", "SIGNATURE_INVALID", "K6");
  }
  {
    Bytes m = b01;
    PutU64(m, LinkIssuedAt(l01), uint64_t{1} << 53);
    link("issued 2^53", m, "patient0", "MALFORMED", "K7");
  }
  link("verified against another previous card", b12, "patient0", "KEY_ID_MISMATCH", "L1");
  {
    KeyLink self = l01;
    self.previous_key_id = k1.key_id();
    self = ResignLink(std::move(self), k1);
    link("a link from key 1 to key 1 itself", group::EncodeKeyLink(self), "patient1", "MALFORMED",
         "L2");
  }
  {
    KeyLink early = l12;
    early.issued = kT0 + 999;  // before key 1's card was created
    early = ResignLink(std::move(early), k1);
    link("issued before the previous card was created", group::EncodeKeyLink(early), "patient1",
         "MALFORMED", "L2");
  }
  link("signature modified", Flip(b01, b01.size() - 10), "patient0", "SIGNATURE_INVALID", "L3");
  {
    KeyLink forged = l01;
    forged.signature = outsider.Sign(l01.SignedBytes(k0.card()));
    link("signed by another key", group::EncodeKeyLink(forged), "patient0", "SIGNATURE_INVALID",
         "L3");
  }

  // ---- chains (spec §2.4) ----
  auto chain = [&](const std::string& comment, const std::string& root,
                   const std::vector<Bytes>& links, const std::string& error,
                   const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("chain", comment, error, rule);
    t["root"] = root;
    t["links"] = HexList(links);
    return t;
  };
  chain("patient0 -> patient1 -> patient2", "patient0", {b01, b12}, "", "")["keyIds"] = {
      HexEncode(k0.key_id()), HexEncode(k1.key_id()), HexEncode(k2.key_id())};
  chain("the root alone", "patient0", {}, "", "")["keyIds"] = {HexEncode(k0.key_id())};
  chain("links out of order", "patient0", {b12, b01}, "KEY_ID_MISMATCH", "L1");
  {
    const KeyLink back = Must(group::IssueKeyLink(k2, k0.card(), clock), "link 2-0");
    chain("a key twice (patient2 -> patient0)", "patient0", {b01, b12, group::EncodeKeyLink(back)},
          "MALFORMED", "C2");
  }

  // ---- revocations (spec §3) ----
  clock.Set(kT0 + 12000);
  const KeyRevocation self_rev = Must(
      group::IssueKeyRevocation(k0, k0.key_id(), group::RevocationReason::kSuperseded, clock),
      "self revocation");
  const KeyRevocation next_rev = Must(
      group::IssueKeyRevocation(k1, k0.key_id(), group::RevocationReason::kCompromised, clock),
      "successor revocation");
  const Bytes rs = group::EncodeKeyRevocation(self_rev), rn = group::EncodeKeyRevocation(next_rev);
  auto rev = [&](const std::string& comment, const Bytes& bytes, const std::string& error,
                 const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("revocation", comment, error, rule);
    t["revocation"] = HexEncode(bytes);
    t["root"] = "patient0";
    t["links"] = HexList({b01, b12});
    return t;
  };
  for (const auto& [r, b, comment] :
       {std::tuple{&self_rev, &rs, "key 0 revokes itself (superseded)"},
        std::tuple{&next_rev, &rn, "key 1 revokes key 0 (compromised)"}}) {
    ordered_json& t = rev(comment, *b, "", "");
    t["revokedKeyId"] = HexEncode(r->revoked_key_id);
    t["signerKeyId"] = HexEncode(r->signer_key_id);
    t["revoked"] = r->revoked;
    t["reason"] = static_cast<int>(r->reason);
    t["signedBytes"] = HexEncode(r->SignedBytes());
  }
  rev("111 bytes", Plus(rn, 0), "TOO_LARGE", "R1");
  rev("4 bytes", Head(rn, 4), "MALFORMED", "R2");
  {
    Bytes m = rn;
    m[0] = 'X';
    rev("magic XSKR", m, "MALFORMED", "R2");
  }
  {
    Bytes m = rn;
    m[4] = 0;
    rev("version 0", m, "UNSUPPORTED_VERSION", "R3");
  }
  rev("109 bytes", Head(rn, rn.size() - 1), "MALFORMED", "R4");
  {
    Bytes m = rn;
    PutU64(m, 37, uint64_t{1} << 53);
    rev("revoked at 2^53", m, "MALFORMED", "R5");
  }
  {
    Bytes m = rn;
    m[45] = 2;
    rev("reason 2 (reserved)", m, "UNSUPPORTED_VERSION", "R6");
  }
  rev("a key that is not in the chain",
      group::EncodeKeyRevocation(
          Must(group::IssueKeyRevocation(outsider, outsider.key_id(),
                                         group::RevocationReason::kCompromised, clock),
               "outsider")),
      "NO_MATCHING_RECIPIENT", "V1");
  rev("key 0 revokes key 1 (an older key never revokes a newer one)",
      group::EncodeKeyRevocation(Must(
          group::IssueKeyRevocation(k0, k1.key_id(), group::RevocationReason::kCompromised, clock),
          "0 revokes 1")),
      "NOT_PERMITTED", "V2");
  rev("key 2 revokes key 0 (not its successor)",
      group::EncodeKeyRevocation(Must(
          group::IssueKeyRevocation(k2, k0.key_id(), group::RevocationReason::kCompromised, clock),
          "2 revokes 0")),
      "NOT_PERMITTED", "V2");
  rev("signature modified", Flip(rn, rn.size() - 1), "SIGNATURE_INVALID", "V3");

  // ---- the nurses' group (spec §5-§8) ----
  clock.Set(kT0 + 20000);
  const PublicCard first_members[] = {p["alice"].card(), p["bob"].card()};
  auto created = Must(
      group::Group::Create(admin, "Cardiology ward", "nurse", first_members, rng, clock), "create");
  group::Group nurses = std::move(created.first);
  const GroupUpdate up0 = std::move(created.second);
  const Bytes seed0 = Bytes(RevealSecret(nurses.identity().seed()).begin(),
                            RevealSecret(nurses.identity().seed()).end());
  const std::string card0 = nurses.identity().card().ToJson();
  clock.Set(kT0 + 21000);
  const GroupUpdate up1 = Must(nurses.AddMember(admin, p["carol"].card(), false, rng, clock),
                               "add carol");
  clock.Set(kT0 + 22000);
  const GroupUpdate up2 = Must(nurses.RemoveMember(admin, p["bob"].key_id(), rng, clock), "rm bob");
  const Bytes seed1 = Bytes(RevealSecret(nurses.identity().seed()).begin(),
                            RevealSecret(nurses.identity().seed()).end());
  const std::string card1 = nurses.identity().card().ToJson();
  clock.Set(kT0 + 23000);
  const GroupUpdate up3 = Must(nurses.AddMember(admin, p["dave"].card(), true, rng, clock), "dave");
  if (up3.wraps.size() != 2) Die("dave's history wraps");
  const std::vector<const GroupUpdate*> ups = {&up0, &up1, &up2, &up3};
  std::vector<Bytes> states;
  for (const GroupUpdate* u : ups) states.push_back(group::EncodeMembershipState(u->state));

  clock.Set(kT0 + 24000);
  const PublicCard doctor_members[] = {p["dana"].card()};
  auto doctors = Must(
      group::Group::Create(admin, "Cardiology ward", "doctor", doctor_members, rng, clock), "docs");
  const GroupUpdate& dup0 = doctors.second;

  // ---- membership states (spec §5) ----
  auto state = [&](const std::string& comment, const Bytes& bytes, const std::string& adm,
                   const std::string& error, const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("state", comment, error, rule);
    t["state"] = HexEncode(bytes);
    t["admin"] = adm;
    return t;
  };
  const char* state_names[] = {"created with Alice and Bob", "Carol added (no history)",
                               "Bob removed: epoch 1", "Dave added with history"};
  for (size_t i = 0; i < ups.size(); ++i) {
    const MembershipState& s = ups[i]->state;
    ordered_json& t = state(
        std::string("nurses state ") + std::to_string(i) + ": " + state_names[i], states[i],
        "admin", "", "");
    t["groupId"] = HexEncode(s.group_id);
    t["seq"] = s.seq;
    t["epoch"] = s.epoch;
    t["previousHash"] = HexEncode(s.previous_hash);
    t["adminKeyId"] = HexEncode(s.admin_key_id);
    t["groupCard"] = s.group_card.ToJson();
    t["members"] = HexList(s.members);
    t["time"] = s.time;
    t["signedBytes"] = HexEncode(s.SignedBytes());
    t["stateHash"] = HexEncode(group::StateHash(s));
  }
  const Bytes& s0 = states[0];
  const MembershipState& st0 = up0.state;
  const size_t count_at = StateCountAt(st0);
  {
    Bytes big = s0;
    big.resize(group::kMaxStateBytes + 1, 0);
    state("5336 bytes", big, "admin", "TOO_LARGE", "S1");
  }
  state("4 bytes", Head(s0, 4), "admin", "MALFORMED", "S2");
  {
    Bytes m = s0;
    m[0] = 'N';
    state("magic NSGS", m, "admin", "MALFORMED", "S2");
  }
  {
    Bytes m = s0;
    m[4] = 2;
    state("version 2", m, "admin", "UNSUPPORTED_VERSION", "S3");
  }
  state("truncated in the previous hash", Head(s0, 50), "admin", "MALFORMED", "S4");
  {
    Bytes m = s0;
    PutU32(m, 77, 4097);
    state("card_len 4097", m, "admin", "TOO_LARGE", "S5");
  }
  {
    Bytes m = s0;
    m[count_at] = 0;
    m[count_at + 1] = 0;
    state("no members", m, "admin", "MALFORMED", "S6");
  }
  {
    Bytes m = s0;
    m[count_at] = 65;
    m[count_at + 1] = 0;
    state("65 members", m, "admin", "TOO_LARGE", "S6");
  }
  state("truncated in the members", Head(s0, count_at + 2 + 20), "admin", "MALFORMED", "S4");
  {
    MembershipState swapped = st0;
    std::swap(swapped.members[0], swapped.members[1]);
    state("members in descending order (re-signed)",
          group::EncodeMembershipState(Resign(swapped, admin)), "admin", "NON_CANONICAL", "S7");
    MembershipState twice = st0;
    twice.members[1] = twice.members[0];
    state("a member twice (re-signed)", group::EncodeMembershipState(Resign(twice, admin)), "admin",
          "NON_CANONICAL", "S7");
  }
  state("last byte missing", Head(s0, s0.size() - 1), "admin", "MALFORMED", "S4");
  state("one byte after the signature", Plus(s0, 0), "admin", "MALFORMED", "S4");
  {
    Bytes m = s0;
    const size_t at = 81 + st0.group_card.ToJson().find("Cardiology");
    m[at] = 'K';
    state("the group card's name changed", m, "admin", "SIGNATURE_INVALID", "S8");
  }
  {
    Bytes m = s0;
    PutU64(m, count_at + 2 + 16 * st0.members.size(), uint64_t{1} << 53);
    state("time 2^53", m, "admin", "MALFORMED", "S9");
  }
  {
    MembershipState e = st0;
    e.epoch = 1;
    state("seq 0 with epoch 1 (re-signed)", group::EncodeMembershipState(Resign(e, admin)), "admin",
          "MALFORMED", "S10");
    MembershipState h = st0;
    h.previous_hash[31] = 1;
    state("seq 0 with a previous hash (re-signed)", group::EncodeMembershipState(Resign(h, admin)),
          "admin", "MALFORMED", "S10");
  }
  state("verified against another admin card", s0, "outsider", "KEY_ID_MISMATCH", "M1");
  state("signature modified", Flip(s0, s0.size() - 5), "admin", "SIGNATURE_INVALID", "M2");
  {
    MembershipState m = st0;
    m.time += 1;  // the signature no longer covers the bytes
    state("time changed after signing", group::EncodeMembershipState(m), "admin",
          "SIGNATURE_INVALID", "M2");
  }

  // ---- histories (spec §6) ----
  auto history = [&](const std::string& comment, const std::vector<Bytes>& list,
                     const std::string& error, const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("history", comment, error, rule);
    t["states"] = HexList(list);
    t["admin"] = "admin";
    return t;
  };
  history("the nurses' four states", states, "", "");
  history("the first state alone", {s0}, "", "");
  history("no states", {}, "INVALID_ARGUMENT", "H1");
  history("starts at state 1", {states[1], states[2]}, "MALFORMED", "M3");
  history("state 1 forged", {s0, Flip(states[1], states[1].size() - 1), states[2]},
          "SIGNATURE_INVALID", "M2");
  {
    MembershipState other = up1.state;
    other.group_id[0] ^= 0xff;
    history("state 1 of another group (re-signed)",
            {s0, group::EncodeMembershipState(Resign(other, admin))}, "MALFORMED", "T1");
  }
  history("state 1 left out", {s0, states[2]}, "MALFORMED", "T2");
  {
    MembershipState hash = up1.state;
    hash.previous_hash[0] ^= 1;
    history("state 1 with another previous hash (re-signed)",
            {s0, group::EncodeMembershipState(Resign(hash, admin))}, "MALFORMED", "T2");
  }
  {
    // Bob removed in the same epoch, with the same group card.
    MembershipState silent = up2.state;
    silent.epoch = up1.state.epoch;
    silent.group_card = up1.state.group_card;
    history("Bob removed without a new epoch (re-signed)",
            {s0, states[1], group::EncodeMembershipState(Resign(silent, admin))}, "NOT_PERMITTED",
            "T3");
    MembershipState same_card = up2.state;
    same_card.group_card = up1.state.group_card;
    history("epoch 1 with epoch 0's group card (re-signed)",
            {s0, states[1], group::EncodeMembershipState(Resign(same_card, admin))}, "MALFORMED",
            "T4");
    MembershipState other_role = up2.state;
    other_role.group_card = dup0.state.group_card;
    history("epoch 1 with the doctors' card (another role; re-signed)",
            {s0, states[1], group::EncodeMembershipState(Resign(other_role, admin))}, "MALFORMED",
            "T4");
    MembershipState new_card = up1.state;
    new_card.group_card = up2.state.group_card;
    history("a new group card without a new epoch (re-signed)",
            {s0, group::EncodeMembershipState(Resign(new_card, admin))}, "MALFORMED", "T4");
    MembershipState skip = up2.state;
    skip.epoch = 2;
    history("epoch 0 -> 2 (re-signed)",
            {s0, states[1], group::EncodeMembershipState(Resign(skip, admin))}, "MALFORMED", "T4");
  }

  // ---- epoch keys (spec §7) ----
  auto epoch_key = [&](const std::string& comment, const std::string& wrap, uint32_t epoch,
                       const std::string& member, const Bytes& st, const std::string& adm,
                       const std::string& error, const std::string& rule) -> ordered_json& {
    ordered_json& t = c.Add("epochKey", comment, error, rule);
    t["wrap"] = wrap;
    t["epoch"] = epoch;
    t["member"] = member;
    t["state"] = HexEncode(st);
    t["admin"] = adm;
    return t;
  };
  auto valid_key = [&](ordered_json& t, const Bytes& seed, const std::string& card) {
    t["groupSeed"] = HexEncode(seed);
    t["groupCard"] = card;
  };
  valid_key(epoch_key("Alice opens epoch 0", Wrap(up0.wraps[0]), 0, "alice", s0, "admin", "", ""),
            seed0, card0);
  valid_key(epoch_key("Bob opens epoch 0", Wrap(up0.wraps[0]), 0, "bob", s0, "admin", "", ""),
            seed0, card0);
  valid_key(epoch_key("Carol opens epoch 0 from her own wrap, checked against state 1",
                      Wrap(up1.wraps[0]), 0, "carol", states[1], "admin", "", ""),
            seed0, card0);
  valid_key(
      epoch_key("Alice opens epoch 1", Wrap(up2.wraps[0]), 1, "alice", states[2], "admin", "", ""),
      seed1, card1);
  valid_key(
      epoch_key("Carol opens epoch 1", Wrap(up2.wraps[0]), 1, "carol", states[2], "admin", "", ""),
      seed1, card1);
  valid_key(epoch_key("Dave opens epoch 0 (history given)", Wrap(up3.wraps[0]), 0, "dave", s0,
                      "admin", "", ""),
            seed0, card0);
  valid_key(
      epoch_key("Dave opens epoch 1", Wrap(up3.wraps[1]), 1, "dave", states[3], "admin", "", ""),
      seed1, card1);
  epoch_key("state forged", Wrap(up0.wraps[0]), 0, "alice", Flip(s0, s0.size() - 1), "admin",
            "SIGNATURE_INVALID", "W1");
  epoch_key("state checked against another admin", Wrap(up0.wraps[0]), 0, "alice", s0, "outsider",
            "KEY_ID_MISMATCH", "W1");
  epoch_key("the epoch 1 wrap with an epoch 0 state", Wrap(up2.wraps[0]), 1, "alice", s0, "admin",
            "INVALID_ARGUMENT", "W2");
  epoch_key("Bob (removed) and the epoch 1 wrap", Wrap(up2.wraps[0]), 1, "bob", states[2], "admin",
            "NO_MATCHING_RECIPIENT", "W3");
  epoch_key("Carol and the creation wrap (not wrapped to her)", Wrap(up0.wraps[0]), 0, "carol", s0,
            "admin", "NO_MATCHING_RECIPIENT", "W3");
  epoch_key("Dana (a doctor) and the nurses' wrap", Wrap(up2.wraps[0]), 1, "dana", states[2],
            "admin", "NO_MATCHING_RECIPIENT", "W3");
  {
    const std::string group_hex = HexEncode(st0.group_id);
    auto sealed = [&](const Identity& sender, std::string_view type, const std::string& id,
                      ByteView body) {
      const RecordPayload payload{type, id, "", body};
      const PublicCard to[] = {p["alice"].card()};
      EpochKeyWrap w{0, Must(SealRecord(sender, to, payload, rng, clock), "crafted wrap")};
      return Wrap(w);
    };
    const std::string good_id = group_hex + ".0";
    epoch_key("a wrap sealed by someone other than the admin",
              sealed(outsider, group::kEpochKeyContentType, good_id, seed0), 0, "alice", s0,
              "admin", "SENDER_MISMATCH", "W3");
    epoch_key("content type text/plain", sealed(admin, "text/plain", good_id, seed0), 0, "alice",
              s0, "admin", "MALFORMED", "W4");
    epoch_key("record id of epoch 1 in an epoch 0 wrap",
              sealed(admin, group::kEpochKeyContentType, group_hex + ".1", seed0), 0, "alice", s0,
              "admin", "MALFORMED", "W4");
    epoch_key("record id in upper-case hex",
              sealed(admin, group::kEpochKeyContentType,
                     HexEncode(st0.group_id).replace(0, 2, "AB") + ".0", seed0),
              0, "alice", s0, "admin", "MALFORMED", "W4");
    epoch_key("a 31-byte seed",
              sealed(admin, group::kEpochKeyContentType, good_id, ByteView(seed0).first(31)), 0,
              "alice", s0, "admin", "MALFORMED", "W4");
    epoch_key("the seed of epoch 1 in a wrap for epoch 0",
              sealed(admin, group::kEpochKeyContentType, good_id, seed1), 0, "alice", s0, "admin",
              "KEY_ID_MISMATCH", "W5");
  }

  // ---- records sealed to a group card (spec §5, §7) ----
  clock.Set(kT0 + 30000);
  auto seal_to = [&](const PublicCard& card, const char* text) {
    const RecordPayload payload{"text/plain", "note", "", AsBytes(text)};
    const PublicCard to[] = {card};
    return HexEncode(EncodeRecordBinary(Must(SealRecord(k0, to, payload, rng, clock), "record")));
  };
  const std::string to_nurses1 = seal_to(up2.state.group_card, "BP 120/80");
  const std::string to_nurses0 = seal_to(st0.group_card, "sealed in epoch 0");
  const std::string to_doctors = seal_to(dup0.state.group_card, "diagnosis for doctors");
  auto group_record = [&](const std::string& comment, const std::string& wrap, uint32_t epoch,
                          const std::string& member, const Bytes& st, const std::string& record,
                          const std::string& error, const std::string& rule) -> ordered_json& {
    ordered_json& t = epoch_key(comment, wrap, epoch, member, st, "admin", error, rule);
    t["kind"] = "groupRecord";
    t["record"] = record;
    t["sender"] = "patient0";
    return t;
  };
  group_record("Alice opens a record sealed to the nurses (epoch 1)", Wrap(up2.wraps[0]), 1,
               "alice", states[2], to_nurses1, "", "")["body"] = HexEncode(AsBytes("BP 120/80"));
  group_record("Dave opens a record of epoch 0 (history given)", Wrap(up3.wraps[0]), 0, "dave", s0,
               to_nurses0, "", "")["body"] = HexEncode(AsBytes("sealed in epoch 0"));
  group_record("Bob (removed) with epoch 0's key and a record of epoch 1", Wrap(up0.wraps[0]), 0,
               "bob", s0, to_nurses1, "NO_MATCHING_RECIPIENT", "G1");
  group_record("Alice (role nurse) and a record sealed only to role doctor", Wrap(up2.wraps[0]), 1,
               "alice", states[2], to_doctors, "NO_MATCHING_RECIPIENT", "G1");
  group_record("Dana (role doctor) opens it through the doctors' group", Wrap(dup0.wraps[0]), 0,
               "dana", group::EncodeMembershipState(dup0.state), to_doctors, "",
               "")["body"] = HexEncode(AsBytes("diagnosis for doctors"));

  // ---- records to re-seal (spec §4) ----
  {
    auto to = [&](std::vector<const Identity*> ids) {
      std::vector<PublicCard> cards;
      for (const Identity* i : ids) cards.push_back(i->card());
      const RecordPayload payload{"text/plain", "r", "", AsBytes("x")};
      return EncodeRecordBinary(Must(SealRecord(outsider, cards, payload, rng, clock), "reseal"));
    };
    const std::vector<Bytes> records = {to({&k0}), to({&k1}), to({&p["alice"], &k0}),
                                        to({&p["alice"]})};
    ordered_json& t = c.Add("reseal", "records sealed to patient0 (revoked)", "", "");
    t["revokedKeyId"] = HexEncode(k0.key_id());
    t["records"] = HexList(records);
    t["indices"] = {0, 2};
    ordered_json& u = c.Add("reseal", "a key id of 15 bytes", "INVALID_ARGUMENT", "RS1");
    u["revokedKeyId"] = HexEncode(ByteView(k0.key_id()).first(15));
    u["records"] = HexList(records);
  }

  ordered_json out{
      {"algorithm", "medseal-group-v1"},
      {"spec", "docs/spec/group.md"},
      {"generator", "native-tests/vectors/generate/group_vectors.cc"},
      {"notes",
       "Identities are FromSeed(seed, name, role, created) (record.md §3). Hex strings are "
       "lower case. keyLink: ParseKeyLink then VerifyKeyLink against identities[previous].card. "
       "chain: every link parses; KeyChain::Verify(root card, links). revocation: "
       "ParseKeyRevocation then VerifyKeyRevocation against the verified chain root+links. "
       "state: ParseMembershipState then VerifyMembershipState with identities[admin].card. "
       "history: parse each, VerifyMembershipHistory. epochKey: the wrap is a sealed record v1 "
       "(binary, record.md §4) of the given epoch; OpenEpochKey(wrap, member, admin card, state). "
       "groupRecord: epochKey, then OpenRecord(record, group identity, sender card). reseal: "
       "RecordsToReseal(revokedKeyId, records)."},
      {"numberOfTests", c.tests.size()},
      {"identities", p.json()},
      {"tests", c.tests}};
  std::filesystem::create_directories(dir + "/group");
  const std::string path = dir + "/group/group_v1.json";
  std::ofstream f(path, std::ios::binary);
  if (!f) Die("cannot write " + path);
  f << out.dump(1) << "\n";
}

}  // namespace medseal::testing
