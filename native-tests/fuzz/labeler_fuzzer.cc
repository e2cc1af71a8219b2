// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the sensitivity labeler and the FHIR data readers
// (core/fhir/labeler.h, core/fhir/terminology.h).
//
// For every input:
//   - Labeler::Shipped().LabelAll: a failure must carry kMalformed,
//     kTooLarge or kTooDeep. A success must be well formed: confidentiality
//     N, R or V; labels sorted by (system, code) without duplicates; every
//     reason with a rule and a path (meta.security reasons without a matched
//     code, the others with one); and labeling the parsed document again
//     (Json route) gives the same results.
//   - Terminology::FromJson and Labeler::FromJson: failures carry
//     kMalformed or kTooLarge; a terminology that parses answers Subsumes
//     for every pair of its codes (a cycle must not loop), and Subsumes(x, x)
//     holds for every code it defines.
// Any violation aborts. Seeds: the HL7 R4 examples and the resources of
// native-tests/vectors/fhir/labels_synthea.json (scripts/run-fuzzers.sh).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/codec/json.h"
#include "core/fhir/labeler.h"
#include "core/fhir/terminology.h"

namespace {

using namespace medseal;
using namespace medseal::fhir;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "labeler_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool Same(const std::vector<LabelResult>& a, const std::vector<LabelResult>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].resource_type != b[i].resource_type || a[i].resource_id != b[i].resource_id ||
        a[i].labels != b[i].labels || a[i].confidentiality != b[i].confidentiality ||
        a[i].reasons != b[i].reasons || a[i].suppressed != b[i].suppressed) {
      return false;
    }
  }
  return true;
}

void CheckResult(const LabelResult& r) {
  if (r.confidentiality != "N" && r.confidentiality != "R" && r.confidentiality != "V") {
    Bug("confidentiality is not N, R or V");
  }
  if (r.resource_type.empty()) Bug("a result without resource type");
  for (size_t i = 1; i < r.labels.size(); ++i) {
    const Coding& a = r.labels[i - 1];
    const Coding& b = r.labels[i];
    if (!(a.system < b.system || (a.system == b.system && a.code < b.code))) {
      Bug("labels not sorted or not unique");
    }
  }
  for (const LabelReason& reason : r.reasons) {
    if (reason.rule.empty() || reason.path.empty()) Bug("a reason without rule or path");
    if (reason.label.code.empty()) Bug("a reason without label");
    const bool meta = reason.rule == kRuleMetaSecurity;
    if (meta != reason.matched.code.empty()) Bug("a reason's matched code is wrong");
  }
  if (r.confidentiality == "N") {
    for (const LabelReason& reason : r.reasons) {
      if (reason.rule == kRuleConfidentiality) Bug("a confidentiality reason for N");
    }
  }
}

bool IsDataError(ErrorCode code) {
  return code == ErrorCode::kMalformed || code == ErrorCode::kTooLarge;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto results = Labeler::Shipped().LabelAll(text);
  if (!results.ok()) {
    const ErrorCode code = results.status().code();
    if (!IsDataError(code) && code != ErrorCode::kTooDeep) Bug("LabelAll failed with another code");
  } else {
    for (const LabelResult& r : *results) CheckResult(r);
    auto parsed = ParseJsonObject(text, kMaxResourceJsonBytes);
    if (!parsed.ok()) Bug("LabelAll accepted text the JSON reader rejects");
    auto again = Labeler::Shipped().LabelAll(*parsed);
    if (!again.ok() || !Same(*results, *again)) Bug("the Json route differs from the text route");
  }

  auto terminology = Terminology::FromJson(text);
  if (!terminology.ok()) {
    if (!IsDataError(terminology.status().code())) Bug("Terminology::FromJson: another code");
  } else {
    // Every code the input names, in every system it names (bounded by the
    // input's size).
    auto doc = ParseJsonObject(text, kMaxTerminologyJsonBytes);
    if (!doc.ok()) Bug("Terminology::FromJson accepted text the JSON reader rejects");
    for (auto sys = (*doc)["systems"].begin(); sys != (*doc)["systems"].end(); ++sys) {
      const Json& concepts = (*sys)["concepts"];
      for (auto a = concepts.begin(); a != concepts.end(); ++a) {
        if (!terminology->Defines(sys.key(), a.key())) Bug("a concept it read is not defined");
        if (!terminology->Subsumes(sys.key(), a.key(), a.key())) Bug("x does not subsume x");
        for (auto b = concepts.begin(); b != concepts.end(); ++b) {
          (void)terminology->Subsumes(sys.key(), a.key(), b.key());
        }
      }
    }
  }

  auto labeler = Labeler::FromJson(text);
  if (!labeler.ok() && !IsDataError(labeler.status().code())) {
    Bug("Labeler::FromJson: another code");
  }
  return 0;
}
