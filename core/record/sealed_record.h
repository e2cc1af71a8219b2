// SPDX-License-Identifier: Apache-2.0
// A sealed record as it travels: its fields, and its two encodings, binary
// and JSON, with strict parsers (docs/spec/record.md §4.1, §4.2, §4.6 for
// version 1; §5.1, §5.2, §5.5 for version 2).
// Parsing checks structure only; VerifyRecord and OpenRecord (record.h) do
// the cryptography.
#ifndef MEDSEAL_CORE_RECORD_SEALED_RECORD_H_
#define MEDSEAL_CORE_RECORD_SEALED_RECORD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kMaxRecipients = 64;
inline constexpr size_t kWrappedKeySize = 32 + 16;
inline constexpr size_t kRecordSignatureSize = 64;
inline constexpr size_t kMaxRecordJsonBytes = 32u << 20;

// Version 2 (spec §5): the purposes and consent hashes of the header, and
// the stanza types.
inline constexpr size_t kMaxRecordPurposes = 16;
inline constexpr size_t kMaxPurposeSystemBytes = 255;
inline constexpr size_t kMaxPurposeCodeBytes = 64;
inline constexpr size_t kMaxConsentHashes = 64;
inline constexpr size_t kConsentHashSize = 32;
// The largest stanza body of any type (known types: kWrappedKeySize, or
// kXWingStanzaBodySize for kStanzaXWing).
inline constexpr size_t kMaxStanzaBodyBytes = 4096;
// A type 3 (X-Wing) stanza's body: the X-Wing ciphertext (1120 bytes,
// core/crypto/xwing.h) || the wrapped data key (48), spec §5.3.
inline constexpr size_t kXWingStanzaBodySize = 1120 + kWrappedKeySize;

// Record versions this build reads (spec §4, §5).
inline constexpr uint8_t kRecordVersion1 = 1;
inline constexpr uint8_t kRecordVersion2 = 2;

// Stanza types of a v2 record (spec §5.3). A v1 record's stanzas are all
// kStanzaX25519. Other values 4..255 are types of later versions of this
// spec: parsed and kept (their bytes are signed), never used to open.
inline constexpr uint8_t kStanzaX25519 = 1;
inline constexpr uint8_t kStanzaVault = 2;
// X-Wing (ML-KEM-768 + X25519) to a card's kCardKeyXWing key (issue #14):
// the body is the X-Wing ciphertext (1120 bytes) and the wrapped data key.
inline constexpr uint8_t kStanzaXWing = 3;

// A purpose of use as carried in a v2 header (v3-ActReason system + code,
// e.g. {"http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT"}).
// Both are 1..255 (system) and 1..64 (code) bytes of 0x21..0x7e.
struct RecordPurpose {
  std::string system;
  std::string code;
  bool operator==(const RecordPurpose&) const = default;
};

struct RecipientStanza {
  Bytes key_id;  // 16 bytes: a card's key id (X25519, X-Wing) or a vault key's id
  // The stanza body: for types 1 and 2 48 bytes, XChaCha20-Poly1305(wrap
  // key, data key); for type 3 the X-Wing ciphertext (1120) followed by
  // those 48 bytes; for a type this build does not know, its bytes as read.
  Bytes wrapped_key;
  uint8_t type = kStanzaX25519;
};

// A parsed (not yet verified, not decrypted) sealed record.
struct SealedRecord {
  uint8_t version = kRecordVersion1;
  Bytes sender_key_id;  // 16
  Bytes nonce;          // 24
  Bytes ephemeral_key;  // 32, X25519 public
  // v2 only (empty in v1): sorted ascending (system, then code), unique.
  std::vector<RecordPurpose> purposes;
  // v2 only: 32 bytes each, sorted ascending, unique; may be empty.
  std::vector<Bytes> consent_hashes;
  // Sorted by (type, key id), no (type, key id) twice; v1: all X25519.
  std::vector<RecipientStanza> recipients;
  Bytes ciphertext;  // padded payload + 16-byte tag
  Bytes signature;   // 64

  // The header bytes (associated data of the payload AEAD), spec §4.1 / §5.1.
  Bytes HeaderBytes() const;
};

// The canonical order of purposes (spec §5.1): system bytes, then code
// bytes, each compared as unsigned bytes, a prefix first.
bool PurposeLess(const RecordPurpose& a, const RecordPurpose& b);

// How a record is spelled. The numbers are stable (the wasm bindings pass
// them through).
enum class RecordEncoding : uint32_t {
  kBinary = 0,  // spec §4.1
  kJson = 1,    // spec §4.2, UTF-8 text
};

Bytes EncodeRecordBinary(const SealedRecord& record);
std::string EncodeRecordJson(const SealedRecord& record);
// Either encoding, as bytes (JSON as its UTF-8 text); kInvalidArgument for
// an encoding value outside the enum.
Result<Bytes> EncodeRecord(const SealedRecord& record, RecordEncoding encoding);

// The public header of a record as JSON, for inspection (the package's
// inspectRecord): {"version", "postQuantum": bool, "sender": b64u,
// "purposes": [{"system", "code"}], "consentHashes": [hex], "recipients":
// [{"type", "keyId": b64u, "postQuantum": bool}], "ciphertextBytes"} in the
// record's order (a v1 record: no purposes or hashes, every stanza type 1).
// A recipient's "postQuantum" is true for a type 3 (X-Wing: secret as long
// as ML-KEM-768 or X25519 holds) and a type 2 (a 32-byte symmetric vault
// key) stanza, false for type 1 (X25519) and for types this build does not
// know. The record's "postQuantum" is true when every stanza's is: all
// stanzas wrap the same data key, so one X25519 stanza exposes the record
// to whoever breaks X25519 (spec §7).
std::string RecordHeaderJson(const SealedRecord& record);

// Strict parsers: the rules and their order of spec §4.6 (the JSON one after
// the general JSON rules of §1.2).
Result<SealedRecord> ParseRecordBinary(ByteView data);
Result<SealedRecord> ParseRecordJson(std::string_view json);
// `data` in the given encoding (kInvalidArgument for a value outside the
// enum): the caller says which, nothing is guessed.
Result<SealedRecord> ParseRecord(ByteView data, RecordEncoding encoding);
// Binary when the input starts with the magic's first byte 'm', JSON
// otherwise (a JSON text starts with '{' or whitespace).
Result<SealedRecord> ParseRecord(ByteView data);

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_SEALED_RECORD_H_
