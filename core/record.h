// Sealed record v1: a payload encrypted once under a fresh data key, the key
// wrapped to each recipient's X25519 key, the header bound as associated data
// and the whole signed by the sender's Ed25519 key.
// Byte layout, labels and MUST-reject rules: docs/spec/record.md.
#ifndef MEDSEAL_CORE_RECORD_H_
#define MEDSEAL_CORE_RECORD_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/clock.h"
#include "core/identity.h"
#include "core/random.h"
#include "core/status.h"

namespace medseal {

inline constexpr size_t kMaxRecipients = 64;
inline constexpr size_t kMaxContentTypeBytes = 127;
inline constexpr size_t kMaxRecordIdBytes = 64;
inline constexpr size_t kMaxResourceTypeBytes = 64;
inline constexpr size_t kMaxBodyBytes = 16u << 20;  // 16 MiB
inline constexpr size_t kMinPaddedSize = 256;
inline constexpr size_t kWrappedKeySize = 32 + 16;
inline constexpr size_t kRecordSignatureSize = 64;
inline constexpr size_t kMaxRecordJsonBytes = 32u << 20;

// What a record carries. Everything here is encrypted; only sizes and key ids
// are visible to a server.
struct RecordPayload {
  std::string content_type;   // 1..127 bytes of printable ASCII (0x20..0x7E)
  std::string record_id;      // 0..64 bytes of printable ASCII without space
  std::string resource_type;  // 0..64 ASCII letters (a FHIR resource type)
  UnixMillis created = 0;     // set by SealRecord from the clock
  Bytes body;                 // at most 16 MiB
};

struct RecipientStanza {
  Bytes key_id;       // 16 bytes
  Bytes wrapped_key;  // 48 bytes: XChaCha20-Poly1305(wrap key, data key)
};

// A parsed (not yet verified, not decrypted) sealed record.
struct SealedRecord {
  Bytes sender_key_id;  // 16
  Bytes nonce;          // 24
  Bytes ephemeral_key;  // 32, X25519 public
  std::vector<RecipientStanza> recipients;  // sorted by key id, unique
  Bytes ciphertext;     // padded payload + 16-byte tag
  Bytes signature;      // 64

  // The header bytes (associated data of the payload AEAD), spec §4.1.
  Bytes HeaderBytes() const;
};

// Padded plaintext size for an encoded payload of `n` bytes (spec §4.4).
size_t PaddedSize(size_t n);

// Seals `payload` from `sender` to every card in `recipients` (1..64, no two
// with the same key id). Randomness: data key (32), nonce (24), ephemeral
// X25519 key (32), drawn from `rng` in that order. `payload.created` is
// replaced by clock.Now().
Result<SealedRecord> SealRecord(const Identity& sender, std::span<const PublicCard> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock);
// The same for cards held elsewhere (e.g. the wasm bindings' handle table),
// without copying them. A null pointer is INVALID_ARGUMENT.
Result<SealedRecord> SealRecord(const Identity& sender,
                                std::span<const PublicCard* const> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock);

Bytes EncodeRecordBinary(const SealedRecord& record);
std::string EncodeRecordJson(const SealedRecord& record);
Result<SealedRecord> ParseRecordBinary(ByteView data);
Result<SealedRecord> ParseRecordJson(std::string_view json);
// Binary when the input starts with the magic "msrc", JSON otherwise.
Result<SealedRecord> ParseRecord(ByteView data);

// Checks that `sender` sealed the record: key id and signature.
[[nodiscard]] Status VerifyRecord(const SealedRecord& record, const PublicCard& sender);

// Verifies the sender, then decrypts with `recipient`'s key.
Result<RecordPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender);

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_H_
