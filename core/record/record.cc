// SPDX-License-Identifier: Apache-2.0
#include "core/record/record.h"

#include <algorithm>
#include <vector>

#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/codec/json.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"
#include "core/record/internal/record_internal.h"

namespace medseal {
namespace {

constexpr std::string_view kWrapLabel = "medseal/v1/record/wrap";
constexpr std::string_view kSignatureLabel = "medseal/v1/record/signature";
constexpr std::string_view kWrapLabelV2 = "medseal/v2/record/x25519-wrap";
constexpr std::string_view kVaultWrapLabel = "medseal/v2/record/vault-wrap";
constexpr std::string_view kSignatureLabelV2 = "medseal/v2/record/signature";
constexpr std::string_view kXWingWrapLabel = "medseal/v2/record/xwing-wrap";
constexpr size_t kDataKeySize = 32;
constexpr size_t kVaultKeySize = 32;

// wrap key = BLAKE2b-256(key = X25519 shared secret,
//                        label 0x00 || ephemeral pk || recipient kx pk), with
// "medseal/v1/record/wrap" (v1) or "medseal/v2/record/x25519-wrap" (v2).
Result<SecretBytes> WrapKey(uint8_t version, const SecretBytes& shared, ByteView ephemeral_pk,
                            ByteView recipient_pk) {
  Bytes msg = LabelBytes(version == kRecordVersion1 ? kWrapLabel : kWrapLabelV2);
  msg.insert(msg.end(), ephemeral_pk.begin(), ephemeral_pk.end());
  msg.insert(msg.end(), recipient_pk.begin(), recipient_pk.end());
  return Blake2bDeriveKey(32, RevealSecret(shared), msg);
}

// vault wrap key = BLAKE2b-256(key = vault key, "medseal/v2/record/vault-wrap"
//                              0x00 || vault key id || sender key id || nonce)
// (spec §5.4): one key per vault key and record, so the zero nonce is safe.
Result<SecretBytes> VaultWrapKey(const VaultKey& vault, ByteView sender_key_id, ByteView nonce) {
  Bytes msg = LabelBytes(kVaultWrapLabel);
  msg.insert(msg.end(), vault.key_id().begin(), vault.key_id().end());
  msg.insert(msg.end(), sender_key_id.begin(), sender_key_id.end());
  msg.insert(msg.end(), nonce.begin(), nonce.end());
  return Blake2bDeriveKey(32, RevealSecret(vault.key()), msg);
}

// X-Wing wrap key = BLAKE2b-256(key = X-Wing shared secret,
//                             "medseal/v2/record/xwing-wrap" 0x00 || key id || ct)
// (spec §5.4): bound to the recipient card (its key id covers every key,
// the ML-KEM one included) and to the whole ciphertext; one key per fresh
// encapsulation, so the zero nonce is safe.
Result<SecretBytes> XWingWrapKey(const SecretBytes& shared, ByteView key_id, ByteView ciphertext) {
  Bytes msg = LabelBytes(kXWingWrapLabel);
  msg.insert(msg.end(), key_id.begin(), key_id.end());
  msg.insert(msg.end(), ciphertext.begin(), ciphertext.end());
  return Blake2bDeriveKey(32, RevealSecret(shared), msg);
}

const uint8_t kZeroNonce[kXChaChaNonceSize] = {0};

// The card's X-Wing key (type kCardKeyXWing), empty when it has none.
ByteView CardXWingKey(const PublicCard& card) { return card.xwing_public_key(); }

bool VaultIdLess(const VaultKey* a, const VaultKey* b) {
  return BytesLess(a->key_id(), b->key_id());
}

const RecipientStanza* FindStanza(const SealedRecord& record, uint8_t type, ByteView key_id) {
  for (const auto& s : record.recipients) {
    if (s.type == type &&
        std::equal(s.key_id.begin(), s.key_id.end(), key_id.begin(), key_id.end())) {
      return &s;
    }
  }
  return nullptr;
}

// O4 and P1-P9: the payload under the data key.
Result<OpenedPayload> DecryptPayload(const SealedRecord& record, const SecretBytes& data_key) {
  SecretBytes padded(record.ciphertext.size() - kAeadTagSize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(data_key), record.nonce,
                                                record.HeaderBytes(), record.ciphertext,
                                                RevealMutableSecret(padded)));
  return OpenedPayload::FromPadded(std::move(padded));
}

// The stated purpose (spec §5.6): a well-formed purpose, then U1.
Status CheckStatedPurpose(const RecordPurpose& purpose) {
  if (!internal::CheckPurpose(purpose, ErrorCode::kInvalidArgument).ok()) {
    return Error(ErrorCode::kInvalidArgument,
                 "open: the purpose must be a system of 1..255 and a code of 1..64 printable "
                 "ASCII characters");
  }
  return Status::Ok();
}

Status CheckPurposeCarried(const SealedRecord& record, const RecordPurpose& purpose) {
  if (record.version == kRecordVersion1) return Status::Ok();  // v1 binds no purpose
  for (const auto& p : record.purposes) {
    if (p == purpose) return Status::Ok();
  }
  return Error(ErrorCode::kPurposeMismatch, "open: the record is not sealed for this purpose");
}

bool KeyIdLess(const PublicCard* a, const PublicCard* b) {
  return BytesLess(a->key_id(), b->key_id());
}

}  // namespace

Result<SealedRecord> SealRecord(const Identity& sender, std::span<const PublicCard> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock) {
  std::vector<const PublicCard*> cards;
  cards.reserve(recipients.size());
  for (const PublicCard& c : recipients) cards.push_back(&c);
  return SealRecord(sender, std::span<const PublicCard* const>(cards), payload, rng, clock);
}

Result<SealedRecord> SealRecord(const Identity& sender,
                                std::span<const PublicCard* const> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock) {
  if (recipients.empty()) return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  if (recipients.size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "seal: too many recipients");
  }
  for (const PublicCard* c : recipients) {
    if (c == nullptr) return Error(ErrorCode::kInvalidArgument, "seal: null recipient card");
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckPayloadFields(payload, ErrorCode::kInvalidArgument));
  const UnixMillis now = clock.Now();
  if (now < 0 || now > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "seal: the clock reads outside 0..2^53-1");
  }
  size_t padded_size = 0;
  SecretBytes padded = internal::EncodePaddedPayload(payload, now, &padded_size);
  return internal::SealPaddedPayload(sender, recipients, RevealSecret(padded).first(padded_size),
                                     rng);
}

namespace internal {

// The message the sender signs: label || BLAKE2b-512(header || ciphertext).
Bytes RecordSignatureMessage(const SealedRecord& r) {
  Bytes msg = LabelBytes(r.version == kRecordVersion1 ? kSignatureLabel : kSignatureLabelV2);
  ByteWriter(msg).Raw(Blake2bConcat(kBlake2bMaxOutput, {r.HeaderBytes(), r.ciphertext}));
  return msg;
}

Result<SealedRecord> SealPaddedPayload(const Identity& sender,
                                       std::span<const PublicCard* const> recipients,
                                       ByteView padded_payload, Rng& rng) {
  if (recipients.empty()) return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  std::vector<const PublicCard*> sorted(recipients.begin(), recipients.end());
  std::sort(sorted.begin(), sorted.end(), KeyIdLess);
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1]->key_id() == sorted[i]->key_id()) {
      return Error(ErrorCode::kDuplicateRecipient, "seal: recipient listed twice");
    }
  }

  SecretBytes data_key = rng.Secret(kDataKeySize);
  SealedRecord r;
  r.sender_key_id = sender.key_id();
  r.nonce.resize(kXChaChaNonceSize);
  rng.Fill(r.nonce.data(), r.nonce.size());
  SecretBytes eph_sk = rng.Secret(kX25519KeySize);
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, X25519PublicKey(RevealSecret(eph_sk)));

  for (const PublicCard* card : sorted) {
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared,
                             X25519(RevealSecret(eph_sk), card->kx_public_key()));
    MEDSEAL_ASSIGN_OR_RETURN(
        SecretBytes wrap, WrapKey(kRecordVersion1, shared, r.ephemeral_key, card->kx_public_key()));
    RecipientStanza s{card->key_id(), Bytes(kWrappedKeySize)};
    MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                  RevealSecret(data_key), s.wrapped_key.data()));
    r.recipients.push_back(std::move(s));
  }

  r.ciphertext.resize(padded_payload.size() + kAeadTagSize);  // fixes the header's length field
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(data_key), r.nonce, r.HeaderBytes(),
                                                padded_payload, r.ciphertext.data()));
  r.signature = sender.Sign(RecordSignatureMessage(r));
  return r;
}

}  // namespace internal

Status VerifyRecord(const SealedRecord& record, const PublicCard& sender) {
  MEDSEAL_RETURN_IF_ERROR(internal::CheckStructure(record));
  if (!ConstantTimeEqual(record.sender_key_id, sender.key_id())) {
    return Error(ErrorCode::kSenderMismatch, "record: sealed by a different identity");
  }
  return Ed25519Verify(sender.sign_public_key(), internal::RecordSignatureMessage(record),
                       record.signature);
}

namespace {

// O1 (spec §4.7, §5.6): the stanza for the identity's key id. An identity
// with an X-Wing key uses its type 3 stanza when the record has one, and
// otherwise, like every other identity, its type 1 stanza.
const RecipientStanza* FindIdentityStanza(const SealedRecord& record, const Identity& recipient) {
  if (recipient.xwing_key() != nullptr) {
    if (const RecipientStanza* s = FindStanza(record, kStanzaXWing, recipient.key_id())) return s;
  }
  return FindStanza(record, kStanzaX25519, recipient.key_id());
}

Result<OpenedPayload> OpenWithIdentity(const SealedRecord& record, const Identity& recipient) {
  const RecipientStanza* mine = FindIdentityStanza(record, recipient);
  if (mine == nullptr) {
    return Error(ErrorCode::kNoMatchingRecipient, "record: not sealed to this key");  // O1
  }
  if (mine->type == kStanzaXWing) {
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes data_key,
                             internal::OpenXWingStanza(*mine, *recipient.xwing_key()));  // H1, H2
    return DecryptPayload(record, data_key);
  }
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, recipient.Agree(record.ephemeral_key));  // O2
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap, WrapKey(record.version, shared, record.ephemeral_key,
                                                     recipient.card().kx_public_key()));
  SecretBytes data_key(kDataKeySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                mine->wrapped_key,
                                                RevealMutableSecret(data_key)));  // O3
  return DecryptPayload(record, data_key);
}

}  // namespace

Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender) {
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(record, sender));
  if (record.version != kRecordVersion1) {
    return Error(ErrorCode::kPurposeMismatch, "open: a v2 record is opened for a stated purpose");
  }
  return OpenWithIdentity(record, recipient);
}

Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender, const RecordPurpose& purpose) {
  MEDSEAL_RETURN_IF_ERROR(CheckStatedPurpose(purpose));
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(record, sender));          // V1, V2
  MEDSEAL_RETURN_IF_ERROR(CheckPurposeCarried(record, purpose));  // U1
  return OpenWithIdentity(record, recipient);
}

Result<OpenedPayload> OpenRecordWithVaultKey(const SealedRecord& record, const VaultKey& key,
                                             const PublicCard& sender,
                                             const RecordPurpose& purpose) {
  MEDSEAL_RETURN_IF_ERROR(CheckStatedPurpose(purpose));
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(record, sender));          // V1, V2
  MEDSEAL_RETURN_IF_ERROR(CheckPurposeCarried(record, purpose));  // U1
  const RecipientStanza* mine = FindStanza(record, kStanzaVault, key.key_id());
  if (mine == nullptr) {
    return Error(ErrorCode::kNoMatchingRecipient, "record: not sealed to this vault key");  // Q1
  }
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap, VaultWrapKey(key, record.sender_key_id, record.nonce));
  SecretBytes data_key(kDataKeySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                mine->wrapped_key,
                                                RevealMutableSecret(data_key)));  // Q2
  return DecryptPayload(record, data_key);
}

// ---- v2 sealing ----

Result<VaultKey> VaultKey::Generate(Rng& rng) {
  VaultKey k;
  k.key_ = rng.Secret(kVaultKeySize);
  k.key_id_.resize(kKeyIdSize);
  rng.Fill(k.key_id_.data(), k.key_id_.size());
  return k;
}

Result<VaultKey> VaultKey::FromBytes(ByteView key_id, SecretBytes key) {
  if (key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "vault key: the key id must be 16 bytes");
  }
  if (key.size() != kVaultKeySize) {
    return Error(ErrorCode::kInvalidArgument, "vault key: the key must be 32 bytes");
  }
  VaultKey k;
  k.key_id_.assign(key_id.begin(), key_id.end());
  k.key_ = std::move(key);
  return k;
}

Result<RecordContext> RecordContextFromJson(std::string_view text) {
  constexpr size_t kMaxContextJson = 1u << 20;
  auto parsed = ParseJsonObject(text, kMaxContextJson);
  if (!parsed.ok()) {
    if (parsed.status().code() == ErrorCode::kTooLarge) return parsed.status();
    return Error(ErrorCode::kInvalidArgument, "seal: the purposes are not well-formed JSON");
  }
  const Json& j = *parsed;
  const auto bad = [] {
    return Error(ErrorCode::kInvalidArgument,
                 "seal: expected {\"purposes\": [{\"system\", \"code\"}], "
                 "\"consentHashes\": [hex]}");
  };
  if (!ExpectExactKeys(j, {"purposes", "consentHashes"}).ok()) return bad();
  const Json& purposes = j["purposes"];
  const Json& hashes = j["consentHashes"];
  if (!purposes.is_array() || !hashes.is_array()) return bad();
  RecordContext context;
  for (const Json& p : purposes) {
    if (!ExpectExactKeys(p, {"system", "code"}).ok()) return bad();
    auto system = GetString(p, "system");
    auto code = GetString(p, "code");
    if (!system.ok() || !code.ok()) return bad();
    context.purposes.push_back(RecordPurpose{std::move(system).value(), std::move(code).value()});
  }
  for (const Json& h : hashes) {
    if (!h.is_string()) return bad();
    auto bytes = HexDecode(h.get_ref<const std::string&>());
    if (!bytes.ok()) return bad();
    context.consent_hashes.push_back(std::move(bytes).value());
  }
  return context;
}

namespace internal {

Status CheckRecordContext(const RecordContext& context, RecordContext* sorted) {
  if (context.purposes.empty()) {
    return Error(ErrorCode::kInvalidArgument, "seal: a v2 record needs at least one purpose");
  }
  if (context.purposes.size() > kMaxRecordPurposes) {
    return Error(ErrorCode::kTooLarge, "seal: too many purposes");
  }
  for (const auto& p : context.purposes) {
    MEDSEAL_RETURN_IF_ERROR(CheckPurpose(p, ErrorCode::kInvalidArgument));
  }
  if (context.consent_hashes.size() > kMaxConsentHashes) {
    return Error(ErrorCode::kTooLarge, "seal: too many consent hashes");
  }
  for (const auto& h : context.consent_hashes) {
    if (h.size() != kConsentHashSize) {
      return Error(ErrorCode::kInvalidArgument, "seal: a consent hash must be 32 bytes");
    }
  }
  RecordContext out = context;
  std::sort(out.purposes.begin(), out.purposes.end(), PurposeLess);
  std::sort(out.consent_hashes.begin(), out.consent_hashes.end(), BytesLess);
  if (!CheckPurposeOrder(out.purposes).ok()) {
    return Error(ErrorCode::kInvalidArgument, "seal: a purpose is listed twice");
  }
  if (!CheckConsentHashOrder(out.consent_hashes).ok()) {
    return Error(ErrorCode::kInvalidArgument, "seal: a consent hash is listed twice");
  }
  *sorted = std::move(out);
  return Status::Ok();
}

Result<RecipientStanza> SealXWingStanza(ByteView key_id, ByteView xwing_public_key, ByteView eseed,
                                        const SecretBytes& data_key) {
  if (key_id.size() != kKeyIdSize || data_key.size() != kDataKeySize) {
    return Error(ErrorCode::kInvalidArgument, "seal: x-wing stanza argument sizes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(XWingEncapsulation enc, XWingEncapsulateDerand(xwing_public_key, eseed));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap,
                           XWingWrapKey(enc.shared_secret, key_id, enc.ciphertext));
  RecipientStanza s{Bytes(key_id.begin(), key_id.end()), std::move(enc.ciphertext), kStanzaXWing};
  s.wrapped_key.resize(kXWingStanzaBodySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                RevealSecret(data_key),
                                                s.wrapped_key.data() + kXWingCiphertextSize));
  return s;
}

Result<SecretBytes> OpenXWingStanza(const RecipientStanza& stanza, const XWingPrivateKey& key) {
  if (stanza.type != kStanzaXWing || stanza.key_id.size() != kKeyIdSize ||
      stanza.wrapped_key.size() != kXWingStanzaBodySize) {
    return Error(ErrorCode::kMalformed, "record: not an x-wing stanza");
  }
  const ByteView body(stanza.wrapped_key);
  const ByteView ct = body.first(kXWingCiphertextSize);
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, key.Decapsulate(ct));  // H1
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap, XWingWrapKey(shared, stanza.key_id, ct));
  SecretBytes data_key(kDataKeySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                body.subspan(kXWingCiphertextSize),
                                                RevealMutableSecret(data_key)));  // H2
  return data_key;
}

Result<SealedRecord> SealPaddedPayloadV2(const Identity& sender,
                                         std::span<const PublicCard* const> recipients,
                                         std::span<const VaultKey* const> vault_keys,
                                         ByteView padded_payload, const RecordContext& context,
                                         Rng& rng, std::span<const RecipientStanza> extra) {
  if (recipients.empty() && vault_keys.empty()) {
    return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  }
  std::vector<const PublicCard*> cards(recipients.begin(), recipients.end());
  std::sort(cards.begin(), cards.end(), KeyIdLess);
  for (size_t i = 1; i < cards.size(); ++i) {
    if (cards[i - 1]->key_id() == cards[i]->key_id()) {
      return Error(ErrorCode::kDuplicateRecipient, "seal: recipient listed twice");
    }
  }
  std::vector<const VaultKey*> vaults(vault_keys.begin(), vault_keys.end());
  std::sort(vaults.begin(), vaults.end(), VaultIdLess);
  for (size_t i = 1; i < vaults.size(); ++i) {
    if (vaults[i - 1]->key_id() == vaults[i]->key_id()) {
      return Error(ErrorCode::kDuplicateRecipient, "seal: vault key listed twice");
    }
  }

  SecretBytes data_key = rng.Secret(kDataKeySize);
  SealedRecord r;
  r.version = kRecordVersion2;
  r.sender_key_id = sender.key_id();
  r.nonce.resize(kXChaChaNonceSize);
  rng.Fill(r.nonce.data(), r.nonce.size());
  SecretBytes eph_sk = rng.Secret(kX25519KeySize);
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, X25519PublicKey(RevealSecret(eph_sk)));
  r.purposes = context.purposes;
  r.consent_hashes = context.consent_hashes;

  // Type 1 for the cards without an X-Wing key, by key id; type 2 for the
  // vault keys; type 3 for the cards with one (spec §5.4 step 3).
  std::vector<const PublicCard*> classic, hybrid;
  for (const PublicCard* card : cards) {
    (CardXWingKey(*card).empty() ? classic : hybrid).push_back(card);
  }
  for (const PublicCard* card : classic) {
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared,
                             X25519(RevealSecret(eph_sk), card->kx_public_key()));
    MEDSEAL_ASSIGN_OR_RETURN(
        SecretBytes wrap, WrapKey(kRecordVersion2, shared, r.ephemeral_key, card->kx_public_key()));
    RecipientStanza s{card->key_id(), Bytes(kWrappedKeySize), kStanzaX25519};
    MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                  RevealSecret(data_key), s.wrapped_key.data()));
    r.recipients.push_back(std::move(s));
  }
  for (const VaultKey* vault : vaults) {
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap, VaultWrapKey(*vault, r.sender_key_id, r.nonce));
    RecipientStanza s{vault->key_id(), Bytes(kWrappedKeySize), kStanzaVault};
    MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                  RevealSecret(data_key), s.wrapped_key.data()));
    r.recipients.push_back(std::move(s));
  }
  for (const PublicCard* card : hybrid) {
    const SecretBytes eseed = rng.Secret(kXWingEncapsSeedSize);
    MEDSEAL_ASSIGN_OR_RETURN(RecipientStanza s,
                             internal::SealXWingStanza(card->key_id(), CardXWingKey(*card),
                                                       RevealSecret(eseed), data_key));
    r.recipients.push_back(std::move(s));
  }
  if (!extra.empty()) {
    r.recipients.insert(r.recipients.end(), extra.begin(), extra.end());
    std::stable_sort(r.recipients.begin(), r.recipients.end(),
                     [](const RecipientStanza& a, const RecipientStanza& b) {
                       if (a.type != b.type) return a.type < b.type;
                       return BytesLess(a.key_id, b.key_id);
                     });
  }

  r.ciphertext.resize(padded_payload.size() + kAeadTagSize);  // fixes the header's length field
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(data_key), r.nonce, r.HeaderBytes(),
                                                padded_payload, r.ciphertext.data()));
  r.signature = sender.Sign(RecordSignatureMessage(r));
  return r;
}

}  // namespace internal

Result<SealedRecord> SealRecordV2(const Identity& sender,
                                  std::span<const PublicCard* const> recipients,
                                  std::span<const VaultKey* const> vault_keys,
                                  const RecordPayload& payload, const RecordContext& context,
                                  Rng& rng, Clock& clock) {
  const size_t total = recipients.size() + vault_keys.size();
  if (total == 0) return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  if (total > kMaxRecipients) return Error(ErrorCode::kTooLarge, "seal: too many recipients");
  for (const PublicCard* c : recipients) {
    if (c == nullptr) return Error(ErrorCode::kInvalidArgument, "seal: null recipient card");
  }
  for (const VaultKey* k : vault_keys) {
    if (k == nullptr) return Error(ErrorCode::kInvalidArgument, "seal: null vault key");
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckPayloadFields(payload, ErrorCode::kInvalidArgument));
  RecordContext sorted;
  MEDSEAL_RETURN_IF_ERROR(internal::CheckRecordContext(context, &sorted));
  const UnixMillis now = clock.Now();
  if (now < 0 || now > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "seal: the clock reads outside 0..2^53-1");
  }
  size_t padded_size = 0;
  SecretBytes padded = internal::EncodePaddedPayload(payload, now, &padded_size);
  return internal::SealPaddedPayloadV2(sender, recipients, vault_keys,
                                       RevealSecret(padded).first(padded_size), sorted, rng);
}

}  // namespace medseal
