// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the JSON the package hands core/log
// (core/log/event_builder.h EventFieldsFromJson + SignNewEvent,
// core/log/bindings_support.h StringListFromJson, CardWatchFromJson).
//
// For every input: EventFieldsFromJson(input); when it parses, SignNewEvent
// by a fixed identity with a deterministic RNG and clock; also
// StringListFromJson(input, 16) and CardWatchFromJson(input). A failure must
// carry a data error code; a failed SignNewEvent must leave the chain empty;
// an event that signs must parse back byte for byte, verify under its
// author's card, carry seq 0 and zero prev, and be the chain's head. Any
// violation aborts. Seeds (scripts/run-fuzzers.sh): every vector file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/identity/identity.h"
#include "core/log/bindings_support.h"
#include "core/log/event.h"
#include "core/log/event_builder.h"

namespace {

using namespace medseal;
using namespace medseal::tlog;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_fields_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsDataError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kReasonRequired: return true;
    default: return false;
  }
}

template <typename R>
void ExpectDataErrorIfFailed(const R& r, const char* what) {
  if (!r.ok() && !IsDataError(r.status().code())) Bug(what);
}

const Identity& Author() {
  static const Identity* id = [] {
    auto made = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 0x5e)), "Fuzz F", "clinician",
                                   1700000000000);
    if (!made.ok()) Bug("identity");
    return new Identity(std::move(made).value());
  }();
  return *id;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fields = EventFieldsFromJson(text);
  ExpectDataErrorIfFailed(fields, "EventFieldsFromJson code");
  if (fields.ok()) {
    AuthorChains chain;
    auto rng = ChaChaRng::Create(Bytes(32, 0x17));
    if (!rng.ok()) Bug("rng");
    FixedClock clock(1764590400000);
    auto made = SignNewEvent(Author(), *fields, chain, *rng, clock);
    ExpectDataErrorIfFailed(made, "SignNewEvent code");
    if (!made.ok()) {
      if (chain.authors() != 0) Bug("a failed SignNewEvent changed the chain");
    } else {
      auto parsed = ParseEvent(made->event.encoded);
      if (!parsed.ok() || parsed->encoded != made->event.encoded) Bug("signed event re-parse");
      if (!VerifyEvent(*parsed, Author().card()).ok()) Bug("signed event verify");
      if (parsed->event.seq != 0 || parsed->event.prev != Bytes(kEventHashSize, 0)) Bug("seq");
      auto last = chain.Last(Author().key_id());
      if (!last || last->second != made->event.Hash()) Bug("chain head");
    }
  }
  ExpectDataErrorIfFailed(StringListFromJson(text, 16), "StringListFromJson code");
  ExpectDataErrorIfFailed(CardWatchFromJson(text), "CardWatchFromJson code");
  return 0;
}
