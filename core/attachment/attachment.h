// SPDX-License-Identifier: Apache-2.0
// medseal attachments (docs/spec/attachment.md): a plain age v1 file (any
// age implementation opens it) plus a detached signature by the sender's
// identity over the age header, the SHA-256 of the whole encrypted file and
// the attachment's metadata. The signature object is confidential (the
// metadata names the file): it travels inside a sealed record v2 to the
// same recipients (SealAttachmentSignature / OpenAttachmentSignature), never
// in clear on a server.
//
// Key mapping: a card with a post-quantum key (card v2, an X-Wing public
// key) is age's hybrid recipient "age1pq1" + Bech32(X-Wing public key), and
// the identity's X-Wing seed is the matching AGE-SECRET-KEY-PQ-1... identity;
// a card without one is the X25519 recipient "age1" + Bech32(kx public key),
// and the identity's kx secret is the matching age identity. A card gets one
// recipient, never both. So a file encrypted to a card's recipient string
// with any age tool opens with the medseal identity.
#ifndef MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_
#define MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/age/keys.h"
#include "core/age/stream.h"
#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/consent/receipt.h"
#include "core/consent/share.h"
#include "core/crypto/sha2.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/record.h"

namespace medseal {

inline constexpr std::string_view kAttachmentSignatureType = "medseal.attachment-signature";
// The signed bytes start with LABEL(kAttachmentSignatureLabel) (spec §3).
inline constexpr std::string_view kAttachmentSignatureLabel = "medseal/v1/attachment-signature";
// The content type of the sealed record v2 that carries a signature object
// (spec §5).
inline constexpr std::string_view kAttachmentSignatureContentType =
    "application/vnd.medseal.attachment-signature+json";
// Limits (spec §2).
inline constexpr size_t kMaxAttachmentSignatureJsonBytes = 4096;
inline constexpr size_t kMaxAttachmentMediaTypeBytes = 127;
inline constexpr size_t kMaxAttachmentNameBytes = 255;

// The card's age recipient: its X-Wing key as the hybrid (mlkem768x25519)
// recipient when the card has one (PublicCard::has_post_quantum_key()),
// else its kx key as an X25519 recipient. A PublicCard is always verified,
// so this cannot fail for a parsed card; a card object with a key of the
// wrong size is kInvalidArgument.
Result<AgeRecipient> AgeRecipientForCard(const PublicCard& card);
// The card's age recipient as text: "age1pq1..." or "age1..." (lower case Bech32).
Result<std::string> AgeRecipientStringForCard(const PublicCard& card);
// The age identity that matches AgeRecipientForCard(identity.card()): the
// hybrid identity of its X-Wing seed if it has one (Identity::xwing_key()),
// else its kx secret as an X25519 identity.
AgeIdentity AgeIdentityFor(const Identity& identity);
// Every age identity the identity holds, the one of AgeIdentityFor first:
// a post-quantum identity also gets its kx secret as an X25519 identity, so
// that a file another tool encrypted to its kx key ("age1...") still opens.
std::vector<AgeIdentity> AgeIdentitiesFor(const Identity& identity);

struct AttachmentMetadata {
  std::string media_type;  // RFC 6838 "type/subtype", lower case, required
  std::string name;        // the file's name, UTF-8, may be empty
  uint64_t size = 0;       // plaintext bytes
  UnixMillis created = 0;  // from the injected clock
};

// The metadata from the JSON text the package writes (the wasm bindings pass
// it through): {"mediaType": s, "name": s, "size": n, "created": n}, exactly
// these members, in any order, the numbers integers (record.md §1.2) >= 0.
// Anything else is kInvalidArgument (an input over 4096 bytes kTooLarge);
// the values' rules are CheckAttachmentMetadata's, applied where they are used.
Result<AttachmentMetadata> AttachmentMetadataFromJson(std::string_view json);

// kOk if the metadata can be signed: the value rules A15, A16, A18-A21 of
// spec §2.3 with their codes (kTooLarge, kMalformed).
[[nodiscard]] Status CheckAttachmentMetadata(const AttachmentMetadata& metadata);

struct AttachmentSignature {
  Bytes sender_key_id;  // kKeyIdSize bytes
  Bytes header_sha256;  // SHA-256 of the age header bytes (AgeHeader::size bytes)
  Bytes file_sha256;    // SHA-256 of the whole age file (header + payload)
  AttachmentMetadata metadata;
  Bytes signature;  // Ed25519 over the signed bytes (spec §3)

  // The bytes the signature covers (spec §3).
  Bytes SignedBytes() const;
  // The signature object as medseal writes it: its JCS form (spec §2.2).
  // kInvalidArgument for a name or media type that is not UTF-8.
  Result<std::string> ToJson() const;
};

// Signs; returns the signature object as canonical JSON (RFC 8785).
// kInvalidArgument: age_header is not exactly one complete age header
// (ParseAgeHeader), file_sha256 is not 32 bytes, or the metadata breaks
// CheckAttachmentMetadata (its code is kept in the message only).
Result<Bytes> SignAttachment(const Identity& sender, ByteView age_header, ByteView file_sha256,
                             const AttachmentMetadata& metadata);
// Parses and verifies against the sender's card and the file's header and
// hash (spec §4: A1-A24, then V1-V4). kMalformed / kNonCanonical /
// kTooLarge / kUnsupportedVersion on a bad object, kSenderMismatch if it is
// not the card's key id, kSignatureInvalid for a bad signature and for a
// header or file hash that differs. kInvalidArgument if file_sha256 is not
// 32 bytes (checked first).
Result<AttachmentSignature> VerifyAttachment(ByteView signature_json, const PublicCard& sender,
                                             ByteView age_header, ByteView file_sha256);
// Parses without verifying (to find the sender's key id first): A1-A24.
Result<AttachmentSignature> ParseAttachmentSignature(ByteView signature_json);
// Parses and checks the sender and the Ed25519 signature (A1-A24, V1-V2),
// not the file: what AttachmentReader does before it reads a byte.
Result<AttachmentSignature> VerifyAttachmentSender(ByteView signature_json,
                                                   const PublicCard& sender);

// Streaming writer: an AgeEncryptor to the recipients' cards that hashes the
// file as it goes and signs at Finish. It keeps its own copy of the sender
// identity (re-derived from its seed), so the caller's may go away first.
class AttachmentWriter {
 public:
  // kInvalidArgument: no recipient, a null card, more than kMaxRecipients,
  // metadata that breaks CheckAttachmentMetadata; kDuplicateRecipient: two
  // cards with one key id.
  // Randomness: AgeEncryptor::Create's.
  static Result<AttachmentWriter> Create(const Identity& sender,
                                         std::span<const PublicCard> recipients,
                                         AttachmentMetadata metadata, Rng& rng);
  static Result<AttachmentWriter> Create(const Identity& sender,
                                         std::span<const PublicCard* const> recipients,
                                         AttachmentMetadata metadata, Rng& rng);
  // The same with metadata.created = clock.Now() (kInvalidArgument outside
  // 0..2^53-1).
  static Result<AttachmentWriter> Create(const Identity& sender,
                                         std::span<const PublicCard* const> recipients,
                                         AttachmentMetadata metadata, Rng& rng, Clock& clock);
  AttachmentWriter(const AttachmentWriter&) = delete;
  AttachmentWriter& operator=(const AttachmentWriter&) = delete;
  AttachmentWriter(AttachmentWriter&&) noexcept = default;
  AttachmentWriter& operator=(AttachmentWriter&&) noexcept = default;
  ~AttachmentWriter() = default;
  // Appends file bytes to out. kInvalidArgument once more than metadata.size
  // bytes have been pushed. Errors stick.
  [[nodiscard]] Status Push(ByteView plaintext, Bytes& out);
  // Appends the last chunk and returns the signature object. kInvalidArgument
  // if the bytes pushed differ from metadata.size, or after Finish.
  Result<Bytes> Finish(Bytes& out);
  // The same, returning what the call emits (for the wasm bindings).
  Result<Bytes> Push(ByteView plaintext);
  struct Tail {
    Bytes file;       // the last bytes of the file
    Bytes signature;  // the signature object (JCS)
  };
  Result<Tail> Finish();

  const AttachmentMetadata& metadata() const { return metadata_; }
  // The age header (the first bytes of the file).
  const Bytes& header() const;

 private:
  AttachmentWriter() = default;
  std::unique_ptr<Identity> sender_;
  std::optional<AgeEncryptor> encryptor_;
  std::unique_ptr<Sha256Stream> file_hash_;
  AttachmentMetadata metadata_;
  uint64_t pushed_ = 0;
  bool finished_ = false;
  Status error_;
};

// Streaming verifying reader: checks the signature object against the
// sender's card first (VerifyAttachmentSender), then reads the age file:
// the header is buffered until complete and its SHA-256 compared with the
// signed one (kSignatureInvalid) BEFORE any key is tried; then the payload
// goes through an AgeDecryptor, whose plaintext is released chunk by chunk
// as each chunk authenticates. The file's SHA-256 and the plaintext size are
// compared at Finish, before Finish releases the last chunk: until Finish
// succeeds, released plaintext is authentic age plaintext for this
// recipient, but NOT yet proven to come from the sender (spec §6).
class AttachmentReader {
 public:
  // kInvalidArgument if identities is empty; then VerifyAttachmentSender's codes.
  static Result<AttachmentReader> Create(std::span<const AgeIdentity> identities,
                                         ByteView signature_json, const PublicCard& sender);
  // With AgeIdentitiesFor(recipient): a post-quantum identity opens its
  // hybrid stanza and also an X25519 stanza to its kx key.
  static Result<AttachmentReader> Create(const Identity& recipient, ByteView signature_json,
                                         const PublicCard& sender);
  AttachmentReader(const AttachmentReader&) = delete;
  AttachmentReader& operator=(const AttachmentReader&) = delete;
  AttachmentReader(AttachmentReader&&) noexcept = default;
  AttachmentReader& operator=(AttachmentReader&&) noexcept = default;
  ~AttachmentReader() = default;

  // Feeds file bytes; appends authenticated plaintext to out. Errors stick:
  // ParseAgeHeader's (kTruncated only waits), kSignatureInvalid (header hash;
  // more plaintext than the signed size), then AgeDecryptor::Push's.
  [[nodiscard]] Status Push(ByteView ciphertext, Bytes& out);
  // kTruncated (incomplete file), AgeDecryptor::Finish's codes, then
  // kSignatureInvalid if the file hash or the plaintext size differs from
  // the signature's. On success the last plaintext is appended.
  [[nodiscard]] Status Finish(Bytes& out);
  // The same, returning the plaintext released by the call as secret bytes
  // (for the wasm bindings).
  Result<SecretBytes> Push(ByteView ciphertext);
  Result<SecretBytes> Finish();

  // The verified signature object (sender and metadata).
  const AttachmentSignature& signature() const { return signature_; }

 private:
  AttachmentReader() = default;
  [[nodiscard]] Status Fail(Status s);
  AttachmentSignature signature_;
  std::optional<AgeDecryptor> decryptor_;
  std::unique_ptr<Sha256Stream> file_hash_;
  Bytes header_buffer_;    // file bytes until the header is complete
  uint64_t released_ = 0;  // plaintext bytes appended to the caller's buffers
  bool header_checked_ = false;
  bool finished_ = false;
  Status error_;
};

// One-shot, for files held in memory.
struct EncryptedAttachment {
  Bytes file;            // the age file (binary)
  Bytes signature_json;  // the signature object (JCS)
};
Result<EncryptedAttachment> EncryptAttachment(const Identity& sender,
                                              std::span<const PublicCard* const> recipients,
                                              ByteView plaintext, AttachmentMetadata metadata,
                                              Rng& rng);
// Verifies everything (spec §4 and §6) before returning any plaintext.
Result<SecretBytes> DecryptAttachment(ByteView file, ByteView signature_json,
                                      const Identity& recipient, const PublicCard& sender);

// ---- How the signature object travels (spec §5) ----
// Seals the signature object in a sealed record v2 from `sender` to the
// same cards the file was encrypted to, binding `context` (purposes and
// consent hashes). kInvalidArgument if the object does not parse or is not
// the sender's (its key id differs from sender's); then SealRecordV2's codes.
// Payload: content type kAttachmentSignatureContentType, record id = the
// caller's `record_id` (0..64 printable ASCII), resource type "", body = the
// signature object.
Result<SealedRecord> SealAttachmentSignature(const Identity& sender,
                                             std::span<const PublicCard* const> recipients,
                                             ByteView signature_json, std::string_view record_id,
                                             const RecordContext& context, Rng& rng, Clock& clock);
// Opens such a record for `purpose` (OpenRecord's codes), then: a content
// type other than kAttachmentSignatureContentType is kMalformed; the body
// goes through VerifyAttachmentSender with `sender` (so a signature object
// of another sender than the record's is kSenderMismatch). Returns the
// signature object's bytes, ready for AttachmentReader / DecryptAttachment.
Result<Bytes> OpenAttachmentSignature(const SealedRecord& record, const Identity& recipient,
                                      const PublicCard& sender, const RecordPurpose& purpose);

// ---- Consent (spec §7) ----
// Who may receive an attachment, decided as consent::Share decides it for a
// record: `descriptor_json` is ONE FHIR resource that describes the
// attachment (a DocumentReference whose content.attachment gives the media
// type and title; its labels and the consents decide). Share seals the
// descriptor itself to the candidates permitted (returned, to send along);
// the attachment's recipients are those cards, and `context` binds the same
// purpose and consent hashes for SealAttachmentSignature.
struct AttachmentRecipients {
  consent::SharedResource descriptor;    // the decisions and the sealed descriptor
  std::vector<const PublicCard*> cards;  // the permitted candidates' cards, in input order
  RecordContext context;                 // purpose + the deciding consents' hashes
};
// kInvalidArgument if descriptor_json is a Bundle; kNotPermitted if no
// candidate is permitted; then consent::Share's codes.
Result<AttachmentRecipients> DecideAttachmentRecipients(
    const Identity& sender, std::string_view descriptor_json,
    std::span<const consent::SignedConsent> consents,
    std::span<const consent::ShareCandidate> candidates, const consent::ShareOptions& options,
    Rng& rng, Clock& clock);

}  // namespace medseal

#endif  // MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_
