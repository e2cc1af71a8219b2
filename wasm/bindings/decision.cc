// SPDX-License-Identifier: Apache-2.0
// Consent decisions: a patient's consents compiled once into a ConsentSet
// kept by handle, evaluated and explained as often as needed
// (wasm/package/src/decision.ts is the caller). Requests, questions and
// answers cross as UTF-8 JSON in regions; core/consent/request.h reads and
// writes them with every rule.
#include "core/consent/decision.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/consent/request.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<consent::ConsentSet>& ConsentSets() {
  static HandleTable<consent::ConsentSet> table;
  return table;
}

// 0 the consents' JSON texts back to back (region), 1 their byte lengths
// (region of u32 words). num = the set's handle.
int ConsentSetCompile(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::ConsentSet set,
                              consent::CompileConsentTexts(args.Text(0), args.Words(1)));
  auto owned = std::make_unique<consent::ConsentSet>(std::move(set));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              ConsentSets().Add(std::move(owned), "consentSet"));
  out.SetNum(handle);
  return Ok();
}

// 0 set (u32), 1 request JSON (region), 2 now (f64). Slot 0 = the decision
// JSON.
int ConsentSetEvaluate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const consent::ConsentSet* set,
                              ConsentSets().Get(args.U32(0), "consentSet"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(2, "now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json,
                              consent::EvaluateJson(*set, args.Text(1), now));
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 set (u32), 1 question JSON (region), 2 now (f64). Slot 0 = the answer
// JSON.
int ConsentSetExplain(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const consent::ConsentSet* set,
                              ConsentSets().Get(args.U32(0), "consentSet"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(2, "now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, consent::ExplainJson(*set, args.Text(1), now));
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 set (u32).
int ConsentSetFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(ConsentSets().Remove(args.U32(0), "consentSet"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_decision) {
  using namespace medseal::wasm;
  emscripten::function("_consentSetCompile", &ConsentSetCompile);
  emscripten::function("_consentSetEvaluate", &ConsentSetEvaluate);
  emscripten::function("_consentSetExplain", &ConsentSetExplain);
  emscripten::function("_consentSetFree", &ConsentSetFree);
}
