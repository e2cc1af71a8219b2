// SPDX-License-Identifier: Apache-2.0
// The key directory (spec §9): public cards published as log entries, key
// rotations (kRotate events by the old key naming the new card) and
// revocations (kRevoke events) applied in log order, so that a lookup gives
// the card a key id was published with, or kKeyRevoked once it was revoked or
// rotated away; a card handed to a client is checked by its inclusion proof;
// and a device watches the log for cards in its own name or role that it did
// not publish (kUnexpectedCard findings).
#ifndef MEDSEAL_CORE_LOG_DIRECTORY_H_
#define MEDSEAL_CORE_LOG_DIRECTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/log/client.h"
#include "core/log/event.h"
#include "core/log/merkle.h"

namespace medseal::tlog {

// One published key, as the directory knows it.
struct DirectoryKey {
  PublicCard card;                   // the latest card published under this key id
  uint64_t published = 0;            // index of its first publication
  std::optional<Bytes> successor;    // the key id it was rotated to
  std::optional<Bytes> predecessor;  // the key id it was rotated from
  std::optional<uint64_t> revoked;   // index of the revocation
  std::optional<uint64_t> rotated;   // index of the rotation away
};

class KeyDirectory {
 public:
  // A card entry at `index` (indexes increase). A card with a key id already
  // published replaces the held card (the same keys signed it), keeping the
  // key's history.
  void AddCard(uint64_t index, const PublicCard& card);
  // An event entry whose signature the caller verified: kRotate and kRevoke
  // change the directory (rules K1-K6 of spec §9.2), others do not. Codes:
  // kLogEntryMissing (the author or a named card was not published before),
  // kKeyRevoked (the author was revoked or rotated away), kInvalidArgument
  // (a rotation naming no card, several cards, or the author itself),
  // kNotPermitted (a revocation of a key that is neither the author nor one
  // of its predecessors).
  [[nodiscard]] Status ApplyEvent(uint64_t index, const SignedEvent& event);
  // A log entry as it comes (cards and events; an event's signature is
  // verified here against its author's card: kSignatureInvalid).
  [[nodiscard]] Status ApplyEntry(uint64_t index, ByteView entry);

  // The card published under `key_id` (spec §9.3): kLogEntryMissing when none
  // was, kKeyRevoked when it was revoked or rotated away (the message says
  // which, and the successor's key id for a rotation).
  Result<PublicCard> Lookup(ByteView key_id) const;
  // The key at the end of `key_id`'s rotation chain (itself when never
  // rotated): kLogEntryMissing, or kKeyRevoked when that key was revoked.
  Result<PublicCard> Current(ByteView key_id) const;
  // Everything known about `key_id`, or null.
  const DirectoryKey* Find(ByteView key_id) const;
  size_t size() const { return keys_.size(); }

 private:
  DirectoryKey* FindMutable(ByteView key_id);
  std::vector<std::pair<Bytes, DirectoryKey>> keys_;  // sorted by key id
};

// A client handed `card` with the claim that it is log entry `index` checks
// the claim against its held checkpoint (spec §9.1): LogClient::VerifyEntry
// of CardEntry(card) (kLogEntryMissing, kProofInvalid, kInvalidArgument).
[[nodiscard]] Status VerifyCardInclusion(const LogClient& client, const PublicCard& card,
                                         uint64_t index, const Proof& proof);

// A card in a watched name or role that the watching device did not publish.
struct CardFinding {
  uint64_t index = 0;
  Bytes key_id;
  ErrorCode code = ErrorCode::kUnexpectedCard;
  bool operator==(const CardFinding&) const = default;
};

// What a patient's (or clinician's) device watches for (spec §9.4): cards
// whose name is one of `names` (exact bytes) or whose role is one of
// `roles`, with a key id not in `own_keys`.
class CardWatch {
 public:
  CardWatch(std::vector<std::string> names, std::vector<std::string> roles,
            std::vector<Bytes> own_keys);
  // The device published (or is about to publish) this key.
  void AddOwnKey(ByteView key_id);
  // One log entry at `index`; entries that are no card are ignored (their
  // parse is not this watch's concern).
  void Observe(uint64_t index, ByteView entry);
  void ObserveCard(uint64_t index, const PublicCard& card);
  const std::vector<CardFinding>& findings() const { return findings_; }
  // kOk, or kUnexpectedCard naming the first finding's index.
  Status ToStatus() const;

 private:
  std::vector<std::string> names_, roles_;
  std::vector<Bytes> own_;  // sorted
  std::vector<CardFinding> findings_;
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_DIRECTORY_H_
