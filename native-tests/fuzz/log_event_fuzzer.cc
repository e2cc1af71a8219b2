// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for log events and entries (ParseEvent, ParseEntry;
// core/log/event.h, core/log/entry.h, docs/spec/log.md §6, §7).
//
// For every input: ParseEvent(input), ParseEntry(input) and
// ParseEntry(0x01 || input). A failure must carry one of the parsers' data
// error codes. An event that parses must be canonical and consistent: its
// fields re-encode (EventJcs + "sig") to exactly the input bytes, its fields
// pass the signer's checks (EventSignedBytes succeeds), its hash is the
// SHA-256 of its bytes, its entry parses back to the same event, and a fresh
// AuthorChains accepts it exactly when its seq is 0. Any violation aborts.
// Seeds (scripts/run-fuzzers.sh): every vector file, log/event_v1.json
// included; a seed that is a JSON object with a "history" array (that file)
// also has each of its "encoded" events parsed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "core/codec/base64url.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/crypto/sha2.h"
#include "core/log/entry.h"
#include "core/log/event.h"

namespace {

using namespace medseal;
using namespace medseal::tlog;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_event_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsDataError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kDuplicateRecipient:
    case ErrorCode::kReasonRequired:
    case ErrorCode::kKeyIdMismatch:
    case ErrorCode::kSignatureInvalid:
    case ErrorCode::kWeakKey:
    case ErrorCode::kInvalidKey: return true;
    default: return false;
  }
}

void CheckEvent(ByteView input) {
  auto ev = ParseEvent(input);
  if (!ev.ok()) {
    if (!IsDataError(ev.status().code())) Bug("event parse failed with a non-data code");
    return;
  }
  if (ev->encoded.size() != input.size() ||
      !std::equal(input.begin(), input.end(), ev->encoded.begin())) {
    Bug("encoded is not the input");
  }
  auto jcs = EventJcs(ev->event);
  if (!jcs.ok()) Bug("a parsed event fails the signer's checks");
  auto signed_bytes = EventSignedBytes(ev->event);
  if (!signed_bytes.ok()) Bug("no signed bytes for a parsed event");
  // The unsigned JCS plus "sig" is exactly the input.
  auto unsigned_json = ParseJsonObject(*jcs, kMaxEventBytes);
  if (!unsigned_json.ok()) Bug("the unsigned JCS does not parse");
  (*unsigned_json)["sig"] = Base64UrlEncode(ev->signature);
  auto resigned = CanonicalizeJson(*unsigned_json);
  if (!resigned.ok() || *resigned != AsText(input)) Bug("the fields do not re-encode to the input");
  if (ev->Hash() != Sha256(input)) Bug("hash is not SHA-256 of the bytes");
  if (ev->signature.size() != 64) Bug("signature not 64 bytes");
  auto entry = ParseEntry(EventEntry(*ev));
  if (!entry.ok() || !std::holds_alternative<SignedEvent>(*entry)) Bug("entry does not parse");
  if (!(std::get<SignedEvent>(*entry).event == ev->event)) Bug("entry round trip changed a field");
  AuthorChains chains;
  const bool appended = chains.Append(*ev).ok();
  if (appended != (ev->event.seq == 0)) Bug("a fresh chain's verdict is wrong");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  CheckEvent(input);
  auto entry = ParseEntry(input);
  if (!entry.ok() && !IsDataError(entry.status().code())) Bug("entry failed with a non-data code");
  Bytes as_event{kEntryEvent};
  as_event.insert(as_event.end(), input.begin(), input.end());
  auto entry2 = ParseEntry(as_event);
  if (!entry2.ok() && !IsDataError(entry2.status().code()))
    Bug("entry failed with a non-data code");
  // The vector file: parse each embedded event.
  auto doc = ParseJsonValue(AsText(input), size + 1, kMaxJsonDepth);
  if (doc.ok() && doc->is_object() && doc->contains("history") && (*doc)["history"].is_array()) {
    for (const auto& h : (*doc)["history"]) {
      if (h.is_object() && h.contains("encoded") && h["encoded"].is_string()) {
        CheckEvent(AsBytes(h["encoded"].get_ref<const std::string&>()));
      }
    }
  }
  return 0;
}
