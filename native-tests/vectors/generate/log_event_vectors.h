// SPDX-License-Identifier: Apache-2.0
// The log event section of the vector generator (docs/spec/log.md §6, §7):
// writes log/event_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_EVENT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_EVENT_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateLogEventVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_EVENT_VECTORS_H_
