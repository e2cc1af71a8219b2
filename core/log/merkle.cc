// SPDX-License-Identifier: Apache-2.0
#include "core/log/merkle.h"

#include "core/crypto/sha2.h"

namespace medseal::tlog {

Bytes LeafHash(ByteView entry) {
  Sha256Stream h;
  const uint8_t prefix = 0x00;
  h.Update(ByteView(&prefix, 1));
  h.Update(entry);
  return h.Final();
}

Bytes NodeHash(ByteView left, ByteView right) {
  Sha256Stream h;
  const uint8_t prefix = 0x01;
  h.Update(ByteView(&prefix, 1));
  h.Update(left);
  h.Update(right);
  return h.Final();
}

Bytes EmptyRoot() { return Sha256(ByteView()); }

}  // namespace medseal::tlog
