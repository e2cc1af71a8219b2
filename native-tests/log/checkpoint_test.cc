// SPDX-License-Identifier: Apache-2.0
// C2SP checkpoints, cosignatures and the witness policy (core/log/checkpoint.h,
// docs/spec/log.md §5): the checkpoint cases of
// native-tests/vectors/external/transparency/signed_note_checkpoint.json
// (C2SP examples, transparency-dev/formats body cases, Go's tree format),
// medseal's own vectors (native-tests/vectors/log/checkpoint_v1.json), and
// bad input for every entry point.
#include "core/log/checkpoint.h"

#include <gtest/gtest.h>

#include <charconv>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "core/codec/base64.h"
#include "core/codec/hex.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/mldsa.h"
#include "core/crypto/sha2.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

const char* kVectors = "external/transparency/signed_note_checkpoint.json";

Bytes B64(const std::string& s) {
  auto b = Base64Decode(s, Base64Padding::kRequired);
  if (!b.ok()) {
    ADD_FAILURE() << "bad base64 in a vector: " << s;
    std::abort();
  }
  return std::move(b).value();
}

// checkpoint_v1.json writes sizes and timestamps as decimal strings (they may
// exceed 2^53); a JSON number there is a defect of the file.
uint64_t Decimal(const nlohmann::json& v) {
  if (!v.is_string()) {
    ADD_FAILURE() << "not a decimal string in a vector: " << v.dump();
    std::abort();
  }
  const std::string& s = v.get_ref<const std::string&>();
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() ||
      (s[0] == '0' && s.size() > 1)) {
    ADD_FAILURE() << "bad decimal string in a vector: " << s;
    std::abort();
  }
  return n;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(CheckpointVectors, ParseOnlyExamples) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  size_t checked = 0, lines = 0;
  for (const nlohmann::json& c : doc.at("checkpoints_parse_only")) {
    SCOPED_TRACE(c.at("id").get<std::string>());
    const std::string text = c.at("note").get<std::string>();
    auto note = ParseNote(text);
    ASSERT_OK(note);
    EXPECT_EQ(FormatNote(*note), text);
    auto cp = ParseCheckpointBody(note->text);
    ASSERT_OK(cp);
    const nlohmann::json& want = c.at("expect_parse");
    EXPECT_EQ(cp->origin, want.at("origin").get<std::string>());
    EXPECT_EQ(cp->size, want.at("size").get<uint64_t>());
    EXPECT_EQ(cp->root, B64(want.at("root_hash_b64").get<std::string>()));
    EXPECT_EQ(cp->extensions, want.at("extension_lines").get<std::vector<std::string>>());
    EXPECT_EQ(FormatCheckpointBody(*cp), note->text);
    const nlohmann::json& sigs = c.at("signatures");
    ASSERT_EQ(note->signatures.size(), sigs.size());
    for (size_t i = 0; i < sigs.size(); ++i) {
      EXPECT_EQ(note->signatures[i].name, sigs[i].at("name").get<std::string>());
      EXPECT_EQ(HexEncode(note->signatures[i].key_id), sigs[i].at("key_id").get<std::string>());
      EXPECT_EQ(note->signatures[i].signature.size(),
                sigs[i].at("signature_bytes_after_key_id").get<size_t>());
      ++lines;
    }
    if (sigs.size() == 2) {
      // The witness line of tlog-cosignature.md: its timestamp is the one of
      // the spec's example message ("time 1679315147").
      const Bytes& blob = note->signatures[1].signature;
      uint64_t t = 0;
      for (size_t i = 0; i < 8; ++i) t = t << 8 | blob[i];
      EXPECT_EQ(t, 1679315147u);
      EXPECT_EQ(AsText(CosignatureMessage(t, note->text)),
                "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
                "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
    }
    ++checked;
  }
  EXPECT_EQ(checked, 2u);
  EXPECT_EQ(lines, 3u);
}

// transparency-dev/formats' body cases. Their roots are 7 and 38 bytes, so
// they are checked with ParseCheckpointBody(text, 0) (any root length); the
// default 32-byte parser rejects all of them. One valid case there ("valid
// with trailing newlines": three empty extension lines) is rejected here:
// C2SP tlog-checkpoint "Extension lines, if any, MUST be non-empty" (C7).
TEST(CheckpointVectors, BodyParseCases) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  size_t accepted = 0, rejected = 0, stricter = 0;
  for (const nlohmann::json& c : doc.at("checkpoint_body_parse").at("cases")) {
    const std::string desc = c.at("desc").get<std::string>();
    SCOPED_TRACE(desc);
    const std::string body = c.at("body").get<std::string>();
    EXPECT_CODE(ParseCheckpointBody(body), ErrorCode::kMalformed);
    auto cp = ParseCheckpointBody(body, 0);
    if (c.at("want_error").get<bool>()) {
      EXPECT_CODE(cp, ErrorCode::kMalformed);
      ++rejected;
      continue;
    }
    const nlohmann::json& want = c.at("want");
    if (desc == "valid with trailing newlines") {
      EXPECT_EQ(want.at("rest").get<std::string>(), "\n\n\n");
      EXPECT_CODE(cp, ErrorCode::kMalformed);
      ++stricter;
      continue;
    }
    ASSERT_OK(cp);
    EXPECT_EQ(cp->origin, want.at("origin").get<std::string>());
    EXPECT_EQ(cp->size, want.at("size").get<uint64_t>());
    EXPECT_EQ(cp->root, B64(want.at("root_hash_b64").get<std::string>()));
    EXPECT_EQ(Joined(cp->extensions), want.at("rest").get<std::string>());
    EXPECT_EQ(FormatCheckpointBody(*cp), body);
    ++accepted;
  }
  EXPECT_EQ(accepted, 4u);
  EXPECT_EQ(stricter, 1u);
  EXPECT_EQ(rejected, 7u);
}

TEST(CheckpointVectors, BodyMarshalCases) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  size_t n = 0;
  for (const nlohmann::json& c : doc.at("checkpoint_body_marshal").at("cases")) {
    Checkpoint cp{c.at("origin").get<std::string>(),
                  c.at("size").get<uint64_t>(),
                  B64(c.at("root_hash_b64").get<std::string>()),
                  {}};
    EXPECT_EQ(FormatCheckpointBody(cp), c.at("want").get<std::string>());
    ++n;
  }
  EXPECT_EQ(n, 2u);
}

TEST(CheckpointVectors, GoSumdbTreeFormat) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  const nlohmann::json& t = doc.at("sumdb_tree_format");
  Bytes leaf{0x00};
  const std::string hello = "hello world";
  leaf.insert(leaf.end(), hello.begin(), hello.end());
  Checkpoint cp{"go.sum database tree", t.at("size").get<uint64_t>(), Sha256(leaf), {}};
  EXPECT_EQ(FormatCheckpointBody(cp), t.at("want").get<std::string>());
  auto parsed = ParseCheckpointBody(t.at("want").get<std::string>());
  ASSERT_OK(parsed);
  EXPECT_EQ(*parsed, cp);
  const auto& bad = t.at("bad");
  ASSERT_EQ(bad.size(), 3u);
  // Another origin parses (the origin is checked against the log's key, P3).
  auto other = ParseCheckpointBody(bad[0].get<std::string>());
  ASSERT_OK(other);
  EXPECT_NE(other->origin, cp.origin);
  EXPECT_CODE(ParseCheckpointBody(bad[1].get<std::string>()), ErrorCode::kMalformed);  // 0x...
  EXPECT_CODE(ParseCheckpointBody(bad[2].get<std::string>()), ErrorCode::kMalformed);  // root
}

// Go's sumdb heads are signed by a key whose name is not the origin: the
// signature verifies, but medseal's policy (origin = log key name, P3)
// rejects them as another log's.
TEST(CheckpointVectors, GoSumdbHeadsFailTheOriginRule) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  size_t n = 0;
  for (const nlohmann::json& c : doc.at("notes")) {
    if (!c.contains("checkpoint")) continue;
    Bytes bytes = testing::HexOrDie(c.at("note_hex").get<std::string>());
    auto key = ParseVerifierKey(c.at("trusted_vkeys")[0].get<std::string>());
    ASSERT_OK(key);
    auto note = ParseNote(AsText(bytes));
    ASSERT_OK(note);
    EXPECT_OK(VerifyNoteSignature(*note, *key));
    auto cp = ParseCheckpointBody(note->text);
    ASSERT_OK(cp);
    EXPECT_EQ(cp->origin, c.at("checkpoint").at("origin").get<std::string>());
    EXPECT_EQ(cp->size, c.at("checkpoint").at("size").get<uint64_t>());
    EXPECT_EQ(cp->root, B64(c.at("checkpoint").at("root_hash_b64").get<std::string>()));
    LogPolicy policy{*key, {}, 0};
    EXPECT_CODE(VerifyCheckpoint(AsText(bytes), policy), ErrorCode::kSignatureInvalid);
    ++n;
  }
  EXPECT_EQ(n, 2u);
}

// --- own keys ---

class CheckpointTest : public ::testing::Test {
 protected:
  static NoteSigner Log(const std::string& name, uint8_t b) {
    auto s = NoteSigner::FromSeed(name, SecretBytes::CopyFrom(Bytes(32, b)));
    if (!s.ok()) std::abort();
    return std::move(s).value();
  }
  static WitnessSigner Witness(const std::string& name, uint8_t b) {
    auto s = WitnessSigner::FromSeed(name, SecretBytes::CopyFrom(Bytes(32, b)));
    if (!s.ok()) std::abort();
    return std::move(s).value();
  }
  std::string Cosigned(std::string note, const WitnessSigner& w, uint64_t t) {
    auto r = w.Cosign(note, t);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : note;
  }

  NoteSigner log_ = Log("medseal.example/log/v1", 0x10);
  WitnessSigner w1_ = Witness("witness.example/w1", 0x21);
  WitnessSigner w2_ = Witness("witness.example/w2", 0x22);
  WitnessSigner w3_ = Witness("witness.example/w3", 0x23);
  Checkpoint cp_{"medseal.example/log/v1", 42, Bytes(32, 0xab), {}};
  LogPolicy Policy(size_t quorum) const {
    return LogPolicy{
        log_.verifier_key(), {w1_.verifier_key(), w2_.verifier_key(), w3_.verifier_key()}, quorum};
  }
};

TEST_F(CheckpointTest, SignAndVerifyOperatorSignature) {
  auto note = SignCheckpoint(cp_, log_);
  ASSERT_OK(note);
  auto v = VerifyCheckpoint(*note, LogPolicy{log_.verifier_key(), {}, 0});
  ASSERT_OK(v);
  EXPECT_EQ(v->checkpoint, cp_);
  EXPECT_EQ(v->note, *note);
  EXPECT_TRUE(v->cosignatures.empty());
  // With extension lines and size 0.
  Checkpoint ext{cp_.origin, 0, Bytes(32, 0), {"ext one", "ext two"}};
  auto note2 = SignCheckpoint(ext, log_);
  ASSERT_OK(note2);
  auto v2 = VerifyCheckpoint(*note2, Policy(0));
  ASSERT_OK(v2);
  EXPECT_EQ(v2->checkpoint, ext);
}

TEST_F(CheckpointTest, SignRejectsBadCheckpoints) {
  Checkpoint c = cp_;
  c.origin = "other.example/log";
  EXPECT_CODE(SignCheckpoint(c, log_), ErrorCode::kInvalidArgument);
  c = cp_;
  c.root.pop_back();
  EXPECT_CODE(SignCheckpoint(c, log_), ErrorCode::kInvalidArgument);
  c = cp_;
  c.extensions = {""};
  EXPECT_CODE(SignCheckpoint(c, log_), ErrorCode::kInvalidArgument);
  c = cp_;
  c.extensions = {"a\nb"};
  EXPECT_CODE(SignCheckpoint(c, log_), ErrorCode::kInvalidArgument);
  c = cp_;
  c.extensions = {"tab\there"};
  EXPECT_CODE(SignCheckpoint(c, log_), ErrorCode::kInvalidArgument);
}

TEST_F(CheckpointTest, BodyRejectsBadInput) {
  const std::string root = Base64Encode(Bytes(32, 1), Base64Padding::kRequired);
  const std::string tail = "\n" + root + "\n";
  EXPECT_OK(ParseCheckpointBody("o\n0" + tail));
  EXPECT_OK(ParseCheckpointBody("o\n18446744073709551615" + tail));
  EXPECT_CODE(ParseCheckpointBody("o\n18446744073709551616" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n00" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n01" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n+1" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n-0" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n 1" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1 " + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("\n1" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody(""), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1\n" + root), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1\n" + root.substr(0, 43) + "\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1\n" + root.substr(0, 42) + "B=\n"), ErrorCode::kMalformed);
  EXPECT_CODE(
      ParseCheckpointBody("o\n1\n" + Base64Encode(Bytes(33, 1), Base64Padding::kRequired) + "\n"),
      ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1\n\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1" + tail + "\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\n1" + tail + "ext\n\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("o\r\n1" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody("\xFF\n1" + tail), ErrorCode::kMalformed);
  EXPECT_CODE(ParseCheckpointBody(std::string(kMaxNoteBytes, 'o') + "\n1" + tail),
              ErrorCode::kTooLarge);
  auto ok = ParseCheckpointBody("o p+q\n1" + tail + "ext 1\n");
  ASSERT_OK(ok);  // an origin is not a key name: spaces and '+' parse
  EXPECT_EQ(ok->extensions, std::vector<std::string>{"ext 1"});
}

TEST_F(CheckpointTest, CosignAndQuorum) {
  const std::string op = *SignCheckpoint(cp_, log_);
  const std::string n1 = Cosigned(op, w1_, 1000);
  const std::string n12 = Cosigned(n1, w2_, 2000);
  auto v = VerifyCheckpoint(n12, Policy(2));
  ASSERT_OK(v);
  ASSERT_EQ(v->cosignatures.size(), 2u);
  EXPECT_EQ(v->cosignatures[0].witness, "witness.example/w1");
  EXPECT_EQ(v->cosignatures[0].timestamp, 1000u);
  EXPECT_EQ(v->cosignatures[1].timestamp, 2000u);
  EXPECT_CODE(VerifyCheckpoint(n12, Policy(3)), ErrorCode::kWitnessQuorum);
  EXPECT_CODE(VerifyCheckpoint(n1, Policy(2)), ErrorCode::kWitnessQuorum);
  EXPECT_OK(VerifyCheckpoint(n1, Policy(1)));
  EXPECT_OK(VerifyCheckpoint(n1, Policy(0)));
  // The cosigned line: key id, 8-byte big-endian timestamp, 64-byte signature.
  Note parsed = *ParseNote(n12);
  ASSERT_EQ(parsed.signatures.size(), 3u);
  const NoteSignature& line = parsed.signatures[1];
  EXPECT_EQ(line.key_id,
            NoteKeyId("witness.example/w1", kNoteKeyCosignatureV1, w1_.verifier_key().public_key));
  ASSERT_EQ(line.signature.size(), 72u);
  EXPECT_EQ(HexEncode(ByteView(line.signature).first(8)), "00000000000003e8");
  EXPECT_OK(Ed25519Verify(w1_.verifier_key().public_key, CosignatureMessage(1000, parsed.text),
                          ByteView(line.signature).subspan(8)));
  auto c = VerifyCosignature(line, w1_.verifier_key(), parsed.text);
  ASSERT_OK(c);
  EXPECT_EQ(c->timestamp, 1000u);
  EXPECT_CODE(VerifyCosignature(line, w2_.verifier_key(), parsed.text),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyCosignature(line, log_.verifier_key(), parsed.text),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(
      VerifyCosignature(line, w1_.verifier_key(),
                        "other\n1\n" + Base64Encode(Bytes(32, 0), Base64Padding::kRequired) + "\n"),
      ErrorCode::kSignatureInvalid);
  // A witness that cosigns again replaces its own line.
  const std::string again = Cosigned(n12, w1_, 3000);
  auto va = VerifyCheckpoint(again, Policy(2));
  ASSERT_OK(va);
  EXPECT_EQ(ParseNote(again)->signatures.size(), 3u);
  EXPECT_EQ(va->cosignatures[0].timestamp, 3000u);
  // Cosign: bad input.
  EXPECT_CODE(w1_.Cosign(op, uint64_t{1} << 63), ErrorCode::kInvalidArgument);
  EXPECT_OK(w1_.Cosign(op, (uint64_t{1} << 63) - 1));
  EXPECT_CODE(w1_.Cosign("not a note", 1), ErrorCode::kMalformed);
  Note bad_body{"just text\n", {}};
  ASSERT_OK(log_.Sign(bad_body));
  EXPECT_CODE(w1_.Cosign(FormatNote(bad_body), 1), ErrorCode::kMalformed);
  EXPECT_CODE(WitnessSigner::FromSeed("w", SecretBytes::CopyFrom(Bytes(16, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(WitnessSigner::FromSeed("w w", SecretBytes::CopyFrom(Bytes(32, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_EQ(w1_.verifier_key().type, kNoteKeyCosignatureV1);
}

TEST_F(CheckpointTest, PolicyChecks) {
  EXPECT_OK(CheckLogPolicy(Policy(3)));
  EXPECT_CODE(CheckLogPolicy(Policy(4)), ErrorCode::kInvalidArgument);
  const std::string op = *SignCheckpoint(cp_, log_);
  EXPECT_CODE(VerifyCheckpoint(op, Policy(4)), ErrorCode::kInvalidArgument);
  LogPolicy p = Policy(1);
  p.log_key.type = kNoteKeyCosignatureV1;
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  p.log_key.key_id[0] ^= 1;
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  p.log_key.public_key.pop_back();
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  p.witnesses[1] = log_.verifier_key();  // type 0x01 as a witness
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  p.witnesses[1] = p.witnesses[0];
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  // Two names on one public key: one cosignature would count twice.
  p.witnesses[1].name = "witness.example/alias";
  p.witnesses[1].public_key = p.witnesses[0].public_key;
  p.witnesses[1].key_id = NoteKeyId(p.witnesses[1].name, kNoteKeyCosignatureV1,
                                    p.witnesses[1].public_key);
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
  p = Policy(1);
  p.witnesses[2].name = "bad name";
  p.witnesses[2].key_id = NoteKeyId(p.witnesses[2].name, kNoteKeyCosignatureV1,
                                    p.witnesses[2].public_key);
  EXPECT_CODE(CheckLogPolicy(p), ErrorCode::kInvalidArgument);
}

// native-tests/vectors/log/checkpoint_v1.json (generated).
TEST(CheckpointGeneratedVectors, AllCases) {
  const nlohmann::json doc = testing::LoadVectorJson("log/checkpoint_v1.json");
  std::map<std::string, NoteVerifierKey> logs, witnesses;
  std::map<std::string, Bytes> log_seeds, witness_seeds;
  for (const auto& [id, k] : doc.at("keys").at("logs").items()) {
    auto key = ParseVerifierKey(k.at("vkey").get<std::string>());
    ASSERT_OK(key);
    EXPECT_EQ(key->type, kNoteKeyEd25519);
    Bytes seed = testing::HexOrDie(k.at("seed").get<std::string>());
    auto signer = NoteSigner::FromSeed(k.at("name").get<std::string>(),
                                       SecretBytes::CopyFrom(seed));
    ASSERT_OK(signer);
    EXPECT_EQ(signer->verifier_key(), *key);
    logs[id] = *key;
    log_seeds[id] = seed;
  }
  for (const auto& [id, k] : doc.at("keys").at("witnesses").items()) {
    auto key = ParseVerifierKey(k.at("vkey").get<std::string>());
    ASSERT_OK(key);
    EXPECT_EQ(key->type, kNoteKeyCosignatureV1);
    Bytes seed = testing::HexOrDie(k.at("seed").get<std::string>());
    auto signer = WitnessSigner::FromSeed(k.at("name").get<std::string>(),
                                          SecretBytes::CopyFrom(seed));
    ASSERT_OK(signer);
    EXPECT_EQ(signer->verifier_key(), *key);
    witnesses[id] = *key;
    witness_seeds[id] = seed;
  }
  EXPECT_EQ(logs.size(), 3u);
  EXPECT_EQ(witnesses.size(), 5u);
  std::map<std::string, LogPolicy> policies;
  for (const auto& [name, p] : doc.at("policies").items()) {
    LogPolicy policy{logs.at(p.at("log").get<std::string>()), {}, p.at("quorum").get<size_t>()};
    for (const auto& w : p.at("witnesses"))
      policy.witnesses.push_back(witnesses.at(w.get<std::string>()));
    ASSERT_OK(CheckLogPolicy(policy));
    policies[name] = policy;
  }
  EXPECT_EQ(policies.size(), 4u);

  size_t valid = 0, invalid = 0, rebuilt = 0;
  std::map<std::string, size_t> by_error, by_rule;
  for (const nlohmann::json& t : doc.at("tests")) {
    SCOPED_TRACE(t.at("comment").get<std::string>());
    const std::string note = t.at("note").get<std::string>();
    auto r = VerifyCheckpoint(note, policies.at(t.at("policy").get<std::string>()));
    if (t.at("result") == "valid") {
      ASSERT_OK(r);
      const nlohmann::json& want = t.at("checkpoint");
      EXPECT_EQ(r->checkpoint.origin, want.at("origin").get<std::string>());
      EXPECT_EQ(r->checkpoint.size, Decimal(want.at("size")));
      EXPECT_EQ(r->checkpoint.root, B64(want.at("root").get<std::string>()));
      EXPECT_EQ(r->checkpoint.extensions, want.at("extensions").get<std::vector<std::string>>());
      EXPECT_EQ(r->note, note);
      ASSERT_EQ(r->cosignatures.size(), t.at("cosignatures").size());
      for (size_t i = 0; i < r->cosignatures.size(); ++i) {
        EXPECT_EQ(r->cosignatures[i].witness,
                  t.at("cosignatures")[i].at("witness").get<std::string>());
        EXPECT_EQ(r->cosignatures[i].timestamp, Decimal(t.at("cosignatures")[i].at("timestamp")));
      }
      if (t.contains("build")) {
        std::string built;
        for (const auto& step : t.at("build")) {
          const std::string who = step.at("signer").get<std::string>();
          if (who == "log") {
            auto s = NoteSigner::FromSeed(logs.at("log").name,
                                          SecretBytes::CopyFrom(log_seeds.at("log")));
            ASSERT_OK(s);
            auto signed_note = SignCheckpoint(r->checkpoint, *s);
            ASSERT_OK(signed_note);
            built = *signed_note;
          } else {
            auto w = WitnessSigner::FromSeed(witnesses.at(who).name,
                                             SecretBytes::CopyFrom(witness_seeds.at(who)));
            ASSERT_OK(w);
            auto cosigned = w->Cosign(built, Decimal(step.at("timestamp")));
            ASSERT_OK(cosigned);
            built = *cosigned;
          }
        }
        EXPECT_EQ(built, note);
        ++rebuilt;
      }
      ++valid;
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(ErrorCodeName(r.status().code()), t.at("error").get<std::string>());
      ++by_error[t.at("error").get<std::string>()];
      // "<outer>/<inner>" (spec §5.3): P1, P2 and P5 always name their N, C
      // or W rule; P3, P4 and P6 have none.
      const std::string rule = t.at("rule").get<std::string>();
      EXPECT_TRUE(std::regex_match(rule, std::regex("P1/N([1-9]|10)|P2/C[1-7]|P5/W[1-3]|P[346]")))
          << rule;
      ++by_rule[rule.substr(0, 2)];
      ++invalid;
    }
  }
  EXPECT_EQ(doc.at("numberOfTests").get<size_t>(), valid + invalid);
  EXPECT_EQ(valid, 11u);
  EXPECT_EQ(invalid, 27u);
  EXPECT_EQ(rebuilt, 8u);
  EXPECT_EQ(by_error["WITNESS_QUORUM"], 7u);
  EXPECT_EQ(by_error["SIGNATURE_INVALID"], 14u);
  EXPECT_EQ(by_error["MALFORMED"], 6u);
  EXPECT_EQ(by_rule["P1"], 2u);
  EXPECT_EQ(by_rule["P2"], 4u);
  EXPECT_EQ(by_rule["P5"], 8u);
}

// ML-DSA-44 (type 0x06): the signed checkpoint of filippo.io/torchwood's
// litewitness test (external/torchwood-mldsa), whose log signs with a
// timestamped ML-DSA-44 cosignature at time 0.
TEST(CheckpointMlDsa44, TorchwoodLogSignature) {
  const nlohmann::json doc =
      testing::LoadVectorJson("external/torchwood-mldsa/mldsa_checkpoint.json");
  auto key = ParseVerifierKey(doc.at("vkey").get<std::string>());
  ASSERT_OK(key);
  EXPECT_EQ(key->type, kNoteKeyCosignatureMlDsa44);
  EXPECT_EQ(key->public_key.size(), kMlDsa44PublicKeySize);
  EXPECT_EQ(HexEncode(key->key_id), doc.at("key_id").get<std::string>());
  EXPECT_EQ(FormatVerifierKey(*key), doc.at("vkey").get<std::string>());
  auto pair = MlDsa44KeyPairFromSeed(testing::HexOrDie(doc.at("seed_hex").get<std::string>()));
  ASSERT_OK(pair);
  EXPECT_EQ(pair->public_key, key->public_key);

  const std::string text = doc.at("note").get<std::string>();
  auto note = ParseNote(text);
  ASSERT_OK(note);
  ASSERT_EQ(note->signatures.size(), 1u);
  EXPECT_EQ(note->signatures[0].signature.size(), 8u + kMlDsa44SignatureSize);
  auto cp = ParseCheckpointBody(note->text);
  ASSERT_OK(cp);
  EXPECT_EQ(cp->size, 1u);
  Bytes leaf = ToBytes(std::string("\0testonly", 9));
  EXPECT_EQ(cp->root, Sha256(leaf));
  auto c = VerifyCosignature(note->signatures[0], *key, note->text);
  ASSERT_OK(c);
  EXPECT_EQ(c->timestamp, 0u);
  EXPECT_EQ(c->witness, "example.com/mldsa-log");
  // The message does not cover extension lines (tlog-cosignature), but
  // covers origin, size, root, name and timestamp.
  EXPECT_OK(VerifyCosignature(note->signatures[0], *key, note->text + "extension\n"));
  std::string other = note->text;
  other.replace(other.find("\n1\n"), 3, "\n2\n");
  EXPECT_CODE(VerifyCosignature(note->signatures[0], *key, other), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyCosignature(note->signatures[0], *key, "not a checkpoint\n"),
              ErrorCode::kSignatureInvalid);
  NoteSignature bad = note->signatures[0];
  bad.signature[100] ^= 0x01;
  EXPECT_CODE(VerifyCosignature(bad, *key, note->text), ErrorCode::kSignatureInvalid);
  bad = note->signatures[0];
  bad.signature[7] = 1;  // timestamp 1
  EXPECT_CODE(VerifyCosignature(bad, *key, note->text), ErrorCode::kSignatureInvalid);
  bad = note->signatures[0];
  bad.signature.pop_back();
  EXPECT_CODE(VerifyCosignature(bad, *key, note->text), ErrorCode::kSignatureInvalid);
  // Another name on the same key: the message commits to the name.
  NoteVerifierKey renamed = *key;
  renamed.name = "example.com/other";
  renamed.key_id = NoteKeyId(renamed.name, kNoteKeyCosignatureMlDsa44, renamed.public_key);
  NoteSignature moved = note->signatures[0];
  moved.name = renamed.name;
  moved.key_id = renamed.key_id;
  EXPECT_CODE(VerifyCosignature(moved, renamed, note->text), ErrorCode::kSignatureInvalid);
  // A type 0x06 key of the wrong size.
  NoteVerifierKey short_key = *key;
  short_key.public_key.resize(32);
  EXPECT_CODE(VerifyCosignature(note->signatures[0], short_key, note->text),
              ErrorCode::kInvalidArgument);
}

TEST(CheckpointMlDsa44, SubtreeMessageLayout) {
  const Bytes hash(32, 0xab);
  auto msg = SubtreeCosignatureMessage("w", 0x0102030405060708, "log", 9, 10, hash);
  ASSERT_OK(msg);
  EXPECT_EQ(HexEncode(*msg),
            "737562747265652f76310a00"
            "0177"
            "0102030405060708"
            "036c6f67"
            "0000000000000009"
            "000000000000000a" +
                HexEncode(hash));
  EXPECT_CODE(SubtreeCosignatureMessage("", 0, "log", 0, 1, hash), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SubtreeCosignatureMessage("w", 0, std::string(256, 'o'), 0, 1, hash),
              ErrorCode::kInvalidArgument);
  EXPECT_OK(SubtreeCosignatureMessage(std::string(255, 'w'), 0, "o", 0, 1, hash));
  EXPECT_CODE(SubtreeCosignatureMessage("w", 0, "log", 0, 1, Bytes(31, 0)),
              ErrorCode::kInvalidArgument);
}

// An ML-DSA-44 witness in a policy next to Ed25519 witnesses.
TEST_F(CheckpointTest, MlDsa44WitnessCountsTowardTheQuorum) {
  auto pair = MlDsa44KeyPairFromSeed(Bytes(32, 0x66));
  ASSERT_OK(pair);
  NoteVerifierKey pq{"witness.example/pq", {}, kNoteKeyCosignatureMlDsa44, pair->public_key};
  pq.key_id = NoteKeyId(pq.name, pq.type, pq.public_key);
  const std::string op = *SignCheckpoint(cp_, log_);
  const std::string n1 = Cosigned(op, w1_, 1000);
  auto msg = SubtreeCosignatureMessage(pq.name, 1001, cp_.origin, 0, cp_.size, cp_.root);
  ASSERT_OK(msg);
  auto sig = MlDsa44SignDeterministic(RevealSecret(pair->secret_key), *msg, {});
  ASSERT_OK(sig);
  Bytes blob = {0, 0, 0, 0, 0, 0, 0x03, 0xe9};  // 1001
  blob.insert(blob.end(), sig->begin(), sig->end());
  Note n = *ParseNote(n1);
  ASSERT_OK(AddNoteSignature(n, NoteSignature{pq.name, pq.key_id, blob}));
  const std::string both = FormatNote(n);
  LogPolicy policy{log_.verifier_key(), {w1_.verifier_key(), pq}, 2};
  ASSERT_OK(CheckLogPolicy(policy));
  auto v = VerifyCheckpoint(both, policy);
  ASSERT_OK(v);
  ASSERT_EQ(v->cosignatures.size(), 2u);
  EXPECT_EQ(v->cosignatures[1].witness, "witness.example/pq");
  EXPECT_EQ(v->cosignatures[1].timestamp, 1001u);
  EXPECT_CODE(VerifyCheckpoint(n1, policy), ErrorCode::kWitnessQuorum);
  n.signatures.back().signature[50] ^= 0x01;
  EXPECT_CODE(VerifyCheckpoint(FormatNote(n), policy), ErrorCode::kSignatureInvalid);
}

}  // namespace
}  // namespace medseal::tlog
