// SPDX-License-Identifier: Apache-2.0
#include "core/group/key_chain.h"

#include <string>
#include <string_view>

#include "core/codec/byte_io.h"
#include "core/crypto/ed25519.h"

namespace medseal::group {
namespace {

constexpr std::string_view kLinkMagic = "MSKL";
constexpr std::string_view kRevokeMagic = "MSKR";
constexpr std::string_view kLinkLabel = "medseal/v1/key-chain/link";
constexpr std::string_view kRevokeLabel = "medseal/v1/key-chain/revoke";
constexpr size_t kSigSize = 64;
constexpr size_t kRevocationBytes = 4 + 1 + 16 + 16 + 8 + 1 + kSigSize;

bool SameId(ByteView a, ByteView b) { return a.size() == b.size() && ConstantTimeEqual(a, b); }

// A magic and a version byte: K2/K3 and R2/R3.
Status CheckMagic(ByteReader& r, std::string_view magic) {
  ByteView m;
  uint8_t version = 0;
  if (!r.Raw(magic.size(), m) || AsText(m) != magic || !r.U8(version)) {
    return Error(ErrorCode::kMalformed, "bad magic");
  }
  if (version != kKeyChainVersion) {
    return Error(ErrorCode::kUnsupportedVersion, "unsupported version");
  }
  return Status::Ok();
}

}  // namespace

Bytes KeyLink::SignedBytes(const PublicCard& previous_card) const {
  Bytes out;
  ByteWriter w(out);
  w.Label(kLinkLabel);
  w.Raw(previous_key_id);
  w.Raw(next_card.key_id());
  const Bytes prev = previous_card.SignedBytes();
  const Bytes next = next_card.SignedBytes();
  w.U32(static_cast<uint32_t>(prev.size()));
  w.Raw(prev);
  w.U32(static_cast<uint32_t>(next.size()));
  w.Raw(next);
  w.U64(static_cast<uint64_t>(issued));
  return out;
}

Result<KeyLink> IssueKeyLink(const Identity& current, const PublicCard& next_card, Clock& clock) {
  if (SameId(current.key_id(), next_card.key_id())) {
    return Error(ErrorCode::kInvalidArgument, "the next card has the current key id");
  }
  const UnixMillis now = clock.Now();
  if (!IsValidCardTime(now)) return Error(ErrorCode::kInvalidArgument, "clock out of range");
  KeyLink link{current.key_id(), next_card, now, {}};
  link.signature = current.Sign(link.SignedBytes(current.card()));
  return link;
}

Bytes EncodeKeyLink(const KeyLink& link) {
  Bytes out;
  ByteWriter w(out);
  w.Raw(kLinkMagic);
  w.U8(kKeyChainVersion);
  w.Raw(link.previous_key_id);
  const std::string card = link.next_card.ToJson();
  w.U32(static_cast<uint32_t>(card.size()));
  w.Raw(card);
  w.U64(static_cast<uint64_t>(link.issued));
  w.Raw(link.signature);
  return out;
}

Result<KeyLink> ParseKeyLink(ByteView data) {
  if (data.size() > kMaxLinkBytes) return Error(ErrorCode::kTooLarge, "key link too large");  // K1
  ByteReader r(data);
  MEDSEAL_RETURN_IF_ERROR(CheckMagic(r, kLinkMagic));  // K2, K3
  ByteView prev, card_json, sig;
  uint32_t card_len = 0;
  uint64_t issued = 0;
  if (!r.Raw(kKeyIdSize, prev) || !r.U32(card_len)) {  // K4
    return Error(ErrorCode::kMalformed, "key link truncated");
  }
  if (card_len > kMaxCardJsonBytes) return Error(ErrorCode::kTooLarge, "card too large");  // K5
  if (!r.Raw(card_len, card_json) || !r.U64(issued) || !r.Raw(kSigSize, sig) ||
      r.remaining() != 0) {  // K4
    return Error(ErrorCode::kMalformed, "key link truncated or followed by bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(PublicCard card, PublicCard::ParseJson(AsText(card_json)));  // K6
  if (issued > static_cast<uint64_t>(kMaxUnixMillis)) {                                 // K7
    return Error(ErrorCode::kMalformed, "time out of range");
  }
  return KeyLink{Bytes(prev.begin(), prev.end()), std::move(card), static_cast<UnixMillis>(issued),
                 Bytes(sig.begin(), sig.end())};
}

Status VerifyKeyLink(const KeyLink& link, const PublicCard& previous_card) {
  if (!SameId(link.previous_key_id, previous_card.key_id())) {  // L1
    return Error(ErrorCode::kKeyIdMismatch, "link not from this card");
  }
  if (SameId(link.next_card.key_id(), previous_card.key_id()) ||
      link.issued < previous_card.created()) {  // L2
    return Error(ErrorCode::kMalformed, "link reissues the key or predates it");
  }
  if (!Ed25519Verify(previous_card.sign_public_key(), link.SignedBytes(previous_card),
                     link.signature)
           .ok()) {  // L3
    return Error(ErrorCode::kSignatureInvalid, "link signature invalid");
  }
  return Status::Ok();
}

Result<KeyChain> KeyChain::Verify(const PublicCard& root, std::span<const KeyLink> links) {
  if (links.size() > kMaxChainLinks) return Error(ErrorCode::kTooLarge, "chain too long");
  KeyChain chain;
  chain.cards_.push_back(root);
  for (const KeyLink& link : links) {
    MEDSEAL_RETURN_IF_ERROR(VerifyKeyLink(link, chain.cards_.back()));
    if (chain.IndexOf(link.next_card.key_id()) >= 0) {
      return Error(ErrorCode::kMalformed, "a key appears twice in the chain");
    }
    chain.cards_.push_back(link.next_card);
  }
  return chain;
}

long KeyChain::IndexOf(ByteView key_id) const {
  for (size_t i = 0; i < cards_.size(); ++i) {
    if (SameId(cards_[i].key_id(), key_id)) return static_cast<long>(i);
  }
  return -1;
}

Bytes KeyRevocation::SignedBytes() const {
  Bytes out;
  ByteWriter w(out);
  w.Label(kRevokeLabel);
  w.Raw(revoked_key_id);
  w.Raw(signer_key_id);
  w.U64(static_cast<uint64_t>(revoked));
  w.U8(static_cast<uint8_t>(reason));
  return out;
}

Result<KeyRevocation> IssueKeyRevocation(const Identity& signer, ByteView revoked_key_id,
                                         RevocationReason reason, Clock& clock) {
  if (revoked_key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "key id must be 16 bytes");
  }
  if (reason != RevocationReason::kSuperseded && reason != RevocationReason::kCompromised) {
    return Error(ErrorCode::kInvalidArgument, "unknown reason");
  }
  const UnixMillis now = clock.Now();
  if (!IsValidCardTime(now)) return Error(ErrorCode::kInvalidArgument, "clock out of range");
  KeyRevocation rev{
      Bytes(revoked_key_id.begin(), revoked_key_id.end()), signer.key_id(), now, reason, {}};
  rev.signature = signer.Sign(rev.SignedBytes());
  return rev;
}

Bytes EncodeKeyRevocation(const KeyRevocation& revocation) {
  Bytes out;
  ByteWriter w(out);
  w.Raw(kRevokeMagic);
  w.U8(kKeyChainVersion);
  w.Raw(revocation.revoked_key_id);
  w.Raw(revocation.signer_key_id);
  w.U64(static_cast<uint64_t>(revocation.revoked));
  w.U8(static_cast<uint8_t>(revocation.reason));
  w.Raw(revocation.signature);
  return out;
}

Result<KeyRevocation> ParseKeyRevocation(ByteView data) {
  if (data.size() > kRevocationBytes) return Error(ErrorCode::kTooLarge, "too large");  // R1
  ByteReader r(data);
  MEDSEAL_RETURN_IF_ERROR(CheckMagic(r, kRevokeMagic));  // R2, R3
  ByteView revoked, signer, sig;
  uint64_t time = 0;
  uint8_t reason = 0;
  if (!r.Raw(kKeyIdSize, revoked) || !r.Raw(kKeyIdSize, signer) || !r.U64(time) || !r.U8(reason) ||
      !r.Raw(kSigSize, sig) || r.remaining() != 0) {  // R4
    return Error(ErrorCode::kMalformed, "revocation truncated");
  }
  if (time > static_cast<uint64_t>(kMaxUnixMillis)) {  // R5
    return Error(ErrorCode::kMalformed, "time out of range");
  }
  if (reason > static_cast<uint8_t>(RevocationReason::kCompromised)) {  // R6
    return Error(ErrorCode::kUnsupportedVersion, "unknown revocation reason");
  }
  return KeyRevocation{Bytes(revoked.begin(), revoked.end()), Bytes(signer.begin(), signer.end()),
                       static_cast<UnixMillis>(time), static_cast<RevocationReason>(reason),
                       Bytes(sig.begin(), sig.end())};
}

Status VerifyKeyRevocation(const KeyRevocation& revocation, const KeyChain& chain) {
  const long revoked = chain.IndexOf(revocation.revoked_key_id);
  if (revoked < 0) return Error(ErrorCode::kNoMatchingRecipient, "key not in the chain");  // V1
  const long signer = chain.IndexOf(revocation.signer_key_id);
  if (signer != revoked && signer != revoked + 1) {  // V2
    return Error(ErrorCode::kNotPermitted, "signer is neither the key nor its successor");
  }
  const PublicCard& card = chain.cards()[static_cast<size_t>(signer)];
  if (!Ed25519Verify(card.sign_public_key(), revocation.SignedBytes(), revocation.signature)
           .ok()) {  // V3
    return Error(ErrorCode::kSignatureInvalid, "revocation signature invalid");
  }
  return Status::Ok();
}

Result<std::vector<size_t>> RecordsToReseal(ByteView revoked_key_id,
                                            std::span<const SealedRecord> records) {
  if (revoked_key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "key id must be 16 bytes");
  }
  std::vector<size_t> out;
  for (size_t i = 0; i < records.size(); ++i) {
    for (const RecipientStanza& s : records[i].recipients) {
      if ((s.type == kStanzaX25519 || s.type == kStanzaXWing) && SameId(s.key_id, revoked_key_id)) {
        out.push_back(i);
        break;
      }
    }
  }
  return out;
}

}  // namespace medseal::group
