// SPDX-License-Identifier: Apache-2.0
#ifndef MEDSEAL_CORE_BASE_INTERNAL_SODIUM_INIT_H_
#define MEDSEAL_CORE_BASE_INTERNAL_SODIUM_INIT_H_

namespace medseal::internal {
// Calls sodium_init() once; aborts if libsodium cannot initialise (a broken
// platform, not bad data).
void EnsureSodium();
}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_BASE_INTERNAL_SODIUM_INIT_H_
