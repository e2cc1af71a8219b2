// SPDX-License-Identifier: Apache-2.0
// Consent-gated sharing, withdrawal, re-sealing and the erasure vault
// (core/consent/share.h, withdraw.h, vault.h; wasm/package/src/share.ts is
// the caller). Requests and results cross as JSON text in regions; every
// rule is core's. Vaults live in their own handle table: their keys never
// leave wasm memory except through _vaultSerialize.
#include "wasm/bindings/share.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/consent/share.h"
#include "core/consent/vault.h"
#include "core/consent/withdraw.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/payload.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

HandleTable<consent::Vault>& Vaults() {
  static HandleTable<consent::Vault> table;
  return table;
}

int PublishText(Output& out, Result<std::string> text) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string t, std::move(text));
  out.Set(kSlot0, std::move(t));
  return Ok();
}

int ShareIntoVault(Output& out, const ArgReader& args, Rng& rng, consent::Vault* vault) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "candidates"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(4, "options.now"));
  FixedClock clock(now);
  return PublishText(
      out, consent::ShareFromJson(*sender, args.Text(2), args.Text(3), cards, vault, rng, clock));
}

int ResealWith(Output& out, const ArgReader& args, Rng& rng, const consent::ResealOpener& opener,
               consent::Vault* vault) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "candidates"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(4, "options.now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* original,
                              Cards().Get(args.U32(5), "originalSender"));
  FixedClock clock(now);
  return PublishText(out, consent::ResealFromJson(*sender, args.Text(2), *original, opener,
                                                  args.Text(3), cards, vault, rng, clock));
}

}  // namespace

int ShareWith(Output& out, const ArgReader& args, Rng& rng) {
  return ShareIntoVault(out, args, rng, nullptr);
}

int ResealAsIdentityWith(Output& out, const ArgReader& args, Rng& rng) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* opener, Identities().Get(args.U32(6), "opener"));
  return ResealWith(out, args, rng, consent::ResealOpener{nullptr, opener}, nullptr);
}

namespace {

int ShareEntry(uint32_t address) {
  Output& out = BeginCall();
  return ShareWith(out, ArgReader(address), SystemRng());
}

// The slots of _share, then 5 vault (u32): self-copies into the vault.
int ShareToVaultEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault,
                              Vaults().Get(args.U32(5), "options.vault"));
  return ShareIntoVault(out, args, SystemRng(), vault);
}

int ResealAsIdentityEntry(uint32_t address) {
  Output& out = BeginCall();
  return ResealAsIdentityWith(out, ArgReader(address), SystemRng());
}

// The slots of _resealAsIdentity, but 6 = vault (u32): opened with the
// vault's self-copy keys, new self-copies into the same vault.
int ResealFromVaultEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault, Vaults().Get(args.U32(6), "opener"));
  return ResealWith(out, args, SystemRng(), consent::ResealOpener{vault, nullptr}, vault);
}

// 0 patient identity (u32); 1 current receipt JSON, 2 withdrawal JSON
// (regions); 3 now (f64). Slot 0 = the new receipt's JSON.
int WithdrawEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* patient,
                              Identities().Get(args.U32(0), "patient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "options.now"));
  FixedClock clock(now);
  return PublishText(out, consent::WithdrawFromJson(*patient, args.Text(1), args.Text(2), clock));
}

int PublishVault(Output& out, Result<consent::Vault> vault) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault v, std::move(vault));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, uint32_t handle, Vaults().Add(std::make_unique<consent::Vault>(std::move(v)), "vault"));
  out.SetNum(handle);
  return Ok();
}

// No slots. num = the new (empty) vault's handle.
int VaultCreateEntry(uint32_t address) {
  Output& out = BeginCall();
  static_cast<void>(address);
  return PublishVault(out, consent::Vault());
}

// 0 stored vault (region). num = handle.
int VaultParseEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishVault(out, consent::Vault::Parse(args.Bytes(0)));
}

// 0 vault (u32). Slot 0 = a view of the stored form (secret: JS copies it
// and calls _release(), which wipes it).
int VaultSerializeEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault, Vaults().Get(args.U32(0), "vault"));
  const SecretBytes& kept = out.Keep(vault->Serialize());
  out.SetView(kSlot0, RevealSecret(kept));
  return Ok();
}

// 0 vault (u32). Slot 0 = WriteVaultEntriesJson.
int VaultEntriesEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault, Vaults().Get(args.U32(0), "vault"));
  out.Set(kSlot0, consent::WriteVaultEntriesJson(*vault));
  return Ok();
}

// 0 vault, 1 patient identity (u32); 2 selector JSON (region); 3 now (f64).
// Slot 0 = the signed erasure receipt's JSON.
int VaultEraseEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault, Vaults().Get(args.U32(0), "vault"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* patient,
                              Identities().Get(args.U32(1), "patient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(3, "options.now"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::ErasureSelector selector,
                              consent::ParseErasureSelectorJson(args.Text(2)));
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::ErasureReceipt receipt,
                              vault->Erase(*patient, selector, clock));
  return PublishText(out, receipt.ToJson());
}

// 0 vault, 1 sender card (u32); 2 sealed record (region); 3 its encoding
// (u32); 4 purpose system, 5 purpose code (regions). Published as
// _openRecord's: slot 0 body, 1 content type, 2 record id, 3 resource type,
// millis = created; JS copies and calls _release().
int VaultOpenEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::Vault * vault, Vaults().Get(args.U32(0), "vault"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(2), static_cast<RecordEncoding>(args.U32(3))));
  const RecordPurpose purpose{std::string(args.Text(4)), std::string(args.Text(5))};
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OpenedPayload opened, vault->Open(record, *sender, purpose));
  const OpenedPayload& kept = out.Keep(std::move(opened));
  out.SetView(kSlot0, kept.body());
  out.SetView(kSlot1, kept.content_type());
  out.SetView(kSlot2, kept.record_id());
  out.SetView(kSlot3, kept.resource_type());
  out.SetMillis(kept.created());
  return Ok();
}

// 0 vault (u32).
int VaultFreeEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(Vaults().Remove(args.U32(0), "vault"));
}

// 0 patient card (u32); 1 receipt JSON (region).
int VerifyErasureReceiptEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "patientCard"));
  return out.Finish(consent::VerifyErasureReceiptJson(args.Text(1), *card));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_share) {
  using namespace medseal::wasm;
  emscripten::function("_share", &ShareEntry);
  emscripten::function("_shareToVault", &ShareToVaultEntry);
  emscripten::function("_resealAsIdentity", &ResealAsIdentityEntry);
  emscripten::function("_resealFromVault", &ResealFromVaultEntry);
  emscripten::function("_withdrawConsent", &WithdrawEntry);
  emscripten::function("_vaultCreate", &VaultCreateEntry);
  emscripten::function("_vaultParse", &VaultParseEntry);
  emscripten::function("_vaultSerialize", &VaultSerializeEntry);
  emscripten::function("_vaultEntries", &VaultEntriesEntry);
  emscripten::function("_vaultErase", &VaultEraseEntry);
  emscripten::function("_vaultOpen", &VaultOpenEntry);
  emscripten::function("_vaultFree", &VaultFreeEntry);
  emscripten::function("_verifyErasureReceipt", &VerifyErasureReceiptEntry);
}
