// SPDX-License-Identifier: Apache-2.0
// FHIR Consent: read (R4, R5 or detected) and written again in either
// version by core (core/fhir/consent_resource.h, ConvertConsent;
// docs/spec/fhir-consent.md). wasm/package/src/consent.ts is the caller.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/fhir/consent_resource.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// 0 consent JSON (region), 1 from (u32: 0 detect, 4, 5), 2 to (u32: 0 same,
// 4, 5). Slot 0 = the consent written in `to` (JSON text), 1 = the
// unsupported paths (a JSON array of strings), 2 = the version read ("R4" /
// "R5"), 3 = the version written.
int ConsentConvert(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, fhir::ConvertedConsent converted,
                              fhir::ConvertConsent(args.Text(0), args.U32(1), args.U32(2)));
  out.Set(kSlot0, std::move(converted.json));
  out.Set(kSlot1, std::move(converted.unsupported_paths_json));
  out.Set(kSlot2, std::string(fhir::FhirVersionName(converted.from)));
  out.Set(kSlot3, std::string(fhir::FhirVersionName(converted.to)));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_consent) {
  using namespace medseal::wasm;
  emscripten::function("_consentConvert", &ConsentConvert);
}
