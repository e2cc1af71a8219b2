// SPDX-License-Identifier: Apache-2.0
// The tlog-tiles section of the vector generator (docs/spec/log.md §3):
// writes log/tiles_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_TILES_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_TILES_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateLogTilesVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_TILES_VECTORS_H_
