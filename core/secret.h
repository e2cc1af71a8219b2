// Secret byte buffers: move-only, zeroized on destruction and on move-out.
#ifndef MEDSEAL_CORE_SECRET_H_
#define MEDSEAL_CORE_SECRET_H_

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"

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
  // Writable access for filling the buffer (RNG output, KDF output).
  uint8_t* mutable_data() { return data_; }

  friend ByteView RevealSecret(const SecretBytes& secret);

 private:
  void Wipe();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// The only way to read a secret's bytes: grep for RevealSecret to audit uses.
ByteView RevealSecret(const SecretBytes& secret);

// Constant-time equality (sodium_memcmp); false when the sizes differ.
bool ConstantTimeEqual(ByteView a, ByteView b);

// Overwrites `data` with zeros in a way the compiler cannot elide.
void SecureWipe(uint8_t* data, size_t size);
inline void SecureWipe(Bytes& data) { SecureWipe(data.data(), data.size()); }

}  // namespace medseal

#endif  // MEDSEAL_CORE_SECRET_H_
