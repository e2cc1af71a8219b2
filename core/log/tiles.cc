// SPDX-License-Identifier: Apache-2.0
#include "core/log/tiles.h"

#include <algorithm>
#include <set>
#include <utility>

namespace medseal::tlog {

namespace {

// 256^8 = 2^64: a tile level past 7 would need more leaves than a uint64_t
// counts. Paths may still name levels up to 63 (C2SP's grammar).
constexpr unsigned kMaxPathLevel = 63;
constexpr unsigned kMaxTreeTileLevel = 7;
constexpr uint64_t kMaxIndexGroups = 7;  // 18,446,744,073,709,551,615

void AppendGroup(std::string& out, unsigned group) {
  out += static_cast<char>('0' + group / 100);
  out += static_cast<char>('0' + group / 10 % 10);
  out += static_cast<char>('0' + group % 10);
}

std::vector<std::string_view> SplitSlash(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t slash = s.find('/', start);
    if (slash == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A decimal without leading zeroes ("0" itself allowed), at most `max`.
bool ParseSmallDecimal(std::string_view s, uint64_t max, uint64_t& out) {
  if (!AllDigits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  if (v > max) return false;
  out = v;
  return true;
}

Status BadPath(const char* why) { return Error(ErrorCode::kMalformed, why); }

// The tile at tile level `level`, index `index`, as the tree of `size`
// leaves has it: full, or the partial tile of that size's width.
TileId TileOfTree(unsigned level, uint64_t index, uint64_t size) {
  const uint64_t hashes = size >> (kTileHeight * level);  // level 8*level nodes
  TileId id;
  id.level = level;
  id.index = index;
  id.width = index < (hashes / kTileWidth) ? kTileWidth : hashes % kTileWidth;
  return id;
}

// Where the complete subtree (height, index) lives: tile level, tile index,
// offset in the tile and the number of tile hashes it spans.
struct NodePlace {
  unsigned tile_level;
  uint64_t tile_index;
  uint64_t offset;
  uint64_t count;
};
NodePlace PlaceOf(unsigned height, uint64_t index) {
  const unsigned rest = height % kTileHeight;
  const uint64_t first = index << rest;
  return NodePlace{height / kTileHeight, first / kTileWidth, first % kTileWidth,
                   uint64_t{1} << rest};
}

// The tiles that `run` asks for, given a source that records them.
template <typename Run>
std::vector<TileId> RecordTiles(uint64_t size, Run run) {
  std::set<TileId> seen;
  const NodeSource recorder = [&seen, size](unsigned height, uint64_t index) -> Result<Bytes> {
    const NodePlace p = PlaceOf(height, index);
    seen.insert(TileOfTree(p.tile_level, p.tile_index, size));
    return Bytes(kHashSize, 0);
  };
  if (!run(recorder)) return {};
  return std::vector<TileId>(seen.begin(), seen.end());
}

}  // namespace

std::string TilePath(const TileId& id) {
  MEDSEAL_CHECK(id.width >= 1 && id.width <= kTileWidth);
  MEDSEAL_CHECK(id.entries || id.level <= kMaxPathLevel);
  std::string out = "tile/";
  out += id.entries ? std::string("entries") : std::to_string(id.level);
  out += '/';
  std::vector<unsigned> groups;
  uint64_t n = id.index;
  do {
    groups.push_back(static_cast<unsigned>(n % 1000));
    n /= 1000;
  } while (n != 0);
  for (size_t i = groups.size(); i-- > 0;) {
    if (i != 0) out += 'x';
    AppendGroup(out, groups[i]);
    if (i != 0) out += '/';
  }
  if (id.width < kTileWidth) {
    out += ".p/";
    out += std::to_string(id.width);
  }
  return out;
}

Result<TileId> ParseTilePath(std::string_view path) {
  const std::vector<std::string_view> parts = SplitSlash(path);
  // tile / <L or entries> / groups... [/ W]
  if (parts.size() < 3 || parts[0] != "tile") return BadPath("tile path does not start tile/");
  TileId id;
  if (parts[1] == "entries") {
    id.entries = true;
  } else {
    uint64_t level = 0;
    if (!ParseSmallDecimal(parts[1], kMaxPathLevel, level)) return BadPath("bad tile level");
    id.level = static_cast<unsigned>(level);
  }
  size_t i = 2;
  uint64_t index = 0;
  size_t groups = 0;
  bool last_seen = false;
  while (i < parts.size() && !last_seen) {
    std::string_view g = parts[i];
    const bool inner = !g.empty() && g[0] == 'x';
    if (inner) {
      g.remove_prefix(1);
    } else {
      last_seen = true;
      if (g.size() > 3 && g.substr(3) == ".p") {
        if (i + 2 != parts.size()) return BadPath("bad partial tile suffix");
        uint64_t width = 0;
        if (!ParseSmallDecimal(parts[i + 1], kTileWidth - 1, width) || width == 0) {
          return BadPath("bad partial tile width");
        }
        id.width = width;
        g = g.substr(0, 3);
      } else if (i + 1 != parts.size()) {
        return BadPath("tile index element without x before the last");
      }
    }
    if (g.size() != 3 || !AllDigits(g)) return BadPath("tile index element is not 3 digits");
    if (++groups > kMaxIndexGroups) return BadPath("tile index too large");
    const uint64_t digit_group = static_cast<uint64_t>(g[0] - '0') * 100 +
                                 static_cast<uint64_t>(g[1] - '0') * 10 +
                                 static_cast<uint64_t>(g[2] - '0');
    if (groups == 2 && index == 0) return BadPath("tile index has a leading zero group");
    if (index > (UINT64_MAX - digit_group) / 1000) return BadPath("tile index too large");
    index = index * 1000 + digit_group;
    ++i;
  }
  if (!last_seen) return BadPath("tile index ends with an x element");
  id.index = index;
  return id;
}

Bytes SerializeEntryBundle(const std::vector<Bytes>& entries) {
  size_t total = 0;
  for (const Bytes& e : entries) total += 2 + e.size();
  Bytes out;
  out.reserve(total);
  for (const Bytes& e : entries) {
    MEDSEAL_CHECK(e.size() <= kMaxEntryBytes);
    out.push_back(static_cast<uint8_t>(e.size() >> 8));
    out.push_back(static_cast<uint8_t>(e.size()));
    out.insert(out.end(), e.begin(), e.end());
  }
  return out;
}

namespace {

// `expected` length-prefixed entries filling `bundle` exactly (TB1-TB4).
Result<std::vector<Bytes>> ParseLengthPrefixed(ByteView bundle, uint64_t expected) {
  std::vector<Bytes> entries;
  size_t pos = 0;
  while (entries.size() < expected) {
    if (pos == bundle.size()) {
      return Error(ErrorCode::kMalformed, "entry bundle has fewer entries than its width");
    }
    if (bundle.size() - pos < 2) return Error(ErrorCode::kTruncated, "entry bundle truncated");
    const size_t len = (size_t{bundle[pos]} << 8) | bundle[pos + 1];
    pos += 2;
    if (bundle.size() - pos < len) return Error(ErrorCode::kTruncated, "entry bundle truncated");
    entries.emplace_back(bundle.begin() + static_cast<std::ptrdiff_t>(pos),
                         bundle.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
  }
  if (pos != bundle.size()) {
    return Error(ErrorCode::kTrailingData, "entry bundle has more entries than its width");
  }
  return entries;
}

}  // namespace

Result<std::vector<Bytes>> ParseEntryBundle(ByteView bundle, uint64_t expected) {
  if (expected == 0 || expected > kTileWidth) {
    return Error(ErrorCode::kInvalidArgument, "an entry bundle holds 1 to 256 entries");
  }
  return ParseLengthPrefixed(bundle, expected);
}

Result<std::vector<Bytes>> ParseEntryBundles(ByteView bundles, uint64_t expected) {
  // Every entry takes at least its 2-byte prefix: a count beyond that cannot
  // fit (and would make the reservation below unbounded).
  if (expected > bundles.size() / 2) {
    return Error(ErrorCode::kTruncated, "entry bundles: fewer bytes than the entries need");
  }
  return ParseLengthPrefixed(bundles, expected);
}

std::vector<TileId> TilesForRoot(uint64_t size) {
  return RecordTiles(size, [size](const NodeSource& s) { return RootFrom(s, size).ok(); });
}

std::vector<TileId> TilesForInclusion(uint64_t index, uint64_t size) {
  return RecordTiles(
      size, [index, size](const NodeSource& s) { return InclusionProofFrom(s, index, size).ok(); });
}

std::vector<TileId> TilesForConsistency(uint64_t old_size, uint64_t size) {
  return RecordTiles(size, [old_size, size](const NodeSource& s) {
    return ConsistencyProofFrom(s, old_size, size).ok();
  });
}

Status TileSet::Add(const TileId& id, ByteView bytes) {
  if (id.entries) return Error(ErrorCode::kInvalidArgument, "a TileSet holds hash tiles only");
  if (id.level > kMaxTreeTileLevel || id.width == 0 || id.width > kTileWidth) {
    return Error(ErrorCode::kInvalidArgument, "tile id out of range");
  }
  if (bytes.size() != id.width * kHashSize) {
    return Error(ErrorCode::kMalformed,
                 TilePath(id) + " is not " + std::to_string(id.width) + " hashes");
  }
  tiles_[id] = Bytes(bytes.begin(), bytes.end());
  return Status::Ok();
}

Result<Bytes> TileSet::Node(unsigned height, uint64_t index, uint64_t size) const {
  const NodePlace p = PlaceOf(height, index);
  const uint64_t need = p.offset + p.count;
  // The narrowest tile at (level, index) that is wide enough: a partial tile
  // is a prefix of the full one.
  const auto it = tiles_.lower_bound(TileId{p.tile_level, p.tile_index, need, false});
  if (it == tiles_.end() || it->first.level != p.tile_level || it->first.index != p.tile_index) {
    return Error(ErrorCode::kLogTruncated,
                 "missing tile " + TilePath(TileOfTree(p.tile_level, p.tile_index, size)));
  }
  const Bytes& tile = it->second;
  std::vector<Bytes> hashes;
  hashes.reserve(p.count);
  for (uint64_t i = 0; i < p.count; ++i) {
    const auto at = static_cast<std::ptrdiff_t>((p.offset + i) * kHashSize);
    hashes.emplace_back(tile.begin() + at,
                        tile.begin() + at + static_cast<std::ptrdiff_t>(kHashSize));
  }
  // Rebuild the levels between the tile's hashes and the subtree's root.
  while (hashes.size() > 1) {
    for (size_t i = 0; i < hashes.size() / 2; ++i) {
      hashes[i] = NodeHash(hashes[2 * i], hashes[2 * i + 1]);
    }
    hashes.resize(hashes.size() / 2);
  }
  return std::move(hashes[0]);
}

NodeSource TileSet::Nodes(uint64_t size) const {
  return [this, size](unsigned height, uint64_t index) { return Node(height, index, size); };
}

Result<Bytes> TileSet::Root(uint64_t size) const { return RootFrom(Nodes(size), size); }

Result<Proof> TileSet::InclusionProof(uint64_t index, uint64_t size) const {
  return InclusionProofFrom(Nodes(size), index, size);
}

Result<Proof> TileSet::ConsistencyProof(uint64_t old_size, uint64_t size) const {
  return ConsistencyProofFrom(Nodes(size), old_size, size);
}

Result<Bytes> TileSet::LeafHashAt(uint64_t index, uint64_t size) const {
  if (index >= size) return Error(ErrorCode::kInvalidArgument, "leaf index is not below tree size");
  return Node(0, index, size);
}

std::vector<TileId> TileIdsForTree(uint64_t old_size, uint64_t size) {
  std::vector<TileId> ids;
  if (old_size > size) return ids;
  for (unsigned level = 0; level <= kMaxTreeTileLevel; ++level) {
    const uint64_t now = size >> (kTileHeight * level);
    if (now == 0) break;
    const uint64_t before = old_size >> (kTileHeight * level);
    for (uint64_t n = before / kTileWidth; n <= (now - 1) / kTileWidth; ++n) {
      const uint64_t start = n * kTileWidth;
      const uint64_t width = std::min(kTileWidth, now - start);
      const uint64_t old_width = before > start ? std::min(kTileWidth, before - start) : 0;
      if (width != old_width) ids.push_back(TileId{level, n, width, false});
    }
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::map<std::string, Bytes>> TilesForTree(const MerkleTree& tree,
                                                  const std::vector<Bytes>& entries,
                                                  uint64_t old_size, uint64_t size) {
  if (old_size > size || size > tree.size() || entries.size() < size) {
    return Error(ErrorCode::kInvalidArgument, "sizes do not fit the tree and its entries");
  }
  for (uint64_t i = old_size; i < size; ++i) {
    if (entries[i].size() > kMaxEntryBytes) {
      return Error(ErrorCode::kTooLarge, "entry longer than 65535 bytes");
    }
    const Bytes* leaf = tree.FindNode(0, i);
    if (leaf == nullptr || LeafHash(entries[i]) != *leaf) {
      return Error(ErrorCode::kInvalidArgument, "entry does not hash to the tree's leaf");
    }
  }
  std::map<std::string, Bytes> out;
  for (TileId id : TileIdsForTree(old_size, size)) {
    const uint64_t start = id.index * kTileWidth;
    Bytes tile;
    tile.reserve(id.width * kHashSize);
    for (uint64_t i = 0; i < id.width; ++i) {
      const Bytes* h = tree.FindNode(kTileHeight * id.level, start + i);
      MEDSEAL_CHECK(h != nullptr);
      tile.insert(tile.end(), h->begin(), h->end());
    }
    out.emplace(TilePath(id), std::move(tile));
    if (id.level == 0) {
      id.entries = true;
      const auto first = entries.begin() + static_cast<std::ptrdiff_t>(start);
      out.emplace(TilePath(id), SerializeEntryBundle(std::vector<Bytes>(
                                    first, first + static_cast<std::ptrdiff_t>(id.width))));
    }
  }
  return out;
}

}  // namespace medseal::tlog
