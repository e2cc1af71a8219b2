// SPDX-License-Identifier: Apache-2.0
// The consent sharing/erasure sections of the vector generator
// (docs/spec/share.md §7): each writes one file below `dir`.
#ifndef MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CONSENT_VECTORS_H_
#define MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CONSENT_VECTORS_H_

#include <string>

namespace medseal::testing {

// consent/erasure_v1.json: erasure receipts (valid, one case per reject
// rule, verification results), vault storage (valid, reject cases) and one
// erasure scenario (vault before, sealed self-copy, receipt, vault after).
void GenerateErasureVectors(const std::string& dir);
// consent/share_v1.json: signed consents, Share results (labels, decisions,
// recipients, bound consent hashes, the sealed records), withdrawals (the
// new signed versions) and a Reseal after a withdrawal.
void GenerateShareVectors(const std::string& dir);

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_VECTORS_GENERATE_CONSENT_VECTORS_H_
