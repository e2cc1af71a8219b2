// SPDX-License-Identifier: Apache-2.0
// keystore/keystore_v1.json (made by vectors/generate/keystore_vectors.cc;
// the Node tests read the same file): every case, and A's intermediates
// recomputed from the primitives as docs/spec/keystore.md §2 writes them.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/codec/byte_io.h"
#include "core/crypto/aead.h"
#include "core/crypto/argon2.h"
#include "core/crypto/blake2b.h"
#include "core/keystore/keystore.h"
#include "core/keystore/recovery.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

KdfParams ParamsOf(const Json& j) {
  return KdfParams{j.at("memoryKib").get<uint32_t>(), j.at("passes").get<uint32_t>()};
}

KdfPolicy PolicyOf(const Json& j) {
  return KdfPolicy{ParamsOf(j.at("floor")), ParamsOf(j.at("defaults")), ParamsOf(j.at("cap"))};
}

Result<Keystore> RunCase(const Json& t, const KdfPolicy& policy) {
  const Bytes blob = Hex(t, "blob");
  const std::string unlock = Str(t, "unlock");
  if (unlock == "passphrase") {
    return Keystore::UnlockWithPassphrase(blob, AsBytes(Str(t, "passphrase")), policy);
  }
  if (unlock == "passphrase+passkey" || unlock == "enroll") {
    auto k = Keystore::UnlockWithPassphraseAndPasskey(
        blob, AsBytes(Str(t, "passphrase")), Hex(t, "credentialId"), Hex(t, "prf"), policy);
    if (unlock == "passphrase+passkey" || !k.ok()) return k;
    const Json& e = t.at("enroll");
    ChaChaRng rng(Bytes(32, 0));
    MEDSEAL_RETURN_IF_ERROR(k->EnrollPasskey(AsBytes(Str(e, "passphrase")), KdfParams{8, 1},
                                             Hex(e, "credentialId"), Hex(e, "prfSalt"),
                                             Hex(e, "prfFirst"), Hex(e, "prfSecond"), rng, policy));
    return k;
  }
  if (unlock == "passkey") {
    return Keystore::UnlockWithPasskey(blob, Hex(t, "credentialId"), Hex(t, "prf"));
  }
  if (unlock == "recovery") {
    return Keystore::UnlockWithRecoveryKey(blob, AsBytes(Str(t, "recoveryKey")));
  }
  ADD_FAILURE() << "unknown unlock " << unlock;
  return Error(ErrorCode::kInternal, "test");
}

TEST(KeystoreVectors, EveryCase) {
  Json v = LoadVectorJson("keystore/keystore_v1.json");
  ASSERT_EQ(v.at("tests").size(), v.at("numberOfTests").get<size_t>());
  size_t valid = 0, invalid = 0;
  for (const Json& t : v.at("tests")) {
    SCOPED_TRACE(::testing::Message() << "tcId " << t.at("tcId") << ": " << Str(t, "comment"));
    KdfPolicy policy = PolicyOf(v.at("policies").at(Str(t, "policy")));
    auto k = RunCase(t, policy);
    if (Str(t, "result") == "valid") {
      ASSERT_OK(k);
      const Json& items = v.at("items");
      ASSERT_EQ(k->items().size(), items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(static_cast<int>(k->items()[i].type), items[i].at("type").get<int>());
        EXPECT_EQ(k->items()[i].created, items[i].at("created").get<int64_t>());
        EXPECT_EQ(k->items()[i].name, Str(items[i], "name"));
        EXPECT_EQ(HexEncode(RevealSecret(k->items()[i].secret)), Str(items[i], "secret"));
      }
      ++valid;
    } else {
      EXPECT_EQ(ErrorCodeName(k.status().code()), Str(t, "error"));
      if (t.contains("badGroups")) {
        RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(AsBytes(Str(t, "recoveryKey")));
        EXPECT_EQ(d.bad_groups, t.at("badGroups").get<std::vector<size_t>>());
      }
      ++invalid;
    }
  }
  EXPECT_EQ(valid, 7u);
  EXPECT_EQ(invalid, 39u);
}

TEST(KeystoreVectors, IntermediatesFollowTheSpec) {
  Json v = LoadVectorJson("keystore/keystore_v1.json");
  const Json& im = v.at("intermediates");
  const Json& first = v.at("tests").at(0);
  ASSERT_EQ(Str(first, "keystore"), "A");
  const Bytes blob = Hex(first, "blob");
  const Bytes id = Hex(im, "keystoreId");
  EXPECT_EQ(HexEncode(ByteView(blob).subspan(5, 16)), HexEncode(id));
  EXPECT_EQ(HexEncode(ByteView(blob).subspan(31, 16)), Str(im, "passphraseSalt"));
  auto argon = Argon2id(AsBytes(Str(first, "passphrase")), Hex(im, "passphraseSalt"), 1, 8, 32);
  ASSERT_OK(argon);
  EXPECT_EQ(HexEncode(RevealSecret(*argon)), Str(im, "argon2id"));
  Bytes msg = LabelBytes("medseal/v1/keystore/kek/passphrase");
  ByteWriter(msg).Raw(id);
  auto kek = Blake2bDeriveKey(32, RevealSecret(*argon), msg);
  ASSERT_OK(kek);
  EXPECT_EQ(HexEncode(RevealSecret(*kek)), Str(im, "passphraseKek"));
  Bytes aad = LabelBytes("medseal/v1/keystore/slot");
  ByteWriter w(aad);
  w.Raw(std::string_view("MSKS"));
  w.U8(1);
  w.Raw(id);
  w.Raw(ByteView(blob).subspan(30, 25));
  EXPECT_EQ(HexEncode(aad), Str(im, "slotAad"));
  auto master = XChaCha20Poly1305Open(RevealSecret(*kek), ByteView(blob).subspan(55, 24), aad,
                                      ByteView(blob).subspan(79, 48));
  ASSERT_OK(master);
  EXPECT_EQ(HexEncode(*master), Str(im, "masterKey"));
  // The items: key from the master key, AAD = LABEL || "MSKS" || 1 || id,
  // nonce and length after the 32-byte MAC: the blob's last 24 + 4 + 145 bytes.
  Bytes items_msg = LabelBytes("medseal/v1/keystore/items-key");
  ByteWriter(items_msg).Raw(id);
  auto items_key = Blake2bDeriveKey(32, *master, items_msg);
  ASSERT_OK(items_key);
  EXPECT_EQ(HexEncode(RevealSecret(*items_key)), Str(im, "itemsKey"));
  Bytes items_aad = LabelBytes("medseal/v1/keystore/items");
  ByteWriter wi(items_aad);
  wi.Raw(std::string_view("MSKS"));
  wi.U8(1);
  wi.Raw(id);
  const size_t box = blob.size() - (24 + 4 + 145);
  auto plain = XChaCha20Poly1305Open(RevealSecret(*items_key), ByteView(blob).subspan(box, 24),
                                     items_aad, ByteView(blob).subspan(box + 28));
  ASSERT_OK(plain);
  EXPECT_EQ(plain->size(), 2u + 51u + 76u);
  EXPECT_EQ((*plain)[0], 2);  // two items
}

}  // namespace
}  // namespace medseal
