// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/argon2.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {

Result<SecretBytes> Argon2id(ByteView password, ByteView salt, uint32_t passes, uint32_t memory_kib,
                             size_t length) {
  if (salt.size() != kArgon2SaltSize) {
    return Error(ErrorCode::kInvalidArgument, "argon2id: salt must be 16 bytes");
  }
  if (length < kArgon2MinOutput || length > kArgon2MaxOutput) {
    return Error(ErrorCode::kInvalidArgument, "argon2id: output length");
  }
  if (memory_kib < kArgon2MinMemoryKib || memory_kib > kArgon2MaxMemoryKib) {
    return Error(ErrorCode::kInvalidArgument, "argon2id: memory");
  }
  if (passes < kArgon2MinPasses) {
    return Error(ErrorCode::kInvalidArgument, "argon2id: passes");
  }
  internal::EnsureSodium();
  // crypto_pwhash declares the password pointer nonnull, also when empty.
  static constexpr char kEmpty[1] = {0};
  const char* password_ptr = password.empty() ? kEmpty
                                              : reinterpret_cast<const char*>(password.data());
  SecretBytes out(length);
  if (crypto_pwhash(RevealMutableSecret(out), out.size(), password_ptr, password.size(),
                    salt.data(), passes, static_cast<size_t>(memory_kib) * 1024U,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(ErrorCode::kInternal, "argon2id: out of memory");
  }
  return out;
}

}  // namespace medseal
