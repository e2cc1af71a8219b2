// SPDX-License-Identifier: Apache-2.0
// XChaCha20-Poly1305 and ChaCha20-Poly1305 (core/crypto/aead.h): every case of
// the Wycheproof suites and the RFC 8439 / draft-irtf-cfrg-xchacha vectors.
// Wycheproof: https://github.com/C2SP/wycheproof/tree/dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166/testvectors_v1
#include "core/crypto/aead.h"

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
  ForEachWycheproofTest(
      file, "XCHACHA20-POLY1305", "aead_test_schema_v1.json", [&](const Json&, const Json& t) {
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

}  // namespace
}  // namespace medseal
