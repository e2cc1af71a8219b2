// SPDX-License-Identifier: Apache-2.0
// C2SP tlog-tiles: the static layout in which a log is served (tile paths,
// hash tiles of height 8, entry bundles), so that the relay can serve the log
// as files and a production deployment can run Tessera or Sunlight instead.
// Core does no I/O: a reader asks which tiles it needs, the app fetches them,
// and core computes proofs and verifies entries from the bytes it is given.
// Format: docs/spec/log.md §3 (which quotes C2SP tlog-tiles).
#ifndef MEDSEAL_CORE_LOG_TILES_H_
#define MEDSEAL_CORE_LOG_TILES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/log/merkle.h"

namespace medseal::tlog {

inline constexpr unsigned kTileHeight = 8;  // 256 hashes per full tile
inline constexpr uint64_t kTileWidth = 256;
inline constexpr size_t kMaxEntryBytes = 65535;  // an entry bundle's 2-byte length prefix

// A tile's coordinates: level L (0 = leaf hashes; "entries" is separate),
// index N, width W (1..256; 256 = full, else the ".p/W" partial tile).
struct TileId {
  unsigned level = 0;
  uint64_t index = 0;
  uint64_t width = kTileWidth;
  bool entries = false;  // true: tile/entries/N[.p/W] (an entry bundle)
  bool operator==(const TileId&) const = default;
  auto operator<=>(const TileId&) const = default;
};

// "tile/0/x001/x234/067", "tile/entries/000.p/5" (C2SP tlog-tiles).
std::string TilePath(const TileId& id);
// The inverse; kMalformed for anything TilePath cannot produce
// (non-canonical index groups included).
Result<TileId> ParseTilePath(std::string_view path);

// An entry bundle: each entry as a 2-byte big-endian length and its bytes.
Bytes SerializeEntryBundle(const std::vector<Bytes>& entries);
// kMalformed / kTruncated / kTrailingData; `expected` entries exactly
// (else kMalformed: fewer; kTrailingData: more); kInvalidArgument for
// `expected` outside 1..256. Entries may be empty.
Result<std::vector<Bytes>> ParseEntryBundle(ByteView bundle, uint64_t expected);
// A whole log's entries as the concatenation of its entry bundles in order
// (tile/entries/0, 1, ...: every entry with its 2-byte length, spec §3.3),
// `expected` entries exactly (any number, 0 included): what a client that
// fetched every bundle hands VerifyHistory. kTruncated / kMalformed /
// kTrailingData as ParseEntryBundle.
Result<std::vector<Bytes>> ParseEntryBundles(ByteView bundles, uint64_t expected);

// The tiles a client needs for the tree of `size` leaves: to recompute its
// root, for an inclusion proof of `index`, for a consistency proof from
// `old_size`. Sorted, without duplicates; hash tiles only (entry bundles are
// fetched by the app as it needs entries). Empty where no hash is needed
// (size <= 1, old_size = size) and for arguments the proofs reject
// (index >= size, old_size = 0, old_size > size).
std::vector<TileId> TilesForRoot(uint64_t size);
std::vector<TileId> TilesForInclusion(uint64_t index, uint64_t size);
std::vector<TileId> TilesForConsistency(uint64_t old_size, uint64_t size);

// Tiles fetched by an app, keyed by TileId. Everything computed from them is
// checked against a root the caller trusts (a verified checkpoint).
class TileSet {
 public:
  // kMalformed when `bytes` is not `width` hashes; kInvalidArgument for an
  // entry bundle id, a level past 7 (no uint64 tree reaches it) or a width
  // outside 1..256; replaces an earlier tile of the same id.
  [[nodiscard]] Status Add(const TileId& id, ByteView bytes);
  // Computes from the tiles; kLogTruncated / kMalformed when a needed tile is
  // missing or short (the message names its path), and kProofInvalid /
  // kLogFork never: callers compare the result with their checkpoint.
  // `size` is the size of the tree the tiles are of (the checkpoint's): it
  // decides which tile (full or partial) a missing hash names. Codes as
  // RootFrom / InclusionProofFrom / ConsistencyProofFrom (merkle.h) for bad
  // arguments.
  Result<Bytes> Root(uint64_t size) const;
  Result<Proof> InclusionProof(uint64_t index, uint64_t size) const;
  Result<Proof> ConsistencyProof(uint64_t old_size, uint64_t size) const;
  // Leaf hash `index` of the tree of `size` leaves, from its level-0 tile
  // (what an entry from the matching entry bundle must hash to);
  // kInvalidArgument for index >= size, kLogTruncated for a missing tile.
  Result<Bytes> LeafHashAt(uint64_t index, uint64_t size) const;
  // The complete-subtree hashes of the tree of `size` leaves, from the tiles.
  NodeSource Nodes(uint64_t size) const;

 private:
  Result<Bytes> Node(unsigned height, uint64_t index, uint64_t size) const;
  std::map<TileId, Bytes> tiles_;
};

// The hash tiles that are new or changed when a tree grows from `old_size`
// to `size` leaves (0 for old_size: every tile of the tree), sorted; for
// each level-0 tile the entry bundle of the same index and width is new or
// changed too. The tree of size 70,000 has 273 full level-0 tiles, one of
// width 112, one full level-1 tile, one of width 17 and one level-2 tile of
// width 1 (C2SP's example); old_size > size gives no tiles.
std::vector<TileId> TileIdsForTree(uint64_t old_size, uint64_t size);

// What a log operator writes when its tree grows from `old_size` to `size`
// leaves: every hash tile and entry bundle (full or partial) that is new or
// changed, keyed by path (0 for old_size: the whole tree). `entries` are the
// tree's entries in order (entries.size() >= size, else kInvalidArgument).
Result<std::map<std::string, Bytes>> TilesForTree(const MerkleTree& tree,
                                                  const std::vector<Bytes>& entries,
                                                  uint64_t old_size, uint64_t size);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_TILES_H_
