// SPDX-License-Identifier: Apache-2.0
// C2SP signed-note: a UTF-8 text signed by one or more keys, each signature
// line "— <name> <base64(key id || signature)>". Ed25519 keys (type 0x01,
// key id = SHA-256(name || 0x0A || 0x01 || public key)[:4]) sign; witness
// cosignatures (C2SP tlog-cosignature, type 0x04, timestamped Ed25519) are
// parsed here and verified by core/log/checkpoint.h. Verifier keys use the
// "name+hex(keyid)+base64(type || key)" vkey form. Format: docs/spec/log.md §4.
#ifndef MEDSEAL_CORE_LOG_NOTE_H_
#define MEDSEAL_CORE_LOG_NOTE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal::tlog {

inline constexpr uint8_t kNoteKeyEd25519 = 0x01;
inline constexpr uint8_t kNoteKeyCosignatureV1 = 0x04;
inline constexpr size_t kMaxNoteBytes = 1 << 20;
inline constexpr size_t kMaxNoteSignatures = 100;  // C2SP: accept >= 16; Go's limit

// A verifier key: name, 4-byte key id, type and public key.
struct NoteVerifierKey {
  std::string name;
  Bytes key_id;  // 4 bytes
  uint8_t type = kNoteKeyEd25519;
  Bytes public_key;  // 32 bytes (Ed25519)
  bool operator==(const NoteVerifierKey&) const = default;
};

// A key name (C2SP signed-note "Format"): non-empty UTF-8 without Unicode
// spaces (Go's unicode.IsSpace), '+' or control characters.
bool IsValidKeyName(std::string_view name);
// A note text: ends with "\n", UTF-8, no control character but "\n", at
// most kMaxNoteBytes: kOk, kMalformed or kTooLarge.
[[nodiscard]] Status CheckNoteText(std::string_view text);

// key id = SHA-256(name || 0x0A || type || public_key)[:4]
Bytes NoteKeyId(std::string_view name, uint8_t type, ByteView public_key);
// Parses "name+hex8+base64(type||key)": kMalformed (grammar, bad name, bad
// base64), kUnsupportedVersion (a type other than 0x01 or 0x04),
// kInvalidArgument (wrong key length), kKeyIdMismatch (hex8 is not the key id).
Result<NoteVerifierKey> ParseVerifierKey(std::string_view vkey);
std::string FormatVerifierKey(const NoteVerifierKey& key);

// One signature line, as parsed (not yet verified).
struct NoteSignature {
  std::string name;
  Bytes key_id;     // 4 bytes
  Bytes signature;  // the rest of the base64 blob (64 bytes for 0x01, 72 for 0x04)
};

struct Note {
  std::string text;  // ends with "\n"; what the signatures cover
  std::vector<NoteSignature> signatures;
};

// Parses a signed note (grammar of C2SP signed-note, docs/spec/log.md §4.2
// rules N1..): kTooLarge, kMalformed (not UTF-8, no blank line before the
// signatures, a bad signature line, a control character, more than
// kMaxNoteSignatures signatures).
Result<Note> ParseNote(std::string_view note);
std::string FormatNote(const Note& note);

// Verifies the signature of Ed25519 key `key` (a line matching its name and
// key id) over note.text: kOk when one verifies; kSignatureInvalid when a
// line names the key but does not verify, or no line names it (the message
// says which).
[[nodiscard]] Status VerifyNoteSignature(const Note& note, const NoteVerifierKey& key);

// Go's note.Open policy over a set of known Ed25519 keys: every line by a
// known key (same name and key id) must verify (kSignatureInvalid), lines by
// other keys are ignored, and at least one known key must have signed
// (kSignatureInvalid, "no signature by a known key"). Returns the known keys
// that signed, in the order of `known`. kInvalidArgument for a known key
// that is not type 0x01.
Result<std::vector<NoteVerifierKey>> VerifyNote(const Note& note,
                                                const std::vector<NoteVerifierKey>& known);

// Appends `sig` to `note`, first removing any line with the same name and
// key id (as Go's note.Sign does); kTooLarge if the note would then exceed
// kMaxNoteSignatures or kMaxNoteBytes (the note is left unchanged).
[[nodiscard]] Status AddNoteSignature(Note& note, NoteSignature sig);

// An Ed25519 note signer (the log operator's key). The seed is secret.
class NoteSigner {
 public:
  // kInvalidArgument for a seed that is not 32 bytes or a bad name (empty,
  // containing '+', whitespace or a control character).
  static Result<NoteSigner> FromSeed(std::string_view name, const SecretBytes& seed);
  const NoteVerifierKey& verifier_key() const { return vkey_; }
  // Appends this key's signature line to `note` (text must end with "\n"),
  // replacing an earlier one by this key: kInvalidArgument for a text that
  // fails CheckNoteText, kTooLarge as AddNoteSignature.
  [[nodiscard]] Status Sign(Note& note) const;

 private:
  NoteSigner() = default;
  NoteVerifierKey vkey_;
  SecretBytes secret_key_;  // libsodium's 64-byte Ed25519 secret key
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_NOTE_H_
