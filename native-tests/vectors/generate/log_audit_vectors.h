// SPDX-License-Identifier: Apache-2.0
// The FHIR AuditEvent section of the vector generator (docs/spec/log.md
// §11): writes log/audit_event_v1.json below `dir` (signed events of every
// type with their exact AuditEvent export, rewrites an import accepts, and
// edits it rejects with the rule and code).
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_AUDIT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_AUDIT_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateLogAuditVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_AUDIT_VECTORS_H_
