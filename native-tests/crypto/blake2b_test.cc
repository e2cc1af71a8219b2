// SPDX-License-Identifier: Apache-2.0
// BLAKE2b (core/crypto/blake2b.h): every entry of the official KAT and RFC 7693.
// BLAKE2: https://github.com/BLAKE2/BLAKE2/blob/ed1974ea83433eba7b2d95c5dcd9ac33cb847913/testvectors/blake2-kat.json
#include "core/crypto/blake2b.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

// ---------------------------------------------------------------------------
// BLAKE2b: official KAT (blake2b-kat.json, 512 entries)
// ---------------------------------------------------------------------------

TEST(Blake2bKat, EveryEntry) {
  Json kat = LoadVectorJson("external/blake2/blake2b-kat.json");
  ASSERT_TRUE(kat.is_array());
  size_t keyed = 0, unkeyed = 0, index = 0;
  for (const Json& e : kat) {
    SCOPED_TRACE(::testing::Message() << "entry " << index++);
    EXPECT_EQ(Str(e, "hash"), "blake2b");
    Bytes in = Hex(e, "in"), key = Hex(e, "key"), out = Hex(e, "out");
    ++(key.empty() ? unkeyed : keyed);
    auto got = Blake2b(out.size(), key, in);
    ASSERT_OK(got);
    EXPECT_EQ(HexEncode(*got), HexEncode(out));
  }
  // 256 inputs (0..255 bytes) unkeyed and 256 keyed with 00 01 .. 3f.
  EXPECT_EQ(kat.size(), 512u);
  EXPECT_EQ(unkeyed, 256u);
  EXPECT_EQ(keyed, 256u);
}

// RFC 7693 Appendix A: BLAKE2b-512("abc").
TEST(Blake2b, Rfc7693AppendixA) {
  auto got = Blake2b(64, {}, AsBytes("abc"));
  ASSERT_OK(got);
  EXPECT_EQ(HexEncode(*got),
            "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
            "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923");
}

TEST(Blake2b, RejectsBadSizes) {
  EXPECT_CODE(Blake2b(0, {}, {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Blake2b(kBlake2bMinOutput - 1, {}, {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Blake2b(kBlake2bMaxOutput + 1, {}, {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Blake2b(32, Bytes(kBlake2bMaxKey + 1), {}), ErrorCode::kInvalidArgument);
  for (size_t n = kBlake2bMinOutput; n <= kBlake2bMaxOutput; ++n) {
    auto got = Blake2b(n, Bytes(kBlake2bMaxKey, 1), AsBytes("x"));
    ASSERT_OK(got);
    EXPECT_EQ(got->size(), n);
  }
}

// Derived keys come out as SecretBytes with the same value as Blake2b.
TEST(Blake2b, DeriveKeyEqualsBlake2bInASecret) {
  const Bytes key(32, 7), msg = ToBytes("medseal/v1/test");
  auto secret = Blake2bDeriveKey(32, key, msg);
  ASSERT_OK(secret);
  auto plain = Blake2b(32, key, msg);
  ASSERT_OK(plain);
  EXPECT_EQ(ToVec(RevealSecret(*secret)), *plain);
  EXPECT_CODE(Blake2bDeriveKey(15, key, msg), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Blake2bDeriveKey(65, key, msg), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Blake2bDeriveKey(32, Bytes(65, 1), msg), ErrorCode::kInvalidArgument);
}

// The hash of parts is the hash of their concatenation, for every split.
TEST(Blake2b, ConcatEqualsHashOfTheConcatenation) {
  Bytes all(300);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i * 13);
  const Bytes whole = *Blake2b(64, {}, all);
  for (size_t cut = 0; cut <= all.size(); cut += 7) {
    ByteView v(all);
    EXPECT_EQ(Blake2bConcat(64, {v.first(cut), v.subspan(cut)}), whole) << cut;
  }
  EXPECT_EQ(Blake2bConcat(16, {}), *Blake2b(16, {}, {}));
}

}  // namespace
}  // namespace medseal
