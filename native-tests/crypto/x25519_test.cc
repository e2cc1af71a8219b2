// SPDX-License-Identifier: Apache-2.0
// X25519 (core/crypto/x25519.h): every case of the Wycheproof suite and the
// RFC 7748 vectors.
// Wycheproof: https://github.com/C2SP/wycheproof/tree/dac1dd4729fd1f8dd9e1e9f3dce51d783da6c166/testvectors_v1
#include "core/crypto/x25519.h"

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

// CheckX25519PublicKey refuses exactly the public keys that make X25519
// return all zeros: every Wycheproof ZeroSharedSecret case, and no other.
TEST(X25519, CheckPublicKeyRejectsExactlyTheSmallOrderPoints) {
  Json file = LoadVectorJson("external/wycheproof/x25519_test.json");
  size_t weak = 0;
  ForEachWycheproofTest(file, "XDH", "xdh_comp_schema_v1.json", [&](const Json&, const Json& t) {
    Bytes pub = Hex(t, "public");
    if (HasFlag(t, "ZeroSharedSecret")) {
      EXPECT_CODE(CheckX25519PublicKey(pub), ErrorCode::kWeakKey);
      ++weak;
    } else {
      EXPECT_OK(CheckX25519PublicKey(pub));
    }
  });
  EXPECT_EQ(weak, 31u);
  EXPECT_CODE(CheckX25519PublicKey(Bytes(31, 9)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(CheckX25519PublicKey(Bytes(32, 0)), ErrorCode::kWeakKey);
}

}  // namespace
}  // namespace medseal
