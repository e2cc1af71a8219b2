// SPDX-License-Identifier: Apache-2.0
#include "core/age/stream.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>

#include "core/age/armor.h"
#include "core/base/internal/sodium_init.h"
#include "core/crypto/sha2.h"

namespace medseal {
namespace {

constexpr size_t kPayloadKeySize = crypto_aead_chacha20poly1305_ietf_KEYBYTES;
constexpr std::string_view kPayloadInfo = "payload";

// The STREAM nonce of chunk `counter` (payload.cc writes the same bytes).
std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> ChunkNonce(uint64_t counter,
                                                                            bool last) {
  std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> nonce{};
  for (size_t i = 0; i < 8; ++i) nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
  nonce[11] = last ? 0x01 : 0x00;
  return nonce;
}

// Parses, unwraps and MAC-checks a complete header: the file key.
Result<SecretBytes> OpenHeader(const AgeHeader& header, std::span<const AgeIdentity> identities) {
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes file_key, UnwrapAgeFileKey(header, identities));
  MEDSEAL_RETURN_IF_ERROR(VerifyAgeHeaderMac(header, file_key));
  return file_key;
}

}  // namespace

// --- AgeEncryptor ------------------------------------------------------------

Result<AgeEncryptor> AgeEncryptor::Create(std::span<const AgeRecipient> recipients, Rng& rng) {
  if (recipients.empty()) return Error(ErrorCode::kInvalidArgument, "age: no recipient");
  for (const AgeRecipient& r : recipients) {
    if (r.kind() == AgeRecipient::Kind::kScrypt && recipients.size() != 1) {
      return Error(ErrorCode::kInvalidArgument,
                   "age: a passphrase (scrypt) recipient must be the only one");
    }
  }
  SecretBytes file_key = rng.Secret(kAgeFileKeySize);
  std::vector<AgeStanza> stanzas;
  stanzas.reserve(recipients.size());
  for (const AgeRecipient& r : recipients) {
    MEDSEAL_ASSIGN_OR_RETURN(AgeStanza stanza, r.Wrap(file_key, rng));
    stanzas.push_back(std::move(stanza));
  }
  AgeEncryptor enc;
  MEDSEAL_ASSIGN_OR_RETURN(enc.header_, WriteAgeHeader(stanzas, file_key));
  Bytes nonce(kAgePayloadNonceSize);
  rng.Fill(nonce.data(), nonce.size());
  MEDSEAL_ASSIGN_OR_RETURN(AgePayloadEncryptor payload,
                           AgePayloadEncryptor::Create(file_key, nonce));
  enc.payload_.emplace(std::move(payload));
  return enc;
}

Status AgeEncryptor::Push(ByteView plaintext, Bytes& out) {
  if (!header_written_) {
    out.insert(out.end(), header_.begin(), header_.end());
    header_written_ = true;
  }
  return payload_->Push(plaintext, out);
}

Status AgeEncryptor::Finish(Bytes& out) {
  if (!header_written_) {
    out.insert(out.end(), header_.begin(), header_.end());
    header_written_ = true;
  }
  return payload_->Finish(out);
}

// --- AgeDecryptor ------------------------------------------------------------

Result<AgeDecryptor> AgeDecryptor::Create(std::span<const AgeIdentity> identities) {
  if (identities.empty()) return Error(ErrorCode::kInvalidArgument, "age: no identity");
  AgeDecryptor dec;
  dec.identities_.assign(identities.begin(), identities.end());
  return dec;
}

uint64_t AgeDecryptor::plaintext_bytes() const {
  return payload_ ? payload_->plaintext_bytes() : 0;
}

size_t AgeDecryptor::buffer_capacity() const {
  return pending_.capacity() + (payload_ ? payload_->buffer_capacity() : 0);
}

Status AgeDecryptor::Fail(Status status) {
  error_ = std::move(status);
  identities_.clear();
  pending_.clear();
  pending_.shrink_to_fit();
  // payload_ stays: its own errors stick, it wiped its keys, and it still
  // counts the plaintext it released.
  return error_;
}

// Parses `view` (pending_, or the caller's bytes when nothing is pending),
// which ends at an LF or at the end of the input. On a complete header the
// payload decryptor is set up and whatever of `view` follows the header goes
// into it. *complete tells whether that happened.
Status AgeDecryptor::TryHeader(ByteView view, bool at_end, bool* complete, Bytes& out) {
  *complete = false;
  auto header = ParseAgeHeader(view);
  if (!header.ok()) {
    if (header.status().code() != ErrorCode::kTruncated) return Fail(header.status());
    if (view.size() > kAgeMaxHeaderBytes) {
      return Fail(Error(ErrorCode::kTooLarge, "age: header larger than the limit"));
    }
    if (at_end) return Fail(Error(ErrorCode::kTruncated, "age: the file ends inside the header"));
    return Status::Ok();
  }
  const size_t header_size = header->size;
  header_.emplace(std::move(header).value());
  auto file_key = OpenHeader(*header_, identities_);
  if (!file_key.ok()) return Fail(file_key.status());
  identities_.clear();  // not needed any more
  auto payload = AgePayloadDecryptor::Create(*file_key);
  if (!payload.ok()) return Fail(payload.status());
  payload_.emplace(std::move(payload).value());
  *complete = true;
  const Status s = payload_->Push(view.subspan(header_size), out);
  pending_.clear();
  pending_.shrink_to_fit();
  if (!s.ok()) return Fail(s);
  return Status::Ok();
}

Status AgeDecryptor::Push(ByteView ciphertext, Bytes& out) {
  if (!error_.ok()) return error_;
  // Header stage. The header ends with the MAC line's LF, and a prefix that
  // is not a header yet parses the same until the next LF: parse at each LF.
  // pending_ holds header bytes only, at most kAgeMaxHeaderBytes + 1.
  while (!payload_ && !ciphertext.empty()) {
    const void* lf = std::memchr(ciphertext.data(), '\n', ciphertext.size());
    size_t upto = lf != nullptr
                      ? static_cast<size_t>(static_cast<const uint8_t*>(lf) - ciphertext.data()) + 1
                      : ciphertext.size();
    const size_t room = kAgeMaxHeaderBytes + 1 - pending_.size();
    const bool over = upto > room;
    if (over) upto = room;
    const ByteView piece = ciphertext.first(upto);
    ciphertext = ciphertext.subspan(upto);
    if (lf == nullptr && !over) {
      pending_.insert(pending_.end(), piece.begin(), piece.end());
      break;
    }
    bool complete = false;
    if (pending_.empty()) {
      // Nothing pending: parse the caller's bytes in place (no copy).
      MEDSEAL_RETURN_IF_ERROR(TryHeader(piece, /*at_end=*/false, &complete, out));
      if (!complete) pending_.assign(piece.begin(), piece.end());
    } else {
      pending_.insert(pending_.end(), piece.begin(), piece.end());
      MEDSEAL_RETURN_IF_ERROR(TryHeader(pending_, /*at_end=*/false, &complete, out));
    }
  }
  if (ciphertext.empty()) return Status::Ok();
  const Status s = payload_->Push(ciphertext, out);
  if (!s.ok()) return Fail(s);
  return Status::Ok();
}

Status AgeDecryptor::Finish(Bytes& out) {
  if (!error_.ok()) return error_;
  if (!payload_) {
    bool complete = false;
    MEDSEAL_RETURN_IF_ERROR(TryHeader(pending_, /*at_end=*/true, &complete, out));
  }
  const Status s = payload_->Finish(out);
  if (!s.ok()) return Fail(s);
  return Status::Ok();
}

// --- AgeRandomAccess ---------------------------------------------------------

Result<AgeRandomAccess> AgeRandomAccess::Open(ByteView prefix, uint64_t file_size,
                                              std::span<const AgeIdentity> identities) {
  if (identities.empty()) return Error(ErrorCode::kInvalidArgument, "age: no identity");
  if (prefix.size() > file_size) {
    return Error(ErrorCode::kInvalidArgument, "age: prefix longer than the file");
  }
  MEDSEAL_ASSIGN_OR_RETURN(AgeHeader header, ParseAgeHeader(prefix));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes file_key, OpenHeader(header, identities));
  if (prefix.size() < header.size + kAgePayloadNonceSize) {
    return Error(ErrorCode::kTruncated, "age: prefix ends before the payload nonce");
  }
  const ByteView nonce = prefix.subspan(header.size, kAgePayloadNonceSize);
  AgeRandomAccess ra;
  MEDSEAL_ASSIGN_OR_RETURN(ra.payload_key_, HkdfSha256(nonce, RevealSecret(file_key),
                                                       AsBytes(kPayloadInfo), kPayloadKeySize));
  ra.payload_offset_ = header.size + kAgePayloadNonceSize;
  ra.file_size_ = file_size;
  // The chunk layout follows from the size alone: every chunk but the last
  // is full; the last has a tag and is empty only if it is the only one.
  const uint64_t sealed = file_size - ra.payload_offset_;
  if (sealed == 0) return Error(ErrorCode::kMalformed, "age: no payload chunk");
  const uint64_t chunks = (sealed + kAgeSealedChunkSize - 1) / kAgeSealedChunkSize;
  const uint64_t last_sealed = sealed - (chunks - 1) * kAgeSealedChunkSize;
  if (last_sealed < kAgeTagSize) {
    return Error(ErrorCode::kMalformed, "age: the payload size leaves a chunk without its tag");
  }
  if (last_sealed == kAgeTagSize && chunks > 1) {
    return Error(ErrorCode::kMalformed, "age: the payload size implies an empty last chunk");
  }
  ra.plaintext_size_ = sealed - chunks * kAgeTagSize;
  ra.header_ = std::move(header);
  internal::EnsureSodium();
  return ra;
}

Result<AgeRandomAccess::Span> AgeRandomAccess::Locate(uint64_t plain_offset,
                                                      uint64_t plain_length) const {
  if (plain_offset > plaintext_size_ || plain_length > plaintext_size_ - plain_offset) {
    return Error(ErrorCode::kInvalidArgument, "age: range outside the plaintext");
  }
  if (plain_length == 0) {
    return Span{std::min(payload_offset_ + (plain_offset / kAgeChunkSize) * kAgeSealedChunkSize,
                         file_size_),
                0};
  }
  const uint64_t first = plain_offset / kAgeChunkSize;
  const uint64_t last = (plain_offset + plain_length - 1) / kAgeChunkSize;
  const uint64_t begin = payload_offset_ + first * kAgeSealedChunkSize;
  const uint64_t end = std::min(payload_offset_ + (last + 1) * kAgeSealedChunkSize, file_size_);
  return Span{begin, end - begin};
}

Result<SecretBytes> AgeRandomAccess::Read(uint64_t plain_offset, uint64_t plain_length,
                                          ByteView ciphertext) const {
  MEDSEAL_ASSIGN_OR_RETURN(Span span, Locate(plain_offset, plain_length));
  if (ciphertext.size() != span.length) {
    return Error(ErrorCode::kInvalidArgument, "age: ciphertext is not the located span");
  }
  SecretBytes result(static_cast<size_t>(plain_length));
  if (plain_length == 0) return result;
  const uint64_t chunks = (file_size_ - payload_offset_ + kAgeSealedChunkSize - 1) /
                          kAgeSealedChunkSize;
  const uint64_t first = plain_offset / kAgeChunkSize;
  SecretBytes chunk(kAgeChunkSize);
  uint8_t* dst = RevealMutableSecret(result);
  uint64_t done = 0;
  for (uint64_t i = first; done < plain_length; ++i) {
    const uint64_t at = (i - first) * kAgeSealedChunkSize;
    const size_t sealed_size =
        static_cast<size_t>(std::min<uint64_t>(kAgeSealedChunkSize, ciphertext.size() - at));
    const ByteView sealed = ciphertext.subspan(static_cast<size_t>(at), sealed_size);
    const size_t plain_size = sealed_size - kAgeTagSize;
    const auto nonce = ChunkNonce(i, /*last=*/i + 1 == chunks);
    if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
            RevealMutableSecret(chunk), nullptr, sealed.data(), plain_size,
            sealed.data() + plain_size, nullptr, 0, nonce.data(),
            RevealSecret(payload_key_).data()) != 0) {
      return Error(ErrorCode::kDecryptFailed, "age: chunk failed to authenticate");
    }
    const uint64_t chunk_start = i * kAgeChunkSize;
    const uint64_t from = std::max(plain_offset, chunk_start) - chunk_start;
    const uint64_t to = std::min<uint64_t>(plain_offset + plain_length, chunk_start + plain_size) -
                        chunk_start;
    std::memcpy(dst + done, RevealSecret(chunk).data() + from, static_cast<size_t>(to - from));
    done += to - from;
  }
  return result;
}

// --- one-shots ---------------------------------------------------------------

Result<Bytes> AgeEncrypt(ByteView plaintext, std::span<const AgeRecipient> recipients, Rng& rng,
                         bool armor) {
  MEDSEAL_ASSIGN_OR_RETURN(AgeEncryptor enc, AgeEncryptor::Create(recipients, rng));
  Bytes out;
  out.reserve(enc.header().size() + kAgePayloadNonceSize + plaintext.size() +
              (plaintext.size() / kAgeChunkSize + 1) * kAgeTagSize);
  MEDSEAL_RETURN_IF_ERROR(enc.Push(plaintext, out));
  MEDSEAL_RETURN_IF_ERROR(enc.Finish(out));
  if (!armor) return out;
  const std::string text = ArmorEncode(out);
  return Bytes(text.begin(), text.end());
}

Result<SecretBytes> AgeDecrypt(ByteView file, std::span<const AgeIdentity> identities) {
  Bytes binary;
  if (LooksArmored(file)) {
    MEDSEAL_ASSIGN_OR_RETURN(binary, ArmorDecode(file));
    file = binary;
  }
  MEDSEAL_ASSIGN_OR_RETURN(AgeDecryptor dec, AgeDecryptor::Create(identities));
  Bytes out;
  out.reserve(file.size());
  Status s = dec.Push(file, out);
  if (s.ok()) s = dec.Finish(out);
  if (!s.ok()) {
    SecureWipe(out);
    return s;
  }
  SecretBytes plaintext = SecretBytes::CopyFrom(out);
  SecureWipe(out);
  return plaintext;
}

}  // namespace medseal
