#include "core/identity.h"

#include "core/internal/byte_io.h"
#include "core/internal/json_util.h"
#include "core/primitives.h"

namespace medseal {
namespace {

constexpr std::string_view kKeyIdLabel = "medseal/v1/key-id";
constexpr std::string_view kCardLabel = "medseal/v1/card";
constexpr std::string_view kEd25519SeedLabel = "medseal/v1/identity/ed25519";
constexpr std::string_view kX25519Label = "medseal/v1/identity/x25519";
constexpr std::string_view kCardType = "medseal.card";

Status CheckName(std::string_view name) {
  if (name.size() > kMaxCardNameBytes) return Error(ErrorCode::kTooLarge, "card: name too long");
  // UTF-8 validity: nlohmann rejects invalid UTF-8 on parse; on creation we
  // check it here so that every card we sign can be parsed back.
  size_t i = 0;
  while (i < name.size()) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > name.size()) return Error(ErrorCode::kMalformed, "card: name is not UTF-8");
    if (n == 1 && c < 0x20) return Error(ErrorCode::kMalformed, "card: control character in name");
    uint32_t cp = n == 1 ? c : (c & (0xFF >> (n + 1)));
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(name[i + k]);
      if ((cc & 0xC0) != 0x80) return Error(ErrorCode::kMalformed, "card: name is not UTF-8");
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Error(ErrorCode::kMalformed, "card: name is not UTF-8");
    }
    i += n;
  }
  return Status::Ok();
}

Status CheckRole(std::string_view role) {
  if (role.empty()) return Error(ErrorCode::kMalformed, "card: empty role");
  if (role.size() > kMaxCardRoleBytes) return Error(ErrorCode::kTooLarge, "card: role too long");
  for (char c : role) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return Error(ErrorCode::kMalformed, "card: role has a character outside [a-z0-9-]");
    }
  }
  return Status::Ok();
}

}  // namespace

Bytes DeriveKeyId(ByteView sign_public_key, ByteView kx_public_key) {
  Bytes msg = internal::LabelBytes(kKeyIdLabel);
  msg.insert(msg.end(), sign_public_key.begin(), sign_public_key.end());
  msg.insert(msg.end(), kx_public_key.begin(), kx_public_key.end());
  return Blake2b(kKeyIdSize, {}, msg).value();
}

Bytes PublicCard::SignedBytes() const {
  Bytes out;
  internal::ByteWriter w(out);
  w.Label(kCardLabel);
  w.Raw(sign_pk_);
  w.Raw(kx_pk_);
  w.Str8(name_);
  w.Str8(role_);
  w.U64(static_cast<uint64_t>(created_));
  return out;
}

std::string PublicCard::ToJson() const {
  internal::Json j = {
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
  using namespace internal;
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxCardJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kCardType, 1));
  MEDSEAL_RETURN_IF_ERROR(
      ExpectExactKeys(j, {"type", "v", "kid", "sign", "kx", "name", "role", "created", "sig"}));
  PublicCard card;
  MEDSEAL_ASSIGN_OR_RETURN(card.key_id_, GetBase64(j, "kid", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(card.sign_pk_, GetBase64(j, "sign", kEd25519PublicKeySize));
  MEDSEAL_ASSIGN_OR_RETURN(card.kx_pk_, GetBase64(j, "kx", kX25519KeySize));
  MEDSEAL_ASSIGN_OR_RETURN(card.name_, GetString(j, "name"));
  MEDSEAL_RETURN_IF_ERROR(CheckName(card.name_));
  MEDSEAL_ASSIGN_OR_RETURN(card.role_, GetString(j, "role"));
  MEDSEAL_RETURN_IF_ERROR(CheckRole(card.role_));
  MEDSEAL_ASSIGN_OR_RETURN(card.created_, GetInt(j, "created"));
  if (card.created_ < 0) return Error(ErrorCode::kMalformed, "card: negative creation time");
  MEDSEAL_ASSIGN_OR_RETURN(card.signature_, GetBase64(j, "sig", kEd25519SignatureSize));
  if (!ConstantTimeEqual(card.key_id_, DeriveKeyId(card.sign_pk_, card.kx_pk_))) {
    return Error(ErrorCode::kKeyIdMismatch, "card: key id does not match the keys");
  }
  MEDSEAL_RETURN_IF_ERROR(Ed25519Verify(card.sign_pk_, card.SignedBytes(), card.signature_));
  return card;
}

Result<Identity> Identity::FromSeed(const SecretBytes& seed, std::string_view name,
                                    std::string_view role, UnixMillis created) {
  if (seed.size() != kIdentitySeedSize) {
    return Error(ErrorCode::kInvalidArgument, "identity: seed must be 32 bytes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckName(name));
  MEDSEAL_RETURN_IF_ERROR(CheckRole(role));
  if (created < 0) return Error(ErrorCode::kInvalidArgument, "identity: negative creation time");
  Identity id;
  id.seed_ = SecretBytes::CopyFrom(RevealSecret(seed));
  // Sub-keys: BLAKE2b-256 keyed with the seed over a label (spec §3).
  MEDSEAL_ASSIGN_OR_RETURN(Bytes ed_seed,
                           Blake2b(32, RevealSecret(seed), internal::LabelBytes(kEd25519SeedLabel)));
  auto kp = Ed25519FromSeed(ed_seed);
  SecureWipe(ed_seed);
  MEDSEAL_RETURN_IF_ERROR(kp.status());
  MEDSEAL_ASSIGN_OR_RETURN(Bytes kx_sk, Blake2b(32, RevealSecret(seed), internal::LabelBytes(kX25519Label)));
  id.kx_sk_ = SecretBytes::CopyFrom(kx_sk);
  SecureWipe(kx_sk);
  MEDSEAL_ASSIGN_OR_RETURN(id.card_.kx_pk_, X25519PublicKey(RevealSecret(id.kx_sk_)));
  id.card_.sign_pk_ = kp->public_key;
  id.sign_sk_ = std::move(kp->secret_key);
  id.card_.key_id_ = DeriveKeyId(id.card_.sign_pk_, id.card_.kx_pk_);
  id.card_.name_ = std::string(name);
  id.card_.role_ = std::string(role);
  id.card_.created_ = created;
  id.card_.signature_ = id.Sign(id.card_.SignedBytes());
  return id;
}

Result<Identity> Identity::Generate(Rng& rng, Clock& clock, std::string_view name,
                                    std::string_view role) {
  SecretBytes seed = rng.Secret(kIdentitySeedSize);
  return FromSeed(seed, name, role, clock.Now());
}

Bytes Identity::Sign(ByteView message) const {
  return Ed25519Sign(RevealSecret(sign_sk_), message).value();
}

Result<SecretBytes> Identity::Agree(ByteView peer_public_key) const {
  return X25519(RevealSecret(kx_sk_), peer_public_key);
}

}  // namespace medseal
