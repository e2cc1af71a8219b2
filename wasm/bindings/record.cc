// SPDX-License-Identifier: Apache-2.0
// Sealed records: seal (v1 and v2), open (for a stated purpose, or with a
// vault key), verify, inspect and re-encode, with the cards and identities
// of the handle tables and the vault keys of this file's table
// (wasm/package/src/record.ts is the caller). The encoding of a sealed
// record is core's RecordEncoding, passed through as a number: core rejects
// a value it does not know.
#include "wasm/bindings/record.h"

#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/payload.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {

// Vault keys (core/record/record.h): secret, kept here by handle, wiped
// when freed. Handles come from the counter all tables share.
HandleTable<VaultKey>& VaultKeys() {
  static HandleTable<VaultKey> table;
  return table;
}

int SealRecordV2With(Output& out, const ArgReader& args, Rng& rng) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "recipients"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const VaultKey*> vaults,
                              VaultKeys().GetEach(args.Words(2), "options.vaultKeys"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, RecordContext context, RecordContextFromJson(args.Text(3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(9, "options.now"));
  const RecordPayload payload{args.Text(4), args.Text(5), args.Text(6), args.Bytes(7)};
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord sealed,
                              SealRecordV2(*sender, cards, vaults, payload, context, rng, clock));
  return out.Finish(kSlot0, EncodeRecord(sealed, static_cast<RecordEncoding>(args.U32(8))));
}

int SealRecordWith(Output& out, const ArgReader& args, Rng& rng) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* sender, Identities().Get(args.U32(0), "sender"));
  // The cards stay in the handle table; core gets pointers to them.
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::vector<const PublicCard*> cards,
                              Cards().GetEach(args.Words(1), "recipients"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, UnixMillis now, args.Millis(7, "options.now"));
  // Views of the argument block (JS wipes it after the call).
  const RecordPayload payload{args.Text(2), args.Text(3), args.Text(4), args.Bytes(5)};
  FixedClock clock(now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord sealed,
                              SealRecord(*sender, cards, payload, rng, clock));
  return out.Finish(kSlot0, EncodeRecord(sealed, static_cast<RecordEncoding>(args.U32(6))));
}

namespace {

RecordEncoding EncodingOf(const ArgReader& args, uint32_t slot) {
  return static_cast<RecordEncoding>(args.U32(slot));
}

// SealRecordWith's slots, with the platform CSPRNG.
int SealRecordEntry(uint32_t address) {
  Output& out = BeginCall();
  return SealRecordWith(out, ArgReader(address), SystemRng());
}

// SealRecordV2With's slots, with the platform CSPRNG.
int SealRecordV2Entry(uint32_t address) {
  Output& out = BeginCall();
  return SealRecordV2With(out, ArgReader(address), SystemRng());
}

// Publishes an opened payload as views (see OpenRecordEntry).
int PublishOpened(Output& out, OpenedPayload&& opened) {
  const OpenedPayload& kept = out.Keep(std::move(opened));
  out.SetView(kSlot0, kept.body());
  out.SetView(kSlot1, kept.content_type());
  out.SetView(kSlot2, kept.record_id());
  out.SetView(kSlot3, kept.resource_type());
  out.SetMillis(kept.created());
  return Ok();
}

RecordPurpose PurposeOf(const ArgReader& args, uint32_t system_slot) {
  return RecordPurpose{std::string(args.Text(system_slot)),
                       std::string(args.Text(system_slot + 1))};
}

// 0 recipient identity, 1 sender card (u32); 2 sealed record (region);
// 3 its encoding (u32); 4 purpose system, 5 purpose code (regions).
// Results as OpenRecordEntry's.
int OpenRecordForPurposeEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* recipient,
                              Identities().Get(args.U32(0), "recipient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(2), EncodingOf(args, 3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OpenedPayload opened,
                              OpenRecord(record, *recipient, *sender, PurposeOf(args, 4)));
  return PublishOpened(out, std::move(opened));
}

// 0 vault key, 1 sender card (u32); 2 sealed record (region); 3 its
// encoding (u32); 4 purpose system, 5 purpose code (regions). Results as
// OpenRecordEntry's.
int OpenRecordWithVaultKeyEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const VaultKey* key, VaultKeys().Get(args.U32(0), "vaultKey"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(2), EncodingOf(args, 3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OpenedPayload opened,
                              OpenRecordWithVaultKey(record, *key, *sender, PurposeOf(args, 4)));
  return PublishOpened(out, std::move(opened));
}

// Keeps a new vault key: num = handle, slot 0 = its id (16 bytes).
int PublishVaultKey(Output& out, Result<VaultKey> made) {
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, VaultKey key, std::move(made));
  auto owned = std::make_unique<VaultKey>(std::move(key));
  const VaultKey& kept = *owned;
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, uint32_t handle, VaultKeys().Add(std::move(owned), "vaultKey"));
  out.SetNum(handle);
  out.SetView(kSlot0, kept.key_id());
  return Ok();
}

// No arguments. A fresh key from the platform CSPRNG.
int VaultKeyGenerate() {
  Output& out = BeginCall();
  return PublishVaultKey(out, VaultKey::Generate(SystemRng()));
}

// 0 key id, 1 key (regions; JS wipes the block after the call).
int VaultKeyFromBytes(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return PublishVaultKey(out,
                         VaultKey::FromBytes(args.Bytes(0), SecretBytes::CopyFrom(args.Bytes(1))));
}

// 0 vault key (u32). Slot 0 = a view of the 32-byte key (JS copies it and
// calls _release()).
int VaultKeyExport(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const VaultKey* key, VaultKeys().Get(args.U32(0), "vaultKey"));
  out.SetView(kSlot0, RevealSecret(key->key()));
  return Ok();
}

// 0 vault key (u32).
int VaultKeyFree(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(VaultKeys().Remove(args.U32(0), "vaultKey"));
}

// 0 recipient identity, 1 sender card (u32); 2 sealed record (region);
// 3 its encoding (u32). A kept OpenedPayload, published as views: slot 0 =
// body, 1 = content type, 2 = record id, 3 = resource type; millis = created.
// JS copies them and calls _release(), which wipes the plaintext.
int OpenRecordEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const Identity* recipient,
                              Identities().Get(args.U32(0), "recipient"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(2), EncodingOf(args, 3)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, OpenedPayload opened, OpenRecord(record, *recipient, *sender));
  return PublishOpened(out, std::move(opened));
}

// 0 sender card (u32); 1 sealed record (region); 2 its encoding (u32).
int VerifyRecordEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* sender,
                              Cards().Get(args.U32(0), "senderCard"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(1), EncodingOf(args, 2)));
  return out.Finish(VerifyRecord(record, *sender));
}

// 0 sealed record (region); 1 its encoding (u32). Slot 0 = sender key id
// (16 bytes), 1 = the recipients' key ids, 16 bytes each, in the record's
// order, 2 = the header as JSON (core's RecordHeaderJson: version,
// purposes, consent hashes, stanza types); num = ciphertext bytes.
int InspectRecordEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(0), EncodingOf(args, 1)));
  out.SetNum(static_cast<double>(record.ciphertext.size()));
  out.Set(kSlot1, ConcatBytes(record.recipients, &RecipientStanza::key_id));
  out.Set(kSlot2, RecordHeaderJson(record));
  out.Set(kSlot0, std::move(record.sender_key_id));
  return Ok();
}

// 0 sealed record (region); 1 its encoding, 2 the encoding wanted (u32).
// Slot 0 = the record in that encoding (strict parse, lossless).
int RecordReencode(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(0), EncodingOf(args, 1)));
  return out.Finish(kSlot0, EncodeRecord(record, EncodingOf(args, 2)));
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_record) {
  using namespace medseal::wasm;
  emscripten::function("_sealRecord", &SealRecordEntry);
  emscripten::function("_sealRecordV2", &SealRecordV2Entry);
  emscripten::function("_openRecordForPurpose", &OpenRecordForPurposeEntry);
  emscripten::function("_openRecordWithVaultKey", &OpenRecordWithVaultKeyEntry);
  emscripten::function("_vaultKeyGenerate", &VaultKeyGenerate);
  emscripten::function("_vaultKeyFromBytes", &VaultKeyFromBytes);
  emscripten::function("_vaultKeyExport", &VaultKeyExport);
  emscripten::function("_vaultKeyFree", &VaultKeyFree);
  emscripten::function("_openRecord", &OpenRecordEntry);
  emscripten::function("_verifyRecord", &VerifyRecordEntry);
  emscripten::function("_inspectRecord", &InspectRecordEntry);
  emscripten::function("_recordReencode", &RecordReencode);
}
