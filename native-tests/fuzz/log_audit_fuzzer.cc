// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the FHIR AuditEvent import of signed log events
// (tlog::ImportAuditEvent, core/log/audit_event.h; docs/spec/log.md §11.4).
//
// For every input: ImportAuditEvent. A failure must carry a data error code
// (never kInternal, kInvalidArgument or a JS-only code). An AuditEvent that
// imports must re-export: ExportAuditEvent of the imported event succeeds,
// that export imports back to the same signed event, and exporting again
// gives the same bytes. Any violation aborts. Seeds (scripts/run-fuzzers.sh):
// the exports, accepted rewrites and rejected edits of
// log/audit_event_v1.json and the HL7 and IHE AuditEvent examples.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/log/audit_event.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "log_audit_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsDataError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInternal:
    case ErrorCode::kDisposed:
    case ErrorCode::kDetachedBuffer: return false;
    default: return true;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = tlog::ImportAuditEvent(text);
  if (!r.ok()) {
    if (!IsDataError(r.status().code())) Bug("import failed with a non-data error code");
    return 0;
  }
  auto exported = tlog::ExportAuditEvent(*r);
  if (!exported.ok()) Bug("an imported event has no export");
  auto again = tlog::ImportAuditEvent(*exported);
  if (!again.ok()) Bug("the export of an imported event does not import");
  if (!(again->event == r->event) || again->encoded != r->encoded ||
      again->signature != r->signature) {
    Bug("export and import do not round-trip");
  }
  auto exported2 = tlog::ExportAuditEvent(*again);
  if (!exported2.ok() || *exported2 != *exported) Bug("the export is not stable");
  return 0;
}
