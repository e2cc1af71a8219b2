// SPDX-License-Identifier: Apache-2.0
// The testing module only (medseal_core_testing.wasm, the package's
// medseal/testing export): known-answer helpers that production code must
// not reach. Core's deterministic ChaChaRng by handle, sealing with one,
// XChaCha20-Poly1305 with caller-chosen nonces, and the number of live
// objects per handle table for leak tests. medseal_core.wasm is linked
// without this file, so it contains none of it.
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "core/base/random.h"
#include "core/base/status.h"
#include "core/crypto/aead.h"
#include "wasm/bindings/pq.h"
#include "wasm/bindings/record.h"
#include "wasm/bindings/share.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

// The testing module's ABI marker, beside medseal_abi (module.cc):
// medseal/testing refuses a module without it.
__asm__(".section .custom_section.medseal_testing_abi,\"\",@\n.ascii \"2\"\n.text\n");

namespace medseal::wasm {
namespace {

HandleTable<ChaChaRng> g_rngs;

// 0 seed (region, 32 bytes). num = handle.
int RngCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng rng, ChaChaRng::Create(args.Bytes(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle,
      g_rngs.Add(std::make_unique<ChaChaRng>(std::move(rng)), "DeterministicRng"));
  out.SetNum(handle);
  return Ok();
}

// 0 rng (u32), 1 size (u32). Slot 0 = the next `size` bytes (one Fill).
int RngFill(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng * rng, g_rngs.Get(args.U32(0), "DeterministicRng"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint8_t * bytes, out.Reserve(kSlot0, args.U32(1)));
  rng->Fill(bytes, args.U32(1));
  return Ok();
}

// 0 rng (u32).
int RngFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(g_rngs.Remove(args.U32(0), "DeterministicRng"));
}

// The slots of _sealRecord (wasm/bindings/record.h), then 8 rng (u32).
int SealRecordWithRng(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng * rng, g_rngs.Get(args.U32(8), "options.rng"));
  return SealRecordWith(out, args, *rng);
}

// The slots of _sealRecordV2 (wasm/bindings/record.h), then 10 rng (u32).
int SealRecordV2WithRng(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng * rng, g_rngs.Get(args.U32(10), "options.rng"));
  return SealRecordV2With(out, args, *rng);
}

// The slots of _share (wasm/bindings/share.h), then 5 rng (u32).
int ShareWithRng(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng * rng, g_rngs.Get(args.U32(5), "options.rng"));
  return ShareWith(out, args, *rng);
}

// The slots of _resealAsIdentity (wasm/bindings/share.h), then 7 rng (u32).
int ResealAsIdentityWithRng(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, ChaChaRng * rng, g_rngs.Get(args.U32(7), "options.rng"));
  return ResealAsIdentityWith(out, args, *rng);
}

// 0 key, 1 nonce, 2 aad, 3 input (regions), 4 output (region: input + 16
// bytes when sealing, input - 16 when opening, written in place). No
// output slot: JS copies the output region.
int XChachaSeal(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(XChaCha20Poly1305Seal(args.Bytes(0), args.Bytes(1), args.Bytes(2),
                                          args.Bytes(3), args.Writable(4)));
}

int XChachaOpen(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(XChaCha20Poly1305Open(args.Bytes(0), args.Bytes(1), args.Bytes(2),
                                          args.Bytes(3), args.Writable(4)));
}

// No arguments. Slot 0 = live identities, cards, RNGs, vault keys, ML-KEM-768
// key pairs and X-Wing private keys (six u32).
int LiveHandles() {
  Output& out = BeginCall();
  out.Set(
      kSlot0,
      WordBytes({static_cast<uint32_t>(Identities().size()), static_cast<uint32_t>(Cards().size()),
                 static_cast<uint32_t>(g_rngs.size()), static_cast<uint32_t>(VaultKeys().size()),
                 static_cast<uint32_t>(MlKemKeys().size()),
                 static_cast<uint32_t>(XWingKeys().size())}));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_testing) {
  using namespace medseal::wasm;
  emscripten::function("_rngCreate", &RngCreate);
  emscripten::function("_rngFill", &RngFill);
  emscripten::function("_rngFree", &RngFree);
  emscripten::function("_sealRecordWithRng", &SealRecordWithRng);
  emscripten::function("_sealRecordV2WithRng", &SealRecordV2WithRng);
  emscripten::function("_shareWithRng", &ShareWithRng);
  emscripten::function("_resealAsIdentityWithRng", &ResealAsIdentityWithRng);
  emscripten::function("_xchachaSeal", &XChachaSeal);
  emscripten::function("_xchachaOpen", &XChachaOpen);
  emscripten::function("_liveHandles", &LiveHandles);
}
