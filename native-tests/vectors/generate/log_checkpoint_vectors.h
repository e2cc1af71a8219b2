// SPDX-License-Identifier: Apache-2.0
// The checkpoint section of the vector generator (docs/spec/log.md §5, rules
// C1-C7, W1-W3, P0-P6): writes log/checkpoint_v1.json below `dir`: medseal
// checkpoints signed by a test log key and cosigned by test witnesses at
// fixed times, each verified under a named policy with its expected code.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_CHECKPOINT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_CHECKPOINT_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateLogCheckpointVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_LOG_CHECKPOINT_VECTORS_H_
