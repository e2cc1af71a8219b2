// SPDX-License-Identifier: Apache-2.0
// The signed chain of an identity's keys (issue #13, "Rotation and
// history"): link N+1 carries the new public card, signed by the holder of
// key N, so a peer holding only public cards checks that key N+1 was issued
// by the holder of key N. A revocation withdraws one key of the chain,
// signed by that key or the next one. RecordsToReseal lists the sealed
// records a revoked key could open. Public data only. Format and rules:
// docs/spec/group.md §2-§4.
#ifndef MEDSEAL_CORE_GROUP_KEY_CHAIN_H_
#define MEDSEAL_CORE_GROUP_KEY_CHAIN_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/sealed_record.h"

namespace medseal::group {

inline constexpr uint8_t kKeyChainVersion = 1;
// The most links one chain may hold (spec §2.3, K-rules).
inline constexpr size_t kMaxChainLinks = 1024;
inline constexpr size_t kMaxLinkBytes = 4 + 1 + 16 + 4 + kMaxCardJsonBytes + 8 + 64;

// Link N+1: the previous key's id, the new card, the time of issue and the
// previous key's Ed25519 signature (spec §2.1).
struct KeyLink {
  Bytes previous_key_id;  // 16
  PublicCard next_card;
  UnixMillis issued = 0;
  Bytes signature;  // 64

  // LABEL("medseal/v1/key-chain/link") || prev key id || next key id ||
  // u32 len || prev card SignedBytes || u32 len || next card SignedBytes ||
  // u64 issued (spec §2.2). Needs the previous card for its signed bytes.
  Bytes SignedBytes(const PublicCard& previous_card) const;
};

// Issues the link from `current` (key N) to `next_card` (key N+1), at
// clock.Now(). kInvalidArgument when both cards have the same key id.
Result<KeyLink> IssueKeyLink(const Identity& current, const PublicCard& next_card, Clock& clock);

// Binary encoding (spec §2.1) and its strict parser (rules K1-K7).
Bytes EncodeKeyLink(const KeyLink& link);
Result<KeyLink> ParseKeyLink(ByteView data);

// Checks one link against the previous card (rules L1-L3): key id
// (kKeyIdMismatch), time not before the previous card's creation
// (kMalformed), signature (kSignatureInvalid).
[[nodiscard]] Status VerifyKeyLink(const KeyLink& link, const PublicCard& previous_card);

// A verified chain: cards()[0] is the root given by the caller, cards()[i+1]
// the card of link i.
class KeyChain {
 public:
  // Verifies every link in order against the card before it (L1-L3 per
  // link; more than kMaxChainLinks links is kTooLarge; a key id seen twice
  // is kMalformed).
  static Result<KeyChain> Verify(const PublicCard& root, std::span<const KeyLink> links);
  const std::vector<PublicCard>& cards() const { return cards_; }
  const PublicCard& current() const { return cards_.back(); }
  // The position of `key_id` in the chain, or -1.
  long IndexOf(ByteView key_id) const;

 private:
  KeyChain() = default;
  std::vector<PublicCard> cards_;
};

// Why a key was revoked (spec §3.1); the numbers are stable.
enum class RevocationReason : uint8_t {
  kSuperseded = 0,   // replaced in the ordinary way
  kCompromised = 1,  // the secret key may be known to someone else
};

// A revocation (spec §3): the revoked key id, the signing key id (the
// revoked key itself or the next key of the chain), a time, a reason.
struct KeyRevocation {
  Bytes revoked_key_id;  // 16
  Bytes signer_key_id;   // 16
  UnixMillis revoked = 0;
  RevocationReason reason = RevocationReason::kCompromised;
  Bytes signature;  // 64

  // LABEL("medseal/v1/key-chain/revoke") || revoked id || signer id ||
  // u64 revoked || u8 reason (spec §3.2).
  Bytes SignedBytes() const;
};

// Signs a revocation of `revoked_key_id` with `signer`, at clock.Now().
Result<KeyRevocation> IssueKeyRevocation(const Identity& signer, ByteView revoked_key_id,
                                         RevocationReason reason, Clock& clock);
Bytes EncodeKeyRevocation(const KeyRevocation& revocation);
// Strict parser (rules R1-R6).
Result<KeyRevocation> ParseKeyRevocation(ByteView data);
// Checks a revocation against a verified chain (rules V1-V3): the revoked
// key in the chain (kNoMatchingRecipient), the signer the revoked key or the
// one after it (kNotPermitted), the signature (kSignatureInvalid).
[[nodiscard]] Status VerifyKeyRevocation(const KeyRevocation& revocation, const KeyChain& chain);

// The indices (ascending) of the records in `records` that have a card
// stanza (type 1 X25519 or type 3 X-Wing) for `revoked_key_id`: the records
// to re-seal after a compromise (spec §4). kInvalidArgument unless the id
// has 16 bytes.
Result<std::vector<size_t>> RecordsToReseal(ByteView revoked_key_id,
                                            std::span<const SealedRecord> records);

}  // namespace medseal::group

#endif  // MEDSEAL_CORE_GROUP_KEY_CHAIN_H_
