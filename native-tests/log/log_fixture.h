// SPDX-License-Identifier: Apache-2.0
// A small real log for the client, history and directory tests: entries in a
// MerkleTree, checkpoints signed with SignCheckpoint by a fixed operator key,
// tiles written by TilesForTree. Tests tamper with copies of `entries`.
#ifndef MEDSEAL_NATIVE_TESTS_LOG_LOG_FIXTURE_H_
#define MEDSEAL_NATIVE_TESTS_LOG_LOG_FIXTURE_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/identity/identity.h"
#include "core/log/checkpoint.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/merkle.h"
#include "core/log/note.h"
#include "core/log/tiles.h"

namespace medseal::tlog::testing {

inline constexpr char kOrigin[] = "medseal.example/log/v1";

inline NoteSigner OperatorKey(uint8_t seed = 0x71, const char* name = kOrigin) {
  auto s = NoteSigner::FromSeed(name, SecretBytes::CopyFrom(Bytes(32, seed)));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

inline WitnessSigner WitnessKey(uint8_t seed = 0x72, const char* name = "witness.example/w1") {
  auto s = WitnessSigner::FromSeed(name, SecretBytes::CopyFrom(Bytes(32, seed)));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

inline Identity Person(uint8_t seed, const char* name, const char* role) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, role, 1700000000000);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return std::move(id).value();
}

// A log: its entries, its tree, and what its operator publishes.
struct TestLog {
  std::vector<Bytes> entries;
  MerkleTree tree;

  explicit TestLog(std::vector<Bytes> e = {}) {
    for (Bytes& b : e) Append(std::move(b));
  }
  uint64_t Append(Bytes entry) {
    entries.push_back(std::move(entry));
    return tree.AppendEntry(entries.back());
  }
  uint64_t size() const { return tree.size(); }
  // The signed checkpoint note of the first `size` entries.
  std::string Note(uint64_t size, const NoteSigner& signer) const {
    auto root = tree.Root(size);
    EXPECT_TRUE(root.ok());
    Checkpoint cp{signer.verifier_key().name, size, root.ok() ? *root : Bytes(32, 0), {}};
    auto note = SignCheckpoint(cp, signer);
    EXPECT_TRUE(note.ok()) << note.status().ToString();
    return note.ok() ? *note : std::string();
  }
  std::string Note(uint64_t size) const { return Note(size, OperatorKey()); }
  Bytes Consistency(uint64_t from, uint64_t to) const {
    auto p = tree.ConsistencyProof(from, to);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? SerializeProof(*p) : Bytes();
  }
  Proof Inclusion(uint64_t index, uint64_t size) const {
    auto p = tree.InclusionProof(index, size);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Proof();
  }
  // Every tile and entry bundle of the tree of `size` leaves, split into the
  // hash tiles and the bundles.
  void Tiles(uint64_t size, TileSet& tiles, std::map<TileId, Bytes>& bundles) const {
    auto files = TilesForTree(tree, entries, 0, size);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    for (const auto& [path, bytes] : *files) {
      auto id = ParseTilePath(path);
      ASSERT_TRUE(id.ok()) << path;
      if (id->entries) {
        bundles[*id] = bytes;
      } else {
        ASSERT_TRUE(tiles.Add(*id, bytes).ok()) << path;
      }
    }
  }
};

// Signs the next event of `author` (seq and prev from `chains`, which it
// advances): an open of a record by default.
inline SignedEvent NextEvent(const Identity& author, AuthorChains& chains,
                             EventType type = EventType::kOpen,
                             std::vector<EventSubject> subjects = {}) {
  Event ev;
  ev.type = type;
  ev.author = author.key_id();
  auto [seq, prev] = chains.Next(author.key_id());
  ev.seq = seq;
  ev.prev = prev;
  ev.time = 1764590400000 + static_cast<UnixMillis>(seq);
  ev.purpose = type == EventType::kBreakGlass ? "ETREAT" : "TREAT";
  if (subjects.empty()) {
    const bool consent = type == EventType::kGrant || type == EventType::kWithdraw;
    subjects.push_back(
        EventSubject{consent ? SubjectKind::kConsent : SubjectKind::kRecord, Bytes(32, 0x5a)});
  }
  // Spec §6.2: subjects sorted by kind, then id.
  std::sort(subjects.begin(), subjects.end(), [](const EventSubject& a, const EventSubject& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
  });
  ev.subjects = std::move(subjects);
  if (type == EventType::kBreakGlass) ev.patient = Bytes(kKeyIdSize, 0x01);
  if (type == EventType::kBreakGlass) {
    auto reason = SaltedHash(Bytes(16, 0x33), "reason", AsBytes(std::string_view("unconscious")));
    EXPECT_TRUE(reason.ok());
    if (reason.ok()) ev.reason = *reason;
  }
  auto signed_event = SignEvent(author, ev);
  EXPECT_TRUE(signed_event.ok()) << signed_event.status().ToString();
  if (!signed_event.ok()) return SignedEvent{};
  EXPECT_TRUE(chains.Append(*signed_event).ok());
  return std::move(signed_event).value();
}

inline EventSubject CardSubjectOf(const Identity& id) {
  return EventSubject{SubjectKind::kCard, id.key_id()};
}

inline LogPolicy Policy(const NoteSigner& op = OperatorKey()) {
  LogPolicy p;
  p.log_key = op.verifier_key();
  return p;
}

}  // namespace medseal::tlog::testing

#endif  // MEDSEAL_NATIVE_TESTS_LOG_LOG_FIXTURE_H_
