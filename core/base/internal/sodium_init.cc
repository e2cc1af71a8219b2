// SPDX-License-Identifier: Apache-2.0
#include "core/base/internal/sodium_init.h"

#include <sodium.h>

#include "core/base/status.h"

namespace medseal::internal {
void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  MEDSEAL_CHECK(ok);
}
}  // namespace medseal::internal
