// SPDX-License-Identifier: Apache-2.0
// scrypt (core/crypto/scrypt.h): the RFC 7914 §12 cases (the 1 GiB one is
// marked slow in the vector file and skipped here: age caps N at 2^22 with
// r = 8) and the argument checks.
#include "core/crypto/scrypt.h"

#include <gtest/gtest.h>

#include <bit>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

TEST(Scrypt, Rfc7914Section12) {
  Json v = LoadVectorJson("external/rfc/rfc7914_scrypt.json");
  size_t run = 0, skipped = 0;
  for (const Json& t : v.at("scrypt").at("cases")) {
    uint64_t n = t.at("N").get<uint64_t>();
    SCOPED_TRACE(::testing::Message() << "N " << n);
    if (t.at("memory_bytes").get<uint64_t>() > (uint64_t{64} << 20)) {
      ++skipped;
      continue;
    }
    ASSERT_TRUE(std::has_single_bit(n));
    auto dk = Scrypt(AsBytes(Str(t, "password")), AsBytes(Str(t, "salt")), std::countr_zero(n),
                     t.at("r").get<uint32_t>(), t.at("p").get<uint32_t>(),
                     t.at("dkLen").get<size_t>());
    ASSERT_OK(dk);
    EXPECT_EQ(HexEncode(RevealSecret(*dk)), Str(t, "dk"));
    ++run;
  }
  EXPECT_EQ(run, 3u);
  EXPECT_EQ(skipped, 1u);
}

TEST(Scrypt, RejectsBadParameters) {
  EXPECT_CODE(Scrypt(AsBytes("p"), AsBytes("s"), 0, 8, 1, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Scrypt(AsBytes("p"), AsBytes("s"), kScryptMaxLogN + 1, 8, 1, 32),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Scrypt(AsBytes("p"), AsBytes("s"), 4, 0, 1, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Scrypt(AsBytes("p"), AsBytes("s"), 4, 8, 0, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Scrypt(AsBytes("p"), AsBytes("s"), 4, 8, 1, 0), ErrorCode::kInvalidArgument);
  // Empty password and salt (RFC 7914 §12's first case is N = 16, r = 1, p = 1).
  auto empty = Scrypt({}, {}, 4, 1, 1, 64);
  ASSERT_OK(empty);
  EXPECT_EQ(HexEncode(RevealSecret(*empty)).substr(0, 16), "77d6576238657b20");
}

}  // namespace
}  // namespace medseal
