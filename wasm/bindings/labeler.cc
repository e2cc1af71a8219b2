// SPDX-License-Identifier: Apache-2.0
// Sensitivity labels (core/fhir/labeler.h) for the package: one entry point
// that labels a resource or each entry of a Bundle with the labeler compiled
// into core (wasm/package/src/labeler.ts is the caller).
#include "core/fhir/labeler.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/base/status.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// 0 FHIR JSON text, UTF-8 (region). Slot 0 = the results as JSON text
// (fhir::LabelResultsToJson).
int LabelResource(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<fhir::LabelResult> results,
                              fhir::Labeler::Shipped().LabelAll(args.Text(0)));
  out.Set(kSlot0, fhir::LabelResultsToJson(results));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_labeler) {
  using namespace medseal::wasm;
  emscripten::function("_labelResource", &LabelResource);
}
