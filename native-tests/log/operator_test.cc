// SPDX-License-Identifier: Apache-2.0
// The log operator: what it accepts (rules O1..O5 of docs/spec/log.md §7.3),
// that nothing changes when it refuses, and that what it publishes (the
// signed checkpoint, the tiles, the proofs) verifies with core's own
// verifiers, so that a relay serving its files serves a checkable log.
#include "core/log/operator.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/base/secret.h"
#include "core/identity/identity.h"
#include "core/log/checkpoint.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/merkle.h"
#include "core/log/note.h"
#include "core/log/tiles.h"

namespace medseal::tlog {
namespace {

constexpr char kOrigin[] = "medseal.example/log/v1";

NoteSigner Signer(uint8_t seed_byte = 9) {
  auto s = NoteSigner::FromSeed(kOrigin, SecretBytes::CopyFrom(Bytes(32, seed_byte)));
  EXPECT_TRUE(s.ok()) << s.status().message();
  return std::move(s).value();
}

Identity Person(uint8_t seed_byte, const char* name, const char* role) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role,
                               1767225600000);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return std::move(id).value();
}

LogPolicy PolicyOf(const LogOperator& op) {
  LogPolicy policy;
  policy.log_key = op.verifier_key();
  return policy;
}

// The next event of `author` in `chains` (seq and prev from the chain).
SignedEvent NextEvent(const Identity& author, const AuthorChains& chains, EventType type,
                      const Identity& patient) {
  Event e;
  e.type = type;
  e.author = author.key_id();
  auto [seq, prev] = chains.Next(author.key_id());
  e.seq = seq;
  e.prev = prev;
  e.time = 1767225600000 + static_cast<UnixMillis>(seq) * 1000;
  e.purpose = "TREAT";
  e.patient = patient.key_id();
  e.subjects.push_back(EventSubject{SubjectKind::kRecord, Bytes(32, static_cast<uint8_t>(seq))});
  auto signed_event = SignEvent(author, e);
  EXPECT_TRUE(signed_event.ok()) << signed_event.status().message();
  return std::move(signed_event).value();
}

class LogOperatorTest : public ::testing::Test {
 protected:
  LogOperator op{Signer()};
  Identity patient = Person(1, "Alex Example", "patient");
  Identity clinician = Person(2, "Dr Demo", "clinician");
  AuthorChains chains;  // the authors' view of their own chains

  // Appends both cards.
  void AppendCards() {
    auto a = op.Append(CardEntry(patient.card()));
    ASSERT_TRUE(a.ok()) << a.status().message();
    EXPECT_EQ(a->index, 0u);
    EXPECT_EQ(a->kind, kEntryCard);
    auto b = op.Append(CardEntry(clinician.card()));
    ASSERT_TRUE(b.ok()) << b.status().message();
    EXPECT_EQ(b->index, 1u);
  }
  // The clinician's next event, appended; returns its index.
  uint64_t AppendOpen() {
    SignedEvent e = NextEvent(clinician, chains, EventType::kOpen, patient);
    auto r = op.Append(EventEntry(e));
    EXPECT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(chains.Append(e).ok());
    return r.ok() ? r->index : 0;
  }
};

TEST_F(LogOperatorTest, AppendsCardsAndEventsAndKeepsThem) {
  AppendCards();
  const uint64_t i = AppendOpen();
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(op.size(), 3u);
  ASSERT_EQ(op.entries().size(), 3u);
  EXPECT_EQ(op.entries()[0], CardEntry(patient.card()));
  EXPECT_EQ(op.cards(), 2u);
  ASSERT_NE(op.FindCard(clinician.key_id()), nullptr);
  EXPECT_EQ(op.FindCard(clinician.key_id())->key_id(), clinician.key_id());
  EXPECT_EQ(op.FindCard(Bytes(16, 0)), nullptr);
  // The tree's leaves are the entries' leaf hashes.
  MerkleTree expected;
  for (const Bytes& e : op.entries()) expected.AppendEntry(e);
  EXPECT_EQ(op.tree().Root(), expected.Root());
}

TEST_F(LogOperatorTest, RefusesInOrderAndChangesNothing) {
  // O1: too large (checked before parsing).
  Bytes huge(kMaxEntryBytes + 1, 0xFF);
  EXPECT_EQ(op.Append(huge).status().code(), ErrorCode::kTooLarge);
  // O2: not an entry.
  EXPECT_EQ(op.Append(Bytes{}).status().code(), ErrorCode::kTruncated);
  EXPECT_EQ(op.Append(Bytes{0x7F, '{', '}'}).status().code(), ErrorCode::kUnsupportedVersion);
  Bytes bad_card = CardEntry(patient.card());
  bad_card[bad_card.size() / 2] ^= 0x01;  // inside the card's JSON
  EXPECT_NE(op.Append(bad_card).status().code(), ErrorCode::kOk);
  // O4: an event before its author's card is in the log.
  SignedEvent early = NextEvent(clinician, chains, EventType::kOpen, patient);
  EXPECT_EQ(op.Append(EventEntry(early)).status().code(), ErrorCode::kLogEntryMissing);
  EXPECT_EQ(op.size(), 0u);
  EXPECT_EQ(op.cards(), 0u);

  AppendCards();
  // O3: the same card again.
  EXPECT_EQ(op.Append(CardEntry(patient.card())).status().code(), ErrorCode::kInvalidArgument);
  // The patient's own first event (seq 0) is accepted.
  Event as_patient = NextEvent(clinician, chains, EventType::kOpen, patient).event;
  as_patient.author = patient.key_id();
  auto by_patient = SignEvent(patient, as_patient);
  ASSERT_TRUE(by_patient.ok()) << by_patient.status().message();
  EXPECT_TRUE(op.Append(EventEntry(*by_patient)).ok());
  EXPECT_EQ(op.size(), 3u);
  // O5: the patient's seq 0 again (a repeat), then a skipped seq.
  EXPECT_EQ(op.Append(EventEntry(*by_patient)).status().code(), ErrorCode::kLogReordered);
  Event skip = as_patient;
  skip.seq = 2;
  skip.prev = by_patient->Hash();
  auto skipped = SignEvent(patient, skip);
  ASSERT_TRUE(skipped.ok());
  EXPECT_EQ(op.Append(EventEntry(*skipped)).status().code(), ErrorCode::kLogEntryMissing);
  Event wrong_prev = as_patient;
  wrong_prev.seq = 1;
  wrong_prev.prev = Bytes(32, 0xAB);
  auto bad_prev = SignEvent(patient, wrong_prev);
  ASSERT_TRUE(bad_prev.ok());
  EXPECT_EQ(op.Append(EventEntry(*bad_prev)).status().code(), ErrorCode::kLogEntryModified);
  EXPECT_EQ(op.size(), 3u);
  EXPECT_EQ(op.entries().size(), 3u);
}

TEST_F(LogOperatorTest, RefusesAnEventWhoseSignatureDoesNotVerify) {
  AppendCards();
  SignedEvent e = NextEvent(clinician, chains, EventType::kOpen, patient);
  Bytes entry = EventEntry(e);
  // The signature is the last base64url value of the JSON: change one of
  // its characters (still well formed, no longer the signature).
  const size_t quote = std::string(entry.begin(), entry.end()).rfind('"');
  ASSERT_NE(quote, std::string::npos);
  ASSERT_GT(quote, 10u);
  uint8_t& c = entry[quote - 2];
  c = c == 'A' ? 'B' : 'A';
  auto r = op.Append(entry);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().code(), ErrorCode::kOk);
  EXPECT_EQ(op.size(), 2u);
}

TEST_F(LogOperatorTest, CheckpointsVerifyUnderTheOperatorsKey) {
  AppendCards();
  AppendOpen();
  auto note = op.SignedCheckpoint();
  ASSERT_TRUE(note.ok()) << note.status().message();
  auto verified = VerifyCheckpoint(*note, PolicyOf(op));
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->checkpoint.origin, kOrigin);
  EXPECT_EQ(verified->checkpoint.size, 3u);
  EXPECT_EQ(verified->checkpoint.root, op.tree().Root());
  // Another operator key does not verify it.
  LogOperator other{Signer(10)};
  EXPECT_EQ(VerifyCheckpoint(*note, PolicyOf(other)).status().code(), ErrorCode::kSignatureInvalid);
}

TEST_F(LogOperatorTest, PublishesTheTilesAClientNeeds) {
  AppendCards();
  auto first = op.Publish();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->old_size, 0u);
  EXPECT_EQ(first->size, 2u);
  EXPECT_EQ(op.published_size(), 2u);
  EXPECT_EQ(first->tiles.count("tile/0/000.p/2"), 1u);
  EXPECT_EQ(first->tiles.count("tile/entries/000.p/2"), 1u);
  for (int k = 0; k < 3; ++k) AppendOpen();
  auto second = op.Publish();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->old_size, 2u);
  EXPECT_EQ(second->size, 5u);
  EXPECT_EQ(second->tiles.count("tile/0/000.p/5"), 1u);
  EXPECT_EQ(second->tiles.count("tile/0/000.p/2"), 0u);  // not changed: not republished
  // By index, in path order; past the end is refused.
  uint64_t n = 0;
  for (const auto& [path, bytes] : second->tiles) {
    auto at = PublishedTileAt(*second, n++);
    ASSERT_TRUE(at.ok());
    EXPECT_EQ(at->first, path);
    EXPECT_EQ(Bytes(at->second.begin(), at->second.end()), bytes);
  }
  EXPECT_EQ(PublishedTileAt(*second, n).status().code(), ErrorCode::kInvalidArgument);

  // A client with only the published files: the checkpoint verifies, the
  // tiles give its root, the proofs from them verify against it.
  std::map<std::string, Bytes> files = first->tiles;
  for (auto& [path, bytes] : second->tiles) files[path] = bytes;
  auto verified = VerifyCheckpoint(second->checkpoint, PolicyOf(op));
  ASSERT_TRUE(verified.ok());
  TileSet tiles;
  for (const TileId& id : TilesForConsistency(2, 5)) {
    auto it = files.find(TilePath(id));
    ASSERT_NE(it, files.end()) << TilePath(id);
    ASSERT_TRUE(tiles.Add(id, it->second).ok());
  }
  for (const TileId& id : TilesForInclusion(4, 5)) {
    auto it = files.find(TilePath(id));
    ASSERT_NE(it, files.end()) << TilePath(id);
    ASSERT_TRUE(tiles.Add(id, it->second).ok());
  }
  auto root = tiles.Root(5);
  ASSERT_TRUE(root.ok()) << root.status().message();
  EXPECT_EQ(*root, verified->checkpoint.root);
  auto consistency = tiles.ConsistencyProof(2, 5);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(VerifyConsistency(2, 5, *op.tree().Root(2), *root, *consistency).ok());
  auto inclusion = tiles.InclusionProof(4, 5);
  ASSERT_TRUE(inclusion.ok());
  EXPECT_TRUE(VerifyInclusion(4, 5, LeafHash(op.entries()[4]), *inclusion, *root).ok());
  // The entry bundle holds the entries exactly.
  auto bundle = ParseEntryBundle(files.at("tile/entries/000.p/5"), 5);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(*bundle, op.entries());
}

TEST_F(LogOperatorTest, ProofsMatchTheTreesAndRefuseBadSizes) {
  AppendCards();
  for (int k = 0; k < 4; ++k) AppendOpen();
  auto proof = op.InclusionProof(3, 6);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyInclusion(3, 6, LeafHash(op.entries()[3]), *proof, *op.tree().Root(6)).ok());
  auto consistency = op.ConsistencyProof(3, 6);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(VerifyConsistency(3, 6, *op.tree().Root(3), *op.tree().Root(6), *consistency).ok());
  EXPECT_FALSE(op.InclusionProof(6, 6).ok());
  EXPECT_FALSE(op.ConsistencyProof(3, 7).ok());
  EXPECT_EQ(op.TilesSince(7).status().code(), ErrorCode::kInvalidArgument);
  auto all = op.TilesSince(0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->count("tile/entries/000.p/6"), 1u);
}

}  // namespace
}  // namespace medseal::tlog
