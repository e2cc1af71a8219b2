// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the log client's parsers (core/log/client.h,
// core/log/safety.h): every input goes to ParseSafetyQr, to
// LogClient::RestoreState and to LogClient::RestoreStateJson (under a fixed
// policy: a fixed operator key, no witnesses).
//
// A failure must carry a data error code. A QR payload that parses must be
// 101 bytes of magic "MSSN", version 1 and two different key ids, and its
// fields must be its bytes. A state that restores must save back to the
// same bytes (binary) and restore again from its JSON to the same state.
// Any violation aborts. Seeds: the vector files (log/safety_v1.json holds
// QR payloads as hex, which scripts/run-fuzzers.sh extracts).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/base/secret.h"
#include "core/log/checkpoint.h"
#include "core/log/client.h"
#include "core/log/note.h"
#include "core/log/safety.h"

namespace {

using namespace medseal;
using namespace medseal::tlog;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_client_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsDataError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kTrailingData:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated:
    case ErrorCode::kSignatureInvalid:
    case ErrorCode::kWitnessQuorum:
    case ErrorCode::kProofInvalid:
    case ErrorCode::kKeyIdMismatch: return true;
    default: return false;
  }
}

const LogPolicy& FixedPolicy() {
  static const LogPolicy* policy = [] {
    auto signer = NoteSigner::FromSeed("medseal.example/log/v1",
                                       SecretBytes::CopyFrom(Bytes(32, 0x71)));
    if (!signer.ok()) Bug("operator key");
    auto* p = new LogPolicy();
    p->log_key = signer->verifier_key();
    return p;
  }();
  return *policy;
}

void CheckQr(ByteView data) {
  auto qr = ParseSafetyQr(data);
  if (!qr.ok()) {
    if (!IsDataError(qr.status().code())) Bug("QR parse failed with a non-data code");
    return;
  }
  if (data.size() != kSafetyQrSize) Bug("accepted a QR payload of another size");
  if (data[0] != 'M' || data[1] != 'S' || data[2] != 'S' || data[3] != 'N' || data[4] != 1) {
    Bug("accepted a QR payload without the magic and version 1");
  }
  if (qr->self_key_id == qr->peer_key_id) Bug("accepted a QR naming one card twice");
  Bytes again = {'M', 'S', 'S', 'N', 1};
  for (const Bytes* b :
       {&qr->self_key_id, &qr->self_fingerprint, &qr->peer_key_id, &qr->peer_fingerprint}) {
    again.insert(again.end(), b->begin(), b->end());
  }
  if (!std::equal(again.begin(), again.end(), data.begin(), data.end())) {
    Bug("QR fields are not the payload's bytes");
  }
}

void CheckState(ByteView data) {
  auto c = LogClient::RestoreState(FixedPolicy(), data);
  if (!c.ok()) {
    if (!IsDataError(c.status().code())) Bug("state restore failed with a non-data code");
    return;
  }
  const Bytes saved = c->SaveState();
  if (!std::equal(saved.begin(), saved.end(), data.begin(), data.end())) {
    Bug("a restored state does not save to the same bytes");
  }
  auto j = LogClient::RestoreStateJson(FixedPolicy(), c->SaveStateJson());
  if (!j.ok()) Bug("the JSON of a restored state does not restore");
  if (j->SaveState() != saved) Bug("the JSON state differs from the binary one");
}

void CheckStateJson(std::string_view text) {
  auto c = LogClient::RestoreStateJson(FixedPolicy(), text);
  if (!c.ok()) {
    if (!IsDataError(c.status().code())) Bug("JSON state restore failed with a non-data code");
    return;
  }
  auto again = LogClient::RestoreStateJson(FixedPolicy(), c->SaveStateJson());
  if (!again.ok()) Bug("a saved JSON state does not restore");
  if (again->SaveStateJson() != c->SaveStateJson()) Bug("JSON state is not stable");
  auto b = LogClient::RestoreState(FixedPolicy(), c->SaveState());
  if (!b.ok() || b->SaveStateJson() != c->SaveStateJson()) Bug("binary and JSON states differ");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView bytes(data, size);
  CheckQr(bytes);
  CheckState(bytes);
  CheckStateJson(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
