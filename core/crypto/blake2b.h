// SPDX-License-Identifier: Apache-2.0
// BLAKE2b (RFC 7693), libsodium's crypto_generichash.
#ifndef MEDSEAL_CORE_CRYPTO_BLAKE2B_H_
#define MEDSEAL_CORE_CRYPTO_BLAKE2B_H_

#include <cstddef>
#include <initializer_list>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kBlake2bMinOutput = 16;
inline constexpr size_t kBlake2bMaxOutput = 64;
inline constexpr size_t kBlake2bMaxKey = 64;

// BLAKE2b with an `out_size`-byte output (16..64) and an optional key of at
// most 64 bytes (empty = unkeyed); kInvalidArgument otherwise. For public
// digests (key ids, signature digests).
Result<Bytes> Blake2b(size_t out_size, ByteView key, ByteView message);
// Unkeyed BLAKE2b of the concatenation of `parts`, without concatenating
// them; `out_size` must be 16..64 (a precondition: it is always a constant).
Bytes Blake2bConcat(size_t out_size, std::initializer_list<ByteView> parts);
// The same function for outputs that are keys: the result is a SecretBytes
// (wiped when it goes out of scope) and never exists in plain Bytes.
Result<SecretBytes> Blake2bDeriveKey(size_t out_size, ByteView key, ByteView message);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CRYPTO_BLAKE2B_H_
