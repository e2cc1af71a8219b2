// SPDX-License-Identifier: Apache-2.0
#include "core/identity/card.h"

#include "core/base/secret.h"
#include "core/base/utf8.h"
#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/json.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"

namespace medseal {
namespace {

constexpr std::string_view kKeyIdLabel = "medseal/v1/key-id";
constexpr std::string_view kCardLabel = "medseal/v1/card";
constexpr std::string_view kCardType = "medseal.card";

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

Bytes PublicCard::SignedBytes() const {
  Bytes out;
  ByteWriter w(out);
  w.Label(kCardLabel);
  w.Raw(sign_pk_);
  w.Raw(kx_pk_);
  w.Str8(name_);
  w.Str8(role_);
  w.U64(static_cast<uint64_t>(created_));
  return out;
}

std::string PublicCard::ToJson() const {
  Json j = {
      {"type", kCardType},
      {"v", 1},
      {"kid", Base64UrlEncode(key_id_)},
      {"sign", Base64UrlEncode(sign_pk_)},
      {"kx", Base64UrlEncode(kx_pk_)},
      {"name", name_},
      {"role", role_},
      {"created", created_},
      {"sig", Base64UrlEncode(signature_)},
  };
  return j.dump();
}

Result<PublicCard> PublicCard::ParseJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxCardJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kCardType, 1));
  MEDSEAL_RETURN_IF_ERROR(
      ExpectExactKeys(j, {"type", "v", "kid", "sign", "kx", "name", "role", "created", "sig"}));
  PublicCard card;
  MEDSEAL_ASSIGN_OR_RETURN(card.key_id_, GetBase64(j, "kid", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(card.sign_pk_, GetBase64(j, "sign", kEd25519PublicKeySize));
  MEDSEAL_ASSIGN_OR_RETURN(card.kx_pk_, GetBase64(j, "kx", kX25519KeySize));
  MEDSEAL_ASSIGN_OR_RETURN(card.name_, GetString(j, "name"));
  MEDSEAL_RETURN_IF_ERROR(CheckCardName(card.name_));
  MEDSEAL_ASSIGN_OR_RETURN(card.role_, GetString(j, "role"));
  MEDSEAL_RETURN_IF_ERROR(CheckCardRole(card.role_));
  MEDSEAL_ASSIGN_OR_RETURN(card.created_, GetInt(j, "created"));
  if (!IsValidCardTime(card.created_)) {
    return Error(ErrorCode::kMalformed, "card: creation time outside 0..2^53-1");
  }
  MEDSEAL_ASSIGN_OR_RETURN(card.signature_, GetBase64(j, "sig", kEd25519SignatureSize));
  if (!ConstantTimeEqual(card.key_id_, DeriveKeyId(card.sign_pk_, card.kx_pk_))) {
    return Error(ErrorCode::kKeyIdMismatch, "card: key id does not match the keys");
  }
  MEDSEAL_RETURN_IF_ERROR(Ed25519Verify(card.sign_pk_, card.SignedBytes(), card.signature_));
  // Last, after the signature (rule C27): a small-order key-agreement key
  // would make every record sealed to this card readable by anyone.
  if (!CheckX25519PublicKey(card.kx_pk_).ok()) {
    return Error(ErrorCode::kWeakKey, "card: key-agreement key of small order");
  }
  return card;
}

}  // namespace medseal
