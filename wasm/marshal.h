// SPDX-License-Identifier: Apache-2.0
// The calling convention between the JS wrapper (wasm/package/src/heap.ts
// writes and reads it) and the entry points of wasm/bindings/, and the
// conversions between heap regions and core types. No crypto, no format
// rules, no decisions about data: those stay in core.
//
// Arguments
// ---------
// Every entry point takes exactly one uint32_t: the heap address of an
// argument block that JS wrote into the scratch region (Scratch below).
// The exceptions are the module functions that take no input at all
// (_outArea, _release, and _liveHandles in the testing module) and
// _scratch(size), which makes room for the blocks themselves.
//
// An argument block starts 8-byte aligned; every integer is little-endian
// (wasm's byte order):
//
//   offset  size  field
//   0       4     count   number of slots, at most kMaxArgSlots (16)
//   4       4     kinds   2 bits per slot, slot i in bits 2i and 2i+1
//                         (ArgKind: 0 region, 1 u32, 2 f64)
//   8       4     size    bytes of the whole block, this header included
//   12      4     0       padding, so that the slots are 8-byte aligned
//   16      8*count       the slots, 8 bytes each:
//                           region: u32 offset from the block's start,
//                                   u32 length in bytes
//                           u32:    the value, then 4 zero bytes
//                           f64:    an IEEE-754 double (a JS number)
//   ...                   the regions' bytes, each at an 8-byte-aligned
//                         offset (the bytes between regions are
//                         unspecified)
//
// A region holds bytes, UTF-8 text (JS checks that strings are well
// formed; core checks what text it accepts), a list of u32 handles (length
// a multiple of 4), or room for an output that the entry point writes in
// place (its bytes on entry are unspecified). Each entry point documents
// its slots; the TS function that calls it writes them in that order.
// ArgReader reads a block. Reading a slot as another kind, a slot past
// `count`, or a region that does not lie inside `size` is a bug in the
// wrapper, not bad data: MEDSEAL_CHECK traps and the module is unusable.
//
// Objects that live in wasm memory (identities, verified public cards and,
// in the testing module, deterministic RNGs) are u32 handles into a
// HandleTable (below); a stale or forged handle is kDisposed, naming the
// argument.
//
// Results
// -------
// Every entry point returns an ErrorCode (0 = OK) and leaves its results in
// the output slots (Output below). JS reads their addresses and lengths from
// a fixed struct in the heap (OutArea, address from _outArea(): six slots
// of (pointer, length), a double and an exact int64 time), so reading a
// result costs no extra call. On failure slot 0 holds the status message
// (UTF-8) and nothing else is set. A slot either owns its bytes (Set,
// Reserve) or is a view (SetView) of memory that lives on: an object in a
// handle table, or one that Keep() holds until the next Reset().
//
// Who wipes what
// --------------
//   - JS zeroes the whole argument block after every call, failed or not
//     (header, slots, data and output regions). One exception, for speed:
//     the raw AEAD calls of the testing module leave the ciphertext (the
//     input when opening, the output when sealing) as it is: it is not
//     secret. Long strings that JS had to encode before staging are zeroed
//     too.
//   - C++ wipes every output. Output::Reset() runs at the start of every
//     call and when JS calls _release(): it wipes the buffers that slots
//     own and destroys what Keep() holds (an opened payload is one
//     SecretBytes, which wipes itself). JS never writes into output memory
//     (a view may point into a live key); it copies a secret result out and
//     calls _release() at once, so that no plaintext outlives the wrapper's
//     call.
#ifndef MEDSEAL_WASM_MARSHAL_H_
#define MEDSEAL_WASM_MARSHAL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal::wasm {

// A region JS wrote into the heap. Pointers are wasm32 addresses.
inline ByteView HeapBytes(uint32_t ptr, uint32_t len) {
  return ByteView(reinterpret_cast<const uint8_t*>(static_cast<uintptr_t>(ptr)), len);
}
inline std::string_view HeapText(uint32_t ptr, uint32_t len) {
  return std::string_view(reinterpret_cast<const char*>(static_cast<uintptr_t>(ptr)), len);
}
inline uint32_t HeapAddress(const void* p) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p));
}

inline constexpr int Code(ErrorCode code) { return static_cast<int>(code); }
// What an entry point returns when it succeeded.
inline constexpr int Ok() { return Code(ErrorCode::kOk); }

// A JS number holding milliseconds: kInvalidArgument (naming `what`) unless
// it is an integer in [-(2^53 - 1), 2^53 - 1], so that the cast is defined
// and exact. Whether the time is acceptable is core's business.
Result<UnixMillis> MillisFromNumber(double value, std::string_view what);

// ---- Argument blocks --------------------------------------------------------

enum class ArgKind : uint32_t { kRegion = 0, kU32 = 1, kF64 = 2 };
inline constexpr uint32_t kMaxArgSlots = 16;
inline constexpr uint32_t kArgHeaderSize = 16;
inline constexpr uint32_t kArgSlotSize = 8;

// Reads the argument block at `address` (layout above). Holds only the
// address: the block must stay in place for the reader's lifetime (it does:
// JS wipes it after the call returns).
class ArgReader {
 public:
  explicit ArgReader(uint32_t address);

  uint32_t count() const { return count_; }

  ByteView Bytes(uint32_t slot) const;
  std::string_view Text(uint32_t slot) const { return AsText(Bytes(slot)); }
  // A region as a list of u32 words (handles).
  std::span<const uint32_t> Words(uint32_t slot) const;
  // A region the entry point writes into.
  uint8_t* Writable(uint32_t slot) const;
  uint32_t U32(uint32_t slot) const;
  double F64(uint32_t slot) const;
  // F64 as milliseconds (MillisFromNumber), naming `what`.
  Result<UnixMillis> Millis(uint32_t slot, std::string_view what) const {
    return MillisFromNumber(F64(slot), what);
  }

 private:
  // The slot's 8 bytes, after checking its index and kind.
  const uint8_t* Slot(uint32_t slot, ArgKind kind) const;
  // A region slot's (offset, length), checked against the block's size.
  std::pair<uint32_t, uint32_t> Region(uint32_t slot) const;

  uintptr_t base_;
  uint32_t count_;
  uint32_t kinds_;
  uint32_t size_;
};

// ---- Heap buffers -------------------------------------------------------------

// A heap buffer from malloc. Not new[]: Emscripten's libc++ is built without
// exceptions, and its operator new, the std::nothrow form included, calls
// abort() when the heap cannot grow; malloc returns null (the module grows
// its memory, so Emscripten's ABORTING_MALLOC is off); wasm/test/marshal_test.cc
// checks that an allocation the heap cannot hold fails cleanly.
struct FreeBuffer {
  void operator()(uint8_t* p) const;
};
using HeapBuffer = std::unique_ptr<uint8_t[], FreeBuffer>;
// `size` bytes, uninitialised, or null if the heap cannot hold them.
HeapBuffer AllocateBuffer(size_t size);

// The reusable input region, where JS writes argument blocks. Grows (never
// shrinks) to the largest call so far; JS wipes what it wrote after each
// call. 8-byte aligned (malloc), as argument blocks must be.
class Scratch {
 public:
  // Address of a region of at least `size` bytes, or 0 if the allocation
  // failed. May grow wasm memory: JS re-reads HEAPU8 afterwards.
  uint32_t Ensure(size_t size);

 private:
  HeapBuffer data_;
  size_t capacity_ = 0;
};

// ---- Output slots ---------------------------------------------------------------

inline constexpr int kOutSlots = 6;
enum OutSlot : int { kSlot0 = 0, kSlot1, kSlot2, kSlot3, kSlot4, kSlot5 };

// Read by JS at a fixed address: 4-byte words ptr[6] and len[6], then at
// byte offset 48 a double (handles, sizes), at 56 a time in milliseconds as
// an exact int64 (core keeps times within 0 .. 2^53 - 1, which a JS number
// holds exactly).
struct OutArea {
  uint32_t ptr[kOutSlots];
  uint32_t len[kOutSlots];
  double num;
  int64_t millis;
};
static_assert(offsetof(OutArea, num) == 48, "JS reads num at byte offset 48");
static_assert(offsetof(OutArea, millis) == 56, "JS reads millis at byte offset 56");

class Output {
 public:
  Output() = default;
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  // Wipes the buffers slots own, destroys what Keep() holds, and zeroes the
  // area (views are forgotten, not wiped: their memory belongs elsewhere).
  void Reset();

  // A writable slot of `size` bytes, uninitialised (the caller overwrites
  // all of it), or kTooLarge ("not enough WebAssembly memory") if the heap
  // cannot hold it. The buffer is kept for the next call (up to 1 MiB) and
  // wiped by Reset().
  Result<uint8_t*> Reserve(int slot, size_t size);
  // Slots that own their bytes.
  void Set(int slot, Bytes&& bytes);
  void Set(int slot, std::string&& text);
  // Slots that point at memory owned elsewhere (a handle table's object, or
  // what Keep() holds), valid until that memory goes.
  void SetView(int slot, ByteView bytes) { Publish(slot, bytes.data(), bytes.size()); }
  void SetView(int slot, std::string_view text) { Publish(slot, text.data(), text.size()); }
  void SetNum(double value) { area_.num = value; }
  void SetMillis(UnixMillis value) { area_.millis = value; }

  // Keeps `value` alive until the next Reset(), so that slots can be views
  // into it; returns the kept object.
  template <typename T>
  const T& Keep(T&& value) {
    auto held = std::make_unique<Held<T>>(std::move(value));
    const T& kept = held->value;
    held_ = std::move(held);
    return kept;
  }

  // Resets, puts the message into slot 0 and returns the numeric code.
  int Fail(const Status& status);
  // Ok() for an OK status, else Fail(status).
  int Finish(const Status& status);
  // Publishes `bytes` in `slot` and returns Ok(), or fails with its status.
  int Finish(int slot, Result<medseal::Bytes>&& bytes);

  const OutArea* area() const { return &area_; }

 private:
  struct HeldBase {
    virtual ~HeldBase() = default;
  };
  template <typename T>
  struct Held final : HeldBase {
    explicit Held(T&& v) : value(std::move(v)) {}
    T value;
  };
  struct Reserved {
    HeapBuffer data;
    size_t capacity = 0;
    size_t used = 0;
    // Wipes the bytes handed out last and marks the buffer unused.
    void Wipe() {
      if (used != 0) SecureWipe(data.get(), used);
      used = 0;
    }
  };

  void Publish(int slot, const void* data, size_t size);

  Reserved reserved_[kOutSlots];
  medseal::Bytes bytes_[kOutSlots];
  std::string text_[kOutSlots];
  std::unique_ptr<HeldBase> held_;
  OutArea area_{};
};

// The concatenation of `member` of every element of `items` (e.g. the key
// ids of a record's recipient stanzas), for JS to split.
template <typename Range, typename Member>
medseal::Bytes ConcatBytes(const Range& items, Member member) {
  medseal::Bytes out;
  for (const auto& item : items) {
    const auto& part = item.*member;
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

// u32 words as little-endian bytes (wasm's byte order), for JS to read as
// a Uint32Array.
medseal::Bytes WordBytes(std::initializer_list<uint32_t> words);

// ---- Handle tables ------------------------------------------------------------

// uint32 handle -> owned object, so that a stale or forged handle fails
// cleanly (kDisposed) instead of touching freed memory. Handles come from one
// counter shared by all tables and are never reused; 0 means "none".
// Handles only grow, so appending keeps the table sorted for binary search
// (a sorted vector: much smaller code than std::unordered_map).
// NextHandle() returns 0 once the 2^32 - 1 handles are used up.
uint32_t NextHandle();

// "`what` was disposed" and "`what`[i] was disposed".
Status DisposedError(std::string_view what);
Status DisposedError(std::string_view what, size_t index);
// kInternal: "no `what` handles left".
Status NoHandlesLeftError(std::string_view what);

template <typename T>
class HandleTable {
 public:
  // The new handle; kInternal (and `item` destroyed) if none is left.
  Result<uint32_t> Add(std::unique_ptr<T> item, std::string_view what) {
    uint32_t h = NextHandle();
    if (h == 0) return NoHandlesLeftError(what);
    entries_.push_back(Entry{h, std::move(item)});
    return h;
  }
  // The object, or kDisposed naming the argument `what`.
  Result<T*> Get(uint32_t handle, std::string_view what) const {
    auto it = Lookup(handle);
    if (it == entries_.end()) return DisposedError(what);
    return it->item.get();
  }
  // The objects of a list argument, or kDisposed naming `what`[i].
  Result<std::vector<const T*>> GetEach(std::span<const uint32_t> handles,
                                        std::string_view what) const {
    std::vector<const T*> out;
    out.reserve(handles.size());
    for (size_t i = 0; i < handles.size(); ++i) {
      auto it = Lookup(handles[i]);
      if (it == entries_.end()) return DisposedError(what, i);
      out.push_back(it->item.get());
    }
    return out;
  }
  // Destroys the object (its SecretBytes wipe themselves); kDisposed naming
  // `what` if the handle is unknown.
  Status Remove(uint32_t handle, std::string_view what) {
    auto it = Lookup(handle);
    if (it == entries_.end()) return DisposedError(what);
    entries_.erase(it);
    return Status::Ok();
  }
  // Live objects (the testing module's leak checks).
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint32_t handle;
    std::unique_ptr<T> item;
  };
  typename std::vector<Entry>::const_iterator Lookup(uint32_t handle) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), handle,
                               [](const Entry& e, uint32_t h) { return e.handle < h; });
    return it != entries_.end() && it->handle == handle ? it : entries_.end();
  }
  std::vector<Entry> entries_;
};

// ---- Failing through the output -----------------------------------------------
// The entry points' only way to branch on a Status: `out` is the module's
// Output (its Fail() publishes the message and returns the code).

// lhs = the value of `expr` (a Result<T>), or return out.Fail(its status).
#define MEDSEAL_WASM_ASSIGN_OR_FAIL(out, lhs, expr) \
  MEDSEAL_WASM_ASSIGN_OR_FAIL_IMPL_(MEDSEAL_CONCAT_(medseal_wasm_result_, __LINE__), out, lhs, expr)
#define MEDSEAL_WASM_ASSIGN_OR_FAIL_IMPL_(tmp, out, lhs, expr) \
  auto tmp = (expr);                                           \
  if (!tmp.ok()) return (out).Fail(tmp.status());              \
  lhs = std::move(tmp).value()

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_MARSHAL_H_
