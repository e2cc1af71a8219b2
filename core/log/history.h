// SPDX-License-Identifier: Apache-2.0
// Full verification of a log's history (spec §8.8): given every entry in
// order and a verified checkpoint, recompute the root, parse every entry,
// verify every event's signature against its author's card published
// earlier in the log, check each author's chain (AuthorChains) and apply
// rotations and revocations. One pass, linear in the entries; the tree is
// folded as it streams (O(log n) hashes held), so that a 100,000-event
// history is verified without holding its tree.
#ifndef MEDSEAL_CORE_LOG_HISTORY_H_
#define MEDSEAL_CORE_LOG_HISTORY_H_

#include <cstdint>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/log/checkpoint.h"

namespace medseal::tlog {

// What a verified history holds.
struct HistorySummary {
  uint64_t entries = 0;
  uint64_t events = 0;
  uint64_t cards = 0;
  uint64_t authors = 0;      // distinct event authors
  uint64_t rotations = 0;    // kRotate events
  uint64_t revocations = 0;  // kRevoke events
  std::vector<uint64_t>
      break_glass;  // indexes of kBreakGlass events (the patient's device flags them)
};

// Streams the root of a tree from its leaves in order (RFC 9162 §2.1.1): a
// stack of at most 64 complete subtree hashes.
class StreamingRoot {
 public:
  void AppendLeafHash(ByteView leaf_hash);  // 32 bytes (a precondition)
  uint64_t size() const { return size_; }
  Bytes Root() const;

 private:
  std::vector<Bytes> stack_;  // stack_[k]: a complete subtree, larger first
  std::vector<unsigned> heights_;
  uint64_t size_ = 0;
};

// Verifies `entries` (all of them, index 0 first) against `checkpoint`,
// rules H1-H9 of spec §8.8 in order per entry, the first error ending the
// pass (its message names the index): kLogTruncated (fewer entries than the
// checkpoint's size), kTrailingData (more), ParseEntry's codes,
// kLogEntryMissing (an event whose author's card is not published before
// it; a rotation to a card not published before it; a gap in an author's
// chain), kKeyRevoked (an event by a revoked or rotated-away key),
// kSignatureInvalid, kLogReordered, kLogEntryModified (a broken chain, or a
// root that is not the checkpoint's), kNotPermitted (a revocation of a key
// that is neither the author's nor one of its predecessors).
Result<HistorySummary> VerifyHistory(const std::vector<Bytes>& entries,
                                     const VerifiedCheckpoint& checkpoint);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_HISTORY_H_
