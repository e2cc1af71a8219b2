// SPDX-License-Identifier: Apache-2.0
// The post-quantum KEMs on their own: ML-KEM-768 (core/crypto/mlkem.h) and
// X-Wing (core/crypto/xwing.h). Key pairs live in handle tables (their
// secret keys leave wasm memory only through the export entry points);
// shared secrets are published as views of a kept value, which JS copies
// and then wipes with _release(). Encapsulation draws from the platform
// CSPRNG only: the derandomised forms stay in core (known answers are
// checked natively). Slots of each entry point are listed above it
// (wasm/marshal.h has the convention; wasm/package/src/pq.ts is the caller).
#include "wasm/bindings/pq.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <utility>

#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

HandleTable<MlKem768KeyPair>& MlKemKeys() {
  static HandleTable<MlKem768KeyPair> table;
  return table;
}
HandleTable<XWingPrivateKey>& XWingKeys() {
  static HandleTable<XWingPrivateKey> table;
  return table;
}

namespace {

// ---- ML-KEM-768 -------------------------------------------------------------

// Keeps a new key pair: num = handle, slot 0 = a view of the 1184-byte
// encapsulation key.
int PublishMlKemKeyPair(Output& out, Result<MlKem768KeyPair> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, MlKem768KeyPair pair, std::move(made));
  auto owned = std::make_unique<MlKem768KeyPair>(std::move(pair));
  const MlKem768KeyPair& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              MlKemKeys().Add(std::move(owned), "mlkemKeyPair"));
  out.SetNum(handle);
  out.SetView(kSlot0, kept.public_key);
  return Ok();
}

// 0 seed d || z (region, 64 bytes; JS wipes the block after the call).
int MlKemKeyPairFromSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishMlKemKeyPair(out, MlKem768KeyPairFromSeed(args.Bytes(0)));
}

// No arguments. A fresh key pair from the platform CSPRNG.
int MlKemGenerate() {
  Output& out = BeginCall();
  return PublishMlKemKeyPair(out, MlKem768Generate(SystemRng()));
}

// 0 key pair (u32). Slot 0 = a view of the 2400-byte decapsulation key (JS
// copies it and calls _release()).
int MlKemExportSecretKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const MlKem768KeyPair* pair,
                              MlKemKeys().Get(args.U32(0), "mlkemKeyPair"));
  out.SetView(kSlot0, RevealSecret(pair->secret_key));
  return Ok();
}

// 0 key pair (u32).
int MlKemFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(MlKemKeys().Remove(args.U32(0), "mlkemKeyPair"));
}

// Keeps an encapsulation: slot 0 = a view of the ciphertext, 1 = a view of
// the 32-byte shared secret (JS copies both and calls _release()).
int PublishEncapsulation(Output& out, Bytes&& ciphertext, SecretBytes&& shared_secret) {
  const SecretBytes& secret = out.Keep(std::move(shared_secret));
  out.Set(kSlot0, std::move(ciphertext));
  out.SetView(kSlot1, RevealSecret(secret));
  return Ok();
}

// 0 encapsulation key (region, 1184 bytes). Results as PublishEncapsulation.
int MlKemEncapsulate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, MlKem768Encapsulation e,
                              MlKem768Encapsulate(args.Bytes(0), SystemRng()));
  return PublishEncapsulation(out, std::move(e.ciphertext), std::move(e.shared_secret));
}

// Keeps a decapsulated secret: slot 0 = a view of its 32 bytes (JS copies
// it and calls _release()).
int PublishSecret(Output& out, Result<SecretBytes> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes secret, std::move(made));
  out.SetView(kSlot0, RevealSecret(out.Keep(std::move(secret))));
  return Ok();
}

// 0 key pair (u32); 1 ciphertext (region, 1088 bytes).
int MlKemDecapsulate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const MlKem768KeyPair* pair,
                              MlKemKeys().Get(args.U32(0), "mlkemKeyPair"));
  return PublishSecret(out, MlKem768Decapsulate(RevealSecret(pair->secret_key), args.Bytes(1)));
}

// 0 decapsulation key (region, 2400 bytes: a key stored in FIPS 203's
// expanded form; JS wipes the block), 1 ciphertext (region, 1088 bytes).
int MlKemDecapsulateWithSecretKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishSecret(out, MlKem768Decapsulate(args.Bytes(0), args.Bytes(1)));
}

// ---- X-Wing -----------------------------------------------------------------

// Keeps a new private key: num = handle, slot 0 = a view of the 1216-byte
// public key.
int PublishXWingKey(Output& out, Result<XWingPrivateKey> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, XWingPrivateKey key, std::move(made));
  auto owned = std::make_unique<XWingPrivateKey>(std::move(key));
  const XWingPrivateKey& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle,
                              XWingKeys().Add(std::move(owned), "xwingPrivateKey"));
  out.SetNum(handle);
  out.SetView(kSlot0, kept.public_key());
  return Ok();
}

// 0 seed (region, 32 bytes; JS wipes the block after the call).
int XWingFromSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishXWingKey(out, XWingPrivateKey::FromSeed(args.Bytes(0)));
}

// No arguments. A fresh key from the platform CSPRNG.
int XWingGenerate() {
  Output& out = BeginCall();
  return PublishXWingKey(out, XWingPrivateKey::Generate(SystemRng()));
}

// 0 private key (u32). Slot 0 = a view of the 32-byte seed (JS copies it
// and calls _release()).
int XWingExportSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const XWingPrivateKey* key,
                              XWingKeys().Get(args.U32(0), "xwingPrivateKey"));
  out.SetView(kSlot0, RevealSecret(key->seed()));
  return Ok();
}

// 0 private key (u32).
int XWingFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(XWingKeys().Remove(args.U32(0), "xwingPrivateKey"));
}

// 0 seed (region, 32 bytes). Slot 0 = the 1216-byte public key.
int XWingPublicKeyOfSeed(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(kSlot0, XWingPublicKey(args.Bytes(0)));
}

// 0 public key (region, 1216 bytes). Results as PublishEncapsulation.
int XWingEncapsulateEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, XWingEncapsulation e,
                              XWingEncapsulate(args.Bytes(0), SystemRng()));
  return PublishEncapsulation(out, std::move(e.ciphertext), std::move(e.shared_secret));
}

// 0 private key (u32); 1 ciphertext (region, 1120 bytes). Results as
// PublishSecret.
int XWingDecapsulate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const XWingPrivateKey* key,
                              XWingKeys().Get(args.U32(0), "xwingPrivateKey"));
  return PublishSecret(out, key->Decapsulate(args.Bytes(1)));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_pq) {
  using namespace medseal::wasm;
  emscripten::function("_mlkemKeyPairFromSeed", &MlKemKeyPairFromSeed);
  emscripten::function("_mlkemGenerate", &MlKemGenerate);
  emscripten::function("_mlkemExportSecretKey", &MlKemExportSecretKey);
  emscripten::function("_mlkemFree", &MlKemFree);
  emscripten::function("_mlkemEncapsulate", &MlKemEncapsulate);
  emscripten::function("_mlkemDecapsulate", &MlKemDecapsulate);
  emscripten::function("_mlkemDecapsulateWithSecretKey", &MlKemDecapsulateWithSecretKey);
  emscripten::function("_xwingFromSeed", &XWingFromSeed);
  emscripten::function("_xwingGenerate", &XWingGenerate);
  emscripten::function("_xwingExportSeed", &XWingExportSeed);
  emscripten::function("_xwingFree", &XWingFree);
  emscripten::function("_xwingPublicKey", &XWingPublicKeyOfSeed);
  emscripten::function("_xwingEncapsulate", &XWingEncapsulateEntry);
  emscripten::function("_xwingDecapsulate", &XWingDecapsulate);
}
