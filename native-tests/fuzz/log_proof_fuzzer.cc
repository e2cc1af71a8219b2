// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the Merkle proof and tlog-tiles parsers
// (core/log/merkle.h, core/log/tiles.h). The first byte picks what the rest
// of the input is:
//   0  a serialized proof: ParseProof; an accepted proof re-serializes to
//      the same bytes and has at most 64 hashes of 32 bytes;
//   1  a tile path: ParseTilePath; an accepted path is canonical
//      (TilePath gives the same text back);
//   2  an entry bundle (next byte + 1 = the expected entry count):
//      ParseEntryBundle; an accepted bundle re-serializes to the same bytes;
//   3  hostile tiles: a tree size, an index and an old size, then tiles
//      (level, index, width, bytes) added to a TileSet; root, leaf hash,
//      inclusion and consistency proofs are computed from them and fed to
//      the verifiers: only documented codes, proofs of at most 64 hashes;
//   4  verifier inputs: sizes, index, a leaf hash, roots and a proof of
//      arbitrary lengths: VerifyInclusion / RootFromInclusionProof /
//      VerifyConsistency return only their documented codes.
// Any violation aborts. Seeds: the vectors (log/tiles_v1.json) as text.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/log/merkle.h"
#include "core/log/tiles.h"

namespace {

using namespace medseal;
using namespace medseal::tlog;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_proof_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t left() const { return size_ - pos_; }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t U64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | Byte();
    return v;
  }
  ByteView Take(size_t n) {
    n = n < left() ? n : left();
    ByteView v(data_ + pos_, n);
    pos_ += n;
    return v;
  }
  ByteView Rest() { return Take(left()); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void ExpectCode(const Status& s, std::initializer_list<ErrorCode> allowed, const char* what) {
  if (s.ok()) return;
  for (ErrorCode c : allowed) {
    if (s.code() == c) return;
  }
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  Bug("undocumented error code");
}

void FuzzProof(Reader& in) {
  const ByteView bytes = in.Rest();
  auto proof = ParseProof(bytes);
  ExpectCode(proof.status(), {ErrorCode::kMalformed, ErrorCode::kTooLarge}, "ParseProof");
  if (!proof.ok()) return;
  if (proof->size() > 64) Bug("accepted a proof of more than 64 hashes");
  for (const Bytes& h : *proof) {
    if (h.size() != kHashSize) Bug("proof hash not 32 bytes");
  }
  const Bytes again = SerializeProof(*proof);
  if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) {
    Bug("proof round trip changed the bytes");
  }
}

void FuzzPath(Reader& in) {
  const ByteView bytes = in.Rest();
  const std::string_view text = AsText(bytes);
  auto id = ParseTilePath(text);
  ExpectCode(id.status(), {ErrorCode::kMalformed}, "ParseTilePath");
  if (!id.ok()) return;
  if (id->width < 1 || id->width > kTileWidth) Bug("accepted a width outside 1..256");
  if (id->entries && id->level != 0) Bug("entry bundle with a level");
  if (TilePath(*id) != text) Bug("accepted a non-canonical tile path");
}

void FuzzBundle(Reader& in) {
  const uint64_t expected = uint64_t{in.Byte()} + 1;
  const ByteView bytes = in.Rest();
  auto entries = ParseEntryBundle(bytes, expected);
  ExpectCode(entries.status(),
             {ErrorCode::kMalformed, ErrorCode::kTruncated, ErrorCode::kTrailingData},
             "ParseEntryBundle");
  if (!entries.ok()) return;
  if (entries->size() != expected) Bug("wrong number of entries");
  const Bytes again = SerializeEntryBundle(*entries);
  if (!std::equal(again.begin(), again.end(), bytes.begin(), bytes.end())) {
    Bug("bundle round trip changed the bytes");
  }
}

void FuzzTiles(Reader& in) {
  // Small sizes most of the time (so that tiles can cover them), any size
  // sometimes.
  const uint8_t shape = in.Byte();
  uint64_t size = in.U64();
  uint64_t index = in.U64();
  uint64_t old = in.U64();
  if ((shape & 1) == 0) {
    size %= 70000;
    index %= size + 1;
    old %= size + 1;
  }
  TileSet set;
  while (in.left() > 0) {
    TileId id;
    id.level = in.Byte() % 10;  // 8 and 9: rejected
    id.index = in.Byte() % 4;
    id.width = uint64_t{in.Byte()} + 1;  // 1..256
    id.entries = (in.Byte() & 0x80) != 0;
    const size_t want = id.width * kHashSize;
    // Mostly exactly the right length; short at the end of the input.
    const ByteView bytes = in.Take(want);
    ExpectCode(set.Add(id, bytes), {ErrorCode::kMalformed, ErrorCode::kInvalidArgument}, "Add");
  }
  const auto computed = {ErrorCode::kLogTruncated, ErrorCode::kInvalidArgument};
  auto root = set.Root(size);
  ExpectCode(root.status(), computed, "Root");
  if (root.ok() && root->size() != kHashSize) Bug("root not 32 bytes");
  auto leaf = set.LeafHashAt(index, size);
  ExpectCode(leaf.status(), computed, "LeafHashAt");
  auto incl = set.InclusionProof(index, size);
  ExpectCode(incl.status(), computed, "InclusionProof");
  if (incl.ok()) {
    if (incl->size() > 64) Bug("inclusion proof of more than 64 hashes");
    if (leaf.ok()) {
      auto r = RootFromInclusionProof(index, size, *leaf, *incl);
      // The proof has the shape the verifier expects for (index, size).
      if (!r.ok()) Bug("TileSet inclusion proof has the wrong shape");
      if (root.ok()) {
        ExpectCode(VerifyInclusion(index, size, *leaf, *incl, *root), {ErrorCode::kProofInvalid},
                   "VerifyInclusion");
      }
    }
  }
  auto cons = set.ConsistencyProof(old, size);
  ExpectCode(cons.status(), computed, "ConsistencyProof");
  if (cons.ok()) {
    if (cons->size() > 65) Bug("consistency proof of more than 65 hashes");
    auto old_root = set.Root(old);
    if (root.ok() && old_root.ok()) {
      ExpectCode(VerifyConsistency(old, size, *old_root, *root, *cons), {ErrorCode::kProofInvalid},
                 "VerifyConsistency");
    }
  }
  // The tile lists are computed without tiles and never fail.
  if (TilesForRoot(size).size() > 64) Bug("more than 64 tiles for a root");
  static_cast<void>(TilesForInclusion(index, size));
  static_cast<void>(TilesForConsistency(old, size));
  static_cast<void>(TileIdsForTree(old, (shape & 1) == 0 ? size : old));
}

void FuzzVerify(Reader& in) {
  const uint64_t a = in.U64();
  const uint64_t b = in.U64();
  const ByteView leaf = in.Take(in.Byte() % 40);
  const ByteView root1 = in.Take(in.Byte() % 40);
  const ByteView root2 = in.Take(in.Byte() % 40);
  Proof proof;
  while (in.left() > 0 && proof.size() < 70) {
    const ByteView h = in.Take(in.Byte() % 40);
    proof.emplace_back(h.begin(), h.end());
  }
  const auto codes = {ErrorCode::kInvalidArgument, ErrorCode::kProofInvalid};
  ExpectCode(VerifyInclusion(a, b, leaf, proof, root1), codes, "VerifyInclusion");
  ExpectCode(RootFromInclusionProof(a, b, leaf, proof).status(), codes, "RootFromInclusionProof");
  ExpectCode(VerifyConsistency(a, b, root1, root2, proof), codes, "VerifyConsistency");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in(data, size);
  switch (in.Byte() % 5) {
    case 0: FuzzProof(in); break;
    case 1: FuzzPath(in); break;
    case 2: FuzzBundle(in); break;
    case 3: FuzzTiles(in); break;
    default: FuzzVerify(in); break;
  }
  return 0;
}
