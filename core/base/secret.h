// SPDX-License-Identifier: Apache-2.0
// Secret byte buffers: move-only, zeroized on destruction and on move-out.
#ifndef MEDSEAL_CORE_BASE_SECRET_H_
#define MEDSEAL_CORE_BASE_SECRET_H_

#include <cstddef>
#include <cstdint>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size);
  // Copies `data`; the caller remains responsible for wiping its own copy.
  static SecretBytes CopyFrom(ByteView data);
  ~SecretBytes();

  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  friend ByteView RevealSecret(const SecretBytes& secret);
  friend uint8_t* RevealMutableSecret(SecretBytes& secret);

 private:
  void Wipe();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// The only ways to reach a secret's bytes; grep for "Reveal" to audit every
// use. RevealSecret reads; RevealMutableSecret is for filling the buffer
// (RNG output, KDF output, decryption output) and can read as well.
ByteView RevealSecret(const SecretBytes& secret);
uint8_t* RevealMutableSecret(SecretBytes& secret);

// Constant-time equality (sodium_memcmp); false when the sizes differ.
bool ConstantTimeEqual(ByteView a, ByteView b);

// Overwrites `data` with zeros in a way the compiler cannot elide.
void SecureWipe(uint8_t* data, size_t size);
inline void SecureWipe(Bytes& data) { SecureWipe(data.data(), data.size()); }

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_SECRET_H_
