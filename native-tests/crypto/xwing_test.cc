// SPDX-License-Identifier: Apache-2.0
// X-Wing (core/crypto/xwing.h): the three vectors of
// draft-connolly-cfrg-xwing-kem (external/pq/xwing/test-vectors.json) in
// both directions, and the checks medseal adds.
#include "core/crypto/xwing.h"

#include <gtest/gtest.h>

#include <algorithm>

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

// draft-ietf-hpke-pq's two MLKEM768-X25519 vectors (KEM 0x647a, the age
// suite HKDF-SHA256/ChaCha20Poly1305 and SHAKE256/ChaCha20Poly1305): skRm
// is the 32-byte X-Wing seed, ikmE the 64-byte EncapsDerand randomness.
// The KEM part only (the key schedule is HPKE's, not this unit's).
TEST(XWing, HpkePqVectors) {
  Json v = LoadVectorJson("external/pq/hpke-pq/test-vectors.json");
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.size(), 13u);
  size_t n = 0;
  for (const Json& t : v) {
    if (t.at("kem_id").get<int>() != 0x647a) continue;
    ++n;
    Result<XWingPrivateKey> key = XWingPrivateKey::FromSeed(Hex(t, "skRm"));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(HexEncode(key->public_key()), Str(t, "pkRm"));
    Result<Bytes> pk = XWingPublicKey(Hex(t, "skRm"));
    ASSERT_TRUE(pk.ok());
    EXPECT_EQ(HexEncode(*pk), Str(t, "pkRm"));
    EXPECT_TRUE(CheckXWingPublicKey(*pk).ok());
    Result<XWingEncapsulation> enc = XWingEncapsulateDerand(Hex(t, "pkRm"), Hex(t, "ikmE"));
    ASSERT_TRUE(enc.ok()) << enc.status().ToString();
    EXPECT_EQ(HexEncode(enc->ciphertext), Str(t, "enc"));
    EXPECT_EQ(HexEncode(RevealSecret(enc->shared_secret)), Str(t, "shared_secret"));
    Result<SecretBytes> ss = key->Decapsulate(Hex(t, "enc"));
    ASSERT_TRUE(ss.ok()) << ss.status().ToString();
    EXPECT_EQ(HexEncode(RevealSecret(*ss)), Str(t, "shared_secret"));
  }
  EXPECT_EQ(n, 2u);
}

TEST(XWing, DrawsExactlyTheSeedAndTheEncapsulationSeedFromTheRng) {
  CountingRng rng;
  Result<XWingPrivateKey> key = XWingPrivateKey::Generate(rng);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(rng.calls(), 1u);
  EXPECT_EQ(rng.bytes(), kXWingSeedSize);
  EXPECT_EQ(HexEncode(RevealSecret(key->seed())), HexEncode(Counting(0, 32)));
  Result<XWingPrivateKey> same = XWingPrivateKey::FromSeed(Counting(0, 32));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(key->public_key(), same->public_key());

  Result<XWingEncapsulation> enc = XWingEncapsulate(key->public_key(), rng);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(rng.calls(), 2u);
  EXPECT_EQ(rng.bytes(), kXWingSeedSize + kXWingEncapsSeedSize);
  Result<XWingEncapsulation> derand = XWingEncapsulateDerand(key->public_key(), Counting(32, 64));
  ASSERT_TRUE(derand.ok());
  EXPECT_EQ(enc->ciphertext, derand->ciphertext);
  Result<SecretBytes> ss = key->Decapsulate(enc->ciphertext);
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(HexEncode(RevealSecret(*ss)), HexEncode(RevealSecret(enc->shared_secret)));

  // A refused key draws nothing.
  Bytes low = key->public_key();
  std::fill(low.end() - 32, low.end(), 0);
  EXPECT_EQ(XWingEncapsulate(low, rng).status().code(), ErrorCode::kWeakKey);
  EXPECT_EQ(XWingEncapsulate(Bytes(10, 0), rng).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(rng.calls(), 2u);
}

TEST(XWing, WrongCiphertextGivesAnotherSecretNotAnError) {
  // ML-KEM's implicit rejection survives the combiner: a changed ML-KEM
  // part or a changed X25519 part gives a different secret.
  Json v = LoadVectorJson("external/pq/xwing/test-vectors.json");
  Result<XWingPrivateKey> key = XWingPrivateKey::FromSeed(Hex(v[1], "seed"));
  ASSERT_TRUE(key.ok());
  for (size_t at : {0u, 1087u, 1088u, 1118u}) {
    Bytes ct = Hex(v[1], "ct");
    ct[at] ^= 0x02;
    Result<SecretBytes> ss = key->Decapsulate(ct);
    ASSERT_TRUE(ss.ok()) << at << " " << ss.status().ToString();
    EXPECT_NE(HexEncode(RevealSecret(*ss)), Str(v[1], "ss")) << at;
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
  for (size_t n : {0u, 33u}) {
    EXPECT_EQ(XWingPrivateKey::FromSeed(Bytes(n, 1)).status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(XWingPublicKey(Bytes(n, 1)).status().code(), ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 1215u, 1217u}) {
    EXPECT_EQ(CheckXWingPublicKey(Bytes(n, 0)).code(), ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(key->Decapsulate(Bytes(1121, 0)).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(key->Decapsulate({}).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(XWingEncapsulateDerand(pk, Bytes(65, 0)).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(XWingEncapsulateDerand(unreduced, eseed).status().code(), ErrorCode::kInvalidKey);
  EXPECT_EQ(XWingEncapsulateDerand(low, eseed).status().code(), ErrorCode::kWeakKey);
}

}  // namespace
}  // namespace medseal
