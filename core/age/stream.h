// SPDX-License-Identifier: Apache-2.0
// Whole age v1 files, streamed: header + payload, in constant memory.
//   AgeEncryptor: push plaintext in, pull an age file out.
//   AgeDecryptor: push an age file in (binary; armored files go through
//                 ArmorDecode or AgeDecrypt first), pull plaintext out.
//   AgeRandomAccess: decrypt a byte range of a file without what precedes it.
// One-shot helpers AgeEncrypt / AgeDecrypt for small files (they also handle
// the armor).
#ifndef MEDSEAL_CORE_AGE_STREAM_H_
#define MEDSEAL_CORE_AGE_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/age/header.h"
#include "core/age/keys.h"
#include "core/age/payload.h"
#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

class AgeEncryptor {
 public:
  // Draws the file key and nonce from rng, wraps the file key to every
  // recipient. kInvalidArgument: no recipient, or a scrypt recipient with
  // others (the spec requires it alone).
  static Result<AgeEncryptor> Create(std::span<const AgeRecipient> recipients, Rng& rng);
  AgeEncryptor(AgeEncryptor&&) noexcept = default;
  AgeEncryptor& operator=(AgeEncryptor&&) noexcept = default;
  AgeEncryptor(const AgeEncryptor&) = delete;
  AgeEncryptor& operator=(const AgeEncryptor&) = delete;
  ~AgeEncryptor() = default;

  // The complete header (also the first bytes Push/Finish emit).
  const Bytes& header() const { return header_; }
  // Appends to out: the header and nonce on the first call, then every
  // complete non-final chunk.
  [[nodiscard]] Status Push(ByteView plaintext, Bytes& out);
  [[nodiscard]] Status Finish(Bytes& out);

 private:
  AgeEncryptor() = default;
  Bytes header_;
  bool header_written_ = false;
  std::optional<AgePayloadEncryptor> payload_;
};

class AgeDecryptor {
 public:
  // The identities are copied (they share their secrets). kInvalidArgument if empty.
  static Result<AgeDecryptor> Create(std::span<const AgeIdentity> identities);
  AgeDecryptor(AgeDecryptor&&) noexcept = default;
  AgeDecryptor& operator=(AgeDecryptor&&) noexcept = default;
  AgeDecryptor(const AgeDecryptor&) = delete;
  AgeDecryptor& operator=(const AgeDecryptor&) = delete;
  ~AgeDecryptor() = default;

  // Feeds file bytes; appends authenticated plaintext to out. Errors stick.
  // Header stage: the codes of ParseAgeHeader (kTruncated is not an error
  // here: it waits for more), UnwrapAgeFileKey, VerifyAgeHeaderMac. Payload
  // stage: the codes of AgePayloadDecryptor::Push.
  [[nodiscard]] Status Push(ByteView ciphertext, Bytes& out);
  // kTruncated if the header or the payload is incomplete.
  [[nodiscard]] Status Finish(Bytes& out);

  // After the header is complete: its bytes (for the attachment signature).
  const std::optional<AgeHeader>& header() const { return header_; }
  uint64_t plaintext_bytes() const;
  // The capacity of what it buffers: the header bytes until the header is
  // complete (at most kAgeMaxHeaderBytes + 1), then one sealed chunk.
  size_t buffer_capacity() const;

 private:
  AgeDecryptor() = default;
  Status Fail(Status status);
  Status TryHeader(ByteView view, bool at_end, bool* complete, Bytes& out);
  std::vector<AgeIdentity> identities_;
  Bytes pending_;  // header bytes until the header is complete (at most kAgeMaxHeaderBytes)
  std::optional<AgeHeader> header_;
  std::optional<AgePayloadDecryptor> payload_;
  Status error_;
};

// Random access: the caller holds the file somewhere it can slice (a Blob, a
// file) and knows its size.
class AgeRandomAccess {
 public:
  // prefix: the first bytes of the file, at least the header and the nonce
  // (kTruncated asks for more: try again with a longer prefix). file_size:
  // the whole file's size; kMalformed if no payload has that size.
  static Result<AgeRandomAccess> Open(ByteView prefix, uint64_t file_size,
                                      std::span<const AgeIdentity> identities);
  AgeRandomAccess(AgeRandomAccess&&) noexcept = default;
  AgeRandomAccess& operator=(AgeRandomAccess&&) noexcept = default;
  AgeRandomAccess(const AgeRandomAccess&) = delete;
  AgeRandomAccess& operator=(const AgeRandomAccess&) = delete;
  ~AgeRandomAccess() = default;

  uint64_t plaintext_size() const { return plaintext_size_; }
  const AgeHeader& header() const { return header_; }

  // The ciphertext bytes [offset, offset + length) of the file that hold the
  // plaintext range [plain_offset, plain_offset + plain_length): whole chunks.
  struct Span {
    uint64_t offset = 0;
    uint64_t length = 0;
  };
  // kInvalidArgument if the range is not inside the plaintext.
  Result<Span> Locate(uint64_t plain_offset, uint64_t plain_length) const;
  // Opens those chunks (ciphertext = exactly the bytes of Locate's span) and
  // returns the requested plaintext range. kDecryptFailed on any chunk that
  // does not authenticate at its position (with its last-chunk flag).
  Result<SecretBytes> Read(uint64_t plain_offset, uint64_t plain_length, ByteView ciphertext) const;

 private:
  AgeRandomAccess() = default;
  AgeHeader header_;
  SecretBytes payload_key_;
  uint64_t payload_offset_ = 0;  // where chunk 0 starts (header + nonce)
  uint64_t file_size_ = 0;
  uint64_t plaintext_size_ = 0;
};

// One-shot: the whole file in memory. armor: wrap the result in ASCII armor.
Result<Bytes> AgeEncrypt(ByteView plaintext, std::span<const AgeRecipient> recipients, Rng& rng,
                         bool armor = false);
// Detects and removes ASCII armor (LooksArmored), then decrypts.
Result<SecretBytes> AgeDecrypt(ByteView file, std::span<const AgeIdentity> identities);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_STREAM_H_
