// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/blake2b.h"

#include <sodium.h>

#include "core/base/internal/sodium_init.h"

namespace medseal {
namespace {

Status CheckSizes(size_t out_size, ByteView key) {
  if (out_size < kBlake2bMinOutput || out_size > kBlake2bMaxOutput) {
    return Error(ErrorCode::kInvalidArgument, "blake2b: output size");
  }
  if (key.size() > kBlake2bMaxKey) return Error(ErrorCode::kInvalidArgument, "blake2b: key size");
  return Status::Ok();
}

void Hash(uint8_t* out, size_t out_size, ByteView key, ByteView message) {
  internal::EnsureSodium();
  crypto_generichash(out, out_size, message.data(), message.size(),
                     key.empty() ? nullptr : key.data(), key.size());
}

}  // namespace

Result<Bytes> Blake2b(size_t out_size, ByteView key, ByteView message) {
  MEDSEAL_RETURN_IF_ERROR(CheckSizes(out_size, key));
  Bytes out(out_size);
  Hash(out.data(), out.size(), key, message);
  return out;
}

Bytes Blake2bConcat(size_t out_size, std::initializer_list<ByteView> parts) {
  MEDSEAL_CHECK(out_size >= kBlake2bMinOutput && out_size <= kBlake2bMaxOutput);
  internal::EnsureSodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, out_size);
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  Bytes out(out_size);
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

Result<SecretBytes> Blake2bDeriveKey(size_t out_size, ByteView key, ByteView message) {
  MEDSEAL_RETURN_IF_ERROR(CheckSizes(out_size, key));
  SecretBytes out(out_size);
  Hash(RevealMutableSecret(out), out.size(), key, message);
  return out;
}

}  // namespace medseal
