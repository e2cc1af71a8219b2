// SPDX-License-Identifier: Apache-2.0
// Glue for callers that hold age keys and streams by pointer or by handle
// (the WebAssembly module's handle tables, wasm/bindings/age.cc): the value
// lists the age API takes, a fresh X25519 identity, whole-call results of
// the streaming objects (what one Push or Finish produced, or its error
// with nothing released), and byte counts that arrive as JS numbers.
// Also a fresh post-quantum hybrid identity.
#ifndef MEDSEAL_CORE_AGE_SESSION_H_
#define MEDSEAL_CORE_AGE_SESSION_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/age/keys.h"
#include "core/age/stream.h"
#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/status.h"

namespace medseal {

// Copies of the pointed-to keys (cheap: they share their secrets).
std::vector<AgeRecipient> CopyAgeRecipients(std::span<const AgeRecipient* const> recipients);
std::vector<AgeIdentity> CopyAgeIdentities(std::span<const AgeIdentity* const> identities);

// A new X25519 identity: 32 bytes from rng as its secret scalar (age-keygen
// does the same; X25519 clamps the scalar when it is used).
Result<AgeIdentity> GenerateAgeIdentity(Rng& rng);
// A new mlkem768x25519 (hybrid, post-quantum) identity: 32 bytes from rng
// as its seed (C2SP age: identity = read(CSPRNG, 32)).
Result<AgeIdentity> GenerateAgeHybridIdentity(Rng& rng);

// What one call of the encryptor produced, or its error.
Result<Bytes> AgePush(AgeEncryptor& encryptor, ByteView plaintext);
Result<Bytes> AgeFinish(AgeEncryptor& encryptor);

// What one call of the decryptor released, and how it ended: the plaintext
// of every chunk that authenticated in the call, ALSO when the call then
// failed (status says how; AgeDecryptor's errors stick, so every later call
// fails the same and releases nothing). Never a byte of the chunk that
// failed. This is what a streaming caller must pass on to match the CCTV
// kit's "payload" rule (all the plaintext released before the error).
struct AgeReleased {
  Bytes plaintext;
  Status status;
};
AgeReleased AgePush(AgeDecryptor& decryptor, ByteView ciphertext);
AgeReleased AgeFinish(AgeDecryptor& decryptor);

// A byte count or offset given as a double (a JS number): kInvalidArgument,
// naming `what`, unless it is an integer in [0, 2^53 - 1].
Result<uint64_t> AgeByteCount(double value, std::string_view what);

// AgeRandomAccess::Locate's span as four little-endian u32 words: offset
// low, offset high, length low, length high.
Result<Bytes> AgeLocateWords(const AgeRandomAccess& file, uint64_t plain_offset,
                             uint64_t plain_length);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_SESSION_H_
