// SPDX-License-Identifier: Apache-2.0
// The keystore (core/keystore/keystore.h, docs/spec/keystore.md): every slot
// kind, passphrase change without touching the items, the second factor,
// the recovery key, rehash, rotation, and one code per failure. Argon2id runs
// at 8-16 KiB and 1 pass (the test policy below), never at real cost.
#include "core/keystore/keystore.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/crypto/argon2.h"
#include "core/keystore/recovery.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

constexpr KdfPolicy kTestPolicy{{8, 1}, {16, 1}, {64, 2}};
constexpr KdfParams kMin{8, 1};

const Bytes kCred = ToBytes("credential-1");
const Bytes kPrfSalt(32, 0x50);
const Bytes kPrf(32, 0x51);
const Bytes kOtherPrf(32, 0x52);

std::vector<KeystoreItem> SeedItems() {
  std::vector<KeystoreItem> items;
  items.push_back(
      {ItemType::kIdentitySeed, 1700000000000, "patient", SecretBytes::CopyFrom(Bytes(32, 0x01))});
  items.push_back({ItemType::kGroupKey, 1700000000001, "cardiology/nurse",
                   SecretBytes::CopyFrom(Bytes(48, 0x02))});
  return items;
}

struct Fixture {
  ChaChaRng rng{Bytes(32, 0x33)};
  Keystore ks = [this] {
    auto k = Keystore::Create(SeedItems(), kMin, rng);
    MEDSEAL_CHECK(k.ok());
    return std::move(k).value();
  }();
  Bytes Blob() {
    auto b = ks.Serialize(rng);
    MEDSEAL_CHECK(b.ok());
    return std::move(b).value();
  }
};

// The items box is the blob's tail: nonce (24) || length (4) || ciphertext,
// here 2 + (12 + 7 + 32) + (12 + 16 + 48) + 16 bytes for SeedItems().
Bytes ItemsBox(const Bytes& blob) {
  constexpr size_t kBox = 24 + 4 + 2 + (12 + 7 + 32) + (12 + 16 + 48) + 16;
  return Bytes(blob.end() - static_cast<std::ptrdiff_t>(kBox), blob.end());
}

void ExpectItems(const Keystore& k) {
  ASSERT_EQ(k.items().size(), 2u);
  ASSERT_NE(k.identity_seed(), nullptr);
  EXPECT_EQ(HexEncode(RevealSecret(*k.identity_seed())), HexEncode(Bytes(32, 0x01)));
  EXPECT_EQ(k.items()[1].name, "cardiology/nurse");
  EXPECT_EQ(k.items()[1].created, 1700000000001);
  EXPECT_EQ(HexEncode(RevealSecret(k.items()[1].secret)), HexEncode(Bytes(48, 0x02)));
}

TEST(Keystore, PassphraseSlotRoundTrip) {
  Fixture f;
  EXPECT_CODE(f.ks.Serialize(f.rng), ErrorCode::kInvalidArgument);  // no slot yet
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("correct horse"), kMin, f.rng, kTestPolicy));
  Bytes blob = f.Blob();
  auto info = InspectKeystore(blob);
  ASSERT_OK(info);
  ASSERT_EQ(info->slots.size(), 1u);
  EXPECT_EQ(info->slots[0].kind, SlotKind::kPassphrase);
  EXPECT_EQ(info->slots[0].params.memory_kib, 8u);
  EXPECT_EQ(HexEncode(info->id), HexEncode(f.ks.id()));
  auto k = Keystore::UnlockWithPassphrase(blob, AsBytes("correct horse"), kTestPolicy);
  ASSERT_OK(k);
  ExpectItems(*k);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(blob, AsBytes("correct horsE"), kTestPolicy),
              ErrorCode::kWrongPassphrase);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(blob, {}, kTestPolicy), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Keystore::UnlockWithRecoveryKey(blob, AsBytes("x")), ErrorCode::kNoUnlockSlot);
  EXPECT_CODE(Keystore::UnlockWithPasskey(blob, kCred, kPrf), ErrorCode::kNoUnlockSlot);
  // The production policy refuses these toy parameters.
  EXPECT_CODE(Keystore::UnlockWithPassphrase(blob, AsBytes("correct horse"), kDefaultKdfPolicy),
              ErrorCode::kKdfDowngraded);
}

TEST(Keystore, PassphraseChangeRewrapsOnlyAndOldBlobStaysValid) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("old pass"), kMin, f.rng, kTestPolicy));
  Bytes old_blob = f.Blob();
  auto k = Keystore::UnlockWithPassphrase(old_blob, AsBytes("old pass"), kTestPolicy);
  ASSERT_OK(k);
  ASSERT_OK(k->SetPassphrase(AsBytes("new pass"), kMin, f.rng, kTestPolicy));
  auto new_blob = k->Serialize(f.rng);
  ASSERT_OK(new_blob);
  EXPECT_EQ(HexEncode(ItemsBox(*new_blob)), HexEncode(ItemsBox(old_blob)));
  EXPECT_NE(HexEncode(*new_blob), HexEncode(old_blob));
  EXPECT_OK(Keystore::UnlockWithPassphrase(old_blob, AsBytes("old pass"), kTestPolicy));
  EXPECT_CODE(Keystore::UnlockWithPassphrase(*new_blob, AsBytes("old pass"), kTestPolicy),
              ErrorCode::kWrongPassphrase);
  auto reopened = Keystore::UnlockWithPassphrase(*new_blob, AsBytes("new pass"), kTestPolicy);
  ASSERT_OK(reopened);
  ExpectItems(*reopened);
}

TEST(Keystore, TwoFactorNeedsBothFactors) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  EXPECT_CODE(f.ks.EnrollPasskey(AsBytes("pass"), kMin, kCred, kPrfSalt, kPrf, kOtherPrf, f.rng,
                                 kTestPolicy),
              ErrorCode::kPrfMismatch);
  EXPECT_EQ(f.ks.slots().size(), 1u);  // nothing changed
  EXPECT_CODE(f.ks.EnrollPasskey(AsBytes("pass"), kMin, kCred, kPrfSalt, Bytes(31, 1), Bytes(31, 1),
                                 f.rng, kTestPolicy),
              ErrorCode::kInvalidArgument);
  ASSERT_OK(
      f.ks.EnrollPasskey(AsBytes("pass"), kMin, kCred, kPrfSalt, kPrf, kPrf, f.rng, kTestPolicy));
  ASSERT_EQ(f.ks.slots().size(), 1u);  // the passphrase-only slot is gone
  EXPECT_EQ(f.ks.slots()[0].kind, SlotKind::kPassphrasePasskey);
  EXPECT_EQ(HexEncode(f.ks.slots()[0].prf_salt), HexEncode(kPrfSalt));
  EXPECT_CODE(f.ks.SetPassphrase(AsBytes("p2"), kMin, f.rng, kTestPolicy),
              ErrorCode::kNotPermitted);
  Bytes blob = f.Blob();
  // Neither factor alone.
  EXPECT_CODE(Keystore::UnlockWithPassphrase(blob, AsBytes("pass"), kTestPolicy),
              ErrorCode::kNoUnlockSlot);
  EXPECT_CODE(Keystore::UnlockWithPasskey(blob, kCred, kPrf), ErrorCode::kNoUnlockSlot);
  EXPECT_CODE(Keystore::UnlockWithPassphraseAndPasskey(blob, AsBytes("pass"), kCred, kOtherPrf,
                                                       kTestPolicy),
              ErrorCode::kWrongSecondFactor);
  EXPECT_CODE(
      Keystore::UnlockWithPassphraseAndPasskey(blob, AsBytes("pasz"), kCred, kPrf, kTestPolicy),
      ErrorCode::kWrongPassphrase);
  EXPECT_CODE(Keystore::UnlockWithPassphraseAndPasskey(blob, AsBytes("pass"), ToBytes("other"),
                                                       kPrf, kTestPolicy),
              ErrorCode::kNoUnlockSlot);
  auto k = Keystore::UnlockWithPassphraseAndPasskey(blob, AsBytes("pass"), kCred, kPrf,
                                                    kTestPolicy);
  ASSERT_OK(k);
  ExpectItems(*k);
  // Changing the passphrase of the two-factor slot needs that passkey.
  EXPECT_CODE(
      k->ChangeTwoFactorPassphrase(AsBytes("new"), kMin, kCred, kOtherPrf, f.rng, kTestPolicy),
      ErrorCode::kWrongSecondFactor);
  EXPECT_CODE(
      k->ChangeTwoFactorPassphrase(AsBytes("new"), kMin, ToBytes("nope"), kPrf, f.rng, kTestPolicy),
      ErrorCode::kNoUnlockSlot);
  ASSERT_OK(k->ChangeTwoFactorPassphrase(AsBytes("new"), kMin, kCred, kPrf, f.rng, kTestPolicy));
  auto changed = k->Serialize(f.rng);
  ASSERT_OK(changed);
  EXPECT_EQ(HexEncode(ItemsBox(*changed)), HexEncode(ItemsBox(blob)));
  EXPECT_CODE(
      Keystore::UnlockWithPassphraseAndPasskey(*changed, AsBytes("pass"), kCred, kPrf, kTestPolicy),
      ErrorCode::kWrongPassphrase);
  EXPECT_OK(
      Keystore::UnlockWithPassphraseAndPasskey(*changed, AsBytes("new"), kCred, kPrf, kTestPolicy));
}

TEST(Keystore, PasskeyOnlySlotIfChosen) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  EXPECT_CODE(f.ks.AddPasskeyOnlySlot(kCred, kPrfSalt, kPrf, kOtherPrf, f.rng),
              ErrorCode::kPrfMismatch);
  ASSERT_OK(f.ks.AddPasskeyOnlySlot(kCred, kPrfSalt, kPrf, kPrf, f.rng));
  Bytes blob = f.Blob();
  auto k = Keystore::UnlockWithPasskey(blob, kCred, kPrf);
  ASSERT_OK(k);
  ExpectItems(*k);
  EXPECT_CODE(Keystore::UnlockWithPasskey(blob, kCred, kOtherPrf), ErrorCode::kWrongSecondFactor);
  EXPECT_CODE(Keystore::UnlockWithPasskey(blob, kCred, Bytes(16, 0)), ErrorCode::kInvalidArgument);
  EXPECT_OK(Keystore::UnlockWithPassphrase(blob, AsBytes("pass"), kTestPolicy));
}

TEST(Keystore, RecoveryKeyOpensIndependently) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  ASSERT_OK(
      f.ks.EnrollPasskey(AsBytes("pass"), kMin, kCred, kPrfSalt, kPrf, kPrf, f.rng, kTestPolicy));
  auto text = f.ks.SetRecoveryKey(f.rng);
  ASSERT_OK(text);
  Bytes blob = f.Blob();
  auto k = Keystore::UnlockWithRecoveryKey(blob, RevealSecret(*text));
  ASSERT_OK(k);
  ExpectItems(*k);
  // The forgotten passphrase is replaced after recovery; the old blob stays valid.
  ASSERT_OK(k->RemoveSlot(0));
  ASSERT_OK(k->SetPassphrase(AsBytes("fresh"), kMin, f.rng, kTestPolicy));
  auto recovered = k->Serialize(f.rng);
  ASSERT_OK(recovered);
  EXPECT_OK(Keystore::UnlockWithPassphrase(*recovered, AsBytes("fresh"), kTestPolicy));
  EXPECT_OK(Keystore::UnlockWithRecoveryKey(*recovered, RevealSecret(*text)));
  // Another keystore's kit, a typo, garbage.
  Fixture other;
  other.rng = ChaChaRng(Bytes(32, 0x44));
  auto other_text = other.ks.SetRecoveryKey(other.rng);
  ASSERT_OK(other_text);
  EXPECT_CODE(Keystore::UnlockWithRecoveryKey(blob, RevealSecret(*other_text)),
              ErrorCode::kWrongRecoveryKey);
  std::string typo(AsText(RevealSecret(*text)));
  typo[3] = typo[3] == 'A' ? 'B' : 'A';
  EXPECT_CODE(Keystore::UnlockWithRecoveryKey(blob, AsBytes(typo)),
              ErrorCode::kRecoveryKeyChecksum);
  EXPECT_CODE(Keystore::UnlockWithRecoveryKey(blob, AsBytes("not a key")), ErrorCode::kMalformed);
  // Replacing the recovery key invalidates the old kit in the new blob only.
  auto again = Keystore::UnlockWithRecoveryKey(blob, RevealSecret(*text));
  ASSERT_OK(again);
  auto text2 = again->SetRecoveryKey(f.rng);
  ASSERT_OK(text2);
  EXPECT_EQ(again->slots().size(), 2u);
  auto blob2 = again->Serialize(f.rng);
  ASSERT_OK(blob2);
  EXPECT_CODE(Keystore::UnlockWithRecoveryKey(*blob2, RevealSecret(*text)),
              ErrorCode::kWrongRecoveryKey);
  EXPECT_OK(Keystore::UnlockWithRecoveryKey(*blob2, RevealSecret(*text2)));
  EXPECT_OK(Keystore::UnlockWithRecoveryKey(blob, RevealSecret(*text)));
}

// Offsets in a blob with one passphrase slot: header 4+1+16+4+4+1 = 30, the
// slot's kind at 30, salt 31..46, memory 47, passes 51, nonce 55, wrap 79.
constexpr size_t kFloorMem = 21, kFloorPasses = 25, kSlotMem = 47, kSlotPasses = 51;

void PutU32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

TEST(Keystore, DowngradedAndExcessiveParameters) {
  Fixture f;
  auto k = Keystore::Create(SeedItems(), KdfParams{16, 1}, f.rng);
  ASSERT_OK(k);
  EXPECT_CODE(k->SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy),
              ErrorCode::kKdfDowngraded);  // below the keystore's floor
  EXPECT_CODE(k->SetPassphrase(AsBytes("pass"), KdfParams{128, 1}, f.rng, kTestPolicy),
              ErrorCode::kTooLarge);
  ASSERT_OK(k->SetPassphrase(AsBytes("pass"), KdfParams{16, 1}, f.rng, kTestPolicy));
  Bytes blob = *k->Serialize(f.rng);
  ASSERT_EQ(blob[30], 1);
  ASSERT_EQ(blob[kSlotMem], 16);
  {
    Bytes b = blob;  // slot lowered below the keystore's floor
    PutU32(b, kSlotMem, 8);
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kKdfDowngraded);
  }
  {
    Bytes b = blob;  // both lowered: the caller's floor still holds...
    PutU32(b, kSlotMem, 8);
    PutU32(b, kFloorMem, 8);
    KdfPolicy strict = kTestPolicy;
    strict.floor = KdfParams{16, 1};
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), strict),
                ErrorCode::kKdfDowngraded);
    // ...and under a floor that allows them the KEK differs (spec §5.3).
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kWrongPassphrase);
  }
  {
    Bytes b = blob;  // the keystore's floor alone lowered: the header MAC
    PutU32(b, kFloorPasses, 1);
    PutU32(b, kFloorMem, 8);
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kKeystoreCorrupted);
  }
  {
    Bytes b = blob;  // passes raised above the cap
    PutU32(b, kSlotPasses, 3);
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kTooLarge);
    PutU32(b, kSlotMem, kArgon2MaxMemoryKib + 1);
    EXPECT_CODE(InspectKeystore(b), ErrorCode::kTooLarge);
    PutU32(b, kSlotMem, 7);
    EXPECT_CODE(InspectKeystore(b), ErrorCode::kMalformed);
  }
  EXPECT_OK(Keystore::UnlockWithPassphrase(blob, AsBytes("pass"), kTestPolicy));
}

TEST(Keystore, DefaultPolicyDecidesBeforeArgon2idRuns) {
  // The default policy's numbers, checked on patched blobs so that no
  // Argon2id runs at real cost: 64 MiB / 3 needs no rehash, OWASP's
  // 19 MiB / 2 does; above 256 MiB or 10 passes is refused at once.
  EXPECT_EQ(kDefaultKdfPolicy.floor.memory_kib, 19456u);
  EXPECT_EQ(kDefaultKdfPolicy.floor.passes, 2u);
  EXPECT_EQ(kDefaultKdfPolicy.defaults.memory_kib, 65536u);
  EXPECT_EQ(kDefaultKdfPolicy.defaults.passes, 3u);
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  Bytes blob = f.Blob();
  auto rehash = [&](uint32_t m, uint32_t t) {
    Bytes b = blob;
    PutU32(b, kSlotMem, m);
    PutU32(b, kSlotPasses, t);
    auto info = InspectKeystore(b);
    MEDSEAL_CHECK(info.ok());
    return NeedsRehash(*info, kDefaultKdfPolicy);
  };
  EXPECT_FALSE(rehash(65536, 3));
  EXPECT_FALSE(rehash(131072, 4));
  EXPECT_TRUE(rehash(19456, 2));
  EXPECT_TRUE(rehash(65536, 2));
  EXPECT_TRUE(rehash(65535, 3));
  Bytes big = blob;
  // The keystore's own floor (8 KiB / 1) is below the policy floor: KU2
  // reports that first.
  PutU32(big, kSlotMem, 65536);
  PutU32(big, kSlotPasses, 3);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(big, AsBytes("pass"), kDefaultKdfPolicy),
              ErrorCode::kKdfDowngraded);
  PutU32(big, kFloorMem, 19456);
  PutU32(big, kFloorPasses, 2);
  PutU32(big, kSlotMem, 262145);
  PutU32(big, kSlotPasses, 3);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(big, AsBytes("pass"), kDefaultKdfPolicy),
              ErrorCode::kTooLarge);
  PutU32(big, kSlotMem, 65536);
  PutU32(big, kSlotPasses, 11);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(big, AsBytes("pass"), kDefaultKdfPolicy),
              ErrorCode::kTooLarge);
}

TEST(Keystore, ItemsAreReencryptedOnlyWhenTheyChange) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  Bytes first = f.Blob();
  Bytes again = f.Blob();
  EXPECT_EQ(HexEncode(first), HexEncode(again));  // nothing changed, nothing redrawn
  auto k = Keystore::UnlockWithPassphrase(first, AsBytes("pass"), kTestPolicy);
  ASSERT_OK(k);
  ASSERT_OK(k->AddItem({ItemType::kGroupKey, 5, "ward", SecretBytes::CopyFrom(Bytes(16, 3))}));
  EXPECT_CODE(k->AddItem({ItemType::kIdentitySeed, 5, "", SecretBytes::CopyFrom(Bytes(32, 3))}),
              ErrorCode::kInvalidArgument);  // a second current seed
  auto changed = k->Serialize(f.rng);
  ASSERT_OK(changed);
  EXPECT_EQ(changed->size(), first.size() + 12 + 4 + 16);
  EXPECT_EQ(HexEncode(ByteView(*changed).first(127)), HexEncode(ByteView(first).first(127)));
  auto reopened = Keystore::UnlockWithPassphrase(*changed, AsBytes("pass"), kTestPolicy);
  ASSERT_OK(reopened);
  ASSERT_EQ(reopened->items().size(), 3u);
  EXPECT_EQ(reopened->items()[2].name, "ward");
  EXPECT_OK(Keystore::UnlockWithPassphrase(first, AsBytes("pass"), kTestPolicy));
}

TEST(Keystore, NeedsRehashAndUpgrade) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  Bytes blob = f.Blob();
  auto info = InspectKeystore(blob);
  ASSERT_OK(info);
  EXPECT_TRUE(NeedsRehash(*info, kTestPolicy));
  KdfPolicy lax = kTestPolicy;
  lax.defaults = kMin;
  EXPECT_FALSE(NeedsRehash(*info, lax));
  auto k = Keystore::UnlockWithPassphrase(blob, AsBytes("pass"), kTestPolicy);
  ASSERT_OK(k);
  ASSERT_OK(k->SetPassphrase(AsBytes("pass"), kTestPolicy.defaults, f.rng, kTestPolicy));
  auto upgraded = k->Serialize(f.rng);
  ASSERT_OK(upgraded);
  auto info2 = InspectKeystore(*upgraded);
  ASSERT_OK(info2);
  EXPECT_FALSE(NeedsRehash(*info2, kTestPolicy));
  EXPECT_EQ(info2->slots[0].params.memory_kib, 16u);
  EXPECT_EQ(HexEncode(ItemsBox(*upgraded)), HexEncode(ItemsBox(blob)));
  EXPECT_OK(Keystore::UnlockWithPassphrase(*upgraded, AsBytes("pass"), kTestPolicy));
}

TEST(Keystore, CorruptionIsReportedAfterTheKeyIsKnown) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  auto recovery_key = f.ks.SetRecoveryKey(f.rng);
  ASSERT_OK(recovery_key);
  Bytes blob = f.Blob();
  {
    Bytes b = blob;
    b[b.size() - 5] ^= 1;  // items ciphertext
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kKeystoreCorrupted);
  }
  {
    Bytes b = blob;
    b[127 + 1 + 3] ^= 1;  // the recovery slot's nonce (not the slot being opened)
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kKeystoreCorrupted);
  }
  {
    Bytes b = blob;
    b[kSlotMem - 10] ^= 1;  // the passphrase slot's salt: a different KEK
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kWrongPassphrase);
  }
  {
    // The recovery slot removed by someone without the master key.
    Bytes b(blob.begin(), blob.begin() + 127);
    b[29] = 1;
    b.insert(b.end(), blob.begin() + 127 + 73, blob.end());
    ASSERT_OK(InspectKeystore(b));
    EXPECT_CODE(Keystore::UnlockWithPassphrase(b, AsBytes("pass"), kTestPolicy),
                ErrorCode::kKeystoreCorrupted);
  }
}

TEST(Keystore, ParseRules) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  Bytes blob = f.Blob();
  for (size_t n = 0; n < blob.size(); ++n) {
    ASSERT_EQ(ErrorCodeName(InspectKeystore(ByteView(blob).first(n)).status().code()), "TRUNCATED")
        << n;
  }
  auto with = [&](size_t at, uint8_t v) {
    Bytes b = blob;
    b[at] = v;
    return b;
  };
  EXPECT_CODE(InspectKeystore(with(0, 'X')), ErrorCode::kMalformed);
  EXPECT_CODE(InspectKeystore(with(4, 2)), ErrorCode::kUnsupportedVersion);  // from the future
  EXPECT_CODE(InspectKeystore(with(4, 0)), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(InspectKeystore(with(29, 0)), ErrorCode::kMalformed);
  EXPECT_CODE(InspectKeystore(with(29, 17)), ErrorCode::kTooLarge);
  EXPECT_CODE(InspectKeystore(with(30, 5)), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(InspectKeystore(with(30, 0)), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(InspectKeystore(with(kFloorMem, 7)), ErrorCode::kMalformed);
  Bytes trailing = blob;
  trailing.push_back(0);
  EXPECT_CODE(InspectKeystore(trailing), ErrorCode::kTrailingData);
  EXPECT_CODE(Keystore::UnlockWithPassphrase(trailing, AsBytes("pass"), kTestPolicy),
              ErrorCode::kTrailingData);
  EXPECT_CODE(InspectKeystore(Bytes(kMaxKeystoreSize + 1, 0)), ErrorCode::kTooLarge);
  // Two passphrase slots.
  Bytes twice(blob.begin(), blob.begin() + 30);
  twice[29] = 2;
  twice.insert(twice.end(), blob.begin() + 30, blob.begin() + 127);
  twice.insert(twice.end(), blob.begin() + 30, blob.end());
  EXPECT_CODE(InspectKeystore(twice), ErrorCode::kMalformed);
}

TEST(Keystore, RotationKeepsTheOldSeed) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("pass"), kMin, f.rng, kTestPolicy));
  ASSERT_OK(
      f.ks.RotateIdentitySeed(SecretBytes::CopyFrom(Bytes(32, 0x09)), "patient-2", 1800000000000));
  EXPECT_CODE(f.ks.RotateIdentitySeed(SecretBytes::CopyFrom(Bytes(31, 0x09)), "x", 1),
              ErrorCode::kInvalidArgument);
  Bytes blob = f.Blob();
  auto k = Keystore::UnlockWithPassphrase(blob, AsBytes("pass"), kTestPolicy);
  ASSERT_OK(k);
  ASSERT_EQ(k->items().size(), 3u);
  EXPECT_EQ(k->items()[0].type, ItemType::kRetiredIdentitySeed);
  EXPECT_EQ(HexEncode(RevealSecret(k->items()[0].secret)), HexEncode(Bytes(32, 0x01)));
  EXPECT_EQ(HexEncode(RevealSecret(*k->identity_seed())), HexEncode(Bytes(32, 0x09)));
  EXPECT_EQ(k->items()[2].name, "patient-2");
  EXPECT_EQ(k->items()[2].created, 1800000000000);
}

TEST(Keystore, ItemAndArgumentChecks) {
  ChaChaRng rng(Bytes(32, 7));
  std::vector<KeystoreItem> two;
  two.push_back({ItemType::kIdentitySeed, 0, "", SecretBytes::CopyFrom(Bytes(32, 1))});
  two.push_back({ItemType::kIdentitySeed, 0, "", SecretBytes::CopyFrom(Bytes(32, 2))});
  EXPECT_CODE(Keystore::Create(std::move(two), kMin, rng), ErrorCode::kInvalidArgument);
  std::vector<KeystoreItem> bad_name;
  bad_name.push_back({ItemType::kGroupKey, 0, "\xff", SecretBytes::CopyFrom(Bytes(8, 1))});
  EXPECT_CODE(Keystore::Create(std::move(bad_name), kMin, rng), ErrorCode::kInvalidArgument);
  std::vector<KeystoreItem> empty_group;
  empty_group.push_back({ItemType::kGroupKey, 0, "g", SecretBytes()});
  EXPECT_CODE(Keystore::Create(std::move(empty_group), kMin, rng), ErrorCode::kInvalidArgument);
  std::vector<KeystoreItem> bad_time;
  bad_time.push_back({ItemType::kGroupKey, -1, "g", SecretBytes::CopyFrom(Bytes(8, 1))});
  EXPECT_CODE(Keystore::Create(std::move(bad_time), kMin, rng), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Keystore::Create({}, KdfParams{7, 1}, rng), ErrorCode::kInvalidArgument);
  auto k = Keystore::Create({}, kMin, rng);
  ASSERT_OK(k);
  EXPECT_EQ(k->identity_seed(), nullptr);
  EXPECT_CODE(k->SetPassphrase(Bytes(kMaxPassphraseSize + 1, 'a'), kMin, rng, kTestPolicy),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(k->AddPasskeyOnlySlot({}, kPrfSalt, kPrf, kPrf, rng), ErrorCode::kInvalidArgument);
  EXPECT_CODE(k->AddPasskeyOnlySlot(kCred, Bytes(31, 0), kPrf, kPrf, rng),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(k->RemoveSlot(0), ErrorCode::kInvalidArgument);
  ASSERT_OK(k->SetPassphrase(AsBytes("p"), kMin, rng, kTestPolicy));
  EXPECT_CODE(k->RemoveSlot(0), ErrorCode::kInvalidArgument);  // the last slot
  for (int i = 0; i < 15; ++i) {
    ASSERT_OK(k->AddPasskeyOnlySlot(ToBytes("c" + std::to_string(i)), kPrfSalt, kPrf, kPrf, rng));
  }
  EXPECT_CODE(k->AddPasskeyOnlySlot(ToBytes("c16"), kPrfSalt, kPrf, kPrf, rng),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(k->SetRecoveryKey(rng), ErrorCode::kInvalidArgument);
  ASSERT_OK(k->AddPasskeyOnlySlot(ToBytes("c3"), kPrfSalt, kPrf, kPrf, rng));  // replaces
  auto blob = k->Serialize(rng);
  ASSERT_OK(blob);
  auto opened = Keystore::UnlockWithPasskey(*blob, ToBytes("c14"), kPrf);
  ASSERT_OK(opened);
  EXPECT_TRUE(opened->items().empty());
  EXPECT_EQ(opened->slots().size(), 16u);
}

// What the npm package reads: the item accessors and the JSON descriptions.
TEST(Keystore, AccessorsAndJsonForThePackage) {
  Fixture f;
  ASSERT_OK(f.ks.SetPassphrase(AsBytes("correct horse"), kMin, f.rng, kTestPolicy));
  auto seed = f.ks.current_identity_seed();
  ASSERT_OK(seed);
  EXPECT_EQ(HexEncode(RevealSecret(**seed)), HexEncode(Bytes(32, 0x01)));
  auto second = f.ks.item(1);
  ASSERT_OK(second);
  EXPECT_EQ((*second)->name, "cardiology/nurse");
  EXPECT_CODE(f.ks.item(2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(f.ks.ItemsJson(),
            R"([{"created":1700000000000,"name":"patient","size":32,"type":1},)"
            R"({"created":1700000000001,"name":"cardiology/nurse","size":48,"type":3}])");
  Bytes blob = f.Blob();
  auto inspected = InspectKeystore(blob);
  ASSERT_OK(inspected);
  EXPECT_EQ(KeystoreInfoJson(f.ks.info()), KeystoreInfoJson(*inspected));
  EXPECT_EQ(
      KeystoreInfoJson(*inspected),
      R"({"floor":{"memoryKib":8,"passes":1},"id":")" + HexEncode(f.ks.id()) +
          R"(","slots":[{"credentialId":"","kind":1,"memoryKib":8,"passes":1,"prfSalt":""}],"version":1})");
  ASSERT_OK(f.ks.AddPasskeyOnlySlot(kCred, kPrfSalt, kPrf, kPrf, f.rng));
  EXPECT_NE(
      KeystoreInfoJson(f.ks.info())
          .find(R"("credentialId":")" + HexEncode(kCred) +
                R"(","kind":3,"memoryKib":0,"passes":0,"prfSalt":")" + HexEncode(kPrfSalt) + "\""),
      std::string::npos);
  std::vector<KeystoreItem> none;
  auto empty = Keystore::Create(std::move(none), kMin, f.rng);
  ASSERT_OK(empty);
  EXPECT_CODE(empty->current_identity_seed(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty->ItemsJson(), "[]");
}

}  // namespace
}  // namespace medseal
