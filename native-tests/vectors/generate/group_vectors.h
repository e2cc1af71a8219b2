// SPDX-License-Identifier: Apache-2.0
// The key-chain and care-team group section of the vector generator
// (docs/spec/group.md): writes group/group_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_GROUP_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_GROUP_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateGroupVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_GROUP_VECTORS_H_
