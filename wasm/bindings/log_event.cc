// SPDX-License-Identifier: Apache-2.0
// Signed log events (core/log/event.h, entry.h, audit_event.h;
// docs/spec/log.md §6, §7, §11; wasm/package/src/log-event.ts is the
// caller): parsing and verifying an encoded event, its hash, its log entry
// and leaf hash, salted hashes, and FHIR R4 AuditEvent export and import.
// Events and AuditEvents cross as UTF-8 bytes in regions.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/consent/receipt.h"
#include "core/identity/card.h"
#include "core/log/audit_event.h"
#include "core/log/break_glass.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/merkle.h"
#include "core/record/sealed_record.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// Leaves the parsed event's facts in the output: num = seq, millis = time;
// slot 0 = the encoded event (canonical JSON), 1 = type name, 2 = author key
// id, 3 = its hash (SHA-256 of the encoded event), 4 = its log entry
// (0x01 || encoded), 5 = the entry's RFC 9162 leaf hash.
int Publish(Output& out, tlog::SignedEvent&& parsed) {
  const tlog::SignedEvent& event = out.Keep(std::move(parsed));
  Bytes entry = tlog::EventEntry(event);
  out.SetNum(static_cast<double>(event.event.seq));
  out.SetMillis(event.event.time);
  out.SetView(kSlot0, event.encoded);
  out.SetView(kSlot1, tlog::EventTypeName(event.event.type));
  out.SetView(kSlot2, event.event.author);
  out.Set(kSlot3, event.Hash());
  out.Set(kSlot5, tlog::LeafHash(entry));
  out.Set(kSlot4, std::move(entry));
  return Ok();
}

// 0 encoded event (region). Outputs as Publish.
int LogEventParse(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  return Publish(out, std::move(event));
}

// 0 encoded event (region), 1 the author's card (u32 handle). Succeeds when
// the event parses and its signature verifies under the card (no outputs:
// LogEventParse gives the facts).
int LogEventVerify(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(1), "author"));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  return out.Finish(tlog::VerifyEvent(event, *card));
}

// 0 salt (region), 1 domain (region, UTF-8), 2 value (region, UTF-8).
// Slot 0 = the 32-byte salted hash.
int LogSaltedHash(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  return out.Finish(kSlot0, tlog::SaltedHash(args.Bytes(0), args.Text(1), args.Bytes(2)));
}

// 0 encoded break-the-glass event (region), 1 salt (region), 2 reason
// (region, UTF-8): succeeds when the event's salted reason is this reason
// under this salt (what the patient's device checks when told the reason).
int LogBreakGlassVerifyReason(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  return out.Finish(tlog::VerifyBreakGlassReason(event, args.Bytes(1), args.Text(2)));
}

// 0 encoded event (region). Slot 0 = its FHIR R4 AuditEvent (JSON, UTF-8).
int LogAuditEventExport(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ParseEvent(args.Bytes(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string json, tlog::ExportAuditEvent(event));
  out.Set(kSlot0, std::move(json));
  return Ok();
}

// 0 AuditEvent JSON (region, UTF-8). Outputs as Publish, for the signed event
// it carries (not verified: LogEventVerify does that against a card).
int LogAuditEventImport(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::SignedEvent event, tlog::ImportAuditEvent(args.Text(0)));
  return Publish(out, std::move(event));
}

// Event subjects from domain objects (spec §6.5). Slot 0 = the subject id.

// 0 sealed record (region), 1 its encoding (u32: RecordEncoding, core
// checks the value). RecordSubject: SealedRecordHash (32 bytes).
int LogRecordSubject(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, SealedRecord record,
                              ParseRecord(args.Bytes(0), static_cast<RecordEncoding>(args.U32(1))));
  out.Set(kSlot0, std::move(tlog::RecordSubject(record).id));
  return Ok();
}

// 0 signed consent receipt (region, UTF-8). ConsentSubject: its consent hash.
int LogConsentSubject(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, consent::SignedConsent receipt,
                              consent::ParseReceipt(args.Text(0)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::EventSubject subject, tlog::ConsentSubject(receipt));
  out.Set(kSlot0, std::move(subject.id));
  return Ok();
}

// 0 the SHA-256 of an attachment's whole age file (region).
int LogAttachmentSubject(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::EventSubject subject,
                              tlog::AttachmentSubject(args.Bytes(0)));
  out.Set(kSlot0, std::move(subject.id));
  return Ok();
}

// 0 card (u32). CardSubject: its key id (16 bytes).
int LogCardSubject(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, const PublicCard* card, Cards().Get(args.U32(0), "card"));
  out.Set(kSlot0, std::move(tlog::CardSubject(*card).id));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_event) {
  using namespace medseal::wasm;
  emscripten::function("_logEventParse", &LogEventParse);
  emscripten::function("_logEventVerify", &LogEventVerify);
  emscripten::function("_logSaltedHash", &LogSaltedHash);
  emscripten::function("_logBreakGlassVerifyReason", &LogBreakGlassVerifyReason);
  emscripten::function("_logAuditEventExport", &LogAuditEventExport);
  emscripten::function("_logAuditEventImport", &LogAuditEventImport);
  emscripten::function("_logRecordSubject", &LogRecordSubject);
  emscripten::function("_logConsentSubject", &LogConsentSubject);
  emscripten::function("_logAttachmentSubject", &LogAttachmentSubject);
  emscripten::function("_logCardSubject", &LogCardSubject);
}
