// SPDX-License-Identifier: Apache-2.0
// core/base/secret.h: SecretBytes (move-only, zeroizing), RevealSecret,
// ConstantTimeEqual and SecureWipe.
#include "core/base/secret.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>
#include <utility>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

// The type's contract, checked at compile time: move-only, no implicit
// conversion to bytes or strings, and no operator== (equality must go through
// ConstantTimeEqual on revealed bytes).
static_assert(!std::is_copy_constructible_v<SecretBytes>);
static_assert(!std::is_copy_assignable_v<SecretBytes>);
static_assert(std::is_nothrow_move_constructible_v<SecretBytes>);
static_assert(std::is_nothrow_move_assignable_v<SecretBytes>);
static_assert(!std::is_convertible_v<SecretBytes, ByteView>);
static_assert(!std::is_convertible_v<const SecretBytes&, ByteView>);
static_assert(!std::is_convertible_v<SecretBytes, std::string>);
static_assert(!std::is_convertible_v<SecretBytes, Bytes>);
static_assert(!std::is_convertible_v<ByteView, SecretBytes>);  // explicit CopyFrom only
static_assert(!std::is_convertible_v<size_t, SecretBytes>);    // explicit size constructor
template <typename T>
concept EqualityComparable = requires(const T& a, const T& b) {
  a == b;
};
static_assert(!EqualityComparable<SecretBytes>);

Bytes Seq(size_t n, uint8_t first = 1) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(first + i);
  return b;
}

Bytes Revealed(const SecretBytes& s) {
  ByteView v = RevealSecret(s);
  return Bytes(v.begin(), v.end());
}

TEST(SecretBytes, DefaultIsEmpty) {
  SecretBytes s;
  EXPECT_EQ(s.size(), 0u);
  EXPECT_TRUE(s.empty());
  EXPECT_TRUE(RevealSecret(s).empty());
}

TEST(SecretBytes, SizedConstructorZeroFills) {
  SecretBytes s(48);
  EXPECT_EQ(s.size(), 48u);
  EXPECT_FALSE(s.empty());
  EXPECT_EQ(Revealed(s), Bytes(48, 0));
  SecretBytes zero(0);
  EXPECT_TRUE(zero.empty());
}

TEST(SecretBytes, RevealMutableSecretIsWhatRevealSecretShows) {
  SecretBytes s(4);
  uint8_t* p = RevealMutableSecret(s);
  for (uint8_t i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(0xa0 + i);
  EXPECT_EQ(Revealed(s), (Bytes{0xa0, 0xa1, 0xa2, 0xa3}));
  EXPECT_EQ(RevealSecret(s).data(), p);
}

TEST(SecretBytes, CopyFromCopies) {
  Bytes src = Seq(32);
  SecretBytes s = SecretBytes::CopyFrom(src);
  EXPECT_EQ(Revealed(s), src);
  EXPECT_NE(RevealSecret(s).data(), src.data());
  src[0] ^= 0xff;  // the caller's copy is independent
  EXPECT_EQ(Revealed(s), Seq(32));
  EXPECT_TRUE(SecretBytes::CopyFrom({}).empty());
}

TEST(SecretBytes, MoveConstructionEmptiesTheSource) {
  SecretBytes a = SecretBytes::CopyFrom(Seq(32));
  const uint8_t* buffer = RevealSecret(a).data();
  SecretBytes b(std::move(a));
  // The buffer moved (no copy left behind); the source is empty.
  EXPECT_EQ(RevealSecret(b).data(), buffer);
  EXPECT_EQ(Revealed(b), Seq(32));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(RevealSecret(a).empty());
  EXPECT_EQ(RevealSecret(a).data(), nullptr);
}

TEST(SecretBytes, MoveAssignmentEmptiesTheSourceAndReplacesTheTarget) {
  SecretBytes a = SecretBytes::CopyFrom(Seq(16, 0x10));
  SecretBytes b = SecretBytes::CopyFrom(Seq(40, 0x80));
  b = std::move(a);
  EXPECT_EQ(Revealed(b), Seq(16, 0x10));
  EXPECT_EQ(b.size(), 16u);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(RevealSecret(a).empty());
  // A moved-from object is reusable.
  a = SecretBytes::CopyFrom(Seq(3));
  EXPECT_EQ(Revealed(a), Seq(3));
}

TEST(SecretBytes, SelfMoveAssignmentKeepsTheValue) {
  SecretBytes a = SecretBytes::CopyFrom(Seq(8));
  SecretBytes& alias = a;
  a = std::move(alias);
  EXPECT_EQ(Revealed(a), Seq(8));
}

TEST(SecretBytes, MoveOfEmpty) {
  SecretBytes a;
  SecretBytes b(std::move(a));
  EXPECT_TRUE(b.empty());
  SecretBytes c = SecretBytes::CopyFrom(Seq(5));
  c = std::move(b);
  EXPECT_TRUE(c.empty());
}

TEST(ConstantTimeEqual, EqualAndUnequal) {
  Bytes a = Seq(64), b = Seq(64);
  EXPECT_TRUE(ConstantTimeEqual(a, b));
  // A difference in any single byte, in any bit, is seen.
  for (size_t i = 0; i < a.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes c = a;
      c[i] ^= static_cast<uint8_t>(1u << bit);
      EXPECT_FALSE(ConstantTimeEqual(a, c)) << "byte " << i << " bit " << bit;
      EXPECT_FALSE(ConstantTimeEqual(c, a));
    }
  }
}

TEST(ConstantTimeEqual, DifferentSizesAreUnequal) {
  Bytes a = Seq(32);
  EXPECT_FALSE(ConstantTimeEqual(a, ByteView(a).first(31)));
  EXPECT_FALSE(ConstantTimeEqual(ByteView(a).first(31), a));
  Bytes longer = a;
  longer.push_back(0);
  EXPECT_FALSE(ConstantTimeEqual(a, longer));  // a prefix is not equal
  EXPECT_FALSE(ConstantTimeEqual({}, a));
  EXPECT_FALSE(ConstantTimeEqual(a, {}));
}

TEST(ConstantTimeEqual, EmptyInputsAreEqual) {
  EXPECT_TRUE(ConstantTimeEqual({}, {}));
  Bytes empty;
  EXPECT_TRUE(ConstantTimeEqual(empty, ByteView()));
}

TEST(ConstantTimeEqual, OnRevealedSecrets) {
  SecretBytes a = SecretBytes::CopyFrom(Seq(32));
  SecretBytes b = SecretBytes::CopyFrom(Seq(32));
  SecretBytes c = SecretBytes::CopyFrom(Seq(32, 2));
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(a), RevealSecret(b)));
  EXPECT_FALSE(ConstantTimeEqual(RevealSecret(a), RevealSecret(c)));
}

TEST(SecureWipe, ZeroesBytesInPlace) {
  Bytes b = Seq(100);
  const uint8_t* data = b.data();
  SecureWipe(b);
  EXPECT_EQ(b, Bytes(100, 0));
  EXPECT_EQ(b.data(), data);  // same buffer, same size
  Bytes part = Seq(10);
  SecureWipe(part.data() + 2, 3);
  EXPECT_EQ(part, (Bytes{1, 2, 0, 0, 0, 6, 7, 8, 9, 10}));
  Bytes empty;
  SecureWipe(empty);  // no-op, no crash
  SecureWipe(nullptr, 0);
}

}  // namespace
}  // namespace medseal
