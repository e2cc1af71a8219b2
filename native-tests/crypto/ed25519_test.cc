// SPDX-License-Identifier: Apache-2.0
// Ed25519 (core/crypto/ed25519.h): every case of the Wycheproof suite and the
// RFC 8032 vectors.
// Wycheproof: https://github.com/C2SP/wycheproof/tree/dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166/testvectors_v1
#include "core/crypto/ed25519.h"

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
