// SPDX-License-Identifier: Apache-2.0
#include "core/identity/card.h"

#include <algorithm>
#include <set>

#include "core/base/secret.h"
#include "core/base/utf8.h"
#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/json.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"

namespace medseal {
namespace {

constexpr std::string_view kKeyIdLabel = "medseal/v1/key-id";
constexpr std::string_view kCardLabel = "medseal/v1/card";
constexpr std::string_view kKeyIdLabelV2 = "medseal/v2/key-id";
constexpr std::string_view kCardLabelV2 = "medseal/v2/card";
constexpr std::string_view kCardType = "medseal.card";

// The key list of a version 2 card (spec §6.1):
// u8(m) || m x (u8(type) || u16(len(key)) || key), little-endian lengths.
// Callers pass a list that PublicCard::ParseJson or the identity built, so
// its sizes fit (at most 255 keys, each at most 65535 bytes).
void WriteKeyList(ByteWriter& w, const std::vector<CardKey>& keys) {
  MEDSEAL_CHECK(keys.size() <= 255);
  w.U8(static_cast<uint8_t>(keys.size()));
  for (const CardKey& k : keys) {
    MEDSEAL_CHECK(k.key.size() <= 0xffff);
    w.U8(k.type);
    w.U8(static_cast<uint8_t>(k.key.size() & 0xff));
    w.U8(static_cast<uint8_t>(k.key.size() >> 8));
    w.Raw(k.key);
  }
}

// Rules E2-E12 (spec §6.3): the "keys" member of a version 2 card, element
// by element in array order, then duplicates, then the order.
Result<std::vector<CardKey>> ParseKeyList(const Json& card) {
  auto it = card.find("keys");
  if (it == card.end() || !it->is_array()) {
    return Error(ErrorCode::kMalformed, "card: \"keys\" is not an array");
  }
  if (it->empty()) return Error(ErrorCode::kMalformed, "card: \"keys\" is empty");
  std::vector<CardKey> keys;
  for (const Json& e : *it) {
    if (!e.is_object() || !ExpectExactKeys(e, {"type", "key"}).ok()) {
      return Error(ErrorCode::kMalformed,
                   "card: a \"keys\" element is not an object of \"type\" and \"key\"");
    }
    MEDSEAL_ASSIGN_OR_RETURN(int64_t type, GetInt(e, "type"));
    if (type < 0 || type > 255) {
      return Error(ErrorCode::kMalformed, "card: key type outside 0..255");
    }
    if (type < kCardKeyXWing) {
      return Error(ErrorCode::kMalformed, "card: key type 0, 1 or 2 in the key list");
    }
    CardKey k;
    k.type = static_cast<uint8_t>(type);
    MEDSEAL_ASSIGN_OR_RETURN(k.key, GetBase64(e, "key", 0));
    if (k.key.empty()) return Error(ErrorCode::kMalformed, "card: empty key");
    if (k.type == kCardKeyXWing && k.key.size() != kXWingPublicKeySize) {
      return Error(ErrorCode::kMalformed, "card: X-Wing key of the wrong size");
    }
    keys.push_back(std::move(k));
  }
  std::set<uint8_t> types;
  for (const CardKey& k : keys) {
    if (!types.insert(k.type).second) {
      return Error(ErrorCode::kMalformed, "card: a key type listed twice");
    }
  }
  for (size_t i = 1; i < keys.size(); ++i) {
    if (keys[i - 1].type > keys[i].type) {
      return Error(ErrorCode::kNonCanonical, "card: key types out of order");
    }
  }
  return keys;
}

}  // namespace

Status CheckCardName(std::string_view name) {
  if (name.size() > kMaxCardNameBytes) return Error(ErrorCode::kTooLarge, "card: name too long");
  if (!IsValidUtf8(name)) return Error(ErrorCode::kMalformed, "card: name is not UTF-8");
  if (HasControlCharacter(name)) {
    return Error(ErrorCode::kMalformed, "card: control character in name");
  }
  return Status::Ok();
}

Status CheckCardRole(std::string_view role) {
  if (role.empty()) return Error(ErrorCode::kMalformed, "card: empty role");
  if (role.size() > kMaxCardRoleBytes) return Error(ErrorCode::kTooLarge, "card: role too long");
  for (char c : role) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return Error(ErrorCode::kMalformed, "card: role has a character outside [a-z0-9-]");
    }
  }
  return Status::Ok();
}

bool IsValidCardTime(UnixMillis created) { return created >= 0 && created <= kMaxUnixMillis; }

Bytes DeriveKeyId(ByteView sign_public_key, ByteView kx_public_key) {
  Bytes msg = LabelBytes(kKeyIdLabel);
  msg.insert(msg.end(), sign_public_key.begin(), sign_public_key.end());
  msg.insert(msg.end(), kx_public_key.begin(), kx_public_key.end());
  return Blake2b(kKeyIdSize, {}, msg).value();
}

Bytes DeriveKeyIdV2(ByteView sign_public_key, ByteView kx_public_key,
                    const std::vector<CardKey>& keys) {
  Bytes msg;
  ByteWriter w(msg);
  w.Label(kKeyIdLabelV2);
  w.Raw(sign_public_key);
  w.Raw(kx_public_key);
  WriteKeyList(w, keys);
  return Blake2b(kKeyIdSize, {}, msg).value();
}

ByteView PublicCard::xwing_public_key() const {
  for (const CardKey& k : keys_) {
    if (k.type == kCardKeyXWing) return k.key;
  }
  return {};
}

Bytes PublicCard::key_types() const {
  Bytes types;
  for (const CardKey& k : keys_) types.push_back(k.type);
  return types;
}

Bytes PublicCard::SignedBytes() const {
  Bytes out;
  ByteWriter w(out);
  w.Label(version_ == kCardVersion2 ? kCardLabelV2 : kCardLabel);
  w.Raw(sign_pk_);
  w.Raw(kx_pk_);
  if (version_ == kCardVersion2) WriteKeyList(w, keys_);
  w.Str8(name_);
  w.Str8(role_);
  w.U64(static_cast<uint64_t>(created_));
  return out;
}

std::string PublicCard::ToJson() const {
  Json j = {
      {"type", kCardType},
      {"v", version_},
      {"kid", Base64UrlEncode(key_id_)},
      {"sign", Base64UrlEncode(sign_pk_)},
      {"kx", Base64UrlEncode(kx_pk_)},
      {"name", name_},
      {"role", role_},
      {"created", created_},
      {"sig", Base64UrlEncode(signature_)},
  };
  if (version_ == kCardVersion2) {
    Json keys = Json::array();
    for (const CardKey& k : keys_)
      keys.push_back({{"type", k.type}, {"key", Base64UrlEncode(k.key)}});
    j["keys"] = std::move(keys);
  }
  return j.dump();
}

Result<PublicCard> PublicCard::ParseJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxCardJsonBytes));
  // C1-C3: the type, then the version (1 or 2) that picks the member set.
  MEDSEAL_ASSIGN_OR_RETURN(std::string type, GetString(j, "type"));
  if (type != kCardType) return Error(ErrorCode::kMalformed, "json: unexpected \"type\"");
  MEDSEAL_ASSIGN_OR_RETURN(int64_t version, GetInt(j, "v"));
  if (version != kCardVersion1 && version != kCardVersion2) {
    return Error(ErrorCode::kUnsupportedVersion, "json: unsupported \"v\"");
  }
  PublicCard card;
  card.version_ = static_cast<uint8_t>(version);
  if (card.version_ == kCardVersion1) {
    MEDSEAL_RETURN_IF_ERROR(
        ExpectExactKeys(j, {"type", "v", "kid", "sign", "kx", "name", "role", "created", "sig"}));
  } else {
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
        j, {"type", "v", "kid", "sign", "kx", "keys", "name", "role", "created", "sig"}));
  }
  MEDSEAL_ASSIGN_OR_RETURN(card.key_id_, GetBase64(j, "kid", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(card.sign_pk_, GetBase64(j, "sign", kEd25519PublicKeySize));
  MEDSEAL_ASSIGN_OR_RETURN(card.kx_pk_, GetBase64(j, "kx", kX25519KeySize));
  if (card.version_ == kCardVersion2) {
    MEDSEAL_ASSIGN_OR_RETURN(card.keys_, ParseKeyList(j));
  }
  MEDSEAL_ASSIGN_OR_RETURN(card.name_, GetString(j, "name"));
  MEDSEAL_RETURN_IF_ERROR(CheckCardName(card.name_));
  MEDSEAL_ASSIGN_OR_RETURN(card.role_, GetString(j, "role"));
  MEDSEAL_RETURN_IF_ERROR(CheckCardRole(card.role_));
  MEDSEAL_ASSIGN_OR_RETURN(card.created_, GetInt(j, "created"));
  if (!IsValidCardTime(card.created_)) {
    return Error(ErrorCode::kMalformed, "card: creation time outside 0..2^53-1");
  }
  MEDSEAL_ASSIGN_OR_RETURN(card.signature_, GetBase64(j, "sig", kEd25519SignatureSize));
  const Bytes expected_key_id = card.version_ == kCardVersion2
                                    ? DeriveKeyIdV2(card.sign_pk_, card.kx_pk_, card.keys_)
                                    : DeriveKeyId(card.sign_pk_, card.kx_pk_);
  if (!ConstantTimeEqual(card.key_id_, expected_key_id)) {
    return Error(ErrorCode::kKeyIdMismatch, "card: key id does not match the keys");
  }
  MEDSEAL_RETURN_IF_ERROR(Ed25519Verify(card.sign_pk_, card.SignedBytes(), card.signature_));
  // Last, after the signature (rule C27): a small-order key-agreement key
  // would make every record sealed to this card readable by anyone.
  if (!CheckX25519PublicKey(card.kx_pk_).ok()) {
    return Error(ErrorCode::kWeakKey, "card: key-agreement key of small order");
  }
  // E16-E17, after the signature and E15: the X-Wing key's ML-KEM part must
  // pass FIPS 203 §7.2 (else kInvalidKey) and its X25519 part must not have
  // small order (kWeakKey). Keys of unknown types are kept unchecked.
  if (ByteView xwing = card.xwing_public_key(); !xwing.empty()) {
    if (Status s = CheckXWingPublicKey(xwing); !s.ok()) {
      if (s.code() == ErrorCode::kWeakKey) {
        return Error(ErrorCode::kWeakKey, "card: X-Wing key's X25519 part of small order");
      }
      return Error(ErrorCode::kInvalidKey, "card: X-Wing key's ML-KEM-768 part is invalid");
    }
  }
  return card;
}

}  // namespace medseal
