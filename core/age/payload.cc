// SPDX-License-Identifier: Apache-2.0
#include "core/age/payload.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "core/age/header.h"
#include "core/base/internal/sodium_init.h"
#include "core/crypto/sha2.h"

namespace medseal {
namespace {

constexpr size_t kPayloadKeySize = crypto_aead_chacha20poly1305_ietf_KEYBYTES;
constexpr size_t kChunkNonceSize = crypto_aead_chacha20poly1305_ietf_NPUBBYTES;
static_assert(kPayloadKeySize == 32);
static_assert(kChunkNonceSize == 12);
static_assert(kAgeTagSize == crypto_aead_chacha20poly1305_ietf_ABYTES);
constexpr std::string_view kPayloadInfo = "payload";

using ChunkNonce = std::array<uint8_t, kChunkNonceSize>;

// 11-byte big-endian counter (the top 3 bytes are always zero: a uint64_t
// counter cannot reach them) followed by the last-chunk flag.
ChunkNonce MakeChunkNonce(uint64_t counter, bool last) {
  ChunkNonce nonce{};
  for (size_t i = 0; i < 8; ++i) {
    nonce[10 - i] = static_cast<uint8_t>(counter >> (8 * i));
  }
  nonce[11] = last ? 0x01 : 0x00;
  return nonce;
}

Result<SecretBytes> DerivePayloadKey(const SecretBytes& file_key, ByteView nonce) {
  return HkdfSha256(nonce, RevealSecret(file_key), AsBytes(kPayloadInfo), kPayloadKeySize);
}

// Opens one sealed chunk straight into the end of out. On failure out is
// restored to its old size (the bytes libsodium may have written are wiped
// first): nothing of an unauthenticated chunk is released.
bool OpenChunkInto(const SecretBytes& key, uint64_t counter, bool last, ByteView sealed,
                   Bytes& out) {
  const size_t old_size = out.size();
  const size_t plain_size = sealed.size() - kAgeTagSize;
  out.resize(old_size + plain_size);
  const ChunkNonce nonce = MakeChunkNonce(counter, last);
  const int rc = crypto_aead_chacha20poly1305_ietf_decrypt_detached(
      out.data() + old_size, nullptr, sealed.data(), plain_size, sealed.data() + plain_size,
      nullptr, 0, nonce.data(), RevealSecret(key).data());
  if (rc != 0) {
    SecureWipe(out.data() + old_size, plain_size);
    out.resize(old_size);
    return false;
  }
  return true;
}

}  // namespace

// --- AgePayloadEncryptor -----------------------------------------------------

Result<AgePayloadEncryptor> AgePayloadEncryptor::Create(const SecretBytes& file_key,
                                                        ByteView nonce) {
  if (file_key.size() != kAgeFileKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age payload: file key size");
  }
  if (nonce.size() != kAgePayloadNonceSize) {
    return Error(ErrorCode::kInvalidArgument, "age payload: nonce size");
  }
  internal::EnsureSodium();
  AgePayloadEncryptor enc;
  MEDSEAL_ASSIGN_OR_RETURN(enc.key_, DerivePayloadKey(file_key, nonce));
  enc.nonce_.assign(nonce.begin(), nonce.end());
  enc.buffer_ = SecretBytes(kAgeChunkSize);
  return enc;
}

void AgePayloadEncryptor::SealChunk(ByteView plaintext, bool last, Bytes& out) {
  const size_t old_size = out.size();
  out.resize(old_size + plaintext.size() + kAgeTagSize);
  const ChunkNonce nonce = MakeChunkNonce(counter_, last);
  crypto_aead_chacha20poly1305_ietf_encrypt_detached(
      out.data() + old_size, out.data() + old_size + plaintext.size(), nullptr, plaintext.data(),
      plaintext.size(), nullptr, 0, nullptr, nonce.data(), RevealSecret(key_).data());
  ++counter_;
}

void AgePayloadEncryptor::WriteNonceOnce(Bytes& out) {
  if (!nonce_written_) {
    out.insert(out.end(), nonce_.begin(), nonce_.end());
    nonce_written_ = true;
  }
}

Status AgePayloadEncryptor::Push(ByteView plaintext, Bytes& out) {
  if (finished_) return Error(ErrorCode::kInvalidArgument, "age payload: Push after Finish");
  WriteNonceOnce(out);
  uint8_t* buffer = RevealMutableSecret(buffer_);
  while (!plaintext.empty()) {
    if (buffered_ == kAgeChunkSize) {
      // A full chunk with more plaintext after it: not the last one.
      if (counter_ == std::numeric_limits<uint64_t>::max()) {
        return Error(ErrorCode::kTooLarge, "age payload: chunk counter exhausted");
      }
      SealChunk(ByteView(buffer, kAgeChunkSize), /*last=*/false, out);
      buffered_ = 0;
    }
    if (buffered_ == 0 && plaintext.size() > kAgeChunkSize) {
      // Seal straight from the caller's bytes: more follows in this call.
      if (counter_ == std::numeric_limits<uint64_t>::max()) {
        return Error(ErrorCode::kTooLarge, "age payload: chunk counter exhausted");
      }
      SealChunk(plaintext.first(kAgeChunkSize), /*last=*/false, out);
      plaintext = plaintext.subspan(kAgeChunkSize);
      continue;
    }
    const size_t take = std::min(kAgeChunkSize - buffered_, plaintext.size());
    std::memcpy(buffer + buffered_, plaintext.data(), take);
    buffered_ += take;
    plaintext = plaintext.subspan(take);
  }
  return Status::Ok();
}

Status AgePayloadEncryptor::Finish(Bytes& out) {
  if (finished_) return Error(ErrorCode::kInvalidArgument, "age payload: Finish twice");
  WriteNonceOnce(out);
  SealChunk(ByteView(RevealSecret(buffer_).data(), buffered_), /*last=*/true, out);
  finished_ = true;
  buffered_ = 0;
  buffer_ = SecretBytes();  // wiped
  return Status::Ok();
}

// --- AgePayloadDecryptor -----------------------------------------------------

Result<AgePayloadDecryptor> AgePayloadDecryptor::Create(const SecretBytes& file_key) {
  if (file_key.size() != kAgeFileKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age payload: file key size");
  }
  internal::EnsureSodium();
  AgePayloadDecryptor dec;
  dec.file_key_ = SecretBytes::CopyFrom(RevealSecret(file_key));
  dec.buffer_.reserve(kAgeSealedChunkSize);
  return dec;
}

Status AgePayloadDecryptor::Fail(Status status) {
  error_ = std::move(status);
  buffer_.clear();
  key_ = SecretBytes();
  file_key_ = SecretBytes();
  return error_;
}

Status AgePayloadDecryptor::OpenChunk(ByteView sealed, bool more_follows, Bytes& out) {
  // sealed holds kAgeTagSize..kAgeSealedChunkSize bytes.
  if (counter_ == std::numeric_limits<uint64_t>::max()) {
    return Fail(Error(ErrorCode::kTooLarge, "age payload: chunk counter exhausted"));
  }
  const bool full = sealed.size() == kAgeSealedChunkSize;
  if (!full) {
    // A short chunk can only be the last one. It is empty only if it is the
    // only chunk (an empty payload).
    if (more_follows) {
      return Fail(Error(ErrorCode::kInternal, "age payload: short chunk inside the stream"));
    }
    if (sealed.size() == kAgeTagSize && counter_ != 0) {
      return Fail(Error(ErrorCode::kMalformed, "age payload: empty last chunk after a full one"));
    }
    if (!OpenChunkInto(key_, counter_, /*last=*/true, sealed, out)) {
      return Fail(Error(ErrorCode::kDecryptFailed, "age payload: chunk failed to authenticate"));
    }
    released_ += sealed.size() - kAgeTagSize;
    ++counter_;
    done_ = true;
    return Status::Ok();
  }
  // A full chunk: when more bytes follow it is most likely not the last
  // (try that first); at the end of the input, most likely the last.
  const bool first_guess_last = !more_follows;
  bool last = first_guess_last;
  bool opened = OpenChunkInto(key_, counter_, last, sealed, out);
  if (!opened) {
    last = !first_guess_last;
    opened = OpenChunkInto(key_, counter_, last, sealed, out);
  }
  if (!opened) {
    return Fail(Error(ErrorCode::kDecryptFailed, "age payload: chunk failed to authenticate"));
  }
  released_ += kAgeChunkSize;
  ++counter_;
  if (last) {
    done_ = true;
    if (more_follows)
      return Fail(Error(ErrorCode::kTrailingData, "age payload: data after the last chunk"));
  } else if (!more_follows) {
    return Fail(Error(ErrorCode::kTruncated, "age payload: ends without a last chunk"));
  }
  return Status::Ok();
}

Status AgePayloadDecryptor::Push(ByteView ciphertext, Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Fail(Error(ErrorCode::kInvalidArgument, "age payload: Push after Finish"));
  if (!have_key_) {
    const size_t take = std::min(kAgePayloadNonceSize - buffer_.size(), ciphertext.size());
    buffer_.insert(buffer_.end(), ciphertext.begin(),
                   ciphertext.begin() + static_cast<ptrdiff_t>(take));
    ciphertext = ciphertext.subspan(take);
    if (buffer_.size() < kAgePayloadNonceSize) return Status::Ok();
    auto key = DerivePayloadKey(file_key_, buffer_);
    if (!key.ok()) return Fail(key.status());
    key_ = std::move(key).value();
    file_key_ = SecretBytes();
    have_key_ = true;
    buffer_.clear();
  }
  while (!ciphertext.empty()) {
    if (done_)
      return Fail(Error(ErrorCode::kTrailingData, "age payload: data after the last chunk"));
    if (buffer_.size() == kAgeSealedChunkSize) {
      MEDSEAL_RETURN_IF_ERROR(OpenChunk(buffer_, /*more_follows=*/true, out));
      buffer_.clear();
      continue;
    }
    if (buffer_.empty() && ciphertext.size() > kAgeSealedChunkSize) {
      // Open straight from the caller's bytes: more follows in this call.
      MEDSEAL_RETURN_IF_ERROR(OpenChunk(ciphertext.first(kAgeSealedChunkSize), true, out));
      ciphertext = ciphertext.subspan(kAgeSealedChunkSize);
      continue;
    }
    const size_t take = std::min(kAgeSealedChunkSize - buffer_.size(), ciphertext.size());
    buffer_.insert(buffer_.end(), ciphertext.begin(),
                   ciphertext.begin() + static_cast<ptrdiff_t>(take));
    ciphertext = ciphertext.subspan(take);
  }
  return Status::Ok();
}

Status AgePayloadDecryptor::Finish(Bytes& out) {
  if (!error_.ok()) return error_;
  if (finished_) return Status::Ok();
  if (!have_key_) return Fail(Error(ErrorCode::kTruncated, "age payload: no nonce"));
  if (!done_) {
    if (buffer_.empty()) return Fail(Error(ErrorCode::kTruncated, "age payload: no chunk"));
    if (buffer_.size() < kAgeTagSize) {
      return Fail(Error(ErrorCode::kTruncated, "age payload: chunk shorter than its tag"));
    }
    MEDSEAL_RETURN_IF_ERROR(OpenChunk(buffer_, /*more_follows=*/false, out));
  }
  finished_ = true;
  buffer_.clear();
  key_ = SecretBytes();
  return Status::Ok();
}

}  // namespace medseal
