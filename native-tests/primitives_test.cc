// Known-answer tests for core/primitives.h: every case of four Project
// Wycheproof suites, every entry of the official BLAKE2b KAT, and the RFC /
// CFRG-draft vectors. The files are copies under native-tests/vectors/external/
// (source repository, commit, path, licence and SHA-256 in its README.md).
//
// Wycheproof: https://github.com/C2SP/wycheproof/tree/dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166/testvectors_v1
// BLAKE2:     https://github.com/BLAKE2/BLAKE2/blob/ed1974ea83433eba7b2d95c5dcd9ac33cb847913/testvectors/blake2-kat.json
#include "core/primitives.h"

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

namespace medseal {
namespace {

using ::medseal::testing::HexOrDie;
using ::medseal::testing::LoadVectorJson;
using Json = nlohmann::json;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

// A string member of a vector object; fails the test if absent.
std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    ADD_FAILURE() << "vector has no string member \"" << key << "\"";
    return "";
  }
  return it->get<std::string>();
}

Bytes Hex(const Json& obj, const char* key) { return HexOrDie(Str(obj, key)); }

bool HasFlag(const Json& test, std::string_view flag) {
  auto it = test.find("flags");
  if (it == test.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const Json& f) {
    return f.is_string() && f.get<std::string>() == flag;
  });
}

Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes ToVec(ByteView v) { return Bytes(v.begin(), v.end()); }

// Runs `fn(group, test)` for every test of a Wycheproof file and returns the
// number of tests run. Fails when that number is not the file's
// numberOfTests or a tcId repeats, so that a file that is silently empty,
// truncated or of another schema fails instead of passing vacuously.
template <typename Fn>
size_t ForEachWycheproofTest(const Json& file, std::string_view expected_algorithm,
                             std::string_view expected_schema, Fn fn) {
  EXPECT_EQ(Str(file, "algorithm"), expected_algorithm);
  EXPECT_EQ(Str(file, "schema"), expected_schema);
  size_t count = 0;
  std::set<int64_t> ids;
  auto groups = file.find("testGroups");
  if (groups == file.end() || !groups->is_array()) {
    ADD_FAILURE() << "no testGroups";
    return 0;
  }
  for (const Json& group : *groups) {
    auto tests = group.find("tests");
    if (tests == group.end() || !tests->is_array()) {
      ADD_FAILURE() << "group without tests";
      continue;
    }
    for (const Json& test : *tests) {
      int64_t tc_id = test.value("tcId", int64_t{-1});
      EXPECT_TRUE(ids.insert(tc_id).second) << "tcId " << tc_id << " repeats";
      SCOPED_TRACE(::testing::Message() << "tcId " << tc_id << " (" << test.value("comment", "")
                                        << ")");
      fn(group, test);
      ++count;
    }
  }
  auto n = file.find("numberOfTests");
  EXPECT_TRUE(n != file.end() && n->is_number_unsigned());
  if (n != file.end() && n->is_number_unsigned()) {
    EXPECT_EQ(count, n->get<size_t>()) << "cases run != numberOfTests";
  }
  return count;
}

// ---------------------------------------------------------------------------
// AEAD: Wycheproof xchacha20_poly1305_test.json / chacha20_poly1305_test.json
// ---------------------------------------------------------------------------

using AeadFn = Result<Bytes> (*)(ByteView key, ByteView nonce, ByteView aad, ByteView input);

struct AeadSuite {
  const char* file;
  const char* algorithm;
  size_t nonce_size;
  AeadFn seal;
  AeadFn open;
};

struct AeadCounts {
  size_t total = 0, valid = 0, modified_tag = 0, bad_nonce = 0;
};

// Expected results (aead_test_schema_v1):
//  - "valid": Seal(key, iv, aad, msg) is exactly ct || tag and Open gives msg.
//  - "invalid" + InvalidNonceSize (an iv that is not 24 / 12 bytes): both
//    Seal and Open reject the nonce with INVALID_ARGUMENT (a caller error, not
//    an authentication failure).
//  - "invalid" + ModifiedTag: Open is DECRYPT_FAILED; Seal of the same input
//    reproduces ct (only the tag was altered) but not the given tag.
//  - Neither file has "acceptable" cases; any other combination fails, so a
//    new kind of case in an updated file needs a decision here.
AeadCounts RunWycheproofAead(const AeadSuite& suite) {
  Json file = LoadVectorJson(std::string("external/wycheproof/") + suite.file);
  AeadCounts counts;
  counts.total = ForEachWycheproofTest(
      file, suite.algorithm, "aead_test_schema_v1.json", [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("tagSize", 0), 128);
        Bytes key = Hex(t, "key"), iv = Hex(t, "iv"), aad = Hex(t, "aad"), msg = Hex(t, "msg"),
              ct = Hex(t, "ct"), tag = Hex(t, "tag");
        Bytes sealed_expected = Concat(ct, tag);
        std::string result = Str(t, "result");
        if (HasFlag(t, "InvalidNonceSize")) {
          ++counts.bad_nonce;
          EXPECT_EQ(result, "invalid");
          EXPECT_NE(iv.size(), suite.nonce_size);
          EXPECT_CODE(suite.seal(key, iv, aad, msg), ErrorCode::kInvalidArgument);
          EXPECT_CODE(suite.open(key, iv, aad, sealed_expected), ErrorCode::kInvalidArgument);
        } else if (result == "valid") {
          ++counts.valid;
          auto sealed = suite.seal(key, iv, aad, msg);
          ASSERT_OK(sealed);
          EXPECT_EQ(HexEncode(*sealed), HexEncode(sealed_expected));
          auto opened = suite.open(key, iv, aad, sealed_expected);
          ASSERT_OK(opened);
          EXPECT_EQ(HexEncode(*opened), HexEncode(msg));
        } else if (result == "invalid" && HasFlag(t, "ModifiedTag")) {
          ++counts.modified_tag;
          EXPECT_CODE(suite.open(key, iv, aad, sealed_expected), ErrorCode::kDecryptFailed);
          auto sealed = suite.seal(key, iv, aad, msg);
          ASSERT_OK(sealed);
          EXPECT_EQ(HexEncode(ByteView(*sealed).first(ct.size())), HexEncode(ct));
          EXPECT_NE(HexEncode(*sealed), HexEncode(sealed_expected));
        } else {
          ADD_FAILURE() << "unhandled case: result " << result << ", flags "
                        << t.value("flags", Json::array()).dump();
        }
      });
  return counts;
}

TEST(Wycheproof, XChaCha20Poly1305AllCases) {
  // xchacha20_poly1305_test.json: 246 valid, 60 ModifiedTag, 9 InvalidNonceSize
  // (tcIds 307..315: iv of 0, 8, 11, 12, 13, 14, 16, 20, 32 bytes).
  AeadSuite suite{"xchacha20_poly1305_test.json", "XCHACHA20-POLY1305", kXChaChaNonceSize,
                  &XChaCha20Poly1305Seal, &XChaCha20Poly1305Open};
  AeadCounts c = RunWycheproofAead(suite);
  EXPECT_EQ(c.total, 315u);
  EXPECT_EQ(c.valid, 246u);
  EXPECT_EQ(c.modified_tag, 60u);
  EXPECT_EQ(c.bad_nonce, 9u);
}

TEST(Wycheproof, ChaCha20Poly1305AllCases) {
  // chacha20_poly1305_test.json: 256 valid, 60 ModifiedTag, 9 InvalidNonceSize
  // (tcIds 317..325: iv of 0, 8, 11, 13, 14, 16, 24, 20, 32 bytes).
  AeadSuite suite{"chacha20_poly1305_test.json", "CHACHA20-POLY1305", kChaChaIetfNonceSize,
                  &ChaCha20Poly1305Seal, &ChaCha20Poly1305Open};
  AeadCounts c = RunWycheproofAead(suite);
  EXPECT_EQ(c.total, 325u);
  EXPECT_EQ(c.valid, 256u);
  EXPECT_EQ(c.modified_tag, 60u);
  EXPECT_EQ(c.bad_nonce, 9u);
}

// The in-place (pointer) overloads of XChaCha20-Poly1305 on every valid
// Wycheproof case: `out` aliases the input buffer.
TEST(Wycheproof, XChaCha20Poly1305InPlace) {
  Json file = LoadVectorJson("external/wycheproof/xchacha20_poly1305_test.json");
  size_t n = 0;
  ForEachWycheproofTest(file, "XCHACHA20-POLY1305", "aead_test_schema_v1.json",
                        [&](const Json&, const Json& t) {
    if (Str(t, "result") != "valid") return;
    ++n;
    Bytes key = Hex(t, "key"), iv = Hex(t, "iv"), aad = Hex(t, "aad"), msg = Hex(t, "msg");
    Bytes expected = Concat(Hex(t, "ct"), Hex(t, "tag"));
    Bytes buf = msg;
    buf.resize(msg.size() + kAeadTagSize);
    ASSERT_OK(XChaCha20Poly1305Seal(key, iv, aad, ByteView(buf).first(msg.size()), buf.data()));
    EXPECT_EQ(HexEncode(buf), HexEncode(expected));
    ASSERT_OK(XChaCha20Poly1305Open(key, iv, aad, buf, buf.data()));
    EXPECT_EQ(HexEncode(ByteView(buf).first(msg.size())), HexEncode(msg));
    // A failed in-place open reports DECRYPT_FAILED.
    expected.back() ^= 0x01;
    Bytes out(msg.size());
    EXPECT_CODE(XChaCha20Poly1305Open(key, iv, aad, expected, out.data()),
                ErrorCode::kDecryptFailed);
  });
  EXPECT_EQ(n, 246u);
}

// Argument checks that Wycheproof does not cover (every key there is 32 bytes).
TEST(Aead, RejectsBadKeySizeAndShortCiphertext) {
  Bytes nonce24(kXChaChaNonceSize), nonce12(kChaChaIetfNonceSize);
  for (size_t key_size : {0u, 16u, 31u, 33u, 64u}) {
    Bytes key(key_size, 0x42);
    EXPECT_CODE(XChaCha20Poly1305Seal(key, nonce24, {}, {}), ErrorCode::kInvalidArgument);
    EXPECT_CODE(XChaCha20Poly1305Open(key, nonce24, {}, Bytes(16)), ErrorCode::kInvalidArgument);
    EXPECT_CODE(ChaCha20Poly1305Seal(key, nonce12, {}, {}), ErrorCode::kInvalidArgument);
    EXPECT_CODE(ChaCha20Poly1305Open(key, nonce12, {}, Bytes(16)), ErrorCode::kInvalidArgument);
  }
  Bytes key(kAeadKeySize, 0x42);
  for (size_t ct_size : {0u, 1u, 15u}) {
    // Shorter than a tag: an authentication failure, not a crash.
    EXPECT_CODE(XChaCha20Poly1305Open(key, nonce24, {}, Bytes(ct_size)), ErrorCode::kDecryptFailed);
    EXPECT_CODE(ChaCha20Poly1305Open(key, nonce12, {}, Bytes(ct_size)), ErrorCode::kDecryptFailed);
  }
  // The empty message: a bare tag that opens to nothing.
  auto sealed = XChaCha20Poly1305Seal(key, nonce24, {}, {});
  ASSERT_OK(sealed);
  EXPECT_EQ(sealed->size(), kAeadTagSize);
  auto opened = XChaCha20Poly1305Open(key, nonce24, {}, *sealed);
  ASSERT_OK(opened);
  EXPECT_TRUE(opened->empty());
}

// ---------------------------------------------------------------------------
// X25519: Wycheproof x25519_test.json (xdh_comp_schema_v1)
// ---------------------------------------------------------------------------

// Expected results. All 518 cases have 32-byte keys; "result" is valid (264)
// or acceptable (254). medseal's decision per flag:
//  - ZeroSharedSecret (31 cases, all "acceptable", all also LowOrderPublic,
//    tcIds 32, 33, 63..86, 117, 118, 154, 165, 166): X25519 MUST fail with
//    WEAK_KEY. libsodium's crypto_scalarmult returns -1 for an all-zero
//    output (the check of RFC 7748 §6.1), and medseal maps that to kWeakKey.
//  - Every other "acceptable" flag (Twist, NonCanonicalPublic,
//    SmallPublicKey, SpecialPublicKey, EdgeCaseShared, EdgeCaseMultiplication,
//    Ktv) is accepted and MUST give exactly `shared`: RFC 7748 §5 defines the
//    value (bit 255 masked, u reduced mod p, twist points allowed) and
//    Wycheproof requires that an implementation that accepts computes it
//    correctly.
//  - "valid": exactly `shared`.
TEST(Wycheproof, X25519AllCases) {
  Json file = LoadVectorJson("external/wycheproof/x25519_test.json");
  size_t valid = 0, acceptable_ok = 0, weak = 0;
  size_t total = ForEachWycheproofTest(
      file, "XDH", "xdh_comp_schema_v1.json", [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("curve", ""), "curve25519");
        Bytes priv = Hex(t, "private"), pub = Hex(t, "public"), shared = Hex(t, "shared");
        std::string result = Str(t, "result");
        auto got = X25519(priv, pub);
        if (HasFlag(t, "ZeroSharedSecret")) {
          ++weak;
          EXPECT_EQ(result, "acceptable");
          EXPECT_EQ(HexEncode(shared), std::string(64, '0'));
          EXPECT_CODE(got, ErrorCode::kWeakKey);
        } else if (result == "valid" || result == "acceptable") {
          ++(result == "valid" ? valid : acceptable_ok);
          ASSERT_OK(got);
          EXPECT_EQ(HexEncode(RevealSecret(*got)), HexEncode(shared));
        } else {
          ADD_FAILURE() << "unhandled result " << result;
        }
      });
  EXPECT_EQ(total, 518u);
  EXPECT_EQ(valid, 264u);
  EXPECT_EQ(acceptable_ok, 223u);
  EXPECT_EQ(weak, 31u);
}

TEST(X25519, RejectsBadKeySizes) {
  Bytes k32(32, 9);
  for (size_t n : {0u, 31u, 33u, 64u}) {
    Bytes k(n, 9);
    EXPECT_CODE(X25519(k, k32), ErrorCode::kInvalidArgument);
    EXPECT_CODE(X25519(k32, k), ErrorCode::kInvalidArgument);
    EXPECT_CODE(X25519PublicKey(k), ErrorCode::kInvalidArgument);
  }
}

// ---------------------------------------------------------------------------
// Ed25519: Wycheproof ed25519_test.json (eddsa_verify_schema_v1)
// ---------------------------------------------------------------------------

// Expected results: "valid" (88) verifies; "invalid" (63: InvalidEncoding,
// InvalidSignature, SignatureMalleability, SignatureWithGarbage,
// CompressedSignature, TruncatedSignature, InvalidKtv) is SIGNATURE_INVALID,
// including signatures that are not 64 bytes long (tcIds with 0..96-byte
// signatures): a wrong-length signature is bad data, not a caller error.
// There are no "acceptable" cases in this file.
TEST(Wycheproof, Ed25519AllCases) {
  Json file = LoadVectorJson("external/wycheproof/ed25519_test.json");
  size_t valid = 0, invalid = 0;
  size_t total = ForEachWycheproofTest(
      file, "EDDSA", "eddsa_verify_schema_v1.json", [&](const Json& group, const Json& t) {
        const Json& pk_obj = group.contains("publicKey") ? group["publicKey"] : group;
        EXPECT_EQ(pk_obj.value("curve", ""), "edwards25519");
        Bytes pk = Hex(pk_obj, "pk"), msg = Hex(t, "msg"), sig = Hex(t, "sig");
        std::string result = Str(t, "result");
        Status st = Ed25519Verify(pk, msg, sig);
        if (result == "valid") {
          ++valid;
          EXPECT_OK(st);
        } else if (result == "invalid") {
          ++invalid;
          EXPECT_CODE(st, ErrorCode::kSignatureInvalid);
        } else {
          ADD_FAILURE() << "unhandled result " << result;
        }
      });
  EXPECT_EQ(total, 151u);
  EXPECT_EQ(valid, 88u);
  EXPECT_EQ(invalid, 63u);
}

TEST(Ed25519, RejectsBadSizes) {
  Bytes seed(kEd25519SeedSize, 7);
  auto kp = Ed25519FromSeed(seed);
  ASSERT_OK(kp);
  auto sig = Ed25519Sign(RevealSecret(kp->secret_key), AsBytes("m"));
  ASSERT_OK(sig);
  for (size_t n : {0u, 31u, 33u, 64u}) {
    EXPECT_CODE(Ed25519FromSeed(Bytes(n, 7)), ErrorCode::kInvalidArgument);
    EXPECT_CODE(Ed25519Verify(Bytes(n, 7), AsBytes("m"), *sig), ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 32u, 63u, 65u}) {
    EXPECT_CODE(Ed25519Sign(Bytes(n, 7), AsBytes("m")), ErrorCode::kInvalidArgument);
  }
  EXPECT_OK(Ed25519Verify(kp->public_key, AsBytes("m"), *sig));
  EXPECT_CODE(Ed25519Verify(kp->public_key, AsBytes("n"), *sig), ErrorCode::kSignatureInvalid);
}

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

// ---------------------------------------------------------------------------
// RFC / CFRG draft KATs (native-tests/vectors/external/rfc/)
// ---------------------------------------------------------------------------

void CheckAeadKat(const Json& t, AeadFn seal, AeadFn open) {
  SCOPED_TRACE(Str(t, "name"));
  EXPECT_EQ(Str(t, "result"), "valid");
  Bytes key = Hex(t, "key"), nonce = Hex(t, "nonce"), aad = Hex(t, "aad"),
        msg = Hex(t, "plaintext"), combined = Hex(t, "ciphertext_with_tag");
  EXPECT_EQ(HexEncode(combined), HexEncode(Concat(Hex(t, "ciphertext"), Hex(t, "tag"))));
  EXPECT_EQ(std::string(msg.begin(), msg.end()), Str(t, "plaintext_ascii"));
  auto sealed = seal(key, nonce, aad, msg);
  ASSERT_OK(sealed);
  EXPECT_EQ(HexEncode(*sealed), HexEncode(combined));
  auto opened = open(key, nonce, aad, combined);
  ASSERT_OK(opened);
  EXPECT_EQ(HexEncode(*opened), HexEncode(msg));
  // Any change to the AAD or to the tag is an authentication failure.
  Bytes bad_aad = aad;
  bad_aad[0] ^= 1;
  EXPECT_CODE(open(key, nonce, bad_aad, combined), ErrorCode::kDecryptFailed);
  Bytes bad_tag = combined;
  bad_tag.back() ^= 0x80;
  EXPECT_CODE(open(key, nonce, aad, bad_tag), ErrorCode::kDecryptFailed);
}

// RFC 8439 §2.8.2.
TEST(RfcKat, Rfc8439ChaCha20Poly1305) {
  Json file = LoadVectorJson("external/rfc/rfc8439_aead_chacha20poly1305.json");
  size_t n = 0;
  for (const Json& t : file["tests"]) {
    CheckAeadKat(t, &ChaCha20Poly1305Seal, &ChaCha20Poly1305Open);
    ++n;
  }
  EXPECT_EQ(n, 1u);
}

// draft-irtf-cfrg-xchacha-03 §2.2.1 (HChaCha20) and A.3.1 (AEAD).
TEST(RfcKat, DraftXChaCha03) {
  Json file = LoadVectorJson("external/rfc/draft-irtf-cfrg-xchacha-03.json");
  size_t n = 0;
  for (const Json& t : file["aead_xchacha20_poly1305"]) {
    CheckAeadKat(t, &XChaCha20Poly1305Seal, &XChaCha20Poly1305Open);
    ++n;
  }
  EXPECT_EQ(n, 1u);

  // HChaCha20 (no medseal wrapper; checks the transcription with libsodium),
  // then XChaCha20-Poly1305(k, n) == ChaCha20-Poly1305(HChaCha20(k, n[0..16]),
  // 0^4 || n[16..24]) (draft §2.3), tying medseal's two AEAD wrappers together.
  ASSERT_GE(sodium_init(), 0);
  size_t h = 0;
  for (const Json& t : file["hchacha20"]) {
    SCOPED_TRACE(Str(t, "name"));
    Bytes key = Hex(t, "key"), nonce16 = Hex(t, "nonce16");
    ASSERT_EQ(key.size(), 32u);
    ASSERT_EQ(nonce16.size(), 16u);
    Bytes subkey(32);
    crypto_core_hchacha20(subkey.data(), nonce16.data(), key.data(), nullptr);
    EXPECT_EQ(HexEncode(subkey), Str(t, "subkey"));
    ++h;
  }
  EXPECT_EQ(h, 1u);
  for (const Json& t : file["aead_xchacha20_poly1305"]) {
    Bytes key = Hex(t, "key"), nonce = Hex(t, "nonce");
    Bytes subkey(32);
    crypto_core_hchacha20(subkey.data(), nonce.data(), key.data(), nullptr);
    Bytes ietf_nonce(4, 0);
    ietf_nonce.insert(ietf_nonce.end(), nonce.begin() + 16, nonce.end());
    auto via_ietf = ChaCha20Poly1305Seal(subkey, ietf_nonce, Hex(t, "aad"), Hex(t, "plaintext"));
    ASSERT_OK(via_ietf);
    EXPECT_EQ(HexEncode(*via_ietf), Str(t, "ciphertext_with_tag"));
  }
}

// RFC 7748 §5.2 (function vectors, iterated) and §6.1 (Diffie-Hellman).
TEST(RfcKat, Rfc7748X25519) {
  Json file = LoadVectorJson("external/rfc/rfc7748_x25519.json");
  size_t n = 0;
  for (const Json& t : file["x25519"]) {
    auto got = X25519(Hex(t, "scalar"), Hex(t, "u"));
    ASSERT_OK(got);
    EXPECT_EQ(HexEncode(RevealSecret(*got)), Str(t, "output"));
    ++n;
  }
  EXPECT_EQ(n, 2u);

  const Json& dh = file["diffie_hellman_6_1"];
  Bytes a_priv = Hex(dh, "alice_private"), b_priv = Hex(dh, "bob_private");
  auto a_pub = X25519PublicKey(a_priv);
  auto b_pub = X25519PublicKey(b_priv);
  ASSERT_OK(a_pub);
  ASSERT_OK(b_pub);
  EXPECT_EQ(HexEncode(*a_pub), Str(dh, "alice_public"));
  EXPECT_EQ(HexEncode(*b_pub), Str(dh, "bob_public"));
  auto k_ab = X25519(a_priv, *b_pub);
  auto k_ba = X25519(b_priv, *a_pub);
  ASSERT_OK(k_ab);
  ASSERT_OK(k_ba);
  EXPECT_EQ(HexEncode(RevealSecret(*k_ab)), Str(dh, "shared_secret"));
  EXPECT_EQ(HexEncode(RevealSecret(*k_ba)), Str(dh, "shared_secret"));
}

// (k, u) = (X25519(k, u), k), starting from k = u = 9. Returns k after
// `iterations` steps.
std::string IterateX25519(size_t iterations) {
  Bytes k(32, 0), u(32, 0);
  k[0] = 9;
  u[0] = 9;
  for (size_t i = 0; i < iterations; ++i) {
    auto r = X25519(k, u);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      return "";
    }
    u = k;
    k = ToVec(RevealSecret(*r));
  }
  return HexEncode(k);
}

std::map<uint64_t, std::string> IteratedResults() {
  Json file = LoadVectorJson("external/rfc/rfc7748_x25519.json");
  std::map<uint64_t, std::string> out;
  for (const Json& r : file["x25519_iterated"]["results"]) {
    out[r.value("iterations", uint64_t{0})] = Str(r, "output");
  }
  return out;
}

TEST(RfcKat, Rfc7748X25519Iterated) {
  auto expected = IteratedResults();
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(IterateX25519(1), expected[1]);
  EXPECT_EQ(IterateX25519(1000), expected[1000]);
}

// The 1,000,000-iteration value takes about 40 s (Debug build); run it with
// --gtest_also_run_disabled_tests --gtest_filter='*Million*'.
TEST(RfcKat, DISABLED_Rfc7748X25519IteratedMillion) {
  EXPECT_EQ(IterateX25519(1000000), IteratedResults()[1000000]);
}

// RFC 8032 §7.1 TEST 1, 2, 3 and SHA(abc): key derivation from the seed,
// deterministic signing and verification.
TEST(RfcKat, Rfc8032Ed25519) {
  Json file = LoadVectorJson("external/rfc/rfc8032_ed25519.json");
  size_t n = 0;
  for (const Json& t : file["tests"]) {
    SCOPED_TRACE(Str(t, "name"));
    EXPECT_EQ(Str(t, "result"), "valid");
    Bytes seed = Hex(t, "secret_key_seed"), pk = Hex(t, "public_key"), msg = Hex(t, "message"),
          sig = Hex(t, "signature");
    auto kp = Ed25519FromSeed(seed);
    ASSERT_OK(kp);
    EXPECT_EQ(HexEncode(kp->public_key), HexEncode(pk));
    // libsodium's secret key is seed || public key.
    EXPECT_EQ(HexEncode(RevealSecret(kp->secret_key)), HexEncode(Concat(seed, pk)));
    auto got = Ed25519Sign(RevealSecret(kp->secret_key), msg);
    ASSERT_OK(got);
    EXPECT_EQ(HexEncode(*got), HexEncode(sig));
    EXPECT_OK(Ed25519Verify(pk, msg, sig));
    for (size_t byte : {size_t{0}, size_t{31}, size_t{32}, size_t{63}}) {
      Bytes bad = sig;
      bad[byte] ^= 0x01;
      EXPECT_CODE(Ed25519Verify(pk, msg, bad), ErrorCode::kSignatureInvalid) << "byte " << byte;
    }
    Bytes longer = msg;
    longer.push_back(0);
    EXPECT_CODE(Ed25519Verify(pk, longer, sig), ErrorCode::kSignatureInvalid);
    ++n;
  }
  EXPECT_EQ(n, 4u);
}

}  // namespace
}  // namespace medseal
