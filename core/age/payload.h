// SPDX-License-Identifier: Apache-2.0
// The age v1 payload (C2SP age, "Payload"): a 16-byte nonce, then STREAM:
// payload key = HKDF-SHA256(salt = nonce, ikm = file key, info = "payload");
// 64 KiB plaintext chunks sealed with ChaCha20-Poly1305, nonce = 11-byte
// big-endian chunk counter || last-chunk flag (0x00, or 0x01 on the last).
// The last chunk may be short or full; it is empty only when the whole
// payload is empty. These objects hold at most one chunk: memory does not
// grow with the file. They release plaintext only from chunks whose tag
// verified.
#ifndef MEDSEAL_CORE_AGE_PAYLOAD_H_
#define MEDSEAL_CORE_AGE_PAYLOAD_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kAgeChunkSize = size_t{64} * 1024;
inline constexpr size_t kAgeTagSize = 16;
inline constexpr size_t kAgeSealedChunkSize = kAgeChunkSize + kAgeTagSize;
inline constexpr size_t kAgePayloadNonceSize = 16;

// Derives the payload key and writes the nonce first.
class AgePayloadEncryptor {
 public:
  // kInvalidArgument unless file_key has kAgeFileKeySize bytes and nonce kAgePayloadNonceSize.
  static Result<AgePayloadEncryptor> Create(const SecretBytes& file_key, ByteView nonce);
  AgePayloadEncryptor(AgePayloadEncryptor&&) noexcept = default;
  AgePayloadEncryptor& operator=(AgePayloadEncryptor&&) noexcept = default;
  AgePayloadEncryptor(const AgePayloadEncryptor&) = delete;
  AgePayloadEncryptor& operator=(const AgePayloadEncryptor&) = delete;
  ~AgePayloadEncryptor() = default;

  // Appends to out the nonce (on the first call) and every chunk that is
  // complete and known not to be the last. kInvalidArgument after Finish.
  [[nodiscard]] Status Push(ByteView plaintext, Bytes& out);
  // Seals what is buffered as the last chunk and appends it.
  [[nodiscard]] Status Finish(Bytes& out);

  // Bytes of plaintext held back (at most kAgeChunkSize) and the capacity of
  // the buffer that holds them (constant: kAgeChunkSize, 0 after Finish).
  size_t buffered() const { return buffered_; }
  size_t buffer_capacity() const { return buffer_.size(); }

 private:
  AgePayloadEncryptor() = default;
  void WriteNonceOnce(Bytes& out);
  void SealChunk(ByteView plaintext, bool last, Bytes& out);
  SecretBytes key_;
  Bytes nonce_;
  SecretBytes buffer_;  // at most kAgeChunkSize plaintext bytes
  size_t buffered_ = 0;
  uint64_t counter_ = 0;
  bool nonce_written_ = false;
  bool finished_ = false;
};

class AgePayloadDecryptor {
 public:
  // The nonce is read from the stream.
  static Result<AgePayloadDecryptor> Create(const SecretBytes& file_key);
  AgePayloadDecryptor(AgePayloadDecryptor&&) noexcept = default;
  AgePayloadDecryptor& operator=(AgePayloadDecryptor&&) noexcept = default;
  AgePayloadDecryptor(const AgePayloadDecryptor&) = delete;
  AgePayloadDecryptor& operator=(const AgePayloadDecryptor&) = delete;
  ~AgePayloadDecryptor() = default;

  // Feeds ciphertext; appends to out the plaintext of every chunk that
  // authenticated. Errors stick (every later call returns the first one):
  // kDecryptFailed (a tampered, reordered or wrong-key chunk, or a last
  // chunk flagged wrong), kTrailingData (bytes after the last chunk),
  // kMalformed (an empty last chunk after a full one).
  [[nodiscard]] Status Push(ByteView ciphertext, Bytes& out);
  // End of input: opens the buffered final chunk. kTruncated if the stream
  // ends before a last chunk (no nonce, a partial tag, or no chunk flagged last).
  [[nodiscard]] Status Finish(Bytes& out);
  uint64_t plaintext_bytes() const { return released_; }
  // The capacity of the ciphertext buffer: never above kAgeSealedChunkSize.
  size_t buffer_capacity() const { return buffer_.capacity(); }
  // True once the last chunk authenticated.
  bool done() const { return done_; }

 private:
  AgePayloadDecryptor() = default;
  Status Fail(Status status);
  Status OpenChunk(ByteView sealed, bool more_follows, Bytes& out);
  SecretBytes file_key_;
  SecretBytes key_;
  Bytes buffer_;  // the nonce, then at most one sealed chunk (kAgeSealedChunkSize bytes)
  uint64_t counter_ = 0;
  uint64_t released_ = 0;
  bool have_key_ = false;
  bool done_ = false;
  bool finished_ = false;
  Status error_;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_PAYLOAD_H_
