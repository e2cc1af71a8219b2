// SPDX-License-Identifier: Apache-2.0
// log/checkpoint_v1.json (docs/spec/log.md §5): see log_checkpoint_vectors.h.
// Every case states the code VerifyCheckpoint must return; the generator
// dies if the implementation disagrees, so the file cannot drift from the
// code. Valid cases also carry `build`: the signing steps (SignCheckpoint by
// the log, then Cosign by each witness at its time) that reproduce `note`
// byte for byte (Ed25519 is deterministic).
#include "native-tests/vectors/generate/log_checkpoint_vectors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64.h"
#include "core/codec/hex.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/sha2.h"
#include "core/log/checkpoint.h"
#include "core/log/note.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
using tlog::Checkpoint;
using tlog::LogPolicy;
using tlog::Note;
using tlog::NoteSignature;
using tlog::NoteSigner;
using tlog::WitnessSigner;

constexpr uint64_t kTime = 1764590400;  // 2025-12-01T12:00:00Z

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (log checkpoints): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

struct Key {
  std::string id, name;
  uint8_t seed_byte;
};

ordered_json CheckpointJson(const Checkpoint& c) {
  return ordered_json{{"origin", c.origin},
                      {"size", std::to_string(c.size)},
                      {"root", Base64Encode(c.root, Base64Padding::kRequired)},
                      {"extensions", c.extensions}};
}

Bytes Root(const std::string& label) { return Sha256(AsBytes(label)); }

class Gen {
 public:
  Gen() {
    log_keys_ = {{"log", "medseal.example/log/v1", 0x10},
                 {"other-log", "other.example/log/v1", 0x11},
                 {"impostor", "medseal.example/log/v1", 0x12}};
    witness_keys_ = {{"w1", "witness.example/w1", 0x21},
                     {"w2", "witness.example/w2", 0x22},
                     {"w3", "witness.example/w3", 0x23},
                     {"unknown", "witness.example/unknown", 0x24},
                     {"w3-impostor", "witness.example/w3", 0x25}};
    for (const Key& k : log_keys_) {
      logs_.emplace(k.id, Must(NoteSigner::FromSeed(k.name, Seed(k)), k.id.c_str()));
    }
    for (const Key& k : witness_keys_) {
      witnesses_.emplace(k.id, Must(WitnessSigner::FromSeed(k.name, Seed(k)), k.id.c_str()));
    }
    const tlog::NoteVerifierKey& log = logs_.at("log").verifier_key();
    std::vector<tlog::NoteVerifierKey> ws{witnesses_.at("w1").verifier_key(),
                                          witnesses_.at("w2").verifier_key(),
                                          witnesses_.at("w3").verifier_key()};
    policies_ = {{"log-only", LogPolicy{log, {}, 0}},
                 {"witnesses-optional", LogPolicy{log, ws, 0}},
                 {"2-of-3", LogPolicy{log, ws, 2}},
                 {"3-of-3", LogPolicy{log, ws, 3}}};
  }

  static SecretBytes Seed(const Key& k) { return SecretBytes::CopyFrom(Bytes(32, k.seed_byte)); }

  std::string Signed(const Checkpoint& c, const std::string& log = "log") {
    return Must(tlog::SignCheckpoint(c, logs_.at(log)), "sign checkpoint");
  }
  std::string Cosigned(const std::string& note, const std::string& w, uint64_t t) {
    return Must(witnesses_.at(w).Cosign(note, t), "cosign");
  }

  // A valid note built by the log and then `cosigners` in order.
  std::string Build(const Checkpoint& c, const std::vector<std::pair<std::string, uint64_t>>& cos,
                    ordered_json& build) {
    std::string note = Signed(c);
    build = ordered_json::array({ordered_json{{"signer", "log"}}});
    for (const auto& [w, t] : cos) {
      note = Cosigned(note, w, t);
      build.push_back(ordered_json{{"signer", w}, {"timestamp", std::to_string(t)}});
    }
    return note;
  }

  void Add(const std::string& rule, const std::string& comment, const std::string& policy,
           const std::string& note, const std::string& error, const ordered_json& build = nullptr) {
    auto r = tlog::VerifyCheckpoint(note, policies_.at(policy));
    const std::string got = r.ok() ? "" : std::string(ErrorCodeName(r.status().code()));
    if (got != error) Die(comment + ": VerifyCheckpoint gives '" + got + "', want '" + error + "'");
    ordered_json t{{"tcId", next_id_++}, {"comment", comment}};
    if (!rule.empty()) t["rule"] = rule;
    t["policy"] = policy;
    t["note"] = note;
    if (error.empty()) {
      t["result"] = "valid";
      t["checkpoint"] = CheckpointJson(r->checkpoint);
      ordered_json cos = ordered_json::array();
      for (const auto& c : r->cosignatures) {
        cos.push_back(
            ordered_json{{"witness", c.witness}, {"timestamp", std::to_string(c.timestamp)}});
      }
      t["cosignatures"] = cos;
      if (!build.is_null()) t["build"] = build;
    } else {
      if (rule.empty()) Die("an invalid case needs a rule: " + comment);
      t["result"] = "invalid";
      t["error"] = error;
    }
    tests_.push_back(std::move(t));
  }

  // The note with its signature line number `index` replaced.
  static std::string WithLine(const std::string& note, size_t index, const NoteSignature& sig) {
    Note n = Must(tlog::ParseNote(note), "parse");
    if (index >= n.signatures.size()) Die("no such line");
    n.signatures[index] = sig;
    return tlog::FormatNote(n);
  }
  static NoteSignature Line(const std::string& note, size_t index) {
    Note n = Must(tlog::ParseNote(note), "parse");
    if (index >= n.signatures.size()) Die("no such line");
    return n.signatures[index];
  }
  static std::string Appended(const std::string& note, const NoteSignature& sig) {
    Note n = Must(tlog::ParseNote(note), "parse");
    n.signatures.push_back(sig);
    return tlog::FormatNote(n);
  }

  // A type 0x04 line signed by witness `w` with any timestamp (Cosign
  // refuses those above 2^63 - 1) over `body`.
  NoteSignature RawCosignature(const std::string& w, uint64_t t, const std::string& body) {
    const Key* key = nullptr;
    for (const Key& k : witness_keys_) key = k.id == w ? &k : key;
    if (key == nullptr) Die("no witness " + w);
    Ed25519KeyPair pair = Must(Ed25519FromSeed(Bytes(32, key->seed_byte)), "seed");
    Bytes blob(8);
    for (size_t i = 0; i < 8; ++i) blob[i] = static_cast<uint8_t>(t >> (56 - 8 * i));
    Bytes sig = Must(Ed25519Sign(RevealSecret(pair.secret_key), tlog::CosignatureMessage(t, body)),
                     "sign");
    blob.insert(blob.end(), sig.begin(), sig.end());
    const auto& vk = witnesses_.at(w).verifier_key();
    return NoteSignature{vk.name, vk.key_id, blob};
  }

  ordered_json Keys() const {
    ordered_json logs = ordered_json::object(), ws = ordered_json::object();
    for (const Key& k : log_keys_) {
      logs[k.id] = ordered_json{{"name", k.name},
                                {"seed", HexEncode(Bytes(32, k.seed_byte))},
                                {"vkey", tlog::FormatVerifierKey(logs_.at(k.id).verifier_key())}};
    }
    for (const Key& k : witness_keys_) {
      ws[k.id] = ordered_json{
          {"name", k.name},
          {"seed", HexEncode(Bytes(32, k.seed_byte))},
          {"vkey", tlog::FormatVerifierKey(witnesses_.at(k.id).verifier_key())}};
    }
    return ordered_json{{"logs", logs}, {"witnesses", ws}};
  }

  ordered_json Policies() const {
    ordered_json out = ordered_json::object();
    for (const auto& [name, p] : policies_) {
      ordered_json ws = ordered_json::array();
      for (const auto& w : p.witnesses) {
        for (const Key& k : witness_keys_) {
          if (witnesses_.at(k.id).verifier_key() == w) ws.push_back(k.id);
        }
      }
      out[name] = ordered_json{{"log", "log"}, {"witnesses", ws}, {"quorum", p.quorum}};
    }
    return out;
  }

  ordered_json tests_ = ordered_json::array();

 private:
  std::vector<Key> log_keys_, witness_keys_;
  std::map<std::string, NoteSigner> logs_;
  std::map<std::string, WitnessSigner> witnesses_;
  std::map<std::string, LogPolicy> policies_;
  int next_id_ = 1;
};

}  // namespace

void GenerateLogCheckpointVectors(const std::string& dir) {
  Gen g;
  const std::string origin = "medseal.example/log/v1";
  const Checkpoint cp{origin, 1234, Root("tree of 1234 entries"), {}};
  const std::string body = tlog::FormatCheckpointBody(cp);
  ordered_json build;

  // --- valid ---
  const std::string op = g.Build(cp, {}, build);
  g.Add("", "operator signature only, no witnesses required", "log-only", op, "", build);
  g.Add("", "operator signature only; witnesses optional", "witnesses-optional", op, "", build);
  const std::string w12 = g.Build(cp, {{"w1", kTime}, {"w2", kTime + 7}}, build);
  g.Add("", "2 of 3 witnesses cosign (quorum 2 met)", "2-of-3", w12, "", build);
  g.Add("", "the same note under the log-only policy (cosignatures ignored)", "log-only", w12, "",
        build);
  const std::string w123 = g.Build(cp, {{"w3", kTime + 1}, {"w1", kTime}, {"w2", kTime + 2}},
                                   build);
  g.Add("", "3 of 3 witnesses cosign, in another order", "3-of-3", w123, "", build);
  g.Add("", "3 cosignatures where 2 are required", "2-of-3", w123, "", build);
  {
    const Checkpoint empty{origin, 0, Sha256({}), {}};
    const std::string n = g.Build(empty, {{"w1", 0}, {"w2", (uint64_t{1} << 63) - 1}}, build);
    g.Add("", "empty tree; cosignature timestamps 0 and 2^63 - 1", "2-of-3", n, "", build);
  }
  {
    const Checkpoint ext{origin, 7, Root("tree of 7 entries"), {"extension line one", "x"}};
    const std::string n = g.Build(ext, {{"w2", kTime}, {"w3", kTime}}, build);
    g.Add("", "two extension lines, cosigned (the cosignature covers them)", "2-of-3", n, "",
          build);
  }
  const std::string w12u = g.Cosigned(w12, "unknown", kTime);
  g.Add("", "an unknown witness's cosignature is ignored", "2-of-3", w12u, "");
  {
    NoteSignature junk = g.Line(w12u, 3);
    junk.signature[20] ^= 0x01;
    g.Add("", "an unknown witness's bad cosignature is ignored", "2-of-3",
          Gen::WithLine(w12u, 3, junk), "");
    const std::string imp = g.Cosigned(w12, "w3-impostor", kTime);
    g.Add("P6", "a line with w3's name but another key id is ignored (2 of 3 required 3)", "3-of-3",
          imp, "WITNESS_QUORUM");
  }
  {
    NoteSignature dup = g.Line(w12, 1);
    g.Add("", "a repeated identical cosignature is verified and counted once", "2-of-3",
          Gen::Appended(w12, dup), "");
  }

  // --- quorum ---
  g.Add("P6", "no cosignatures where 2 are required", "2-of-3", op, "WITNESS_QUORUM");
  const std::string w1 = g.Cosigned(op, "w1", kTime);
  g.Add("P6", "1 of the 2 required cosignatures", "2-of-3", w1, "WITNESS_QUORUM");
  g.Add("P6", "2 of 3 where 3 are required", "3-of-3", w12, "WITNESS_QUORUM");
  g.Add("P6", "1 witness and 1 unknown witness where 2 are required", "2-of-3",
        g.Cosigned(w1, "unknown", kTime), "WITNESS_QUORUM");
  {
    NoteSignature dup = g.Line(w1, 1);
    g.Add("P6", "the same witness twice counts once", "2-of-3", Gen::Appended(w1, dup),
          "WITNESS_QUORUM");
    // w1 re-signed at a later time: Cosign replaces its own line, still 1.
    g.Add("P6", "a witness that cosigns again replaces its line (still 1 of 2)", "2-of-3",
          g.Cosigned(w1, "w1", kTime + 60), "WITNESS_QUORUM");
  }

  // --- bad cosignatures by policy witnesses ---
  {
    NoteSignature bad = g.Line(w12, 2);
    bad.signature[8 + 10] ^= 0x01;
    g.Add("P5/W3", "a policy witness's cosignature with one bit flipped", "2-of-3",
          Gen::WithLine(w12, 2, bad), "SIGNATURE_INVALID");
    g.Add("P5/W3", "a bad cosignature fails even where no witness is required",
          "witnesses-optional", Gen::WithLine(w12, 2, bad), "SIGNATURE_INVALID");
    NoteSignature late = g.Line(w12, 2);
    late.signature[7] ^= 0x01;
    g.Add("P5/W3", "a cosignature's timestamp changed after signing", "2-of-3",
          Gen::WithLine(w12, 2, late), "SIGNATURE_INVALID");
    NoteSignature bare = g.Line(w12, 2);
    bare.signature.erase(bare.signature.begin(), bare.signature.begin() + 8);
    g.Add("P5/W1", "a cosignature without its timestamp (64 bytes)", "2-of-3",
          Gen::WithLine(w12, 2, bare), "SIGNATURE_INVALID");
    NoteSignature longer = g.Line(w12, 2);
    longer.signature.push_back(0);
    g.Add("P5/W1", "a cosignature of 73 bytes", "2-of-3", Gen::WithLine(w12, 2, longer),
          "SIGNATURE_INVALID");
  }
  g.Add("P5/W2", "a cosignature with timestamp 2^63, validly signed", "2-of-3",
        Gen::Appended(w1, g.RawCosignature("w2", uint64_t{1} << 63, body)), "SIGNATURE_INVALID");
  {
    const Checkpoint other{origin, 1235, Root("tree of 1235 entries"), {}};
    const std::string n = g.Cosigned(g.Signed(other), "w2", kTime);
    g.Add("P5/W3", "a cosignature of another checkpoint copied in", "2-of-3",
          Gen::Appended(w1, g.Line(n, 1)), "SIGNATURE_INVALID");
  }
  g.Add(
      "P5/W3", "a cosignature over the body without the cosignature/v1 header", "2-of-3",
      [&] {
        NoteSignature s = g.RawCosignature("w2", kTime, body);
        // Re-sign the bare body (what a type 0x01 signer would sign).
        Ed25519KeyPair pair = Must(Ed25519FromSeed(Bytes(32, 0x22)), "seed");
        Bytes sig = Must(Ed25519Sign(RevealSecret(pair.secret_key), AsBytes(body)), "sign");
        std::copy(sig.begin(), sig.end(), s.signature.begin() + 8);
        return Gen::Appended(w1, s);
      }(),
      "SIGNATURE_INVALID");

  // --- origin and operator signature ---
  {
    const Checkpoint other{"other.example/log/v1", 1234, cp.root, {}};
    g.Add("P3", "another log's checkpoint (origin is not the log key's name)", "log-only",
          g.Signed(other, "other-log"), "SIGNATURE_INVALID");
    g.Add("P4", "signed by another key with the log's name (another key id)", "log-only",
          g.Signed(cp, "impostor"), "SIGNATURE_INVALID");
    NoteSignature bad = g.Line(op, 0);
    bad.signature[0] ^= 0x80;
    g.Add("P4", "the operator signature with one bit flipped", "log-only",
          Gen::WithLine(op, 0, bad), "SIGNATURE_INVALID");
    g.Add(
        "P4", "only witness cosignatures, no operator signature", "2-of-3",
        [&] {
          Note n = Must(tlog::ParseNote(w12), "parse");
          n.signatures.erase(n.signatures.begin());
          return tlog::FormatNote(n);
        }(),
        "SIGNATURE_INVALID");
    std::string changed = op;
    changed.replace(changed.find("\n1234\n"), 6, "\n1235\n");
    g.Add("P4", "the tree size changed after signing", "log-only", changed, "SIGNATURE_INVALID");
    std::string added = w12;
    added.insert(body.size(), "extension\n");
    g.Add("P4", "an extension line added after signing", "2-of-3", added, "SIGNATURE_INVALID");
  }

  // --- grammar ---
  g.Add("P1/N4", "not a signed note (no blank line)", "log-only", body, "MALFORMED");
  g.Add("P1/N3", "a note with a control character", "log-only", "\x01" + op, "MALFORMED");
  {
    std::string lead = op;
    lead.replace(lead.find("\n1234\n"), 6, "\n01234\n");
    g.Add("P2/C5", "size with a leading zero", "log-only", lead, "MALFORMED");
    Note n{origin + "\n1234\n" + Base64Encode(Bytes(31, 1), Base64Padding::kRequired) + "\n", {}};
    auto s = NoteSigner::FromSeed(origin, SecretBytes::CopyFrom(Bytes(32, 0x10)));
    if (!s.ok() || !s->Sign(n).ok()) Die("sign short root");
    g.Add("P2/C6", "a 31-byte root, validly signed", "log-only", tlog::FormatNote(n), "MALFORMED");
    Note e{body + "\n", {}};
    if (!s->Sign(e).ok()) Die("sign empty extension");
    g.Add("P2/C7", "an empty extension line, validly signed", "log-only", tlog::FormatNote(e),
          "MALFORMED");
    Note two{origin + "\n1234\n", {}};
    if (!s->Sign(two).ok()) Die("sign two lines");
    g.Add("P2/C3", "a body of two lines, validly signed", "log-only", tlog::FormatNote(two),
          "MALFORMED");
  }

  ordered_json file{
      {"algorithm",
       "medseal log checkpoints (C2SP tlog-checkpoint, signed-note, tlog-cosignature "
       "v1) under a k-of-n witness policy"},
      {"spec", "docs/spec/log.md §4, §5"},
      {"notes",
       "Each test: VerifyCheckpoint(note, policies[policy]) with the keys below (ParseVerifierKey "
       "of each vkey; NoteSigner/WitnessSigner::FromSeed(name, seed) give the same keys). Valid: "
       "it succeeds with `checkpoint` (root in standard padded base64) and `cosignatures` (the "
       "policy witnesses whose cosignature verified, in policy order, witness = key name). "
       "Where `build` is given, SignCheckpoint by the log key and then Cosign by each listed "
       "witness at `timestamp`, in order, give `note` byte for byte. Invalid: it fails with "
       "`error`; `rule` names the rule of docs/spec/log.md §5.3 that decides, followed for "
       "P1, P2 and P5 by the inner rule (§4.2 N, §5.1 C, §5.2 W) as `<outer>/<inner>`, e.g. "
       "`P1/N4`, `P2/C5`, `P5/W3`. Sizes and timestamps (`checkpoint.size`, "
       "`cosignatures[].timestamp`, `build[].timestamp`) are decimal strings: they may exceed "
       "2^53 (a timestamp may be up to 2^63 - 1), which a double cannot hold exactly."},
      {"keys", g.Keys()},
      {"policies", g.Policies()},
      {"numberOfTests", g.tests_.size()},
      {"tests", g.tests_}};
  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/checkpoint_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
