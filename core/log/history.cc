// SPDX-License-Identifier: Apache-2.0
#include "core/log/history.h"

#include <variant>

#include "core/log/directory.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/merkle.h"

namespace medseal::tlog {
namespace {

Status AtIndex(const Status& s, uint64_t index) {
  return Status(s.code(), "entry " + std::to_string(index) + ": " + s.message());
}

// True if an event by `author` with sequence number `seq` is among the
// entries after `index` (only on the error path of H8).
bool AppearsLater(const std::vector<Bytes>& entries, uint64_t index, const Bytes& author,
                  uint64_t seq) {
  for (uint64_t j = index + 1; j < entries.size(); ++j) {
    if (entries[j].empty() || entries[j][0] != kEntryEvent) continue;
    auto parsed = ParseEntry(entries[j]);
    if (!parsed.ok()) continue;
    const auto* ev = std::get_if<SignedEvent>(&*parsed);
    if (ev != nullptr && ev->event.author == author && ev->event.seq == seq) return true;
  }
  return false;
}

}  // namespace

void StreamingRoot::AppendLeafHash(ByteView leaf_hash) {
  MEDSEAL_CHECK(leaf_hash.size() == kHashSize);
  stack_.emplace_back(leaf_hash.begin(), leaf_hash.end());
  heights_.push_back(0);
  ++size_;
  // Merge complete subtrees of equal height (the binary carry of size_).
  while (heights_.size() >= 2 && heights_[heights_.size() - 1] == heights_[heights_.size() - 2]) {
    Bytes right = std::move(stack_.back());
    stack_.pop_back();
    heights_.pop_back();
    stack_.back() = NodeHash(stack_.back(), right);
    ++heights_.back();
  }
}

Bytes StreamingRoot::Root() const {
  if (stack_.empty()) return EmptyRoot();
  // RFC 9162: the smaller subtrees on the right fold into the larger ones.
  Bytes acc = stack_.back();
  for (size_t i = stack_.size() - 1; i-- > 0;) acc = NodeHash(stack_[i], acc);
  return acc;
}

Result<HistorySummary> VerifyHistory(const std::vector<Bytes>& entries,
                                     const VerifiedCheckpoint& checkpoint) {
  const Checkpoint& cp = checkpoint.checkpoint;
  // H1
  if (entries.size() < cp.size) {
    return Status(ErrorCode::kLogTruncated, std::to_string(entries.size()) +
                                                " entries for a checkpoint of size " +
                                                std::to_string(cp.size));
  }
  if (entries.size() > cp.size) {
    return Status(ErrorCode::kTrailingData, std::to_string(entries.size()) +
                                                " entries for a checkpoint of size " +
                                                std::to_string(cp.size));
  }
  // H2: the entries are the ones the checkpoint commits to.
  StreamingRoot tree;
  for (const Bytes& e : entries) tree.AppendLeafHash(LeafHash(e));
  if (tree.Root() != cp.root) {
    return Status(ErrorCode::kLogEntryModified, "the entries do not hash to the checkpoint's root");
  }
  HistorySummary summary;
  summary.entries = entries.size();
  KeyDirectory directory;
  AuthorChains chains;
  for (uint64_t i = 0; i < entries.size(); ++i) {
    // H3
    auto parsed = ParseEntry(entries[i]);
    if (!parsed.ok()) return AtIndex(parsed.status(), i);
    if (const auto* card = std::get_if<PublicCard>(&*parsed)) {
      // H4
      directory.AddCard(i, *card);
      ++summary.cards;
      continue;
    }
    const SignedEvent& ev = std::get<SignedEvent>(*parsed);
    // H5 (published), H6 (not retired)
    auto author = directory.Lookup(ev.event.author);
    if (!author.ok()) return AtIndex(author.status(), i);
    // H7
    if (Status s = VerifyEvent(ev, *author); !s.ok()) return AtIndex(s, i);
    // H8; a skipped seq whose event comes later is a reordering.
    if (Status s = chains.Append(ev); !s.ok()) {
      if (s.code() == ErrorCode::kLogEntryMissing &&
          AppearsLater(entries, i, ev.event.author, chains.Next(ev.event.author).first)) {
        return Status(ErrorCode::kLogReordered, "entry " + std::to_string(i) +
                                                    ": an author's event comes before an " +
                                                    "earlier event of the same author");
      }
      return AtIndex(s, i);
    }
    // H9: rotations and revocations (rules K3-K6 of §9.2).
    if (Status s = directory.ApplyEvent(i, ev); !s.ok()) return s;
    ++summary.events;
    if (ev.event.type == EventType::kRotate) ++summary.rotations;
    if (ev.event.type == EventType::kRevoke) ++summary.revocations;
    if (ev.event.type == EventType::kBreakGlass) summary.break_glass.push_back(i);
  }
  summary.authors = chains.authors();
  return summary;
}

}  // namespace medseal::tlog
