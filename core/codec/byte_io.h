// SPDX-License-Identifier: Apache-2.0
// Little-endian writer and bounds-checked reader for the binary formats.
#ifndef MEDSEAL_CORE_CODEC_BYTE_IO_H_
#define MEDSEAL_CORE_CODEC_BYTE_IO_H_

#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/base/bytes.h"

namespace medseal {

class ByteWriter {
 public:
  explicit ByteWriter(Bytes& out) : out_(out) {}
  void U8(uint8_t v) { out_.push_back(v); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  // resize + memcpy rather than insert(): GCC 12 at -O3 reports a false
  // -Wstringop-overflow for insert() into a vector it knows to be empty.
  void Raw(ByteView v) {
    if (v.empty()) return;
    const size_t old = out_.size();
    out_.resize(old + v.size());
    std::memcpy(out_.data() + old, v.data(), v.size());
  }
  void Raw(std::string_view v) { Raw(AsBytes(v)); }
  // A label: its ASCII bytes followed by one 0x00 byte.
  void Label(std::string_view label) {
    Raw(label);
    U8(0);
  }
  // A string with a one-byte length prefix (caller checks length <= 255).
  void Str8(std::string_view v) {
    U8(static_cast<uint8_t>(v.size()));
    Raw(v);
  }

 private:
  Bytes& out_;
};

class ByteReader {
 public:
  explicit ByteReader(ByteView in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  bool U8(uint8_t& v) {
    if (remaining() < 1) return false;
    v = in_[pos_++];
    return true;
  }
  bool U32(uint32_t& v) {
    if (remaining() < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(in_[pos_ + i]) << (8 * i);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t& v) {
    if (remaining() < 8) return false;
    v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += 8;
    return true;
  }
  bool Raw(size_t n, ByteView& v) {
    if (remaining() < n) return false;
    v = in_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  ByteView in_;
  size_t pos_ = 0;
};

// LABEL(label) of the spec: the label's ASCII bytes followed by 0x00.
inline Bytes LabelBytes(std::string_view label) {
  Bytes b;
  ByteWriter(b).Label(label);
  return b;
}

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_BYTE_IO_H_
