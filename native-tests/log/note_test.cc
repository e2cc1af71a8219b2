// SPDX-License-Identifier: Apache-2.0
// C2SP signed notes (core/log/note.h, docs/spec/log.md §4): every key, bad
// vkey and note of native-tests/vectors/external/transparency/
// signed_note_checkpoint.json (C2SP signed-note.md and Go's sumdb/note
// tests), re-signing with the published seeds, and bad input for every
// parser and entry point.
#include "core/log/note.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "core/codec/base64.h"
#include "core/codec/hex.h"
#include "core/crypto/ed25519.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

const char* kVectors = "external/transparency/signed_note_checkpoint.json";
const std::string kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, space

std::string NoteBytes(const nlohmann::json& c) {
  Bytes b = testing::HexOrDie(c.at("note_hex").get<std::string>());
  return std::string(AsText(b));
}

NoteVerifierKey MustKey(const std::string& vkey) {
  auto k = ParseVerifierKey(vkey);
  EXPECT_TRUE(k.ok()) << vkey << ": " << k.status().ToString();
  return k.ok() ? *k : NoteVerifierKey{};
}

NoteSigner MustSigner(const std::string& name, const Bytes& seed) {
  auto s = NoteSigner::FromSeed(name, SecretBytes::CopyFrom(seed));
  if (!s.ok()) {
    ADD_FAILURE() << s.status().ToString();
    std::abort();
  }
  return std::move(s).value();
}

TEST(NoteVectors, Keys) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  size_t keys = 0, seeds = 0;
  for (const nlohmann::json& k : doc.at("keys")) {
    const std::string vkey = k.at("vkey").get<std::string>();
    NoteVerifierKey key = MustKey(vkey);
    EXPECT_EQ(key.name, k.at("name").get<std::string>());
    EXPECT_EQ(HexEncode(key.key_id), k.at("key_id").get<std::string>());
    EXPECT_EQ(key.type, kNoteKeyEd25519);
    EXPECT_EQ(HexEncode(key.public_key), k.at("public_key_hex").get<std::string>());
    EXPECT_EQ(NoteKeyId(key.name, kNoteKeyEd25519, key.public_key), key.key_id);
    EXPECT_EQ(FormatVerifierKey(key), vkey);
    if (k.contains("ed25519_seed_hex")) {
      const Bytes seed = testing::HexOrDie(k.at("ed25519_seed_hex").get<std::string>());
      NoteSigner signer = MustSigner(key.name, seed);
      EXPECT_EQ(signer.verifier_key(), key);
      // Go's private key: PRIVATE+KEY+name+hex(id)+base64(0x01 || seed).
      Bytes blob{kNoteKeyEd25519};
      blob.insert(blob.end(), seed.begin(), seed.end());
      EXPECT_EQ(k.at("skey").get<std::string>(), "PRIVATE+KEY+" + key.name + "+" +
                                                     HexEncode(key.key_id) + "+" +
                                                     Base64Encode(blob, Base64Padding::kRequired));
      ++seeds;
    }
    ++keys;
  }
  EXPECT_EQ(keys, 4u);
  EXPECT_EQ(seeds, 2u);
}

TEST(NoteVectors, BadVerifierKeys) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  // Go rejects the first for its length; its base64 ("...BADKEY==") has
  // non-zero unused bits, which this parser's canonical base64 rejects first.
  const std::vector<ErrorCode> want = {ErrorCode::kMalformed, ErrorCode::kUnsupportedVersion};
  size_t i = 0;
  for (const nlohmann::json& b : doc.at("bad_vkeys")) {
    ASSERT_LT(i, want.size());
    EXPECT_CODE(ParseVerifierKey(b.at("vkey").get<std::string>()), want[i])
        << b.at("reason").get<std::string>();
    ++i;
  }
  EXPECT_EQ(i, 2u);
}

TEST(NoteVectors, Notes) {
  const nlohmann::json doc = testing::LoadVectorJson(kVectors);
  std::map<std::string, Bytes> seeds;
  for (const nlohmann::json& k : doc.at("keys")) {
    if (k.contains("ed25519_seed_hex")) {
      seeds[k.at("name").get<std::string>()] =
          testing::HexOrDie(k.at("ed25519_seed_hex").get<std::string>());
    }
  }
  size_t valid = 0, malformed = 0, bad_sig = 0, unverified = 0, resigned = 0, whole = 0;
  for (const nlohmann::json& c : doc.at("notes")) {
    const std::string id = c.at("id").get<std::string>();
    SCOPED_TRACE(id);
    const std::string bytes = NoteBytes(c);
    if (c.contains("note")) {
      EXPECT_EQ(c.at("note").get<std::string>(), bytes);
    }
    std::vector<NoteVerifierKey> known;
    for (const auto& v : c.at("trusted_vkeys")) known.push_back(MustKey(v.get<std::string>()));
    const std::string expect = c.at("expect").get<std::string>();
    auto note = ParseNote(bytes);
    if (expect.rfind("error: malformed note", 0) == 0) {
      EXPECT_CODE(note, ErrorCode::kMalformed);
      ++malformed;
      continue;
    }
    ASSERT_TRUE(note.ok()) << note.status().ToString();
    EXPECT_EQ(FormatNote(*note), bytes);  // canonical base64: the round trip is exact
    auto verified = VerifyNote(*note, known);
    if (expect == "valid") {
      ASSERT_TRUE(verified.ok()) << verified.status().ToString();
      EXPECT_EQ(note->text, c.contains("text") ? c.at("text").get<std::string>()
                                               : note->text);  // sumdb cases carry no text
      std::vector<std::string> names;
      for (const auto& k : *verified) {
        names.push_back(k.name);
        EXPECT_OK(VerifyNoteSignature(*note, k));
      }
      EXPECT_EQ(names, c.at("verified_by").get<std::vector<std::string>>());
      if (c.contains("unverified")) {
        for (const auto& n : c.at("unverified")) {
          EXPECT_TRUE(std::any_of(note->signatures.begin(), note->signatures.end(),
                                  [&](const NoteSignature& s) { return s.name == n; }));
        }
      }
      // Re-signing with the published seeds gives the published lines.
      for (const auto& k : *verified) {
        if (!seeds.contains(k.name)) continue;
        NoteSigner signer = MustSigner(k.name, seeds.at(k.name));
        Note fresh{note->text, {}};
        ASSERT_OK(signer.Sign(fresh));
        ASSERT_EQ(fresh.signatures.size(), 1u);
        bool same = false;
        for (const NoteSignature& s : note->signatures) {
          same = same || (s.name == k.name && s.key_id == fresh.signatures[0].key_id &&
                          s.signature == fresh.signatures[0].signature);
        }
        EXPECT_TRUE(same) << "re-signed line differs for " << k.name;
        ++resigned;
        if (note->signatures.size() == 1) {
          EXPECT_EQ(FormatNote(fresh), bytes);
          ++whole;
        }
      }
      ++valid;
    } else if (expect.rfind("error: invalid signature", 0) == 0) {
      EXPECT_CODE(verified, ErrorCode::kSignatureInvalid);
      EXPECT_CODE(VerifyNoteSignature(*note, known.at(0)), ErrorCode::kSignatureInvalid);
      ++bad_sig;
    } else if (expect == "error: note has no verifiable signatures") {
      EXPECT_CODE(verified, ErrorCode::kSignatureInvalid);
      ++unverified;
    } else {
      ADD_FAILURE() << "unknown expectation " << expect;
    }
  }
  EXPECT_EQ(valid, 6u);
  EXPECT_EQ(malformed, 8u);
  EXPECT_EQ(bad_sig, 1u);
  EXPECT_EQ(unverified, 1u);
  EXPECT_EQ(resigned, 5u);  // PeterNeumann x3, localhost.localdev/sumdb x2
  EXPECT_EQ(whole, 3u);
}

// --- ParseVerifierKey / FormatVerifierKey ---

TEST(NoteVerifierKey, RejectsBadInputWithStableCodes) {
  const Bytes pub(32, 7);
  auto vkey = [&](const std::string& name, uint8_t type, const Bytes& key,
                  const std::string& hex = "") {
    Bytes blob{type};
    blob.insert(blob.end(), key.begin(), key.end());
    return name + "+" + (hex.empty() ? HexEncode(NoteKeyId(name, type, key)) : hex) + "+" +
           Base64Encode(blob, Base64Padding::kRequired);
  };
  const std::string good = vkey("example.com/w", kNoteKeyCosignatureV1, pub);
  auto parsed = ParseVerifierKey(good);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->type, kNoteKeyCosignatureV1);
  EXPECT_EQ(FormatVerifierKey(*parsed), good);

  EXPECT_CODE(ParseVerifierKey(""), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("name"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("name+01020304"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("+" + good.substr(good.find('+') + 1)), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("a b" + good.substr(good.find('+'))), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("a\xC2\xA0"
                               "b" +
                               good.substr(good.find('+'))),
              ErrorCode::kMalformed);  // U+00A0 NO-BREAK SPACE
  EXPECT_CODE(ParseVerifierKey("a\x01" + good.substr(good.find('+'))), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey("\xFF" + good.substr(good.find('+'))), ErrorCode::kMalformed);
  // Key id: 8 lower-case hex digits.
  std::string upper = good;
  for (size_t i = upper.find('+') + 1; upper[i] != '+'; ++i)
    upper[i] = static_cast<char>(toupper(upper[i]));
  if (upper != good) {
    EXPECT_CODE(ParseVerifierKey(upper), ErrorCode::kMalformed);
  }
  EXPECT_CODE(ParseVerifierKey(vkey("n", 1, pub, "0102030")), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 1, pub, "010203040")), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 1, pub, "0102030g")), ErrorCode::kMalformed);
  // Base64: padded, canonical, non-empty.
  EXPECT_CODE(ParseVerifierKey("n+01020304+"), ErrorCode::kMalformed);
  std::string unpadded = vkey("n", 1, Bytes(31, 7));  // 32 bytes: "==" padding
  while (unpadded.back() == '=') unpadded.pop_back();
  EXPECT_CODE(ParseVerifierKey(unpadded), ErrorCode::kMalformed);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 1, pub) + " "), ErrorCode::kMalformed);
  // Type, length, key id.
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x02, pub)), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x06, pub)), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x01, Bytes(31, 7))), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x01, Bytes(33, 7))), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x01, {})), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x01, pub, "00000000")), ErrorCode::kKeyIdMismatch);
  // The key id of type 0x04 is not that of type 0x01 (the type is hashed).
  EXPECT_CODE(ParseVerifierKey(vkey("n", 0x04, pub, HexEncode(NoteKeyId("n", 1, pub)))),
              ErrorCode::kKeyIdMismatch);
}

TEST(NoteKeyName, Rules) {
  EXPECT_TRUE(IsValidKeyName("example.com/log/v1"));
  EXPECT_TRUE(IsValidKeyName("h\xC3\xA9"));  // é
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(IsValidKeyName("a\nb"));
  EXPECT_FALSE(
      IsValidKeyName("a\xE3\x80\x80"
                     "b"));  // U+3000 IDEOGRAPHIC SPACE
  EXPECT_FALSE(
      IsValidKeyName("a\xE2\x80\xA8"
                     "b"));  // U+2028 LINE SEPARATOR
  EXPECT_FALSE(
      IsValidKeyName("a\xC2\x85"
                     "b"));              // U+0085 NEXT LINE
  EXPECT_FALSE(IsValidKeyName("\xC3"));  // truncated UTF-8
}

// --- ParseNote / FormatNote ---

class NoteTest : public ::testing::Test {
 protected:
  NoteSigner signer_ = MustSigner("example.com/a", Bytes(32, 1));
  NoteSigner other_ = MustSigner("example.com/b", Bytes(32, 2));

  std::string Signed(const std::string& text) {
    Note n{text, {}};
    EXPECT_OK(signer_.Sign(n));
    return FormatNote(n);
  }
};

TEST_F(NoteTest, SignParseVerifyRoundTrip) {
  const std::string text = "line one\n\nline three after an empty line\n";
  Note n{text, {}};
  ASSERT_OK(signer_.Sign(n));
  ASSERT_OK(other_.Sign(n));
  const std::string bytes = FormatNote(n);
  auto parsed = ParseNote(bytes);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->text, text);  // the last blank line separates
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[0].name, "example.com/a");
  EXPECT_EQ(parsed->signatures[0].signature.size(), 64u);
  EXPECT_OK(VerifyNoteSignature(*parsed, signer_.verifier_key()));
  EXPECT_OK(VerifyNoteSignature(*parsed, other_.verifier_key()));
  auto both = VerifyNote(*parsed, {other_.verifier_key(), signer_.verifier_key()});
  ASSERT_OK(both);
  EXPECT_EQ(both->size(), 2u);
  EXPECT_EQ((*both)[0].name, "example.com/b");
  EXPECT_EQ(FormatNote(*parsed), bytes);
  // Signing again by the same key replaces its line and puts it last.
  ASSERT_OK(signer_.Sign(n));
  ASSERT_EQ(n.signatures.size(), 2u);
  EXPECT_EQ(n.signatures[0].name, "example.com/b");
  EXPECT_EQ(n.signatures[1].name, "example.com/a");
}

TEST_F(NoteTest, ParseRejectsBadInput) {
  const std::string good = Signed("hello\n");
  ASSERT_OK(ParseNote(good));
  const std::string line = good.substr(std::string("hello\n\n").size());
  EXPECT_CODE(ParseNote(""), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("\n\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n" + line), ErrorCode::kMalformed);                 // no blank line
  EXPECT_CODE(ParseNote(good.substr(0, good.size() - 1)), ErrorCode::kMalformed);  // no final \n
  EXPECT_CODE(ParseNote(good + "\n"), ErrorCode::kMalformed);                      // trailing blank
  EXPECT_CODE(ParseNote(good + "x\n"), ErrorCode::kMalformed);          // not a signature
  EXPECT_CODE(ParseNote("hel\rlo\n\n" + line), ErrorCode::kMalformed);  // CR
  EXPECT_CODE(ParseNote("hel\tlo\n\n" + line), ErrorCode::kMalformed);  // tab
  EXPECT_CODE(ParseNote(std::string("hel\0lo\n\n", 9) + line), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hel\xC0\xAFlo\n\n" + line), ErrorCode::kMalformed);  // overlong UTF-8
  EXPECT_CODE(ParseNote("hello\n\n- example.com/a AAAAAAA=\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "example.com/a\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + " AAAAAAA=\n"), ErrorCode::kMalformed);  // no name
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a+b AAAAAAA=\n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a AAAAAA==\n"), ErrorCode::kMalformed);  // 4 bytes
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a AAAAAAA\n"), ErrorCode::kMalformed);   // unpadded
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a AAAAAAB=\n"), ErrorCode::kMalformed);  // bits
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a AAAAAAA= \n"), ErrorCode::kMalformed);
  EXPECT_CODE(ParseNote("hello\n\n" + kDash + "a  AAAAAAA=\n"), ErrorCode::kMalformed);
  EXPECT_OK(ParseNote("hello\n\n" + kDash + "a AAAAAAA=\n"));  // 5 bytes: the minimum
  // Size and signature count limits.
  EXPECT_CODE(ParseNote(std::string(kMaxNoteBytes, 'a') + "\n\n" + line), ErrorCode::kTooLarge);
  std::string many = "hello\n\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) many += line;
  EXPECT_OK(ParseNote(many));
  EXPECT_CODE(ParseNote(many + line), ErrorCode::kMalformed);
}

TEST_F(NoteTest, VerifyRejects) {
  const std::string good = Signed("hello\n");
  Note n = *ParseNote(good);
  // Another text, a flipped bit, the wrong key, a key id that matches only
  // the name, a line with a matching name and id but a short signature.
  Note other_text = n;
  other_text.text = "hellO\n";
  EXPECT_CODE(VerifyNoteSignature(other_text, signer_.verifier_key()),
              ErrorCode::kSignatureInvalid);
  Note flipped = n;
  flipped.signatures[0].signature[10] ^= 0x01;
  EXPECT_CODE(VerifyNoteSignature(flipped, signer_.verifier_key()), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyNote(flipped, {signer_.verifier_key()}), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyNoteSignature(n, other_.verifier_key()), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyNote(n, {other_.verifier_key()}), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyNote(n, {}), ErrorCode::kSignatureInvalid);
  // A known key that shares only the name is ignored by VerifyNote.
  NoteVerifierKey same_name = other_.verifier_key();
  same_name.name = "example.com/a";
  same_name.key_id = NoteKeyId(same_name.name, 1, same_name.public_key);
  auto ok = VerifyNote(n, {same_name, signer_.verifier_key()});
  ASSERT_OK(ok);
  EXPECT_EQ(ok->size(), 1u);
  Note short_sig = n;
  short_sig.signatures[0].signature.resize(63);
  EXPECT_CODE(VerifyNoteSignature(short_sig, signer_.verifier_key()), ErrorCode::kSignatureInvalid);
  // A second line by the same key that fails: the whole note fails.
  Note dup = n;
  dup.signatures.push_back(flipped.signatures[0]);
  EXPECT_CODE(VerifyNoteSignature(dup, signer_.verifier_key()), ErrorCode::kSignatureInvalid);
  // Keys that are not Ed25519 note keys.
  NoteVerifierKey cosig = signer_.verifier_key();
  cosig.type = kNoteKeyCosignatureV1;
  EXPECT_CODE(VerifyNoteSignature(n, cosig), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyNote(n, {cosig}), ErrorCode::kInvalidArgument);
  NoteVerifierKey short_key = signer_.verifier_key();
  short_key.public_key.pop_back();
  EXPECT_CODE(VerifyNoteSignature(n, short_key), ErrorCode::kInvalidArgument);
}

TEST_F(NoteTest, SignerRejectsBadInput) {
  EXPECT_CODE(NoteSigner::FromSeed("a", SecretBytes::CopyFrom(Bytes(31, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(NoteSigner::FromSeed("", SecretBytes::CopyFrom(Bytes(32, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(NoteSigner::FromSeed("a b", SecretBytes::CopyFrom(Bytes(32, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(NoteSigner::FromSeed("a+b", SecretBytes::CopyFrom(Bytes(32, 1))),
              ErrorCode::kInvalidArgument);
  for (const std::string text : {"", "no newline", "ctl\x01\n", "\xFF\n"}) {
    Note n{text, {}};
    EXPECT_CODE(signer_.Sign(n), ErrorCode::kInvalidArgument) << text;
    EXPECT_TRUE(n.signatures.empty());
  }
  EXPECT_CODE(CheckNoteText(std::string(kMaxNoteBytes + 1, '\n')), ErrorCode::kTooLarge);
  // Too many signatures: the note is left unchanged.
  Note n{"t\n", {}};
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) {
    n.signatures.push_back(NoteSignature{"k" + std::to_string(i), Bytes(4, 0), Bytes(64, 0)});
  }
  EXPECT_CODE(signer_.Sign(n), ErrorCode::kTooLarge);
  EXPECT_EQ(n.signatures.size(), kMaxNoteSignatures);
}

}  // namespace
}  // namespace medseal::tlog
