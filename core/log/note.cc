// SPDX-License-Identifier: Apache-2.0
// C2SP signed-note (docs/spec/log.md §4). The grammar follows signed-note.md
// ("Format", "Signatures", "Verifier keys") and the behaviour of Go's
// golang.org/x/mod/sumdb/note (Open, Sign, NewVerifier), with the stricter
// base64 this project uses everywhere: standard alphabet, padded, canonical.
#include "core/log/note.h"

#include <algorithm>
#include <utility>

#include "core/base/utf8.h"
#include "core/codec/base64.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/sha2.h"

namespace medseal::tlog {
namespace {

// U+2014 EM DASH, U+0020 SPACE: the start of every signature line.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr size_t kKeyIdSize = 4;

// Go's unicode.IsSpace beyond ASCII: U+0085, U+00A0 and the White_Space
// code points U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000, as UTF-8. In valid UTF-8 a byte search cannot match across code
// points, so a substring test is exact.
bool HasNonAsciiSpace(std::string_view s) {
  static constexpr std::string_view kSpaces[] = {
      "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81",
      "\xE2\x80\x82", "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86",
      "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8",
      "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F", "\xE3\x80\x80"};
  for (std::string_view sp : kSpaces) {
    if (s.find(sp) != std::string_view::npos) return true;
  }
  return false;
}

bool SameKey(const NoteSignature& sig, const NoteVerifierKey& key) {
  return sig.name == key.name && sig.key_id == key.key_id;
}

Bytes KeyIdBytes(ByteView blob) { return Bytes(blob.begin(), blob.begin() + kKeyIdSize); }

std::string SignatureLine(const NoteSignature& sig) {
  Bytes blob = sig.key_id;
  blob.insert(blob.end(), sig.signature.begin(), sig.signature.end());
  return std::string(kSignaturePrefix) + sig.name + " " +
         Base64Encode(blob, Base64Padding::kRequired) + "\n";
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name) || HasControlCharacter(name)) return false;
  for (char c : name) {
    // ASCII spaces of unicode.IsSpace (\t \n \v \f \r are control characters).
    if (c == ' ' || c == '+') return false;
  }
  return !HasNonAsciiSpace(name);
}

Status CheckNoteText(std::string_view text) {
  if (text.size() > kMaxNoteBytes) return Error(ErrorCode::kTooLarge, "note: text too large");
  if (text.empty() || text.back() != '\n') {
    return Error(ErrorCode::kMalformed, "note: text does not end with a newline");
  }
  if (!IsValidUtf8(text)) return Error(ErrorCode::kMalformed, "note: text is not UTF-8");
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return Error(ErrorCode::kMalformed, "note: control character in text");
    }
  }
  return Status::Ok();
}

Bytes NoteKeyId(std::string_view name, uint8_t type, ByteView public_key) {
  Bytes msg = ToBytes(name);
  msg.push_back(0x0A);
  msg.push_back(type);
  msg.insert(msg.end(), public_key.begin(), public_key.end());
  Bytes hash = Sha256(msg);
  hash.resize(kKeyIdSize);
  return hash;
}

Result<NoteVerifierKey> ParseVerifierKey(std::string_view vkey) {
  // K1: three '+'-separated parts; the name holds no '+', the base64 may.
  const size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) return Error(ErrorCode::kMalformed, "vkey: no key id");
  const size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return Error(ErrorCode::kMalformed, "vkey: no key");
  const std::string_view name = vkey.substr(0, p1);
  const std::string_view hex = vkey.substr(p1 + 1, p2 - p1 - 1);
  const std::string_view b64 = vkey.substr(p2 + 1);
  // K2: the name.
  if (!IsValidKeyName(name)) return Error(ErrorCode::kMalformed, "vkey: invalid key name");
  // K3: eight lower-case hex digits.
  if (hex.size() != 2 * kKeyIdSize || !std::all_of(hex.begin(), hex.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      })) {
    return Error(ErrorCode::kMalformed, "vkey: key id is not 8 lower-case hex digits");
  }
  // K4: canonical padded base64 of at least the type byte.
  auto blob = Base64Decode(b64, Base64Padding::kRequired);
  if (!blob.ok() || blob->empty()) {
    return Error(ErrorCode::kMalformed, "vkey: key is not canonical padded base64");
  }
  NoteVerifierKey key;
  key.name = std::string(name);
  key.key_id.resize(kKeyIdSize);
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    key.key_id[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  key.type = (*blob)[0];
  key.public_key.assign(blob->begin() + 1, blob->end());
  // K5: a supported type; K6: its key length; K7: the key id.
  if (key.type != kNoteKeyEd25519 && key.type != kNoteKeyCosignatureV1) {
    return Error(ErrorCode::kUnsupportedVersion, "vkey: unsupported signature type");
  }
  if (key.public_key.size() != kEd25519PublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "vkey: Ed25519 key is not 32 bytes");
  }
  if (key.key_id != NoteKeyId(key.name, key.type, key.public_key)) {
    return Error(ErrorCode::kKeyIdMismatch, "vkey: key id is not derived from name and key");
  }
  return key;
}

std::string FormatVerifierKey(const NoteVerifierKey& key) {
  Bytes blob{key.type};
  blob.insert(blob.end(), key.public_key.begin(), key.public_key.end());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : key.key_id) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0x0F]);
  }
  return key.name + "+" + hex + "+" + Base64Encode(blob, Base64Padding::kRequired);
}

Result<Note> ParseNote(std::string_view note) {
  // N1: size.
  if (note.size() > kMaxNoteBytes) return Error(ErrorCode::kTooLarge, "note: too large");
  // N2, N3: UTF-8 without control characters other than newline.
  if (!IsValidUtf8(note)) return Error(ErrorCode::kMalformed, "note: not UTF-8");
  for (char c : note) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return Error(ErrorCode::kMalformed, "note: control character");
    }
  }
  // N4: the last blank line separates the text from the signatures.
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Error(ErrorCode::kMalformed, "note: no blank line before the signatures");
  }
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  // N5: at least one signature line, each ending in a newline.
  if (sigs.empty() || sigs.back() != '\n') {
    return Error(ErrorCode::kMalformed, "note: signature block empty or not newline-terminated");
  }
  // N6: at most kMaxNoteSignatures lines.
  if (static_cast<size_t>(std::count(sigs.begin(), sigs.end(), '\n')) > kMaxNoteSignatures) {
    return Error(ErrorCode::kMalformed, "note: too many signatures");
  }
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    // N7: "— " prefix.
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return Error(ErrorCode::kMalformed, "note: a line after the blank line is not a signature");
    }
    line.remove_prefix(kSignaturePrefix.size());
    // N8: key name, one space, base64.
    const size_t sp = line.find(' ');
    if (sp == std::string_view::npos) {
      return Error(ErrorCode::kMalformed, "note: signature line without a signature");
    }
    const std::string_view name = line.substr(0, sp);
    if (!IsValidKeyName(name)) {
      return Error(ErrorCode::kMalformed, "note: invalid key name in a signature line");
    }
    // N9: canonical padded base64 of a 4-byte key id and at least one byte.
    auto blob = Base64Decode(line.substr(sp + 1), Base64Padding::kRequired);
    if (!blob.ok()) {
      return Error(ErrorCode::kMalformed, "note: signature is not canonical padded base64");
    }
    if (blob->size() < kKeyIdSize + 1) {
      return Error(ErrorCode::kMalformed, "note: signature shorter than 5 bytes");
    }
    NoteSignature sig;
    sig.name = std::string(name);
    sig.key_id = KeyIdBytes(*blob);
    sig.signature.assign(blob->begin() + kKeyIdSize, blob->end());
    out.signatures.push_back(std::move(sig));
  }
  return out;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& sig : note.signatures) out += SignatureLine(sig);
  return out;
}

Status VerifyNoteSignature(const Note& note, const NoteVerifierKey& key) {
  if (key.type != kNoteKeyEd25519) {
    return Error(ErrorCode::kInvalidArgument, "note: not an Ed25519 (type 0x01) key");
  }
  if (key.public_key.size() != kEd25519PublicKeySize || key.key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "note: key or key id of the wrong size");
  }
  bool found = false;
  for (const NoteSignature& sig : note.signatures) {
    if (!SameKey(sig, key)) continue;
    found = true;
    if (!Ed25519Verify(key.public_key, AsBytes(note.text), sig.signature).ok()) {
      return Error(ErrorCode::kSignatureInvalid,
                   "note: a signature by " + key.name + " does not verify");
    }
  }
  if (!found) return Error(ErrorCode::kSignatureInvalid, "note: no signature by " + key.name);
  return Status::Ok();
}

Result<std::vector<NoteVerifierKey>> VerifyNote(const Note& note,
                                                const std::vector<NoteVerifierKey>& known) {
  std::vector<NoteVerifierKey> verified;
  for (const NoteVerifierKey& key : known) {
    if (key.type != kNoteKeyEd25519) {
      return Error(ErrorCode::kInvalidArgument, "note: not an Ed25519 (type 0x01) key");
    }
    const bool named = std::any_of(note.signatures.begin(), note.signatures.end(),
                                   [&](const NoteSignature& s) { return SameKey(s, key); });
    if (!named) continue;
    MEDSEAL_RETURN_IF_ERROR(VerifyNoteSignature(note, key));
    verified.push_back(key);
  }
  if (verified.empty()) {
    return Error(ErrorCode::kSignatureInvalid, "note: no signature by a known key");
  }
  return verified;
}

Result<NoteSigner> NoteSigner::FromSeed(std::string_view name, const SecretBytes& seed) {
  if (!IsValidKeyName(name)) return Error(ErrorCode::kInvalidArgument, "note: invalid key name");
  if (seed.size() != kEd25519SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "note: seed is not 32 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Ed25519KeyPair pair, Ed25519FromSeed(RevealSecret(seed)));
  NoteSigner signer;
  signer.vkey_.name = std::string(name);
  signer.vkey_.type = kNoteKeyEd25519;
  signer.vkey_.key_id = NoteKeyId(name, kNoteKeyEd25519, pair.public_key);
  signer.vkey_.public_key = std::move(pair.public_key);
  signer.secret_key_ = std::move(pair.secret_key);
  return signer;
}

Status AddNoteSignature(Note& note, NoteSignature sig) {
  // Like Go's note.Sign: an earlier signature by the same key (name and key
  // id) is replaced; the new line goes last.
  Note out = note;
  std::erase_if(out.signatures, [&](const NoteSignature& s) {
    return s.name == sig.name && s.key_id == sig.key_id;
  });
  if (out.signatures.size() >= kMaxNoteSignatures) {
    return Error(ErrorCode::kTooLarge, "note: too many signatures");
  }
  out.signatures.push_back(std::move(sig));
  if (FormatNote(out).size() > kMaxNoteBytes) return Error(ErrorCode::kTooLarge, "note: too large");
  note = std::move(out);
  return Status::Ok();
}

Status NoteSigner::Sign(Note& note) const {
  if (Status s = CheckNoteText(note.text); !s.ok()) {
    return Error(ErrorCode::kInvalidArgument, s.message());
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signature,
                           Ed25519Sign(RevealSecret(secret_key_), AsBytes(note.text)));
  return AddNoteSignature(note, NoteSignature{vkey_.name, vkey_.key_id, std::move(signature)});
}

}  // namespace medseal::tlog
