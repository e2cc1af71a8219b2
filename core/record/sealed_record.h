// SPDX-License-Identifier: Apache-2.0
// A sealed record as it travels: its fields, and its two encodings, binary
// and JSON, with strict parsers (docs/spec/record.md §4.1, §4.2, §4.6).
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

struct RecipientStanza {
  Bytes key_id;       // 16 bytes
  Bytes wrapped_key;  // 48 bytes: XChaCha20-Poly1305(wrap key, data key)
};

// A parsed (not yet verified, not decrypted) sealed record.
struct SealedRecord {
  Bytes sender_key_id;                      // 16
  Bytes nonce;                              // 24
  Bytes ephemeral_key;                      // 32, X25519 public
  std::vector<RecipientStanza> recipients;  // sorted by key id, unique
  Bytes ciphertext;                         // padded payload + 16-byte tag
  Bytes signature;                          // 64

  // The header bytes (associated data of the payload AEAD), spec §4.1.
  Bytes HeaderBytes() const;
};

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
