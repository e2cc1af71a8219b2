// SPDX-License-Identifier: Apache-2.0
// The log client section of the vector generator (docs/spec/log.md §8):
// writes log/client_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CLIENT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CLIENT_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateClientVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CLIENT_VECTORS_H_
