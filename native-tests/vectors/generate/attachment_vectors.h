// SPDX-License-Identifier: Apache-2.0
// The attachment section of the vector generator (docs/spec/attachment.md
// §10): writes attachment/attachment_v1.json below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ATTACHMENT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ATTACHMENT_VECTORS_H_

#include <string>

namespace medseal::testing {

void GenerateAttachmentVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_ATTACHMENT_VECTORS_H_
