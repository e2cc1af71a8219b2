// SPDX-License-Identifier: Apache-2.0
// The data files of core/fhir/data/, compiled in by cmake/EmbedData.cmake
// (core/CMakeLists.txt): their bytes, exactly as committed.
#ifndef MEDSEAL_CORE_FHIR_INTERNAL_EMBEDDED_DATA_H_
#define MEDSEAL_CORE_FHIR_INTERNAL_EMBEDDED_DATA_H_

#include <string_view>

namespace medseal::internal {
std::string_view TerminologyJson();  // core/fhir/data/terminology.json
std::string_view SensitivityJson();  // core/fhir/data/sensitivity.json
}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_FHIR_INTERNAL_EMBEDDED_DATA_H_
