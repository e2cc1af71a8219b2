// SPDX-License-Identifier: Apache-2.0
// RFC 9162 §2.1 Merkle tree hashing with SHA-256: leaf and node hashes, an
// append-only in-memory tree, inclusion and consistency proofs, and their
// verification (§2.1.3.2, §2.1.4.2, plus the policy of transparency-dev/merkle
// that docs/spec/log.md §2 states: a consistency proof from size 0 is always
// an error, equal sizes need an empty proof and equal roots, index < size).
// Public data only. Format: docs/spec/log.md §2.
#ifndef MEDSEAL_CORE_LOG_MERKLE_H_
#define MEDSEAL_CORE_LOG_MERKLE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal::tlog {

inline constexpr size_t kHashSize = 32;

// SHA-256(0x00 || entry)
Bytes LeafHash(ByteView entry);
// SHA-256(0x01 || left || right) (RFC 6962's hasher takes children of any
// length; in a tree both are 32 bytes).
Bytes NodeHash(ByteView left, ByteView right);
// SHA-256("") — the root of the empty tree.
Bytes EmptyRoot();

// A proof is a list of 32-byte hashes, in RFC 9162 order.
using Proof = std::vector<Bytes>;

// kOk if `proof` proves that `leaf_hash` is leaf `index` of the tree of
// `size` leaves with root `root`. kInvalidArgument for a leaf hash or root
// that is not 32 bytes or index >= size; kProofInvalid when the proof does
// not verify (wrong length, an element that is not 32 bytes, wrong hashes,
// wrong root). The algorithm is transparency-dev/merkle's (docs/spec/log.md
// §2.3), which accepts exactly the RFC 9162 §2.1.3.2 proofs.
[[nodiscard]] Status VerifyInclusion(uint64_t index, uint64_t size, ByteView leaf_hash,
                                     const Proof& proof, ByteView root);
// The root that `proof` implies for `leaf_hash` at `index` in a tree of
// `size` (RFC 9162 §2.1.3.2 without the final compare); codes as above.
Result<Bytes> RootFromInclusionProof(uint64_t index, uint64_t size, ByteView leaf_hash,
                                     const Proof& proof);
// kOk if `proof` proves that the tree of size1 leaves with root1 is a prefix
// of the tree of size2 leaves with root2. kInvalidArgument for size1 > size2
// or (when size1 < size2) a root that is not 32 bytes; kProofInvalid
// otherwise: size1 = 0 (always, even 0 -> 0), size1 = size2 with a
// non-empty proof or root1 != root2 (compared as bytes), a proof of the
// wrong length or with an element that is not 32 bytes, a mismatch.
[[nodiscard]] Status VerifyConsistency(uint64_t size1, uint64_t size2, ByteView root1,
                                       ByteView root2, const Proof& proof);

// Proofs travel as the concatenation of their hashes (docs/spec/log.md §2.4):
// kMalformed when the length is not a multiple of 32, kTooLarge past 64
// hashes.
Result<Proof> ParseProof(ByteView bytes);
Bytes SerializeProof(const Proof& proof);

// A source of complete-subtree hashes: the hash of the 2^level leaves
// starting at leaf index * 2^level. MerkleTree answers from memory, TileSet
// from tiles; both compute roots and proofs with the functions below, which
// ask only for subtrees that lie inside the tree of the size they are given.
using NodeSource = std::function<Result<Bytes>(unsigned level, uint64_t index)>;
// MTH(D[0:size]) (EmptyRoot() for 0).
Result<Bytes> RootFrom(const NodeSource& nodes, uint64_t size);
// RFC 9162 §2.1.3.1 PATH(index, D[0:size]); kInvalidArgument for index >= size.
Result<Proof> InclusionProofFrom(const NodeSource& nodes, uint64_t index, uint64_t size);
// RFC 9162 §2.1.4.1 PROOF(size1, D[0:size2]); the empty proof for
// size1 = size2 > 0; kInvalidArgument for size1 = 0 (VerifyConsistency
// rejects every proof from the empty tree) or size1 > size2.
Result<Proof> ConsistencyProofFrom(const NodeSource& nodes, uint64_t size1, uint64_t size2);

// An append-only tree that keeps every node hash (2n-1 hashes for n leaves),
// so that any root, inclusion proof and consistency proof of any prefix is
// computed without rehashing. What a log operator (or a test) holds.
class MerkleTree {
 public:
  MerkleTree() = default;
  // Appends a leaf hash (32 bytes, a precondition); returns its index.
  // O(1) amortised (one node hash per completed subtree).
  uint64_t AppendLeafHash(ByteView leaf_hash);
  // Appends LeafHash(entry); returns its index.
  uint64_t AppendEntry(ByteView entry) { return AppendLeafHash(LeafHash(entry)); }
  uint64_t size() const;
  // The root of the first `size` leaves (size <= this->size(), else
  // kInvalidArgument).
  // O(log size) node hashes.
  Result<Bytes> Root(uint64_t size) const;
  Bytes Root() const;
  // O(log^2 size) node hashes at worst; codes as InclusionProofFrom /
  // ConsistencyProofFrom, and kInvalidArgument for a size past size().
  Result<Proof> InclusionProof(uint64_t index, uint64_t size) const;
  Result<Proof> ConsistencyProof(uint64_t size1, uint64_t size2) const;
  // Hash of the complete subtree at `level` (0 = leaves), `index` at that
  // level, if that subtree is complete (else kInvalidArgument); what tiles
  // carry.
  Result<Bytes> NodeAt(unsigned level, uint64_t index) const;
  // The same, borrowed (nullptr when that subtree is not complete).
  const Bytes* FindNode(unsigned level, uint64_t index) const;
  // NodeAt as a NodeSource (valid while this tree lives).
  NodeSource Nodes() const;

 private:
  // levels_[k][i]: hash of the complete subtree of 2^k leaves starting at
  // leaf i * 2^k.
  std::vector<std::vector<Bytes>> levels_;
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_MERKLE_H_
