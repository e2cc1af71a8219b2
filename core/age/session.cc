// SPDX-License-Identifier: Apache-2.0
#include "core/age/session.h"

#include <cmath>
#include <cstddef>
#include <utility>

#include "core/base/secret.h"

namespace medseal {

namespace {

template <typename T>
std::vector<T> CopyAll(std::span<const T* const> items) {
  std::vector<T> out;
  out.reserve(items.size());
  for (const T* item : items) out.push_back(*item);
  return out;
}

// Room for what one call can emit: the input, the header on the first call
// (at most kAgeMaxHeaderBytes), the nonce, a tag per chunk and one more chunk.
size_t OutputRoom(size_t input) {
  return input + kAgeMaxHeaderBytes + kAgePayloadNonceSize + kAgeSealedChunkSize +
         (input / kAgeChunkSize + 1) * kAgeTagSize;
}

// The encryptor's output of a call whose status is `status`: `out`, or
// `status` with `out` wiped.
Result<Bytes> Settle(Status status, Bytes&& out) {
  if (!status.ok()) {
    SecureWipe(out);
    return status;
  }
  return std::move(out);
}

}  // namespace

std::vector<AgeRecipient> CopyAgeRecipients(std::span<const AgeRecipient* const> recipients) {
  return CopyAll(recipients);
}

std::vector<AgeIdentity> CopyAgeIdentities(std::span<const AgeIdentity* const> identities) {
  return CopyAll(identities);
}

Result<AgeIdentity> GenerateAgeIdentity(Rng& rng) { return AgeIdentity::X25519(rng.Secret(32)); }

Result<AgeIdentity> GenerateAgeHybridIdentity(Rng& rng) {
  return AgeIdentity::Hybrid(rng.Secret(kXWingSeedSize));
}

Result<Bytes> AgePush(AgeEncryptor& encryptor, ByteView plaintext) {
  Bytes out;
  out.reserve(OutputRoom(plaintext.size()));
  Status status = encryptor.Push(plaintext, out);
  return Settle(std::move(status), std::move(out));
}

Result<Bytes> AgeFinish(AgeEncryptor& encryptor) {
  Bytes out;
  out.reserve(OutputRoom(0));
  Status status = encryptor.Finish(out);
  return Settle(std::move(status), std::move(out));
}

AgeReleased AgePush(AgeDecryptor& decryptor, ByteView ciphertext) {
  // Plaintext is never longer than the ciphertext plus the chunk held back.
  AgeReleased r;
  r.plaintext.reserve(ciphertext.size() + kAgeSealedChunkSize);
  r.status = decryptor.Push(ciphertext, r.plaintext);
  return r;
}

AgeReleased AgeFinish(AgeDecryptor& decryptor) {
  AgeReleased r;
  r.plaintext.reserve(kAgeSealedChunkSize);
  r.status = decryptor.Finish(r.plaintext);
  return r;
}

Result<uint64_t> AgeByteCount(double value, std::string_view what) {
  constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1
  if (!(value >= 0 && value <= kMaxSafe) || std::trunc(value) != value) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(what) + " must be an integer from 0 to 2^53 - 1");
  }
  return static_cast<uint64_t>(value);
}

Result<Bytes> AgeLocateWords(const AgeRandomAccess& file, uint64_t plain_offset,
                             uint64_t plain_length) {
  MEDSEAL_ASSIGN_OR_RETURN(AgeRandomAccess::Span span, file.Locate(plain_offset, plain_length));
  Bytes out(16);
  const uint64_t words[2] = {span.offset, span.length};
  for (size_t i = 0; i < 2; ++i) {
    for (size_t b = 0; b < 8; ++b) out[8 * i + b] = static_cast<uint8_t>(words[i] >> (8 * b));
  }
  return out;
}

}  // namespace medseal
