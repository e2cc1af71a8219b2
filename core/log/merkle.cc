// SPDX-License-Identifier: Apache-2.0
#include "core/log/merkle.h"

#include <bit>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto/sha2.h"

namespace medseal::tlog {

Bytes LeafHash(ByteView entry) {
  Sha256Stream h;
  const uint8_t prefix = 0x00;
  h.Update(ByteView(&prefix, 1));
  h.Update(entry);
  return h.Final();
}

Bytes NodeHash(ByteView left, ByteView right) {
  Sha256Stream h;
  const uint8_t prefix = 0x01;
  h.Update(ByteView(&prefix, 1));
  h.Update(left);
  h.Update(right);
  return h.Final();
}

Bytes EmptyRoot() { return Sha256(ByteView()); }

namespace {

constexpr size_t kMaxProofHashes = 64;

// The largest power of two smaller than n (n >= 2): RFC 9162's k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

bool SameBytes(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// MTH(D[begin:end]) for 0 <= begin < end, where begin is a multiple of the
// smallest power of two >= end - begin (true of every range RFC 9162's
// recursion visits). The recursion MTH(D[b:e]) = NodeHash(MTH(D[b:b+k]),
// MTH(D[b+k:e])) has a complete left subtree at each step: walk down the
// right spine collecting them, then hash back up. At most 64 steps.
Result<Bytes> RangeHash(const NodeSource& nodes, uint64_t begin, uint64_t end) {
  std::vector<Bytes> lefts;
  uint64_t n = end - begin;
  while (!std::has_single_bit(n)) {
    const uint64_t k = SplitPoint(n);
    const auto level = static_cast<unsigned>(std::countr_zero(k));
    MEDSEAL_ASSIGN_OR_RETURN(Bytes left, nodes(level, begin >> level));
    lefts.push_back(std::move(left));
    begin += k;
    n -= k;
  }
  const auto level = static_cast<unsigned>(std::countr_zero(n));
  MEDSEAL_ASSIGN_OR_RETURN(Bytes h, nodes(level, begin >> level));
  for (size_t i = lefts.size(); i-- > 0;) h = NodeHash(lefts[i], h);
  return h;
}

struct Range {
  uint64_t begin;
  uint64_t end;
};

// Appends MTH of each range, last range first: the recursions below find
// the siblings from the root down, and proofs list them from the leaf up.
Status AppendReversed(const NodeSource& nodes, const std::vector<Range>& ranges, Proof& out) {
  for (size_t i = ranges.size(); i-- > 0;) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes h, RangeHash(nodes, ranges[i].begin, ranges[i].end));
    out.push_back(std::move(h));
  }
  return Status::Ok();
}

// PATH(m, D[0:size]) (RFC 9162 §2.1.3.1), m < size.
Status AppendPath(const NodeSource& nodes, uint64_t m, uint64_t size, Proof& out) {
  std::vector<Range> siblings;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    if (m < k) {
      siblings.push_back({begin + k, end});
      end = begin + k;
    } else {
      siblings.push_back({begin, begin + k});
      m -= k;
      begin += k;
    }
  }
  return AppendReversed(nodes, siblings, out);
}

// SUBPROOF(m, D[0:size], true) (RFC 9162 §2.1.4.1), 0 < m <= size.
Status AppendSubproof(const NodeSource& nodes, uint64_t m, uint64_t size, Proof& out) {
  std::vector<Range> siblings;
  uint64_t begin = 0, end = size;
  bool complete = true;
  while (m != end - begin) {
    const uint64_t k = SplitPoint(end - begin);
    if (m <= k) {
      siblings.push_back({begin + k, end});
      end = begin + k;
    } else {
      siblings.push_back({begin, begin + k});
      m -= k;
      begin += k;
      complete = false;
    }
  }
  // SUBPROOF(m, D[m], false) = [MTH(D[m])]; with b = true it is empty.
  if (!complete) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes h, RangeHash(nodes, begin, end));
    out.push_back(std::move(h));
  }
  return AppendReversed(nodes, siblings, out);
}

// transparency-dev/merkle proof/verify.go: an inclusion proof for `index`
// in a tree of `size` has `inner` hashes below the point where the paths to
// `index` and to the last leaf meet, then `border` hashes of left siblings.
struct Decomposition {
  unsigned inner = 0;
  unsigned border = 0;
};
Decomposition DecomposeInclusion(uint64_t index, uint64_t size) {
  Decomposition d;
  d.inner = static_cast<unsigned>(std::bit_width(index ^ (size - 1)));
  d.border = static_cast<unsigned>(std::popcount(d.inner >= 64 ? 0 : index >> d.inner));
  return d;
}

Bytes ChainInner(Bytes seed, const Proof& proof, size_t from, size_t count, uint64_t index) {
  for (size_t i = 0; i < count; ++i) {
    const Bytes& h = proof[from + i];
    seed = ((index >> i) & 1) == 0 ? NodeHash(seed, h) : NodeHash(h, seed);
  }
  return seed;
}

Bytes ChainInnerRight(Bytes seed, const Proof& proof, size_t from, size_t count, uint64_t index) {
  for (size_t i = 0; i < count; ++i) {
    if (((index >> i) & 1) == 1) seed = NodeHash(proof[from + i], seed);
  }
  return seed;
}

Bytes ChainBorderRight(Bytes seed, const Proof& proof, size_t from) {
  for (size_t i = from; i < proof.size(); ++i) seed = NodeHash(proof[i], seed);
  return seed;
}

Status CheckElements(const Proof& proof) {
  for (const Bytes& h : proof) {
    if (h.size() != kHashSize) return Error(ErrorCode::kProofInvalid, "proof hash is not 32 bytes");
  }
  return Status::Ok();
}

}  // namespace

Result<Bytes> RootFromInclusionProof(uint64_t index, uint64_t size, ByteView leaf_hash,
                                     const Proof& proof) {
  if (index >= size) return Error(ErrorCode::kInvalidArgument, "leaf index is not below tree size");
  if (leaf_hash.size() != kHashSize) {
    return Error(ErrorCode::kInvalidArgument, "leaf hash is not 32 bytes");
  }
  const Decomposition d = DecomposeInclusion(index, size);
  if (proof.size() != size_t{d.inner} + d.border) {
    return Error(ErrorCode::kProofInvalid, "inclusion proof has the wrong number of hashes");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckElements(proof));
  Bytes h = ChainInner(Bytes(leaf_hash.begin(), leaf_hash.end()), proof, 0, d.inner, index);
  return ChainBorderRight(std::move(h), proof, d.inner);
}

Status VerifyInclusion(uint64_t index, uint64_t size, ByteView leaf_hash, const Proof& proof,
                       ByteView root) {
  if (root.size() != kHashSize) return Error(ErrorCode::kInvalidArgument, "root is not 32 bytes");
  MEDSEAL_ASSIGN_OR_RETURN(Bytes got, RootFromInclusionProof(index, size, leaf_hash, proof));
  if (!SameBytes(got, root)) {
    return Error(ErrorCode::kProofInvalid, "inclusion proof does not lead to the root");
  }
  return Status::Ok();
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, ByteView root1, ByteView root2,
                         const Proof& proof) {
  if (size1 > size2) return Error(ErrorCode::kInvalidArgument, "size1 is greater than size2");
  if (size1 == 0) {
    return Error(ErrorCode::kProofInvalid,
                 "a consistency proof from the empty tree is meaningless");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return Error(ErrorCode::kProofInvalid, "equal sizes need an empty consistency proof");
    }
    if (!SameBytes(root1, root2)) {
      return Error(ErrorCode::kProofInvalid, "equal sizes with different roots");
    }
    return Status::Ok();
  }
  if (root1.size() != kHashSize || root2.size() != kHashSize) {
    return Error(ErrorCode::kInvalidArgument, "root is not 32 bytes");
  }
  if (proof.empty()) return Error(ErrorCode::kProofInvalid, "empty consistency proof");
  MEDSEAL_RETURN_IF_ERROR(CheckElements(proof));

  Decomposition d = DecomposeInclusion(size1 - 1, size2);
  const auto shift = static_cast<unsigned>(std::countr_zero(size1));
  // shift < inner because size1 < size2.
  const unsigned inner = d.inner - shift;
  // The proof starts with the root of the subtree of 2^shift leaves that
  // ends at size1, unless that subtree is the whole old tree.
  Bytes seed;
  size_t start = 0;
  if (size1 == (uint64_t{1} << shift)) {
    seed.assign(root1.begin(), root1.end());
  } else {
    seed = proof[0];
    start = 1;
  }
  if (proof.size() != start + inner + d.border) {
    return Error(ErrorCode::kProofInvalid, "consistency proof has the wrong number of hashes");
  }
  const uint64_t mask = (size1 - 1) >> shift;
  Bytes hash1 = ChainInnerRight(seed, proof, start, inner, mask);
  hash1 = ChainBorderRight(std::move(hash1), proof, start + inner);
  if (!SameBytes(hash1, root1)) {
    return Error(ErrorCode::kProofInvalid, "consistency proof does not lead to the old root");
  }
  Bytes hash2 = ChainInner(std::move(seed), proof, start, inner, mask);
  hash2 = ChainBorderRight(std::move(hash2), proof, start + inner);
  if (!SameBytes(hash2, root2)) {
    return Error(ErrorCode::kProofInvalid, "consistency proof does not lead to the new root");
  }
  return Status::Ok();
}

Result<Proof> ParseProof(ByteView bytes) {
  if (bytes.size() > kMaxProofHashes * kHashSize) {
    return Error(ErrorCode::kTooLarge, "proof has more than 64 hashes");
  }
  if (bytes.size() % kHashSize != 0) {
    return Error(ErrorCode::kMalformed, "proof length is not a multiple of 32");
  }
  Proof proof;
  proof.reserve(bytes.size() / kHashSize);
  for (size_t i = 0; i < bytes.size(); i += kHashSize) {
    proof.emplace_back(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                       bytes.begin() + static_cast<std::ptrdiff_t>(i + kHashSize));
  }
  return proof;
}

Bytes SerializeProof(const Proof& proof) {
  Bytes out;
  out.reserve(proof.size() * kHashSize);
  for (const Bytes& h : proof) out.insert(out.end(), h.begin(), h.end());
  return out;
}

Result<Bytes> RootFrom(const NodeSource& nodes, uint64_t size) {
  if (size == 0) return EmptyRoot();
  return RangeHash(nodes, 0, size);
}

Result<Proof> InclusionProofFrom(const NodeSource& nodes, uint64_t index, uint64_t size) {
  if (index >= size) return Error(ErrorCode::kInvalidArgument, "leaf index is not below tree size");
  Proof proof;
  MEDSEAL_RETURN_IF_ERROR(AppendPath(nodes, index, size, proof));
  return proof;
}

Result<Proof> ConsistencyProofFrom(const NodeSource& nodes, uint64_t size1, uint64_t size2) {
  if (size1 > size2) return Error(ErrorCode::kInvalidArgument, "size1 is greater than size2");
  if (size1 == 0) {
    return Error(ErrorCode::kInvalidArgument,
                 "a consistency proof from the empty tree is meaningless");
  }
  Proof proof;
  MEDSEAL_RETURN_IF_ERROR(AppendSubproof(nodes, size1, size2, proof));
  return proof;
}

uint64_t MerkleTree::AppendLeafHash(ByteView leaf_hash) {
  MEDSEAL_CHECK(leaf_hash.size() == kHashSize);
  if (levels_.empty()) levels_.emplace_back();
  const uint64_t index = levels_[0].size();
  levels_[0].emplace_back(leaf_hash.begin(), leaf_hash.end());
  // Every level whose count became even completes a subtree one level up.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (levels_.size() == level + 1) levels_.emplace_back();
    const std::vector<Bytes>& below = levels_[level];
    Bytes parent = NodeHash(below[below.size() - 2], below[below.size() - 1]);
    levels_[level + 1].push_back(std::move(parent));
  }
  return index;
}

uint64_t MerkleTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

const Bytes* MerkleTree::FindNode(unsigned level, uint64_t index) const {
  if (level >= levels_.size() || index >= levels_[level].size()) return nullptr;
  return &levels_[level][index];
}

Result<Bytes> MerkleTree::NodeAt(unsigned level, uint64_t index) const {
  const Bytes* node = FindNode(level, index);
  if (node == nullptr) return Error(ErrorCode::kInvalidArgument, "no such complete subtree");
  return *node;
}

NodeSource MerkleTree::Nodes() const {
  return [this](unsigned level, uint64_t index) { return NodeAt(level, index); };
}

Result<Bytes> MerkleTree::Root(uint64_t size) const {
  if (size > this->size()) return Error(ErrorCode::kInvalidArgument, "size is past the tree");
  return RootFrom(Nodes(), size);
}

Bytes MerkleTree::Root() const { return std::move(Root(size())).value(); }

Result<Proof> MerkleTree::InclusionProof(uint64_t index, uint64_t size) const {
  if (size > this->size()) return Error(ErrorCode::kInvalidArgument, "size is past the tree");
  return InclusionProofFrom(Nodes(), index, size);
}

Result<Proof> MerkleTree::ConsistencyProof(uint64_t size1, uint64_t size2) const {
  if (size2 > this->size()) return Error(ErrorCode::kInvalidArgument, "size is past the tree");
  return ConsistencyProofFrom(Nodes(), size1, size2);
}

}  // namespace medseal::tlog
