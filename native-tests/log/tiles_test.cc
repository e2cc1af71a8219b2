// SPDX-License-Identifier: Apache-2.0
// C2SP tlog-tiles (core/log/tiles.h, docs/spec/log.md §3): tile paths and
// their parser, entry bundles, which tiles a tree has, and TileSet computing
// roots and proofs from tiles only, compared with MerkleTree; the generated
// vectors native-tests/vectors/log/tiles_v1.json.
#include "core/log/tiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/hex.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using nlohmann::json;

TileId Tile(unsigned level, uint64_t index, uint64_t width = kTileWidth, bool entries = false) {
  return TileId{level, index, width, entries};
}

TEST(TilePath, C2spExamplesAndEdges) {
  // C2SP tlog-tiles: "index 1234067 will be encoded as x001/x234/067".
  EXPECT_EQ(TilePath(Tile(0, 1234067)), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath(Tile(0, 0)), "tile/0/000");
  EXPECT_EQ(TilePath(Tile(0, 0, 1)), "tile/0/000.p/1");
  EXPECT_EQ(TilePath(Tile(0, 0, 255)), "tile/0/000.p/255");
  EXPECT_EQ(TilePath(Tile(0, 999)), "tile/0/999");
  EXPECT_EQ(TilePath(Tile(0, 1000)), "tile/0/x001/000");
  EXPECT_EQ(TilePath(Tile(2, 1000000, 17)), "tile/2/x001/x000/000.p/17");
  EXPECT_EQ(TilePath(Tile(63, 5)), "tile/63/005");
  EXPECT_EQ(TilePath(Tile(0, 273, 112, true)), "tile/entries/273.p/112");
  EXPECT_EQ(TilePath(Tile(0, 1234067, 256, true)), "tile/entries/x001/x234/067");
  EXPECT_EQ(TilePath(Tile(0, UINT64_MAX)), "tile/0/x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePath, ParseRoundTrips) {
  for (const TileId& id :
       {Tile(0, 0), Tile(0, 0, 1), Tile(1, 17, 255), Tile(7, 999), Tile(3, 1000), Tile(0, 1234067),
        Tile(0, 1234067, 5, true), Tile(0, 0, 256, true), Tile(63, 1), Tile(0, UINT64_MAX, 9),
        Tile(0, UINT64_MAX, 256, true), Tile(5, 999999999)}) {
    auto back = ParseTilePath(TilePath(id));
    ASSERT_OK(back);
    EXPECT_EQ(*back, id) << TilePath(id);
  }
}

TEST(TilePath, ParseRejectsWhatTilePathCannotProduce) {
  for (const char* bad : {"",
                          "tile",
                          "tile/",
                          "tile/0",
                          "tile/0/",
                          "/tile/0/000",
                          "Tile/0/000",
                          "tiles/0/000",
                          "tile/00/000",
                          "tile/01/000",
                          "tile/64/000",
                          "tile/100/000",
                          "tile/-1/000",
                          "tile/+1/000",
                          "tile/a/000",
                          "tile//000",
                          "tile/entry/000",
                          "tile/Entries/000",
                          "tile/0/00",
                          "tile/0/0000",
                          "tile/0/00a",
                          "tile/0/-01",
                          "tile/0/ 01",
                          "tile/0/000/",
                          "tile/0/001/002",
                          "tile/0/x001",
                          "tile/0/x001/",
                          "tile/0/x01/002",
                          "tile/0/x0001/002",
                          "tile/0/X001/002",
                          "tile/0/x000/001",
                          "tile/0/x000/x001/002",
                          "tile/0/x001/x234/067/",
                          "tile/0/000.p",
                          "tile/0/000.p/",
                          "tile/0/000.p/0",
                          "tile/0/000.p/256",
                          "tile/0/000.p/05",
                          "tile/0/000.p/1000",
                          "tile/0/000.p/5/6",
                          "tile/0/000.p/a",
                          "tile/0/000.q/5",
                          "tile/0/000.pp/5",
                          "tile/0/x001.p/5/002",
                          "tile/0/x018/x446/x744/x073/x709/x551/616",
                          "tile/0/x001/x018/x446/x744/x073/x709/x551/615",
                          "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
                          "tile/entries/000.p/256",
                          "tile/0/000\n",
                          "tile/0/000?x=1"}) {
    EXPECT_CODE(ParseTilePath(bad), ErrorCode::kMalformed) << '"' << bad << '"';
  }
  // A NUL inside the path.
  EXPECT_CODE(ParseTilePath(std::string_view("tile/0/0\0000", 10)), ErrorCode::kMalformed);
}

TEST(EntryBundle, RoundTripAndLimits) {
  const std::vector<Bytes> entries = {Bytes{}, Bytes{0x01}, Bytes(300, 0xAB),
                                      Bytes(kMaxEntryBytes, 0x02)};
  const Bytes bundle = SerializeEntryBundle(entries);
  ASSERT_EQ(bundle.size(), 8u + 1 + 300 + kMaxEntryBytes);
  EXPECT_EQ(bundle[0], 0x00);
  EXPECT_EQ(bundle[1], 0x00);
  EXPECT_EQ(bundle[2], 0x00);
  EXPECT_EQ(bundle[3], 0x01);
  EXPECT_EQ(bundle[5], 0x01);  // 300 = 0x012C, big-endian
  EXPECT_EQ(bundle[6], 0x2C);
  auto back = ParseEntryBundle(bundle, entries.size());
  ASSERT_OK(back);
  EXPECT_EQ(*back, entries);
}

TEST(EntryBundles, AWholeLogOfAnySize) {
  // 600 entries: two full bundles and a partial one, concatenated, parse as
  // one list; ParseEntryBundle alone refuses more than 256.
  std::vector<Bytes> entries;
  Bytes all;
  for (int i = 0; i < 600; ++i) entries.push_back(Bytes(static_cast<size_t>(i % 7), uint8_t(i)));
  for (size_t at = 0; at < entries.size(); at += 256) {
    const size_t end = std::min(entries.size(), at + 256);
    const Bytes bundle = SerializeEntryBundle(
        std::vector<Bytes>(entries.begin() + static_cast<std::ptrdiff_t>(at),
                           entries.begin() + static_cast<std::ptrdiff_t>(end)));
    all.insert(all.end(), bundle.begin(), bundle.end());
  }
  auto parsed = ParseEntryBundles(all, 600);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, entries);
  EXPECT_EQ(ParseEntryBundle(all, 600).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ParseEntryBundles(all, 599).status().code(), ErrorCode::kTrailingData);
  EXPECT_EQ(ParseEntryBundles(all, 601).status().code(), ErrorCode::kMalformed);
  EXPECT_EQ(ParseEntryBundles(ByteView(all).first(all.size() - 1), 600).status().code(),
            ErrorCode::kTruncated);
  EXPECT_EQ(ParseEntryBundles(all, uint64_t{1} << 62).status().code(), ErrorCode::kTruncated);
  auto none = ParseEntryBundles(ByteView(), 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(EntryBundle, BadBundles) {
  const Bytes bundle = SerializeEntryBundle({Bytes{1, 2, 3}, Bytes{4}});  // 00 03 01 02 03 00 01 04
  EXPECT_CODE(ParseEntryBundle(bundle, 3), ErrorCode::kMalformed);
  EXPECT_CODE(ParseEntryBundle(bundle, 1), ErrorCode::kTrailingData);
  EXPECT_CODE(ParseEntryBundle(bundle, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseEntryBundle(bundle, 257), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ParseEntryBundle(ByteView(), 1), ErrorCode::kMalformed);
  for (size_t cut = 1; cut < bundle.size(); ++cut) {
    if (cut == 5) continue;  // a whole first entry: one entry short
    EXPECT_CODE(ParseEntryBundle(ByteView(bundle.data(), cut), 2), ErrorCode::kTruncated) << cut;
  }
  EXPECT_CODE(ParseEntryBundle(ByteView(bundle.data(), 5), 2), ErrorCode::kMalformed);
  Bytes longer = bundle;
  longer.push_back(0);
  EXPECT_CODE(ParseEntryBundle(longer, 2), ErrorCode::kTrailingData);
  const Bytes huge_prefix = {0xFF, 0xFF, 0x00};
  EXPECT_CODE(ParseEntryBundle(huge_prefix, 1), ErrorCode::kTruncated);
}

TEST(TileIdsForTree, C2spExamples) {
  // "a tree of size 70,000 will be represented by 273 full level 0 tiles,
  // one partial level 0 tile of width 112, one full level 1 tile, one
  // partial level 1 tile of width 17, and one partial level 2 tile of width 1."
  const std::vector<TileId> ids = TileIdsForTree(0, 70000);
  ASSERT_EQ(ids.size(), 273u + 1 + 1 + 1 + 1);
  for (uint64_t n = 0; n < 273; ++n) EXPECT_EQ(ids[n], Tile(0, n));
  EXPECT_EQ(ids[273], Tile(0, 273, 112));
  EXPECT_EQ(ids[274], Tile(1, 0));
  EXPECT_EQ(ids[275], Tile(1, 1, 17));
  EXPECT_EQ(ids[276], Tile(2, 0, 1));
  // "a tree of size 256 will be represented by a full level 0 tile and a
  // partial level 1 tile of width 1."
  EXPECT_EQ(TileIdsForTree(0, 256), (std::vector<TileId>{Tile(0, 0), Tile(1, 0, 1)}));
  EXPECT_TRUE(TileIdsForTree(0, 0).empty());
  EXPECT_EQ(TileIdsForTree(0, 1), (std::vector<TileId>{Tile(0, 0, 1)}));
}

TEST(TileIdsForTree, GrowthWritesOnlyNewOrChangedTiles) {
  EXPECT_TRUE(TileIdsForTree(5, 5).empty());
  EXPECT_TRUE(TileIdsForTree(256, 256).empty());
  EXPECT_TRUE(TileIdsForTree(6, 5).empty());
  EXPECT_EQ(TileIdsForTree(5, 6), (std::vector<TileId>{Tile(0, 0, 6)}));
  EXPECT_EQ(TileIdsForTree(255, 256), (std::vector<TileId>{Tile(0, 0), Tile(1, 0, 1)}));
  EXPECT_EQ(TileIdsForTree(256, 257), (std::vector<TileId>{Tile(0, 1, 1)}));
  EXPECT_EQ(TileIdsForTree(200, 600),
            (std::vector<TileId>{Tile(0, 0), Tile(0, 1), Tile(0, 2, 88), Tile(1, 0, 2)}));
  // The level-2 tile appears at 65,536 leaves; the level-1 tile below it is full.
  EXPECT_EQ(TileIdsForTree(65535, 65536),
            (std::vector<TileId>{Tile(0, 255), Tile(1, 0), Tile(2, 0, 1)}));
  // Growing in steps and keeping the latest write of each tile gives the
  // tiles of the whole tree.
  std::map<std::pair<unsigned, uint64_t>, uint64_t> written;
  uint64_t prev = 0;
  for (uint64_t s : {1u, 2u, 255u, 256u, 257u, 511u, 700u, 65535u, 65536u, 65537u, 70000u}) {
    for (const TileId& id : TileIdsForTree(prev, s)) {
      auto& width = written[{id.level, id.index}];
      EXPECT_GT(id.width, width) << TilePath(id) << " rewritten narrower";
      width = id.width;
    }
    prev = s;
  }
  std::vector<TileId> stepped;
  for (const auto& [at, width] : written) stepped.push_back(Tile(at.first, at.second, width));
  EXPECT_EQ(stepped, TileIdsForTree(0, 70000));
}

// Entry i: a kind byte and the 4 bytes of i (what entry.h's leaves look like).
std::vector<Bytes> SyntheticEntries(size_t n) {
  std::vector<Bytes> entries;
  entries.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    entries.push_back({0x01, static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
                       static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)});
  }
  return entries;
}

struct Log {
  std::vector<Bytes> entries;
  MerkleTree tree;
};

Log MakeLog(size_t n) {
  Log log;
  log.entries = SyntheticEntries(n);
  for (const Bytes& e : log.entries) log.tree.AppendEntry(e);
  return log;
}

// A TileSet of every hash tile the operator wrote for the tree of `size`.
TileSet TilesOf(const Log& log, uint64_t size) {
  auto files = TilesForTree(log.tree, log.entries, 0, size);
  EXPECT_OK(files);
  TileSet set;
  if (!files.ok()) return set;
  for (const auto& [path, bytes] : *files) {
    auto id = ParseTilePath(path);
    EXPECT_OK(id);
    if (!id.ok()) continue;
    if (id->entries) {
      auto entries = ParseEntryBundle(bytes, id->width);
      EXPECT_OK(entries);
      continue;
    }
    EXPECT_OK(set.Add(*id, bytes));
  }
  return set;
}

TEST(TileSet, MatchesMerkleTreeAroundTileBoundaries) {
  const Log log = MakeLog(1030);
  for (uint64_t size : {1u, 2u, 255u, 256u, 257u, 511u, 512u, 513u, 767u, 1024u, 1030u}) {
    const TileSet set = TilesOf(log, size);
    auto root = set.Root(size);
    ASSERT_OK(root);
    EXPECT_EQ(*root, *log.tree.Root(size)) << size;
    for (uint64_t i : {uint64_t{0}, size / 3, size - 1}) {
      auto p = set.InclusionProof(i, size);
      ASSERT_OK(p);
      EXPECT_EQ(*p, *log.tree.InclusionProof(i, size)) << i << " in " << size;
      auto leaf = set.LeafHashAt(i, size);
      ASSERT_OK(leaf);
      EXPECT_EQ(*leaf, LeafHash(log.entries[i]));
    }
    for (uint64_t old : {uint64_t{1}, uint64_t{255}, uint64_t{256}, size / 2, size - 1}) {
      if (old == 0 || old > size) continue;
      auto p = set.ConsistencyProof(old, size);
      ASSERT_OK(p);
      EXPECT_EQ(*p, *log.tree.ConsistencyProof(old, size)) << old << " -> " << size;
    }
    EXPECT_CODE(set.InclusionProof(size, size), ErrorCode::kInvalidArgument);
    EXPECT_CODE(set.ConsistencyProof(0, size), ErrorCode::kInvalidArgument);
  }
}

// Exactly the tiles that TilesFor* names suffice, and each of them is needed.
template <typename Compute>
void ExpectListedTilesSufficeAndAreNeeded(const Log& log, uint64_t size,
                                          const std::vector<TileId>& listed, Compute compute,
                                          const std::string& what) {
  const auto files = TilesForTree(log.tree, log.entries, 0, size);
  ASSERT_OK(files);
  auto load = [&](const TileId* skip) {
    TileSet set;
    for (const TileId& id : listed) {
      if (skip != nullptr && id == *skip) continue;
      const auto it = files->find(TilePath(id));
      EXPECT_NE(it, files->end()) << what << ": " << TilePath(id) << " was never written";
      if (it != files->end()) EXPECT_OK(set.Add(id, it->second));
    }
    return set;
  };
  EXPECT_TRUE(compute(load(nullptr)).ok()) << what;
  for (const TileId& id : listed) {
    const Status s = compute(load(&id));
    EXPECT_EQ(s.code(), ErrorCode::kLogTruncated) << what << " without " << TilePath(id);
    EXPECT_NE(s.message().find(TilePath(id)), std::string::npos) << s.message();
  }
}

TEST(TileSet, TilesForListsExactlyWhatIsNeeded) {
  const Log log = MakeLog(1030);
  for (uint64_t size : {1u, 3u, 256u, 257u, 513u, 1030u}) {
    ExpectListedTilesSufficeAndAreNeeded(
        log, size, TilesForRoot(size),
        [&](const TileSet& s) {
          auto r = s.Root(size);
          if (r.ok() && *r != *log.tree.Root(size)) return Error(ErrorCode::kInternal, "root");
          return r.ok() ? Status::Ok() : r.status();
        },
        "root " + std::to_string(size));
    for (uint64_t i : {uint64_t{0}, size - 1, size / 2}) {
      ExpectListedTilesSufficeAndAreNeeded(
          log, size, TilesForInclusion(i, size),
          [&](const TileSet& s) {
            auto p = s.InclusionProof(i, size);
            if (p.ok() && *p != *log.tree.InclusionProof(i, size)) {
              return Error(ErrorCode::kInternal, "proof");
            }
            return p.ok() ? Status::Ok() : p.status();
          },
          "inclusion " + std::to_string(i) + " in " + std::to_string(size));
    }
    for (uint64_t old : {uint64_t{1}, size / 2, size - 1}) {
      if (old == 0) continue;
      ExpectListedTilesSufficeAndAreNeeded(
          log, size, TilesForConsistency(old, size),
          [&](const TileSet& s) {
            auto p = s.ConsistencyProof(old, size);
            if (p.ok() && *p != *log.tree.ConsistencyProof(old, size)) {
              return Error(ErrorCode::kInternal, "proof");
            }
            return p.ok() ? Status::Ok() : p.status();
          },
          "consistency " + std::to_string(old) + " -> " + std::to_string(size));
    }
  }
  EXPECT_TRUE(TilesForRoot(0).empty());
  EXPECT_TRUE(TilesForInclusion(5, 5).empty());
  EXPECT_TRUE(TilesForConsistency(0, 5).empty());
  EXPECT_TRUE(TilesForConsistency(6, 5).empty());
  EXPECT_TRUE(TilesForConsistency(5, 5).empty());
  EXPECT_EQ(TilesForRoot(70000),
            (std::vector<TileId>{Tile(0, 273, 112), Tile(1, 1, 17), Tile(2, 0, 1)}));
}

TEST(TileSet, FullTileServesWherePartialIsNamed) {
  // A client that fetched the full tile (C2SP: "MAY fetch the full tile in
  // parallel as a fallback") computes the same root of a smaller tree.
  const Log log = MakeLog(300);
  const TileSet set = TilesOf(log, 300);  // tile/0/000 full, tile/0/001.p/44
  for (uint64_t size : {5u, 100u, 255u, 256u, 299u}) {
    auto r = set.Root(size);
    ASSERT_TRUE(r.ok()) << size;
    EXPECT_EQ(*r, *log.tree.Root(size));
  }
  // Size 256 needs tile/1/000.p/1 only; without it, level 0 does not stand in.
  TileSet level0;
  const auto files = TilesForTree(log.tree, log.entries, 0, 300);
  ASSERT_OK(files);
  ASSERT_OK(level0.Add(Tile(0, 0), files->at("tile/0/000")));
  const auto r = level0.Root(256);
  EXPECT_CODE(r, ErrorCode::kLogTruncated);
  EXPECT_NE(r.status().message().find("tile/1/000.p/1"), std::string::npos);
}

TEST(TileSet, NarrowPartialTileIsMissingTile) {
  const Log log = MakeLog(20);
  const auto small = TilesForTree(log.tree, log.entries, 0, 10);
  ASSERT_OK(small);
  TileSet set;
  ASSERT_OK(set.Add(Tile(0, 0, 10), small->at("tile/0/000.p/10")));
  EXPECT_OK(set.Root(10));
  auto r = set.Root(20);
  EXPECT_CODE(r, ErrorCode::kLogTruncated);
  EXPECT_NE(r.status().message().find("tile/0/000.p/20"), std::string::npos)
      << r.status().message();
  EXPECT_CODE(set.LeafHashAt(10, 20), ErrorCode::kLogTruncated);
  EXPECT_CODE(set.LeafHashAt(20, 20), ErrorCode::kInvalidArgument);
}

TEST(TileSet, AddRejectsBadTiles) {
  TileSet set;
  const Bytes two(2 * kHashSize, 0);
  EXPECT_OK(set.Add(Tile(0, 0, 2), two));
  EXPECT_CODE(set.Add(Tile(0, 0, 3), two), ErrorCode::kMalformed);
  EXPECT_CODE(set.Add(Tile(0, 0, 2), Bytes(2 * kHashSize - 1, 0)), ErrorCode::kMalformed);
  EXPECT_CODE(set.Add(Tile(0, 0), two), ErrorCode::kMalformed);
  EXPECT_CODE(set.Add(Tile(0, 0, 2, true), two), ErrorCode::kInvalidArgument);
  EXPECT_CODE(set.Add(Tile(0, 0, 0), ByteView()), ErrorCode::kInvalidArgument);
  EXPECT_CODE(set.Add(Tile(0, 0, 257), Bytes(257 * kHashSize, 0)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(set.Add(Tile(8, 0, 1), Bytes(kHashSize, 0)), ErrorCode::kInvalidArgument);
  EXPECT_OK(set.Add(Tile(7, 0, 1), Bytes(kHashSize, 0)));
}

TEST(TileSet, HostileTilesGiveWrongRootsNotCrashes) {
  const Log log = MakeLog(300);
  const auto files = TilesForTree(log.tree, log.entries, 0, 300);
  ASSERT_OK(files);
  TileSet set;
  ASSERT_OK(set.Add(Tile(0, 0), files->at("tile/0/000")));
  ASSERT_OK(set.Add(Tile(1, 0, 1), files->at("tile/1/000.p/1")));
  Bytes bad = files->at("tile/0/001.p/44");
  bad[100] ^= 1;
  ASSERT_OK(set.Add(Tile(0, 1, 44), bad));
  auto r = set.Root(300);
  ASSERT_OK(r);
  EXPECT_NE(*r, log.tree.Root());
  // Replacing the tile with the right one fixes it.
  ASSERT_OK(set.Add(Tile(0, 1, 44), files->at("tile/0/001.p/44")));
  EXPECT_EQ(*set.Root(300), log.tree.Root());
  // Sizes far beyond the tiles: a missing tile, not a crash or a huge loop.
  EXPECT_CODE(set.Root(UINT64_MAX), ErrorCode::kLogTruncated);
  EXPECT_CODE(set.InclusionProof(UINT64_MAX - 1, UINT64_MAX), ErrorCode::kLogTruncated);
  EXPECT_CODE(set.ConsistencyProof(300, UINT64_MAX), ErrorCode::kLogTruncated);
  EXPECT_FALSE(TilesForRoot(UINT64_MAX).empty());
  EXPECT_FALSE(TilesForConsistency(1, UINT64_MAX).empty());
}

TEST(TilesForTree, WritesBundlesAndChecksItsInput) {
  const Log log = MakeLog(300);
  auto files = TilesForTree(log.tree, log.entries, 0, 300);
  ASSERT_OK(files);
  EXPECT_EQ(files->size(), 5u);  // tile/0/000, tile/0/001.p/44, tile/1/000.p/1 + 2 bundles
  auto bundle = ParseEntryBundle(files->at("tile/entries/001.p/44"), 44);
  ASSERT_OK(bundle);
  EXPECT_EQ(bundle->front(), log.entries[256]);
  EXPECT_EQ(bundle->back(), log.entries[299]);
  auto grown = TilesForTree(log.tree, log.entries, 290, 300);
  ASSERT_OK(grown);
  EXPECT_EQ(grown->size(), 2u);  // tile/0/001.p/44 and its bundle
  EXPECT_EQ(grown->at("tile/0/001.p/44"), files->at("tile/0/001.p/44"));
  auto same = TilesForTree(log.tree, log.entries, 300, 300);
  ASSERT_OK(same);
  EXPECT_TRUE(same->empty());

  EXPECT_CODE(TilesForTree(log.tree, log.entries, 0, 301), ErrorCode::kInvalidArgument);
  EXPECT_CODE(TilesForTree(log.tree, log.entries, 10, 9), ErrorCode::kInvalidArgument);
  const std::vector<Bytes> fewer(log.entries.begin(), log.entries.begin() + 299);
  EXPECT_CODE(TilesForTree(log.tree, fewer, 0, 300), ErrorCode::kInvalidArgument);
  std::vector<Bytes> edited = log.entries;
  edited[295][1] ^= 1;
  EXPECT_CODE(TilesForTree(log.tree, edited, 290, 300), ErrorCode::kInvalidArgument);
  MerkleTree big_tree;
  std::vector<Bytes> big = {Bytes(kMaxEntryBytes + 1, 0)};
  big_tree.AppendEntry(big[0]);
  EXPECT_CODE(TilesForTree(big_tree, big, 0, 1), ErrorCode::kTooLarge);
}

// --- The generated vectors: what another implementation must reproduce. ---

std::vector<TileId> PathsOf(const json& list) {
  std::vector<TileId> ids;
  for (const json& p : list) {
    auto id = ParseTilePath(p.get<std::string>());
    EXPECT_OK(id);
    if (id.ok()) ids.push_back(*id);
  }
  return ids;
}

TEST(TilesVectors, Paths) {
  const json doc = testing::LoadVectorJson("log/tiles_v1.json");
  size_t paths = 0;
  for (const json& c : doc.at("paths")) {
    const TileId id{c.at("level").get<unsigned>(), std::stoull(c.at("index").get<std::string>()),
                    c.at("width").get<uint64_t>(), c.at("entries").get<bool>()};
    EXPECT_EQ(TilePath(id), c.at("path").get<std::string>());
    auto back = ParseTilePath(c.at("path").get<std::string>());
    ASSERT_OK(back);
    EXPECT_EQ(*back, id);
    ++paths;
  }
  size_t bad_paths = 0;
  for (const json& c : doc.at("badPaths")) {
    EXPECT_CODE(ParseTilePath(c.get<std::string>()), ErrorCode::kMalformed) << c;
    ++bad_paths;
  }
  EXPECT_EQ(paths, 14u);
  EXPECT_EQ(bad_paths, 15u);
}

TEST(TilesVectors, TreesFromTheirTiles) {
  const json doc = testing::LoadVectorJson("log/tiles_v1.json");
  const json& tile_bytes = doc.at("tiles");
  const Log log = MakeLog(513);  // the trees with all their tiles are prefixes of it
  size_t trees = 0, proofs = 0;
  for (const json& t : doc.at("trees")) {
    const uint64_t size = t.at("size").get<uint64_t>();
    TileSet set;
    std::map<std::string, Bytes> given;
    for (const json& p : t.at("tiles")) {
      const std::string path = p.get<std::string>();
      auto id = ParseTilePath(path);
      ASSERT_OK(id);
      const Bytes bytes = testing::HexOrDie(tile_bytes.at(path).get<std::string>());
      given[path] = bytes;
      if (id->entries) {
        auto entries = ParseEntryBundle(bytes, id->width);
        ASSERT_OK(entries);
        for (size_t i = 0; i < entries->size(); ++i) {
          const uint64_t n = id->index * kTileWidth + i;
          EXPECT_EQ((*entries)[i], SyntheticEntries(n + 1).back()) << path;
        }
      } else {
        ASSERT_OK(set.Add(*id, bytes));
      }
    }
    if (t.at("allTiles").get<bool>()) {
      // The operator side writes exactly these files.
      ASSERT_LE(size, log.entries.size());
      auto written = TilesForTree(log.tree, log.entries, 0, size);
      ASSERT_OK(written);
      EXPECT_EQ(*written, given) << size;
    }
    EXPECT_EQ(TilesForRoot(size), PathsOf(t.at("rootTiles"))) << size;
    auto root = set.Root(size);
    ASSERT_OK(root);
    EXPECT_EQ(HexEncode(*root), t.at("root").get<std::string>()) << size;
    for (const json& p : t.at("inclusion")) {
      const uint64_t index = p.at("index").get<uint64_t>();
      auto proof = set.InclusionProof(index, size);
      ASSERT_OK(proof);
      EXPECT_EQ(HexEncode(SerializeProof(*proof)), p.at("proof").get<std::string>());
      auto leaf = set.LeafHashAt(index, size);
      ASSERT_OK(leaf);
      EXPECT_EQ(HexEncode(*leaf), p.at("leafHash").get<std::string>());
      EXPECT_OK(VerifyInclusion(index, size, *leaf, *proof, *root));
      EXPECT_EQ(TilesForInclusion(index, size), PathsOf(p.at("tiles")));
      ++proofs;
    }
    for (const json& p : t.at("consistency")) {
      const uint64_t old = p.at("oldSize").get<uint64_t>();
      auto proof = set.ConsistencyProof(old, size);
      ASSERT_OK(proof);
      EXPECT_EQ(HexEncode(SerializeProof(*proof)), p.at("proof").get<std::string>());
      EXPECT_OK(VerifyConsistency(old, size, testing::HexOrDie(p.at("oldRoot").get<std::string>()),
                                  *root, *proof));
      EXPECT_EQ(TilesForConsistency(old, size), PathsOf(p.at("tiles")));
      ++proofs;
    }
    ++trees;
  }
  EXPECT_EQ(trees, 6u);
  EXPECT_EQ(proofs, 26u);
}

}  // namespace
}  // namespace medseal::tlog
