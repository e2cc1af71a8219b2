// SPDX-License-Identifier: Apache-2.0
// Argon2id (RFC 9106, version 0x13) on libsodium's crypto_pwhash with
// crypto_pwhash_ALG_ARGON2ID13: one lane (parallelism 1), no secret and no
// associated data (libsodium's API takes neither). Used by core/keystore.
// Tested against libsodium's own known answers.
#ifndef MEDSEAL_CORE_CRYPTO_ARGON2_H_
#define MEDSEAL_CORE_CRYPTO_ARGON2_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kArgon2SaltSize = 16;       // crypto_pwhash_SALTBYTES
inline constexpr size_t kArgon2MinOutput = 16;      // crypto_pwhash_BYTES_MIN
inline constexpr size_t kArgon2MaxOutput = 1024;    // medseal's own cap
inline constexpr uint32_t kArgon2MinMemoryKib = 8;  // crypto_pwhash_MEMLIMIT_MIN / 1024
// 2 GiB: libsodium's crypto_pwhash_argon2id_MEMLIMIT_MAX on 32-bit targets
// (wasm32), used natively too so that both builds accept the same inputs.
inline constexpr uint32_t kArgon2MaxMemoryKib = 2097152;
inline constexpr uint32_t kArgon2MinPasses = 1;  // crypto_pwhash_argon2id_OPSLIMIT_MIN
inline constexpr uint32_t kArgon2MaxPasses = 0xFFFFFFFF;

// Argon2id(password, salt, t = passes, m = memory_kib KiB, p = 1,
// tag length = length). kInvalidArgument unless salt is 16 bytes, length is
// 16..1024, memory_kib is 8..kArgon2MaxMemoryKib and passes >= 1; kInternal
// if the memory cannot be allocated.
Result<SecretBytes> Argon2id(ByteView password, ByteView salt, uint32_t passes, uint32_t memory_kib,
                             size_t length);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_ARGON2_H_
