// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the group parsers (core/group/key_chain.h,
// core/group/group.h; docs/spec/group.md §2.3, §3.3, §5.4).
//
// The first input byte selects the parser (key link, revocation,
// membership state, the package's list form of core/group/wire.h); the rest
// is its input. A parse that succeeds must
// re-encode to exactly the input (the encodings are canonical), and a failure
// must carry one of the codes the spec lists. Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/group/group.h"
#include "core/group/key_chain.h"
#include "core/group/wire.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "group_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

void CheckCode(const Status& s) {
  switch (s.code()) {
    case ErrorCode::kTooLarge:
    case ErrorCode::kMalformed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kKeyIdMismatch:
    case ErrorCode::kSignatureInvalid:
    case ErrorCode::kWeakKey: return;
    default: Bug("unexpected error code");
  }
}

template <typename T, typename Enc>
void Check(const Result<T>& r, ByteView in, Enc encode) {
  if (!r.ok()) return CheckCode(r.status());
  const Bytes again = encode(*r);
  if (again.size() != in.size() || !std::equal(again.begin(), again.end(), in.begin())) {
    Bug("a parsed value does not re-encode to its input");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: Check(group::ParseKeyLink(in), in, group::EncodeKeyLink); break;
    case 1: Check(group::ParseKeyRevocation(in), in, group::EncodeKeyRevocation); break;
    case 2: Check(group::ParseMembershipState(in), in, group::EncodeMembershipState); break;
    default: {
      Check(group::SplitList(in, 64), in, [](const std::vector<ByteView>& items) {
        std::vector<Bytes> copies;
        for (ByteView b : items) copies.emplace_back(b.begin(), b.end());
        return group::JoinList(copies);
      });
      // Every item a state: each failure still one of the spec's codes.
      auto states = group::ParseMembershipStateList(in);
      if (!states.ok()) CheckCode(states.status());
      break;
    }
  }
  return 0;
}
