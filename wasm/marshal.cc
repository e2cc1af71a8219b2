#include "wasm/marshal.h"

#include <cmath>
#include <cstring>
#include <new>

#include "core/secret.h"

namespace medseal::wasm {
namespace {

constexpr size_t kMinScratch = 64 * 1024;
// Slots larger than this are freed on Reset rather than kept for reuse.
constexpr size_t kKeepSlotCapacity = 1 << 20;
constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

template <typename Buffer>
void WipeAndClear(Buffer& b) {
  if (!b.empty()) SecureWipe(reinterpret_cast<uint8_t*>(b.data()), b.size());
  if (b.capacity() > kKeepSlotCapacity) {
    Buffer().swap(b);
  } else {
    b.clear();
  }
}

}  // namespace

bool MillisFromDouble(double value, UnixMillis& out) {
  if (!(value >= -kMaxSafeInteger && value <= kMaxSafeInteger)) return false;  // NaN too
  if (std::trunc(value) != value) return false;
  out = static_cast<UnixMillis>(value);
  return true;
}

bool SplitLengthPrefixed(ByteView data, uint32_t count, std::vector<std::string_view>& out) {
  out.clear();
  size_t pos = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (data.size() - pos < 4) return false;
    uint32_t n = static_cast<uint32_t>(data[pos]) | static_cast<uint32_t>(data[pos + 1]) << 8 |
                 static_cast<uint32_t>(data[pos + 2]) << 16 |
                 static_cast<uint32_t>(data[pos + 3]) << 24;
    pos += 4;
    if (data.size() - pos < n) return false;
    out.emplace_back(reinterpret_cast<const char*>(data.data() + pos), n);
    pos += n;
  }
  return pos == data.size();
}

uint32_t Scratch::Ensure(size_t size) {
  if (size > capacity_ || !data_) {
    size_t grown = capacity_ * 2;
    size_t capacity = size > grown ? size : grown;
    if (capacity < kMinScratch) capacity = kMinScratch;
    std::unique_ptr<uint8_t[]> fresh(new (std::nothrow) uint8_t[capacity]);
    if (!fresh) return 0;
    if (data_) SecureWipe(data_.get(), capacity_);
    data_ = std::move(fresh);
    capacity_ = capacity;
  }
  return HeapAddress(data_.get());
}

void Output::Reset() {
  for (int i = 0; i < kOutSlots; ++i) {
    WipeAndClear(bytes_[i]);
    WipeAndClear(text_[i]);
  }
  area_ = OutArea{};
}

void Output::Publish(int slot, const void* data, size_t size) {
  area_.ptr[slot] = HeapAddress(data);
  area_.len[slot] = static_cast<uint32_t>(size);
}

uint8_t* Output::Reserve(int slot, size_t size) {
  Bytes& b = bytes_[slot];
  b.resize(size);
  Publish(slot, b.data(), b.size());
  return b.data();
}

void Output::Set(int slot, Bytes&& bytes) {
  Bytes& b = bytes_[slot];
  WipeAndClear(b);
  b = std::move(bytes);
  Publish(slot, b.data(), b.size());
}

void Output::Set(int slot, std::string&& text) {
  std::string& t = text_[slot];
  WipeAndClear(t);
  t = std::move(text);
  Publish(slot, t.data(), t.size());
}

int Output::Fail(const Status& status) {
  Reset();
  Set(0, std::string(status.message()));
  return Code(status.code());
}

uint32_t NextHandle() {
  static uint32_t last = 0;
  if (last == UINT32_MAX) return 0;
  return ++last;
}

}  // namespace medseal::wasm
