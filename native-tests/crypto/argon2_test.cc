// SPDX-License-Identifier: Apache-2.0
// Argon2id (core/crypto/argon2.h): libsodium's own known answers (the
// entries below 2 MB of test/default/pwhash_argon2id.c, see
// vectors/external/libsodium-argon2id/SOURCE.md) and the argument checks.
// RFC 9106's Argon2id vector needs a secret and associated data, which
// libsodium's API cannot take, so it is not run.
#include "core/crypto/argon2.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using ::medseal::testing::HexOrDie;
using ::medseal::testing::LoadVectorJson;

TEST(Argon2id, LibsodiumKnownAnswers) {
  nlohmann::json v = LoadVectorJson("external/libsodium-argon2id/pwhash_argon2id.json");
  size_t valid = 0, invalid = 0;
  for (const auto& t : v.at("tests")) {
    SCOPED_TRACE(::testing::Message() << "entry " << t.at("index").get<int>());
    Bytes password = HexOrDie(t.at("passwordHex").get<std::string>());
    Bytes salt = HexOrDie(t.at("saltHex").get<std::string>());
    salt.resize(kArgon2SaltSize);  // libsodium reads the first 16 bytes
    const auto memlimit = t.at("memlimit").get<uint64_t>();
    auto out = Argon2id(password, salt, t.at("opslimit").get<uint32_t>(),
                        static_cast<uint32_t>(memlimit / 1024), t.at("outlen").get<size_t>());
    if (t.at("result") == "valid") {
      ASSERT_OK(out);
      EXPECT_EQ(HexEncode(RevealSecret(*out)), t.at("outHex").get<std::string>());
      ++valid;
    } else {
      EXPECT_CODE(out, ErrorCode::kInvalidArgument);
      ++invalid;
    }
  }
  EXPECT_EQ(valid, 3u);
  EXPECT_EQ(invalid, 1u);
}

TEST(Argon2id, RejectsBadArguments) {
  const Bytes salt(16, 0x5a);
  EXPECT_CODE(Argon2id(AsBytes("p"), Bytes(15, 0), 1, 8, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), Bytes(17, 0), 1, 8, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), salt, 0, 8, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), salt, 1, 7, 32), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), salt, 1, kArgon2MaxMemoryKib + 1, 32),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), salt, 1, 8, 15), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Argon2id(AsBytes("p"), salt, 1, 8, kArgon2MaxOutput + 1),
              ErrorCode::kInvalidArgument);
}

TEST(Argon2id, EveryInputChangesTheOutput) {
  const Bytes salt(16, 0x5a);
  auto base = Argon2id(AsBytes("pw"), salt, 1, 8, 32);
  ASSERT_OK(base);
  auto same = Argon2id(AsBytes("pw"), salt, 1, 8, 32);
  ASSERT_OK(same);
  EXPECT_EQ(HexEncode(RevealSecret(*base)), HexEncode(RevealSecret(*same)));
  Bytes salt2 = salt;
  salt2[15] ^= 1;
  auto differ = [&](Result<SecretBytes> r) {
    ASSERT_OK(r);
    EXPECT_NE(HexEncode(RevealSecret(*r)), HexEncode(RevealSecret(*base)));
  };
  differ(Argon2id(AsBytes("pW"), salt, 1, 8, 32));
  differ(Argon2id(AsBytes("pw"), salt2, 1, 8, 32));
  differ(Argon2id(AsBytes("pw"), salt, 2, 8, 32));
  differ(Argon2id(AsBytes("pw"), salt, 1, 16, 32));
  // An empty password is allowed (the keystore refuses it, not Argon2id).
  EXPECT_OK(Argon2id({}, salt, 1, 8, 32));
}

}  // namespace
}  // namespace medseal
