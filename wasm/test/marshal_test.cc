// SPDX-License-Identifier: Apache-2.0
// The bindings' marshalling layer (wasm/marshal.h) in wasm: the argument
// block reader against the documented layout, what happens when the heap
// cannot hold an output or the inputs (the package then answers TOO_LARGE,
// "not enough WebAssembly memory"), that outputs are wiped or released, and
// the handle tables and millisecond checks.
#include "wasm/marshal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace medseal::wasm {
namespace {

// More than the module's memory can ever hold (the maximum is 2 GiB).
constexpr size_t kImpossible = size_t{3} << 30;
static_assert(sizeof(size_t) == 4, "marshal.cc is for wasm32");

TEST(MarshalOutput, ReserveFailsCleanlyForMoreThanTheHeapCanHold) {
  Output out;
  auto small = out.Reserve(1, 16);
  ASSERT_TRUE(small.ok());
  std::memset(*small, 0xab, 16);

  auto failed = out.Reserve(0, kImpossible);  // no abort, no throw
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(failed.status().message(), "not enough WebAssembly memory");
  // The other slot is untouched, and the failed slot works again.
  EXPECT_EQ(out.area()->ptr[1], HeapAddress(*small));
  EXPECT_EQ(out.area()->len[1], 16u);
  auto again = out.Reserve(0, 1024);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(out.area()->ptr[0], HeapAddress(*again));
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
  EXPECT_FALSE(out.Reserve(0, kChunk).ok());
  EXPECT_EQ(scratch.Ensure(kChunk), 0u);
  hog.pop_back();  // 64 MiB back
  EXPECT_TRUE(out.Reserve(0, size_t{32} << 20).ok());
}

TEST(MarshalOutput, FailAfterAFailedReserveLeavesOnlyTheMessage) {
  Output out;
  ASSERT_TRUE(out.Reserve(2, 64).ok());
  auto failed = out.Reserve(0, kImpossible);
  ASSERT_FALSE(failed.ok());
  int code = out.Fail(failed.status());
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
  uint8_t* p = out.Reserve(0, 48).value();
  std::memset(p, 0x5c, 48);
  out.Reset();
  // Buffers up to 1 MiB are kept for the next call: the same memory, zeroed.
  for (int i = 0; i < 48; ++i) ASSERT_EQ(p[i], 0) << i;
  EXPECT_EQ(out.area()->ptr[0], 0u);
  EXPECT_EQ(out.area()->len[0], 0u);
  EXPECT_EQ(out.Reserve(0, 32).value(), p);  // reused, not reallocated
}

TEST(MarshalOutput, ReserveWipesWhatTheLastCallHandedOut) {
  Output out;
  uint8_t* p = out.Reserve(0, 64).value();
  std::memset(p, 0x77, 64);
  ASSERT_EQ(out.Reserve(0, 8).value(), p);
  for (int i = 8; i < 64; ++i) ASSERT_EQ(p[i], 0) << i;
}

TEST(MarshalScratch, EnsureFailsCleanlyAndKeepsTheOldRegion) {
  Scratch scratch;
  uint32_t first = scratch.Ensure(100);
  ASSERT_NE(first, 0u);
  EXPECT_EQ(scratch.Ensure(kImpossible), 0u);
  EXPECT_EQ(scratch.Ensure(100), first);   // still there, still usable
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

TEST(MarshalHandles, StaleForgedAndReusedHandlesAreDisposedNamingTheArgument) {
  HandleTable<int> table;
  uint32_t a = table.Add(std::make_unique<int>(1), "int").value();
  uint32_t b = table.Add(std::make_unique<int>(2), "int").value();
  ASSERT_NE(a, 0u);
  ASSERT_GT(b, a);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(*table.Get(b, "b").value(), 2);
  for (uint32_t forged : {0u, b + 1000}) {
    auto got = table.Get(forged, "sender");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), ErrorCode::kDisposed);
    EXPECT_EQ(got.status().message(), "sender was disposed");
  }
  EXPECT_TRUE(table.Remove(a, "identity").ok());
  EXPECT_FALSE(table.Get(a, "identity").ok());
  Status again = table.Remove(a, "identity");
  EXPECT_EQ(again.code(), ErrorCode::kDisposed);
  EXPECT_EQ(again.message(), "identity was disposed");
  uint32_t c = table.Add(std::make_unique<int>(3), "int").value();
  EXPECT_NE(c, a);  // handles are never reused
  EXPECT_FALSE(table.Get(a, "x").ok());
  EXPECT_EQ(*table.Get(c, "c").value(), 3);
  EXPECT_EQ(table.size(), 2u);
}

TEST(MarshalHandles, GetEachNamesTheFirstDisposedElement) {
  HandleTable<int> table;
  uint32_t a = table.Add(std::make_unique<int>(10), "int").value();
  uint32_t b = table.Add(std::make_unique<int>(20), "int").value();
  const uint32_t both[] = {b, a, b};
  auto all = table.GetEach(both, "recipients");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(*(*all)[0], 20);
  EXPECT_EQ(*(*all)[1], 10);
  EXPECT_EQ((*all)[2], (*all)[0]);
  const uint32_t stale[] = {a, 0, b + 7};
  auto bad = table.GetEach(stale, "recipients");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kDisposed);
  EXPECT_EQ(bad.status().message(), "recipients[1] was disposed");
  EXPECT_TRUE(table.GetEach(std::span<const uint32_t>(), "recipients")->empty());
}

TEST(MarshalMillis, OnlyExactSafeIntegers) {
  EXPECT_EQ(MillisFromNumber(1700000000000.0, "now").value(), 1700000000000);
  EXPECT_EQ(MillisFromNumber(-9007199254740991.0, "now").value(), -9007199254740991);
  EXPECT_EQ(MillisFromNumber(9007199254740991.0, "now").value(), 9007199254740991);
  EXPECT_EQ(MillisFromNumber(-0.0, "now").value(), 0);
  for (double bad :
       {9007199254740992.0, -9007199254740992.0, 0.5, std::nan(""),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    auto r = MillisFromNumber(bad, "options.now");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), "options.now is not an integer number of milliseconds");
  }
}

// Writes an argument block the way wasm/marshal.h documents it (independently
// of the TS writer, wasm/package/src/heap.ts).
class BlockBuilder {
 public:
  BlockBuilder& Region(std::string_view data) {
    slots_.push_back({ArgKind::kRegion, Bytes(data.begin(), data.end()), 0});
    return *this;
  }
  BlockBuilder& Region(const Bytes& data) {
    slots_.push_back({ArgKind::kRegion, data, 0});
    return *this;
  }
  BlockBuilder& U32(uint32_t v) {
    slots_.push_back({ArgKind::kU32, {}, v});
    return *this;
  }
  BlockBuilder& F64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    slots_.push_back({ArgKind::kF64, {}, bits});
    return *this;
  }
  // The block, in a buffer that stays alive with the builder.
  uint32_t Build() {
    const uint32_t count = static_cast<uint32_t>(slots_.size());
    uint32_t size = kArgHeaderSize + kArgSlotSize * count;
    std::vector<uint32_t> offsets;
    for (const Slot& s : slots_) {
      size = (size + 7) & ~7u;
      offsets.push_back(size);
      size += static_cast<uint32_t>(s.data.size());
    }
    buffer_ = AllocateBuffer(size);
    std::memset(buffer_.get(), 0, size);
    uint32_t kinds = 0;
    for (uint32_t i = 0; i < count; ++i) kinds |= static_cast<uint32_t>(slots_[i].kind) << (2 * i);
    Put32(0, count);
    Put32(4, kinds);
    Put32(8, size);
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t at = kArgHeaderSize + kArgSlotSize * i;
      const Slot& s = slots_[i];
      if (s.kind == ArgKind::kRegion) {
        Put32(at, offsets[i]);
        Put32(at + 4, static_cast<uint32_t>(s.data.size()));
        if (!s.data.empty()) std::memcpy(buffer_.get() + offsets[i], s.data.data(), s.data.size());
      } else if (s.kind == ArgKind::kU32) {
        Put32(at, static_cast<uint32_t>(s.value));
      } else {
        std::memcpy(buffer_.get() + at, &s.value, 8);
      }
    }
    return HeapAddress(buffer_.get());
  }

 private:
  struct Slot {
    ArgKind kind;
    Bytes data;
    uint64_t value;
  };
  void Put32(uint32_t at, uint32_t v) { std::memcpy(buffer_.get() + at, &v, 4); }
  std::vector<Slot> slots_;
  HeapBuffer buffer_;
};

TEST(MarshalArgs, ReadsEveryKindOfSlot) {
  Bytes words(12);
  const uint32_t handles[] = {7, 0x01020304, 0xffffffff};
  std::memcpy(words.data(), handles, sizeof handles);
  BlockBuilder b;
  b.U32(42).Region("text").F64(-1700000000000.0).Region(words).Region("").Region(Bytes{0, 255, 1});
  const ArgReader args(b.Build());
  EXPECT_EQ(args.count(), 6u);
  EXPECT_EQ(args.U32(0), 42u);
  EXPECT_EQ(args.Text(1), "text");
  EXPECT_EQ(args.F64(2), -1700000000000.0);
  EXPECT_EQ(args.Millis(2, "now").value(), -1700000000000);
  auto list = args.Words(3);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], 7u);
  EXPECT_EQ(list[1], 0x01020304u);
  EXPECT_EQ(list[2], 0xffffffffu);
  EXPECT_TRUE(args.Bytes(4).empty());
  EXPECT_EQ(Bytes(args.Bytes(5).begin(), args.Bytes(5).end()), (Bytes{0, 255, 1}));
  // A region the entry point writes into is inside the block, in place.
  EXPECT_EQ(args.Writable(5), args.Bytes(5).data());
  args.Writable(5)[1] = 9;
  EXPECT_EQ(args.Bytes(5)[1], 9);
}

TEST(MarshalArgs, SixteenSlotsAndAnEmptyBlock) {
  BlockBuilder b;
  for (uint32_t i = 0; i < kMaxArgSlots; ++i) b.U32(i * 3);
  const ArgReader args(b.Build());
  for (uint32_t i = 0; i < kMaxArgSlots; ++i) EXPECT_EQ(args.U32(i), i * 3);
  BlockBuilder none;
  EXPECT_EQ(ArgReader(none.Build()).count(), 0u);
}

TEST(MarshalArgs, MillisOfAFractionNamesTheArgument) {
  BlockBuilder b;
  b.F64(0.25);
  auto r = ArgReader(b.Build()).Millis(0, "created");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "created is not an integer number of milliseconds");
}

// What Keep() holds lives until the next Reset(); views into it and into
// other memory are forgotten, not wiped.
struct Tracked {
  explicit Tracked(int* destroyed) : destroyed(destroyed), text("kept text") {}
  Tracked(Tracked&& o) noexcept : destroyed(o.destroyed), text(std::move(o.text)) {
    o.destroyed = nullptr;
  }
  ~Tracked() {
    if (destroyed != nullptr) ++*destroyed;
  }
  int* destroyed;
  std::string text;
};

TEST(MarshalOutput, KeepHoldsUntilResetAndViewsAreNotWiped) {
  Output out;
  int destroyed = 0;
  const Tracked& kept = out.Keep(Tracked(&destroyed));
  out.SetView(0, std::string_view(kept.text));
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(HeapText(out.area()->ptr[0], out.area()->len[0]), "kept text");
  const Bytes elsewhere{1, 2, 3};
  out.SetView(1, ByteView(elsewhere));
  out.Reset();
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(elsewhere, (Bytes{1, 2, 3}));  // a view's memory is not the output's to wipe
  EXPECT_EQ(out.area()->ptr[0], 0u);
  EXPECT_EQ(out.area()->ptr[1], 0u);
  // A second Keep replaces the first.
  out.Keep(Tracked(&destroyed));
  out.Keep(Tracked(&destroyed));
  EXPECT_EQ(destroyed, 2);
  out.Fail(Status(ErrorCode::kMalformed, "m"));
  EXPECT_EQ(destroyed, 3);
}

TEST(MarshalOutput, FinishPublishesOrFails) {
  Output out;
  EXPECT_EQ(out.Finish(Status::Ok()), Ok());
  EXPECT_EQ(out.Finish(2, Result<Bytes>(Bytes{5, 6})), Ok());
  EXPECT_EQ(out.area()->len[2], 2u);
  EXPECT_EQ(out.Finish(Status(ErrorCode::kSignatureInvalid, "sig")),
            Code(ErrorCode::kSignatureInvalid));
  EXPECT_EQ(HeapText(out.area()->ptr[0], out.area()->len[0]), "sig");
  EXPECT_EQ(out.area()->len[2], 0u);
  EXPECT_EQ(out.Finish(1, Result<Bytes>(Status(ErrorCode::kInvalidArgument, "enc"))),
            Code(ErrorCode::kInvalidArgument));
  EXPECT_EQ(HeapText(out.area()->ptr[0], out.area()->len[0]), "enc");
  EXPECT_EQ(out.area()->len[1], 0u);
}

TEST(MarshalOutput, MillisAreExact) {
  Output out;
  out.SetMillis(9007199254740993);  // 2^53 + 1: no double holds it
  EXPECT_EQ(out.area()->millis, 9007199254740993);
  out.SetMillis(-1);
  EXPECT_EQ(out.area()->millis, -1);
  out.Reset();
  EXPECT_EQ(out.area()->millis, 0);
}

TEST(MarshalBytes, ConcatAndWords) {
  struct Item {
    Bytes id;
  };
  const std::vector<Item> items{{{1, 2}}, {{}}, {{3}}};
  EXPECT_EQ(ConcatBytes(items, &Item::id), (Bytes{1, 2, 3}));
  EXPECT_TRUE(ConcatBytes(std::vector<Item>{}, &Item::id).empty());
  EXPECT_EQ(WordBytes({1, 0x0a0b0c0d}), (Bytes{1, 0, 0, 0, 0x0d, 0x0c, 0x0b, 0x0a}));
}

}  // namespace
}  // namespace medseal::wasm
