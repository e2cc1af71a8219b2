// SPDX-License-Identifier: Apache-2.0
// The keystore (docs/spec/keystore.md): an identity's seed and its other
// secrets (retired seeds after a rotation, group keys) encrypted under a
// random 32-byte master key, which is wrapped in unlock slots:
//   passphrase            KEK from Argon2id(passphrase)
//   passphrase + passkey  KEK from Argon2id(passphrase) and a 32-byte WebAuthn
//                         PRF output, combined so that neither alone suffices
//   passkey               KEK from the PRF output alone (only if the user chooses)
//   recovery key          KEK from the 32-byte recovery key (core/keystore/recovery.h)
// Nothing is modified in place: every change is made on an unlocked Keystore
// and Serialize() returns a new blob; the old blob stays valid until the
// caller replaces it. Changing a passphrase re-wraps the master key only: the
// encrypted items keep their bytes, and no record is touched.
#ifndef MEDSEAL_CORE_KEYSTORE_KEYSTORE_H_
#define MEDSEAL_CORE_KEYSTORE_KEYSTORE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr uint8_t kKeystoreVersion = 1;
inline constexpr size_t kKeystoreIdSize = 16;
inline constexpr size_t kKeystoreMasterKeySize = 32;
inline constexpr size_t kPrfOutputSize = 32;          // WebAuthn PRF (hmac-secret) output
inline constexpr size_t kPrfSaltSize = 32;            // the PRF input stored with the slot
inline constexpr size_t kMaxCredentialIdSize = 1023;  // WebAuthn's limit
inline constexpr size_t kMaxKeystoreSlots = 16;
inline constexpr size_t kMaxKeystoreItems = 256;
inline constexpr size_t kMaxItemNameSize = 64;
inline constexpr size_t kMaxItemSecretSize = 1024;
inline constexpr size_t kMinPassphraseSize = 1;
inline constexpr size_t kMaxPassphraseSize = 4096;
inline constexpr size_t kMaxKeystoreSize = 1 << 20;

// Argon2id cost: memory in KiB and passes (parallelism is always 1).
struct KdfParams {
  uint32_t memory_kib = 0;
  uint32_t passes = 0;
};
// True if `a` is below `b` in memory or in passes.
bool KdfBelow(const KdfParams& a, const KdfParams& b);

// What a caller accepts and what it writes:
//   floor     slots (and a keystore's own floor) below it are KDF_DOWNGRADED
//   defaults  what new slots get; slots below it need a rehash
//   cap       slots above it are TOO_LARGE (a blob must not make the tab
//             allocate gigabytes)
struct KdfPolicy {
  KdfParams floor;
  KdfParams defaults;
  KdfParams cap;
};
// OWASP's minimum for Argon2id (19 MiB, 2 passes) as the floor, RFC 9106's
// second recommended option (64 MiB, 3 passes) as the default, 256 MiB and 10
// passes as the cap (docs/spec/keystore.md §3 gives the measurements).
inline constexpr KdfParams kKdfFloor{19456, 2};
inline constexpr KdfParams kKdfDefaults{65536, 3};
inline constexpr KdfParams kKdfCap{262144, 10};
inline constexpr KdfPolicy kDefaultKdfPolicy{kKdfFloor, kKdfDefaults, kKdfCap};

// The numbers are the format's bytes (spec §2).
enum class SlotKind : uint8_t {
  kPassphrase = 1,
  kPassphrasePasskey = 2,
  kPasskey = 3,
  kRecovery = 4,
};

enum class ItemType : uint8_t {
  kIdentitySeed = 1,         // the current identity seed (32 bytes; at most one)
  kRetiredIdentitySeed = 2,  // an older seed, kept so that old records still open (32 bytes)
  kGroupKey = 3,             // a group or care-team secret (1..1024 bytes)
};

struct KeystoreItem {
  ItemType type = ItemType::kIdentitySeed;
  UnixMillis created = 0;  // 0..kMaxUnixMillis
  std::string name;        // 0..64 bytes of UTF-8, e.g. a key id in hex or a group name
  SecretBytes secret;
};

// What the public part of a blob says (no secret needed): which factors to
// ask for, which credential ids and PRF inputs to pass to WebAuthn.
struct SlotInfo {
  SlotKind kind = SlotKind::kPassphrase;
  KdfParams params;     // kinds 1 and 2; zero otherwise
  Bytes credential_id;  // kinds 2 and 3
  Bytes prf_salt;       // kinds 2 and 3
};
struct KeystoreInfo {
  uint8_t version = 0;
  Bytes id;
  KdfParams floor;
  std::vector<SlotInfo> slots;
};

// Parses a blob (spec §5.1, rules KS1-KS10) without opening anything.
Result<KeystoreInfo> InspectKeystore(ByteView blob);
// True if a passphrase slot (kinds 1, 2) has parameters below
// policy.defaults: unlock, then SetPassphrase / ChangeTwoFactorPassphrase
// with the same passphrase and the defaults, and store the new blob.
bool NeedsRehash(const KeystoreInfo& info, const KdfPolicy& policy);
// The public description as UTF-8 JSON, for the npm package (no secret in
// it): {"version":1,"id":hex,"floor":{"memoryKib":m,"passes":t},
// "slots":[{"kind":k,"memoryKib":m,"passes":t,"credentialId":hex,
// "prfSalt":hex}, ...]} with the slot kinds of SlotKind (params zero and ids
// empty where the kind has none).
std::string KeystoreInfoJson(const KeystoreInfo& info);

class Keystore {
 public:
  // A new keystore (fresh id and master key from `rng`) holding `items`
  // (checked as spec §4; kInvalidArgument otherwise), with no slots yet.
  // `floor` is the keystore's own floor, recorded in the blob: no slot below
  // it is ever accepted (kKdfDowngraded).
  static Result<Keystore> Create(std::vector<KeystoreItem> items, KdfParams floor, Rng& rng);

  // Unlocking (spec §5.2, rules KU1-KU7). Errors: the parse codes of
  // InspectKeystore; kNoUnlockSlot; kKdfDowngraded, kTooLarge (params above
  // policy.cap); kWrongSecondFactor; kWrongPassphrase; kWrongRecoveryKey;
  // kMalformed / kRecoveryKeyChecksum for a recovery text that does not
  // parse; kKeystoreCorrupted.
  static Result<Keystore> UnlockWithPassphrase(ByteView blob, ByteView passphrase,
                                               const KdfPolicy& policy);
  static Result<Keystore> UnlockWithPassphraseAndPasskey(ByteView blob, ByteView passphrase,
                                                         ByteView credential_id,
                                                         ByteView prf_output,
                                                         const KdfPolicy& policy);
  static Result<Keystore> UnlockWithPasskey(ByteView blob, ByteView credential_id,
                                            ByteView prf_output);
  static Result<Keystore> UnlockWithRecoveryKey(ByteView blob, ByteView recovery_text);

  Keystore(const Keystore&) = delete;
  Keystore& operator=(const Keystore&) = delete;
  Keystore(Keystore&&) noexcept = default;
  Keystore& operator=(Keystore&&) noexcept = default;
  ~Keystore() = default;

  const Bytes& id() const { return id_; }
  KdfParams floor() const { return floor_; }
  const std::vector<KeystoreItem>& items() const { return items_; }
  std::vector<SlotInfo> slots() const;
  // The current identity seed, or null.
  const SecretBytes* identity_seed() const;
  // The same as a Result: kInvalidArgument if the keystore holds none.
  Result<const SecretBytes*> current_identity_seed() const;
  // Item `index` (of items()); kInvalidArgument if out of range.
  Result<const KeystoreItem*> item(size_t index) const;
  // The public description of the unlocked keystore (what
  // InspectKeystore(Serialize()) would say, without serializing).
  KeystoreInfo info() const;
  // The items without their secrets, as UTF-8 JSON for the npm package:
  // [{"type":1,"created":ms,"name":"...","size":32}, ...] in items() order.
  std::string ItemsJson() const;

  // Appends an item (checked as in Create).
  Status AddItem(KeystoreItem item);
  // Rotation: the current seed becomes a kRetiredIdentitySeed item (it
  // keeps its name and time) and `new_seed` (32 bytes) the current one,
  // created at `now`, named `name`.
  Status RotateIdentitySeed(SecretBytes new_seed, std::string name, UnixMillis now);

  // Slots. Each draws a fresh salt and nonce from `rng`. Params are checked:
  // kKdfDowngraded below policy.floor or the keystore's floor, kTooLarge
  // above policy.cap; passphrases are 1..4096 bytes (kInvalidArgument).
  //
  // Adds or replaces the passphrase-only slot. kNotPermitted while a
  // passphrase + passkey slot exists (it would drop the second factor:
  // remove those slots first, or use ChangeTwoFactorPassphrase).
  Status SetPassphrase(ByteView passphrase, KdfParams params, Rng& rng, const KdfPolicy& policy);
  // Enrols a passkey as second factor: `prf_first` and `prf_second` are two
  // evaluations of the credential's PRF at `prf_salt` and must be equal
  // (kPrfMismatch). Adds a passphrase + passkey slot (replacing one for the
  // same credential) and removes the passphrase-only slot.
  Status EnrollPasskey(ByteView passphrase, KdfParams params, ByteView credential_id,
                       ByteView prf_salt, ByteView prf_first, ByteView prf_second, Rng& rng,
                       const KdfPolicy& policy);
  // Changes the passphrase of the passphrase + passkey slot of
  // `credential_id` (kNoUnlockSlot if none; kWrongSecondFactor if
  // `prf_output` is not that credential's).
  Status ChangeTwoFactorPassphrase(ByteView new_passphrase, KdfParams params,
                                   ByteView credential_id, ByteView prf_output, Rng& rng,
                                   const KdfPolicy& policy);
  // Adds (or replaces) a passkey-only slot: the passkey alone opens the
  // keystore. Only if the user chooses it. Same PRF checks as EnrollPasskey.
  Status AddPasskeyOnlySlot(ByteView credential_id, ByteView prf_salt, ByteView prf_first,
                            ByteView prf_second, Rng& rng);
  // A new recovery key (replacing the previous recovery slot): returns its
  // text (FormatRecoveryKey), to be shown once. kInvalidArgument if there
  // are 16 slots and none of them is the recovery slot.
  Result<SecretBytes> SetRecoveryKey(Rng& rng);
  // Removes slot `index` (of slots()); kInvalidArgument if out of range or
  // the last slot.
  Status RemoveSlot(size_t index);

  // The blob: kInvalidArgument without slots. Items are re-encrypted (fresh
  // nonce from `rng`) only if they changed since unlocking or the last
  // Serialize; otherwise their bytes are kept as they were.
  Result<Bytes> Serialize(Rng& rng);

 private:
  Keystore() = default;
  static Result<Keystore> Open(ByteView blob, size_t slot_index, const SecretBytes& kek,
                               ErrorCode wrong_key);
  Status CheckParams(KdfParams params, const KdfPolicy& policy) const;
  Status AddPasskeySlot(SlotKind kind, ByteView passphrase, KdfParams params,
                        ByteView credential_id, ByteView prf_salt, ByteView prf, Rng& rng);
  void PutSlot(Bytes slot);

  Bytes id_;
  KdfParams floor_;
  SecretBytes master_;
  std::vector<Bytes> slots_;  // each slot's encoding (spec §2.2)
  std::vector<KeystoreItem> items_;
  Bytes items_box_;  // nonce || u32 length || ciphertext, as last serialized
  bool items_dirty_ = true;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_KEYSTORE_KEYSTORE_H_
