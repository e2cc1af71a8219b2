// SPDX-License-Identifier: Apache-2.0
// HPKE base mode with MLKEM768-X25519 / HKDF-SHA256 / ChaCha20Poly1305
// (core/crypto/hpke.h): every field of the hpke-pq vector for that suite
// (external/pq/hpke-pq/test-vectors.json, hpkewg/hpke-pq @ 74dafaa):
// DeriveKeyPair(ikmR), the encapsulation with ikmE, shared_secret, suite_id,
// key, base_nonce, exporter_secret, all ten encryptions (sequence numbers
// 0..9, sender and receiver) and all five exports; then the error paths.
#include "core/crypto/hpke.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/codec/hex.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

// The one vector of the age suite (there is exactly one).
Json AgeSuiteVector() {
  const Json all = LoadVectorJson("external/pq/hpke-pq/test-vectors.json");
  EXPECT_TRUE(all.is_array());
  EXPECT_EQ(all.size(), 13u) << "the copied file has 13 vectors";
  std::vector<Json> found;
  for (const Json& v : all) {
    if (v.at("kem_id").get<int>() == kHpkeKemMlkem768X25519 &&
        v.at("kdf_id").get<int>() == kHpkeKdfHkdfSha256 &&
        v.at("aead_id").get<int>() == kHpkeAeadChaCha20Poly1305) {
      found.push_back(v);
    }
  }
  EXPECT_EQ(found.size(), 1u);
  return found.empty() ? Json::object() : found[0];
}

TEST(Hpke, SuiteVectorKeyScheduleAndEncapsulation) {
  const Json v = AgeSuiteVector();
  ASSERT_FALSE(v.empty());
  ASSERT_EQ(v.at("mode").get<int>(), 0);
  EXPECT_EQ(HexEncode(HpkeSuiteId()), Str(v, "suite_id"));

  // DeriveKeyPair(ikmR) -> skRm (the X-Wing seed) -> pkRm.
  const SecretBytes seed = HpkeDeriveXWingSeed(Hex(v, "ikmR"));
  EXPECT_EQ(HexEncode(RevealSecret(seed)), Str(v, "skRm"));
  Result<XWingPrivateKey> sk = XWingPrivateKey::FromSeed(Hex(v, "skRm"));
  ASSERT_TRUE(sk.ok()) << sk.status().ToString();
  EXPECT_EQ(HexEncode(sk->public_key()), Str(v, "pkRm"));

  // Sender: SetupBaseS with ikmE as the encapsulation randomness.
  const Bytes info = Hex(v, "info");
  Result<HpkeSender> s = HpkeSetupBaseSDerand(Hex(v, "pkRm"), info, Hex(v, "ikmE"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(HexEncode(s->enc), Str(v, "enc"));
  EXPECT_EQ(HexEncode(RevealSecret(s->context.key())), Str(v, "key"));
  EXPECT_EQ(HexEncode(s->context.base_nonce()), Str(v, "base_nonce"));
  EXPECT_EQ(HexEncode(RevealSecret(s->context.exporter_secret())), Str(v, "exporter_secret"));

  // Receiver: the shared secret from enc, and the same schedule.
  Result<SecretBytes> ss = sk->Decapsulate(Hex(v, "enc"));
  ASSERT_TRUE(ss.ok());
  EXPECT_EQ(HexEncode(RevealSecret(*ss)), Str(v, "shared_secret"));
  Result<HpkeContext> direct = HpkeContext::FromSharedSecret(Hex(v, "shared_secret"), info);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(HexEncode(RevealSecret(direct->key())), Str(v, "key"));
  Result<HpkeContext> r = HpkeSetupBaseR(Hex(v, "enc"), *sk, info);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(HexEncode(RevealSecret(r->key())), Str(v, "key"));
  EXPECT_EQ(HexEncode(r->base_nonce()), Str(v, "base_nonce"));
  EXPECT_EQ(HexEncode(RevealSecret(r->exporter_secret())), Str(v, "exporter_secret"));

  // Every encryption, in sequence order, both ways.
  const Json& encryptions = v.at("encryptions");
  ASSERT_EQ(encryptions.size(), 10u);
  for (size_t i = 0; i < encryptions.size(); ++i) {
    SCOPED_TRACE(i);
    const Json& e = encryptions[i];
    EXPECT_EQ(s->context.sequence(), i);
    EXPECT_EQ(HexEncode(s->context.CurrentNonce()), Str(e, "nonce"));
    EXPECT_EQ(HexEncode(r->CurrentNonce()), Str(e, "nonce"));
    Result<Bytes> ct = s->context.Seal(Hex(e, "aad"), Hex(e, "pt"));
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(HexEncode(*ct), Str(e, "ct"));
    Result<SecretBytes> pt = r->Open(Hex(e, "aad"), Hex(e, "ct"));
    ASSERT_TRUE(pt.ok()) << pt.status().ToString();
    EXPECT_EQ(HexEncode(RevealSecret(*pt)), Str(e, "pt"));
  }
  EXPECT_EQ(r->sequence(), 10u);

  // Every export, from both contexts.
  const Json& exports = v.at("exports");
  ASSERT_EQ(exports.size(), 5u);
  for (const Json& x : exports) {
    const size_t length = x.at("L").get<size_t>();
    Result<SecretBytes> a = s->context.Export(Hex(x, "exporter_context"), length);
    Result<SecretBytes> b = r->Export(Hex(x, "exporter_context"), length);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(HexEncode(RevealSecret(*a)), Str(x, "exported_value"));
    EXPECT_EQ(HexEncode(RevealSecret(*b)), Str(x, "exported_value"));
  }
}

TEST(Hpke, OpenFailsOnAnyChangeAndDoesNotAdvance) {
  const Json v = AgeSuiteVector();
  ASSERT_FALSE(v.empty());
  Result<XWingPrivateKey> sk = XWingPrivateKey::FromSeed(Hex(v, "skRm"));
  ASSERT_TRUE(sk.ok());
  const Json& e0 = v.at("encryptions")[0];
  Result<HpkeContext> r = HpkeSetupBaseR(Hex(v, "enc"), *sk, Hex(v, "info"));
  ASSERT_TRUE(r.ok());
  Bytes ct = Hex(e0, "ct");
  ct[3] ^= 1;
  EXPECT_CODE(r->Open(Hex(e0, "aad"), ct), ErrorCode::kDecryptFailed);
  EXPECT_CODE(r->Open({}, Hex(e0, "ct")), ErrorCode::kDecryptFailed);
  EXPECT_CODE(r->Open(Hex(e0, "aad"), ByteView(ct).first(15)), ErrorCode::kDecryptFailed);
  EXPECT_EQ(r->sequence(), 0u);
  EXPECT_OK(r->Open(Hex(e0, "aad"), Hex(e0, "ct")));
  // Now at sequence 1: a replay of message 0 does not open.
  EXPECT_CODE(r->Open(Hex(e0, "aad"), Hex(e0, "ct")), ErrorCode::kDecryptFailed);

  // Another info, another key.
  Result<SecretBytes> other = HpkeOpenBase(Hex(v, "enc"), *sk, AsBytes("other info"),
                                           Hex(e0, "aad"), Hex(e0, "ct"));
  EXPECT_CODE(other, ErrorCode::kDecryptFailed);
  // A changed enc (ML-KEM part): implicit rejection gives another secret.
  Bytes enc = Hex(v, "enc");
  enc[0] ^= 0x80;
  EXPECT_CODE(HpkeOpenBase(enc, *sk, Hex(v, "info"), Hex(e0, "aad"), Hex(e0, "ct")),
              ErrorCode::kDecryptFailed);
}

TEST(Hpke, SingleShotRoundTripAndBadInput) {
  SodiumRng rng;
  Result<XWingPrivateKey> sk = XWingPrivateKey::Generate(rng);
  ASSERT_TRUE(sk.ok());
  const Bytes info = ToBytes("age-encryption.org/mlkem768x25519");
  const Bytes pt = ToBytes("YELLOW SUBMARINE");
  Result<HpkeSealed> sealed = HpkeSealBase(sk->public_key(), info, {}, pt, rng);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->enc.size(), kHpkeEncSize);
  EXPECT_EQ(sealed->ciphertext.size(), pt.size() + kHpkeTagSize);
  Result<SecretBytes> opened = HpkeOpenBase(sealed->enc, *sk, info, {}, sealed->ciphertext);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(ToVec(RevealSecret(*opened)), pt);
  // Fresh randomness: a second seal differs.
  Result<HpkeSealed> again = HpkeSealBase(sk->public_key(), info, {}, pt, rng);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->enc, sealed->enc);

  // Sizes and keys.
  EXPECT_CODE(HpkeSetupBaseR(ByteView(sealed->enc).first(1119), *sk, info),
              ErrorCode::kInvalidArgument);
  Bytes long_enc = sealed->enc;
  long_enc.push_back(0);
  EXPECT_CODE(HpkeSetupBaseR(long_enc, *sk, info), ErrorCode::kInvalidArgument);
  Bytes low = sealed->enc;
  std::fill(low.end() - 32, low.end(), 0);  // the X25519 share 0: all-zero output
  EXPECT_CODE(HpkeSetupBaseR(low, *sk, info), ErrorCode::kWeakKey);
  Bytes weak_pk = sk->public_key();
  std::fill(weak_pk.end() - 32, weak_pk.end(), 0);
  EXPECT_CODE(HpkeSealBase(weak_pk, info, {}, pt, rng), ErrorCode::kWeakKey);
  Bytes unreduced = sk->public_key();
  unreduced[0] = 0xff;
  unreduced[1] |= 0x0f;
  EXPECT_CODE(HpkeSealBase(unreduced, info, {}, pt, rng), ErrorCode::kInvalidKey);
  EXPECT_CODE(HpkeSealBase(ByteView(sk->public_key()).first(1215), info, {}, pt, rng),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(HpkeSetupBaseSDerand(sk->public_key(), info, Bytes(63)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(HpkeContext::FromSharedSecret(Bytes(31), info), ErrorCode::kInvalidArgument);

  // Export bounds.
  Result<HpkeContext> r = HpkeSetupBaseR(sealed->enc, *sk, info);
  ASSERT_TRUE(r.ok());
  EXPECT_CODE(r->Export({}, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(r->Export({}, kHpkeMaxExportSize + 1), ErrorCode::kInvalidArgument);
  Result<SecretBytes> longest = r->Export({}, kHpkeMaxExportSize);
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->size(), kHpkeMaxExportSize);
  // A prefix property of HKDF-Expand: a shorter export is not a prefix here,
  // because L is part of the labeled info.
  Result<SecretBytes> short_one = r->Export({}, 32);
  ASSERT_TRUE(short_one.ok());
  EXPECT_NE(HexEncode(RevealSecret(*short_one)), HexEncode(RevealSecret(*longest).first(32)));
}

TEST(Hpke, DeriveKeyPairTakesAnyIkmLength) {
  // Deterministic, and the ikm changes the seed.
  const SecretBytes a = HpkeDeriveXWingSeed({});
  const SecretBytes b = HpkeDeriveXWingSeed({});
  const SecretBytes c = HpkeDeriveXWingSeed(Bytes(1000, 7));
  EXPECT_EQ(a.size(), kXWingSeedSize);
  EXPECT_EQ(HexEncode(RevealSecret(a)), HexEncode(RevealSecret(b)));
  EXPECT_NE(HexEncode(RevealSecret(a)), HexEncode(RevealSecret(c)));
}

}  // namespace
}  // namespace medseal
