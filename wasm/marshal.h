// Conversions between the wasm heap (what the JS wrapper writes and reads)
// and core types. No crypto, no format rules: those stay in core.
//
// The calling convention (wasm/package/src/index.ts is its only user):
//   - JS writes every byte input into one scratch region (Scratch below),
//     back to back, and passes each as (pointer, length) integers;
//   - objects that live in wasm memory (identities, verified public cards,
//     deterministic RNGs) are passed as uint32 handles (HandleTable below);
//     a list of cards is an array of u32 handles in the scratch region;
//   - every entry point returns an ErrorCode (0 = OK) and leaves its results
//     in the output slots (Output below), whose pointers and lengths JS reads
//     from a fixed struct in the heap (OutArea), so a result costs no extra
//     calls; on failure slot 0 holds the status message (UTF-8);
//   - Output::Reset() wipes the previous results at the start of every call,
//     and JS fill(0)s secret results (seeds, opened bodies, plaintexts) as soon
//     as it has copied them;
//   - the raw AEAD entry points (the hot path for small messages) take one
//     argument instead: the scratch address of an AeadArgs header, followed
//     back to back by key, nonce, aad and input; they write their output
//     right after the input, in the same scratch region, which JS wipes
//     after copying the result out (no output slot, no out-area reads).
#ifndef MEDSEAL_WASM_MARSHAL_H_
#define MEDSEAL_WASM_MARSHAL_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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

// A JS number holding milliseconds: false unless it is an integer in
// [-(2^53 - 1), 2^53 - 1] (so the cast below is defined and exact).
bool MillisFromDouble(double value, UnixMillis& out);

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

// The reusable input region. Grows (never shrinks) to the largest call so
// far; JS wipes what it wrote after each call.
class Scratch {
 public:
  // Address of a region of at least `size` bytes, or 0 if the allocation
  // failed. May grow wasm memory: JS re-reads HEAPU8 afterwards.
  uint32_t Ensure(size_t size);

 private:
  HeapBuffer data_;
  size_t capacity_ = 0;
};

// The header of a raw AEAD call (4-byte aligned, at the start of scratch):
// the lengths of the four inputs that follow it; the output (input + tag for
// sealing, input - tag for opening) follows the input.
struct AeadArgs {
  uint32_t key_len;
  uint32_t nonce_len;
  uint32_t aad_len;
  uint32_t input_len;
};
static_assert(sizeof(AeadArgs) == 16, "JS writes four u32 words");

inline constexpr int kOutSlots = 6;

// Read by JS at a fixed address (4-byte words: ptr[6], len[6], then the
// doubles at byte offsets 48 and 56).
struct OutArea {
  uint32_t ptr[kOutSlots];
  uint32_t len[kOutSlots];
  double num;
  double num2;
};
static_assert(offsetof(OutArea, num) == 48, "JS reads num at byte offset 48");
static_assert(offsetof(OutArea, num2) == 56, "JS reads num2 at byte offset 56");

class Output {
 public:
  // Wipes and empties every slot and zeroes the area.
  void Reset();
  // A writable slot of `size` bytes, uninitialised (the caller overwrites
  // all of it), or nullptr if the allocation failed. The buffer is kept for
  // the next call (up to 1 MiB) and wiped by Reset().
  uint8_t* Reserve(int slot, size_t size);
  void Set(int slot, Bytes&& bytes);
  void Set(int slot, std::string&& text);
  void SetNum(double value) { area_.num = value; }
  void SetNum2(double value) { area_.num2 = value; }
  // Resets, puts the message into slot 0 and returns the numeric code.
  int Fail(const Status& status);

  const OutArea* area() const { return &area_; }

 private:
  void Publish(int slot, const void* data, size_t size);
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
  Reserved reserved_[kOutSlots];
  Bytes bytes_[kOutSlots];
  std::string text_[kOutSlots];
  OutArea area_{};
};

// uint32 handle -> owned object, so that a stale or forged handle fails
// cleanly (kDisposed) instead of touching freed memory. Handles come from one
// counter shared by all tables and are never reused; 0 means "none".
// Handles only grow, so appending keeps the table sorted for binary search
// (a sorted vector: much smaller code than std::unordered_map).
// NextHandle() returns 0 once the 2^32 - 1 handles are used up.
uint32_t NextHandle();

template <typename T>
class HandleTable {
 public:
  // 0 (and `item` destroyed) if no handle is left.
  uint32_t Add(std::unique_ptr<T> item) {
    uint32_t h = NextHandle();
    if (h != 0) entries_.push_back(Entry{h, std::move(item)});
    return h;
  }
  T* Find(uint32_t handle) const {
    auto it = Lookup(handle);
    return it == entries_.end() ? nullptr : it->item.get();
  }
  // Destroys the object (its SecretBytes wipe themselves). False if unknown.
  bool Remove(uint32_t handle) {
    auto it = Lookup(handle);
    if (it == entries_.end()) return false;
    entries_.erase(it);
    return true;
  }

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

inline constexpr int Code(ErrorCode code) { return static_cast<int>(code); }

}  // namespace medseal::wasm

#endif  // MEDSEAL_WASM_MARSHAL_H_
