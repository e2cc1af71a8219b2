// SPDX-License-Identifier: Apache-2.0
#include "core/keystore/keystore.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "core/base/utf8.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/codec/json.h"
#include "core/crypto/aead.h"
#include "core/crypto/argon2.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/sha2.h"
#include "core/keystore/recovery.h"

namespace medseal {
namespace {

constexpr std::string_view kMagic = "MSKS";
constexpr size_t kWrappedSize = kKeystoreMasterKeySize + kAeadTagSize;  // 48
constexpr size_t kPrfCheckSize = 16;
constexpr size_t kItemHeaderSize = 1 + 8 + 1 + 2;  // type, created, name length, secret length
constexpr size_t kMaxItemsPlain = 2 + kMaxKeystoreItems *
                                          (kItemHeaderSize + kMaxItemNameSize + kMaxItemSecretSize);
constexpr size_t kMacSize = 32;

constexpr std::string_view kLabelSlot = "medseal/v1/keystore/slot";
constexpr std::string_view kLabelItems = "medseal/v1/keystore/items";
constexpr std::string_view kLabelItemsKey = "medseal/v1/keystore/items-key";
constexpr std::string_view kLabelMacKey = "medseal/v1/keystore/header-mac-key";
constexpr std::string_view kLabelHeader = "medseal/v1/keystore/header";
constexpr std::string_view kLabelKekPassphrase = "medseal/v1/keystore/kek/passphrase";
constexpr std::string_view kLabelKekTwoFactor = "medseal/v1/keystore/kek/passphrase+passkey";
constexpr std::string_view kLabelKekPasskey = "medseal/v1/keystore/kek/passkey";
constexpr std::string_view kLabelKekRecovery = "medseal/v1/keystore/kek/recovery";
constexpr std::string_view kLabelPrfCheck = "medseal/v1/keystore/prf-check";

struct ParsedSlot {
  SlotKind kind = SlotKind::kPassphrase;
  KdfParams params;
  ByteView salt, credential_id, prf_salt, prf_check, nonce, wrapped;
  ByteView prefix;  // kind .. the byte before the nonce
  ByteView whole;
};

struct Parsed {
  ByteView id;
  KdfParams floor;
  std::vector<ParsedSlot> slots;
  ByteView header;  // magic .. the last slot (what the MAC covers)
  ByteView mac;
  ByteView items_box;  // nonce || length || ciphertext
  ByteView items_nonce, items_ct;
};

Status Truncated(const char* what) { return Error(ErrorCode::kTruncated, what); }

Status CheckStoredParams(KdfParams p) {
  if (p.memory_kib < kArgon2MinMemoryKib || p.passes < kArgon2MinPasses) {
    return Error(ErrorCode::kMalformed, "keystore: Argon2id parameters below 8 KiB / 1 pass");
  }
  if (p.memory_kib > kArgon2MaxMemoryKib) {
    return Error(ErrorCode::kTooLarge, "keystore: Argon2id memory above 2 GiB");
  }
  return Status::Ok();
}

Status ParseCredential(ByteReader& r, ParsedSlot& s) {
  uint8_t lo = 0, hi = 0;
  if (!r.U8(lo) || !r.U8(hi)) return Truncated("keystore: slot credential length");
  const size_t len = lo | (size_t{hi} << 8);
  if (len == 0) return Error(ErrorCode::kMalformed, "keystore: empty credential id");
  if (len > kMaxCredentialIdSize) return Error(ErrorCode::kTooLarge, "keystore: credential id");
  if (!r.Raw(len, s.credential_id) || !r.Raw(kPrfSaltSize, s.prf_salt) ||
      !r.Raw(kPrfCheckSize, s.prf_check)) {
    return Truncated("keystore: passkey slot");
  }
  return Status::Ok();
}

Status ParseSlot(ByteReader& r, ByteView in, ParsedSlot& s) {
  const size_t start = r.position();
  uint8_t kind = 0;
  if (!r.U8(kind)) return Truncated("keystore: slot kind");
  if (kind < 1 || kind > 4) {
    return Error(ErrorCode::kUnsupportedVersion, "keystore: unknown slot kind");
  }
  s.kind = static_cast<SlotKind>(kind);
  if (s.kind == SlotKind::kPassphrase || s.kind == SlotKind::kPassphrasePasskey) {
    if (!r.Raw(kArgon2SaltSize, s.salt) || !r.U32(s.params.memory_kib) || !r.U32(s.params.passes)) {
      return Truncated("keystore: passphrase slot");
    }
    MEDSEAL_RETURN_IF_ERROR(CheckStoredParams(s.params));
  }
  if (s.kind == SlotKind::kPassphrasePasskey || s.kind == SlotKind::kPasskey) {
    MEDSEAL_RETURN_IF_ERROR(ParseCredential(r, s));
  }
  s.prefix = in.subspan(start, r.position() - start);
  if (!r.Raw(kXChaChaNonceSize, s.nonce) || !r.Raw(kWrappedSize, s.wrapped)) {
    return Truncated("keystore: wrapped master key");
  }
  s.whole = in.subspan(start, r.position() - start);
  return Status::Ok();
}

bool SameBytes(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

Result<Parsed> Parse(ByteView in) {
  if (in.size() > kMaxKeystoreSize) return Error(ErrorCode::kTooLarge, "keystore: above 1 MiB");
  ByteReader r(in);
  ByteView magic;
  uint8_t version = 0;
  if (!r.Raw(kMagic.size(), magic)) return Truncated("keystore: magic");
  if (!SameBytes(magic, AsBytes(kMagic))) return Error(ErrorCode::kMalformed, "keystore: magic");
  if (!r.U8(version)) return Truncated("keystore: version");
  if (version != kKeystoreVersion) {
    return Error(ErrorCode::kUnsupportedVersion, "keystore: version");
  }
  Parsed p;
  uint8_t n = 0;
  if (!r.Raw(kKeystoreIdSize, p.id) || !r.U32(p.floor.memory_kib) || !r.U32(p.floor.passes) ||
      !r.U8(n)) {
    return Truncated("keystore: header");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckStoredParams(p.floor));
  if (n == 0) return Error(ErrorCode::kMalformed, "keystore: no slots");
  if (n > kMaxKeystoreSlots) return Error(ErrorCode::kTooLarge, "keystore: more than 16 slots");
  for (size_t i = 0; i < n; ++i) {
    ParsedSlot s;
    MEDSEAL_RETURN_IF_ERROR(ParseSlot(r, in, s));
    p.slots.push_back(s);
  }
  // K8: one passphrase-only and one recovery slot at most; a credential once per kind.
  for (size_t i = 0; i < p.slots.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      const ParsedSlot& a = p.slots[i];
      const ParsedSlot& b = p.slots[j];
      if (a.kind != b.kind) continue;
      const bool keyed = a.kind == SlotKind::kPassphrasePasskey || a.kind == SlotKind::kPasskey;
      if (!keyed || SameBytes(a.credential_id, b.credential_id)) {
        return Error(ErrorCode::kMalformed, "keystore: duplicate slot");
      }
    }
  }
  p.header = in.first(r.position());
  if (!r.Raw(kMacSize, p.mac)) return Truncated("keystore: header MAC");
  const size_t box_start = r.position();
  uint32_t len = 0;
  if (!r.Raw(kXChaChaNonceSize, p.items_nonce) || !r.U32(len)) return Truncated("keystore: items");
  if (len < kAeadTagSize + 2) return Error(ErrorCode::kMalformed, "keystore: items too short");
  if (len > kAeadTagSize + kMaxItemsPlain) return Error(ErrorCode::kTooLarge, "keystore: items");
  if (!r.Raw(len, p.items_ct)) return Truncated("keystore: items ciphertext");
  p.items_box = in.subspan(box_start, r.position() - box_start);
  if (r.remaining() != 0) return Error(ErrorCode::kTrailingData, "keystore: trailing bytes");
  return p;
}

// LABEL(label) || "MSKS" || version || id
Bytes Bound(std::string_view label, ByteView id) {
  Bytes b = LabelBytes(label);
  ByteWriter w(b);
  w.Raw(kMagic);
  w.U8(kKeystoreVersion);
  w.Raw(id);
  return b;
}

Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

SecretBytes KeyedHash(ByteView key, ByteView message) {
  auto r = Blake2bDeriveKey(32, key, message);
  MEDSEAL_CHECK(r.ok());  // key sizes are constants of this file
  return std::move(r).value();
}

Bytes PrfCheck(ByteView prf, ByteView id, ByteView credential_id) {
  Bytes msg = LabelBytes(kLabelPrfCheck);
  ByteWriter(msg).Raw(id);
  ByteWriter(msg).Raw(credential_id);
  auto r = Blake2b(kPrfCheckSize, prf, msg);
  MEDSEAL_CHECK(r.ok());
  return std::move(r).value();
}

Result<SecretBytes> PassphraseStage(ByteView passphrase, ByteView salt, KdfParams p) {
  return Argon2id(passphrase, salt, p.passes, p.memory_kib, 32);
}

Bytes KekMessage(std::string_view label, ByteView id, ByteView credential_id) {
  Bytes msg = LabelBytes(label);
  ByteWriter(msg).Raw(id);
  ByteWriter(msg).Raw(credential_id);
  return msg;
}

// The KEK of each slot kind (spec §2.3).
Result<SecretBytes> KekPassphrase(ByteView passphrase, ByteView salt, KdfParams p, ByteView id) {
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes a, PassphraseStage(passphrase, salt, p));
  return KeyedHash(RevealSecret(a), KekMessage(kLabelKekPassphrase, id, {}));
}
Result<SecretBytes> KekTwoFactor(ByteView passphrase, ByteView salt, KdfParams p, ByteView id,
                                 ByteView credential_id, ByteView prf) {
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes a, PassphraseStage(passphrase, salt, p));
  return HkdfSha256(prf, RevealSecret(a), KekMessage(kLabelKekTwoFactor, id, credential_id), 32);
}
SecretBytes KekPasskey(ByteView id, ByteView credential_id, ByteView prf) {
  return KeyedHash(prf, KekMessage(kLabelKekPasskey, id, credential_id));
}
SecretBytes KekRecovery(ByteView id, const SecretBytes& recovery_key) {
  return KeyedHash(RevealSecret(recovery_key), KekMessage(kLabelKekRecovery, id, {}));
}

Status CheckPassphrase(ByteView passphrase) {
  if (passphrase.size() < kMinPassphraseSize || passphrase.size() > kMaxPassphraseSize) {
    return Error(ErrorCode::kInvalidArgument, "keystore: passphrase must be 1..4096 bytes");
  }
  return Status::Ok();
}

Status CheckPrf(ByteView prf) {
  if (prf.size() != kPrfOutputSize) {
    return Error(ErrorCode::kInvalidArgument, "keystore: PRF output must be 32 bytes");
  }
  return Status::Ok();
}

Status CheckItem(const KeystoreItem& item) {
  const auto type = static_cast<uint8_t>(item.type);
  if (type < 1 || type > 3) return Error(ErrorCode::kInvalidArgument, "keystore: item type");
  if (item.created < 0 || item.created > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "keystore: item time");
  }
  if (item.name.size() > kMaxItemNameSize || !IsValidUtf8(item.name)) {
    return Error(ErrorCode::kInvalidArgument, "keystore: item name");
  }
  const bool seed = item.type != ItemType::kGroupKey;
  if (seed ? item.secret.size() != 32
           : (item.secret.empty() || item.secret.size() > kMaxItemSecretSize)) {
    return Error(ErrorCode::kInvalidArgument, "keystore: item secret size");
  }
  return Status::Ok();
}

Status CheckItems(const std::vector<KeystoreItem>& items) {
  if (items.size() > kMaxKeystoreItems) {
    return Error(ErrorCode::kInvalidArgument, "keystore: more than 256 items");
  }
  size_t current = 0;
  for (const auto& item : items) {
    MEDSEAL_RETURN_IF_ERROR(CheckItem(item));
    if (item.type == ItemType::kIdentitySeed) ++current;
  }
  if (current > 1) return Error(ErrorCode::kInvalidArgument, "keystore: two current seeds");
  return Status::Ok();
}

// Items plaintext (spec §4), written into a buffer of the exact size.
SecretBytes EncodeItems(const std::vector<KeystoreItem>& items) {
  size_t size = 2;
  for (const auto& it : items) size += kItemHeaderSize + it.name.size() + it.secret.size();
  SecretBytes out(size);
  uint8_t* p = RevealMutableSecret(out);
  auto put = [&p](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) *p++ = static_cast<uint8_t>(v >> (8 * i));
  };
  put(items.size(), 2);
  for (const auto& it : items) {
    put(static_cast<uint8_t>(it.type), 1);
    put(static_cast<uint64_t>(it.created), 8);
    put(it.name.size(), 1);
    p = std::copy(it.name.begin(), it.name.end(), p);
    put(it.secret.size(), 2);
    ByteView s = RevealSecret(it.secret);
    p = std::copy(s.begin(), s.end(), p);
  }
  return out;
}

Result<std::vector<KeystoreItem>> DecodeItems(ByteView plain) {
  const Status bad = Error(ErrorCode::kKeystoreCorrupted, "keystore: items do not parse");
  ByteReader r(plain);
  uint8_t lo = 0, hi = 0;
  if (!r.U8(lo) || !r.U8(hi)) return bad;
  const size_t n = lo | (size_t{hi} << 8);
  std::vector<KeystoreItem> items;
  for (size_t i = 0; i < n; ++i) {
    KeystoreItem it;
    uint8_t type = 0, name_len = 0;
    uint64_t created = 0;
    ByteView name, secret;
    if (!r.U8(type) || !r.U64(created) || !r.U8(name_len) || !r.Raw(name_len, name) || !r.U8(lo) ||
        !r.U8(hi) || !r.Raw(lo | (size_t{hi} << 8), secret)) {
      return bad;
    }
    it.type = static_cast<ItemType>(type);
    it.created = created > static_cast<uint64_t>(kMaxUnixMillis) ? -1
                                                                 : static_cast<UnixMillis>(created);
    it.name = std::string(AsText(name));
    it.secret = SecretBytes::CopyFrom(secret);
    items.push_back(std::move(it));
  }
  if (r.remaining() != 0 || !CheckItems(items).ok()) return bad;
  return items;
}

SlotInfo InfoOf(const ParsedSlot& s) {
  SlotInfo info;
  info.kind = s.kind;
  info.params = s.params;
  info.credential_id.assign(s.credential_id.begin(), s.credential_id.end());
  info.prf_salt.assign(s.prf_salt.begin(), s.prf_salt.end());
  return info;
}

// U1: the slot of `kind` (and `credential_id` for kinds 2, 3).
Result<size_t> FindSlot(const Parsed& p, SlotKind kind, ByteView credential_id) {
  for (size_t i = 0; i < p.slots.size(); ++i) {
    const ParsedSlot& s = p.slots[i];
    if (s.kind != kind) continue;
    if ((kind == SlotKind::kPassphrasePasskey || kind == SlotKind::kPasskey) &&
        !SameBytes(s.credential_id, credential_id)) {
      continue;
    }
    return i;
  }
  return Error(ErrorCode::kNoUnlockSlot, "keystore: no slot for these factors");
}

// U2: the slot's parameters against the keystore's floor and the policy.
Status CheckSlotParams(const Parsed& p, const ParsedSlot& s, const KdfPolicy& policy) {
  if (KdfBelow(s.params, p.floor)) {
    return Error(ErrorCode::kKdfDowngraded, "keystore: slot below the keystore's floor");
  }
  if (KdfBelow(p.floor, policy.floor) || KdfBelow(s.params, policy.floor)) {
    return Error(ErrorCode::kKdfDowngraded, "keystore: parameters below the policy floor");
  }
  if (KdfBelow(policy.cap, s.params)) {
    return Error(ErrorCode::kTooLarge, "keystore: parameters above the policy cap");
  }
  return Status::Ok();
}

// U3: the PRF output against the slot's check value.
Status CheckPrfOf(const Parsed& p, const ParsedSlot& s, ByteView prf) {
  if (!ConstantTimeEqual(PrfCheck(prf, p.id, s.credential_id), s.prf_check)) {
    return Error(ErrorCode::kWrongSecondFactor, "keystore: the passkey does not match");
  }
  return Status::Ok();
}

Bytes SlotAad(ByteView id, ByteView prefix) { return Concat(Bound(kLabelSlot, id), prefix); }

SecretBytes ItemsKey(const SecretBytes& master, ByteView id) {
  return KeyedHash(RevealSecret(master), Concat(LabelBytes(kLabelItemsKey), id));
}

Bytes HeaderMac(const SecretBytes& master, ByteView id, ByteView header) {
  SecretBytes mac_key = KeyedHash(RevealSecret(master), Concat(LabelBytes(kLabelMacKey), id));
  auto r = Blake2b(kMacSize, RevealSecret(mac_key), Concat(LabelBytes(kLabelHeader), header));
  MEDSEAL_CHECK(r.ok());
  return std::move(r).value();
}

// A slot's encoding: prefix || nonce || wrap of the master key.
Bytes WrapSlot(Bytes prefix, ByteView id, const SecretBytes& kek, const SecretBytes& master,
               Rng& rng) {
  Bytes nonce(kXChaChaNonceSize);
  rng.Fill(nonce.data(), nonce.size());
  auto wrapped = XChaCha20Poly1305Seal(RevealSecret(kek), nonce, SlotAad(id, prefix),
                                       RevealSecret(master));
  MEDSEAL_CHECK(wrapped.ok());
  ByteWriter w(prefix);
  w.Raw(nonce);
  w.Raw(*wrapped);
  return prefix;
}

Bytes PasskeyPrefix(SlotKind kind, ByteView salt, KdfParams params, ByteView credential_id,
                    ByteView prf_salt, ByteView prf_check) {
  Bytes b;
  ByteWriter w(b);
  w.U8(static_cast<uint8_t>(kind));
  if (kind == SlotKind::kPassphrase || kind == SlotKind::kPassphrasePasskey) {
    w.Raw(salt);
    w.U32(params.memory_kib);
    w.U32(params.passes);
  }
  if (kind == SlotKind::kPassphrasePasskey || kind == SlotKind::kPasskey) {
    w.U8(static_cast<uint8_t>(credential_id.size()));
    w.U8(static_cast<uint8_t>(credential_id.size() >> 8));
    w.Raw(credential_id);
    w.Raw(prf_salt);
    w.Raw(prf_check);
  }
  return b;
}

Status CheckCredential(ByteView credential_id, ByteView prf_salt) {
  if (credential_id.empty() || credential_id.size() > kMaxCredentialIdSize) {
    return Error(ErrorCode::kInvalidArgument, "keystore: credential id must be 1..1023 bytes");
  }
  if (prf_salt.size() != kPrfSaltSize) {
    return Error(ErrorCode::kInvalidArgument, "keystore: PRF salt must be 32 bytes");
  }
  return Status::Ok();
}

Status CheckEnrolment(ByteView prf_first, ByteView prf_second) {
  MEDSEAL_RETURN_IF_ERROR(CheckPrf(prf_first));
  MEDSEAL_RETURN_IF_ERROR(CheckPrf(prf_second));
  if (!ConstantTimeEqual(prf_first, prf_second)) {
    return Error(ErrorCode::kPrfMismatch, "keystore: the two PRF evaluations differ");
  }
  return Status::Ok();
}

}  // namespace

bool KdfBelow(const KdfParams& a, const KdfParams& b) {
  return a.memory_kib < b.memory_kib || a.passes < b.passes;
}

Result<KeystoreInfo> InspectKeystore(ByteView blob) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  KeystoreInfo info;
  info.version = kKeystoreVersion;
  info.id.assign(p.id.begin(), p.id.end());
  info.floor = p.floor;
  for (const auto& s : p.slots) info.slots.push_back(InfoOf(s));
  return info;
}

bool NeedsRehash(const KeystoreInfo& info, const KdfPolicy& policy) {
  return std::any_of(info.slots.begin(), info.slots.end(), [&](const SlotInfo& s) {
    return (s.kind == SlotKind::kPassphrase || s.kind == SlotKind::kPassphrasePasskey) &&
           KdfBelow(s.params, policy.defaults);
  });
}

std::string KeystoreInfoJson(const KeystoreInfo& info) {
  Json slots = Json::array();
  for (const SlotInfo& s : info.slots) {
    slots.push_back(Json{{"kind", static_cast<int>(s.kind)},
                         {"memoryKib", s.params.memory_kib},
                         {"passes", s.params.passes},
                         {"credentialId", HexEncode(s.credential_id)},
                         {"prfSalt", HexEncode(s.prf_salt)}});
  }
  Json out{{"version", info.version},
           {"id", HexEncode(info.id)},
           {"floor", Json{{"memoryKib", info.floor.memory_kib}, {"passes", info.floor.passes}}},
           {"slots", std::move(slots)}};
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Keystore> Keystore::Create(std::vector<KeystoreItem> items, KdfParams floor, Rng& rng) {
  MEDSEAL_RETURN_IF_ERROR(CheckItems(items));
  if (!CheckStoredParams(floor).ok()) {
    return Error(ErrorCode::kInvalidArgument, "keystore: floor outside Argon2id's range");
  }
  Keystore k;
  k.id_.resize(kKeystoreIdSize);
  rng.Fill(k.id_.data(), k.id_.size());
  k.master_ = rng.Secret(kKeystoreMasterKeySize);
  k.floor_ = floor;
  k.items_ = std::move(items);
  k.items_dirty_ = true;
  return k;
}

Result<Keystore> Keystore::Open(ByteView blob, size_t slot_index, const SecretBytes& kek,
                                ErrorCode wrong_key) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  const ParsedSlot& s = p.slots[slot_index];
  Keystore k;
  k.master_ = SecretBytes(kKeystoreMasterKeySize);
  // U4
  if (!XChaCha20Poly1305Open(RevealSecret(kek), s.nonce, SlotAad(p.id, s.prefix), s.wrapped,
                             RevealMutableSecret(k.master_))
           .ok()) {
    return Error(wrong_key, "keystore: the slot does not open with this factor");
  }
  // U5
  if (!ConstantTimeEqual(HeaderMac(k.master_, p.id, p.header), p.mac)) {
    return Error(ErrorCode::kKeystoreCorrupted, "keystore: header MAC");
  }
  // U6
  SecretBytes plain(p.items_ct.size() - kAeadTagSize);
  SecretBytes items_key = ItemsKey(k.master_, p.id);
  if (!XChaCha20Poly1305Open(RevealSecret(items_key), p.items_nonce, Bound(kLabelItems, p.id),
                             p.items_ct, RevealMutableSecret(plain))
           .ok()) {
    return Error(ErrorCode::kKeystoreCorrupted, "keystore: items do not authenticate");
  }
  // U7
  MEDSEAL_ASSIGN_OR_RETURN(k.items_, DecodeItems(RevealSecret(plain)));
  k.id_.assign(p.id.begin(), p.id.end());
  k.floor_ = p.floor;
  for (const auto& slot : p.slots) k.slots_.emplace_back(slot.whole.begin(), slot.whole.end());
  k.items_box_.assign(p.items_box.begin(), p.items_box.end());
  k.items_dirty_ = false;
  return k;
}

Result<Keystore> Keystore::UnlockWithPassphrase(ByteView blob, ByteView passphrase,
                                                const KdfPolicy& policy) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  MEDSEAL_ASSIGN_OR_RETURN(size_t i, FindSlot(p, SlotKind::kPassphrase, {}));
  MEDSEAL_RETURN_IF_ERROR(CheckSlotParams(p, p.slots[i], policy));
  MEDSEAL_RETURN_IF_ERROR(CheckPassphrase(passphrase));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes kek,
                           KekPassphrase(passphrase, p.slots[i].salt, p.slots[i].params, p.id));
  return Open(blob, i, kek, ErrorCode::kWrongPassphrase);
}

Result<Keystore> Keystore::UnlockWithPassphraseAndPasskey(ByteView blob, ByteView passphrase,
                                                          ByteView credential_id,
                                                          ByteView prf_output,
                                                          const KdfPolicy& policy) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  MEDSEAL_ASSIGN_OR_RETURN(size_t i, FindSlot(p, SlotKind::kPassphrasePasskey, credential_id));
  const ParsedSlot& s = p.slots[i];
  MEDSEAL_RETURN_IF_ERROR(CheckSlotParams(p, s, policy));
  MEDSEAL_RETURN_IF_ERROR(CheckPassphrase(passphrase));
  MEDSEAL_RETURN_IF_ERROR(CheckPrf(prf_output));
  MEDSEAL_RETURN_IF_ERROR(CheckPrfOf(p, s, prf_output));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes kek, KekTwoFactor(passphrase, s.salt, s.params, p.id,
                                                         s.credential_id, prf_output));
  return Open(blob, i, kek, ErrorCode::kWrongPassphrase);
}

Result<Keystore> Keystore::UnlockWithPasskey(ByteView blob, ByteView credential_id,
                                             ByteView prf_output) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  MEDSEAL_ASSIGN_OR_RETURN(size_t i, FindSlot(p, SlotKind::kPasskey, credential_id));
  MEDSEAL_RETURN_IF_ERROR(CheckPrf(prf_output));
  MEDSEAL_RETURN_IF_ERROR(CheckPrfOf(p, p.slots[i], prf_output));
  SecretBytes kek = KekPasskey(p.id, p.slots[i].credential_id, prf_output);
  return Open(blob, i, kek, ErrorCode::kWrongSecondFactor);
}

Result<Keystore> Keystore::UnlockWithRecoveryKey(ByteView blob, ByteView recovery_text) {
  MEDSEAL_ASSIGN_OR_RETURN(Parsed p, Parse(blob));
  MEDSEAL_ASSIGN_OR_RETURN(size_t i, FindSlot(p, SlotKind::kRecovery, {}));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes key, ParseRecoveryKey(recovery_text));
  SecretBytes kek = KekRecovery(p.id, key);
  return Open(blob, i, kek, ErrorCode::kWrongRecoveryKey);
}

std::vector<SlotInfo> Keystore::slots() const {
  std::vector<SlotInfo> out;
  for (const Bytes& b : slots_) {
    ByteReader r(b);
    ParsedSlot s;
    Status st = ParseSlot(r, b, s);
    MEDSEAL_CHECK(st.ok());  // slots_ holds only encodings that parsed or that this file wrote
    out.push_back(InfoOf(s));
  }
  return out;
}

const SecretBytes* Keystore::identity_seed() const {
  for (const auto& it : items_) {
    if (it.type == ItemType::kIdentitySeed) return &it.secret;
  }
  return nullptr;
}

Result<const SecretBytes*> Keystore::current_identity_seed() const {
  const SecretBytes* seed = identity_seed();
  if (seed == nullptr)
    return Error(ErrorCode::kInvalidArgument, "the keystore holds no identity seed");
  return seed;
}

Result<const KeystoreItem*> Keystore::item(size_t index) const {
  if (index >= items_.size())
    return Error(ErrorCode::kInvalidArgument, "no keystore item at that index");
  return &items_[index];
}

KeystoreInfo Keystore::info() const {
  KeystoreInfo out;
  out.version = kKeystoreVersion;
  out.id = id_;
  out.floor = floor_;
  out.slots = slots();
  return out;
}

std::string Keystore::ItemsJson() const {
  Json out = Json::array();
  for (const KeystoreItem& it : items_) {
    out.push_back(Json{{"type", static_cast<int>(it.type)},
                       {"created", it.created},
                       {"name", it.name},
                       {"size", it.secret.size()}});
  }
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Status Keystore::AddItem(KeystoreItem item) {
  MEDSEAL_RETURN_IF_ERROR(CheckItem(item));
  if (items_.size() == kMaxKeystoreItems) {
    return Error(ErrorCode::kInvalidArgument, "keystore: more than 256 items");
  }
  if (item.type == ItemType::kIdentitySeed && identity_seed() != nullptr) {
    return Error(ErrorCode::kInvalidArgument, "keystore: already has a current seed");
  }
  items_.push_back(std::move(item));
  items_dirty_ = true;
  return Status::Ok();
}

Status Keystore::RotateIdentitySeed(SecretBytes new_seed, std::string name, UnixMillis now) {
  KeystoreItem next{ItemType::kIdentitySeed, now, std::move(name), std::move(new_seed)};
  MEDSEAL_RETURN_IF_ERROR(CheckItem(next));
  if (items_.size() == kMaxKeystoreItems && identity_seed() == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "keystore: more than 256 items");
  }
  for (auto& it : items_) {
    if (it.type == ItemType::kIdentitySeed) it.type = ItemType::kRetiredIdentitySeed;
  }
  items_.push_back(std::move(next));
  items_dirty_ = true;
  return Status::Ok();
}

Status Keystore::CheckParams(KdfParams params, const KdfPolicy& policy) const {
  if (!CheckStoredParams(params).ok()) {
    return Error(ErrorCode::kInvalidArgument, "keystore: parameters outside Argon2id's range");
  }
  if (KdfBelow(params, floor_) || KdfBelow(params, policy.floor)) {
    return Error(ErrorCode::kKdfDowngraded, "keystore: parameters below the floor");
  }
  if (KdfBelow(policy.cap, params)) {
    return Error(ErrorCode::kTooLarge, "keystore: parameters above the policy cap");
  }
  return Status::Ok();
}

void Keystore::PutSlot(Bytes slot) {
  // Replaces a slot of the same kind (and credential), else appends.
  ByteReader r(slot);
  ParsedSlot fresh;
  MEDSEAL_CHECK(ParseSlot(r, slot, fresh).ok());
  for (Bytes& old : slots_) {
    ByteReader ro(old);
    ParsedSlot s;
    MEDSEAL_CHECK(ParseSlot(ro, old, s).ok());
    if (s.kind == fresh.kind && SameBytes(s.credential_id, fresh.credential_id)) {
      old = std::move(slot);
      return;
    }
  }
  slots_.push_back(std::move(slot));
}

Status Keystore::SetPassphrase(ByteView passphrase, KdfParams params, Rng& rng,
                               const KdfPolicy& policy) {
  for (const SlotInfo& s : slots()) {
    if (s.kind == SlotKind::kPassphrasePasskey) {
      return Error(ErrorCode::kNotPermitted,
                   "keystore: a passphrase-only slot would drop the enrolled second factor");
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckPassphrase(passphrase));
  MEDSEAL_RETURN_IF_ERROR(CheckParams(params, policy));
  if (slots_.size() == kMaxKeystoreSlots) {
    bool replaces = false;
    for (const SlotInfo& s : slots()) replaces = replaces || s.kind == SlotKind::kPassphrase;
    if (!replaces) return Error(ErrorCode::kInvalidArgument, "keystore: 16 slots already");
  }
  Bytes salt(kArgon2SaltSize);
  rng.Fill(salt.data(), salt.size());
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes kek, KekPassphrase(passphrase, salt, params, id_));
  PutSlot(WrapSlot(PasskeyPrefix(SlotKind::kPassphrase, salt, params, {}, {}, {}), id_, kek,
                   master_, rng));
  return Status::Ok();
}

Status Keystore::AddPasskeySlot(SlotKind kind, ByteView passphrase, KdfParams params,
                                ByteView credential_id, ByteView prf_salt, ByteView prf, Rng& rng) {
  bool replaces = false;
  for (const SlotInfo& s : slots()) {
    replaces = replaces || (s.kind == kind && SameBytes(s.credential_id, credential_id));
  }
  if (!replaces && slots_.size() == kMaxKeystoreSlots) {
    return Error(ErrorCode::kInvalidArgument, "keystore: 16 slots already");
  }
  Bytes check = PrfCheck(prf, id_, credential_id);
  Bytes salt;
  SecretBytes kek;
  if (kind == SlotKind::kPassphrasePasskey) {
    salt.resize(kArgon2SaltSize);
    rng.Fill(salt.data(), salt.size());
    MEDSEAL_ASSIGN_OR_RETURN(kek, KekTwoFactor(passphrase, salt, params, id_, credential_id, prf));
  } else {
    kek = KekPasskey(id_, credential_id, prf);
  }
  PutSlot(WrapSlot(PasskeyPrefix(kind, salt, params, credential_id, prf_salt, check), id_, kek,
                   master_, rng));
  return Status::Ok();
}

Status Keystore::EnrollPasskey(ByteView passphrase, KdfParams params, ByteView credential_id,
                               ByteView prf_salt, ByteView prf_first, ByteView prf_second, Rng& rng,
                               const KdfPolicy& policy) {
  MEDSEAL_RETURN_IF_ERROR(CheckCredential(credential_id, prf_salt));
  MEDSEAL_RETURN_IF_ERROR(CheckEnrolment(prf_first, prf_second));
  MEDSEAL_RETURN_IF_ERROR(CheckPassphrase(passphrase));
  MEDSEAL_RETURN_IF_ERROR(CheckParams(params, policy));
  // The passphrase-only slot goes (it would let the passphrase alone open);
  // its place counts as free for the 16-slot limit.
  std::vector<Bytes> kept;
  std::vector<SlotInfo> infos = slots();
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (infos[i].kind != SlotKind::kPassphrase) kept.push_back(slots_[i]);
  }
  std::vector<Bytes> before = std::move(slots_);
  slots_ = std::move(kept);
  Status s = AddPasskeySlot(SlotKind::kPassphrasePasskey, passphrase, params, credential_id,
                            prf_salt, prf_first, rng);
  if (!s.ok()) slots_ = std::move(before);
  return s;
}

Status Keystore::ChangeTwoFactorPassphrase(ByteView new_passphrase, KdfParams params,
                                           ByteView credential_id, ByteView prf_output, Rng& rng,
                                           const KdfPolicy& policy) {
  MEDSEAL_RETURN_IF_ERROR(CheckPrf(prf_output));
  std::vector<SlotInfo> infos = slots();
  const SlotInfo* slot = nullptr;
  for (const SlotInfo& s : infos) {
    if (s.kind == SlotKind::kPassphrasePasskey && SameBytes(s.credential_id, credential_id)) {
      slot = &s;
    }
  }
  if (slot == nullptr) return Error(ErrorCode::kNoUnlockSlot, "keystore: no such passkey slot");
  for (const Bytes& b : slots_) {
    ByteReader r(b);
    ParsedSlot s;
    MEDSEAL_CHECK(ParseSlot(r, b, s).ok());
    if (s.kind == SlotKind::kPassphrasePasskey && SameBytes(s.credential_id, credential_id) &&
        !ConstantTimeEqual(PrfCheck(prf_output, id_, credential_id), s.prf_check)) {
      return Error(ErrorCode::kWrongSecondFactor, "keystore: the passkey does not match");
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckPassphrase(new_passphrase));
  MEDSEAL_RETURN_IF_ERROR(CheckParams(params, policy));
  return AddPasskeySlot(SlotKind::kPassphrasePasskey, new_passphrase, params, credential_id,
                        slot->prf_salt, prf_output, rng);
}

Status Keystore::AddPasskeyOnlySlot(ByteView credential_id, ByteView prf_salt, ByteView prf_first,
                                    ByteView prf_second, Rng& rng) {
  MEDSEAL_RETURN_IF_ERROR(CheckCredential(credential_id, prf_salt));
  MEDSEAL_RETURN_IF_ERROR(CheckEnrolment(prf_first, prf_second));
  return AddPasskeySlot(SlotKind::kPasskey, {}, {}, credential_id, prf_salt, prf_first, rng);
}

Result<SecretBytes> Keystore::SetRecoveryKey(Rng& rng) {
  bool replaces = false;
  for (const SlotInfo& s : slots()) replaces = replaces || s.kind == SlotKind::kRecovery;
  if (!replaces && slots_.size() == kMaxKeystoreSlots) {
    return Error(ErrorCode::kInvalidArgument, "keystore: 16 slots already");
  }
  SecretBytes key = GenerateRecoveryKey(rng);
  SecretBytes kek = KekRecovery(id_, key);
  PutSlot(WrapSlot(Bytes{static_cast<uint8_t>(SlotKind::kRecovery)}, id_, kek, master_, rng));
  return FormatRecoveryKey(key);
}

Status Keystore::RemoveSlot(size_t index) {
  if (index >= slots_.size()) return Error(ErrorCode::kInvalidArgument, "keystore: no such slot");
  if (slots_.size() == 1) {
    return Error(ErrorCode::kInvalidArgument, "keystore: cannot remove the last slot");
  }
  slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(index));
  return Status::Ok();
}

Result<Bytes> Keystore::Serialize(Rng& rng) {
  if (slots_.empty()) return Error(ErrorCode::kInvalidArgument, "keystore: no slots");
  if (items_dirty_) {
    SecretBytes plain = EncodeItems(items_);
    SecretBytes items_key = ItemsKey(master_, id_);
    Bytes nonce(kXChaChaNonceSize);
    rng.Fill(nonce.data(), nonce.size());
    Bytes box;
    ByteWriter w(box);
    w.Raw(nonce);
    w.U32(static_cast<uint32_t>(plain.size() + kAeadTagSize));
    const size_t at = box.size();
    box.resize(at + plain.size() + kAeadTagSize);
    MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(items_key), nonce,
                                                  Bound(kLabelItems, id_), RevealSecret(plain),
                                                  box.data() + at));
    items_box_ = std::move(box);
    items_dirty_ = false;
  }
  Bytes out;
  ByteWriter w(out);
  w.Raw(kMagic);
  w.U8(kKeystoreVersion);
  w.Raw(id_);
  w.U32(floor_.memory_kib);
  w.U32(floor_.passes);
  w.U8(static_cast<uint8_t>(slots_.size()));
  for (const Bytes& s : slots_) w.Raw(s);
  w.Raw(HeaderMac(master_, id_, out));
  w.Raw(items_box_);
  return out;
}

}  // namespace medseal
