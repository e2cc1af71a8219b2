#include "wasm/marshal.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "core/base/secret.h"

namespace medseal::wasm {
namespace {

constexpr size_t kMinScratch = 64 * 1024;
// Slot buffers (Set and Reserve alike) larger than this are freed on Reset
// rather than kept, wiped, for reuse.
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

void FreeBuffer::operator()(uint8_t* p) const { std::free(p); }

HeapBuffer AllocateBuffer(size_t size) {
  return HeapBuffer(static_cast<uint8_t*>(std::malloc(size > 0 ? size : 1)));
}

bool MillisFromDouble(double value, UnixMillis& out) {
  if (!(value >= -kMaxSafeInteger && value <= kMaxSafeInteger)) return false;  // NaN too
  if (std::trunc(value) != value) return false;
  out = static_cast<UnixMillis>(value);
  return true;
}

uint32_t Scratch::Ensure(size_t size) {
  if (size > capacity_ || !data_) {
    size_t grown = capacity_ * 2;
    size_t capacity = size > grown ? size : grown;
    if (capacity < kMinScratch) capacity = kMinScratch;
    HeapBuffer fresh = AllocateBuffer(capacity);
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
    Reserved& r = reserved_[i];
    r.Wipe();
    if (r.capacity > kKeepSlotCapacity) {
      r.data.reset();
      r.capacity = 0;
    }
  }
  area_ = OutArea{};
}

void Output::Publish(int slot, const void* data, size_t size) {
  area_.ptr[slot] = HeapAddress(data);
  area_.len[slot] = static_cast<uint32_t>(size);
}

uint8_t* Output::Reserve(int slot, size_t size) {
  Reserved& r = reserved_[slot];
  r.Wipe();
  if (size > r.capacity || !r.data) {
    r.data.reset();  // free the old buffer before allocating the new one
    r.capacity = 0;
    r.data = AllocateBuffer(size);
    if (!r.data) return nullptr;
    r.capacity = size;
  }
  r.used = size;
  Publish(slot, r.data.get(), size);
  return r.data.get();
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
