// The bindings' marshalling layer (wasm/marshal.h) in wasm: what happens when
// the heap cannot hold an output or the inputs (the package then answers
// TOO_LARGE, "not enough WebAssembly memory"), that reserved output buffers
// are wiped, and the handle table and millisecond checks.
#include "wasm/marshal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

namespace medseal::wasm {
namespace {

// More than the module's memory can ever hold (the maximum is 2 GiB).
constexpr size_t kImpossible = size_t{3} << 30;
static_assert(sizeof(size_t) == 4, "marshal.cc is for wasm32");

TEST(MarshalOutput, ReserveFailsCleanlyForMoreThanTheHeapCanHold) {
  Output out;
  uint8_t* small = out.Reserve(1, 16);
  ASSERT_NE(small, nullptr);
  std::memset(small, 0xab, 16);

  EXPECT_EQ(out.Reserve(0, kImpossible), nullptr);  // no abort, no throw
  // The other slot is untouched, and the failed slot works again.
  EXPECT_EQ(out.area()->ptr[1], HeapAddress(small));
  EXPECT_EQ(out.area()->len[1], 16u);
  uint8_t* again = out.Reserve(0, 1024);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(out.area()->ptr[0], HeapAddress(again));
  EXPECT_EQ(out.area()->len[0], 1024u);
}

// The realistic case: memory grown to its maximum by other allocations, so
// that a request the size of a large call cannot be met.
TEST(MarshalOutput, ReserveFailsCleanlyWhenMemoryCannotGrowAnyMore) {
  constexpr size_t kChunk = size_t{64} << 20;  // 64 MiB
  std::vector<HeapBuffer> hog;
  for (int i = 0; i < 64; ++i) {  // 4 GiB: more than the 2 GiB maximum
    HeapBuffer b = AllocateBuffer(kChunk);
    if (!b) break;
    hog.push_back(std::move(b));
  }
  ASSERT_GE(hog.size(), 16u);  // memory did grow to well over 1 GiB
  ASSERT_LT(hog.size(), 64u);  // and then stopped
  Output out;
  Scratch scratch;
  EXPECT_EQ(out.Reserve(0, kChunk), nullptr);
  EXPECT_EQ(scratch.Ensure(kChunk), 0u);
  hog.pop_back();  // 64 MiB back
  EXPECT_NE(out.Reserve(0, size_t{32} << 20), nullptr);
}

TEST(MarshalOutput, FailAfterAFailedReserveLeavesOnlyTheMessage) {
  Output out;
  ASSERT_NE(out.Reserve(2, 64), nullptr);
  ASSERT_EQ(out.Reserve(0, kImpossible), nullptr);
  int code = out.Fail(Status(ErrorCode::kTooLarge, "not enough WebAssembly memory"));
  EXPECT_EQ(code, Code(ErrorCode::kTooLarge));
  std::string message(reinterpret_cast<const char*>(static_cast<uintptr_t>(out.area()->ptr[0])),
                      out.area()->len[0]);
  EXPECT_EQ(message, "not enough WebAssembly memory");
  for (int slot = 1; slot < kOutSlots; ++slot) {
    EXPECT_EQ(out.area()->ptr[slot], 0u) << slot;
    EXPECT_EQ(out.area()->len[slot], 0u) << slot;
  }
}

TEST(MarshalOutput, ResetWipesAKeptReservedBuffer) {
  Output out;
  uint8_t* p = out.Reserve(0, 48);
  ASSERT_NE(p, nullptr);
  std::memset(p, 0x5c, 48);
  out.Reset();
  // Buffers up to 1 MiB are kept for the next call: the same memory, zeroed.
  for (int i = 0; i < 48; ++i) ASSERT_EQ(p[i], 0) << i;
  EXPECT_EQ(out.area()->ptr[0], 0u);
  EXPECT_EQ(out.area()->len[0], 0u);
  EXPECT_EQ(out.Reserve(0, 32), p);  // reused, not reallocated
}

TEST(MarshalOutput, ReserveWipesWhatTheLastCallHandedOut) {
  Output out;
  uint8_t* p = out.Reserve(0, 64);
  ASSERT_NE(p, nullptr);
  std::memset(p, 0x77, 64);
  ASSERT_EQ(out.Reserve(0, 8), p);
  for (int i = 8; i < 64; ++i) ASSERT_EQ(p[i], 0) << i;
}

TEST(MarshalScratch, EnsureFailsCleanlyAndKeepsTheOldRegion) {
  Scratch scratch;
  uint32_t first = scratch.Ensure(100);
  ASSERT_NE(first, 0u);
  EXPECT_EQ(scratch.Ensure(kImpossible), 0u);
  EXPECT_EQ(scratch.Ensure(100), first);  // still there, still usable
  EXPECT_NE(scratch.Ensure(1 << 20), 0u);  // and it can still grow
}

TEST(MarshalScratch, GrowsToTheLargestCall) {
  Scratch scratch;
  uint32_t a = scratch.Ensure(10);
  ASSERT_NE(a, 0u);
  EXPECT_EQ(scratch.Ensure(64 * 1024), a);  // the minimum region is 64 KiB
  uint32_t b = scratch.Ensure(64 * 1024 + 1);
  ASSERT_NE(b, 0u);
  EXPECT_EQ(scratch.Ensure(5), b);  // never shrinks
}

TEST(MarshalHandles, StaleForgedAndReusedHandlesFail) {
  HandleTable<int> table;
  uint32_t a = table.Add(std::make_unique<int>(1));
  uint32_t b = table.Add(std::make_unique<int>(2));
  ASSERT_NE(a, 0u);
  ASSERT_GT(b, a);
  ASSERT_NE(table.Find(a), nullptr);
  EXPECT_EQ(*table.Find(b), 2);
  EXPECT_EQ(table.Find(0), nullptr);
  EXPECT_EQ(table.Find(b + 1000), nullptr);
  EXPECT_TRUE(table.Remove(a));
  EXPECT_EQ(table.Find(a), nullptr);
  EXPECT_FALSE(table.Remove(a));
  uint32_t c = table.Add(std::make_unique<int>(3));
  EXPECT_NE(c, a);  // handles are never reused
  EXPECT_EQ(table.Find(a), nullptr);
  EXPECT_EQ(*table.Find(c), 3);
}

TEST(MarshalMillis, OnlyExactSafeIntegers) {
  UnixMillis out = 0;
  EXPECT_TRUE(MillisFromDouble(1700000000000.0, out));
  EXPECT_EQ(out, 1700000000000);
  EXPECT_TRUE(MillisFromDouble(-9007199254740991.0, out));
  EXPECT_EQ(out, -9007199254740991);
  EXPECT_TRUE(MillisFromDouble(9007199254740991.0, out));
  EXPECT_FALSE(MillisFromDouble(9007199254740992.0, out));
  EXPECT_FALSE(MillisFromDouble(-9007199254740992.0, out));
  EXPECT_FALSE(MillisFromDouble(0.5, out));
  EXPECT_FALSE(MillisFromDouble(std::nan(""), out));
  EXPECT_FALSE(MillisFromDouble(std::numeric_limits<double>::infinity(), out));
  EXPECT_FALSE(MillisFromDouble(-std::numeric_limits<double>::infinity(), out));
}

}  // namespace
}  // namespace medseal::wasm
