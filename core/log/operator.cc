// SPDX-License-Identifier: Apache-2.0
#include "core/log/operator.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <utility>
#include <variant>

#include "core/log/checkpoint.h"
#include "core/log/entry.h"
#include "core/log/tiles.h"

namespace medseal::tlog {
namespace {

bool KeyIdLess(const PublicCard& card, ByteView key_id) {
  return std::lexicographical_compare(card.key_id().begin(), card.key_id().end(), key_id.begin(),
                                      key_id.end());
}

}  // namespace

Result<std::pair<std::string_view, ByteView>> PublishedTileAt(const LogPublication& publication,
                                                              uint64_t i) {
  if (i >= publication.tiles.size()) {
    return Error(ErrorCode::kInvalidArgument, "log publication: no tile at that index");
  }
  auto it = std::next(publication.tiles.begin(), static_cast<std::ptrdiff_t>(i));
  return std::pair<std::string_view, ByteView>(it->first, it->second);
}

LogOperator::LogOperator(NoteSigner signer) : signer_(std::move(signer)) {}

const PublicCard* LogOperator::FindCard(ByteView key_id) const {
  auto it = std::lower_bound(cards_.begin(), cards_.end(), key_id, KeyIdLess);
  if (it == cards_.end() ||
      !std::equal(it->key_id().begin(), it->key_id().end(), key_id.begin(), key_id.end())) {
    return nullptr;
  }
  return &*it;
}

Result<AppendedEntry> LogOperator::Append(ByteView entry) {
  // O1
  if (entry.size() > kMaxEntryBytes) {
    return Error(ErrorCode::kTooLarge, "log entry: more than " + std::to_string(kMaxEntryBytes) +
                                           " bytes (an entry bundle's limit)");
  }
  // O2
  MEDSEAL_ASSIGN_OR_RETURN(LogEntry parsed, ParseEntry(entry));
  if (PublicCard* card = std::get_if<PublicCard>(&parsed)) {
    // O3
    if (FindCard(card->key_id()) != nullptr) {
      return Error(ErrorCode::kInvalidArgument, "log entry: this card is already in the log");
    }
    auto at = std::lower_bound(cards_.begin(), cards_.end(), ByteView(card->key_id()), KeyIdLess);
    cards_.insert(at, std::move(*card));
    tree_.AppendEntry(entry);
    entries_.emplace_back(entry.begin(), entry.end());
    return AppendedEntry{tree_.size() - 1, kEntryCard};
  }
  const SignedEvent& event = std::get<SignedEvent>(parsed);
  // O4
  const PublicCard* author = FindCard(event.event.author);
  if (author == nullptr) {
    return Error(ErrorCode::kLogEntryMissing,
                 "log entry: the event's author has no card in the log");
  }
  MEDSEAL_RETURN_IF_ERROR(VerifyEvent(event, *author));
  // O5 (advances the author's head only when it passes)
  MEDSEAL_RETURN_IF_ERROR(chains_.Append(event));
  tree_.AppendEntry(entry);
  entries_.emplace_back(entry.begin(), entry.end());
  return AppendedEntry{tree_.size() - 1, kEntryEvent};
}

Result<std::string> LogOperator::SignedCheckpoint() const {
  Checkpoint checkpoint;
  checkpoint.origin = origin();
  checkpoint.size = tree_.size();
  checkpoint.root = tree_.Root();
  return SignCheckpoint(checkpoint, signer_);
}

Result<std::map<std::string, Bytes>> LogOperator::TilesSince(uint64_t old_size) const {
  if (old_size > tree_.size()) {
    return Error(ErrorCode::kInvalidArgument, "log: the old size is larger than the tree");
  }
  return TilesForTree(tree_, entries_, old_size, tree_.size());
}

Result<LogPublication> LogOperator::Publish() {
  LogPublication out;
  out.old_size = published_size_;
  out.size = tree_.size();
  MEDSEAL_ASSIGN_OR_RETURN(out.checkpoint, SignedCheckpoint());
  MEDSEAL_ASSIGN_OR_RETURN(out.tiles, TilesSince(published_size_));
  published_size_ = out.size;
  return out;
}

Result<Proof> LogOperator::InclusionProof(uint64_t index, uint64_t size) const {
  return tree_.InclusionProof(index, size);
}

Result<Proof> LogOperator::ConsistencyProof(uint64_t size1, uint64_t size2) const {
  return tree_.ConsistencyProof(size1, size2);
}

}  // namespace medseal::tlog
