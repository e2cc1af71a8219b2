// SPDX-License-Identifier: Apache-2.0
#include "core/crypto/sha3.h"

#include "medseal_pqclean.h"

namespace medseal {
namespace {

// fips202.c reads `input` only when inlen > 0, but never pass it null.
const uint8_t* In(ByteView data) {
  static constexpr uint8_t kEmpty = 0;
  return data.empty() ? &kEmpty : data.data();
}

}  // namespace

Bytes Sha3_256(ByteView data) {
  Bytes out(kSha3_256Size);
  sha3_256(out.data(), In(data), data.size());
  return out;
}

Bytes Sha3_512(ByteView data) {
  Bytes out(kSha3_512Size);
  sha3_512(out.data(), In(data), data.size());
  return out;
}

Bytes Shake128(ByteView data, size_t length) {
  Bytes out(length);
  if (length > 0) shake128(out.data(), length, In(data), data.size());
  return out;
}

Bytes Shake256(ByteView data, size_t length) {
  Bytes out(length);
  if (length > 0) shake256(out.data(), length, In(data), data.size());
  return out;
}

SecretBytes Sha3_256Secret(ByteView data) {
  SecretBytes out(kSha3_256Size);
  sha3_256(RevealMutableSecret(out), In(data), data.size());
  return out;
}

SecretBytes Shake256Secret(ByteView data, size_t length) {
  SecretBytes out(length);
  if (length > 0) shake256(RevealMutableSecret(out), length, In(data), data.size());
  return out;
}

}  // namespace medseal
