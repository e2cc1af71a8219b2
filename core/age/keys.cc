// SPDX-License-Identifier: Apache-2.0
#include "core/age/keys.h"

#include <array>
#include <string>
#include <utility>

#include "core/codec/base64.h"
#include "core/codec/bech32.h"
#include "core/crypto/aead.h"
#include "core/crypto/hpke.h"
#include "core/crypto/scrypt.h"
#include "core/crypto/sha2.h"
#include "core/crypto/x25519.h"

namespace medseal {
namespace {

constexpr std::string_view kX25519Type = "X25519";
constexpr std::string_view kScryptType = "scrypt";
constexpr std::string_view kHybridType = "mlkem768x25519";
constexpr std::string_view kX25519Info = "age-encryption.org/v1/X25519";
// The HPKE info of the hybrid stanza (C2SP age, "mlkem768x25519 recipient stanza").
constexpr std::string_view kHybridInfo = "age-encryption.org/mlkem768x25519";
constexpr std::string_view kScryptSaltLabel = "age-encryption.org/v1/scrypt";
constexpr std::string_view kRecipientHrp = "age";
constexpr std::string_view kIdentityHrp = "age-secret-key-";  // written upper case
constexpr std::string_view kPqRecipientHrp = "age1pq";
constexpr std::string_view kPqIdentityHrp = "age-secret-key-pq-";  // written upper case
// Recipient and identity strings of types this build recognises but does not
// implement: age's tagged (hardware) types and plugins ("age1<plugin>1...",
// "AGE-PLUGIN-<NAME>-1...").
constexpr std::string_view kPluginRecipientHrpPrefix = "age1";
constexpr std::string_view kPluginIdentityHrpPrefix = "age-plugin-";
// Stanza types recognised but not implemented (kUnsupportedRecipient).
constexpr std::array<std::string_view, 2> kUnsupportedStanzaTypes = {"p256tag", "mlkem768p256tag"};
constexpr size_t kScryptSaltSize = 16;
constexpr uint32_t kScryptR = 8;
constexpr uint32_t kScryptP = 1;
constexpr size_t kWrapKeySize = 32;
constexpr size_t kWrappedFileKeySize = kAgeFileKeySize + kAeadTagSize;
// Longest key string accepted (the PQ recipient is about 1,960 characters).
constexpr size_t kMaxKeyStringSize = 4096;

const std::array<uint8_t, kChaChaIetfNonceSize> kZeroNonce{};

bool HasUpper(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return true;
  }
  return false;
}
bool HasLower(std::string_view s) {
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return true;
  }
  return false;
}

Status StanzaError(ErrorCode code, const char* what) {
  return Error(code, std::string("age stanza: ") + what);
}

// ChaCha20-Poly1305 with the all-zero nonce, as both native types wrap.
Result<AgeStanza> Seal(std::string_view type, std::vector<std::string> args,
                       const SecretBytes& wrap_key, const SecretBytes& file_key) {
  MEDSEAL_ASSIGN_OR_RETURN(Bytes body, ChaCha20Poly1305Seal(RevealSecret(wrap_key), kZeroNonce, {},
                                                            RevealSecret(file_key)));
  AgeStanza stanza;
  stanza.type = std::string(type);
  stanza.args = std::move(args);
  stanza.body = std::move(body);
  return stanza;
}

Result<SecretBytes> Open(const SecretBytes& wrap_key, ByteView body) {
  Result<Bytes> file_key = ChaCha20Poly1305Open(RevealSecret(wrap_key), kZeroNonce, {}, body);
  if (!file_key.ok()) {
    return StanzaError(ErrorCode::kNoMatchingRecipient, "does not open with this identity");
  }
  SecretBytes out = SecretBytes::CopyFrom(*file_key);
  SecureWipe(*file_key);
  return out;
}

Result<SecretBytes> X25519WrapKey(ByteView shared, ByteView share, ByteView recipient) {
  Bytes salt(share.begin(), share.end());
  salt.insert(salt.end(), recipient.begin(), recipient.end());
  return HkdfSha256(salt, shared, AsBytes(kX25519Info), kWrapKeySize);
}

Result<SecretBytes> ScryptWrapKey(const SecretBytes& passphrase, ByteView salt, int log_n) {
  Bytes full_salt = ToBytes(kScryptSaltLabel);
  full_salt.insert(full_salt.end(), salt.begin(), salt.end());
  return Scrypt(RevealSecret(passphrase), full_salt, log_n, kScryptR, kScryptP, kWrapKeySize);
}

// The grammar of an X25519 stanza (type already matched): the ephemeral share.
Result<Bytes> CheckX25519Stanza(const AgeStanza& stanza) {
  if (stanza.args.size() != 1) {
    return StanzaError(ErrorCode::kMalformed, "X25519 needs exactly one argument");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes share, Base64Decode(stanza.args[0], Base64Padding::kNone));
  if (share.size() != kX25519KeySize) {
    return StanzaError(ErrorCode::kMalformed, "X25519 share is not 32 bytes");
  }
  if (stanza.body.size() != kWrappedFileKeySize) {
    return StanzaError(ErrorCode::kMalformed, "X25519 body is not 32 bytes");
  }
  return share;
}

// The grammar of an mlkem768x25519 stanza (type already matched): enc.
Result<Bytes> CheckHybridStanza(const AgeStanza& stanza) {
  if (stanza.args.size() != 1) {
    return StanzaError(ErrorCode::kMalformed, "mlkem768x25519 needs exactly one argument");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes enc, Base64Decode(stanza.args[0], Base64Padding::kNone));
  if (enc.size() != kHpkeEncSize) {
    return StanzaError(ErrorCode::kMalformed, "mlkem768x25519 enc is not 1120 bytes");
  }
  if (stanza.body.size() != kWrappedFileKeySize) {
    return StanzaError(ErrorCode::kMalformed, "mlkem768x25519 body is not 32 bytes");
  }
  return enc;
}

struct ScryptParams {
  Bytes salt;
  int log_n = 0;
};

// The grammar of an scrypt stanza (type already matched) and the work-factor cap.
Result<ScryptParams> CheckScryptStanza(const AgeStanza& stanza, int max_log_n) {
  if (stanza.args.size() != 2) {
    return StanzaError(ErrorCode::kMalformed, "scrypt needs exactly two arguments");
  }
  ScryptParams params;
  MEDSEAL_ASSIGN_OR_RETURN(params.salt, Base64Decode(stanza.args[0], Base64Padding::kNone));
  if (params.salt.size() != kScryptSaltSize) {
    return StanzaError(ErrorCode::kMalformed, "scrypt salt is not 16 bytes");
  }
  // ^[1-9][0-9]*$
  const std::string& wf = stanza.args[1];
  if (wf.empty() || wf[0] < '1' || wf[0] > '9') {
    return StanzaError(ErrorCode::kMalformed, "scrypt work factor is not a decimal");
  }
  for (char c : wf) {
    if (c < '0' || c > '9') {
      return StanzaError(ErrorCode::kMalformed, "scrypt work factor is not a decimal");
    }
  }
  if (wf.size() > 2) return StanzaError(ErrorCode::kTooLarge, "scrypt work factor above the cap");
  params.log_n = wf[0] - '0';  // one or two digits, checked above
  if (wf.size() == 2) params.log_n = params.log_n * 10 + (wf[1] - '0');
  if (params.log_n > max_log_n) {
    return StanzaError(ErrorCode::kTooLarge, "scrypt work factor above the cap");
  }
  if (stanza.body.size() != kWrappedFileKeySize) {
    return StanzaError(ErrorCode::kMalformed, "scrypt body is not 32 bytes");
  }
  return params;
}

bool IsUnsupportedStanzaType(std::string_view type) {
  for (std::string_view t : kUnsupportedStanzaTypes) {
    if (t == type) return true;
  }
  return false;
}

}  // namespace

// --- AgeRecipient --------------------------------------------------------------

Result<AgeRecipient> AgeRecipient::Parse(std::string_view text) {
  Result<Bech32Data> decoded = Bech32Decode(text, kMaxKeyStringSize);
  if (!decoded.ok()) return Error(ErrorCode::kMalformed, "age recipient: not Bech32");
  if (HasUpper(text)) return Error(ErrorCode::kMalformed, "age recipient: not lower case");
  if (decoded->hrp == kRecipientHrp) {
    if (decoded->data.size() != kX25519KeySize) {
      return Error(ErrorCode::kMalformed, "age recipient: X25519 key is not 32 bytes");
    }
    return X25519(decoded->data);
  }
  if (decoded->hrp == kPqRecipientHrp) {
    if (decoded->data.size() != kXWingPublicKeySize) {
      return Error(ErrorCode::kMalformed, "age recipient: hybrid key is not 1216 bytes");
    }
    return Hybrid(decoded->data);
  }
  if (decoded->hrp.starts_with(kPluginRecipientHrpPrefix)) {
    return Error(ErrorCode::kUnsupportedRecipient, "age recipient: tagged or plugin recipient");
  }
  return Error(ErrorCode::kMalformed, "age recipient: not an age recipient");
}

Result<AgeRecipient> AgeRecipient::X25519(ByteView public_key) {
  if (public_key.size() != kX25519KeySize) {
    return Error(ErrorCode::kInvalidArgument, "age recipient: X25519 key is not 32 bytes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckX25519PublicKey(public_key));
  AgeRecipient r;
  r.kind_ = Kind::kX25519;
  r.public_key_.assign(public_key.begin(), public_key.end());
  return r;
}

Result<AgeRecipient> AgeRecipient::Hybrid(ByteView public_key) {
  if (public_key.size() != kXWingPublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age recipient: hybrid key is not 1216 bytes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckXWingPublicKey(public_key));
  AgeRecipient r;
  r.kind_ = Kind::kHybrid;
  r.public_key_.assign(public_key.begin(), public_key.end());
  return r;
}

Result<AgeRecipient> AgeRecipient::Scrypt(SecretBytes passphrase, int log_n) {
  if (passphrase.empty()) return Error(ErrorCode::kInvalidArgument, "age scrypt: empty passphrase");
  if (log_n < 1 || log_n > kAgeScryptMaxLogN) {
    return Error(ErrorCode::kInvalidArgument, "age scrypt: work factor outside 1..22");
  }
  AgeRecipient r;
  r.kind_ = Kind::kScrypt;
  r.passphrase_ = std::make_shared<const SecretBytes>(std::move(passphrase));
  r.log_n_ = log_n;
  return r;
}

std::string AgeRecipient::ToString() const {
  if (kind_ == Kind::kScrypt) return {};
  Result<std::string> s = Bech32Encode(kind_ == Kind::kHybrid ? kPqRecipientHrp : kRecipientHrp,
                                       public_key_);
  MEDSEAL_CHECK(s.ok());  // a constant, valid hrp
  return std::move(s).value();
}

Result<AgeStanza> AgeRecipient::Wrap(const SecretBytes& file_key, Rng& rng) const {
  if (file_key.size() != kAgeFileKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age: file key is not 16 bytes");
  }
  if (kind_ == Kind::kScrypt) {
    Bytes salt(kScryptSaltSize);
    rng.Fill(salt.data(), salt.size());
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap_key, ScryptWrapKey(*passphrase_, salt, log_n_));
    return Seal(kScryptType, {Base64Encode(salt, Base64Padding::kNone), std::to_string(log_n_)},
                wrap_key, file_key);
  }
  if (kind_ == Kind::kHybrid) {
    // HPKE SealBase(pkR = recipient, info, aad = "", pt = file key).
    MEDSEAL_ASSIGN_OR_RETURN(HpkeSealed sealed, HpkeSealBase(public_key_, AsBytes(kHybridInfo), {},
                                                             RevealSecret(file_key), rng));
    AgeStanza stanza;
    stanza.type = std::string(kHybridType);
    stanza.args = {Base64Encode(sealed.enc, Base64Padding::kNone)};
    stanza.body = std::move(sealed.ciphertext);
    return stanza;
  }
  const SecretBytes ephemeral = rng.Secret(kX25519KeySize);
  MEDSEAL_ASSIGN_OR_RETURN(Bytes share, X25519PublicKey(RevealSecret(ephemeral)));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared,
                           medseal::X25519(RevealSecret(ephemeral), public_key_));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap_key,
                           X25519WrapKey(RevealSecret(shared), share, public_key_));
  return Seal(kX25519Type, {Base64Encode(share, Base64Padding::kNone)}, wrap_key, file_key);
}

// --- AgeIdentity ---------------------------------------------------------------

Result<AgeIdentity> AgeIdentity::Parse(std::string_view text) {
  Result<Bech32Data> decoded = Bech32Decode(text, kMaxKeyStringSize);
  if (!decoded.ok()) return Error(ErrorCode::kMalformed, "age identity: not Bech32");
  if (HasLower(text)) return Error(ErrorCode::kMalformed, "age identity: not upper case");
  SecretBytes secret = SecretBytes::CopyFrom(decoded->data);
  SecureWipe(decoded->data);
  if (decoded->hrp == kIdentityHrp) {
    if (secret.size() != kX25519KeySize) {
      return Error(ErrorCode::kMalformed, "age identity: X25519 key is not 32 bytes");
    }
    return X25519(std::move(secret));
  }
  if (decoded->hrp == kPqIdentityHrp) {
    if (secret.size() != kXWingSeedSize) {
      return Error(ErrorCode::kMalformed, "age identity: hybrid seed is not 32 bytes");
    }
    return Hybrid(std::move(secret));
  }
  if (decoded->hrp.starts_with(kPluginIdentityHrpPrefix)) {
    return Error(ErrorCode::kUnsupportedRecipient, "age identity: plugin identity");
  }
  return Error(ErrorCode::kMalformed, "age identity: not an age identity");
}

Result<AgeIdentity> AgeIdentity::X25519(SecretBytes secret_key) {
  if (secret_key.size() != kX25519KeySize) {
    return Error(ErrorCode::kInvalidArgument, "age identity: X25519 key is not 32 bytes");
  }
  AgeIdentity id;
  id.kind_ = Kind::kX25519;
  MEDSEAL_ASSIGN_OR_RETURN(id.public_key_, X25519PublicKey(RevealSecret(secret_key)));
  id.secret_ = std::make_shared<const SecretBytes>(std::move(secret_key));
  return id;
}

Result<AgeIdentity> AgeIdentity::Hybrid(SecretBytes seed) {
  if (seed.size() != kXWingSeedSize) {
    return Error(ErrorCode::kInvalidArgument, "age identity: hybrid seed is not 32 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(XWingPrivateKey key, XWingPrivateKey::FromSeed(RevealSecret(seed)));
  AgeIdentity id;
  id.kind_ = Kind::kHybrid;
  id.xwing_ = std::make_shared<const XWingPrivateKey>(std::move(key));
  return id;
}

Result<AgeIdentity> AgeIdentity::Scrypt(SecretBytes passphrase, int max_log_n) {
  if (passphrase.empty()) return Error(ErrorCode::kInvalidArgument, "age scrypt: empty passphrase");
  if (max_log_n < 1 || max_log_n > kScryptMaxLogN) {
    return Error(ErrorCode::kInvalidArgument, "age scrypt: work factor cap outside 1..30");
  }
  AgeIdentity id;
  id.kind_ = Kind::kScrypt;
  id.secret_ = std::make_shared<const SecretBytes>(std::move(passphrase));
  id.max_log_n_ = max_log_n;
  return id;
}

Result<AgeRecipient> AgeIdentity::Recipient() const {
  if (kind_ == Kind::kScrypt) {
    return Error(ErrorCode::kInvalidArgument, "age identity: a passphrase has no recipient string");
  }
  if (kind_ == Kind::kHybrid) return AgeRecipient::Hybrid(xwing_->public_key());
  return AgeRecipient::X25519(public_key_);
}

Result<SecretBytes> AgeIdentity::Encode() const {
  if (kind_ == Kind::kScrypt) {
    return Error(ErrorCode::kInvalidArgument, "age identity: a passphrase has no key string");
  }
  const bool hybrid = kind_ == Kind::kHybrid;
  Result<std::string> text = Bech32EncodeUpper(hybrid ? kPqIdentityHrp : kIdentityHrp,
                                               RevealSecret(hybrid ? xwing_->seed() : *secret_));
  MEDSEAL_CHECK(text.ok());  // a constant, valid hrp
  SecretBytes out = SecretBytes::CopyFrom(AsBytes(*text));
  SecureWipe(reinterpret_cast<uint8_t*>(text->data()), text->size());
  return out;
}

Status AgeIdentity::CheckStanza(const AgeStanza& stanza) const {
  if (kind_ == Kind::kX25519 && stanza.type == kX25519Type) {
    return CheckX25519Stanza(stanza).status();
  }
  if (kind_ == Kind::kScrypt && stanza.type == kScryptType) {
    return CheckScryptStanza(stanza, max_log_n_).status();
  }
  if (kind_ == Kind::kHybrid && stanza.type == kHybridType) {
    return CheckHybridStanza(stanza).status();
  }
  return Status::Ok();
}

Result<SecretBytes> AgeIdentity::Unwrap(const AgeStanza& stanza) const {
  if (kind_ == Kind::kScrypt) {
    if (stanza.type != kScryptType) {
      return StanzaError(ErrorCode::kNoMatchingRecipient, "not an scrypt stanza");
    }
    MEDSEAL_ASSIGN_OR_RETURN(ScryptParams params, CheckScryptStanza(stanza, max_log_n_));
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap_key,
                             ScryptWrapKey(*secret_, params.salt, params.log_n));
    return Open(wrap_key, stanza.body);
  }
  if (kind_ == Kind::kHybrid) {
    if (stanza.type != kHybridType) {
      return StanzaError(ErrorCode::kNoMatchingRecipient, "not an mlkem768x25519 stanza");
    }
    MEDSEAL_ASSIGN_OR_RETURN(Bytes enc, CheckHybridStanza(stanza));
    // HPKE OpenBase(enc, skR = identity, info, aad = ""): kWeakKey when the
    // X25519 part of enc gives an all-zero X25519 output (the spec's abort,
    // CCTV hybrid_low_order / hybrid_identity); any other wrong enc or body
    // fails the AEAD (ML-KEM's implicit rejection gives another key).
    Result<SecretBytes> file_key = HpkeOpenBase(enc, *xwing_, AsBytes(kHybridInfo), {},
                                                stanza.body);
    if (file_key.ok()) return file_key;
    if (file_key.status().code() == ErrorCode::kDecryptFailed) {
      return StanzaError(ErrorCode::kNoMatchingRecipient, "does not open with this identity");
    }
    return file_key.status();
  }
  if (stanza.type != kX25519Type) {
    return StanzaError(ErrorCode::kNoMatchingRecipient, "not an X25519 stanza");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes share, CheckX25519Stanza(stanza));
  // kWeakKey on an all-zero shared secret (a small-order share): the spec's
  // "MUST abort".
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, medseal::X25519(RevealSecret(*secret_), share));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap_key,
                           X25519WrapKey(RevealSecret(shared), share, public_key_));
  return Open(wrap_key, stanza.body);
}

// --- the file-level rules --------------------------------------------------------

Result<SecretBytes> UnwrapAgeFileKey(const AgeHeader& header,
                                     std::span<const AgeIdentity> identities) {
  // 1. An scrypt stanza must be the only stanza.
  for (const AgeStanza& s : header.stanzas) {
    if (s.type == kScryptType && header.stanzas.size() != 1) {
      return StanzaError(ErrorCode::kMalformed, "an scrypt stanza must be the only one");
    }
  }
  // 2. Every stanza of a type an identity implements follows its grammar
  //    (checked for all stanzas before any key is tried, without crypto).
  for (const AgeIdentity& id : identities) {
    for (const AgeStanza& s : header.stanzas) MEDSEAL_RETURN_IF_ERROR(id.CheckStanza(s));
  }
  // 3. Identities in order, each against the stanzas in order (as age does);
  //    the first that opens gives the file key; any error but "not mine" ends it.
  for (const AgeIdentity& id : identities) {
    for (const AgeStanza& s : header.stanzas) {
      Result<SecretBytes> file_key = id.Unwrap(s);
      if (file_key.ok()) return file_key;
      if (file_key.status().code() != ErrorCode::kNoMatchingRecipient) return file_key.status();
    }
  }
  // 4. No match.
  for (const AgeStanza& s : header.stanzas) {
    if (IsUnsupportedStanzaType(s.type)) {
      return Error(ErrorCode::kUnsupportedRecipient,
                   "age: no identity matches; a stanza is of a type this build does not implement");
    }
  }
  return Error(ErrorCode::kNoMatchingRecipient, "age: no identity matches any stanza");
}

}  // namespace medseal
