// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/scrypt.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {

Result<SecretBytes> Scrypt(ByteView password, ByteView salt, int log_n, uint32_t r, uint32_t p,
                           size_t length) {
  if (log_n < 1 || log_n > kScryptMaxLogN) {
    return Error(ErrorCode::kInvalidArgument, "scrypt: work factor");
  }
  if (r == 0 || p == 0 || length == 0) {
    return Error(ErrorCode::kInvalidArgument, "scrypt: parameters");
  }
  // RFC 7914 §2: p <= ((2^32-1) * 32) / (128 * r); libsodium checks it too.
  if (static_cast<uint64_t>(r) * p >= (uint64_t{1} << 30)) {
    return Error(ErrorCode::kInvalidArgument, "scrypt: r * p too large");
  }
  internal::EnsureSodium();
  // libsodium declares both pointers nonnull, also for empty inputs (an
  // empty span's data() may be null: UBSan reports the call).
  static constexpr uint8_t kEmpty[1] = {0};
  const uint8_t* password_ptr = password.empty() ? kEmpty : password.data();
  const uint8_t* salt_ptr = salt.empty() ? kEmpty : salt.data();
  SecretBytes out(length);
  if (crypto_pwhash_scryptsalsa208sha256_ll(password_ptr, password.size(), salt_ptr, salt.size(),
                                            uint64_t{1} << log_n, r, p, RevealMutableSecret(out),
                                            out.size()) != 0) {
    return Error(ErrorCode::kInternal, "scrypt: out of memory");
  }
  return out;
}

}  // namespace medseal
