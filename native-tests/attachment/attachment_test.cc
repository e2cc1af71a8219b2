// SPDX-License-Identifier: Apache-2.0
// medseal attachments (docs/spec/attachment.md): the card <-> age key
// mapping, the signature object (every MUST-reject rule through the
// vectors), AttachmentWriter / AttachmentReader (streaming, in pieces of
// every size, failures before and after plaintext is released), the
// one-shot helpers, the signature in a sealed record v2 and the consent
// decision of the recipients. Vectors: attachment/attachment_v1.json (the
// generator) and attachment/age_cli_v1.json (Debian's age CLI).
#include "core/attachment/attachment.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/age/header.h"
#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/age/stream.h"
#include "core/codec/base64url.h"
#include "core/codec/bech32.h"
#include "core/codec/hex.h"
#include "core/record/sealed_record.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using nlohmann::json;
using testing::HexOrDie;
using testing::LoadVectorJson;

constexpr UnixMillis kNow = 1764594000000;

Bytes B64(const json& s) {
  auto r = Base64UrlDecode(s.get<std::string>());
  EXPECT_TRUE(r.ok()) << "bad base64url in a vector";
  return r.ok() ? std::move(r).value() : Bytes();
}

std::string CodeName(const Status& s) { return std::string(ErrorCodeName(s.code())); }

const json& Vectors() {
  static const json j = LoadVectorJson("attachment/attachment_v1.json");
  return j;
}

// The identities of the vector file, from their seeds.
class People {
 public:
  People() {
    for (const auto& [key, p] : Vectors()["identities"].items()) {
      auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(p["seedHex"])),
                                   p["name"].get<std::string>(), p["role"].get<std::string>(),
                                   p["created"].get<UnixMillis>());
      MEDSEAL_CHECK(id.ok());
      ids_.emplace(key, std::move(id).value());
    }
  }
  const Identity& operator[](const std::string& key) const {
    auto it = ids_.find(key);
    MEDSEAL_CHECK(it != ids_.end());
    return it->second;
  }

 private:
  std::map<std::string, Identity> ids_;
};

const People& P() {
  static const People people;
  return people;
}

AttachmentMetadata Meta(const std::string& media_type, const std::string& name, uint64_t size) {
  return AttachmentMetadata{media_type, name, size, kNow};
}

Bytes Pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>((i * 131 + 7) & 0xFF);
  return b;
}

// Writes `plain` to `to` in pieces of `piece` bytes.
struct Written {
  Bytes file;
  Bytes signature;
};
Written Write(const Identity& sender, std::vector<const PublicCard*> to, const Bytes& plain,
              size_t piece, uint8_t seed = 9, const std::string& name = "f.bin") {
  ChaChaRng rng(Bytes(32, seed));
  auto w = AttachmentWriter::Create(sender, to,
                                    Meta("application/octet-stream", name, plain.size()), rng);
  MEDSEAL_CHECK(w.ok());
  Written out;
  for (size_t at = 0; at < plain.size(); at += piece) {
    MEDSEAL_CHECK(
        w->Push(ByteView(plain).subspan(at, std::min(piece, plain.size() - at)), out.file).ok());
  }
  auto sig = w->Finish(out.file);
  MEDSEAL_CHECK(sig.ok());
  out.signature = std::move(sig).value();
  return out;
}

// Reads `file` in pieces of `piece` bytes; the status of the first failure
// (or of Finish) and the plaintext released.
Status Read(const Identity& recipient, const PublicCard& sender, ByteView file, ByteView signature,
            size_t piece, Bytes& plain) {
  auto r = AttachmentReader::Create(recipient, signature, sender);
  if (!r.ok()) return r.status();
  for (size_t at = 0; at < file.size(); at += piece) {
    MEDSEAL_RETURN_IF_ERROR(r->Push(file.subspan(at, std::min(piece, file.size() - at)), plain));
  }
  return r->Finish(plain);
}

// ---- key mapping ----

TEST(AttachmentKeys, CardKxKeyIsTheAgeRecipient) {
  for (const auto& [key, p] : Vectors()["identities"].items()) {
    const Identity& id = P()[key];
    EXPECT_EQ(id.card().ToJson(), p["card"].get<std::string>()) << key;
    auto r = AgeRecipientForCard(id.card());
    ASSERT_OK(r);
    EXPECT_EQ(r->kind(), AgeRecipient::Kind::kX25519);
    EXPECT_EQ(r->public_key(), id.card().kx_public_key());
    auto text = AgeRecipientStringForCard(id.card());
    ASSERT_OK(text);
    EXPECT_EQ(*text, p["ageRecipient"].get<std::string>());
    EXPECT_EQ(text->rfind("age1", 0), 0u);
    // The string parses back to the same key (any age tool reads it).
    auto parsed = AgeRecipient::Parse(*text);
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->public_key(), id.card().kx_public_key());
    // The identity matches the recipient, and encodes as the vector says.
    const AgeIdentity age_id = AgeIdentityFor(id);
    auto back = age_id.Recipient();
    ASSERT_OK(back);
    EXPECT_EQ(back->ToString(), *text);
    auto encoded = age_id.Encode();
    ASSERT_OK(encoded);
    EXPECT_EQ(AsText(RevealSecret(*encoded)), p["ageIdentity"].get<std::string>());
  }
}

TEST(AttachmentKeys, PlainAgeToTheCardOpensWithTheIdentity) {
  const Identity& clinician = P()["clinician"];
  auto recipient = AgeRecipient::Parse(*AgeRecipientStringForCard(clinician.card()));
  ASSERT_OK(recipient);
  ChaChaRng rng(Bytes(32, 3));
  const Bytes plain = Pattern(70000);
  auto file = AgeEncrypt(plain, std::span<const AgeRecipient>(&*recipient, 1), rng);
  ASSERT_OK(file);
  const AgeIdentity id = AgeIdentityFor(clinician);
  auto opened = AgeDecrypt(*file, std::span<const AgeIdentity>(&id, 1));
  ASSERT_OK(opened);
  EXPECT_EQ(testing::ToVec(RevealSecret(*opened)), plain);
  // Another identity does not.
  const AgeIdentity other = AgeIdentityFor(P()["nurse"]);
  EXPECT_CODE(AgeDecrypt(*file, std::span<const AgeIdentity>(&other, 1)),
              ErrorCode::kNoMatchingRecipient);
}

// Post-quantum identities: the clinician's and the sender's seeds with an
// X-Wing key (card v2).
Identity PostQuantum(const std::string& key) {
  const json& p = Vectors()["identities"][key];
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(p["seedHex"])),
                               p["name"].get<std::string>(), p["role"].get<std::string>(),
                               p["created"].get<UnixMillis>(), CardKeys::kPostQuantum);
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

TEST(AttachmentKeys, PostQuantumCardIsTheHybridRecipientOnly) {
  const Identity pq = PostQuantum("clinician");
  ASSERT_TRUE(pq.card().has_post_quantum_key());
  ASSERT_NE(pq.xwing_key(), nullptr);
  auto r = AgeRecipientForCard(pq.card());
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), AgeRecipient::Kind::kHybrid);
  EXPECT_TRUE(r->post_quantum());
  EXPECT_EQ(r->public_key(), testing::ToVec(pq.card().xwing_public_key()));
  auto text = AgeRecipientStringForCard(pq.card());
  ASSERT_OK(text);
  // "age1pq1" + Bech32 of the card's X-Wing key, exactly.
  auto expected = Bech32Encode("age1pq", pq.card().xwing_public_key());
  ASSERT_OK(expected);
  EXPECT_EQ(*text, *expected);
  EXPECT_EQ(text->rfind("age1pq1", 0), 0u);
  auto parsed = AgeRecipient::Parse(*text);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->kind(), AgeRecipient::Kind::kHybrid);
  // The identity: "AGE-SECRET-KEY-PQ-1" + Bech32 of the X-Wing seed; its
  // recipient is the card's.
  const AgeIdentity age_id = AgeIdentityFor(pq);
  EXPECT_EQ(age_id.kind(), AgeIdentity::Kind::kHybrid);
  auto back = age_id.Recipient();
  ASSERT_OK(back);
  EXPECT_EQ(back->ToString(), *text);
  auto encoded = age_id.Encode();
  ASSERT_OK(encoded);
  auto expected_id = Bech32EncodeUpper("age-secret-key-pq-", RevealSecret(pq.xwing_key()->seed()));
  ASSERT_OK(expected_id);
  EXPECT_EQ(AsText(RevealSecret(*encoded)), *expected_id);
  // Both age identities of a post-quantum identity: hybrid first, then kx.
  const std::vector<AgeIdentity> all = AgeIdentitiesFor(pq);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind(), AgeIdentity::Kind::kHybrid);
  EXPECT_EQ(all[1].kind(), AgeIdentity::Kind::kX25519);
  auto kx = all[1].Recipient();
  ASSERT_OK(kx);
  EXPECT_EQ(kx->public_key(), pq.card().kx_public_key());
  // A classic identity has one, the X25519 one (as before).
  const std::vector<AgeIdentity> classic = AgeIdentitiesFor(P()["clinician"]);
  ASSERT_EQ(classic.size(), 1u);
  EXPECT_EQ(classic[0].kind(), AgeIdentity::Kind::kX25519);
}

TEST(AttachmentKeys, AttachmentToPostQuantumAndClassicCards) {
  const Identity pq = PostQuantum("clinician");
  const Identity& nurse = P()["nurse"];
  const Identity& sender = P()["sender"];
  const Bytes plain = Pattern(70000);
  const Written w = Write(sender, {&pq.card(), &nurse.card()}, plain, 5000);
  // One stanza per card: the hybrid for the post-quantum card (instead of
  // its X25519 key), X25519 for the classic one, in card order.
  auto header = ParseAgeHeader(w.file);
  ASSERT_OK(header);
  ASSERT_EQ(header->stanzas.size(), 2u);
  EXPECT_EQ(header->stanzas[0].type, "mlkem768x25519");
  EXPECT_EQ(header->stanzas[1].type, "X25519");
  // Each identity opens it; the post-quantum one through its hybrid stanza.
  for (const Identity* reader : {&pq, &nurse}) {
    Bytes out;
    EXPECT_OK(Read(*reader, sender.card(), w.file, w.signature, 4096, out));
    EXPECT_EQ(out, plain);
  }
  const AgeIdentity hybrid_only = AgeIdentityFor(pq);
  auto opened = AgeDecrypt(w.file, std::span<const AgeIdentity>(&hybrid_only, 1));
  ASSERT_OK(opened);
  EXPECT_EQ(testing::ToVec(RevealSecret(*opened)), plain);
  // The post-quantum identity's kx key alone does not open it: the card
  // got no X25519 stanza.
  const std::vector<AgeIdentity> all = AgeIdentitiesFor(pq);
  EXPECT_CODE(AgeDecrypt(w.file, std::span<const AgeIdentity>(&all[1], 1)),
              ErrorCode::kNoMatchingRecipient);
  // Nor the classic identity of the same seed (the same kx key).
  Bytes out;
  EXPECT_CODE(Read(P()["clinician"], sender.card(), w.file, w.signature, 4096, out),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_TRUE(out.empty());
  // A post-quantum sender writes the same way, and a file another tool
  // encrypted to the post-quantum identity's kx key ("age1...") still opens.
  const Identity pq_sender = PostQuantum("sender");
  const Written w2 = Write(pq_sender, {&pq.card()}, plain, 70000);
  Bytes out2;
  EXPECT_OK(Read(pq, pq_sender.card(), w2.file, w2.signature, 70000, out2));
  EXPECT_EQ(out2, plain);
  auto kx = all[1].Recipient();
  ASSERT_OK(kx);
  ChaChaRng rng(Bytes(32, 4));
  auto classic_file = AgeEncrypt(plain, std::span<const AgeRecipient>(&*kx, 1), rng);
  ASSERT_OK(classic_file);
  auto classic_header = ParseAgeHeader(*classic_file);
  ASSERT_OK(classic_header);
  const Bytes header_bytes(classic_file->begin(),
                           classic_file->begin() + static_cast<long>(classic_header->size));
  auto sig = SignAttachment(sender, header_bytes, Sha256(*classic_file),
                            Meta("text/plain", "classic.txt", plain.size()));
  ASSERT_OK(sig);
  Bytes out3;
  EXPECT_OK(Read(pq, sender.card(), *classic_file, *sig, 1000, out3));
  EXPECT_EQ(out3, plain);
}

// A post-quantum card's age keys, checked against an independent age
// implementation: attachment/age_pq_card_v1.json (written by
// native-tests/vectors/generate/age_pq_card_vectors.mjs with typage, which
// derived the same recipient from the identity string and encrypted the
// files to it).
TEST(AttachmentKeys, PostQuantumCardVector) {
  const json v = LoadVectorJson("attachment/age_pq_card_v1.json");
  const json& p = v["identity"];
  ASSERT_EQ(p["cardKeys"].get<std::string>(), "post-quantum");
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(p["seedHex"])),
                               p["name"].get<std::string>(), p["role"].get<std::string>(),
                               p["created"].get<UnixMillis>(), CardKeys::kPostQuantum);
  ASSERT_OK(id);
  EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>());
  auto text = AgeRecipientStringForCard(id->card());
  ASSERT_OK(text);
  EXPECT_EQ(*text, v["ageRecipient"].get<std::string>());
  auto encoded = AgeIdentityFor(*id).Encode();
  ASSERT_OK(encoded);
  EXPECT_EQ(AsText(RevealSecret(*encoded)), v["ageIdentity"].get<std::string>());
  ASSERT_EQ(v["files"].size(), 3u);
  const std::vector<AgeIdentity> ids = AgeIdentitiesFor(*id);
  const AgeIdentity classic = AgeIdentityFor(P()["clinician"]);
  for (const json& f : v["files"]) {
    SCOPED_TRACE(f["comment"].get<std::string>());
    const Bytes file = B64(f["file"]);
    auto opened = AgeDecrypt(file, ids);
    ASSERT_OK(opened);
    EXPECT_EQ(testing::ToVec(RevealSecret(*opened)), B64(f["plaintext"]));
    if (f["armored"].get<bool>()) continue;
    auto header = ParseAgeHeader(file);
    ASSERT_OK(header);
    ASSERT_EQ(header->stanzas.size(), 1u);
    EXPECT_EQ(header->stanzas[0].type, "mlkem768x25519");
    EXPECT_CODE(AgeDecrypt(file, std::span<const AgeIdentity>(&classic, 1)),
                ErrorCode::kNoMatchingRecipient);
  }
}

// Files made by Debian's age 1.1.1 CLI (`age -r <card's age1...>`, binary
// and armored) open with the medseal identity, and can be attached.
TEST(AttachmentKeys, AgeCliFilesOpenWithTheIdentity) {
  const json cli = LoadVectorJson("attachment/age_cli_v1.json");
  ASSERT_GE(cli["files"].size(), 2u);
  const Identity& clinician = P()["clinician"];
  EXPECT_EQ(cli["recipient"].get<std::string>(), *AgeRecipientStringForCard(clinician.card()));
  const AgeIdentity id = AgeIdentityFor(clinician);
  for (const json& f : cli["files"]) {
    SCOPED_TRACE(f["comment"].get<std::string>());
    const Bytes file = B64(f["file"]);
    const Bytes plain = B64(f["plaintext"]);
    auto opened = AgeDecrypt(file, std::span<const AgeIdentity>(&id, 1));
    ASSERT_OK(opened);
    EXPECT_EQ(testing::ToVec(RevealSecret(*opened)), plain);
    if (f["armored"].get<bool>()) continue;
    // A file from another tool, attached: signed by the sender afterwards.
    auto header = ParseAgeHeader(file);
    ASSERT_OK(header);
    const Bytes header_bytes(file.begin(), file.begin() + static_cast<long>(header->size));
    auto sig = SignAttachment(P()["sender"], header_bytes, Sha256(file),
                              Meta("text/plain", "from-age-cli.txt", plain.size()));
    ASSERT_OK(sig);
    Bytes out;
    EXPECT_OK(Read(clinician, P()["sender"].card(), file, *sig, 1000, out));
    EXPECT_EQ(out, plain);
  }
}

// ---- the signature object ----

TEST(AttachmentSignatureVectors, SignIsDeterministicAndMatches) {
  const json& cases = Vectors()["sign"];
  ASSERT_GE(cases.size(), 5u);
  for (const json& c : cases) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    const json& m = c["metadata"];
    const AttachmentMetadata meta{m["mediaType"], m["name"], m["size"].get<uint64_t>(),
                                  m["created"].get<UnixMillis>()};
    const Bytes header = B64(c["header"]);
    const Bytes hash = HexOrDie(c["fileSha256Hex"]);
    auto sig = SignAttachment(P()[c["signer"]], header, hash, meta);
    ASSERT_OK(sig);
    EXPECT_EQ(AsText(*sig), c["signature"].get<std::string>());
    auto parsed = ParseAttachmentSignature(*sig);
    ASSERT_OK(parsed);
    EXPECT_EQ(HexEncode(parsed->SignedBytes()), c["signedBytesHex"].get<std::string>());
    EXPECT_EQ(parsed->metadata.name, meta.name);
    EXPECT_EQ(parsed->metadata.size, meta.size);
    EXPECT_OK(VerifyAttachment(*sig, P()[c["signer"]].card(), header, hash));
  }
}

TEST(AttachmentSignatureVectors, SignedBytesLayout) {
  // spec §3, byte for byte, independently of the implementation's writer.
  const json& c = Vectors()["sign"][1];
  const Bytes signed_bytes = HexOrDie(c["signedBytesHex"]);
  Bytes expected = ToBytes("medseal/v1/attachment-signature");
  expected.push_back(0);
  const Bytes kid = P()[c["signer"]].key_id();
  expected.insert(expected.end(), kid.begin(), kid.end());
  const Bytes h = Sha256(B64(c["header"]));
  expected.insert(expected.end(), h.begin(), h.end());
  const Bytes f = HexOrDie(c["fileSha256Hex"]);
  expected.insert(expected.end(), f.begin(), f.end());
  const json& m = c["metadata"];
  for (const char* k : {"mediaType", "name"}) {
    const std::string s = m[k];
    expected.push_back(static_cast<uint8_t>(s.size()));
    expected.insert(expected.end(), s.begin(), s.end());
  }
  for (const char* k : {"size", "created"}) {
    const uint64_t v = m[k].get<uint64_t>();
    for (int i = 0; i < 8; ++i) expected.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  EXPECT_EQ(signed_bytes, expected);
}

TEST(AttachmentSignatureVectors, ParseRejectsEveryRuleWithItsCode) {
  std::set<std::string> rules;
  size_t ok_cases = 0;
  for (const json& c : Vectors()["parse"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    const std::string text = c["json"];
    auto r = ParseAttachmentSignature(AsBytes(text));
    if (c.contains("ok")) {
      ASSERT_OK(r);
      auto again = r->ToJson();
      ASSERT_OK(again);
      EXPECT_EQ(*again, c["ok"].get<std::string>());
      ++ok_cases;
      continue;
    }
    rules.insert(c["rule"].get<std::string>());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(CodeName(r.status()), c["error"].get<std::string>());
    // No message repeats the metadata it refused.
    EXPECT_EQ(r.status().message().find("lab-results"), std::string::npos);
  }
  EXPECT_EQ(ok_cases, 2u);
  for (int i = 1; i <= 24; ++i) {
    EXPECT_TRUE(rules.count("A" + std::to_string(i))) << "no case for rule A" << i;
  }
  EXPECT_TRUE(rules.count("G1"));
}

TEST(AttachmentSignatureVectors, VerifyCases) {
  size_t n = 0;
  for (const json& c : Vectors()["verify"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    const std::string sig = c["signature"];
    auto r = VerifyAttachment(AsBytes(sig), P()[c["sender"]].card(), B64(c["header"]),
                              HexOrDie(c["fileSha256Hex"]));
    if (c.contains("error")) {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(CodeName(r.status()), c["error"].get<std::string>());
    } else {
      EXPECT_OK(r);
    }
    ++n;
  }
  EXPECT_GE(n, 8u);
}

TEST(AttachmentSignature, SignRefusesBadInput) {
  const Identity& sender = P()["sender"];
  const json& f = Vectors()["files"][1];
  const Bytes file = B64(f["file"]);
  auto header = ParseAgeHeader(file);
  ASSERT_OK(header);
  const Bytes h(file.begin(), file.begin() + static_cast<long>(header->size));
  const Bytes hash = Sha256(file);
  const AttachmentMetadata good = Meta("application/pdf", "a.pdf", 1);
  EXPECT_OK(SignAttachment(sender, h, hash, good));
  // Not exactly one header: the whole file, a prefix, garbage, nothing.
  EXPECT_CODE(SignAttachment(sender, file, hash, good), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SignAttachment(sender, ByteView(h).first(h.size() - 1), hash, good),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(SignAttachment(sender, ToBytes("age"), hash, good), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SignAttachment(sender, {}, hash, good), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SignAttachment(sender, h, Bytes(31), good), ErrorCode::kInvalidArgument);
  for (const AttachmentMetadata& bad :
       {Meta("", "a", 1), Meta("PDF", "a", 1), Meta("a/b", "x/y", 1), Meta("a/b", "..", 1),
        Meta("a/b", std::string(256, 'n'), 1), Meta("a/b", "\xFF", 1),
        Meta("a/" + std::string(126, 'b'), "", 1),
        AttachmentMetadata{"a/b", "", uint64_t{1} << 53, 0},
        AttachmentMetadata{"a/b", "", 0, -1}}) {
    EXPECT_CODE(SignAttachment(sender, h, hash, bad), ErrorCode::kInvalidArgument)
        << bad.media_type << " " << bad.name;
  }
  EXPECT_CODE(CheckAttachmentMetadata(Meta("a/" + std::string(126, 'b'), "", 1)),
              ErrorCode::kTooLarge);
  EXPECT_CODE(CheckAttachmentMetadata(Meta("a/b", "\t", 1)), ErrorCode::kMalformed);
  EXPECT_OK(CheckAttachmentMetadata(Meta("a/" + std::string(125, 'b'), std::string(255, 'n'), 1)));
}

TEST(AttachmentSignature, MetadataFromJson) {
  auto m = AttachmentMetadataFromJson(
      R"({"size":5,"name":"a.pdf","created":1764594000000,"mediaType":"application/pdf"})");
  ASSERT_OK(m);
  EXPECT_EQ(m->media_type, "application/pdf");
  EXPECT_EQ(m->name, "a.pdf");
  EXPECT_EQ(m->size, 5u);
  EXPECT_EQ(m->created, 1764594000000);
  // Values are not checked here (CheckAttachmentMetadata is, where used).
  EXPECT_OK(AttachmentMetadataFromJson(R"({"size":0,"name":"/","created":0,"mediaType":"X"})"));
  for (const char* bad : {"", "[]", "{", R"({"size":5,"name":"a","created":0})",
                          R"({"size":5,"name":"a","created":0,"mediaType":"a/b","x":1})",
                          R"({"size":-1,"name":"a","created":0,"mediaType":"a/b"})",
                          R"({"size":1.5,"name":"a","created":0,"mediaType":"a/b"})",
                          R"({"size":1,"name":"a","created":-1,"mediaType":"a/b"})",
                          R"({"size":"1","name":"a","created":0,"mediaType":"a/b"})",
                          R"({"size":1,"name":2,"created":0,"mediaType":"a/b"})"}) {
    EXPECT_CODE(AttachmentMetadataFromJson(bad), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_CODE(AttachmentMetadataFromJson(std::string(5000, ' ')), ErrorCode::kTooLarge);
}

TEST(AttachmentSignature, VerifySenderChecksKeyIdThenSignature) {
  const json& f = Vectors()["files"][1];
  const std::string sig = f["signature"];
  EXPECT_OK(VerifyAttachmentSender(AsBytes(sig), P()["sender"].card()));
  EXPECT_CODE(VerifyAttachmentSender(AsBytes(sig), P()["nurse"].card()),
              ErrorCode::kSenderMismatch);
  EXPECT_CODE(VerifyAttachmentSender(ToBytes("{}"), P()["sender"].card()), ErrorCode::kMalformed);
}

// ---- writer and reader ----

TEST(AttachmentFileVectors, WriterReproducesTheFiles) {
  const json& files = Vectors()["files"];
  ASSERT_GE(files.size(), 4u);
  for (const json& f : files) {
    SCOPED_TRACE(f["comment"].get<std::string>());
    std::vector<const PublicCard*> cards;
    for (const json& r : f["recipients"]) cards.push_back(&P()[r].card());
    const json& m = f["metadata"];
    const AttachmentMetadata meta{m["mediaType"], m["name"], m["size"].get<uint64_t>(),
                                  m["created"].get<UnixMillis>()};
    ChaChaRng rng(HexOrDie(f["rngSeedHex"]));
    auto w = AttachmentWriter::Create(P()[f["sender"]], cards, meta, rng);
    ASSERT_OK(w);
    const Bytes plain = B64(f["plaintext"]);
    Bytes file;
    size_t at = 0;
    for (const json& n : f["pushes"]) {
      ASSERT_OK(w->Push(ByteView(plain).subspan(at, n.get<size_t>()), file));
      at += n.get<size_t>();
    }
    auto sig = w->Finish(file);
    ASSERT_OK(sig);
    EXPECT_EQ(file, B64(f["file"]));
    EXPECT_EQ(AsText(*sig), f["signature"].get<std::string>());
    EXPECT_EQ(w->header(),
              Bytes(file.begin(), file.begin() + static_cast<long>(w->header().size())));
    // Every recipient reads it, in pieces of several sizes.
    for (const json& r : f["recipients"]) {
      for (size_t piece : {size_t{1} << 20, size_t{65552}, size_t{4096}, size_t{17}}) {
        Bytes out;
        EXPECT_OK(Read(P()[r], P()[f["sender"]].card(), file, *sig, piece, out));
        EXPECT_EQ(out, plain);
      }
    }
  }
}

TEST(AttachmentFileVectors, ReadCases) {
  size_t failures = 0;
  for (const json& c : Vectors()["read"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    const Bytes file = B64(c["file"]);
    const std::string sig = c["signature"];
    for (size_t piece : {file.size() + 1, size_t{1000}, size_t{1}}) {
      Bytes out;
      const Status s = Read(P()[c["recipient"]], P()[c["sender"]].card(), file, AsBytes(sig), piece,
                            out);
      if (c.contains("error")) {
        EXPECT_EQ(CodeName(s), c["error"].get<std::string>()) << piece;
      } else {
        EXPECT_OK(s);
        EXPECT_EQ(out, B64(c["plaintext"]));
      }
    }
    auto one = DecryptAttachment(file, AsBytes(sig), P()[c["recipient"]], P()[c["sender"]].card());
    if (c.contains("error")) {
      ++failures;
      EXPECT_EQ(CodeName(one.status()), c["error"].get<std::string>());
    } else {
      ASSERT_OK(one);
      EXPECT_EQ(testing::ToVec(RevealSecret(*one)), B64(c["plaintext"]));
    }
  }
  EXPECT_GE(failures, 10u);
}

TEST(AttachmentReader, ChunkBoundariesRoundTrip) {
  const Identity& sender = P()["sender"];
  const Identity& clinician = P()["clinician"];
  for (size_t n : {size_t{0}, size_t{1}, kAgeChunkSize - 1, kAgeChunkSize, kAgeChunkSize + 1,
                   2 * kAgeChunkSize, 3 * kAgeChunkSize + 5}) {
    SCOPED_TRACE(n);
    const Bytes plain = Pattern(n);
    for (size_t piece : {size_t{1} << 22, size_t{7777}}) {
      const Written w = Write(sender, {&clinician.card()}, plain, piece);
      Bytes out;
      EXPECT_OK(Read(clinician, sender.card(), w.file, w.signature, 5000, out));
      EXPECT_EQ(out, plain);
      // The streaming and one-shot writers agree.
      ChaChaRng rng(Bytes(32, 9));
      std::vector<const PublicCard*> to{&clinician.card()};
      auto one = EncryptAttachment(sender, to, plain, Meta("application/octet-stream", "f.bin", n),
                                   rng);
      ASSERT_OK(one);
      EXPECT_EQ(one->file, w.file);
      EXPECT_EQ(one->signature_json, w.signature);
    }
  }
}

TEST(AttachmentReader, ReleasesAuthenticatedChunksBeforeTheEndAndHoldsTheLast) {
  const Identity& sender = P()["sender"];
  const Identity& clinician = P()["clinician"];
  const Bytes plain = Pattern(3 * kAgeChunkSize + 100);
  const Written w = Write(sender, {&clinician.card()}, plain, 1 << 20);
  auto r = AttachmentReader::Create(clinician, w.signature, sender.card());
  ASSERT_OK(r);
  EXPECT_EQ(r->signature().metadata.size, plain.size());
  EXPECT_EQ(r->signature().sender_key_id, sender.key_id());
  Bytes out;
  // Everything but the last 10 bytes: the chunks before the last are out.
  ASSERT_OK(r->Push(ByteView(w.file).first(w.file.size() - 10), out));
  EXPECT_EQ(out.size(), 3 * kAgeChunkSize);
  EXPECT_EQ(out, Bytes(plain.begin(), plain.begin() + static_cast<long>(out.size())));
  ASSERT_OK(r->Push(ByteView(w.file).last(10), out));
  EXPECT_EQ(out.size(), 3 * kAgeChunkSize);  // the last chunk waits for Finish
  ASSERT_OK(r->Finish(out));
  EXPECT_EQ(out, plain);
  // After Finish: an error, and it sticks.
  EXPECT_CODE(r->Push(Bytes(1), out), ErrorCode::kInvalidArgument);
  EXPECT_CODE(r->Finish(out), ErrorCode::kInvalidArgument);
}

TEST(AttachmentReader, AForgedPayloadFailsAtFinishWithoutItsLastChunk) {
  // A recipient re-encrypts another payload under the signed header: the
  // chunks authenticate (age), the file hash does not (R8).
  const Identity& sender = P()["sender"];
  const Identity& clinician = P()["clinician"];
  const Identity& nurse = P()["nurse"];
  const Bytes plain = Pattern(kAgeChunkSize + 10);
  const Written w = Write(sender, {&clinician.card(), &nurse.card()}, plain, 1 << 20);
  auto header = ParseAgeHeader(w.file);
  ASSERT_OK(header);
  const AgeIdentity age_clinician = AgeIdentityFor(clinician);
  auto key = UnwrapAgeFileKey(*header, std::span<const AgeIdentity>(&age_clinician, 1));
  ASSERT_OK(key);
  auto payload = AgePayloadEncryptor::Create(*key, Bytes(kAgePayloadNonceSize, 1));
  ASSERT_OK(payload);
  Bytes forged(w.file.begin(), w.file.begin() + static_cast<long>(header->size));
  const Bytes other(plain.size(), 'X');
  ASSERT_OK(payload->Push(other, forged));
  ASSERT_OK(payload->Finish(forged));
  auto r = AttachmentReader::Create(nurse, w.signature, sender.card());
  ASSERT_OK(r);
  Bytes out;
  ASSERT_OK(r->Push(forged, out));
  EXPECT_EQ(out.size(), kAgeChunkSize);  // released, authentic age, unverified sender
  EXPECT_CODE(r->Finish(out), ErrorCode::kSignatureInvalid);
  EXPECT_EQ(out.size(), kAgeChunkSize);  // the last chunk was not released
  EXPECT_CODE(r->Push(Bytes(1), out), ErrorCode::kSignatureInvalid);  // sticks
}

TEST(AttachmentReader, AHeaderThatIsNotTheSignedOneReleasesNothingAndTriesNoKey) {
  const Identity& sender = P()["sender"];
  const Identity& clinician = P()["clinician"];
  const Written a = Write(sender, {&clinician.card()}, Pattern(100000), 1 << 20, 1);
  const Written b = Write(sender, {&clinician.card()}, Pattern(100000), 1 << 20, 2);
  // b's header and the first chunk with a's signature.
  auto r = AttachmentReader::Create(clinician, a.signature, sender.card());
  ASSERT_OK(r);
  Bytes out;
  EXPECT_CODE(r->Push(b.file, out), ErrorCode::kSignatureInvalid);
  EXPECT_TRUE(out.empty());
  // Even for a recipient without a stanza: the header check comes first (R4 before R5).
  auto outsider = AttachmentReader::Create(P()["outsider"], a.signature, sender.card());
  ASSERT_OK(outsider);
  EXPECT_CODE(outsider->Push(b.file, out), ErrorCode::kSignatureInvalid);
  auto outsider2 = AttachmentReader::Create(P()["outsider"], a.signature, sender.card());
  ASSERT_OK(outsider2);
  EXPECT_CODE(outsider2->Push(a.file, out), ErrorCode::kNoMatchingRecipient);
  EXPECT_TRUE(out.empty());
}

TEST(AttachmentReader, BadInput) {
  const Identity& sender = P()["sender"];
  const Identity& clinician = P()["clinician"];
  const Written w = Write(sender, {&clinician.card()}, Pattern(10), 10);
  EXPECT_CODE(AttachmentReader::Create(std::span<const AgeIdentity>(), w.signature, sender.card()),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(AttachmentReader::Create(clinician, ToBytes("not json"), sender.card()),
              ErrorCode::kMalformed);
  EXPECT_CODE(AttachmentReader::Create(clinician, w.signature, clinician.card()),
              ErrorCode::kSenderMismatch);
  // An empty file, a file of one byte, a header that never ends.
  Bytes out;
  EXPECT_CODE(Read(clinician, sender.card(), {}, w.signature, 1, out), ErrorCode::kTruncated);
  EXPECT_CODE(Read(clinician, sender.card(), ToBytes("a"), w.signature, 1, out),
              ErrorCode::kTruncated);
  Bytes endless = ToBytes("age-encryption.org/v1\n-> X25519 ");
  endless.resize(kAgeMaxHeaderBytes + 100, 'A');
  const Status s = Read(clinician, sender.card(), endless, w.signature, 4096, out);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(out.empty());
  // Bytes after the last chunk.
  Bytes trailing = w.file;
  trailing.push_back(0);
  EXPECT_FALSE(Read(clinician, sender.card(), trailing, w.signature, 1, out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(AttachmentWriter, BadInput) {
  const Identity& sender = P()["sender"];
  const PublicCard& c = P()["clinician"].card();
  ChaChaRng rng(Bytes(32, 1));
  const AttachmentMetadata m = Meta("image/png", "x.png", 3);
  EXPECT_CODE(AttachmentWriter::Create(sender, std::span<const PublicCard* const>(), m, rng),
              ErrorCode::kInvalidArgument);
  std::vector<const PublicCard*> with_null{&c, nullptr};
  EXPECT_CODE(AttachmentWriter::Create(sender, with_null, m, rng), ErrorCode::kInvalidArgument);
  std::vector<const PublicCard*> twice{&c, &c};
  EXPECT_CODE(AttachmentWriter::Create(sender, twice, m, rng), ErrorCode::kDuplicateRecipient);
  std::vector<const PublicCard*> many(kMaxRecipients + 1, &c);
  EXPECT_CODE(AttachmentWriter::Create(sender, many, m, rng), ErrorCode::kInvalidArgument);
  std::vector<const PublicCard*> one{&c};
  EXPECT_CODE(AttachmentWriter::Create(sender, one, Meta("image/PNG", "x", 3), rng),
              ErrorCode::kInvalidArgument);
  FixedClock bad_clock(-5);
  EXPECT_CODE(AttachmentWriter::Create(sender, one, m, rng, bad_clock),
              ErrorCode::kInvalidArgument);
  FixedClock clock(kNow + 77);
  auto timed = AttachmentWriter::Create(sender, one, m, rng, clock);
  ASSERT_OK(timed);
  EXPECT_EQ(timed->metadata().created, kNow + 77);
  // Pushing more than the size: refused, and it sticks.
  auto w = AttachmentWriter::Create(sender, one, m, rng);
  ASSERT_OK(w);
  Bytes out;
  EXPECT_OK(w->Push(Bytes(2), out));
  EXPECT_CODE(w->Push(Bytes(2), out), ErrorCode::kInvalidArgument);
  EXPECT_CODE(w->Push(Bytes(1), out), ErrorCode::kInvalidArgument);
  EXPECT_CODE(w->Finish(out), ErrorCode::kInvalidArgument);
  // Finishing short; finishing twice.
  auto s = AttachmentWriter::Create(sender, one, m, rng);
  ASSERT_OK(s);
  EXPECT_OK(s->Push(Bytes(1), out));
  EXPECT_CODE(s->Finish(out), ErrorCode::kInvalidArgument);
  auto ok = AttachmentWriter::Create(sender, one, m, rng);
  ASSERT_OK(ok);
  Bytes file;
  EXPECT_OK(ok->Push(Bytes(3), file));
  EXPECT_OK(ok->Finish(file));
  EXPECT_CODE(ok->Finish(file), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ok->Push(Bytes(0), file), ErrorCode::kInvalidArgument);
  // One-shot: a size that is not the plaintext's.
  EXPECT_CODE(EncryptAttachment(sender, one, Bytes(4), m, rng), ErrorCode::kInvalidArgument);
}

TEST(AttachmentWriter, OutlivesTheCallersIdentityAndReturnsBytesPerCall) {
  const Identity& clinician = P()["clinician"];
  std::vector<const PublicCard*> one{&clinician.card()};
  ChaChaRng rng(Bytes(32, 1));
  auto sender = std::make_unique<Identity>(testing::FixtureIdentity(9, "Temp", "patient"));
  const PublicCard sender_card = sender->card();
  auto w = AttachmentWriter::Create(*sender, one, Meta("a/b", "n", 70000), rng);
  ASSERT_OK(w);
  sender.reset();
  auto first = w->Push(Pattern(70000));
  ASSERT_OK(first);
  EXPECT_EQ(first->size(), w->header().size() + kAgePayloadNonceSize + kAgeSealedChunkSize);
  auto tail = w->Finish();
  ASSERT_OK(tail);
  Bytes file = *first;
  file.insert(file.end(), tail->file.begin(), tail->file.end());
  auto r = AttachmentReader::Create(clinician, tail->signature, sender_card);
  ASSERT_OK(r);
  auto a = r->Push(file);
  ASSERT_OK(a);
  EXPECT_EQ(a->size(), kAgeChunkSize);
  auto b = r->Finish();
  ASSERT_OK(b);
  EXPECT_EQ(b->size(), 70000 - kAgeChunkSize);
  EXPECT_CODE(r->Finish(), ErrorCode::kInvalidArgument);
}

TEST(AttachmentWriter, FilesAreMemoryBoundedPerPush) {
  // The writer emits what it encrypts as it goes: after pushing 4 chunks it
  // has written at least 3 of them (constant memory: it holds at most one).
  const Identity& sender = P()["sender"];
  std::vector<const PublicCard*> one{&P()["clinician"].card()};
  ChaChaRng rng(Bytes(32, 1));
  auto w = AttachmentWriter::Create(sender, one, Meta("a/b", "", 4 * kAgeChunkSize), rng);
  ASSERT_OK(w);
  Bytes out;
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(w->Push(Pattern(kAgeChunkSize), out));
  }
  EXPECT_GE(out.size(), w->header().size() + kAgePayloadNonceSize + 3 * kAgeSealedChunkSize);
  out.clear();
  ASSERT_OK(w->Finish(out));
  EXPECT_EQ(out.size(), kAgeSealedChunkSize);
}

// ---- the signature in a record ----

TEST(AttachmentRecordVectors, OpenCases) {
  const json& rec = Vectors()["record"];
  std::vector<const PublicCard*> cards;
  for (const json& r : rec["recipients"]) cards.push_back(&P()[r].card());
  RecordContext context;
  for (const json& p : rec["purposes"]) context.purposes.push_back({p["system"], p["code"]});
  ChaChaRng rng(HexOrDie(rec["rngSeedHex"]));
  FixedClock clock(rec["now"].get<UnixMillis>());
  const std::string sig = rec["signature"];
  auto sealed = SealAttachmentSignature(P()[rec["sender"]], cards, AsBytes(sig),
                                        rec["recordId"].get<std::string>(), context, rng, clock);
  ASSERT_OK(sealed);
  EXPECT_EQ(EncodeRecordJson(*sealed), rec["sealed"].get<std::string>());
  size_t n = 0;
  for (const json& c : rec["opens"]) {
    SCOPED_TRACE(c["comment"].get<std::string>());
    auto record = ParseRecordJson(c["record"].get<std::string>());
    ASSERT_OK(record);
    auto r = OpenAttachmentSignature(*record, P()[c["recipient"]], P()[c["sender"]].card(),
                                     RecordPurpose{c["purpose"]["system"], c["purpose"]["code"]});
    if (c.contains("error")) {
      EXPECT_EQ(CodeName(r.status()), c["error"].get<std::string>());
    } else {
      ASSERT_OK(r);
      EXPECT_EQ(AsText(*r), c["signature"].get<std::string>());
    }
    ++n;
  }
  EXPECT_GE(n, 6u);
}

TEST(AttachmentRecord, SealRefusesWhatIsNotTheSendersSignature) {
  const json& f = Vectors()["files"][1];
  const std::string sig = f["signature"];
  std::vector<const PublicCard*> cards{&P()["clinician"].card()};
  RecordContext context;
  context.purposes.push_back(testing::TreatRecordPurpose());
  ChaChaRng rng(Bytes(32, 1));
  FixedClock clock(kNow);
  EXPECT_CODE(SealAttachmentSignature(P()["nurse"], cards, AsBytes(sig), "x", context, rng, clock),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(
      SealAttachmentSignature(P()["sender"], cards, ToBytes("{}"), "x", context, rng, clock),
      ErrorCode::kInvalidArgument);
  EXPECT_CODE(
      SealAttachmentSignature(P()["sender"], cards, AsBytes(sig), "bad id", context, rng, clock),
      ErrorCode::kInvalidArgument);
  EXPECT_OK(SealAttachmentSignature(P()["sender"], cards, AsBytes(sig), "x", context, rng, clock));
}

// ---- consent ----

TEST(AttachmentConsent, RecipientsAreThoseTheConsentsPermit) {
  using testing::ActorFor;
  const Identity patient = testing::FixtureIdentity(1, "Pat", "patient");
  const Identity a = testing::FixtureIdentity(40, "Dr A", "doctor");
  const Identity b = testing::FixtureIdentity(80, "Dr B", "doctor");
  const Identity c = testing::FixtureIdentity(120, "Researcher C", "researcher");
  const std::vector<consent::SignedConsent> consents{testing::SignFixture(
      patient, testing::R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"))};
  const std::vector<consent::ShareCandidate> candidates{{&a.card(), ActorFor(a, "Practitioner/a")},
                                                        {&c.card(), ActorFor(c, "Practitioner/c")},
                                                        {&b.card(), ActorFor(b, "Practitioner/b")}};
  consent::ShareOptions options;
  options.purpose = testing::TreatPurpose();
  const json descriptor = {
      {"resourceType", "DocumentReference"},
      {"id", "att-1"},
      {"status", "current"},
      {"subject", {{"reference", "Patient/p1"}}},
      {"content",
       {{{"attachment",
          {{"contentType", "application/pdf"}, {"title", "lab.pdf"}, {"size", 1000}}}}}}};
  ChaChaRng rng(Bytes(32, 5));
  FixedClock clock(testing::kShareNow);
  auto decided = DecideAttachmentRecipients(patient, descriptor.dump(), consents, candidates,
                                            options, rng, clock);
  ASSERT_OK(decided);
  ASSERT_EQ(decided->cards.size(), 2u);
  EXPECT_EQ(decided->cards[0], &a.card());
  EXPECT_EQ(decided->cards[1], &b.card());
  ASSERT_TRUE(decided->descriptor.record.has_value());
  ASSERT_EQ(decided->context.consent_hashes.size(), 1u);
  EXPECT_EQ(decided->context.consent_hashes[0], *consent::ConsentHash(consents[0]));
  // The whole flow: the file to those cards, the signature sealed with that context.
  const Bytes plain = Pattern(5000);
  auto enc = EncryptAttachment(patient, decided->cards, plain,
                               Meta("application/pdf", "lab.pdf", plain.size()), rng);
  ASSERT_OK(enc);
  auto sealed = SealAttachmentSignature(patient, decided->cards, enc->signature_json, "att-1",
                                        decided->context, rng, clock);
  ASSERT_OK(sealed);
  auto sig = OpenAttachmentSignature(*sealed, b, patient.card(), testing::TreatRecordPurpose());
  ASSERT_OK(sig);
  auto opened = DecryptAttachment(enc->file, *sig, b, patient.card());
  ASSERT_OK(opened);
  EXPECT_EQ(testing::ToVec(RevealSecret(*opened)), plain);
  EXPECT_CODE(DecryptAttachment(enc->file, *sig, c, patient.card()),
              ErrorCode::kNoMatchingRecipient);
  // Nobody permitted for another purpose; a Bundle is refused.
  consent::ShareOptions research = options;
  research.purpose.code = "HRESCH";
  EXPECT_CODE(DecideAttachmentRecipients(patient, descriptor.dump(), consents, candidates, research,
                                         rng, clock),
              ErrorCode::kNotPermitted);
  const json bundle = {
      {"resourceType", "Bundle"}, {"type", "collection"}, {"entry", {{{"resource", descriptor}}}}};
  EXPECT_CODE(
      DecideAttachmentRecipients(patient, bundle.dump(), consents, candidates, options, rng, clock),
      ErrorCode::kInvalidArgument);
  EXPECT_CODE(DecideAttachmentRecipients(patient, "{", consents, candidates, options, rng, clock),
              ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal
