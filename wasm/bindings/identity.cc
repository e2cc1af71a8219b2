// SPDX-License-Identifier: Apache-2.0
// Identities: created from a seed or generated, kept in the handle table
// (their secret keys never leave wasm memory except through exportSeed),
// freed by handle. Slots of each entry point are listed above it
// (wasm/marshal.h has the convention; wasm/package/src/identity.ts is the
// caller).
#include "core/identity/identity.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// Keeps a new identity: num = handle, slot 0 = card JSON, 1 = key id
// (16 bytes).
int PublishIdentity(Output& out, Result<Identity> created) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Identity identity, std::move(created));
  auto owned = std::make_unique<Identity>(std::move(identity));
  const Identity& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Identities().Add(std::move(owned), "identity"));
  out.SetNum(handle);
  out.Set(kSlot0, kept.card().ToJson());
  out.SetView(kSlot1, kept.key_id());
  return Ok();
}

// 0 seed, 1 name, 2 role (regions), 3 created (f64), 4 card keys (u32:
// CardKeys, core checks the value).
int IdentityFromSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis created, args.Millis(3, "created"));
  const SecretBytes seed = SecretBytes::CopyFrom(args.Bytes(0));
  return PublishIdentity(out, Identity::FromSeed(seed, args.Text(1), args.Text(2), created,
                                                 static_cast<CardKeys>(args.U32(4))));
}

// 0 name, 1 role (regions), 2 now (f64), 3 card keys (u32: CardKeys).
int IdentityGenerate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(2, "now"));
  FixedClock clock(now);
  return PublishIdentity(out, Identity::Generate(SystemRng(), clock, args.Text(0), args.Text(1),
                                                 static_cast<CardKeys>(args.U32(3))));
}

// 0 identity (u32). Slot 0 = a view of the 32-byte seed (JS copies it and
// calls _release()).
int IdentityExportSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* identity,
                              Identities().Get(args.U32(0), "identity"));
  out.SetView(kSlot0, RevealSecret(identity->seed()));
  return Ok();
}

// 0 identity (u32).
int IdentityFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Identities().Remove(args.U32(0), "identity"));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_identity) {
  using namespace medseal::wasm;
  emscripten::function("_identityFromSeed", &IdentityFromSeed);
  emscripten::function("_identityGenerate", &IdentityGenerate);
  emscripten::function("_identityExportSeed", &IdentityExportSeed);
  emscripten::function("_identityFree", &IdentityFree);
}
