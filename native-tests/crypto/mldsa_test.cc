// SPDX-License-Identifier: Apache-2.0
// ML-DSA-44 (core/crypto/mldsa.h) against every case of the three
// Wycheproof ML-DSA-44 files (external/wycheproof/, commit and SHA-256 in
// its README.md), the secret-key check core adds, and the randomness
// drawn from the injected Rng.
//
// PQClean has pure ML-DSA with a context (Sign / Verify) but no external-mu
// or Sign_internal entry point. The Wycheproof cases flagged "Internal"
// carry only mu (no message): they cannot be run through core's API and
// are skipped, one by one, counted below (8 in sign_seed, 7 in
// sign_noseed); every other case is run.
#include "core/crypto/mldsa.h"

#include <gtest/gtest.h>

#include <string>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

// The "ctx" member when present (the context string), else empty.
Bytes Context(const Json& t) { return t.contains("ctx") ? Hex(t, "ctx") : Bytes{}; }

// An Rng that hands out fixed bytes and counts what was drawn.
class FixedRng final : public Rng {
 public:
  explicit FixedRng(Bytes bytes) : bytes_(std::move(bytes)) {}
  void Fill(uint8_t* out, size_t size) override {
    ++calls_;
    drawn_ += size;
    for (size_t i = 0; i < size; ++i) out[i] = pos_ < bytes_.size() ? bytes_[pos_++] : 0xee;
  }
  size_t calls() const { return calls_; }
  size_t drawn() const { return drawn_; }

 private:
  Bytes bytes_;
  size_t pos_ = 0, calls_ = 0, drawn_ = 0;
};

// mldsa_44_verify_test.json, all 180: valid -> OK; a public key of the
// wrong length or a context over 255 bytes -> kInvalidArgument; every
// other invalid signature (wrong length included) -> kSignatureInvalid.
TEST(Wycheproof, MlDsa44Verify) {
  Json file = LoadVectorJson("external/wycheproof/mldsa_44_verify_test.json");
  size_t valid = 0, bad_argument = 0, bad_signature = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-DSA-44", "mldsa_verify_schema.json", [&](const Json& group, const Json& t) {
        const Bytes pk = Hex(group, "publicKey");
        const Status s = MlDsa44Verify(pk, Hex(t, "msg"), Context(t), Hex(t, "sig"));
        if (Str(t, "result") == "valid") {
          ++valid;
          EXPECT_OK(s);
        } else if (HasFlag(t, "IncorrectPublicKeyLength") || HasFlag(t, "InvalidContext")) {
          ++bad_argument;
          EXPECT_TRUE(pk.size() != kMlDsa44PublicKeySize || Context(t).size() > 255);
          EXPECT_CODE(s, ErrorCode::kInvalidArgument);
        } else {
          ++bad_signature;
          EXPECT_CODE(s, ErrorCode::kSignatureInvalid);
        }
      });
  EXPECT_EQ(total, 180u);
  EXPECT_EQ(valid, 77u);
  EXPECT_EQ(bad_argument, 9u);
  EXPECT_EQ(bad_signature, 94u);
}

// mldsa_44_sign_seed_test.json: the key pair from the 32-byte seed must
// give the group's public key; each case's signature is made with rnd = 0
// (deterministic), or with the case's rnd through the Rng (hedged, the one
// "Randomized" case), must equal `sig` byte for byte and must verify.
// Seeds of the wrong length and contexts over 255 bytes are refused.
TEST(Wycheproof, MlDsa44SignFromSeed) {
  Json file = LoadVectorJson("external/wycheproof/mldsa_44_sign_seed_test.json");
  size_t deterministic = 0, hedged = 0, bad_seed = 0, bad_context = 0, skipped_internal = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-DSA-44", "mldsa_sign_seed_schema.json", [&](const Json& group, const Json& t) {
        if (HasFlag(t, "Internal")) {
          ++skipped_internal;  // mu only: needs Sign_internal / external mu
          EXPECT_FALSE(t.contains("msg"));
          return;
        }
        const Bytes seed = Hex(group, "privateSeed");
        Result<MlDsa44KeyPair> pair = MlDsa44KeyPairFromSeed(seed);
        if (HasFlag(t, "IncorrectPrivateKeyLength")) {
          ++bad_seed;
          EXPECT_EQ(Str(t, "result"), "invalid");
          EXPECT_CODE(pair, ErrorCode::kInvalidArgument);
          return;
        }
        ASSERT_OK(pair);
        EXPECT_EQ(HexEncode(pair->public_key), Str(group, "publicKey"));
        const Bytes msg = Hex(t, "msg");
        const Bytes ctx = Context(t);
        const ByteView sk = RevealSecret(pair->secret_key);
        if (HasFlag(t, "InvalidContext")) {
          ++bad_context;
          EXPECT_EQ(Str(t, "result"), "invalid");
          EXPECT_GT(ctx.size(), kMlDsaMaxContextSize);
          EXPECT_CODE(MlDsa44SignDeterministic(sk, msg, ctx), ErrorCode::kInvalidArgument);
          return;
        }
        EXPECT_EQ(Str(t, "result"), "valid");
        Result<Bytes> sig = Bytes{};
        if (t.contains("rnd")) {
          ++hedged;
          FixedRng rng(Hex(t, "rnd"));
          sig = MlDsa44Sign(sk, msg, ctx, rng);
          EXPECT_EQ(rng.drawn(), 32u);
        } else {
          ++deterministic;
          sig = MlDsa44SignDeterministic(sk, msg, ctx);
        }
        ASSERT_OK(sig);
        EXPECT_EQ(HexEncode(*sig), Str(t, "sig"));
        EXPECT_OK(MlDsa44Verify(pair->public_key, msg, ctx, *sig));
      });
  EXPECT_EQ(total, 86u);
  EXPECT_EQ(deterministic, 73u);
  EXPECT_EQ(hedged, 1u);
  EXPECT_EQ(bad_seed, 3u);
  EXPECT_EQ(bad_context, 1u);
  EXPECT_EQ(skipped_internal, 8u);
}

// mldsa_44_sign_noseed_test.json: the same with the given 2560-byte
// expanded secret key. Keys of the wrong length: kInvalidArgument; keys
// whose s1 or s2 has a coefficient out of [-2, 2]: kInvalidKey (the check
// core adds; PQClean would sign with them).
TEST(Wycheproof, MlDsa44SignWithExpandedKey) {
  Json file = LoadVectorJson("external/wycheproof/mldsa_44_sign_noseed_test.json");
  size_t deterministic = 0, hedged = 0, bad_length = 0, bad_key = 0, bad_context = 0,
         skipped_internal = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-DSA-44", "mldsa_sign_noseed_schema.json", [&](const Json& group, const Json& t) {
        if (HasFlag(t, "Internal")) {
          ++skipped_internal;  // mu only: needs Sign_internal / external mu
          EXPECT_FALSE(t.contains("msg"));
          return;
        }
        const Bytes sk = Hex(group, "privateKey");
        const Bytes msg = Hex(t, "msg");
        const Bytes ctx = Context(t);
        if (Str(t, "result") == "invalid") {
          Result<Bytes> sig = MlDsa44SignDeterministic(sk, msg, ctx);
          if (HasFlag(t, "IncorrectPrivateKeyLength")) {
            ++bad_length;
            EXPECT_CODE(sig, ErrorCode::kInvalidArgument);
            EXPECT_CODE(CheckMlDsa44SecretKey(sk), ErrorCode::kInvalidArgument);
          } else if (HasFlag(t, "InvalidPrivateKey")) {
            ++bad_key;
            EXPECT_CODE(sig, ErrorCode::kInvalidKey);
            EXPECT_CODE(CheckMlDsa44SecretKey(sk), ErrorCode::kInvalidKey);
            FixedRng rng(Bytes(32, 1));
            EXPECT_CODE(MlDsa44Sign(sk, msg, ctx, rng), ErrorCode::kInvalidKey);
            EXPECT_EQ(rng.calls(), 0u) << "a refused key draws nothing";
          } else {
            ++bad_context;
            EXPECT_TRUE(HasFlag(t, "InvalidContext"));
            EXPECT_CODE(sig, ErrorCode::kInvalidArgument);
          }
          return;
        }
        EXPECT_OK(CheckMlDsa44SecretKey(sk));
        Result<Bytes> sig = Bytes{};
        if (t.contains("rnd")) {
          ++hedged;
          FixedRng rng(Hex(t, "rnd"));
          sig = MlDsa44Sign(sk, msg, ctx, rng);
        } else {
          ++deterministic;
          sig = MlDsa44SignDeterministic(sk, msg, ctx);
        }
        ASSERT_OK(sig);
        EXPECT_EQ(HexEncode(*sig), Str(t, "sig"));
        EXPECT_OK(MlDsa44Verify(Hex(group, "publicKey"), msg, ctx, *sig));
      });
  EXPECT_EQ(total, 73u);
  EXPECT_EQ(deterministic, 60u);
  EXPECT_EQ(hedged, 1u);
  EXPECT_EQ(bad_length, 2u);
  EXPECT_EQ(bad_key, 2u);
  EXPECT_EQ(bad_context, 1u);
  EXPECT_EQ(skipped_internal, 7u);
}

// --- Randomness, sizes, the key check ------------------------------------------

Bytes Seq(uint8_t from, size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(from + i);
  return b;
}

TEST(MlDsa44, KeyGenerationDrawsExactlyTheSeed) {
  FixedRng rng(Seq(0, 32));
  Result<MlDsa44KeyPair> pair = MlDsa44Generate(rng);
  ASSERT_OK(pair);
  EXPECT_EQ(rng.calls(), 1u);
  EXPECT_EQ(rng.drawn(), kMlDsa44SeedSize);
  Result<MlDsa44KeyPair> same = MlDsa44KeyPairFromSeed(Seq(0, 32));
  ASSERT_OK(same);
  EXPECT_EQ(pair->public_key, same->public_key);
  EXPECT_EQ(pair->public_key.size(), kMlDsa44PublicKeySize);
  EXPECT_EQ(pair->secret_key.size(), kMlDsa44SecretKeySize);
}

TEST(MlDsa44, HedgedSigningDrawsExactly32BytesAndUsesThem) {
  Result<MlDsa44KeyPair> pair = MlDsa44KeyPairFromSeed(Seq(7, 32));
  ASSERT_OK(pair);
  const ByteView sk = RevealSecret(pair->secret_key);
  const Bytes msg = Seq(100, 50);
  FixedRng a(Seq(1, 32)), b(Seq(1, 32)), c(Seq(2, 32)), zero(Bytes(32, 0));
  Result<Bytes> sa = MlDsa44Sign(sk, msg, {}, a);
  Result<Bytes> sb = MlDsa44Sign(sk, msg, {}, b);
  Result<Bytes> sc = MlDsa44Sign(sk, msg, {}, c);
  Result<Bytes> sz = MlDsa44Sign(sk, msg, {}, zero);
  ASSERT_OK(sa);
  ASSERT_OK(sb);
  ASSERT_OK(sc);
  ASSERT_OK(sz);
  for (const FixedRng* r : {&a, &b, &c, &zero}) {
    EXPECT_EQ(r->calls(), 1u);
    EXPECT_EQ(r->drawn(), 32u);
  }
  EXPECT_EQ(*sa, *sb);  // the same rnd, the same signature
  EXPECT_NE(*sa, *sc);  // rnd is used
  Result<Bytes> det = MlDsa44SignDeterministic(sk, msg, {});
  ASSERT_OK(det);
  EXPECT_EQ(*det, *sz);  // deterministic = hedged with rnd = 0^32
  for (const Bytes* s : {&*sa, &*sc, &*det})
    EXPECT_OK(MlDsa44Verify(pair->public_key, msg, {}, *s));
}

TEST(MlDsa44, ContextBindsTheSignature) {
  Result<MlDsa44KeyPair> pair = MlDsa44KeyPairFromSeed(Seq(9, 32));
  ASSERT_OK(pair);
  const ByteView sk = RevealSecret(pair->secret_key);
  const Bytes msg = Seq(0, 20), ctx = Seq(50, 255);
  Result<Bytes> sig = MlDsa44SignDeterministic(sk, msg, ctx);
  ASSERT_OK(sig);
  EXPECT_OK(MlDsa44Verify(pair->public_key, msg, ctx, *sig));
  EXPECT_CODE(MlDsa44Verify(pair->public_key, msg, {}, *sig), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(MlDsa44Verify(pair->public_key, msg, ByteView(ctx).first(254), *sig),
              ErrorCode::kSignatureInvalid);
  Bytes other = msg;
  other[0] ^= 1;
  EXPECT_CODE(MlDsa44Verify(pair->public_key, other, ctx, *sig), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(MlDsa44Verify(pair->public_key, msg, Bytes(256, 0), *sig),
              ErrorCode::kInvalidArgument);
  // An empty message and an empty context are fine (no null pointers reach
  // PQClean; UBSan checks that).
  Result<Bytes> empty = MlDsa44SignDeterministic(sk, {}, {});
  ASSERT_OK(empty);
  EXPECT_OK(MlDsa44Verify(pair->public_key, {}, {}, *empty));
}

TEST(MlDsa44, RejectsWrongSizes) {
  Result<MlDsa44KeyPair> pair = MlDsa44KeyPairFromSeed(Seq(3, 32));
  ASSERT_OK(pair);
  const ByteView sk = RevealSecret(pair->secret_key);
  Result<Bytes> sig = MlDsa44SignDeterministic(sk, Seq(0, 5), {});
  ASSERT_OK(sig);
  for (size_t n : {0u, 31u, 33u}) {
    EXPECT_CODE(MlDsa44KeyPairFromSeed(Bytes(n, 1)), ErrorCode::kInvalidArgument);
  }
  FixedRng rng(Bytes(32, 1));
  for (size_t n : {0u, 2559u, 2561u}) {
    EXPECT_CODE(MlDsa44SignDeterministic(Bytes(n, 0), {}, {}), ErrorCode::kInvalidArgument);
    EXPECT_CODE(MlDsa44Sign(Bytes(n, 0), {}, {}, rng), ErrorCode::kInvalidArgument);
  }
  EXPECT_CODE(MlDsa44Sign(sk, {}, Bytes(256, 0), rng), ErrorCode::kInvalidArgument);
  EXPECT_EQ(rng.calls(), 0u) << "refused inputs draw nothing";
  for (size_t n : {0u, 1311u, 1313u}) {
    EXPECT_CODE(MlDsa44Verify(Bytes(n, 0), Seq(0, 5), {}, *sig), ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 2419u, 2421u}) {
    Bytes s = *sig;
    s.resize(n);
    EXPECT_CODE(MlDsa44Verify(pair->public_key, Seq(0, 5), {}, s), ErrorCode::kSignatureInvalid);
  }
}

TEST(MlDsa44, SecretKeyCheckCoversEveryS1AndS2Field) {
  Result<MlDsa44KeyPair> pair = MlDsa44KeyPairFromSeed(Seq(5, 32));
  ASSERT_OK(pair);
  const ByteView sk = RevealSecret(pair->secret_key);
  EXPECT_OK(CheckMlDsa44SecretKey(sk));
  // s1 and s2: bytes 128..895, eight 3-bit fields per 3 bytes. Put 5, 6 and
  // 7 (coefficients -3, -4, -5) into the first, a middle and the last field
  // of a triple, in s1 and in s2; 4 and 0 (coefficients -2 and 2) pass.
  for (size_t triple : {128u, 128u + 381u, 512u, 893u}) {
    for (unsigned field : {0u, 2u, 5u, 7u}) {
      for (uint32_t value : {0u, 4u, 5u, 6u, 7u}) {
        Bytes k(sk.begin(), sk.end());
        uint32_t v = uint32_t{k[triple]} | (uint32_t{k[triple + 1]} << 8) |
                     (uint32_t{k[triple + 2]} << 16);
        v = (v & ~(7u << (3 * field))) | (value << (3 * field));
        k[triple] = static_cast<uint8_t>(v);
        k[triple + 1] = static_cast<uint8_t>(v >> 8);
        k[triple + 2] = static_cast<uint8_t>(v >> 16);
        const Status s = CheckMlDsa44SecretKey(k);
        if (value <= 4) {
          EXPECT_TRUE(s.ok()) << triple << " " << field << " " << value;
        } else {
          EXPECT_CODE(s, ErrorCode::kInvalidKey) << triple << " " << field << " " << value;
        }
      }
    }
  }
  // t0 (from byte 896) holds every 13-bit value legitimately.
  Bytes t0(sk.begin(), sk.end());
  std::fill(t0.begin() + 896, t0.end(), 0xff);
  EXPECT_OK(CheckMlDsa44SecretKey(t0));
}

}  // namespace
}  // namespace medseal
