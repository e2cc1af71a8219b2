// SPDX-License-Identifier: Apache-2.0
// The log client (docs/spec/log.md §8) on small real logs: checkpoints
// accepted by trust on first use, pinned, or with a consistency proof; and
// every detection code, each from a log tampered in one way (rules U1-U7,
// A1-A6), plus the state formats (S1-S8, J1-J7).
#include "core/log/client.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/log/entry.h"
#include "native-tests/log/log_fixture.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::tlog {
namespace {

using medseal::testing::CodeOf;
using testing::OperatorKey;
using testing::Person;
using testing::Policy;
using testing::TestLog;
using testing::WitnessKey;

// Ten card entries of ten people (seeds 0x10..0x19).
std::vector<Bytes> TenCards() {
  std::vector<Bytes> out;
  for (int i = 0; i < 10; ++i) {
    Identity id = Person(static_cast<uint8_t>(0x10 + i), ("Person " + std::to_string(i)).c_str(),
                         "clinician");
    out.push_back(CardEntry(id.card()));
  }
  return out;
}

LogClient NewClient(LogPolicy policy = Policy()) {
  auto c = LogClient::Create(std::move(policy));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return std::move(c).value();
}

class LogClientTest : public ::testing::Test {
 protected:
  TestLog log_{TenCards()};
};

TEST_F(LogClientTest, TrustOnFirstUseThenConsistentUpdates) {
  LogClient c = NewClient();
  EXPECT_FALSE(c.has_checkpoint());
  ASSERT_TRUE(c.Update(log_.Note(3), {}).ok());
  EXPECT_EQ(c.size(), 3u);
  ASSERT_TRUE(c.Update(log_.Note(7), log_.Consistency(3, 7)).ok());
  EXPECT_EQ(c.size(), 7u);
  EXPECT_EQ(c.checkpoint().note, log_.Note(7));
  // The same checkpoint again (no proof needed), then the whole log.
  ASSERT_TRUE(c.Update(log_.Note(7), {}).ok());
  ASSERT_TRUE(c.Update(log_.Note(10), log_.Consistency(7, 10)).ok());
  EXPECT_EQ(c.size(), 10u);
}

TEST_F(LogClientTest, PinnedCheckpoint) {
  auto c = LogClient::CreatePinned(Policy(), log_.Note(5));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->size(), 5u);
  EXPECT_EQ(CodeOf(LogClient::CreatePinned(Policy(), "not a note")), ErrorCode::kMalformed);
  EXPECT_EQ(CodeOf(LogClient::CreatePinned(Policy(), log_.Note(5, OperatorKey(0x99)))),
            ErrorCode::kSignatureInvalid);
}

TEST_F(LogClientTest, EmptyLogThenGrowth) {
  TestLog empty;
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(empty.Note(0), {}).ok());
  EXPECT_EQ(c.size(), 0u);
  // From size 0 there is nothing to prove (U5).
  ASSERT_TRUE(c.Update(log_.Note(4), {}).ok());
  EXPECT_EQ(c.size(), 4u);
}

TEST_F(LogClientTest, TruncatedLog) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(log_.Note(7), {}).ok());
  const Status s = c.Update(log_.Note(5), {});
  EXPECT_EQ(s.code(), ErrorCode::kLogTruncated) << s.ToString();
  EXPECT_EQ(c.size(), 7u);  // unchanged
}

TEST_F(LogClientTest, ForkSameSizeOtherRoot) {
  std::vector<Bytes> other = log_.entries;
  other[2] = CardEntry(Person(0x50, "Intruder", "clinician").card());
  TestLog forked(other);
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(log_.Note(10), {}).ok());
  EXPECT_EQ(c.Update(forked.Note(10), {}).code(), ErrorCode::kLogFork);
  EXPECT_EQ(c.checkpoint().note, log_.Note(10));
}

TEST_F(LogClientTest, ForkNewerInconsistentWithOlder) {
  // The operator rewrites entry 1 (which the held checkpoint covers), then
  // grows the log and proves consistency from its rewritten tree.
  std::vector<Bytes> other = log_.entries;
  other[1] = CardEntry(Person(0x51, "Person 1", "clinician").card());
  TestLog forked(other);
  forked.Append(CardEntry(Person(0x52, "New", "nurse").card()));
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(log_.Note(3), {}).ok());
  const Status s = c.Update(forked.Note(11), forked.Consistency(3, 11));
  EXPECT_EQ(s.code(), ErrorCode::kLogFork) << s.ToString();
  EXPECT_EQ(c.size(), 3u);
  // The honest log's proof does not help a forked checkpoint either.
  EXPECT_EQ(c.Update(forked.Note(10), log_.Consistency(3, 10)).code(), ErrorCode::kLogFork);
  // And the honest checkpoint still goes through.
  EXPECT_TRUE(c.Update(log_.Note(10), log_.Consistency(3, 10)).ok());
}

TEST_F(LogClientTest, ProofBytesThatAreNoProof) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(log_.Note(3), {}).ok());
  Bytes proof = log_.Consistency(3, 7);
  proof.push_back(0);
  EXPECT_EQ(c.Update(log_.Note(7), proof).code(), ErrorCode::kMalformed);
  EXPECT_EQ(c.Update(log_.Note(7), {}).code(),
            ErrorCode::kLogFork);  // an empty proof
  proof.pop_back();
  proof[0] ^= 1;
  EXPECT_EQ(c.Update(log_.Note(7), proof).code(), ErrorCode::kLogFork);
  EXPECT_EQ(c.size(), 3u);
}

TEST_F(LogClientTest, BadSignature) {
  LogClient c = NewClient();
  // Signed by another key under the log's name.
  EXPECT_EQ(c.Update(log_.Note(5, OperatorKey(0x99)), {}).code(), ErrorCode::kSignatureInvalid);
  // Signed by another log.
  EXPECT_EQ(c.Update(log_.Note(5, OperatorKey(0x71, "other.example/log")), {}).code(),
            ErrorCode::kSignatureInvalid);
  // One character of the body changed after signing.
  std::string note = log_.Note(5);
  note[note.find('\n') + 1] = '6';
  EXPECT_EQ(c.Update(note, {}).code(), ErrorCode::kSignatureInvalid);
  EXPECT_FALSE(c.has_checkpoint());
}

TEST_F(LogClientTest, WitnessQuorum) {
  WitnessSigner w1 = WitnessKey(0x72, "witness.example/w1");
  WitnessSigner w2 = WitnessKey(0x73, "witness.example/w2");
  LogPolicy policy = Policy();
  policy.witnesses = {w1.verifier_key(), w2.verifier_key()};
  policy.quorum = 2;
  LogClient c = NewClient(policy);
  const std::string note = log_.Note(5);
  EXPECT_EQ(c.Update(note, {}).code(), ErrorCode::kWitnessQuorum);
  auto once = w1.Cosign(note, 1764590400);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(c.Update(*once, {}).code(), ErrorCode::kWitnessQuorum);
  auto twice = w2.Cosign(*once, 1764590401);
  ASSERT_TRUE(twice.ok());
  ASSERT_TRUE(c.Update(*twice, {}).ok());
  EXPECT_EQ(c.checkpoint().cosignatures.size(), 2u);
  // A policy that cannot be met.
  policy.quorum = 3;
  EXPECT_EQ(CodeOf(LogClient::Create(policy)), ErrorCode::kInvalidArgument);
}

TEST_F(LogClientTest, UpdateFromTiles) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.Update(log_.Note(3), {}).ok());
  TileSet tiles;
  std::map<TileId, Bytes> bundles;
  log_.Tiles(10, tiles, bundles);
  ASSERT_TRUE(c.UpdateFromTiles(log_.Note(10), tiles).ok());
  EXPECT_EQ(c.size(), 10u);

  LogClient d = NewClient();
  ASSERT_TRUE(d.Update(log_.Note(3), {}).ok());
  std::vector<Bytes> other = log_.entries;
  other[0] = CardEntry(Person(0x53, "X", "nurse").card());
  TestLog forked(other);
  TileSet forked_tiles;
  std::map<TileId, Bytes> forked_bundles;
  forked.Tiles(10, forked_tiles, forked_bundles);
  EXPECT_EQ(d.UpdateFromTiles(forked.Note(10), forked_tiles).code(), ErrorCode::kLogFork);
  // Tiles for another size than the checkpoint's cannot prove it.
  TileSet few;
  std::map<TileId, Bytes> few_bundles;
  log_.Tiles(4, few, few_bundles);
  EXPECT_FALSE(d.UpdateFromTiles(log_.Note(10), few).ok());
  EXPECT_EQ(d.size(), 3u);
}

TEST_F(LogClientTest, VerifyEntry) {
  LogClient c = NewClient();
  EXPECT_EQ(c.VerifyEntry(0, log_.entries[0], {}).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(c.Update(log_.Note(8), {}).ok());
  EXPECT_TRUE(c.VerifyEntry(6, log_.entries[6], log_.Inclusion(6, 8)).ok());
  EXPECT_EQ(c.VerifyEntry(6, log_.entries[5], log_.Inclusion(6, 8)).code(),
            ErrorCode::kProofInvalid);
  EXPECT_EQ(c.VerifyEntry(5, log_.entries[6], log_.Inclusion(6, 8)).code(),
            ErrorCode::kProofInvalid);
  EXPECT_EQ(c.VerifyEntry(8, log_.entries[8], log_.Inclusion(8, 10)).code(),
            ErrorCode::kLogEntryMissing);
}

TEST_F(LogClientTest, TrackOwnEntry) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.TrackOwnEntry(5, log_.entries[5]).ok());
  ASSERT_TRUE(c.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(c.TrackOwnEntry(5, log_.entries[5]).ok());  // the same again
  EXPECT_EQ(c.TrackOwnEntry(5, log_.entries[4]).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.TrackOwnEntry(7, Bytes{}).code(), ErrorCode::kTruncated);
  EXPECT_EQ(c.TrackOwnEntry(7, Bytes{0x7f, 1}).code(), ErrorCode::kUnsupportedVersion);
  ASSERT_EQ(c.own_entries().size(), 2u);
  EXPECT_EQ(c.own_entries()[0].index, 2u);
  EXPECT_EQ(c.own_entries()[0].leaf_hash, LeafHash(log_.entries[2]));
  EXPECT_EQ(c.own_entries()[1].index, 5u);
}

// Audits own entries 2 and 5 (and a pending one at 12) against `served`.
AuditReport Audit(const TestLog& served, uint64_t size, const TestLog& honest) {
  LogClient c = NewClient();
  EXPECT_TRUE(c.TrackOwnEntry(2, honest.entries[2]).ok());
  EXPECT_TRUE(c.TrackOwnEntry(5, honest.entries[5]).ok());
  EXPECT_TRUE(c.TrackOwnEntry(12, CardEntry(Person(0x60, "Later", "nurse").card())).ok());
  EXPECT_TRUE(c.Update(served.Note(size), {}).ok());
  // Only what TilesForAudit asks for.
  auto files = TilesForTree(served.tree, served.entries, 0, size);
  EXPECT_TRUE(files.ok());
  std::map<TileId, Bytes> all;
  for (const auto& [path, bytes] : *files) all[*ParseTilePath(path)] = bytes;
  TileSet tiles;
  std::map<TileId, Bytes> bundles;
  for (const TileId& id : c.TilesForAudit()) {
    EXPECT_EQ(all.count(id), 1u) << TilePath(id);
    if (all.count(id) == 0) continue;
    if (id.entries) {
      bundles[id] = all.at(id);
    } else {
      EXPECT_TRUE(tiles.Add(id, all.at(id)).ok());
    }
  }
  auto report = c.AuditOwnEntries(tiles, bundles);
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? *report : AuditReport{};
}

TEST_F(LogClientTest, AuditHonestLog) {
  AuditReport r = Audit(log_, 10, log_);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.checked, 2u);
  EXPECT_EQ(r.pending, 1u);
  EXPECT_TRUE(r.ToStatus().ok());
}

TEST_F(LogClientTest, AuditEditedEntry) {
  // Entry 2 is Person 2's card; the edit keeps the keys (same key id) and
  // changes the name.
  std::vector<Bytes> other = log_.entries;
  other[2] = CardEntry(Person(0x12, "Someone Else", "clinician").card());
  ASSERT_NE(other[2], log_.entries[2]);
  AuditReport r = Audit(TestLog(other), 10, log_);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0], (AuditFinding{2, ErrorCode::kLogEntryModified, {}}));
  EXPECT_EQ(r.ToStatus().code(), ErrorCode::kLogEntryModified);
  // Bytes that are no entry at all at the index: also an edit.
  other[2] = Bytes{kEntryCard, '{'};
  r = Audit(TestLog(other), 10, log_);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].code, ErrorCode::kLogEntryModified);
}

TEST_F(LogClientTest, AuditDeletedEntry) {
  std::vector<Bytes> other = log_.entries;
  other.erase(other.begin() + 2);
  other.push_back(CardEntry(Person(0x54, "Filler", "nurse").card()));
  AuditReport r = Audit(TestLog(other), 10, log_);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0], (AuditFinding{2, ErrorCode::kLogEntryMissing, {}}));
  // The deletion moved the later own entry down by one.
  EXPECT_EQ(r.findings[1], (AuditFinding{5, ErrorCode::kLogReordered, 4}));
  EXPECT_EQ(r.ToStatus().code(), ErrorCode::kLogEntryMissing);
}

TEST_F(LogClientTest, AuditReorderedEntries) {
  std::vector<Bytes> other = log_.entries;
  std::swap(other[5], other[8]);
  AuditReport r = Audit(TestLog(other), 10, log_);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0], (AuditFinding{5, ErrorCode::kLogReordered, 8}));
  EXPECT_EQ(r.ToStatus().code(), ErrorCode::kLogReordered);
}

TEST_F(LogClientTest, AuditNeedsMatchingTilesAndBundles) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(c.Update(log_.Note(10), {}).ok());
  TileSet tiles;
  std::map<TileId, Bytes> bundles;
  log_.Tiles(10, tiles, bundles);
  ASSERT_TRUE(c.AuditOwnEntries(tiles, bundles).ok());
  // No bundle: the audit cannot be done.
  EXPECT_EQ(CodeOf(c.AuditOwnEntries(tiles, {})), ErrorCode::kLogTruncated);
  // A bundle edited after the fact does not match the signed tree.
  std::vector<Bytes> other = log_.entries;
  other[2] = CardEntry(Person(0x12, "Someone Else", "clinician").card());
  std::map<TileId, Bytes> edited;
  for (const auto& [id, b] : bundles) {
    edited[id] = SerializeEntryBundle(std::vector<Bytes>(other.begin(), other.begin() + 10));
  }
  EXPECT_EQ(CodeOf(c.AuditOwnEntries(tiles, edited)), ErrorCode::kProofInvalid);
  // A bundle of the wrong width.
  std::map<TileId, Bytes> short_bundle;
  for (const auto& [id, b] : bundles) {
    short_bundle[id] =
        SerializeEntryBundle(std::vector<Bytes>(log_.entries.begin(), log_.entries.begin() + 9));
  }
  EXPECT_EQ(CodeOf(c.AuditOwnEntries(tiles, short_bundle)), ErrorCode::kMalformed);
}

TEST_F(LogClientTest, StateRoundTrips) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(c.TrackOwnEntry(12, log_.entries[3]).ok());
  ASSERT_TRUE(c.Update(log_.Note(6), {}).ok());
  const Bytes state = c.SaveState();
  const std::string json = c.SaveStateJson();
  for (int form = 0; form < 2; ++form) {
    auto r = form == 0 ? LogClient::RestoreState(Policy(), state)
                       : LogClient::RestoreStateJson(Policy(), json);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->size(), 6u);
    EXPECT_EQ(r->checkpoint().note, c.checkpoint().note);
    EXPECT_EQ(r->own_entries(), c.own_entries());
    EXPECT_EQ(r->SaveState(), state);
    EXPECT_EQ(r->SaveStateJson(), json);
    // The restored client goes on checking consistency.
    EXPECT_EQ(r->Update(log_.Note(5), {}).code(), ErrorCode::kLogTruncated);
    EXPECT_TRUE(r->Update(log_.Note(9), log_.Consistency(6, 9)).ok());
  }
  // Under another log's policy the held note does not verify.
  EXPECT_EQ(CodeOf(LogClient::RestoreState(Policy(OperatorKey(0x99)), state)),
            ErrorCode::kSignatureInvalid);
  EXPECT_EQ(CodeOf(LogClient::RestoreStateJson(Policy(OperatorKey(0x99)), json)),
            ErrorCode::kSignatureInvalid);
  // Without a checkpoint.
  LogClient empty = NewClient();
  auto e = LogClient::RestoreState(Policy(), empty.SaveState());
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->has_checkpoint());
  auto ej = LogClient::RestoreStateJson(Policy(), empty.SaveStateJson());
  ASSERT_TRUE(ej.ok());
  EXPECT_FALSE(ej->has_checkpoint());
}

TEST_F(LogClientTest, StateBytesRules) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(c.TrackOwnEntry(4, log_.entries[4]).ok());
  ASSERT_TRUE(c.Update(log_.Note(6), {}).ok());
  const Bytes state = c.SaveState();
  const auto code = [](const Bytes& b) { return CodeOf(LogClient::RestoreState(Policy(), b)); };
  EXPECT_EQ(code(Bytes{}), ErrorCode::kTruncated);               // S2
  EXPECT_EQ(code(Bytes{'M', 'S', 'X'}), ErrorCode::kMalformed);  // S1
  EXPECT_EQ(code(Bytes{'M', 'S', 'L', 'C'}), ErrorCode::kTruncated);
  Bytes b = state;
  b[4] = 2;
  EXPECT_EQ(code(b), ErrorCode::kUnsupportedVersion);  // S3
  b = state;
  b[5] = 2;
  EXPECT_EQ(code(b), ErrorCode::kMalformed);  // S4
  b = state;
  b.push_back(0);
  EXPECT_EQ(code(b), ErrorCode::kTrailingData);  // S6
  for (size_t n = 0; n < state.size(); n += 7) {
    const ErrorCode got = code(Bytes(state.begin(), state.begin() + n));
    EXPECT_TRUE(got == ErrorCode::kTruncated || got == ErrorCode::kMalformed) << n;
  }
  // Two own entries out of order (S7): swap their records.
  b = state;
  const size_t last = b.size() - 72;
  std::swap_ranges(b.begin() + last, b.end(), b.begin() + last - 72);
  EXPECT_EQ(code(b), ErrorCode::kNonCanonical);
  // A note length past the limit (S4).
  b = state;
  b[6] = 0xff;
  b[7] = 0xff;
  b[8] = 0xff;
  b[9] = 0x7f;
  EXPECT_EQ(code(b), ErrorCode::kTooLarge);
}

TEST_F(LogClientTest, StateJsonRules) {
  LogClient c = NewClient();
  ASSERT_TRUE(c.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(c.Update(log_.Note(6), {}).ok());
  const std::string json = c.SaveStateJson();
  const auto code = [](const std::string& j) {
    return CodeOf(LogClient::RestoreStateJson(Policy(), j));
  };
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? s : s.replace(at, from.size(), to);
  };
  EXPECT_EQ(code(""), ErrorCode::kMalformed);
  EXPECT_EQ(code("[]"), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"v\":1", "\"v\":2")), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(code(replaced("medseal.log-client", "medseal.card")), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"own\":", "\"own2\":")), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"checkpoint\":\"", "\"checkpoint\":7,\"x\":\"")),
            ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"index\":2", "\"index\":-2")), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"index\":2", "\"index\":2.0")), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"leaf\":\"", "\"leaf\":\"AA")), ErrorCode::kMalformed);
  EXPECT_EQ(code(replaced("\"own\":[", "\"own\":[7,")), ErrorCode::kMalformed);
  // Two entries out of order (J6).
  LogClient two = NewClient();
  ASSERT_TRUE(two.TrackOwnEntry(2, log_.entries[2]).ok());
  ASSERT_TRUE(two.TrackOwnEntry(3, log_.entries[3]).ok());
  std::string j2 = two.SaveStateJson();
  j2.replace(j2.find("\"index\":3"), 9, "\"index\":1");
  EXPECT_EQ(code(j2), ErrorCode::kNonCanonical);
}

// log/client_v1.json: every scenario replayed step by step.
TEST(ClientVectors, Scenarios) {
  const medseal::testing::Json file = medseal::testing::LoadVectorJson("log/client_v1.json");
  using medseal::testing::Hex;
  using medseal::testing::Str;
  ASSERT_EQ(file["scenarios"].size(), file["numberOfScenarios"].get<size_t>());
  ASSERT_GE(file["scenarios"].size(), 10u);
  auto log_key = ParseVerifierKey(Str(file["log"], "vkey"));
  ASSERT_TRUE(log_key.ok());
  EXPECT_EQ(log_key->public_key, OperatorKey().verifier_key().public_key);
  size_t steps = 0, invalid = 0;
  for (const auto& sc : file["scenarios"]) {
    SCOPED_TRACE(Str(sc, "name"));
    LogPolicy policy;
    policy.log_key = *log_key;
    for (const auto& w : sc["policy"]["witnesses"]) {
      auto key = ParseVerifierKey(Str(file["witnesses"][w.get<std::string>()], "vkey"));
      ASSERT_TRUE(key.ok());
      policy.witnesses.push_back(*key);
    }
    policy.quorum = sc["policy"]["quorum"].get<size_t>();
    LogClient c = NewClient(policy);
    for (const auto& step : sc["steps"]) {
      ++steps;
      const std::string op = Str(step, "op");
      Status s;
      if (op == "update") {
        s = c.Update(Str(step, "note"), Hex(step, "proof"));
        EXPECT_EQ(c.size(), step["sizeAfter"].get<uint64_t>());
      } else if (op == "verifyEntry") {
        auto proof = ParseProof(Hex(step, "proof"));
        ASSERT_TRUE(proof.ok());
        s = c.VerifyEntry(step["index"].get<uint64_t>(), Hex(step, "entry"), *proof);
      } else if (op == "track") {
        ASSERT_TRUE(c.TrackOwnEntry(step["index"].get<uint64_t>(), Hex(step, "entry")).ok());
        continue;
      } else if (op == "audit") {
        TileSet tiles;
        std::map<TileId, Bytes> bundles;
        for (const auto& [path, hex] : step["files"].items()) {
          auto id = ParseTilePath(path);
          ASSERT_TRUE(id.ok()) << path;
          if (id->entries) {
            bundles[*id] = medseal::testing::HexOrDie(hex.get<std::string>());
          } else {
            ASSERT_TRUE(tiles.Add(*id, medseal::testing::HexOrDie(hex.get<std::string>())).ok());
          }
        }
        auto report = c.AuditOwnEntries(tiles, bundles);
        ASSERT_TRUE(report.ok()) << report.status().ToString();
        EXPECT_EQ(report->checked, step["checked"].get<uint64_t>());
        EXPECT_EQ(report->pending, step["pending"].get<uint64_t>());
        ASSERT_EQ(report->findings.size(), step["findings"].size());
        for (size_t i = 0; i < report->findings.size(); ++i) {
          const auto& f = step["findings"][i];
          invalid++;
          EXPECT_EQ(report->findings[i].index, f["index"].get<uint64_t>());
          EXPECT_EQ(ErrorCodeName(report->findings[i].code), Str(f, "error"));
          if (f.contains("foundAt")) {
            EXPECT_EQ(report->findings[i].found_at, f["foundAt"].get<uint64_t>());
          } else {
            EXPECT_FALSE(report->findings[i].found_at.has_value());
          }
        }
        continue;
      } else {
        FAIL() << "unknown op " << op;
      }
      if (Str(step, "result") == "valid") {
        EXPECT_TRUE(s.ok()) << s.ToString();
      } else {
        ++invalid;
        EXPECT_EQ(ErrorCodeName(s.code()), Str(step, "error")) << s.ToString();
        // Every failure names its rule id (spec §8.3 U1-U7, §8.4 VE1-VE3[/MI<n>]).
        const std::string rule = Str(step, "rule");
        if (op == "verifyEntry") {
          EXPECT_TRUE(rule == "VE1" || rule == "VE2" || rule.rfind("VE3/MI", 0) == 0) << rule;
        } else {
          EXPECT_TRUE(rule.size() == 2 && rule[0] == 'U' && rule[1] >= '1' && rule[1] <= '7')
              << rule;
        }
      }
    }
  }
  EXPECT_GE(steps, 30u);
  EXPECT_GE(invalid, 12u);
}

}  // namespace
}  // namespace medseal::tlog
