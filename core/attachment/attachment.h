// SPDX-License-Identifier: Apache-2.0
// medseal attachments (docs/spec/attachment.md): a plain age v1 file (any
// age implementation opens it) plus a detached signature by the sender's
// identity over the age header, the SHA-256 of the whole encrypted file and
// the attachment's metadata. The signature object is confidential (the
// metadata names the file): it travels inside a sealed record or another
// encrypted channel, never in clear on a server.
//
// Key mapping: a card's kx key (X25519) is the age recipient
// "age1" + Bech32(kx public key); the identity's kx secret is the matching
// age identity. So a file encrypted to a card's age1... string with any age
// tool opens with the medseal identity.
#ifndef MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_
#define MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_

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
#include "core/base/status.h"
#include "core/crypto/sha2.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"

namespace medseal {

inline constexpr std::string_view kAttachmentSignatureType = "medseal.attachment-signature";

// The card's kx key as an age recipient. Verifies the card first
// (kSignatureInvalid / kKeyIdMismatch as PublicCard parsing would).
Result<AgeRecipient> AgeRecipientForCard(const PublicCard& card);
// The identity's kx secret as an age identity.
AgeIdentity AgeIdentityFor(const Identity& identity);

struct AttachmentMetadata {
  std::string media_type;  // RFC 6838 "type/subtype", lower case, required
  std::string name;        // the file's name, UTF-8, may be empty
  uint64_t size = 0;       // plaintext bytes
  UnixMillis created = 0;  // from the injected clock
};

struct AttachmentSignature {
  Bytes sender_key_id;      // kKeyIdSize bytes
  Bytes header_sha256;      // SHA-256 of the age header bytes (AgeHeader::size bytes)
  Bytes file_sha256;        // SHA-256 of the whole age file (header + payload)
  AttachmentMetadata metadata;
  Bytes signature;          // Ed25519 over the signed bytes (spec §signature)
};

// Signs; returns the signature object as canonical JSON (RFC 8785).
Result<Bytes> SignAttachment(const Identity& sender, ByteView age_header, ByteView file_sha256,
                             const AttachmentMetadata& metadata);
// Parses and verifies against the sender's card and the file's header and
// hash. kMalformed / kNonCanonical / kTooLarge on a bad object,
// kSenderMismatch if it is not the card's key id, kSignatureInvalid,
// kDecryptFailed is never used: a header or file hash that differs is kSignatureInvalid.
Result<AttachmentSignature> VerifyAttachment(ByteView signature_json, const PublicCard& sender,
                                             ByteView age_header, ByteView file_sha256);
// Parses without verifying (to find the sender's key id first).
Result<AttachmentSignature> ParseAttachmentSignature(ByteView signature_json);

// Streaming writer: an AgeEncryptor to the recipients' cards that hashes the
// file as it goes and signs at Finish.
class AttachmentWriter {
 public:
  static Result<AttachmentWriter> Create(const Identity& sender,
                                         std::span<const PublicCard> recipients,
                                         AttachmentMetadata metadata, Rng& rng);
  AttachmentWriter(AttachmentWriter&&) noexcept = default;
  AttachmentWriter& operator=(AttachmentWriter&&) noexcept = default;
  [[nodiscard]] Status Push(ByteView plaintext, Bytes& out);
  // Appends the last chunk and returns the signature object. kInvalidArgument
  // if the bytes pushed differ from metadata.size.
  Result<Bytes> Finish(Bytes& out);

 private:
  AttachmentWriter() = default;
  const Identity* sender_ = nullptr;
  std::optional<AgeEncryptor> encryptor_;
  std::unique_ptr<Sha256Stream> file_hash_;
  AttachmentMetadata metadata_;
  uint64_t pushed_ = 0;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_ATTACHMENT_ATTACHMENT_H_
