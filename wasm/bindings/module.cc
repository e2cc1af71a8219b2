// SPDX-License-Identifier: Apache-2.0
// The module's own entry points: the output area, the scratch region and
// _release(), plus the ABI marker that the JS loader looks for
// before it instantiates a module (wasm/package/src/loading.ts).
#include <emscripten/bind.h>

#include <cstdint>

#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

// The ABI marker: a wasm custom section "medseal_abi" holding "2", the
// calling convention the module speaks (argument blocks, wasm/marshal.h).
// The loader reads it with WebAssembly.Module.customSections() before it
// instantiates a module, so that init({ wasmBinary }) refuses a module that
// is not this one (wasm/package/src/loading.ts). Bump the number whenever an
// entry point's slots or outputs change. (Written in assembly: clang 14 has
// no attribute that makes a custom section.)
__asm__(".section .custom_section.medseal_abi,\"\",@\n.ascii \"2\"\n.text\n");

namespace medseal::wasm {
namespace {

uint32_t OutAreaAddress() { return HeapAddress(Out().area()); }

// Address of a scratch region of at least `size` bytes, 0 if the heap
// cannot hold it.
uint32_t ScratchEnsure(uint32_t size) { return ScratchRegion().Ensure(size); }

// libsodium needs no start-up call: core initialises it on first use.

// Wipes and drops the last call's results (JS calls it right after copying
// a secret result out).
void Release() { Out().Reset(); }

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_module) {
  using namespace medseal::wasm;
  emscripten::function("_outArea", &OutAreaAddress);
  emscripten::function("_scratch", &ScratchEnsure);
  emscripten::function("_release", &Release);
}
