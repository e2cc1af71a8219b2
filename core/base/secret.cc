// SPDX-License-Identifier: Apache-2.0
#include "core/base/secret.h"

#include <sodium.h>

#include <cstring>
#include <new>

namespace medseal {

SecretBytes::SecretBytes(size_t size) : size_(size) {
  if (size_ > 0) {
    data_ = new (std::nothrow) uint8_t[size_];
    MEDSEAL_CHECK(data_ != nullptr);
    std::memset(data_, 0, size_);
  }
}

SecretBytes SecretBytes::CopyFrom(ByteView data) {
  SecretBytes s(data.size());
  if (!s.empty()) std::memcpy(s.data_, data.data(), s.size_);
  return s;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void SecretBytes::Wipe() {
  if (data_ != nullptr) {
    sodium_memzero(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

ByteView RevealSecret(const SecretBytes& secret) { return ByteView(secret.data_, secret.size_); }

uint8_t* RevealMutableSecret(SecretBytes& secret) { return secret.data_; }

bool ConstantTimeEqual(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void SecureWipe(uint8_t* data, size_t size) {
  if (size > 0) sodium_memzero(data, size);
}

}  // namespace medseal
