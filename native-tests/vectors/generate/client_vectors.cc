// SPDX-License-Identifier: Apache-2.0
// log/client_v1.json (docs/spec/log.md §8): see client_vectors.h. A real
// log of ten card entries, signed checkpoints of it and of tampered copies of
// it (an entry edited, deleted, moved; the log truncated; forked; signed by
// another key; without the witness cosignatures the policy requires), and
// scenarios that replay them through a LogClient, each step with the code
// NAME it must give. The generator checks every outcome as it writes it.
#include "native-tests/vectors/generate/client_vectors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "core/log/checkpoint.h"
#include "core/log/client.h"
#include "core/log/entry.h"
#include "core/log/merkle.h"
#include "core/log/note.h"
#include "core/log/tiles.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
using tlog::AuditReport;
using tlog::LogClient;
using tlog::LogPolicy;

constexpr char kOrigin[] = "medseal.example/log/v1";
constexpr uint64_t kCosignTime = 1764590400;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (log client): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

Bytes CardOf(uint8_t seed, const std::string& name, const std::string& role) {
  Identity id = Must(
      Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, role, 1700000000000),
      "identity");
  return tlog::CardEntry(id.card());
}

struct Log {
  std::vector<Bytes> entries;
  tlog::MerkleTree tree;
  explicit Log(std::vector<Bytes> e) : entries(std::move(e)) {
    for (const Bytes& b : entries) tree.AppendEntry(b);
  }
  std::string Note(uint64_t size, const tlog::NoteSigner& signer) const {
    tlog::Checkpoint cp{signer.verifier_key().name, size, Must(tree.Root(size), "root"), {}};
    return Must(tlog::SignCheckpoint(cp, signer), "sign");
  }
  Bytes Consistency(uint64_t from, uint64_t to) const {
    return tlog::SerializeProof(Must(tree.ConsistencyProof(from, to), "consistency"));
  }
  Bytes Inclusion(uint64_t index, uint64_t size) const {
    return tlog::SerializeProof(Must(tree.InclusionProof(index, size), "inclusion"));
  }
  std::map<std::string, Bytes> Tiles(uint64_t size) const {
    return Must(tlog::TilesForTree(tree, entries, 0, size), "tiles");
  }
};

std::string CodeName(const Status& s) { return std::string(ErrorCodeName(s.code())); }

class Scenario {
 public:
  Scenario(std::string name, std::string comment, const LogPolicy& policy, ordered_json policy_json)
      : client_(Must(LogClient::Create(policy), "client")) {
    json_ = ordered_json{{"name", std::move(name)},
                         {"comment", std::move(comment)},
                         {"policy", std::move(policy_json)},
                         {"steps", ordered_json::array()}};
  }
  // `error` empty: the step must succeed.
  void Update(const std::string& note, const Bytes& proof, const std::string& error,
              const std::string& rule = "") {
    const Status s = client_.Update(note, proof);
    Check(s, error, "update");
    ordered_json step{{"op", "update"}, {"note", note}, {"proof", HexEncode(proof)}};
    Finish(step, s, rule);
    step["sizeAfter"] = client_.size();
    json_["steps"].push_back(std::move(step));
  }
  void VerifyEntry(uint64_t index, const Bytes& entry, const Bytes& proof, const std::string& error,
                   const std::string& rule = "") {
    const Status s = client_.VerifyEntry(index, entry, Must(tlog::ParseProof(proof), "proof"));
    Check(s, error, "verifyEntry");
    ordered_json step{{"op", "verifyEntry"},
                      {"index", index},
                      {"entry", HexEncode(entry)},
                      {"proof", HexEncode(proof)}};
    Finish(step, s, rule);
    json_["steps"].push_back(std::move(step));
  }
  void Track(uint64_t index, const Bytes& entry) {
    if (!client_.TrackOwnEntry(index, entry).ok()) Die("track");
    json_["steps"].push_back(
        ordered_json{{"op", "track"}, {"index", index}, {"entry", HexEncode(entry)}});
  }
  // Audits with the tiles and bundles TilesForAudit names, taken from
  // `files`; `findings`: (index, code NAME, found_at or -1).
  void Audit(const std::map<std::string, Bytes>& files,
             const std::vector<std::tuple<uint64_t, std::string, int64_t>>& findings,
             const std::string& rule) {
    tlog::TileSet tiles;
    std::map<tlog::TileId, Bytes> bundles;
    ordered_json given = ordered_json::object();
    for (const auto& [path, bytes] : files) {
      const tlog::TileId id = Must(tlog::ParseTilePath(path), "tile path");
      if (id.entries) {
        bundles[id] = bytes;
      } else if (!tiles.Add(id, bytes).ok()) {
        Die("tile");
      }
      given[path] = HexEncode(bytes);
    }
    const AuditReport report = Must(client_.AuditOwnEntries(tiles, bundles), "audit");
    if (report.findings.size() != findings.size()) Die("audit: finding count " + rule);
    ordered_json out = ordered_json::array();
    for (size_t i = 0; i < findings.size(); ++i) {
      const auto& [index, code, at] = findings[i];
      const tlog::AuditFinding& f = report.findings[i];
      if (f.index != index || ErrorCodeName(f.code) != code ||
          (at < 0 ? f.found_at.has_value() : f.found_at != static_cast<uint64_t>(at))) {
        Die("audit finding differs: " + rule);
      }
      ordered_json fj{{"index", index}, {"error", code}};
      if (at >= 0) fj["foundAt"] = at;
      out.push_back(std::move(fj));
    }
    ordered_json step{{"op", "audit"},
                      {"files", std::move(given)},
                      {"findings", std::move(out)},
                      {"checked", report.checked},
                      {"pending", report.pending}};
    if (!rule.empty()) step["rule"] = rule;
    json_["steps"].push_back(std::move(step));
  }
  ordered_json Done() { return std::move(json_); }

 private:
  static void Check(const Status& s, const std::string& error, const char* op) {
    if (error.empty() ? !s.ok() : CodeName(s) != error) {
      Die(std::string(op) + ": expected " + (error.empty() ? "OK" : error) + ", got " +
          s.ToString());
    }
  }
  static void Finish(ordered_json& step, const Status& s, const std::string& rule) {
    step["result"] = s.ok() ? "valid" : "invalid";
    if (!s.ok()) step["error"] = CodeName(s);
    if (!rule.empty()) step["rule"] = rule;
  }
  LogClient client_;
  ordered_json json_;
};

}  // namespace

void GenerateClientVectors(const std::string& dir) {
  const Bytes op_seed(32, 0x71);
  const tlog::NoteSigner op = Must(
      tlog::NoteSigner::FromSeed(kOrigin, SecretBytes::CopyFrom(op_seed)), "operator");
  const tlog::NoteSigner impostor = Must(
      tlog::NoteSigner::FromSeed(kOrigin, SecretBytes::CopyFrom(Bytes(32, 0x99))), "impostor");
  const Bytes w_seed(32, 0x72);
  const tlog::WitnessSigner witness = Must(
      tlog::WitnessSigner::FromSeed("witness.example/w1", SecretBytes::CopyFrom(w_seed)),
      "witness");

  std::vector<Bytes> honest_entries;
  for (int i = 0; i < 10; ++i) {
    honest_entries.push_back(
        CardOf(static_cast<uint8_t>(0x10 + i), "Person " + std::to_string(i), "clinician"));
  }
  const Log honest(honest_entries);
  // Tampered copies.
  std::vector<Bytes> e = honest_entries;
  e[2] = CardOf(0x12, "Someone Else", "clinician");  // same keys, other name
  const Log edited(e);
  e = honest_entries;
  e.erase(e.begin() + 2);
  e.push_back(CardOf(0x54, "Filler", "nurse"));
  const Log deleted(e);
  e = honest_entries;
  std::swap(e[5], e[8]);
  const Log reordered(e);

  LogPolicy policy;
  policy.log_key = op.verifier_key();
  const ordered_json no_witnesses{{"witnesses", ordered_json::array()}, {"quorum", 0}};
  ordered_json scenarios = ordered_json::array();

  {
    Scenario s("consistent", "trust on first use, then consistent growth", policy, no_witnesses);
    s.Update(honest.Note(3, op), {}, "");
    s.Update(honest.Note(7, op), honest.Consistency(3, 7), "");
    s.Update(honest.Note(7, op), {}, "");
    s.Update(honest.Note(10, op), honest.Consistency(7, 10), "");
    s.VerifyEntry(6, honest.entries[6], honest.Inclusion(6, 10), "");
    s.VerifyEntry(6, honest.entries[5], honest.Inclusion(6, 10), "PROOF_INVALID", "VE3/MI6");
    scenarios.push_back(s.Done());
  }
  {
    Scenario s("truncated", "a checkpoint smaller than the held one", policy, no_witnesses);
    s.Update(honest.Note(7, op), {}, "");
    s.Update(honest.Note(5, op), {}, "LOG_TRUNCATED", "U3");
    s.VerifyEntry(8, honest.entries[8], honest.Inclusion(8, 10), "LOG_ENTRY_MISSING", "VE2");
    scenarios.push_back(s.Done());
  }
  {
    Scenario s("fork-same-size", "two checkpoints of size 10 with different roots", policy,
               no_witnesses);
    s.Update(honest.Note(10, op), {}, "");
    s.Update(edited.Note(10, op), {}, "LOG_FORK", "U4");
    scenarios.push_back(s.Done());
  }
  {
    Scenario s("fork-inconsistent", "a newer checkpoint not consistent with the held one", policy,
               no_witnesses);
    s.Update(honest.Note(3, op), {}, "");
    s.Update(edited.Note(10, op), edited.Consistency(3, 10), "LOG_FORK", "U7");
    s.Update(edited.Note(10, op), honest.Consistency(3, 10), "LOG_FORK", "U7");
    Bytes junk = honest.Consistency(3, 10);
    junk.push_back(0);
    s.Update(honest.Note(10, op), junk, "MALFORMED", "U6");
    s.Update(honest.Note(10, op), honest.Consistency(3, 10), "");
    scenarios.push_back(s.Done());
  }
  {
    Scenario s("bad-signature", "checkpoints not signed by the log's key", policy, no_witnesses);
    s.Update(honest.Note(5, impostor), {}, "SIGNATURE_INVALID", "U1");
    std::string note = honest.Note(5, op);
    note[note.find('\n') + 1] = '6';
    s.Update(note, {}, "SIGNATURE_INVALID", "U1");
    scenarios.push_back(s.Done());
  }
  {
    LogPolicy with_witness = policy;
    with_witness.witnesses = {witness.verifier_key()};
    with_witness.quorum = 1;
    Scenario s("witness-quorum", "a policy that requires one witness cosignature", with_witness,
               ordered_json{{"witnesses", {"w1"}}, {"quorum", 1}});
    const std::string note = honest.Note(5, op);
    s.Update(note, {}, "WITNESS_QUORUM", "U1");
    s.Update(Must(witness.Cosign(note, kCosignTime), "cosign"), {}, "");
    scenarios.push_back(s.Done());
  }
  const auto audit = [&](const char* name, const char* comment, const Log& served,
                         const std::vector<std::tuple<uint64_t, std::string, int64_t>>& findings,
                         const std::string& rule) {
    Scenario s(name, comment, policy, no_witnesses);
    s.Track(2, honest.entries[2]);
    s.Track(5, honest.entries[5]);
    s.Track(12, CardOf(0x60, "Later", "nurse"));
    s.Update(served.Note(10, op), {}, "");
    s.Audit(served.Tiles(10), findings, rule);
    scenarios.push_back(s.Done());
  };
  audit("audit-honest", "own entries 2 and 5 (and 12, pending) in the honest log", honest, {}, "");
  audit("audit-edited", "own entry 2 edited (same key id, another name)", edited,
        {{2, "LOG_ENTRY_MODIFIED", -1}}, "A5");
  audit("audit-deleted", "entry 2 deleted (and one appended): 2 is missing, 5 moved to 4", deleted,
        {{2, "LOG_ENTRY_MISSING", -1}, {5, "LOG_REORDERED", 4}}, "A6");
  audit("audit-reordered", "entries 5 and 8 swapped", reordered, {{5, "LOG_REORDERED", 8}}, "A4");

  ordered_json file{
      {"algorithm", "medseal log client v1"},
      {"spec", "docs/spec/log.md §8"},
      {"notes",
       "Each scenario starts a LogClient with the operator key `log.vkey` and the witnesses "
       "named in its policy, then runs its steps in order: update = Update(note, proof); "
       "verifyEntry = VerifyEntry(index, entry, ParseProof(proof)); track = "
       "TrackOwnEntry(index, entry); audit = AuditOwnEntries with the hash tiles and entry "
       "bundles in `files` (tlog-tiles paths), giving `findings` (index, code NAME, foundAt), "
       "`checked` and `pending`. `result`/`error` as in the other files; `sizeAfter` is the "
       "held size after the step; `rule` names the spec rule that decides."},
      {"log", ordered_json{{"origin", kOrigin},
                           {"seed", HexEncode(op_seed)},
                           {"vkey", tlog::FormatVerifierKey(op.verifier_key())}}},
      {"witnesses",
       ordered_json{
           {"w1", ordered_json{{"seed", HexEncode(w_seed)},
                               {"vkey", tlog::FormatVerifierKey(witness.verifier_key())}}}}},
      {"numberOfScenarios", scenarios.size()},
      {"scenarios", scenarios}};
  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/client_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
