// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for signed notes, verifier keys and checkpoints
// (core/log/note.h, core/log/checkpoint.h).
//
// For every input: ParseNote, ParseVerifierKey, ParseCheckpointBody and
// VerifyCheckpoint under a fixed policy (the log and witnesses w1..w3 of
// native-tests/vectors/log/checkpoint_v1.json, quorum 1). A failure must
// carry one of the documented codes. What parses must round-trip: a note
// through FormatNote to the same bytes, a vkey through FormatVerifierKey, a
// body through FormatCheckpointBody. A verified checkpoint must have a valid
// operator signature, an origin equal to the log's name, at least `quorum`
// cosignatures, each by a distinct policy witness that VerifyCosignature
// accepts. Any violation aborts. The seeds (scripts/run-fuzzers.sh) are the
// notes of log/checkpoint_v1.json and external/transparency/
// signed_note_checkpoint.json.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "core/log/checkpoint.h"
#include "core/log/note.h"

namespace {

using namespace medseal;
using namespace medseal::tlog;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_note_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

NoteVerifierKey Key(const char* vkey) {
  auto k = ParseVerifierKey(vkey);
  if (!k.ok()) Bug("fixed key does not parse");
  return *k;
}

const LogPolicy& Policy() {
  static const LogPolicy* policy = [] {
    auto* p = new LogPolicy{
        Key("medseal.example/log/v1+7381571a+AVycbfJhycuEBHV3aq782US0BTKPqyj5s6le9ASQ096E"),
        {Key("witness.example/w1+c86d6a3f+BIhLiFf06qFhPGFQTbNNS+rzRlF6DjHePN3U2bQgHZ0L"),
         Key("witness.example/w2+b89abc6e+BKCapfR6Z1mAL/lV+NwtKhSlyZ0jvpf4ZBJ/+Tg0VaTw"),
         Key("witness.example/w3+527529a2+BHT4XNo00cJ8RiFIRzHpFXnD2cbPwNlLKBqhHpFiBYqp")},
        1};
    if (!CheckLogPolicy(*p).ok()) Bug("fixed policy invalid");
    return p;
  }();
  return *policy;
}

void CheckCode(ErrorCode code, std::initializer_list<ErrorCode> allowed, const char* what) {
  for (ErrorCode c : allowed) {
    if (code == c) return;
  }
  Bug(what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto note = ParseNote(text);
  if (!note.ok()) {
    CheckCode(note.status().code(), {ErrorCode::kMalformed, ErrorCode::kTooLarge},
              "ParseNote: undocumented code");
  } else {
    if (FormatNote(*note) != text) Bug("note does not round-trip");
    if (note->signatures.empty() || note->signatures.size() > kMaxNoteSignatures) {
      Bug("note with 0 or too many signatures parsed");
    }
    for (const NoteSignature& s : note->signatures) {
      if (!IsValidKeyName(s.name) || s.key_id.size() != 4 || s.signature.empty()) {
        Bug("bad signature line parsed");
      }
    }
    if (!CheckNoteText(note->text).ok()) Bug("parsed note text fails CheckNoteText");
  }

  auto vkey = ParseVerifierKey(text);
  if (!vkey.ok()) {
    CheckCode(vkey.status().code(),
              {ErrorCode::kMalformed, ErrorCode::kUnsupportedVersion, ErrorCode::kInvalidArgument,
               ErrorCode::kKeyIdMismatch},
              "ParseVerifierKey: undocumented code");
  } else {
    if (FormatVerifierKey(*vkey) != text) Bug("vkey does not round-trip");
    if (vkey->key_id != NoteKeyId(vkey->name, vkey->type, vkey->public_key)) {
      Bug("vkey with a wrong key id parsed");
    }
  }

  auto body = ParseCheckpointBody(text);
  if (!body.ok()) {
    CheckCode(body.status().code(), {ErrorCode::kMalformed, ErrorCode::kTooLarge},
              "ParseCheckpointBody: undocumented code");
  } else {
    if (FormatCheckpointBody(*body) != text) Bug("body does not round-trip");
    if (body->root.size() != kCheckpointRootSize || body->origin.empty()) Bug("bad body parsed");
  }

  const LogPolicy& policy = Policy();
  auto v = VerifyCheckpoint(text, policy);
  if (!v.ok()) {
    CheckCode(v.status().code(),
              {ErrorCode::kMalformed, ErrorCode::kTooLarge, ErrorCode::kSignatureInvalid,
               ErrorCode::kWitnessQuorum},
              "VerifyCheckpoint: undocumented code");
    return 0;
  }
  if (!note.ok()) Bug("verified checkpoint is not a note");
  if (v->note != text) Bug("verified note differs from the input");
  if (v->checkpoint.origin != policy.log_key.name) Bug("verified checkpoint of another origin");
  if (FormatCheckpointBody(v->checkpoint) != note->text) Bug("verified body differs");
  if (!VerifyNoteSignature(*note, policy.log_key).ok()) Bug("operator signature not valid");
  if (v->cosignatures.size() < policy.quorum) Bug("quorum not met");
  std::set<std::string> seen;
  for (const Cosignature& c : v->cosignatures) {
    if (!seen.insert(c.witness).second) Bug("a witness counted twice");
    bool verified = false;
    for (const NoteVerifierKey& w : policy.witnesses) {
      if (w.name != c.witness) continue;
      for (const NoteSignature& s : note->signatures) {
        if (s.name != w.name || s.key_id != w.key_id) continue;
        auto cs = VerifyCosignature(s, w, note->text);
        if (!cs.ok()) Bug("a line by a policy witness fails but the checkpoint verified");
        verified = true;
      }
    }
    if (!verified) Bug("a counted cosignature has no verifying line");
  }
  return 0;
}
