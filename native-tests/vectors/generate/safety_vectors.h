// SPDX-License-Identifier: Apache-2.0
// The safety-number section of the vector generator (docs/spec/log.md §10):
// writes log/safety_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_SAFETY_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_SAFETY_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateSafetyVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_SAFETY_VECTORS_H_
