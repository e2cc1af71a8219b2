// SPDX-License-Identifier: Apache-2.0
// The client side of medseal's log (spec §8): what every patient's and
// clinician's device runs, in the browser too. It holds a LogPolicy and the
// last checkpoint it verified; it accepts a newer checkpoint only with a
// consistency proof from the one it holds; it verifies the inclusion of
// entries; and it audits the client's own entries (index + leaf hash) from
// tiles, reporting an edited, deleted or moved entry each with its own code.
// Core does no I/O: the client says which tiles it needs, the app fetches
// them. Its state is public data, saved and restored as bytes or JSON.
#ifndef MEDSEAL_CORE_LOG_CLIENT_H_
#define MEDSEAL_CORE_LOG_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/log/checkpoint.h"
#include "core/log/merkle.h"
#include "core/log/tiles.h"

namespace medseal::tlog {

inline constexpr size_t kMaxOwnEntries = 100000;
inline constexpr size_t kMaxClientStateBytes = kMaxNoteBytes + 64 + kMaxOwnEntries * 72;
// JSON: the note (escaped: up to 6 bytes a byte) and ~140 bytes an entry.
inline constexpr size_t kMaxClientStateJsonBytes = 6 * kMaxNoteBytes + 256 + kMaxOwnEntries * 160;

// One of the client's own entries: where the log said it put it,
// LeafHash(entry), and what the entry is regardless of its bytes (spec
// §8.5): for an event its author and seq, for a card its key id.
struct OwnEntry {
  uint64_t index = 0;
  Bytes leaf_hash;  // 32 bytes
  Bytes entry_id;   // 32 bytes, EntryId(entry)
  bool operator==(const OwnEntry&) const = default;
};

// SHA-256(LABEL("medseal/v1/log-entry-id") || 0x01 || author || u64(seq))
// for an event entry, SHA-256(LABEL(...) || 0x02 || key_id) for a card
// entry; ParseEntry's codes.
Result<Bytes> EntryId(ByteView entry);

// What an audit found about one own entry (spec §8.5).
struct AuditFinding {
  uint64_t index = 0;                // the own entry's index
  ErrorCode code = ErrorCode::kOk;   // kLogEntryModified, kLogEntryMissing, kLogReordered
  std::optional<uint64_t> found_at;  // kLogReordered: where the entry is now
  bool operator==(const AuditFinding&) const = default;
};

struct AuditReport {
  uint64_t checked = 0;  // own entries below the checkpoint's size, all checked
  uint64_t pending = 0;  // own entries at or past the checkpoint's size (not yet logged)
  std::vector<AuditFinding> findings;  // in index order
  bool ok() const { return findings.empty(); }
  // kOk, or the code of the first finding.
  Status ToStatus() const;
};

class LogClient {
 public:
  // A client without a checkpoint: the first one it is given is trusted on
  // first use (after its signatures verify). kInvalidArgument as
  // CheckLogPolicy.
  static Result<LogClient> Create(LogPolicy policy);
  // A client that starts from a pinned checkpoint note (shipped with the
  // app, or compared out of band); VerifyCheckpoint's codes.
  static Result<LogClient> CreatePinned(LogPolicy policy, std::string_view checkpoint_note);

  const LogPolicy& policy() const { return policy_; }
  bool has_checkpoint() const { return checkpoint_.has_value(); }
  // The last verified checkpoint (a precondition: has_checkpoint()).
  const VerifiedCheckpoint& checkpoint() const;
  uint64_t size() const { return checkpoint_ ? checkpoint_->checkpoint.size : 0; }

  // Accepts `note` as the new checkpoint if it is consistent with the held
  // one (rules U1-U7 of spec §8.3, in order): VerifyCheckpoint's codes
  // (kSignatureInvalid, kWitnessQuorum, ...); kLogTruncated (smaller than
  // the held checkpoint); kLogFork (same size, other root; or a consistency
  // proof that does not verify); ParseProof's codes for `proof`. The proof
  // is from the held size to the new size (empty when there is none to hold
  // or the sizes are equal). On any error the held state is unchanged.
  [[nodiscard]] Status Update(std::string_view note, ByteView proof);
  // The same, computing the consistency proof from tiles of the new tree
  // (TilesForConsistency(size(), new size)); TileSet's codes when a tile is
  // missing, kLogFork when the tiles' proof does not verify.
  [[nodiscard]] Status UpdateFromTiles(std::string_view note, const TileSet& tiles);

  // kOk when `proof` proves `entry` is leaf `index` of the held checkpoint
  // (spec §8.4): kInvalidArgument without a checkpoint; kLogEntryMissing
  // for index >= size; kProofInvalid when the proof does not verify.
  [[nodiscard]] Status VerifyEntry(uint64_t index, ByteView entry, const Proof& proof) const;

  // Records one of the client's own entries at `index` (as the log reported
  // it when the entry was submitted). kInvalidArgument when `index` is
  // already tracked with another entry, above 2^53 - 1 (the JSON state's
  // limit), or past kMaxOwnEntries; ParseEntry's codes for `entry`.
  [[nodiscard]] Status TrackOwnEntry(uint64_t index, ByteView entry);
  const std::vector<OwnEntry>& own_entries() const { return own_; }

  // What to fetch for an audit of the own entries against the held
  // checkpoint: the hash tiles for their inclusion proofs and the entry
  // bundles that hold them (TileId.entries = true).
  std::vector<TileId> TilesForAudit() const;
  // Audits every own entry below the held checkpoint's size (spec §8.5) from
  // the fetched hash tiles and entry bundles (keyed by their TileId). An
  // error Result (kInvalidArgument without a checkpoint; TileSet's and
  // ParseEntryBundle's codes; kProofInvalid when the tiles or a bundle do
  // not match the checkpoint) means the audit could not be done; findings
  // are what it found.
  Result<AuditReport> AuditOwnEntries(const TileSet& tiles,
                                      const std::map<TileId, Bytes>& bundles) const;

  // State (public data): the held checkpoint note and the own entries.
  // Bytes: spec §8.6; JSON: spec §8.7. Restoring re-verifies the note under
  // `policy` (VerifyCheckpoint's codes) and applies the parse rules of §8.6 /
  // §8.7 in order (kMalformed, kTruncated, kTrailingData,
  // kUnsupportedVersion, kNonCanonical, kTooLarge).
  Bytes SaveState() const;
  std::string SaveStateJson() const;
  static Result<LogClient> RestoreState(LogPolicy policy, ByteView state);
  static Result<LogClient> RestoreStateJson(LogPolicy policy, std::string_view json);

 private:
  explicit LogClient(LogPolicy policy) : policy_(std::move(policy)) {}
  using ProofSource = std::function<Result<Proof>(uint64_t old_size, uint64_t new_size)>;
  [[nodiscard]] Status Accept(std::string_view note, const ProofSource& consistency);
  LogPolicy policy_;
  std::optional<VerifiedCheckpoint> checkpoint_;
  std::vector<OwnEntry> own_;  // sorted by index, unique
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_CLIENT_H_
