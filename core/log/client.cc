// SPDX-License-Identifier: Apache-2.0
#include "core/log/client.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <set>
#include <type_traits>
#include <variant>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/json.h"
#include "core/crypto/sha2.h"
#include "core/log/entry.h"

namespace medseal::tlog {
namespace {

constexpr uint8_t kStateMagic[4] = {'M', 'S', 'L', 'C'};
constexpr uint8_t kStateVersion = 1;
constexpr char kStateType[] = "medseal.log-client";
constexpr char kEntryIdLabel[] = "medseal/v1/log-entry-id";

// The entry bundle that holds leaf `index` of the tree of `size` leaves.
TileId BundleFor(uint64_t index, uint64_t size) {
  const uint64_t n = index / kTileWidth;
  return TileId{0, n, std::min<uint64_t>(kTileWidth, size - n * kTileWidth), true};
}

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

// A proof that `leaf_hash` is leaf `index` of the checkpoint, from tiles.
Status ProveFromTiles(const TileSet& tiles, const Checkpoint& cp, uint64_t index,
                      ByteView leaf_hash) {
  auto proof = tiles.InclusionProof(index, cp.size);
  if (!proof.ok()) return proof.status();
  if (!VerifyInclusion(index, cp.size, leaf_hash, *proof, cp.root).ok()) {
    return Status(ErrorCode::kProofInvalid,
                  "the entry bundle or hash tiles do not match the checkpoint at index " +
                      std::to_string(index));
  }
  return Status::Ok();
}

// Restore: the own entries must be strictly increasing by index, at most
// kMaxOwnEntries.
Status CheckOwnOrder(const std::vector<OwnEntry>& own) {
  for (size_t i = 1; i < own.size(); ++i) {
    if (own[i - 1].index >= own[i].index) {
      return Status(ErrorCode::kNonCanonical, "own entries not in strictly increasing index order");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Bytes> EntryId(ByteView entry) {
  auto parsed = ParseEntry(entry);
  if (!parsed.ok()) return parsed.status();
  Bytes msg;
  ByteWriter w(msg);
  w.Label(kEntryIdLabel);
  if (const auto* ev = std::get_if<SignedEvent>(&*parsed)) {
    w.U8(kEntryEvent);
    w.Raw(ev->event.author);
    w.U64(ev->event.seq);
  } else {
    w.U8(kEntryCard);
    w.Raw(std::get<PublicCard>(*parsed).key_id());
  }
  return Sha256(msg);
}

Status AuditReport::ToStatus() const {
  if (findings.empty()) return Status::Ok();
  const AuditFinding& f = findings.front();
  std::string what = "own entry " + std::to_string(f.index);
  switch (f.code) {
    case ErrorCode::kLogEntryModified: what += " was modified"; break;
    case ErrorCode::kLogEntryMissing: what += " is missing"; break;
    case ErrorCode::kLogReordered:
      what += " moved to index " + std::to_string(f.found_at.value_or(0));
      break;
    default: what += " failed its audit"; break;
  }
  if (findings.size() > 1) what += " (and " + std::to_string(findings.size() - 1) + " more)";
  return Status(f.code, what);
}

Result<LogClient> LogClient::Create(LogPolicy policy) {
  MEDSEAL_RETURN_IF_ERROR(CheckLogPolicy(policy));
  return LogClient(std::move(policy));
}

Result<LogClient> LogClient::CreatePinned(LogPolicy policy, std::string_view checkpoint_note) {
  auto client = Create(std::move(policy));
  if (!client.ok()) return client.status();
  MEDSEAL_RETURN_IF_ERROR(client->Update(checkpoint_note, {}));
  return client;
}

const VerifiedCheckpoint& LogClient::checkpoint() const {
  MEDSEAL_CHECK(checkpoint_.has_value());
  return *checkpoint_;
}

Status LogClient::Update(std::string_view note, ByteView proof) {
  return Accept(note, [proof](uint64_t, uint64_t) { return ParseProof(proof); });
}

Status LogClient::UpdateFromTiles(std::string_view note, const TileSet& tiles) {
  return Accept(note, [&tiles](uint64_t old_size, uint64_t new_size) {
    return tiles.ConsistencyProof(old_size, new_size);
  });
}

Status LogClient::Accept(std::string_view note, const ProofSource& consistency) {
  // U1: signatures and witness quorum.
  auto verified = VerifyCheckpoint(note, policy_);
  if (!verified.ok()) return verified.status();
  const Checkpoint& next = verified->checkpoint;
  // U2: the empty tree has one root.
  if (next.size == 0 && next.root != EmptyRoot()) {
    return Status(ErrorCode::kProofInvalid,
                  "a checkpoint of size 0 whose root is not the empty tree's");
  }
  if (checkpoint_) {
    const Checkpoint& held = checkpoint_->checkpoint;
    // U3
    if (next.size < held.size) {
      return Status(ErrorCode::kLogTruncated, "checkpoint of size " + std::to_string(next.size) +
                                                  " is smaller than the held size " +
                                                  std::to_string(held.size));
    }
    // U4
    if (next.size == held.size && next.root != held.root) {
      return Status(ErrorCode::kLogFork, "two checkpoints of size " + std::to_string(next.size) +
                                             " with different roots");
    }
    // U5 (held size 0: nothing to prove), U6, U7
    if (next.size > held.size && held.size > 0) {
      auto proof = consistency(held.size, next.size);
      if (!proof.ok()) return proof.status();
      if (!VerifyConsistency(held.size, next.size, held.root, next.root, *proof).ok()) {
        return Status(ErrorCode::kLogFork, "checkpoint of size " + std::to_string(next.size) +
                                               " is not consistent with the held size " +
                                               std::to_string(held.size));
      }
    }
  }
  checkpoint_ = std::move(verified).value();
  return Status::Ok();
}

Status LogClient::VerifyEntry(uint64_t index, ByteView entry, const Proof& proof) const {
  if (!checkpoint_) return Invalid("no checkpoint to verify against");
  const Checkpoint& cp = checkpoint_->checkpoint;
  if (index >= cp.size) {
    return Status(ErrorCode::kLogEntryMissing, "index " + std::to_string(index) +
                                                   " is not below the checkpoint size " +
                                                   std::to_string(cp.size));
  }
  return VerifyInclusion(index, cp.size, LeafHash(entry), proof, cp.root);
}

Status LogClient::TrackOwnEntry(uint64_t index, ByteView entry) {
  auto id = EntryId(entry);
  if (!id.ok()) return id.status();
  OwnEntry e{index, LeafHash(entry), std::move(id).value()};
  auto it = std::lower_bound(own_.begin(), own_.end(), index,
                             [](const OwnEntry& o, uint64_t i) { return o.index < i; });
  if (it != own_.end() && it->index == index) {
    if (*it == e) return Status::Ok();
    return Invalid("index " + std::to_string(index) + " is already tracked with another entry");
  }
  if (own_.size() >= kMaxOwnEntries) return Invalid("too many own entries");
  if (index > static_cast<uint64_t>(kMaxJsonInteger)) return Invalid("index above 2^53 - 1");
  own_.insert(it, std::move(e));
  return Status::Ok();
}

std::vector<TileId> LogClient::TilesForAudit() const {
  std::set<TileId> ids;
  if (!checkpoint_) return {};
  const uint64_t size = checkpoint_->checkpoint.size;
  for (const OwnEntry& e : own_) {
    if (e.index >= size) break;
    for (const TileId& t : TilesForInclusion(e.index, size)) ids.insert(t);
    ids.insert(BundleFor(e.index, size));
  }
  return {ids.begin(), ids.end()};
}

Result<AuditReport> LogClient::AuditOwnEntries(const TileSet& tiles,
                                               const std::map<TileId, Bytes>& bundles) const {
  if (!checkpoint_) return Invalid("no checkpoint to audit against");
  const Checkpoint& cp = checkpoint_->checkpoint;
  AuditReport report;
  // A1: the bundles holding own entries, parsed once; leaf hashes of every
  // entry in them, for the search of A4.
  struct Parsed {
    std::vector<Bytes> entries;
    std::vector<Bytes> leaves;
  };
  std::map<uint64_t, Parsed> parsed;
  for (const OwnEntry& e : own_) {
    if (e.index >= cp.size) {
      ++report.pending;
      continue;
    }
    const TileId id = BundleFor(e.index, cp.size);
    if (parsed.count(id.index) != 0) continue;
    auto it = bundles.find(id);
    if (it == bundles.end()) {
      return Status(ErrorCode::kLogTruncated, "entry bundle " + TilePath(id) + " was not given");
    }
    auto entries = ParseEntryBundle(it->second, id.width);
    if (!entries.ok()) return entries.status();
    Parsed p;
    p.leaves.reserve(entries->size());
    for (const Bytes& entry : *entries) p.leaves.push_back(LeafHash(entry));
    p.entries = std::move(entries).value();
    parsed.emplace(id.index, std::move(p));
  }
  for (const OwnEntry& e : own_) {
    if (e.index >= cp.size) break;
    ++report.checked;
    const Parsed& p = parsed.at(e.index / kTileWidth);
    const size_t pos = e.index % kTileWidth;
    // A2: what the log holds at the index, proved against the checkpoint.
    MEDSEAL_RETURN_IF_ERROR(ProveFromTiles(tiles, cp, e.index, p.leaves[pos]));
    // A3
    if (p.leaves[pos] == e.leaf_hash) continue;
    // A4: the entry elsewhere in the fetched bundles.
    std::optional<uint64_t> found;
    for (const auto& [n, q] : parsed) {
      for (size_t j = 0; j < q.leaves.size() && !found; ++j) {
        if (q.leaves[j] == e.leaf_hash) found = n * kTileWidth + j;
      }
      if (found) break;
    }
    if (found) {
      MEDSEAL_RETURN_IF_ERROR(ProveFromTiles(tiles, cp, *found, e.leaf_hash));
      report.findings.push_back(AuditFinding{e.index, ErrorCode::kLogReordered, found});
      continue;
    }
    // A5: the same entry (author and seq, or card key id) with other bytes,
    // or bytes that are no valid entry at all.
    auto there = EntryId(p.entries[pos]);
    if (!there.ok() || *there == e.entry_id) {
      report.findings.push_back(AuditFinding{e.index, ErrorCode::kLogEntryModified, {}});
      continue;
    }
    // A6
    report.findings.push_back(AuditFinding{e.index, ErrorCode::kLogEntryMissing, {}});
  }
  return report;
}

// ---- state -----------------------------------------------------------------

Bytes LogClient::SaveState() const {
  Bytes out;
  ByteWriter w(out);
  w.Raw(ByteView(kStateMagic, sizeof kStateMagic));
  w.U8(kStateVersion);
  w.U8(checkpoint_ ? 1 : 0);
  if (checkpoint_) {
    w.U32(static_cast<uint32_t>(checkpoint_->note.size()));
    w.Raw(checkpoint_->note);
  }
  w.U32(static_cast<uint32_t>(own_.size()));
  for (const OwnEntry& e : own_) {
    w.U64(e.index);
    w.Raw(e.leaf_hash);
    w.Raw(e.entry_id);
  }
  return out;
}

Result<LogClient> LogClient::RestoreState(LogPolicy policy, ByteView state) {
  // S1-S3
  const size_t magic_seen = std::min(state.size(), sizeof kStateMagic);
  if (!std::equal(state.begin(), state.begin() + static_cast<std::ptrdiff_t>(magic_seen),
                  kStateMagic)) {
    return Status(ErrorCode::kMalformed, "not a log client state (magic)");
  }
  if (state.size() > kMaxClientStateBytes) {
    return Status(ErrorCode::kTooLarge, "log client state too large");
  }
  ByteReader r(state.subspan(magic_seen));
  const auto truncated = [] {
    return Status(ErrorCode::kTruncated, "log client state ends early");
  };
  uint8_t version = 0, has = 0;
  if (magic_seen < sizeof kStateMagic || !r.U8(version)) return truncated();
  if (version != kStateVersion) {
    return Status(ErrorCode::kUnsupportedVersion, "log client state version is not 1");
  }
  // S4
  if (!r.U8(has)) return truncated();
  if (has > 1) return Status(ErrorCode::kMalformed, "checkpoint flag is not 0 or 1");
  std::string note;
  if (has == 1) {
    uint32_t len = 0;
    ByteView text;
    if (!r.U32(len)) return truncated();
    if (len > kMaxNoteBytes) return Status(ErrorCode::kTooLarge, "checkpoint note too large");
    if (!r.Raw(len, text)) return truncated();
    note.assign(reinterpret_cast<const char*>(text.data()), text.size());
  }
  // S5
  uint32_t count = 0;
  if (!r.U32(count)) return truncated();
  if (count > kMaxOwnEntries) return Status(ErrorCode::kTooLarge, "too many own entries");
  if (r.remaining() < static_cast<size_t>(count) * 72) return truncated();
  std::vector<OwnEntry> own;
  own.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    OwnEntry e;
    ByteView leaf, id;
    r.U64(e.index);
    if (e.index > static_cast<uint64_t>(kMaxJsonInteger)) {
      return Status(ErrorCode::kMalformed, "an own entry index above 2^53 - 1");
    }
    r.Raw(kHashSize, leaf);
    r.Raw(kHashSize, id);
    e.leaf_hash.assign(leaf.begin(), leaf.end());
    e.entry_id.assign(id.begin(), id.end());
    own.push_back(std::move(e));
  }
  // S6, S7
  if (r.remaining() != 0) return Status(ErrorCode::kTrailingData, "bytes after the state");
  MEDSEAL_RETURN_IF_ERROR(CheckOwnOrder(own));
  // S8
  auto client = has == 1 ? CreatePinned(std::move(policy), note) : Create(std::move(policy));
  if (!client.ok()) return client.status();
  client->own_ = std::move(own);
  return client;
}

std::string LogClient::SaveStateJson() const {
  Json own = Json::array();
  for (const OwnEntry& e : own_) {
    own.push_back(Json{{"id", Base64UrlEncode(e.entry_id)},
                       {"index", e.index},
                       {"leaf", Base64UrlEncode(e.leaf_hash)}});
  }
  Json j{{"checkpoint", checkpoint_ ? Json(checkpoint_->note) : Json(nullptr)},
         {"own", std::move(own)},
         {"type", kStateType},
         {"v", kStateVersion}};
  return j.dump();
}

Result<LogClient> LogClient::RestoreStateJson(LogPolicy policy, std::string_view json) {
  // J1-J3
  auto parsed = ParseJsonObject(json, kMaxClientStateJsonBytes);
  if (!parsed.ok()) return parsed.status();
  const Json& j = *parsed;
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kStateType, kStateVersion));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(j, {"type", "v", "checkpoint", "own"}));
  // J4
  const Json& cp = j["checkpoint"];
  if (!cp.is_null() && !cp.is_string()) {
    return Status(ErrorCode::kMalformed, "checkpoint is neither a string nor null");
  }
  // J5
  const Json& list = j["own"];
  if (!list.is_array()) return Status(ErrorCode::kMalformed, "own is not an array");
  if (list.size() > kMaxOwnEntries) return Status(ErrorCode::kTooLarge, "too many own entries");
  std::vector<OwnEntry> own;
  own.reserve(list.size());
  for (const Json& item : list) {
    if (!item.is_object()) return Status(ErrorCode::kMalformed, "an own entry is not an object");
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(item, {"index", "leaf", "id"}));
    auto index = GetInt(item, "index");
    if (!index.ok()) return index.status();
    if (*index < 0) return Status(ErrorCode::kMalformed, "negative index");
    auto leaf = GetBase64(item, "leaf", kHashSize);
    if (!leaf.ok()) return leaf.status();
    auto id = GetBase64(item, "id", kHashSize);
    if (!id.ok()) return id.status();
    own.push_back(
        OwnEntry{static_cast<uint64_t>(*index), std::move(leaf).value(), std::move(id).value()});
  }
  // J6
  MEDSEAL_RETURN_IF_ERROR(CheckOwnOrder(own));
  // J7
  auto client = cp.is_string() ? CreatePinned(std::move(policy), cp.get<std::string>())
                               : Create(std::move(policy));
  if (!client.ok()) return client.status();
  client->own_ = std::move(own);
  return client;
}

}  // namespace medseal::tlog
