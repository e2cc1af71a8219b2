// SPDX-License-Identifier: Apache-2.0
// C2SP checkpoints, cosignatures and the witness policy (core/log/checkpoint.h,
// docs/spec/log.md §5): the checkpoint cases of
// native-tests/vectors/external/transparency/signed_note_checkpoint.json
// (C2SP examples, transparency-dev/formats body cases, Go's tree format),
// medseal's own vectors (native-tests/vectors/log/checkpoint_v1.json), and
// bad input for every entry point.
#include "core/log/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/base64.h"
#include "core/codec/hex.h"
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

}  // namespace
}  // namespace medseal::tlog
