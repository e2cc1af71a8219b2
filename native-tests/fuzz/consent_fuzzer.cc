// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the FHIR Consent reader and writer
// (core/fhir/consent_resource.h, docs/spec/fhir-consent.md). Seeded from the
// HL7 R4 / R5 and IHE examples (scripts/run-fuzzers.sh).
//
// For every input, read as R4, as R5 and with detection: a failure must carry
// one of the reader's codes. A consent that parses (version v) must
//   1. write in v, and read back to the same model with no unsupported path;
//   2. write in the other version w, read back in w with no unsupported path
//      (the reader models every extension the writer emits), and that model
//      written in v must give the same text as 1 (v -> w -> v is lossless).
// The write in w may only fail for a documented limit of w (kInvalidArgument:
// more cross-version extensions than kMaxConsentListEntries; kTooLarge).
// Any violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/fhir/consent_resource.h"

namespace {

using namespace medseal;
using namespace medseal::fhir;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "consent_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsReaderError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTooDeep: return true;
    default: return false;
  }
}

void Check(std::string_view text, FhirVersion v, bool detect) {
  auto parsed = detect ? ParseConsentAnyVersion(text) : ParseConsent(text, v);
  if (!parsed.ok()) {
    if (!IsReaderError(parsed.status().code())) Bug("parse failed with a non-reader error code");
    return;
  }
  v = parsed->version;
  const Consent& model = parsed->consent;

  auto same = WriteConsentText(model, v);
  if (!same.ok()) Bug("an accepted consent does not write in its own version");
  auto again = ParseConsent(*same, v);
  if (!again.ok()) Bug("a written consent does not parse");
  if (!again->unsupported_paths.empty()) Bug("a written consent has unsupported paths");
  if (!(again->consent == model)) Bug("same-version round trip changed the model");
  auto json = WriteConsent(model, v);
  if (!json.ok() || Json::parse(*same, nullptr, false) != *json) {
    Bug("WriteConsent and WriteConsentText disagree");
  }

  const FhirVersion w = v == FhirVersion::kR4 ? FhirVersion::kR5 : FhirVersion::kR4;
  auto other = WriteConsentText(model, w);
  if (!other.ok()) {
    const ErrorCode c = other.status().code();
    if (c != ErrorCode::kInvalidArgument && c != ErrorCode::kTooLarge) {
      Bug("cross-version write failed with an unexpected code");
    }
    return;
  }
  auto other_parsed = ParseConsent(*other, w);
  if (!other_parsed.ok()) Bug("a consent written in the other version does not parse");
  if (!other_parsed->unsupported_paths.empty()) {
    Bug("the reader does not model an extension the writer emitted");
  }
  auto back = WriteConsentText(other_parsed->consent, v);
  if (!back.ok()) Bug("a consent read from the other version does not write back");
  if (*back != *same) Bug("v -> w -> v changed the consent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Check(text, FhirVersion::kR4, false);
  Check(text, FhirVersion::kR5, false);
  Check(text, FhirVersion::kR4, true);
  return 0;
}
