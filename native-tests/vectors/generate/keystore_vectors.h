// SPDX-License-Identifier: Apache-2.0
// The keystore section of the vector generator (docs/spec/keystore.md):
// writes keystore/keystore_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_KEYSTORE_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_KEYSTORE_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateKeystoreVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_KEYSTORE_VECTORS_H_
