// SPDX-License-Identifier: Apache-2.0
// X-Wing (core/crypto/xwing.h): the three vectors of
// draft-connolly-cfrg-xwing-kem (external/pq/xwing/test-vectors.json) in
// both directions, and the checks medseal adds.
#include "core/crypto/xwing.h"

#include <gtest/gtest.h>

#include "core/crypto/mlkem.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

TEST(XWing, DraftVectorsBothDirections) {
  Json v = LoadVectorJson("external/pq/xwing/test-vectors.json");
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.size(), 3u);
  for (const Json& t : v) {
    const Bytes seed = Hex(t, "seed");
    Result<XWingPrivateKey> key = XWingPrivateKey::FromSeed(seed);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(HexEncode(key->public_key()), Str(t, "pk"));
    Result<XWingEncapsulation> enc = XWingEncapsulateDerand(Hex(t, "pk"), Hex(t, "eseed"));
    ASSERT_TRUE(enc.ok()) << enc.status().ToString();
    EXPECT_EQ(HexEncode(enc->ciphertext), Str(t, "ct"));
    EXPECT_EQ(HexEncode(RevealSecret(enc->shared_secret)), Str(t, "ss"));
    Result<SecretBytes> ss = key->Decapsulate(Hex(t, "ct"));
    ASSERT_TRUE(ss.ok()) << ss.status().ToString();
    EXPECT_EQ(HexEncode(RevealSecret(*ss)), Str(t, "ss"));
  }
}

TEST(XWing, RejectsBadSizesAndLowOrderX25519) {
  Json v = LoadVectorJson("external/pq/xwing/test-vectors.json");
  const Bytes pk = Hex(v[0], "pk");
  const Bytes eseed = Hex(v[0], "eseed");
  EXPECT_EQ(XWingEncapsulateDerand(ByteView(pk).first(1215), eseed).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(XWingEncapsulateDerand(pk, ByteView(eseed).first(63)).status().code(),
            ErrorCode::kInvalidArgument);
  Bytes low = pk;
  std::fill(low.end() - 32, low.end(), 0);  // X25519 part: the point 0 (small order)
  EXPECT_EQ(CheckXWingPublicKey(low).code(), ErrorCode::kWeakKey);
  Bytes unreduced = pk;
  unreduced[0] = 0xff;
  unreduced[1] |= 0x0f;  // first coefficient 4095 >= q
  EXPECT_EQ(CheckXWingPublicKey(unreduced).code(), ErrorCode::kInvalidKey);
  Result<XWingPrivateKey> key = XWingPrivateKey::FromSeed(Hex(v[0], "seed"));
  ASSERT_TRUE(key.ok());
  Bytes ct = Hex(v[0], "ct");
  std::fill(ct.end() - 32, ct.end(), 0);
  EXPECT_EQ(key->Decapsulate(ct).status().code(), ErrorCode::kWeakKey);
  EXPECT_EQ(key->Decapsulate(ByteView(ct).first(1119)).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(XWingPrivateKey::FromSeed(ByteView(Hex(v[0], "seed")).first(31)).status().code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal
