// SPDX-License-Identifier: Apache-2.0
#include "core/record/record.h"

#include <algorithm>
#include <vector>

#include "core/codec/byte_io.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/record/internal/record_internal.h"

namespace medseal {
namespace {

constexpr std::string_view kWrapLabel = "medseal/v1/record/wrap";
constexpr std::string_view kSignatureLabel = "medseal/v1/record/signature";
constexpr size_t kDataKeySize = 32;

// wrap key = BLAKE2b-256(key = X25519 shared secret,
//                        "medseal/v1/record/wrap" 0x00 || ephemeral pk || recipient kx pk)
Result<SecretBytes> WrapKey(const SecretBytes& shared, ByteView ephemeral_pk,
                            ByteView recipient_pk) {
  Bytes msg = LabelBytes(kWrapLabel);
  msg.insert(msg.end(), ephemeral_pk.begin(), ephemeral_pk.end());
  msg.insert(msg.end(), recipient_pk.begin(), recipient_pk.end());
  return Blake2bDeriveKey(32, RevealSecret(shared), msg);
}

const uint8_t kZeroNonce[kXChaChaNonceSize] = {0};

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
  Bytes msg = LabelBytes(kSignatureLabel);
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
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap,
                             WrapKey(shared, r.ephemeral_key, card->kx_public_key()));
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

Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender) {
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(record, sender));
  const RecipientStanza* mine = nullptr;
  for (const auto& s : record.recipients) {
    if (s.key_id == recipient.key_id()) mine = &s;
  }
  if (mine == nullptr) {
    return Error(ErrorCode::kNoMatchingRecipient, "record: not sealed to this key");
  }
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, recipient.Agree(record.ephemeral_key));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap,
                           WrapKey(shared, record.ephemeral_key, recipient.card().kx_public_key()));
  SecretBytes data_key(kDataKeySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                mine->wrapped_key, RevealMutableSecret(data_key)));
  SecretBytes padded(record.ciphertext.size() - kAeadTagSize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(data_key), record.nonce,
                                                record.HeaderBytes(), record.ciphertext,
                                                RevealMutableSecret(padded)));
  return OpenedPayload::FromPadded(std::move(padded));
}

}  // namespace medseal
