// SPDX-License-Identifier: Apache-2.0
// The post-quantum record section of the vector generator
// (docs/spec/record.md §11): writes record/record_v2_pq.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_RECORD_PQ_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_RECORD_PQ_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateRecordPqVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_RECORD_PQ_VECTORS_H_
