// SPDX-License-Identifier: Apache-2.0
// Native benchmark of the verifiable log (core/log/; issue #11): what a log
// operator sustains, against Tessera's reported ~2,900 entries/s on a POSIX
// filesystem, and proof verification natively (the Chromium numbers come
// from bench/js/log-browser.mjs, on the proofs this program writes).
//
// Rows (entries/s or verifications/s; median of --reps runs, each on a fresh
// log, the signed entries made before the clock starts):
//   log-append-256   LogOperator::Append of N signed events by 32 authors
//                    (each checked: parse, the author's card looked up, its
//                    Ed25519 signature verified, the author's chain
//                    advanced), and one Publish() per batch of 256 entries
//                    (the checkpoint signed, the changed tiles and entry
//                    bundles computed: what a relay writes as files)
//   log-append-1     the same, one Publish() per entry (N smaller)
//   log-tree-256     what a tile log does without checking entries (as
//                    Tessera, which stores what it is given): MerkleTree
//                    append, TilesForTree and SignCheckpoint per batch of 256
//   history-100k     VerifyHistory (core/log/history.h, spec §8.8) of a log
//                    of 33 cards and --history events (default 100,000):
//                    the checkpoint verified, the root recomputed, every
//                    event's signature and chain checked (seconds per
//                    history, the unit bench/js/log.mjs reports too)
//   proof-inclusion, proof-consistency
//                    VerifyInclusion / VerifyConsistency of 256 proofs in a
//                    tree of 2^16 leaves, in turn
// No file I/O is timed: the tiles are computed and dropped (the relay keeps
// them in memory; Tessera's number includes its filesystem writes).
//
// Usage: medseal_log_bench [--reps N] [--entries N] [--history N] [--json PATH]
//                          [--write-proofs PATH] [--write-history DIR]
//   --write-proofs PATH  also writes the proof workload (JSON, hex) that
//                        bench/js/log.mjs verifies in Node and Chromium
//   --write-history DIR  also writes DIR/log-history.{bundle,json}: the
//                        history that bench/js/log.mjs verifies there
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/base/secret.h"
#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "core/log/checkpoint.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/history.h"
#include "core/log/merkle.h"
#include "core/log/note.h"
#include "core/log/operator.h"
#include "core/log/tiles.h"

namespace {

using medseal::Bytes;
using medseal::SecretBytes;
namespace tlog = medseal::tlog;
using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "log bench: %s\n", why.c_str());
  std::exit(1);
}

template <typename T>
T Must(medseal::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().message());
  return std::move(r).value();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string ReadFirstLine(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

constexpr char kOrigin[] = "medseal.example/log/v1";
constexpr size_t kAuthors = 32;

tlog::NoteSigner Signer() {
  return Must(tlog::NoteSigner::FromSeed(kOrigin, SecretBytes::CopyFrom(Bytes(32, 9))), "signer");
}

// The workload: 1 patient and kAuthors clinicians (their cards are the
// log's first entries) and `n` events signed by the clinicians in turn,
// each continuing its author's chain.
struct Workload {
  std::vector<Bytes> cards;
  std::vector<Bytes> events;
};

Workload MakeWorkload(size_t n) {
  Workload w;
  std::vector<medseal::Identity> people;
  for (size_t i = 0; i <= kAuthors; ++i) {
    people.push_back(Must(
        medseal::Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, static_cast<uint8_t>(i + 1))),
                                    i == 0 ? "Patient" : "Clinician " + std::to_string(i),
                                    i == 0 ? "patient" : "clinician", 1767225600000),
        "identity"));
    w.cards.push_back(tlog::CardEntry(people.back().card()));
  }
  tlog::AuthorChains chains;
  for (size_t i = 0; i < n; ++i) {
    const medseal::Identity& author = people[1 + i % kAuthors];
    tlog::Event e;
    e.type = tlog::EventType::kOpen;
    e.author = author.key_id();
    auto [seq, prev] = chains.Next(author.key_id());
    e.seq = seq;
    e.prev = prev;
    e.time = 1767225600000 + static_cast<int64_t>(i);
    e.purpose = "TREAT";
    e.patient = people[0].key_id();
    Bytes subject(32, 0);
    for (size_t b = 0; b < 8; ++b) subject[b] = static_cast<uint8_t>(i >> (8 * b));
    e.subjects.push_back(tlog::EventSubject{tlog::SubjectKind::kRecord, subject});
    tlog::SignedEvent signed_event = Must(tlog::SignEvent(author, e), "SignEvent");
    if (!chains.Append(signed_event).ok()) Die("chain");
    w.events.push_back(tlog::EventEntry(signed_event));
  }
  return w;
}

// Entries per second of appending `w.events` to a fresh operator (cards
// first, untimed), publishing every `batch` entries and at the end.
double AppendRun(const Workload& w, size_t batch) {
  tlog::LogOperator op(Signer());
  for (const Bytes& c : w.cards) Must(op.Append(c), "card");
  Must(op.Publish(), "publish");
  const auto t0 = Clock::now();
  size_t since = 0;
  for (const Bytes& e : w.events) {
    Must(op.Append(e), "append");
    if (++since == batch) {
      Must(op.Publish(), "publish");
      since = 0;
    }
  }
  if (since != 0) Must(op.Publish(), "publish");
  return static_cast<double>(w.events.size()) / Seconds(Clock::now() - t0);
}

// The same work without entry checks: tree, tiles, checkpoint.
double TreeRun(const Workload& w, size_t batch) {
  tlog::NoteSigner signer = Signer();
  tlog::MerkleTree tree;
  std::vector<Bytes> entries;
  const auto t0 = Clock::now();
  uint64_t published = 0;
  size_t bytes = 0;
  auto publish = [&] {
    auto tiles = Must(tlog::TilesForTree(tree, entries, published, tree.size()), "tiles");
    tlog::Checkpoint c{kOrigin, tree.size(), tree.Root(), {}};
    bytes += Must(tlog::SignCheckpoint(c, signer), "checkpoint").size() + tiles.size();
    published = tree.size();
  };
  for (const Bytes& e : w.events) {
    tree.AppendEntry(e);
    entries.push_back(e);
    if (tree.size() - published == batch) publish();
  }
  if (tree.size() != published) publish();
  if (bytes == 0) Die("nothing published");
  return static_cast<double>(w.events.size()) / Seconds(Clock::now() - t0);
}

// A tree of 2^16 synthetic leaves and 256 inclusion and consistency proofs.
struct Proofs {
  tlog::MerkleTree tree;
  uint64_t size = 0;
  Bytes root;
  std::vector<std::pair<uint64_t, tlog::Proof>> inclusion;    // index, proof
  std::vector<std::pair<uint64_t, tlog::Proof>> consistency;  // size1, proof
};

Proofs MakeProofs() {
  Proofs p;
  constexpr uint64_t kSize = 1 << 16;
  for (uint64_t i = 0; i < kSize; ++i) {
    const std::string entry = "entry " + std::to_string(i);
    p.tree.AppendEntry(
        medseal::ByteView(reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
  }
  p.size = kSize;
  p.root = p.tree.Root();
  uint64_t x = 88172645463325252ull;  // xorshift64: fixed, spread indexes
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (int k = 0; k < 256; ++k) {
    const uint64_t index = next() % kSize;
    p.inclusion.emplace_back(index, Must(p.tree.InclusionProof(index, kSize), "inclusion"));
    const uint64_t size1 = 1 + next() % (kSize - 1);
    p.consistency.emplace_back(size1, Must(p.tree.ConsistencyProof(size1, kSize), "consistency"));
  }
  return p;
}

Bytes LeafOf(uint64_t i) {
  const std::string entry = "entry " + std::to_string(i);
  return tlog::LeafHash(
      medseal::ByteView(reinterpret_cast<const uint8_t*>(entry.data()), entry.size()));
}

// Verifications per second over `rounds` passes of the 256 proofs.
double VerifyRun(const Proofs& p, bool inclusion, int rounds) {
  std::vector<Bytes> leaves, roots1;
  for (const auto& [index, proof] : p.inclusion) leaves.push_back(LeafOf(index));
  for (const auto& [size1, proof] : p.consistency)
    roots1.push_back(Must(p.tree.Root(size1), "root"));
  const auto t0 = Clock::now();
  size_t n = 0;
  for (int r = 0; r < rounds; ++r) {
    for (size_t k = 0; k < 256; ++k) {
      const medseal::Status s =
          inclusion ? tlog::VerifyInclusion(p.inclusion[k].first, p.size, leaves[k],
                                            p.inclusion[k].second, p.root)
                    : tlog::VerifyConsistency(p.consistency[k].first, p.size, roots1[k], p.root,
                                              p.consistency[k].second);
      if (!s.ok()) Die("a proof does not verify: " + s.message());
      ++n;
    }
  }
  return static_cast<double>(n) / Seconds(Clock::now() - t0);
}

std::string Hex(const Bytes& b) { return medseal::HexEncode(b); }

void WriteProofs(const Proofs& p, const std::string& path) {
  std::ostringstream j;
  j << "{\n  \"description\": \"medseal log bench: a tree of 2^16 leaves 'entry <i>' (RFC 9162), "
       "256 inclusion and 256 consistency proofs to its root; hex\",\n";
  j << "  \"size\": " << p.size << ",\n  \"root\": \"" << Hex(p.root) << "\",\n";
  j << "  \"inclusion\": [\n";
  for (size_t k = 0; k < p.inclusion.size(); ++k) {
    j << "    {\"index\": " << p.inclusion[k].first << ", \"leafHash\": \""
      << Hex(LeafOf(p.inclusion[k].first)) << "\", \"proof\": \""
      << Hex(tlog::SerializeProof(p.inclusion[k].second)) << "\"}"
      << (k + 1 < p.inclusion.size() ? "," : "") << "\n";
  }
  j << "  ],\n  \"consistency\": [\n";
  for (size_t k = 0; k < p.consistency.size(); ++k) {
    j << "    {\"size1\": " << p.consistency[k].first << ", \"root1\": \""
      << Hex(Must(p.tree.Root(p.consistency[k].first), "root")) << "\", \"proof\": \""
      << Hex(tlog::SerializeProof(p.consistency[k].second)) << "\"}"
      << (k + 1 < p.consistency.size() ? "," : "") << "\n";
  }
  j << "  ]\n}\n";
  std::ofstream out(path);
  if (!out) Die("cannot write " + path);
  out << j.str();
  std::printf("wrote %s\n", path.c_str());
}

struct Row {
  std::string id, label, unit;
  std::vector<double> samples;
  int decimals = 0;  // printed digits after the point (a rate: 0; seconds: 3)
};

// A whole log (cards, then events) and its verified checkpoint.
struct History {
  std::vector<Bytes> entries;
  std::string note;
  tlog::LogPolicy policy;
};

History MakeHistory(const Workload& w) {
  tlog::LogOperator op(Signer());
  for (const Bytes& c : w.cards) Must(op.Append(c), "card");
  for (const Bytes& e : w.events) Must(op.Append(e), "event");
  History h;
  h.entries = op.entries();
  h.note = Must(op.SignedCheckpoint(), "checkpoint");
  h.policy.log_key = op.verifier_key();
  return h;
}

// Seconds to verify the whole history once.
double HistoryRun(const History& h) {
  const auto t0 = Clock::now();
  tlog::VerifiedCheckpoint v = Must(tlog::VerifyCheckpoint(h.note, h.policy), "checkpoint");
  tlog::HistorySummary s = Must(tlog::VerifyHistory(h.entries, v), "history");
  const double t = Seconds(Clock::now() - t0);
  if (s.entries != h.entries.size()) Die("history: wrong count");
  return t;
}

// The history as files for bench/js/log.mjs: one entry bundle, its
// checkpoint and the operator's vkey.
void WriteHistory(const History& h, const std::string& dir) {
  const Bytes bundle = tlog::SerializeEntryBundle(h.entries);
  std::ofstream b(dir + "/log-history.bundle", std::ios::binary);
  b.write(reinterpret_cast<const char*>(bundle.data()),
          static_cast<std::streamsize>(bundle.size()));
  std::ofstream j(dir + "/log-history.json");
  j << "{\"count\": " << h.entries.size() << ", \"vkey\": \""
    << tlog::FormatVerifierKey(h.policy.log_key) << "\", \"checkpoint\": \"";
  for (char c : h.note) j << (c == '\n' ? std::string("\\n") : std::string(1, c));
  j << "\"}\n";
  if (!b || !j) Die("cannot write the history files in " + dir);
  std::printf("wrote %s/log-history.{bundle,json} (%zu entries, %zu bytes)\n", dir.c_str(),
              h.entries.size(), bundle.size());
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  size_t n = 16384;
  size_t history_events = 100000;
  std::string json_path, proofs_path, history_dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--entries" && i + 1 < argc) {
      n = static_cast<size_t>(std::max(256, std::atoi(argv[++i])));
    } else if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else if (a == "--history" && i + 1 < argc) {
      history_events = static_cast<size_t>(std::max(1, std::atoi(argv[++i])));
    } else if (a == "--write-history" && i + 1 < argc) {
      history_dir = argv[++i];
    } else if (a == "--write-proofs" && i + 1 < argc) {
      proofs_path = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s [--reps N] [--entries N] [--history N] [--json PATH] "
                   "[--write-proofs PATH] [--write-history DIR]\n",
                   argv[0]);
      return 2;
    }
  }
  const std::string load_before = ReadFirstLine("/proc/loadavg");
  std::printf("log bench: signing %zu events (untimed)\n", n);
  const Workload w = MakeWorkload(n);
  Workload each;
  each.cards = w.cards;
  each.events.assign(w.events.begin(),
                     w.events.begin() + static_cast<long>(std::min<size_t>(n, 2048)));
  const Proofs proofs = MakeProofs();
  if (!proofs_path.empty()) WriteProofs(proofs, proofs_path);
  std::printf("log bench: signing %zu events for the history (untimed)\n", history_events);
  const History history = MakeHistory(MakeWorkload(history_events));
  if (!history_dir.empty()) WriteHistory(history, history_dir);

  std::vector<Row> rows = {
      {"log-append-256",
       "append (checked) + checkpoint and tiles per 256 entries",
       "entries/s",
       {}},
      {"log-append-1", "append (checked) + checkpoint and tiles per entry", "entries/s", {}},
      {"log-tree-256", "tree + tiles + checkpoint per 256, entries unchecked", "entries/s", {}},
      {"history-100k", "verify a whole history (cards + events)", "s per history", {}, 3},
      {"proof-inclusion", "verify an inclusion proof, 2^16 leaves", "verifications/s", {}},
      {"proof-consistency", "verify a consistency proof, 2^16 leaves", "verifications/s", {}},
  };
  for (int r = 0; r < reps; ++r) {
    rows[0].samples.push_back(AppendRun(w, 256));
    rows[1].samples.push_back(AppendRun(each, 1));
    rows[2].samples.push_back(TreeRun(w, 256));
    rows[3].samples.push_back(HistoryRun(history));
    rows[4].samples.push_back(VerifyRun(proofs, true, 40));
    rows[5].samples.push_back(VerifyRun(proofs, false, 40));
  }
  const std::string load_after = ReadFirstLine("/proc/loadavg");
  std::printf("%-60s %16s %12s %12s %12s\n", "row", "unit", "median", "min", "max");
  for (const Row& row : rows) {
    auto [mn, mx] = std::minmax_element(row.samples.begin(), row.samples.end());
    std::printf("%-60s %16s %12.*f %12.*f %12.*f\n", row.label.c_str(), row.unit.c_str(),
                row.decimals, Median(row.samples), row.decimals, *mn, row.decimals, *mx);
  }
  std::printf("entries: %zu (log-append-1: %zu); reps: %d; load average before: %s; after: %s\n", n,
              each.events.size(), reps, load_before.c_str(), load_after.c_str());
  if (!json_path.empty()) {
    struct utsname u {};
    uname(&u);
    std::ostringstream j;
    j << "{\n  \"environment\": \"native\",\n  \"machine\": {\"cores\": "
      << sysconf(_SC_NPROCESSORS_ONLN) << ", \"kernel\": \"" << u.release
      << "\", \"loadavgBefore\": \"" << load_before << "\", \"loadavgAfter\": \"" << load_after
      << "\"},\n  \"method\": {\"reps\": " << reps << ", \"entries\": " << n
      << ", \"entriesPerEntryCheckpoint\": " << each.events.size()
      << ", \"historyEntries\": " << history.entries.size()
      << ", \"statistic\": \"median\"},\n  \"rows\": [\n";
    for (size_t i = 0; i < rows.size(); ++i) {
      const Row& row = rows[i];
      j << "    {\"id\": \"" << row.id << "\", \"label\": \"" << row.label << "\", \"unit\": \""
        << row.unit << "\", \"median\": " << Median(row.samples) << ", \"samples\": [";
      for (size_t s = 0; s < row.samples.size(); ++s) j << (s ? ", " : "") << row.samples[s];
      j << "]}" << (i + 1 < rows.size() ? "," : "") << "\n";
    }
    j << "  ]\n}\n";
    std::ofstream out(json_path);
    if (!out) Die("cannot write " + json_path);
    out << j.str();
    std::printf("wrote %s\n", json_path.c_str());
  }
  return 0;
}
