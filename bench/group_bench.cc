// SPDX-License-Identifier: Apache-2.0
// Native benchmark of care-team rekeying (core/group/group.h, issue #13:
// "group rekey time for 50 members"). A group of --members (default 50)
// cards; each repetition times, one call each:
//   create   Group::Create: group id, epoch 0 seed, the signed state and one
//            wrap to every member
//   remove   RemoveMember of one member: a new epoch (fresh seed and group
//            card), the signed state and one wrap to the 49 others
//   add      AddMember of the removed member back (no history): the signed
//            state and one wrap to it
//   open     one member's OpenEpochKey of the remove's wrap (state signature,
//            record signature, X25519 unwrap, identity derivation)
//   history  VerifyMembershipHistory of the group's whole history so far
//            (two more states per repetition)
// and prints the median and the minimum of the wall time and the median of
// the thread's CPU time, in ms (JSON with --json PATH).
// docs/performance.md, "Run Z: care-team rekey (issue #13)", records a run.
//
// Usage: medseal_group_bench [--reps N] [--members N] [--json PATH]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/group/group.h"

namespace {

using medseal::group::Group;
using medseal::group::GroupUpdate;
using SteadyClock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "medseal_group_bench: %s\n", why.c_str());
  std::exit(1);
}

template <typename T>
T Must(medseal::Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// The thread's CPU time of each call, per row: on a shared, loaded machine
// the steadier measure beside the wall time.
std::map<std::string, std::vector<double>> g_cpu_ms;
std::string g_row;

template <typename Fn>
double TimeMs(Fn&& fn) {
  const double c0 = ThreadCpuMs();
  auto t0 = SteadyClock::now();
  fn();
  const double wall = std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count();
  g_cpu_ms[g_row].push_back(ThreadCpuMs() - c0);
  return wall;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 25;
  int members = 50;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc) {
      reps = std::atoi(argv[++i]);
    } else if (a == "--members" && i + 1 < argc) {
      members = std::atoi(argv[++i]);
    } else if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else {
      Die("usage: medseal_group_bench [--reps N] [--members N] [--json PATH]");
    }
  }
  if (reps < 1) Die("--reps must be at least 1");
  if (members < 2 || members > static_cast<int>(medseal::group::kMaxGroupMembers)) {
    Die("--members must be 2..64");
  }
  medseal::SodiumRng rng;
  medseal::FixedClock clock(1'764'600'000'000);
  auto admin = Must(medseal::Identity::Generate(rng, clock, "Ward admin", "admin"), "admin");
  std::vector<medseal::Identity> people;
  std::vector<medseal::PublicCard> cards;
  for (int i = 0; i < members; ++i) {
    people.push_back(Must(
        medseal::Identity::Generate(rng, clock, "Nurse " + std::to_string(i), "nurse"), "member"));
    cards.push_back(people.back().card());
  }
  std::map<std::string, std::vector<double>> ms;
  for (int r = 0; r < reps; ++r) {
    medseal::Result<std::pair<Group, GroupUpdate>> created = medseal::Error(
        medseal::ErrorCode::kInternal, "not run");
    g_row = "create";
    ms["create"].push_back(TimeMs(
        [&] { created = Group::Create(admin, "Cardiology ward", "nurse", cards, rng, clock); }));
    Group g = std::move(Must(std::move(created), "create").first);
    // Two remove/add rounds per group, so `history` grows over a repetition.
    for (int round = 0; round < 2; ++round) {
      const medseal::Identity& leaver = people[(r + round) % members];
      const medseal::Identity& stayer = people[(r + round + 1) % members];
      medseal::Result<GroupUpdate> removed = medseal::Error(medseal::ErrorCode::kInternal, "");
      g_row = "remove";
      ms["remove"].push_back(
          TimeMs([&] { removed = g.RemoveMember(admin, leaver.key_id(), rng, clock); }));
      const GroupUpdate rm = Must(std::move(removed), "remove");
      if (rm.wraps.size() != 1 || rm.state.members.size() != static_cast<size_t>(members - 1)) {
        Die("the removal did not wrap to the others");
      }
      medseal::Result<medseal::Identity> opened = medseal::Error(medseal::ErrorCode::kInternal, "");
      g_row = "open";
      ms["open"].push_back(TimeMs([&] {
        opened = medseal::group::OpenEpochKey(rm.wraps[0], stayer, admin.card(), rm.state);
      }));
      if (!opened.ok() || opened->key_id() != g.identity().key_id()) Die("a member did not open");
      if (medseal::group::OpenEpochKey(rm.wraps[0], leaver, admin.card(), rm.state).ok()) {
        Die("the removed member opened the new epoch");
      }
      medseal::Result<GroupUpdate> added = medseal::Error(medseal::ErrorCode::kInternal, "");
      g_row = "add";
      ms["add"].push_back(
          TimeMs([&] { added = g.AddMember(admin, leaver.card(), false, rng, clock); }));
      if (Must(std::move(added), "add").wraps.size() != 1) Die("add wrapped more than one epoch");
    }
    medseal::Status verified;
    g_row = "history";
    ms["history"].push_back(TimeMs(
        [&] { verified = medseal::group::VerifyMembershipHistory(g.history(), admin.card()); }));
    if (!verified.ok()) Die("history: " + verified.ToString());
  }
  std::string json = "{\n  \"environment\": \"native\",\n  \"unit\": \"ms\",\n  \"members\": " +
                     std::to_string(members) + ",\n  \"rows\": [";
  bool first = true;
  for (const char* id : {"create", "remove", "add", "open", "history"}) {
    std::vector<double>& v = ms[id];
    std::sort(v.begin(), v.end());
    const double median = v[v.size() / 2];
    std::vector<double>& c = g_cpu_ms[id];
    std::sort(c.begin(), c.end());
    const double cpu = c[c.size() / 2];
    std::printf("group-%-10s members %-3d median %8.3f ms  min %8.3f ms  cpu %8.3f ms  (n=%zu)\n",
                id, members, median, v.front(), cpu, v.size());
    json += std::string(first ? "" : ",") + "\n    {\"id\": \"group-" + id +
            "\", \"medianMs\": " + std::to_string(median) +
            ", \"minMs\": " + std::to_string(v.front()) +
            ", \"cpuMedianMs\": " + std::to_string(cpu) + ", \"n\": " + std::to_string(v.size()) +
            "}";
    first = false;
  }
  json += "\n  ]\n}\n";
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << json;
    if (!out) Die("cannot write " + json_path);
  }
  return 0;
}
