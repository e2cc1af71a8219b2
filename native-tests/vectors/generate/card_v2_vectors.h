// SPDX-License-Identifier: Apache-2.0
// The version 2 card section of the vector generator (docs/spec/record.md
// §6, rules E1-E17): writes identity/card_v2.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CARD_V2_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CARD_V2_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateCardV2Vectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CARD_V2_VECTORS_H_
