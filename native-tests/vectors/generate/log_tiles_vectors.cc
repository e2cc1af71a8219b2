// SPDX-License-Identifier: Apache-2.0
// log/tiles_v1.json (docs/spec/log.md §2, §3): see log_tiles_vectors.h.
// Tile paths for edge indexes (C2SP tlog-tiles' own example included), paths
// a reader must reject, and trees of sizes around tile boundaries with their
// tiles, entry bundles, roots, inclusion and consistency proofs and the tiles
// each proof needs. The entries are synthetic: entry i is the byte 0x01
// followed by i as a 4-byte big-endian number.
#include "native-tests/vectors/generate/log_tiles_vectors.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/hex.h"
#include "core/log/merkle.h"
#include "core/log/tiles.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
using tlog::TileId;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (log tiles): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

Bytes Entry(uint64_t i) {
  return {0x01, static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
          static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
}

ordered_json PathCase(unsigned level, uint64_t index, uint64_t width, bool entries) {
  const TileId id{level, index, width, entries};
  return ordered_json{{"path", tlog::TilePath(id)},
                      {"level", level},
                      {"index", std::to_string(index)},
                      {"width", width},
                      {"entries", entries}};
}

ordered_json PathList(const std::vector<TileId>& ids) {
  ordered_json list = ordered_json::array();
  for (const TileId& id : ids) list.push_back(tlog::TilePath(id));
  return list;
}

}  // namespace

void GenerateLogTilesVectors(const std::string& dir) {
  ordered_json paths = ordered_json::array();
  paths.push_back(PathCase(0, 1234067, 256, false));  // C2SP's example
  paths.push_back(PathCase(0, 0, 256, false));
  paths.push_back(PathCase(0, 0, 1, false));
  paths.push_back(PathCase(0, 0, 255, false));
  paths.push_back(PathCase(0, 999, 256, false));
  paths.push_back(PathCase(0, 1000, 256, false));
  paths.push_back(PathCase(1, 1, 17, false));
  paths.push_back(PathCase(2, 0, 1, false));
  paths.push_back(PathCase(2, 1000000, 17, false));
  paths.push_back(PathCase(63, 5, 256, false));
  paths.push_back(PathCase(0, 273, 112, true));
  paths.push_back(PathCase(0, 1234067, 256, true));
  paths.push_back(PathCase(0, UINT64_MAX, 256, false));
  paths.push_back(PathCase(0, UINT64_MAX, 255, true));
  const std::vector<std::string> bad = {
      "tile/00/000",      "tile/64/000",           "tile/0/00",
      "tile/0/0000",      "tile/0/x000/001",       "tile/0/001/002",
      "tile/0/x001",      "tile/0/x001/x234/067/", "tile/0/000.p/0",
      "tile/0/000.p/256", "tile/0/000.p/05",       "tile/0/000.p",
      "tile/entry/000",   "/tile/0/000",           "tile/0/x018/x446/x744/x073/x709/x551/616"};
  for (const std::string& b : bad) {
    if (tlog::ParseTilePath(b).ok()) Die("bad path parses: " + b);
  }

  // One log of 65,537 entries; every smaller tree is a prefix of it.
  constexpr uint64_t kMax = 65537;
  std::vector<Bytes> entries;
  tlog::MerkleTree tree;
  for (uint64_t i = 0; i < kMax; ++i) {
    entries.push_back(Entry(i));
    tree.AppendEntry(entries.back());
  }

  std::map<std::string, std::string> tiles;  // path -> hex, union over the trees
  ordered_json trees = ordered_json::array();
  struct Shape {
    uint64_t size;
    std::vector<uint64_t> indexes, old_sizes;
    bool all_tiles;
  };
  const std::vector<Shape> shapes = {{1, {0}, {1}, true},
                                     {255, {0, 254}, {1, 128, 254}, true},
                                     {256, {0, 255}, {1, 255}, true},
                                     {257, {0, 256}, {1, 256}, true},
                                     {513, {0, 300, 512}, {1, 256, 257, 512}, true},
                                     {65537, {0, 65536}, {1000, 65536}, false}};
  for (const Shape& s : shapes) {
    const std::map<std::string, Bytes> written = Must(tlog::TilesForTree(tree, entries, 0, s.size),
                                                      "tiles");
    std::set<std::string> used;
    if (s.all_tiles) {
      for (const auto& [path, bytes] : written) used.insert(path);
    } else {
      for (const TileId& id : tlog::TilesForRoot(s.size)) used.insert(tlog::TilePath(id));
    }
    const Bytes root = Must(tree.Root(s.size), "root");
    ordered_json inclusion = ordered_json::array();
    for (uint64_t i : s.indexes) {
      const std::vector<TileId> need = tlog::TilesForInclusion(i, s.size);
      for (const TileId& id : need) used.insert(tlog::TilePath(id));
      const tlog::Proof proof = Must(tree.InclusionProof(i, s.size), "inclusion");
      inclusion.push_back(ordered_json{{"index", i},
                                       {"leafHash", HexEncode(*tree.FindNode(0, i))},
                                       {"proof", HexEncode(tlog::SerializeProof(proof))},
                                       {"tiles", PathList(need)}});
      if (!s.all_tiles) {
        // The leaf's own tile too, so that a reader can take the leaf hash from it.
        used.insert(tlog::TilePath(
            TileId{0, i / tlog::kTileWidth,
                   std::min<uint64_t>(tlog::kTileWidth, s.size - i / 256 * 256), false}));
      }
    }
    ordered_json consistency = ordered_json::array();
    for (uint64_t old : s.old_sizes) {
      const std::vector<TileId> need = tlog::TilesForConsistency(old, s.size);
      for (const TileId& id : need) used.insert(tlog::TilePath(id));
      const tlog::Proof proof = Must(tree.ConsistencyProof(old, s.size), "consistency");
      consistency.push_back(ordered_json{{"oldSize", old},
                                         {"oldRoot", HexEncode(Must(tree.Root(old), "old root"))},
                                         {"proof", HexEncode(tlog::SerializeProof(proof))},
                                         {"tiles", PathList(need)}});
    }
    for (const std::string& path : used) {
      const auto it = written.find(path);
      if (it == written.end()) Die("tile not written: " + path);
      tiles[path] = HexEncode(it->second);
    }
    trees.push_back(
        ordered_json{{"size", s.size},
                     {"root", HexEncode(root)},
                     {"allTiles", s.all_tiles},
                     {"rootTiles", PathList(tlog::TilesForRoot(s.size))},
                     {"tiles", ordered_json(std::vector<std::string>(used.begin(), used.end()))},
                     {"inclusion", inclusion},
                     {"consistency", consistency}});
  }

  ordered_json tile_bytes = ordered_json::object();
  for (const auto& [path, hex] : tiles) tile_bytes[path] = hex;
  ordered_json file = {
      {"description",
       "C2SP tlog-tiles vectors (docs/spec/log.md sections 2-3). `paths`: TilePath(level, index, "
       "width, entries) must give `path` and ParseTilePath(path) the fields back (index is a "
       "decimal string: it may exceed 2^53). `badPaths`: ParseTilePath must fail with MALFORMED. "
       "`trees`: the log whose entry i is the byte 0x01 followed by i as a 4-byte big-endian "
       "number, at several sizes. For each: `root`; `tiles`, the paths of the tiles given for it "
       "(bytes hex in the top-level `tiles` map; entry bundles included) -- every tile the "
       "operator writes for that size when `allTiles`, else only the tiles the listed root and "
       "proofs need plus each listed leaf's level-0 tile; `rootTiles`, TilesForRoot(size); "
       "`inclusion`, for each index the leaf hash, the proof (hashes concatenated, hex) and "
       "TilesForInclusion(index, size); `consistency`, for each old size its root, the proof "
       "and TilesForConsistency(oldSize, size). A reader computes every root and proof from the "
       "given tiles alone and must get these bytes."},
      {"source", "generated by native-tests/vectors/generate/log_tiles_vectors.cc"},
      {"paths", paths},
      {"badPaths", bad},
      {"trees", trees},
      {"tiles", tile_bytes}};
  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/tiles_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
