// SPDX-License-Identifier: Apache-2.0
// scrypt (RFC 7914) on libsodium's crypto_pwhash_scryptsalsa208sha256_ll, for
// age's passphrase recipient. Tested against RFC 7914 §12.
#ifndef MEDSEAL_CORE_CRYPTO_SCRYPT_H_
#define MEDSEAL_CORE_CRYPTO_SCRYPT_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

// The largest log2(N) Scrypt accepts (N = 2^30 with r = 8 needs 1 GiB; age
// decoders cap lower, see core/age/keys.h).
inline constexpr int kScryptMaxLogN = 30;

// scrypt(P = password, S = salt, N = 2^log_n, r, p, dkLen = length).
// kInvalidArgument if log_n is outside 1..kScryptMaxLogN, r or p is 0, or
// length is 0; kInternal if libsodium cannot allocate the memory.
Result<SecretBytes> Scrypt(ByteView password, ByteView salt, int log_n, uint32_t r, uint32_t p,
                           size_t length);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_SCRYPT_H_
