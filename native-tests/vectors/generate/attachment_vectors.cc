// SPDX-License-Identifier: Apache-2.0
// attachment/attachment_v1.json (docs/spec/attachment.md §10): identities
// and their age keys, signatures, parse and verify cases, files written by
// AttachmentWriter with ChaChaRng, reader cases (good files and every way a
// file can fail) and the signature object in a sealed record v2. Every
// expected code below is asserted here against what the implementation
// returns, so the generator fails rather than writing a surprising vector.
#include "native-tests/vectors/generate/attachment_vectors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/age/header.h"
#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/attachment/attachment.h"
#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr UnixMillis kIdentityCreated = 1764590400000;  // 2025-12-01T12:00:00Z
constexpr UnixMillis kAttachmentCreated = 1764594000000;
constexpr const char* kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (attachment): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().ToString());
  return std::move(r).value();
}

void MustOk(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

std::string B64(ByteView b) { return Base64UrlEncode(b); }
std::string Text(ByteView b) { return std::string(AsText(b)); }

struct Person {
  std::string key;
  uint8_t fill;
  std::string name, role;
};

const Person kPeople[] = {{"sender", 0x10, "Patient P", "patient"},
                          {"clinician", 0x30, "Dr. C", "clinician"},
                          {"nurse", 0x50, "Nurse N", "nurse"},
                          {"outsider", 0x70, "Outsider O", "clinician"}};

Bytes SeedOf(uint8_t fill) {
  Bytes seed(32);
  for (size_t i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(fill + i);
  return seed;
}

ordered_json MetadataJson(const AttachmentMetadata& m) {
  return ordered_json{
      {"mediaType", m.media_type}, {"name", m.name}, {"size", m.size}, {"created", m.created}};
}

Bytes RandomBytes(uint8_t seed_byte, size_t n) {
  ChaChaRng rng(Bytes(32, seed_byte));
  Bytes out(n);
  if (n != 0) rng.Fill(out.data(), n);
  return out;
}

struct FileCase {
  std::string comment;
  uint8_t rng_seed;
  std::vector<std::string> recipients;
  AttachmentMetadata metadata;
  std::vector<size_t> pushes;
  Bytes plaintext;
  Bytes file;
  Bytes signature;
};

}  // namespace

void GenerateAttachmentVectors(const std::string& dir) {
  std::filesystem::create_directories(dir + "/attachment");
  std::vector<Identity> ids;
  ordered_json identities = ordered_json::object();
  auto index_of = [](const std::string& key) -> size_t {
    for (size_t i = 0; i < std::size(kPeople); ++i) {
      if (kPeople[i].key == key) return i;
    }
    Die("no person " + key);
  };
  for (const Person& p : kPeople) {
    const Bytes seed = SeedOf(p.fill);
    ids.push_back(
        Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), p.name, p.role, kIdentityCreated),
             "identity " + p.key));
    const Identity& id = ids.back();
    const std::string recipient = Must(AgeRecipientStringForCard(id.card()), "age recipient");
    const SecretBytes age_identity = Must(AgeIdentityFor(id).Encode(), "age identity");
    identities[p.key] = ordered_json{{"seedHex", HexEncode(seed)},
                                     {"name", p.name},
                                     {"role", p.role},
                                     {"created", kIdentityCreated},
                                     {"card", id.card().ToJson()},
                                     {"ageRecipient", recipient},
                                     {"ageIdentity", Text(RevealSecret(age_identity))}};
  }
  auto person = [&](const std::string& key) -> const Identity& { return ids[index_of(key)]; };

  // ---- files ----
  std::vector<FileCase> files;
  files.push_back(FileCase{"an empty file to the clinician",
                           0xA0,
                           {"clinician"},
                           {"text/plain", "empty.txt", 0, kAttachmentCreated},
                           {0},
                           {},
                           {},
                           {}});
  files.push_back(FileCase{"a 1000-byte PDF to the clinician and the nurse, pushed in 3 pieces",
                           0xA1,
                           {"clinician", "nurse"},
                           {"application/pdf", "lab-results.pdf", 1000, kAttachmentCreated + 1},
                           {1, 499, 500},
                           RandomBytes(0xB1, 1000),
                           {},
                           {}});
  files.push_back(
      FileCase{"a photo of 65536 + 1000 bytes (two chunks) to the clinician",
               0xA2,
               {"clinician"},
               {"image/jpeg", "rash photo \xE2\x9C\x93.jpg", 66536, kAttachmentCreated + 2},
               {65536, 1000},
               RandomBytes(0xB2, 66536),
               {},
               {}});
  files.push_back(FileCase{"exactly one full chunk (65536 bytes) to the nurse",
                           0xA3,
                           {"nurse"},
                           {"application/dicom", "", 65536, kAttachmentCreated + 3},
                           {65535, 1},
                           RandomBytes(0xB3, 65536),
                           {},
                           {}});
  ordered_json files_json = ordered_json::array();
  for (FileCase& f : files) {
    std::vector<const PublicCard*> cards;
    ordered_json recipients = ordered_json::array();
    for (const std::string& r : f.recipients) {
      cards.push_back(&person(r).card());
      recipients.push_back(r);
    }
    ChaChaRng rng(Bytes(32, f.rng_seed));
    AttachmentWriter writer = Must(
        AttachmentWriter::Create(person("sender"), cards, f.metadata, rng), f.comment);
    size_t at = 0;
    ordered_json pushes = ordered_json::array();
    for (size_t n : f.pushes) {
      MustOk(writer.Push(ByteView(f.plaintext).subspan(at, n), f.file), f.comment);
      at += n;
      pushes.push_back(n);
    }
    f.signature = Must(writer.Finish(f.file), f.comment);
    // The same bytes in one call, and they read back.
    ChaChaRng again(Bytes(32, f.rng_seed));
    EncryptedAttachment one = Must(
        EncryptAttachment(person("sender"), cards, f.plaintext, f.metadata, again), f.comment);
    if (one.file != f.file || one.signature_json != f.signature) Die("one-shot differs");
    SecretBytes back = Must(
        DecryptAttachment(f.file, f.signature, person(f.recipients[0]), person("sender").card()),
        f.comment + " (read back)");
    if (ToVec(RevealSecret(back)) != f.plaintext) Die("round trip " + f.comment);
    files_json.push_back(ordered_json{{"comment", f.comment},
                                      {"rngSeedHex", HexEncode(Bytes(32, f.rng_seed))},
                                      {"sender", "sender"},
                                      {"recipients", recipients},
                                      {"metadata", MetadataJson(f.metadata)},
                                      {"pushes", pushes},
                                      {"plaintext", B64(f.plaintext)},
                                      {"file", B64(f.file)},
                                      {"signature", Text(f.signature)}});
  }
  auto header_of = [](const Bytes& file) {
    const AgeHeader h = Must(ParseAgeHeader(file), "header");
    return Bytes(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(h.size));
  };

  // ---- sign ----
  ordered_json sign = ordered_json::array();
  auto add_sign = [&](const std::string& comment, const std::string& signer, const Bytes& header,
                      const Bytes& file_sha256, const AttachmentMetadata& m) {
    const Bytes sig = Must(SignAttachment(person(signer), header, file_sha256, m), comment);
    const AttachmentSignature parsed = Must(ParseAttachmentSignature(sig), comment);
    sign.push_back(ordered_json{{"comment", comment},
                                {"signer", signer},
                                {"header", B64(header)},
                                {"fileSha256Hex", HexEncode(file_sha256)},
                                {"metadata", MetadataJson(m)},
                                {"signedBytesHex", HexEncode(parsed.SignedBytes())},
                                {"signature", Text(sig)}});
  };
  for (const FileCase& f : files) {
    add_sign("the signature of: " + f.comment, "sender", header_of(f.file), Sha256(f.file),
             f.metadata);
  }
  const Bytes h1 = header_of(files[1].file);
  const Bytes any_hash = Sha256(AsBytes("not a file"));
  add_sign(
      "the largest size and time, an empty name", "sender", h1, any_hash,
      {"application/octet-stream", "", static_cast<uint64_t>(kMaxJsonInteger), kMaxJsonInteger});
  add_sign("a name of 255 bytes with quotes, U+0080 and U+2028 (JCS escapes only the quote)",
           "clinician", h1, any_hash,
           {"text/plain",
            [] {
              std::string n = "\"q\" \xC2\x80 \xE2\x80\xA8 ";
              return n + std::string(kMaxAttachmentNameBytes - n.size(), 'n');
            }(),
            7, 0});
  add_sign("a media type of 127 bytes with every allowed punctuation", "nurse", h1, any_hash,
           {"a0!#$&^_.+-/" + std::string(127 - 12, 'z'), "x", 1, 1});

  // ---- parse ----
  const Bytes base_sig = files[1].signature;
  const json base = json::parse(Text(base_sig));
  ordered_json parse = ordered_json::array();
  auto add_parse = [&](const std::string& rule, const std::string& comment, const std::string& text,
                       ErrorCode expected) {
    auto r = ParseAttachmentSignature(AsBytes(text));
    if (r.ok() || r.status().code() != expected) {
      Die("parse case " + rule + " " + comment + ": got " +
          (r.ok() ? std::string("ok") : r.status().ToString()));
    }
    parse.push_back(ordered_json{{"rule", rule},
                                 {"comment", comment},
                                 {"json", text},
                                 {"error", std::string(ErrorCodeName(expected))}});
  };
  auto with = [&](const std::function<void(json&)>& edit) {
    json j = base;
    edit(j);
    return j.dump();
  };
  auto replace_once = [](std::string text, const std::string& from, const std::string& to) {
    const size_t at = text.find(from);
    if (at == std::string::npos) Die("replace: no " + from);
    return text.replace(at, from.size(), to);
  };
  const std::string base_text = Text(base_sig);
  using EC = ErrorCode;
  add_parse("G1", "4097 bytes (the object followed by spaces)",
            base_text + std::string(4097 - base_text.size(), ' '), EC::kTooLarge);
  add_parse("G5", "not JSON", "{\"type\":", EC::kMalformed);
  add_parse("G7", "a member twice", replace_once(base_text, "{", "{\"name\":\"other.pdf\","),
            EC::kMalformed);
  add_parse("G8", "an array", "[" + base_text + "]", EC::kMalformed);
  add_parse("A1", "type missing", with([](json& j) { j.erase("type"); }), EC::kMalformed);
  add_parse("A1", "type not a string", with([](json& j) { j["type"] = 1; }), EC::kMalformed);
  add_parse("A1", "another type", with([](json& j) { j["type"] = "medseal.card"; }),
            EC::kMalformed);
  add_parse("A2", "v missing", with([](json& j) { j.erase("v"); }), EC::kMalformed);
  add_parse("A2", "v written 1.0", replace_once(base_text, "\"v\":1", "\"v\":1.0"), EC::kMalformed);
  add_parse("A2", "v a string", with([](json& j) { j["v"] = "1"; }), EC::kMalformed);
  add_parse("A3", "v 2 (and a member missing)", with([](json& j) {
              j["v"] = 2;
              j.erase("name");
            }),
            EC::kUnsupportedVersion);
  add_parse("A4", "name missing", with([](json& j) { j.erase("name"); }), EC::kMalformed);
  add_parse("A4", "an extra member", with([](json& j) { j["labels"] = json::array(); }),
            EC::kMalformed);
  struct B64Member {
    const char* name;
    const char* rules[3];
    size_t size;
  };
  const B64Member b64_members[] = {{"sender", {"A5", "A6", "A7"}, 16},
                                   {"headerSha256", {"A8", "A9", "A10"}, 32},
                                   {"fileSha256", {"A11", "A12", "A13"}, 32},
                                   {"sig", {"A22", "A23", "A24"}, 64}};
  for (const B64Member& m : b64_members) {
    const std::string name = m.name;
    const std::string value = base[name].get<std::string>();
    add_parse(m.rules[0], name + " not a string", with([&](json& j) { j[name] = json::array(); }),
              EC::kMalformed);
    add_parse(m.rules[1], name + " with a character outside base64url (D1)",
              with([&](json& j) { j[name] = "+" + value.substr(1); }), EC::kMalformed);
    add_parse(m.rules[1], name + " with padding (D3)",
              with([&](json& j) { j[name] = value + "="; }), EC::kNonCanonical);
    // The last character of an encoding whose length is 1 or 2 mod 3 has
    // unused bits; set one (D4).
    std::string bad_bits = value;
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const size_t last = alphabet.find(bad_bits.back());
    bad_bits.back() = alphabet[last | 1];
    add_parse(m.rules[1], name + " with a non-zero unused bit (D4)",
              with([&](json& j) { j[name] = bad_bits; }), EC::kNonCanonical);
    add_parse(m.rules[2], name + " one byte short",
              with([&](json& j) { j[name] = B64(Bytes(m.size - 1, 7)); }), EC::kMalformed);
    add_parse(m.rules[2], name + " one byte long",
              with([&](json& j) { j[name] = B64(Bytes(m.size + 1, 7)); }), EC::kMalformed);
  }
  add_parse("A14", "mediaType null", with([](json& j) { j["mediaType"] = nullptr; }),
            EC::kMalformed);
  add_parse("A15", "mediaType of 128 bytes (and no slash)",
            with([](json& j) { j["mediaType"] = std::string(128, 'a'); }), EC::kTooLarge);
  for (const char* mt : {"application/PDF", "pdf", "text/plain; charset=utf-8", "/plain", "text/",
                         "text/plain/x", "-text/plain", "text/.plain", "text/pl ain"}) {
    add_parse("A16", std::string("mediaType ") + mt, with([&](json& j) { j["mediaType"] = mt; }),
              EC::kMalformed);
  }
  add_parse("A17", "name a number", with([](json& j) { j["name"] = 5; }), EC::kMalformed);
  add_parse("A18", "name of 256 bytes (with a slash)",
            with([](json& j) { j["name"] = "/" + std::string(255, 'n'); }), EC::kTooLarge);
  for (const char* nm : {"a/b.pdf", "a\\b.pdf", ".", "..", "tab\there", "del\x7F", "nl\n"}) {
    add_parse("A19", std::string("name ") + json(nm).dump(), with([&](json& j) { j["name"] = nm; }),
              EC::kMalformed);
  }
  for (const std::string size : {"-1", "1.5", "1e3", "9007199254740992", "\"1000\""}) {
    add_parse("A20", "size " + size, replace_once(base_text, "\"size\":1000", "\"size\":" + size),
              EC::kMalformed);
  }
  add_parse("A21", "created -1", with([](json& j) { j["created"] = -1; }), EC::kMalformed);
  add_parse("A21", "created a string", with([](json& j) { j["created"] = "2025-12-01"; }),
            EC::kMalformed);
  // Accepted spellings.
  auto add_parse_ok = [&](const std::string& comment, const std::string& text) {
    const AttachmentSignature s = Must(ParseAttachmentSignature(AsBytes(text)), comment);
    if (Must(s.ToJson(), comment) != base_text) Die("parse ok " + comment + " re-serialised");
    parse.push_back(ordered_json{{"comment", comment}, {"json", text}, {"ok", base_text}});
  };
  add_parse_ok("medseal's JCS form", base_text);
  add_parse_ok("indented, members in another order", [&] {
    ordered_json o;
    for (const char* k : {"v", "type", "sig", "size", "name", "mediaType", "fileSha256",
                          "headerSha256", "sender", "created"}) {
      o[k] = base[k];
    }
    return o.dump(2);
  }());

  // ---- verify ----
  ordered_json verify = ordered_json::array();
  auto add_verify = [&](const std::string& comment, const Bytes& sig, const std::string& sender,
                        const Bytes& header, const Bytes& file_sha256,
                        std::optional<ErrorCode> expected) {
    auto r = VerifyAttachment(sig, person(sender).card(), header, file_sha256);
    ordered_json c{{"comment", comment},
                   {"signature", Text(sig)},
                   {"sender", sender},
                   {"header", B64(header)},
                   {"fileSha256Hex", HexEncode(file_sha256)}};
    if (expected.has_value()) {
      if (r.ok() || r.status().code() != *expected) Die("verify case " + comment);
      c["error"] = std::string(ErrorCodeName(*expected));
    } else {
      if (!r.ok()) Die("verify case " + comment + ": " + r.status().ToString());
    }
    verify.push_back(c);
  };
  const Bytes f1_hash = Sha256(files[1].file);
  add_verify("files[1] as signed", base_sig, "sender", h1, f1_hash, std::nullopt);
  add_verify("V1 the clinician's card", base_sig, "clinician", h1, f1_hash, EC::kSenderMismatch);
  add_verify("V2 the sender member changed to the clinician's key id, checked against that card",
             ToBytes(with([&](json& j) { j["sender"] = B64(person("clinician").key_id()); })),
             "clinician", h1, f1_hash, EC::kSignatureInvalid);
  add_verify("V2 another name than the signed one",
             ToBytes(with([](json& j) { j["name"] = "other.pdf"; })), "sender", h1, f1_hash,
             EC::kSignatureInvalid);
  add_verify("V2 another size than the signed one",
             ToBytes(with([](json& j) { j["size"] = 1001; })), "sender", h1, f1_hash,
             EC::kSignatureInvalid);
  add_verify("V3 the header of files[0]", base_sig, "sender", header_of(files[0].file), f1_hash,
             EC::kSignatureInvalid);
  add_verify("V4 the file hash of files[0]", base_sig, "sender", h1, Sha256(files[0].file),
             EC::kSignatureInvalid);
  add_verify("V0 a file hash of 31 bytes", base_sig, "sender", h1, Bytes(31, 1),
             EC::kInvalidArgument);
  add_verify("A4 before V1: a member missing, the wrong card",
             ToBytes(with([](json& j) { j.erase("created"); })), "clinician", h1, f1_hash,
             EC::kMalformed);

  // ---- read ----
  ordered_json read = ordered_json::array();
  auto add_read = [&](const std::string& comment, const Bytes& file, const Bytes& sig,
                      const std::string& sender, const std::string& recipient,
                      std::optional<ErrorCode> expected, const Bytes& plaintext = {}) {
    auto r = DecryptAttachment(file, sig, person(recipient), person(sender).card());
    ordered_json c{{"comment", comment},
                   {"file", B64(file)},
                   {"signature", Text(sig)},
                   {"sender", sender},
                   {"recipient", recipient}};
    if (expected.has_value()) {
      if (r.ok()) Die("read case " + comment + ": opened");
      if (*expected != EC::kOk && r.status().code() != *expected) {
        Die("read case " + comment + ": " + r.status().ToString());
      }
      c["error"] = std::string(ErrorCodeName(r.status().code()));
    } else {
      if (!r.ok()) Die("read case " + comment + ": " + r.status().ToString());
      if (ToVec(RevealSecret(*r)) != plaintext) Die("read case " + comment + ": plaintext");
      c["plaintext"] = B64(plaintext);
    }
    read.push_back(c);
  };
  const FileCase& f0 = files[0];
  const FileCase& f1 = files[1];
  const FileCase& f2 = files[2];
  add_read("files[0] by the clinician", f0.file, f0.signature, "sender", "clinician", std::nullopt,
           f0.plaintext);
  add_read("files[1] by the clinician", f1.file, f1.signature, "sender", "clinician", std::nullopt,
           f1.plaintext);
  add_read("files[1] by the nurse", f1.file, f1.signature, "sender", "nurse", std::nullopt,
           f1.plaintext);
  add_read("R5 files[1] by the outsider (no stanza for it)", f1.file, f1.signature, "sender",
           "outsider", EC::kNoMatchingRecipient);
  add_read("R2 files[1] with the nurse's card as the sender's", f1.file, f1.signature, "nurse",
           "clinician", EC::kSenderMismatch);
  add_read("R4 files[1] with the signature of files[0]", f1.file, f0.signature, "sender",
           "clinician", EC::kSignatureInvalid);
  {
    Bytes tampered = f1.file;
    tampered.back() ^= 0x01;
    add_read("R5 files[1] with its last byte (a tag byte) flipped", tampered, f1.signature,
             "sender", "clinician", EC::kDecryptFailed);
  }
  {
    const Bytes h2 = header_of(f2.file);
    const Bytes truncated(
        f2.file.begin(),
        f2.file.begin() +
            static_cast<std::ptrdiff_t>(h2.size() + kAgePayloadNonceSize + kAgeSealedChunkSize));
    // A full chunk may be the last one (C2SP age): the code is the age
    // decryptor's for a chunk that does not open as the last.
    add_read("R7 files[2] cut after its first chunk", truncated, f2.signature, "sender",
             "clinician", EC::kOk);
    const Bytes headless(f2.file.begin(), f2.file.begin() + 20);
    add_read("R7 files[2] cut inside its header", headless, f2.signature, "sender", "clinician",
             EC::kTruncated);
  }
  {
    // A recipient knows the file key: it can write another payload under the
    // signed header (same MAC). Only the file hash catches it (R8).
    const AgeHeader header = Must(ParseAgeHeader(f1.file), "header");
    const AgeIdentity clinician = AgeIdentityFor(person("clinician"));
    const SecretBytes file_key = Must(
        UnwrapAgeFileKey(header, std::span<const AgeIdentity>(&clinician, 1)), "unwrap");
    AgePayloadEncryptor payload = Must(
        AgePayloadEncryptor::Create(file_key, Bytes(kAgePayloadNonceSize, 0x42)), "payload");
    Bytes forged = h1;
    const Bytes other = RandomBytes(0xC1, 1000);
    MustOk(payload.Push(other, forged), "forge");
    MustOk(payload.Finish(forged), "forge");
    add_read("R8 files[1]'s header with a payload the clinician re-encrypted", forged, f1.signature,
             "sender", "nurse", EC::kSignatureInvalid);
  }
  {
    AttachmentMetadata small = f1.metadata;
    small.size = 999;
    const Bytes sig999 = Must(SignAttachment(person("sender"), h1, f1_hash, small), "999");
    add_read("R6 files[1] signed (by its sender) with size 999", f1.file, sig999, "sender",
             "clinician", EC::kSignatureInvalid);
    AttachmentMetadata big = f1.metadata;
    big.size = 1001;
    const Bytes sig1001 = Must(SignAttachment(person("sender"), h1, f1_hash, big), "1001");
    add_read("R9 files[1] signed (by its sender) with size 1001", f1.file, sig1001, "sender",
             "clinician", EC::kSignatureInvalid);
  }
  {
    // The MAC line's first base64 character changed: still a header, not the signed one.
    Bytes tampered = f1.file;
    const std::string text(AsText(tampered));
    const size_t mac = text.find("\n--- ") + 5;
    tampered[mac] = tampered[mac] == 'A' ? 'B' : 'A';
    if (!ParseAgeHeader(tampered).ok()) Die("tampered MAC no longer parses");
    add_read("R4 files[1] with its header MAC changed", tampered, f1.signature, "sender",
             "clinician", EC::kSignatureInvalid);
  }
  // EC::kOk: any error; the code is the age header parser's.
  add_read("R3 not an age file", ToBytes("hello, this is not age\n"), f1.signature, "sender",
           "clinician", EC::kOk);

  // ---- record ----
  std::vector<const PublicCard*> f1_cards{&person("clinician").card(), &person("nurse").card()};
  RecordContext context;
  context.purposes.push_back(RecordPurpose{kActReason, "TREAT"});
  const Bytes record_seed(32, 0xD1);
  const UnixMillis record_now = kAttachmentCreated + 10;
  ChaChaRng record_rng(record_seed);
  FixedClock record_clock(record_now);
  const SealedRecord sealed = Must(
      SealAttachmentSignature(person("sender"), f1_cards, f1.signature, "att-1", context,
                              record_rng, record_clock),
      "seal signature");
  // A record of another content type with the same body.
  ChaChaRng other_rng(Bytes(32, 0xD2));
  const RecordPayload other_payload{"application/json", "att-1", "", f1.signature};
  const SealedRecord other_type = Must(
      SealRecordV2(person("sender"), f1_cards, {}, other_payload, context, other_rng, record_clock),
      "other type");
  ordered_json opens = ordered_json::array();
  auto add_open = [&](const std::string& comment, const SealedRecord& rec,
                      const std::string& recipient, const std::string& sender,
                      const std::string& code, std::optional<ErrorCode> expected) {
    auto r = OpenAttachmentSignature(rec, person(recipient), person(sender).card(),
                                     RecordPurpose{kActReason, code});
    ordered_json c{{"comment", comment},
                   {"record", EncodeRecordJson(rec)},
                   {"recipient", recipient},
                   {"sender", sender},
                   {"purpose", {{"system", kActReason}, {"code", code}}}};
    if (expected.has_value()) {
      if (r.ok() || r.status().code() != *expected) Die("open case " + comment);
      c["error"] = std::string(ErrorCodeName(*expected));
    } else {
      if (!r.ok() || *r != f1.signature) Die("open case " + comment);
      c["signature"] = Text(*r);
    }
    opens.push_back(c);
  };
  add_open("the clinician, for TREAT", sealed, "clinician", "sender", "TREAT", std::nullopt);
  add_open("the nurse, for TREAT", sealed, "nurse", "sender", "TREAT", std::nullopt);
  add_open("the clinician, for ETREAT", sealed, "clinician", "sender", "ETREAT",
           EC::kPurposeMismatch);
  add_open("the outsider", sealed, "outsider", "sender", "TREAT", EC::kNoMatchingRecipient);
  add_open("the nurse's card as the sender's", sealed, "clinician", "nurse", "TREAT",
           EC::kSenderMismatch);
  add_open("a record of content type application/json", other_type, "clinician", "sender", "TREAT",
           EC::kMalformed);
  ordered_json record{{"comment", "files[1]'s signature object sealed to its recipients"},
                      {"rngSeedHex", HexEncode(record_seed)},
                      {"now", record_now},
                      {"sender", "sender"},
                      {"recipients", {"clinician", "nurse"}},
                      {"recordId", "att-1"},
                      {"purposes", {{{"system", kActReason}, {"code", "TREAT"}}}},
                      {"signature", Text(f1.signature)},
                      {"sealed", EncodeRecordJson(sealed)},
                      {"opens", opens}};

  ordered_json out{{"algorithm", "medseal attachments v1 (age v1 + detached Ed25519 signature)"},
                   {"spec", "docs/spec/attachment.md"},
                   {"identities", identities},
                   {"files", files_json},
                   {"sign", sign},
                   {"parse", parse},
                   {"verify", verify},
                   {"read", read},
                   {"record", record}};
  const std::string path = dir + "/attachment/attachment_v1.json";
  std::ofstream file(path, std::ios::binary);
  if (!file) Die("cannot write " + path);
  file << out.dump(1) << "\n";
}

}  // namespace medseal::testing
