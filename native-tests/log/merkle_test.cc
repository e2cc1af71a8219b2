// SPDX-License-Identifier: Apache-2.0
// RFC 9162 Merkle hashing, trees and proofs: the reference tree of
// transparency-dev/merkle (native-tests/vectors/external/transparency/
// rfc6962_reference_tree.json), its 196 inclusion/consistency probes
// (merkle-testdata/), and MerkleTree against a naive recursive transcription
// of RFC 9162 §2.1 for every small size.
#include "core/log/merkle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/codec/base64.h"
#include "core/codec/hex.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using nlohmann::json;

Bytes Hex(const json& v) { return testing::HexOrDie(v.get<std::string>()); }

Proof HexProof(const json& list) {
  Proof p;
  for (const json& h : list) p.push_back(Hex(h));
  return p;
}

TEST(MerkleHasher, ReferenceTreeKnownAnswers) {
  const json doc = testing::LoadVectorJson("external/transparency/rfc6962_reference_tree.json");
  size_t checked = 0;
  for (const json& c : doc.at("hasher_vectors")) {
    const std::string op = c.at("op").get<std::string>();
    Bytes got;
    if (op == "empty_root") {
      got = EmptyRoot();
    } else if (op == "leaf") {
      got = LeafHash(testing::HexOrDie(c.at("input_hex").get<std::string>()));
    } else if (op == "node") {
      got = NodeHash(testing::HexOrDie(c.at("left_hex").get<std::string>()),
                     testing::HexOrDie(c.at("right_hex").get<std::string>()));
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
    EXPECT_EQ(HexEncode(got), c.at("want").get<std::string>()) << c.at("desc");
    ++checked;
  }
  EXPECT_EQ(checked, 4u);
}

// --- A naive transcription of RFC 9162 §2.1, to compare MerkleTree with. ---

// MTH(D[begin:end]) over leaf hashes.
Bytes NaiveRoot(const std::vector<Bytes>& leaves, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 0) return EmptyRoot();
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(NaiveRoot(leaves, begin, begin + k), NaiveRoot(leaves, begin + k, end));
}

// PATH(m, D[begin:end]).
Proof NaivePath(const std::vector<Bytes>& leaves, size_t m, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 1) return {};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  Proof p;
  if (m < k) {
    p = NaivePath(leaves, m, begin, begin + k);
    p.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    p = NaivePath(leaves, m - k, begin + k, end);
    p.push_back(NaiveRoot(leaves, begin, begin + k));
  }
  return p;
}

// SUBPROOF(m, D[begin:end], b).
Proof NaiveSubproof(const std::vector<Bytes>& leaves, size_t m, size_t begin, size_t end, bool b) {
  const size_t n = end - begin;
  if (m == n) {
    if (b) return {};
    return {NaiveRoot(leaves, begin, end)};
  }
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  Proof p;
  if (m <= k) {
    p = NaiveSubproof(leaves, m, begin, begin + k, b);
    p.push_back(NaiveRoot(leaves, begin + k, end));
  } else {
    p = NaiveSubproof(leaves, m - k, begin + k, end, false);
    p.push_back(NaiveRoot(leaves, begin, begin + k));
  }
  return p;
}

std::vector<Bytes> ReferenceLeafHashes(const json& doc) {
  std::vector<Bytes> leaves;
  for (const json& in : doc.at("leaf_inputs_hex")) leaves.push_back(LeafHash(Hex(in)));
  return leaves;
}

MerkleTree TreeOf(const std::vector<Bytes>& leaves) {
  MerkleTree t;
  for (const Bytes& l : leaves) t.AppendLeafHash(l);
  return t;
}

// Leaf i of the synthetic trees: LeafHash of the 4 bytes of i.
std::vector<Bytes> SyntheticLeaves(size_t n) {
  std::vector<Bytes> leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const Bytes entry = {static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
                         static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    leaves.push_back(LeafHash(entry));
  }
  return leaves;
}

TEST(MerkleTree, ReferenceTreeNodesAndRoots) {
  const json doc = testing::LoadVectorJson("external/transparency/rfc6962_reference_tree.json");
  const std::vector<Bytes> leaves = ReferenceLeafHashes(doc);
  ASSERT_EQ(leaves.size(), 8u);
  MerkleTree tree;
  const json& roots = doc.at("root_hashes_by_tree_size").at("roots");
  ASSERT_EQ(roots.size(), 9u);
  EXPECT_EQ(HexEncode(tree.Root()), roots[0].get<std::string>());
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(tree.AppendLeafHash(leaves[i]), i);
    EXPECT_EQ(tree.size(), i + 1);
    EXPECT_EQ(HexEncode(tree.Root()), roots[i + 1].get<std::string>()) << "size " << i + 1;
  }
  size_t nodes = 0;
  const json& levels = doc.at("node_hashes_by_level").at("levels");
  ASSERT_EQ(levels.size(), 4u);
  for (size_t level = 0; level < levels.size(); ++level) {
    for (size_t i = 0; i < levels[level].size(); ++i) {
      auto got = tree.NodeAt(static_cast<unsigned>(level), i);
      ASSERT_OK(got);
      EXPECT_EQ(HexEncode(*got), levels[level][i].get<std::string>()) << level << "/" << i;
      ++nodes;
    }
    EXPECT_CODE(tree.NodeAt(static_cast<unsigned>(level), levels[level].size()),
                ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(nodes, 15u);
  EXPECT_CODE(tree.NodeAt(4, 0), ErrorCode::kInvalidArgument);
  for (size_t size = 0; size < roots.size(); ++size) {
    auto r = tree.Root(size);
    ASSERT_OK(r);
    EXPECT_EQ(HexEncode(*r), roots[size].get<std::string>());
  }
  EXPECT_CODE(tree.Root(9), ErrorCode::kInvalidArgument);
}

TEST(MerkleTree, ReferenceTreeBaseProofs) {
  const json doc = testing::LoadVectorJson("external/transparency/rfc6962_reference_tree.json");
  const MerkleTree tree = TreeOf(ReferenceLeafHashes(doc));
  size_t inclusion = 0, consistency = 0;
  for (const json& c : doc.at("inclusion_proofs").at("cases")) {
    const uint64_t index = c.at("leaf_index").get<uint64_t>();
    const uint64_t size = c.at("tree_size").get<uint64_t>();
    const Proof want = HexProof(c.at("proof"));
    EXPECT_EQ(HexEncode(LeafHash(Hex(c.at("leaf_input_hex")))),
              c.at("leaf_hash").get<std::string>());
    auto got = tree.InclusionProof(index, size);
    ASSERT_OK(got);
    EXPECT_EQ(*got, want) << index << " in " << size;
    EXPECT_OK(VerifyInclusion(index, size, Hex(c.at("leaf_hash")), want, Hex(c.at("root"))));
    auto root = RootFromInclusionProof(index, size, Hex(c.at("leaf_hash")), want);
    ASSERT_OK(root);
    EXPECT_EQ(HexEncode(*root), c.at("root").get<std::string>());
    ++inclusion;
  }
  for (const json& c : doc.at("consistency_proofs").at("cases")) {
    const uint64_t size1 = c.at("size1").get<uint64_t>();
    const uint64_t size2 = c.at("size2").get<uint64_t>();
    const Proof want = HexProof(c.at("proof"));
    auto got = tree.ConsistencyProof(size1, size2);
    ASSERT_OK(got);
    EXPECT_EQ(*got, want) << size1 << " -> " << size2;
    EXPECT_OK(VerifyConsistency(size1, size2, Hex(c.at("root1")), Hex(c.at("root2")), want));
    ++consistency;
  }
  EXPECT_EQ(inclusion, 5u);
  EXPECT_EQ(consistency, 5u);
}

// --- The 196 probes of transparency-dev/merkle's testdata. ---

Bytes B64(const json& v) {
  if (v.is_null()) return {};
  auto r = Base64Decode(v.get<std::string>(), Base64Padding::kRequired);
  if (!r.ok()) {
    ADD_FAILURE() << "bad base64 in a probe: " << v;
    return {};
  }
  return std::move(r).value();
}

Proof B64Proof(const json& v) {
  Proof p;
  if (v.is_null()) return p;
  for (const json& h : v) p.push_back(B64(h));
  return p;
}

struct ProbeCounts {
  size_t ok = 0;
  size_t err = 0;
};

// Runs every probe below merkle-testdata/<kind>; fails on a missing folder.
template <typename Check>
ProbeCounts RunProbes(const std::string& kind, Check check) {
  const std::string rel = "external/transparency/merkle-testdata/" + kind;
  const std::filesystem::path dir = std::filesystem::path(MEDSEAL_VECTORS_DIR) / rel;
  ProbeCounts counts;
  EXPECT_TRUE(std::filesystem::is_directory(dir)) << "missing " << dir;
  if (!std::filesystem::is_directory(dir)) return counts;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") {
      files.push_back(std::filesystem::relative(e.path(), dir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    const json c = testing::LoadVectorJson(rel + "/" + f);
    const bool want_err = c.at("wantErr").get<bool>();
    const Status s = check(c);
    EXPECT_EQ(!s.ok(), want_err) << kind << "/" << f << " (" << c.at("desc")
                                 << "): " << s.ToString();
    if (!s.ok()) {
      // Every rejection is one of the documented codes.
      EXPECT_TRUE(s.code() == ErrorCode::kProofInvalid || s.code() == ErrorCode::kInvalidArgument)
          << f << ": " << s.ToString();
    }
    (want_err ? counts.err : counts.ok)++;
  }
  return counts;
}

TEST(MerkleProbes, InclusionProbes) {
  const ProbeCounts n = RunProbes("inclusion", [](const json& c) {
    return VerifyInclusion(c.at("leafIdx").get<uint64_t>(), c.at("treeSize").get<uint64_t>(),
                           B64(c.at("leafHash")), B64Proof(c.at("proof")), B64(c.at("root")));
  });
  EXPECT_EQ(n.ok, 6u);
  EXPECT_EQ(n.err, 92u);
}

TEST(MerkleProbes, ConsistencyProbes) {
  const ProbeCounts n = RunProbes("consistency", [](const json& c) {
    return VerifyConsistency(c.at("size1").get<uint64_t>(), c.at("size2").get<uint64_t>(),
                             B64(c.at("root1")), B64(c.at("root2")), B64Proof(c.at("proof")));
  });
  EXPECT_EQ(n.ok, 6u);
  EXPECT_EQ(n.err, 92u);
}

// --- MerkleTree against the naive transcription. ---

TEST(MerkleTree, RootsMatchNaiveForEverySizeUpTo300) {
  const std::vector<Bytes> leaves = SyntheticLeaves(300);
  MerkleTree tree;
  EXPECT_EQ(tree.Root(), EmptyRoot());
  for (size_t n = 1; n <= leaves.size(); ++n) {
    tree.AppendLeafHash(leaves[n - 1]);
    ASSERT_EQ(tree.Root(), NaiveRoot(leaves, 0, n)) << "size " << n;
  }
  // Every prefix root of the final tree too.
  for (size_t n = 0; n <= leaves.size(); n += 7) {
    auto r = tree.Root(n);
    ASSERT_OK(r);
    EXPECT_EQ(*r, NaiveRoot(leaves, 0, n)) << "prefix " << n;
  }
}

constexpr size_t kSmall = 40;

TEST(MerkleTree, InclusionProofsMatchNaiveAndVerify) {
  const std::vector<Bytes> leaves = SyntheticLeaves(kSmall);
  const MerkleTree tree = TreeOf(leaves);
  for (size_t size = 1; size <= kSmall; ++size) {
    const Bytes root = NaiveRoot(leaves, 0, size);
    for (size_t i = 0; i < size; ++i) {
      auto p = tree.InclusionProof(i, size);
      ASSERT_OK(p);
      ASSERT_EQ(*p, NaivePath(leaves, i, 0, size)) << i << " in " << size;
      ASSERT_OK(VerifyInclusion(i, size, leaves[i], *p, root));
      // The proof of leaf i does not prove leaf i+1 (the size is not bound
      // by the proof: a checkpoint binds it to the root).
      if (i + 1 < size) {
        EXPECT_CODE(VerifyInclusion(i, size, leaves[i + 1], *p, root), ErrorCode::kProofInvalid);
      }
      if (!p->empty()) {
        Proof shorter(p->begin(), p->end() - 1);
        EXPECT_CODE(VerifyInclusion(i, size, leaves[i], shorter, root), ErrorCode::kProofInvalid);
        Proof flipped = *p;
        flipped.back()[0] ^= 1;
        EXPECT_CODE(VerifyInclusion(i, size, leaves[i], flipped, root), ErrorCode::kProofInvalid);
      }
    }
  }
}

TEST(MerkleTree, ConsistencyProofsMatchNaiveAndVerify) {
  const std::vector<Bytes> leaves = SyntheticLeaves(kSmall);
  const MerkleTree tree = TreeOf(leaves);
  std::vector<Bytes> roots;
  for (size_t n = 0; n <= kSmall; ++n) roots.push_back(NaiveRoot(leaves, 0, n));
  for (size_t size2 = 1; size2 <= kSmall; ++size2) {
    for (size_t size1 = 1; size1 <= size2; ++size1) {
      auto p = tree.ConsistencyProof(size1, size2);
      ASSERT_OK(p);
      ASSERT_EQ(*p, NaiveSubproof(leaves, size1, 0, size2, true)) << size1 << " -> " << size2;
      ASSERT_OK(VerifyConsistency(size1, size2, roots[size1], roots[size2], *p));
      if (size1 < size2) {
        // A root that is not the old tree's (a fork) or not the new tree's.
        EXPECT_CODE(VerifyConsistency(size1, size2, roots[size1 - 1], roots[size2], *p),
                    ErrorCode::kProofInvalid);
        EXPECT_CODE(VerifyConsistency(size1, size2, roots[size1], roots[size2 - 1], *p),
                    ErrorCode::kProofInvalid);
        Proof flipped = *p;
        flipped.front()[31] ^= 0x80;
        EXPECT_CODE(VerifyConsistency(size1, size2, roots[size1], roots[size2], flipped),
                    ErrorCode::kProofInvalid);
      }
    }
  }
}

TEST(MerkleTree, ProofsAcrossPowersOfTwo) {
  // Sizes just around 256 and 512, a few indexes each: the shapes the tile
  // boundaries produce.
  const std::vector<Bytes> leaves = SyntheticLeaves(514);
  const MerkleTree tree = TreeOf(leaves);
  for (size_t size : {255u, 256u, 257u, 511u, 512u, 513u, 514u}) {
    const Bytes root = NaiveRoot(leaves, 0, size);
    auto r = tree.Root(size);
    ASSERT_OK(r);
    EXPECT_EQ(*r, root);
    for (size_t i : {size_t{0}, size_t{1}, size / 2, size - 2, size - 1}) {
      auto p = tree.InclusionProof(i, size);
      ASSERT_OK(p);
      EXPECT_EQ(*p, NaivePath(leaves, i, 0, size));
      EXPECT_OK(VerifyInclusion(i, size, leaves[i], *p, root));
    }
    for (size_t old : {size_t{1}, size_t{2}, size_t{3}, size / 2, size - 1, size}) {
      auto p = tree.ConsistencyProof(old, size);
      ASSERT_OK(p);
      EXPECT_EQ(*p, NaiveSubproof(leaves, old, 0, size, true)) << old << " -> " << size;
      EXPECT_OK(VerifyConsistency(old, size, NaiveRoot(leaves, 0, old), root, *p));
    }
  }
}

TEST(MerkleTree, BadRequests) {
  const MerkleTree tree = TreeOf(SyntheticLeaves(5));
  EXPECT_CODE(tree.InclusionProof(5, 5), ErrorCode::kInvalidArgument);
  EXPECT_CODE(tree.InclusionProof(0, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(tree.InclusionProof(0, 6), ErrorCode::kInvalidArgument);
  EXPECT_CODE(tree.ConsistencyProof(0, 5), ErrorCode::kInvalidArgument);
  EXPECT_CODE(tree.ConsistencyProof(3, 2), ErrorCode::kInvalidArgument);
  EXPECT_CODE(tree.ConsistencyProof(3, 6), ErrorCode::kInvalidArgument);
  auto same = tree.ConsistencyProof(5, 5);
  ASSERT_OK(same);
  EXPECT_TRUE(same->empty());
  EXPECT_CODE(tree.Root(6), ErrorCode::kInvalidArgument);
  const MerkleTree empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_CODE(empty.NodeAt(0, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(empty.InclusionProof(0, 0), ErrorCode::kInvalidArgument);
}

TEST(MerkleVerify, BadArguments) {
  const std::vector<Bytes> leaves = SyntheticLeaves(6);
  const MerkleTree tree = TreeOf(leaves);
  const Bytes root = tree.Root();
  auto p = tree.InclusionProof(2, 6);
  ASSERT_OK(p);
  const Bytes short_hash(31, 0);
  EXPECT_CODE(VerifyInclusion(2, 6, short_hash, *p, root), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyInclusion(2, 6, leaves[2], *p, short_hash), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyInclusion(6, 6, leaves[2], *p, root), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyInclusion(UINT64_MAX, UINT64_MAX, leaves[2], *p, root),
              ErrorCode::kInvalidArgument);
  // A proof element of the wrong length, even where the count is right.
  Proof odd = *p;
  odd[1].push_back(0);
  EXPECT_CODE(VerifyInclusion(2, 6, leaves[2], odd, root), ErrorCode::kProofInvalid);
  EXPECT_CODE(RootFromInclusionProof(2, 6, leaves[2], odd), ErrorCode::kProofInvalid);
  // Huge sizes are handled (no shift past 63 bits), and fail as proofs.
  EXPECT_CODE(VerifyInclusion(UINT64_MAX - 1, UINT64_MAX, leaves[2], *p, root),
              ErrorCode::kProofInvalid);
  EXPECT_CODE(VerifyInclusion(0, UINT64_MAX, leaves[2], Proof(64, leaves[0]), root),
              ErrorCode::kProofInvalid);

  auto c = tree.ConsistencyProof(3, 6);
  ASSERT_OK(c);
  const Bytes root3 = *tree.Root(3);
  EXPECT_OK(VerifyConsistency(3, 6, root3, root, *c));
  EXPECT_CODE(VerifyConsistency(6, 3, root, root3, *c), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyConsistency(3, 6, short_hash, root, *c), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyConsistency(3, 6, root3, short_hash, *c), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyConsistency(0, 6, EmptyRoot(), root, *c), ErrorCode::kProofInvalid);
  EXPECT_CODE(VerifyConsistency(0, 0, EmptyRoot(), EmptyRoot(), {}), ErrorCode::kProofInvalid);
  EXPECT_CODE(VerifyConsistency(3, 6, root3, root, {}), ErrorCode::kProofInvalid);
  EXPECT_CODE(VerifyConsistency(6, 6, root, root, *c), ErrorCode::kProofInvalid);
  EXPECT_OK(VerifyConsistency(6, 6, root, root, {}));
  Proof odd_c = *c;
  odd_c[0].pop_back();
  EXPECT_CODE(VerifyConsistency(3, 6, root3, root, odd_c), ErrorCode::kProofInvalid);
  EXPECT_CODE(VerifyConsistency(UINT64_MAX - 1, UINT64_MAX, root3, root, *c),
              ErrorCode::kProofInvalid);
}

TEST(MerkleProofCodec, RoundTripAndBadLengths) {
  const MerkleTree tree = TreeOf(SyntheticLeaves(13));
  auto p = tree.InclusionProof(4, 13);
  ASSERT_OK(p);
  const Bytes wire = SerializeProof(*p);
  EXPECT_EQ(wire.size(), p->size() * kHashSize);
  auto back = ParseProof(wire);
  ASSERT_OK(back);
  EXPECT_EQ(*back, *p);
  auto empty = ParseProof(ByteView());
  ASSERT_OK(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(SerializeProof({}).empty());
  for (size_t len : {1u, 31u, 33u, 63u, 2047u}) {
    EXPECT_CODE(ParseProof(Bytes(len, 7)), ErrorCode::kMalformed) << len;
  }
  auto max = ParseProof(Bytes(64 * kHashSize, 1));
  ASSERT_OK(max);
  EXPECT_EQ(max->size(), 64u);
  EXPECT_CODE(ParseProof(Bytes(65 * kHashSize, 1)), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseProof(Bytes(64 * kHashSize + 1, 1)), ErrorCode::kTooLarge);
}

TEST(MerkleTree, NodeSourceErrorsPropagate) {
  // A source that lacks a node: the functions report its error, no crash.
  const MerkleTree tree = TreeOf(SyntheticLeaves(9));
  const NodeSource holey = [&tree](unsigned level, uint64_t index) -> Result<Bytes> {
    if (level >= 2) return Error(ErrorCode::kLogTruncated, "missing");
    return tree.NodeAt(level, index);
  };
  EXPECT_CODE(RootFrom(holey, 9), ErrorCode::kLogTruncated);
  EXPECT_CODE(InclusionProofFrom(holey, 8, 9), ErrorCode::kLogTruncated);
  EXPECT_CODE(ConsistencyProofFrom(holey, 5, 9), ErrorCode::kLogTruncated);
  auto fine = InclusionProofFrom(holey, 0, 4);
  ASSERT_OK(fine);
  EXPECT_EQ(*fine, *tree.InclusionProof(0, 4));
}

}  // namespace
}  // namespace medseal::tlog
