// SPDX-License-Identifier: Apache-2.0
// The keystore and its recovery key (core/keystore/, docs/spec/keystore.md):
// creating, unlocking with each kind of slot, enrolling a passkey, changing
// slots, serializing, and the identities it holds, made in wasm memory from
// its seeds. Unlocked keystores are kept by handle; the master key and the
// items never leave wasm memory except through an explicit item-secret
// export. Passphrases, PRF outputs and recovery texts arrive as regions that
// JS wipes after the call (wasm/package/src/keystore.ts is the caller).
#include "core/keystore/keystore.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/identity.h"
#include "core/keystore/recovery.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<Keystore>& Keystores() {
  static HandleTable<Keystore> table;
  return table;
}

// Slots `first` .. `first + 5` (u32): floor, defaults and cap, each memory
// in KiB then passes.
KdfPolicy PolicyAt(const ArgReader& args, uint32_t first) {
  return KdfPolicy{{args.U32(first), args.U32(first + 1)},
                   {args.U32(first + 2), args.U32(first + 3)},
                   {args.U32(first + 4), args.U32(first + 5)}};
}

KdfParams ParamsAt(const ArgReader& args, uint32_t first) {
  return KdfParams{args.U32(first), args.U32(first + 1)};
}

Result<Keystore*> KeystoreAt(const ArgReader& args, uint32_t slot) {
  return Keystores().Get(args.U32(slot), "keystore");
}

// Keeps an unlocked or new keystore: num = handle, slot 0 = its info JSON,
// slot 1 = its items JSON (no secrets).
int PublishKeystore(Output& out, Result<Keystore> opened) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore ks, std::move(opened));
  auto owned = std::make_unique<Keystore>(std::move(ks));
  const Keystore& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, Keystores().Add(std::move(owned), "keystore"));
  out.SetNum(handle);
  out.Set(kSlot0, KeystoreInfoJson(kept.info()));
  out.Set(kSlot1, kept.ItemsJson());
  return Ok();
}

// Keeps an identity made from a keystore's seed, as identity.cc does:
// num = handle, slot 0 = card JSON, slot 1 = key id.
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

// Slots `first` name, `first + 1` role (regions), `first + 2` created (f64),
// `first + 3` card keys (u32): the identity of `seed`.
int IdentityOfSeed(Output& out, const ArgReader& args, uint32_t first, const SecretBytes& seed) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis created, args.Millis(first + 2, "created"));
  return PublishIdentity(out,
                         Identity::FromSeed(seed, args.Text(first), args.Text(first + 1), created,
                                            static_cast<CardKeys>(args.U32(first + 3))));
}

// 0 identity (u32), 1 item name (region), 2 created (f64), 3-4 the
// keystore's floor (u32 memory KiB, passes). A new keystore holding the
// identity's seed as its current seed, with no slot yet.
int KeystoreCreate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* identity,
                              Identities().Get(args.U32(0), "identity"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis created, args.Millis(2, "created"));
  std::vector<KeystoreItem> items;
  items.push_back(KeystoreItem{ItemType::kIdentitySeed, created, std::string(args.Text(1)),
                               SecretBytes::CopyFrom(RevealSecret(identity->seed()))});
  return PublishKeystore(out, Keystore::Create(std::move(items), ParamsAt(args, 3), SystemRng()));
}

// 0 blob (region). Slot 0 = the info JSON.
int KeystoreInspect(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeystoreInfo info, InspectKeystore(args.Bytes(0)));
  out.Set(kSlot0, KeystoreInfoJson(info));
  return Ok();
}

// 0 blob (region), 1-6 policy. num = 1 if a passphrase slot needs a rehash.
int KeystoreNeedsRehash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, KeystoreInfo info, InspectKeystore(args.Bytes(0)));
  out.SetNum(static_cast<double>(NeedsRehash(info, PolicyAt(args, 1))));
  return Ok();
}

// 0 blob, 1 passphrase (regions), 2-7 policy.
int KeystoreUnlockPassphrase(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishKeystore(
      out, Keystore::UnlockWithPassphrase(args.Bytes(0), args.Bytes(1), PolicyAt(args, 2)));
}

// 0 blob, 1 passphrase, 2 credential id, 3 PRF output (regions), 4-9 policy.
int KeystoreUnlockTwoFactor(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishKeystore(
      out, Keystore::UnlockWithPassphraseAndPasskey(args.Bytes(0), args.Bytes(1), args.Bytes(2),
                                                    args.Bytes(3), PolicyAt(args, 4)));
}

// 0 blob, 1 credential id, 2 PRF output (regions).
int KeystoreUnlockPasskey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishKeystore(out,
                         Keystore::UnlockWithPasskey(args.Bytes(0), args.Bytes(1), args.Bytes(2)));
}

// 0 blob, 1 recovery text (regions).
int KeystoreUnlockRecovery(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishKeystore(out, Keystore::UnlockWithRecoveryKey(args.Bytes(0), args.Bytes(1)));
}

// 0 keystore (u32). Slot 0 = info JSON, slot 1 = items JSON.
int KeystoreDescribe(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Keystore* ks, KeystoreAt(args, 0));
  out.Set(kSlot0, KeystoreInfoJson(ks->info()));
  out.Set(kSlot1, ks->ItemsJson());
  return Ok();
}

// 0 keystore (u32), 1-6 policy. num = 1 if a passphrase slot needs a rehash.
int KeystoreSlotsNeedRehash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Keystore* ks, KeystoreAt(args, 0));
  out.SetNum(static_cast<double>(NeedsRehash(ks->info(), PolicyAt(args, 1))));
  return Ok();
}

// 0 keystore (u32), 1 passphrase (region), 2-3 params, 4-9 policy.
int KeystoreSetPassphrase(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(
      ks->SetPassphrase(args.Bytes(1), ParamsAt(args, 2), SystemRng(), PolicyAt(args, 4)));
}

// 0 keystore (u32), 1 passphrase (region), 2-3 params, 4 credential id,
// 5 PRF salt, 6 first PRF output, 7 second PRF output (regions), 8-13 policy.
int KeystoreEnrollPasskey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(ks->EnrollPasskey(args.Bytes(1), ParamsAt(args, 2), args.Bytes(4),
                                      args.Bytes(5), args.Bytes(6), args.Bytes(7), SystemRng(),
                                      PolicyAt(args, 8)));
}

// 0 keystore (u32), 1 new passphrase (region), 2-3 params, 4 credential id,
// 5 PRF output (regions), 6-11 policy.
int KeystoreChangeTwoFactorPassphrase(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(ks->ChangeTwoFactorPassphrase(args.Bytes(1), ParamsAt(args, 2), args.Bytes(4),
                                                  args.Bytes(5), SystemRng(), PolicyAt(args, 6)));
}

// 0 keystore (u32), 1 credential id, 2 PRF salt, 3 first, 4 second PRF
// output (regions).
int KeystoreAddPasskeyOnly(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(ks->AddPasskeyOnlySlot(args.Bytes(1), args.Bytes(2), args.Bytes(3),
                                           args.Bytes(4), SystemRng()));
}

// 0 keystore (u32). Slot 0 = the recovery text (71 ASCII bytes, a view:
// JS copies it and calls _release()).
int KeystoreSetRecoveryKey(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SecretBytes text, ks->SetRecoveryKey(SystemRng()));
  const SecretBytes& kept = out.Keep(std::move(text));
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// 0 keystore, 1 slot index (u32).
int KeystoreRemoveSlot(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(ks->RemoveSlot(args.U32(1)));
}

// 0 keystore (u32), 1 type (u32, ItemType; core checks the value),
// 2 created (f64), 3 name, 4 secret (regions).
int KeystoreAddItem(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis created, args.Millis(2, "created"));
  return out.Finish(
      ks->AddItem(KeystoreItem{static_cast<ItemType>(args.U32(1)), created,
                               std::string(args.Text(3)), SecretBytes::CopyFrom(args.Bytes(4))}));
}

// 0 keystore, 1 the new identity (u32), 2 name (region), 3 now (f64).
int KeystoreRotate(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* identity,
                              Identities().Get(args.U32(1), "identity"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "now"));
  return out.Finish(ks->RotateIdentitySeed(SecretBytes::CopyFrom(RevealSecret(identity->seed())),
                                           std::string(args.Text(2)), now));
}

// 0 keystore (u32), 1 name, 2 role (regions), 3 created (f64), 4 card keys
// (u32). The identity of the current seed.
int KeystoreIdentity(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Keystore* ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const SecretBytes* seed, ks->current_identity_seed());
  return IdentityOfSeed(out, args, 1, *seed);
}

// 0 keystore, 1 item index (u32), 2 name, 3 role (regions), 4 created
// (f64), 5 card keys (u32). The identity of item `index`'s secret (a
// retired seed, to open records sealed before a rotation).
int KeystoreItemIdentity(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Keystore* ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const KeystoreItem* item, ks->item(args.U32(1)));
  return IdentityOfSeed(out, args, 2, item->secret);
}

// 0 keystore, 1 item index (u32). Slot 0 = a view of the item's secret
// (JS copies it and calls _release()).
int KeystoreItemSecret(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Keystore* ks, KeystoreAt(args, 0));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const KeystoreItem* item, ks->item(args.U32(1)));
  out.SetView(kSlot0, RevealSecret(item->secret));
  return Ok();
}

// 0 keystore (u32). Slot 0 = the blob.
int KeystoreSerialize(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Keystore * ks, KeystoreAt(args, 0));
  return out.Finish(kSlot0, ks->Serialize(SystemRng()));
}

// 0 keystore (u32).
int KeystoreFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Keystores().Remove(args.U32(0), "keystore"));
}

// 0 typed recovery text (region). Slot 0 = two u32 words: the code
// (0 when the text is a well-formed key) and the bad-group mask.
int RecoveryDiagnose(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  RecoveryKeyDiagnosis d = DiagnoseRecoveryKey(args.Bytes(0));
  out.Set(kSlot0, WordBytes({static_cast<uint32_t>(d.code), RecoveryBadGroupMask(d)}));
  return Ok();
}

// 0 one typed group (region), 1 its index (u32). num = 1 if plausible.
int RecoveryGroupCheck(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  out.SetNum(static_cast<double>(RecoveryGroupValid(args.Bytes(0), args.U32(1))));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_keystore) {
  using namespace medseal::wasm;
  emscripten::function("_keystoreCreate", &KeystoreCreate);
  emscripten::function("_keystoreInspect", &KeystoreInspect);
  emscripten::function("_keystoreNeedsRehash", &KeystoreNeedsRehash);
  emscripten::function("_keystoreUnlockPassphrase", &KeystoreUnlockPassphrase);
  emscripten::function("_keystoreUnlockTwoFactor", &KeystoreUnlockTwoFactor);
  emscripten::function("_keystoreUnlockPasskey", &KeystoreUnlockPasskey);
  emscripten::function("_keystoreUnlockRecovery", &KeystoreUnlockRecovery);
  emscripten::function("_keystoreDescribe", &KeystoreDescribe);
  emscripten::function("_keystoreSlotsNeedRehash", &KeystoreSlotsNeedRehash);
  emscripten::function("_keystoreSetPassphrase", &KeystoreSetPassphrase);
  emscripten::function("_keystoreEnrollPasskey", &KeystoreEnrollPasskey);
  emscripten::function("_keystoreChangeTwoFactorPassphrase", &KeystoreChangeTwoFactorPassphrase);
  emscripten::function("_keystoreAddPasskeyOnly", &KeystoreAddPasskeyOnly);
  emscripten::function("_keystoreSetRecoveryKey", &KeystoreSetRecoveryKey);
  emscripten::function("_keystoreRemoveSlot", &KeystoreRemoveSlot);
  emscripten::function("_keystoreAddItem", &KeystoreAddItem);
  emscripten::function("_keystoreRotate", &KeystoreRotate);
  emscripten::function("_keystoreIdentity", &KeystoreIdentity);
  emscripten::function("_keystoreItemIdentity", &KeystoreItemIdentity);
  emscripten::function("_keystoreItemSecret", &KeystoreItemSecret);
  emscripten::function("_keystoreSerialize", &KeystoreSerialize);
  emscripten::function("_keystoreFree", &KeystoreFree);
  emscripten::function("_recoveryDiagnose", &RecoveryDiagnose);
  emscripten::function("_recoveryGroupCheck", &RecoveryGroupCheck);
}
