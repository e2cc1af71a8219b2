// SPDX-License-Identifier: Apache-2.0
// Argon2id (core/crypto/argon2.h) for the package: wasm/package/src/argon2.ts
// is the caller. The password arrives as a region that JS wipes after the
// call; the derived key is kept in a SecretBytes until JS has copied it out
// and called _release(), which wipes it. Core checks every argument.
#include "core/crypto/argon2.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <utility>

#include "core/base/secret.h"
#include "core/base/status.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// 0 password, 1 salt (regions), 2 passes, 3 memory in KiB, 4 output length
// (u32). Slot 0 = the derived key.
int Argon2idDerive(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, SecretBytes key,
      Argon2id(args.Bytes(0), args.Bytes(1), args.U32(2), args.U32(3), args.U32(4)));
  const SecretBytes& kept = out.Keep(std::move(key));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_argon2) {
  using namespace medseal::wasm;
  emscripten::function("_argon2id", &Argon2idDerive);
}
