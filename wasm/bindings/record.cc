// SPDX-License-Identifier: Apache-2.0
// Sealed records: seal, open, verify, inspect and re-encode, with the cards
// and identities of the handle tables (wasm/package/src/record.ts is the
// caller). The encoding of a sealed record is core's RecordEncoding,
// passed through as a number: core rejects a value it does not know.
#include "wasm/bindings/record.h"

#include <emscripten/bind.h>

#include <cstdint>
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
  const OpenedPayload& kept = out.Keep(std::move(opened));
  out.SetView(kSlot0, kept.body());
  out.SetView(kSlot1, kept.content_type());
  out.SetView(kSlot2, kept.record_id());
  out.SetView(kSlot3, kept.resource_type());
  out.SetMillis(kept.created());
  return Ok();
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
// order; num = ciphertext bytes.
int InspectRecordEntry(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(0), EncodingOf(args, 1)));
  out.SetNum(static_cast<double>(record.ciphertext.size()));
  out.Set(kSlot1, ConcatBytes(record.recipients, &RecipientStanza::key_id));
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
  emscripten::function("_openRecord", &OpenRecordEntry);
  emscripten::function("_verifyRecord", &VerifyRecordEntry);
  emscripten::function("_inspectRecord", &InspectRecordEntry);
  emscripten::function("_recordReencode", &RecordReencode);
}
