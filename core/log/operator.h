// SPDX-License-Identifier: Apache-2.0
// The log operator: what a relay runs to keep medseal's log. It checks each
// entry before it enters the tree (a card must verify; an event must be
// signed by a card already in the log and continue its author's chain),
// appends it to an RFC 9162 MerkleTree, keeps the entries, signs C2SP
// checkpoints with its NoteSigner, and says which C2SP tlog-tiles files are
// new or changed since the last publication, so that the relay serves the
// log as static files and decides nothing itself. Also the inclusion and
// consistency proofs of any prefix. Public data only (the signer's seed is
// the one secret, held by NoteSigner). Format: docs/spec/log.md §1, §3, §5, §7.
#ifndef MEDSEAL_CORE_LOG_OPERATOR_H_
#define MEDSEAL_CORE_LOG_OPERATOR_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/log/event.h"
#include "core/log/merkle.h"
#include "core/log/note.h"

namespace medseal::tlog {

// What an operator publishes after its tree grew from `old_size` to `size`:
// the signed checkpoint of `size` (C2SP signed note text, the file
// "checkpoint") and every tile and entry bundle that is new or changed,
// keyed by its path under the log's prefix ("tile/0/000", "tile/entries/000.p/5").
struct LogPublication {
  uint64_t old_size = 0;
  uint64_t size = 0;
  std::string checkpoint;
  std::map<std::string, Bytes> tiles;
};

// Tile `i` of a publication in path order, as (path, bytes), for callers
// that walk it by index (the wasm package); kInvalidArgument past the end.
Result<std::pair<std::string_view, ByteView>> PublishedTileAt(const LogPublication& publication,
                                                              uint64_t i);

// What Append accepted: the entry's index and kind (kEntryEvent, kEntryCard).
struct AppendedEntry {
  uint64_t index = 0;
  uint8_t kind = 0;
};

class LogOperator {
 public:
  // The checkpoint origin is the signer's name (spec §5).
  explicit LogOperator(NoteSigner signer);
  LogOperator(const LogOperator&) = delete;
  LogOperator& operator=(const LogOperator&) = delete;
  LogOperator(LogOperator&&) = default;
  LogOperator& operator=(LogOperator&&) = default;
  ~LogOperator() = default;

  const NoteVerifierKey& verifier_key() const { return signer_.verifier_key(); }
  const std::string& origin() const { return signer_.verifier_key().name; }
  uint64_t size() const { return tree_.size(); }
  const MerkleTree& tree() const { return tree_; }
  // The entries in log order (entry i is leaf i).
  const std::vector<Bytes>& entries() const { return entries_; }
  // The size of the last publication (0 before the first).
  uint64_t published_size() const { return published_size_; }

  // Checks `entry` and appends it, in this order (spec §7.3, rules O1..O5):
  //   O1 kTooLarge: more than kMaxEntryBytes (an entry bundle's limit);
  //   O2 ParseEntry's codes (kTruncated, kUnsupportedVersion, the event's or
  //      card's parser codes; a card's self-signature included);
  //   O3 a card whose key id is already in the log: kInvalidArgument;
  //   O4 an event whose author has no card in the log: kLogEntryMissing;
  //      its signature under that card: VerifyEvent's codes;
  //   O5 the author's chain (AuthorChains::Append): kLogEntryMissing for a
  //      skipped seq, kLogReordered for a repeated or lower one,
  //      kLogEntryModified for a prev that is not the previous event's hash.
  // Nothing changes unless every check passes.
  Result<AppendedEntry> Append(ByteView entry);

  // The checkpoint of the current tree, signed (C2SP signed note text).
  Result<std::string> SignedCheckpoint() const;
  // The publication since the last one (or since 0): the checkpoint of the
  // current size and the tiles that changed; records `size()` as published.
  Result<LogPublication> Publish();
  // Tiles that are new or changed from `old_size` to the current size (0:
  // all of them); kInvalidArgument for old_size > size().
  Result<std::map<std::string, Bytes>> TilesSince(uint64_t old_size) const;

  // Proofs of the tree of `size` leaves (size <= size(), else
  // kInvalidArgument), as MerkleTree computes them.
  Result<Proof> InclusionProof(uint64_t index, uint64_t size) const;
  Result<Proof> ConsistencyProof(uint64_t size1, uint64_t size2) const;
  // The public card in the log with this key id, or nullptr.
  const PublicCard* FindCard(ByteView key_id) const;
  // The number of cards in the log.
  size_t cards() const { return cards_.size(); }

 private:
  NoteSigner signer_;
  MerkleTree tree_;
  std::vector<Bytes> entries_;
  std::vector<PublicCard> cards_;  // sorted by key id
  AuthorChains chains_;
  uint64_t published_size_ = 0;
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_OPERATOR_H_
