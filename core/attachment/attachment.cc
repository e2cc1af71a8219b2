// SPDX-License-Identifier: Apache-2.0
#include "core/attachment/attachment.h"

#include <algorithm>
#include <utility>

#include "core/age/header.h"
#include "core/base/utf8.h"
#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/xwing.h"
#include "core/record/sealed_record.h"

namespace medseal {
namespace {

Status Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

bool IsMediaTypeFirst(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsMediaTypeChar(char c) {
  return IsMediaTypeFirst(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' ||
         c == '^' || c == '_' || c == '.' || c == '+';
}

// RFC 6838 §4.2 restricted-name, lower case only.
bool IsRestrictedName(std::string_view s) {
  if (s.empty() || !IsMediaTypeFirst(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), IsMediaTypeChar);
}

Status CheckMediaType(std::string_view media_type) {
  if (media_type.size() > kMaxAttachmentMediaTypeBytes) {
    return Error(ErrorCode::kTooLarge, "attachment: media type too long");
  }
  const size_t slash = media_type.find('/');
  if (slash == std::string_view::npos || !IsRestrictedName(media_type.substr(0, slash)) ||
      !IsRestrictedName(media_type.substr(slash + 1))) {
    return Error(ErrorCode::kMalformed, "attachment: media type is not type/subtype");
  }
  return Status::Ok();
}

Status CheckName(std::string_view name) {
  if (name.size() > kMaxAttachmentNameBytes) {
    return Error(ErrorCode::kTooLarge, "attachment: name too long");
  }
  if (!IsValidUtf8(name)) return Error(ErrorCode::kMalformed, "attachment: name is not UTF-8");
  const bool bad_char = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == '/' || c == '\\';
  });
  if (bad_char || name == "." || name == "..") {
    return Error(ErrorCode::kMalformed, "attachment: name is not a plain file name");
  }
  return Status::Ok();
}

bool IsValidCount(int64_t v) { return v >= 0 && v <= kMaxJsonInteger; }

// The age header at the start of `file`: its size if `file` starts with one.
Result<size_t> HeaderSize(ByteView file) {
  MEDSEAL_ASSIGN_OR_RETURN(AgeHeader header, ParseAgeHeader(file));
  return header.size;
}

Result<std::vector<AgeRecipient>> RecipientsFor(std::span<const PublicCard* const> cards) {
  if (cards.empty()) return Invalid("attachment: no recipient");
  if (cards.size() > kMaxRecipients) return Invalid("attachment: too many recipients");
  std::vector<AgeRecipient> out;
  std::vector<Bytes> seen;
  for (const PublicCard* card : cards) {
    if (card == nullptr) return Invalid("attachment: a null card");
    if (std::find(seen.begin(), seen.end(), card->key_id()) != seen.end()) {
      return Error(ErrorCode::kDuplicateRecipient, "attachment: two cards with one key id");
    }
    seen.push_back(card->key_id());
    MEDSEAL_ASSIGN_OR_RETURN(AgeRecipient r, AgeRecipientForCard(*card));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

// ---- keys ----

Result<AgeRecipient> AgeRecipientForCard(const PublicCard& card) {
  if (card.has_post_quantum_key()) {
    if (card.xwing_public_key().size() != kXWingPublicKeySize) {
      return Invalid("attachment: card X-Wing key not 1216 bytes");
    }
    return AgeRecipient::Hybrid(card.xwing_public_key());
  }
  if (card.kx_public_key().size() != 32) return Invalid("attachment: card kx key not 32 bytes");
  return AgeRecipient::X25519(card.kx_public_key());
}

Result<std::string> AgeRecipientStringForCard(const PublicCard& card) {
  MEDSEAL_ASSIGN_OR_RETURN(AgeRecipient r, AgeRecipientForCard(card));
  return r.ToString();
}

AgeIdentity AgeIdentityFor(const Identity& identity) {
  // A 32-byte X-Wing seed or X25519 secret always makes an identity.
  if (const XWingPrivateKey* xwing = identity.xwing_key(); xwing != nullptr) {
    return AgeIdentity::Hybrid(SecretBytes::CopyFrom(RevealSecret(xwing->seed()))).value();
  }
  return AgeIdentity::X25519(identity.CopyKxSecretKey()).value();
}

std::vector<AgeIdentity> AgeIdentitiesFor(const Identity& identity) {
  std::vector<AgeIdentity> out;
  out.push_back(AgeIdentityFor(identity));
  if (identity.xwing_key() != nullptr) {
    out.push_back(AgeIdentity::X25519(identity.CopyKxSecretKey()).value());
  }
  return out;
}

// ---- the signature object ----

Status CheckAttachmentMetadata(const AttachmentMetadata& metadata) {
  MEDSEAL_RETURN_IF_ERROR(CheckMediaType(metadata.media_type));
  MEDSEAL_RETURN_IF_ERROR(CheckName(metadata.name));
  if (metadata.size > static_cast<uint64_t>(kMaxJsonInteger)) {
    return Error(ErrorCode::kMalformed, "attachment: size above 2^53-1");
  }
  if (!IsValidCount(metadata.created)) {
    return Error(ErrorCode::kMalformed, "attachment: creation time outside 0..2^53-1");
  }
  return Status::Ok();
}

Result<AttachmentMetadata> AttachmentMetadataFromJson(std::string_view json) {
  auto parsed = ParseJsonObject(json, kMaxAttachmentSignatureJsonBytes);
  if (!parsed.ok()) {
    if (parsed.status().code() == ErrorCode::kTooLarge) return parsed.status();
    return Invalid("attachment: metadata is not a JSON object");
  }
  const Json& j = *parsed;
  AttachmentMetadata m;
  auto media_type = GetString(j, "mediaType");
  auto name = GetString(j, "name");
  auto size = GetInt(j, "size");
  auto created = GetInt(j, "created");
  if (!ExpectExactKeys(j, {"mediaType", "name", "size", "created"}).ok() || !media_type.ok() ||
      !name.ok() || !size.ok() || !created.ok() || *size < 0 || *created < 0) {
    return Invalid(
        "attachment: metadata must be {mediaType, name, size, created} with integer sizes");
  }
  m.media_type = std::move(media_type).value();
  m.name = std::move(name).value();
  m.size = static_cast<uint64_t>(*size);
  m.created = *created;
  return m;
}

Bytes AttachmentSignature::SignedBytes() const {
  Bytes out;
  ByteWriter w(out);
  w.Label(kAttachmentSignatureLabel);
  w.Raw(sender_key_id);
  w.Raw(header_sha256);
  w.Raw(file_sha256);
  w.Str8(metadata.media_type);
  w.Str8(metadata.name);
  w.U64(metadata.size);
  w.U64(static_cast<uint64_t>(metadata.created));
  return out;
}

Result<std::string> AttachmentSignature::ToJson() const {
  Json j = {
      {"type", kAttachmentSignatureType},
      {"v", 1},
      {"sender", Base64UrlEncode(sender_key_id)},
      {"headerSha256", Base64UrlEncode(header_sha256)},
      {"fileSha256", Base64UrlEncode(file_sha256)},
      {"mediaType", metadata.media_type},
      {"name", metadata.name},
      {"size", metadata.size},
      {"created", metadata.created},
      {"sig", Base64UrlEncode(signature)},
  };
  return CanonicalizeJson(j);
}

Result<AttachmentSignature> ParseAttachmentSignature(ByteView signature_json) {
  MEDSEAL_ASSIGN_OR_RETURN(
      Json j, ParseJsonObject(AsText(signature_json), kMaxAttachmentSignatureJsonBytes));
  // A1-A3
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kAttachmentSignatureType, 1));
  // A4
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(j, {"type", "v", "sender", "headerSha256", "fileSha256",
                                              "mediaType", "name", "size", "created", "sig"}));
  AttachmentSignature s;
  // A5-A13
  MEDSEAL_ASSIGN_OR_RETURN(s.sender_key_id, GetBase64(j, "sender", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(s.header_sha256, GetBase64(j, "headerSha256", kSha256Size));
  MEDSEAL_ASSIGN_OR_RETURN(s.file_sha256, GetBase64(j, "fileSha256", kSha256Size));
  // A14-A16
  MEDSEAL_ASSIGN_OR_RETURN(s.metadata.media_type, GetString(j, "mediaType"));
  MEDSEAL_RETURN_IF_ERROR(CheckMediaType(s.metadata.media_type));
  // A17-A19
  MEDSEAL_ASSIGN_OR_RETURN(s.metadata.name, GetString(j, "name"));
  MEDSEAL_RETURN_IF_ERROR(CheckName(s.metadata.name));
  // A20
  auto size = GetInt(j, "size");
  if (!size.ok() || !IsValidCount(*size)) {
    return Error(ErrorCode::kMalformed, "attachment: size is not an integer in 0..2^53-1");
  }
  s.metadata.size = static_cast<uint64_t>(*size);
  // A21
  auto created = GetInt(j, "created");
  if (!created.ok() || !IsValidCount(*created)) {
    return Error(ErrorCode::kMalformed, "attachment: created is not an integer in 0..2^53-1");
  }
  s.metadata.created = *created;
  // A22-A24
  MEDSEAL_ASSIGN_OR_RETURN(s.signature, GetBase64(j, "sig", kEd25519SignatureSize));
  return s;
}

Result<AttachmentSignature> VerifyAttachmentSender(ByteView signature_json,
                                                   const PublicCard& sender) {
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentSignature s, ParseAttachmentSignature(signature_json));
  // V1
  if (s.sender_key_id != sender.key_id()) {
    return Error(ErrorCode::kSenderMismatch, "attachment: signed by another key");
  }
  // V2
  if (!Ed25519Verify(sender.sign_public_key(), s.SignedBytes(), s.signature).ok()) {
    return Error(ErrorCode::kSignatureInvalid, "attachment: signature does not verify");
  }
  return s;
}

Result<Bytes> SignAttachment(const Identity& sender, ByteView age_header, ByteView file_sha256,
                             const AttachmentMetadata& metadata) {
  auto header_size = HeaderSize(age_header);
  if (!header_size.ok() || *header_size != age_header.size()) {
    return Invalid("attachment: not exactly one age header");
  }
  if (file_sha256.size() != kSha256Size) return Invalid("attachment: file hash not 32 bytes");
  const Status meta = CheckAttachmentMetadata(metadata);
  if (!meta.ok()) return Invalid("attachment: metadata: " + meta.message());
  AttachmentSignature s;
  s.sender_key_id = sender.key_id();
  s.header_sha256 = Sha256(age_header);
  s.file_sha256.assign(file_sha256.begin(), file_sha256.end());
  s.metadata = metadata;
  s.signature = sender.Sign(s.SignedBytes());
  MEDSEAL_ASSIGN_OR_RETURN(std::string json, s.ToJson());
  if (json.size() > kMaxAttachmentSignatureJsonBytes) {
    return Invalid("attachment: signature object longer than its limit");
  }
  return ToBytes(json);
}

Result<AttachmentSignature> VerifyAttachment(ByteView signature_json, const PublicCard& sender,
                                             ByteView age_header, ByteView file_sha256) {
  if (file_sha256.size() != kSha256Size) return Invalid("attachment: file hash not 32 bytes");
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentSignature s, VerifyAttachmentSender(signature_json, sender));
  // V3
  if (!ConstantTimeEqual(s.header_sha256, Sha256(age_header))) {
    return Error(ErrorCode::kSignatureInvalid, "attachment: the age header is not the signed one");
  }
  // V4
  if (!ConstantTimeEqual(s.file_sha256, file_sha256)) {
    return Error(ErrorCode::kSignatureInvalid, "attachment: the file is not the signed one");
  }
  return s;
}

// ---- writer ----

Result<AttachmentWriter> AttachmentWriter::Create(const Identity& sender,
                                                  std::span<const PublicCard> recipients,
                                                  AttachmentMetadata metadata, Rng& rng) {
  std::vector<const PublicCard*> cards;
  cards.reserve(recipients.size());
  for (const PublicCard& c : recipients) cards.push_back(&c);
  return Create(sender, std::span<const PublicCard* const>(cards), std::move(metadata), rng);
}

Result<AttachmentWriter> AttachmentWriter::Create(const Identity& sender,
                                                  std::span<const PublicCard* const> recipients,
                                                  AttachmentMetadata metadata, Rng& rng) {
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<AgeRecipient> age, RecipientsFor(recipients));
  const Status meta = CheckAttachmentMetadata(metadata);
  if (!meta.ok()) return Invalid("attachment: metadata: " + meta.message());
  MEDSEAL_ASSIGN_OR_RETURN(AgeEncryptor encryptor, AgeEncryptor::Create(age, rng));
  // A copy of the same identity (the same card: a post-quantum sender stays
  // post-quantum, or its key id would change).
  const CardKeys keys = sender.xwing_key() != nullptr ? CardKeys::kPostQuantum : CardKeys::kClassic;
  MEDSEAL_ASSIGN_OR_RETURN(
      Identity copy, Identity::FromSeed(sender.seed(), sender.card().name(), sender.card().role(),
                                        sender.card().created(), keys));
  AttachmentWriter w;
  w.sender_ = std::make_unique<Identity>(std::move(copy));
  w.encryptor_.emplace(std::move(encryptor));
  w.file_hash_ = std::make_unique<Sha256Stream>();
  w.metadata_ = std::move(metadata);
  return w;
}

Result<AttachmentWriter> AttachmentWriter::Create(const Identity& sender,
                                                  std::span<const PublicCard* const> recipients,
                                                  AttachmentMetadata metadata, Rng& rng,
                                                  Clock& clock) {
  const UnixMillis now = clock.Now();
  if (!IsValidCount(now)) return Invalid("attachment: clock outside 0..2^53-1");
  metadata.created = now;
  return Create(sender, recipients, std::move(metadata), rng);
}

const Bytes& AttachmentWriter::header() const { return encryptor_->header(); }

Status AttachmentWriter::Push(ByteView plaintext, Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Invalid("attachment: writer already finished");
  if (plaintext.size() > metadata_.size - pushed_) {
    error_ = Invalid("attachment: more bytes than metadata.size");
    return error_;
  }
  const size_t before = out.size();
  const Status s = encryptor_->Push(plaintext, out);
  if (!s.ok()) {
    error_ = s;
    return error_;
  }
  pushed_ += plaintext.size();
  file_hash_->Update(ByteView(out).subspan(before));
  return Status::Ok();
}

Result<Bytes> AttachmentWriter::Finish(Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Invalid("attachment: writer already finished");
  if (pushed_ != metadata_.size) {
    error_ = Invalid("attachment: fewer bytes than metadata.size");
    return error_;
  }
  finished_ = true;
  const size_t before = out.size();
  MEDSEAL_RETURN_IF_ERROR(encryptor_->Finish(out));
  file_hash_->Update(ByteView(out).subspan(before));
  const Bytes file_sha256 = file_hash_->Final();
  return SignAttachment(*sender_, encryptor_->header(), file_sha256, metadata_);
}

Result<Bytes> AttachmentWriter::Push(ByteView plaintext) {
  Bytes out;
  MEDSEAL_RETURN_IF_ERROR(Push(plaintext, out));
  return out;
}

Result<AttachmentWriter::Tail> AttachmentWriter::Finish() {
  Tail tail;
  MEDSEAL_ASSIGN_OR_RETURN(tail.signature, Finish(tail.file));
  return tail;
}

// ---- reader ----

Result<AttachmentReader> AttachmentReader::Create(std::span<const AgeIdentity> identities,
                                                  ByteView signature_json,
                                                  const PublicCard& sender) {
  if (identities.empty()) return Invalid("attachment: no identity");
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentSignature s, VerifyAttachmentSender(signature_json, sender));
  MEDSEAL_ASSIGN_OR_RETURN(AgeDecryptor decryptor, AgeDecryptor::Create(identities));
  AttachmentReader r;
  r.signature_ = std::move(s);
  r.decryptor_.emplace(std::move(decryptor));
  r.file_hash_ = std::make_unique<Sha256Stream>();
  return r;
}

Result<AttachmentReader> AttachmentReader::Create(const Identity& recipient,
                                                  ByteView signature_json,
                                                  const PublicCard& sender) {
  const std::vector<AgeIdentity> identities = AgeIdentitiesFor(recipient);
  return Create(identities, signature_json, sender);
}

Status AttachmentReader::Fail(Status s) {
  error_ = std::move(s);
  return error_;
}

Status AttachmentReader::Push(ByteView ciphertext, Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Invalid("attachment: reader already finished");
  file_hash_->Update(ciphertext);
  Bytes pending;
  ByteView data = ciphertext;
  if (!header_checked_) {
    // R3-R4: the whole header, hashed and compared before any key is tried.
    header_buffer_.insert(header_buffer_.end(), ciphertext.begin(), ciphertext.end());
    auto header = ParseAgeHeader(header_buffer_);
    if (!header.ok()) {
      if (header.status().code() != ErrorCode::kTruncated) return Fail(header.status());
      if (header_buffer_.size() > kAgeMaxHeaderBytes) {
        return Fail(Error(ErrorCode::kTooLarge, "attachment: age header too large"));
      }
      return Status::Ok();
    }
    if (!ConstantTimeEqual(signature_.header_sha256,
                           Sha256(ByteView(header_buffer_).first(header->size)))) {
      return Fail(
          Error(ErrorCode::kSignatureInvalid, "attachment: the age header is not the signed one"));
    }
    header_checked_ = true;
    pending = std::move(header_buffer_);
    header_buffer_ = Bytes();
    data = pending;
  }
  // R5-R6
  Bytes plain;
  const Status s = decryptor_->Push(data, plain);
  if (!s.ok()) {
    SecureWipe(plain);
    return Fail(s);
  }
  if (plain.size() > signature_.metadata.size - released_) {
    SecureWipe(plain);
    return Fail(Error(ErrorCode::kSignatureInvalid, "attachment: more plaintext than signed"));
  }
  released_ += plain.size();
  out.insert(out.end(), plain.begin(), plain.end());
  SecureWipe(plain);
  return Status::Ok();
}

Status AttachmentReader::Finish(Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Invalid("attachment: reader already finished");
  if (!header_checked_) {
    return Fail(Error(ErrorCode::kTruncated, "attachment: the age header is incomplete"));
  }
  // R7
  Bytes plain;
  const Status s = decryptor_->Finish(plain);
  if (!s.ok()) {
    SecureWipe(plain);
    return Fail(s);
  }
  // R8-R9
  const Bytes file_sha256 = file_hash_->Final();
  finished_ = true;
  if (!ConstantTimeEqual(signature_.file_sha256, file_sha256)) {
    SecureWipe(plain);
    return Fail(Error(ErrorCode::kSignatureInvalid, "attachment: the file is not the signed one"));
  }
  if (released_ + plain.size() != signature_.metadata.size) {
    SecureWipe(plain);
    return Fail(Error(ErrorCode::kSignatureInvalid,
                      "attachment: plaintext size differs from the signed size"));
  }
  released_ += plain.size();
  out.insert(out.end(), plain.begin(), plain.end());
  SecureWipe(plain);
  return Status::Ok();
}

namespace {

// Moves plaintext from a Bytes buffer into SecretBytes, wiping the buffer.
SecretBytes IntoSecret(Bytes& plain) {
  SecretBytes out = SecretBytes::CopyFrom(plain);
  SecureWipe(plain);
  return out;
}

}  // namespace

Result<SecretBytes> AttachmentReader::Push(ByteView ciphertext) {
  Bytes plain;
  const Status s = Push(ciphertext, plain);
  if (!s.ok()) {
    SecureWipe(plain);
    return s;
  }
  return IntoSecret(plain);
}

Result<SecretBytes> AttachmentReader::Finish() {
  Bytes plain;
  const Status s = Finish(plain);
  if (!s.ok()) {
    SecureWipe(plain);
    return s;
  }
  return IntoSecret(plain);
}

// ---- one-shot ----

Result<EncryptedAttachment> EncryptAttachment(const Identity& sender,
                                              std::span<const PublicCard* const> recipients,
                                              ByteView plaintext, AttachmentMetadata metadata,
                                              Rng& rng) {
  if (plaintext.size() != metadata.size) {
    return Invalid("attachment: metadata.size is not the plaintext's size");
  }
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentWriter writer,
                           AttachmentWriter::Create(sender, recipients, std::move(metadata), rng));
  EncryptedAttachment result;
  MEDSEAL_RETURN_IF_ERROR(writer.Push(plaintext, result.file));
  MEDSEAL_ASSIGN_OR_RETURN(result.signature_json, writer.Finish(result.file));
  return result;
}

Result<SecretBytes> DecryptAttachment(ByteView file, ByteView signature_json,
                                      const Identity& recipient, const PublicCard& sender) {
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentReader reader,
                           AttachmentReader::Create(recipient, signature_json, sender));
  Bytes plain;
  Status s = reader.Push(file, plain);
  if (s.ok()) s = reader.Finish(plain);
  if (!s.ok()) {
    SecureWipe(plain);
    return s;
  }
  return IntoSecret(plain);
}

// ---- the signature in a sealed record v2 ----

Result<SealedRecord> SealAttachmentSignature(const Identity& sender,
                                             std::span<const PublicCard* const> recipients,
                                             ByteView signature_json, std::string_view record_id,
                                             const RecordContext& context, Rng& rng, Clock& clock) {
  auto parsed = ParseAttachmentSignature(signature_json);
  if (!parsed.ok())
    return Invalid("attachment: not a signature object: " + parsed.status().message());
  if (parsed->sender_key_id != sender.key_id()) {
    return Invalid("attachment: the signature object is not the sender's");
  }
  const RecordPayload payload{kAttachmentSignatureContentType, record_id, "", signature_json};
  return SealRecordV2(sender, recipients, {}, payload, context, rng, clock);
}

Result<Bytes> OpenAttachmentSignature(const SealedRecord& record, const Identity& recipient,
                                      const PublicCard& sender, const RecordPurpose& purpose) {
  MEDSEAL_ASSIGN_OR_RETURN(OpenedPayload opened, OpenRecord(record, recipient, sender, purpose));
  if (opened.content_type() != kAttachmentSignatureContentType) {
    return Error(ErrorCode::kMalformed, "attachment: the record does not carry a signature");
  }
  MEDSEAL_RETURN_IF_ERROR(VerifyAttachmentSender(opened.body(), sender).status());
  return Bytes(opened.body().begin(), opened.body().end());
}

// ---- consent ----

Result<AttachmentRecipients> DecideAttachmentRecipients(
    const Identity& sender, std::string_view descriptor_json,
    std::span<const consent::SignedConsent> consents,
    std::span<const consent::ShareCandidate> candidates, const consent::ShareOptions& options,
    Rng& rng, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(Json resource,
                           ParseJsonObject(descriptor_json, fhir::kMaxResourceJsonBytes));
  const auto type = resource.find("resourceType");
  if (type != resource.end() && type->is_string() && type->get<std::string>() == "Bundle") {
    return Invalid("attachment: the descriptor must be one FHIR resource, not a Bundle");
  }
  MEDSEAL_ASSIGN_OR_RETURN(
      consent::ShareResult shared,
      consent::ShareJson(sender, resource, consents, candidates, options, rng, clock));
  if (shared.resources.size() != 1) {
    return Error(ErrorCode::kInternal, "attachment: one resource shared as several");
  }
  if (!shared.resources[0].record.has_value()) {
    return Error(ErrorCode::kNotPermitted, "attachment: no candidate is permitted");
  }
  AttachmentRecipients out;
  out.descriptor = std::move(shared.resources[0]);
  for (const consent::ShareCandidate& c : candidates) {
    if (std::find(out.descriptor.recipients.begin(), out.descriptor.recipients.end(),
                  c.card->key_id()) != out.descriptor.recipients.end()) {
      out.cards.push_back(c.card);
    }
  }
  out.context.purposes.push_back(RecordPurpose{options.purpose.system, options.purpose.code});
  out.context.consent_hashes = out.descriptor.consent_hashes;
  return out;
}

}  // namespace medseal
