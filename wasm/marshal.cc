// SPDX-License-Identifier: Apache-2.0
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

uint32_t LoadU32(uintptr_t address) {
  uint32_t v;
  std::memcpy(&v, reinterpret_cast<const void*>(address), sizeof v);
  return v;
}

}  // namespace

Result<UnixMillis> MillisFromNumber(double value, std::string_view what) {
  // The negated form also rejects NaN.
  if (!(value >= -kMaxSafeInteger && value <= kMaxSafeInteger) || std::trunc(value) != value) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string(what) + " is not an integer number of milliseconds");
  }
  return static_cast<UnixMillis>(value);
}

// ---- ArgReader ------------------------------------------------------------------

ArgReader::ArgReader(uint32_t address)
    : base_(address),
      count_(LoadU32(base_)),
      kinds_(LoadU32(base_ + 4)),
      size_(LoadU32(base_ + 8)) {
  MEDSEAL_CHECK(address % 8 == 0);
  MEDSEAL_CHECK(count_ <= kMaxArgSlots);
  MEDSEAL_CHECK(size_ >= kArgHeaderSize + kArgSlotSize * count_);
}

const uint8_t* ArgReader::Slot(uint32_t slot, ArgKind kind) const {
  MEDSEAL_CHECK(slot < count_);
  MEDSEAL_CHECK(((kinds_ >> (2 * slot)) & 3u) == static_cast<uint32_t>(kind));
  return reinterpret_cast<const uint8_t*>(base_ + kArgHeaderSize + kArgSlotSize * slot);
}

std::pair<uint32_t, uint32_t> ArgReader::Region(uint32_t slot) const {
  const uintptr_t p = reinterpret_cast<uintptr_t>(Slot(slot, ArgKind::kRegion));
  const uint32_t offset = LoadU32(p);
  const uint32_t length = LoadU32(p + 4);
  MEDSEAL_CHECK(offset >= kArgHeaderSize + kArgSlotSize * count_);
  MEDSEAL_CHECK(offset <= size_ && length <= size_ - offset);
  return {offset, length};
}

ByteView ArgReader::Bytes(uint32_t slot) const {
  auto [offset, length] = Region(slot);
  return ByteView(reinterpret_cast<const uint8_t*>(base_ + offset), length);
}

std::span<const uint32_t> ArgReader::Words(uint32_t slot) const {
  auto [offset, length] = Region(slot);
  MEDSEAL_CHECK(offset % 4 == 0 && length % 4 == 0);
  return std::span<const uint32_t>(reinterpret_cast<const uint32_t*>(base_ + offset), length / 4);
}

uint8_t* ArgReader::Writable(uint32_t slot) const {
  auto [offset, length] = Region(slot);
  static_cast<void>(length);
  return reinterpret_cast<uint8_t*>(base_ + offset);
}

uint32_t ArgReader::U32(uint32_t slot) const {
  return LoadU32(reinterpret_cast<uintptr_t>(Slot(slot, ArgKind::kU32)));
}

double ArgReader::F64(uint32_t slot) const {
  double v;
  std::memcpy(&v, Slot(slot, ArgKind::kF64), sizeof v);
  return v;
}

// ---- Heap buffers ---------------------------------------------------------------

void FreeBuffer::operator()(uint8_t* p) const { std::free(p); }

HeapBuffer AllocateBuffer(size_t size) {
  return HeapBuffer(static_cast<uint8_t*>(std::malloc(size > 0 ? size : 1)));
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

// ---- Output ---------------------------------------------------------------------

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
  held_.reset();
  area_ = OutArea{};
}

void Output::Publish(int slot, const void* data, size_t size) {
  area_.ptr[slot] = HeapAddress(data);
  area_.len[slot] = static_cast<uint32_t>(size);
}

Result<uint8_t*> Output::Reserve(int slot, size_t size) {
  Reserved& r = reserved_[slot];
  r.Wipe();
  if (size > r.capacity || !r.data) {
    r.data.reset();  // free the old buffer before allocating the new one
    r.capacity = 0;
    r.data = AllocateBuffer(size);
    if (!r.data) return Error(ErrorCode::kTooLarge, "not enough WebAssembly memory");
    r.capacity = size;
  }
  r.used = size;
  Publish(slot, r.data.get(), size);
  return r.data.get();
}

void Output::Set(int slot, medseal::Bytes&& bytes) {
  medseal::Bytes& b = bytes_[slot];
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

int Output::Finish(const Status& status) {
  if (!status.ok()) return Fail(status);
  return Ok();
}

int Output::Finish(int slot, Result<medseal::Bytes>&& bytes) {
  if (!bytes.ok()) return Fail(bytes.status());
  Set(slot, std::move(bytes).value());
  return Ok();
}

medseal::Bytes WordBytes(std::initializer_list<uint32_t> words) {
  medseal::Bytes out(words.size() * 4);
  size_t i = 0;
  for (uint32_t w : words) {
    std::memcpy(out.data() + 4 * i++, &w, 4);  // wasm is little-endian
  }
  return out;
}

// ---- Handles --------------------------------------------------------------------

uint32_t NextHandle() {
  static uint32_t last = 0;
  if (last == UINT32_MAX) return 0;
  return ++last;
}

Status DisposedError(std::string_view what) {
  return Error(ErrorCode::kDisposed, std::string(what) + " was disposed");
}

Status DisposedError(std::string_view what, size_t index) {
  return Error(ErrorCode::kDisposed,
               std::string(what) + "[" + std::to_string(index) + "] was disposed");
}

Status NoHandlesLeftError(std::string_view what) {
  return Error(ErrorCode::kInternal, "no " + std::string(what) + " handles left");
}

}  // namespace medseal::wasm
