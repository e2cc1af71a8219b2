// SPDX-License-Identifier: Apache-2.0
// Break-the-glass (core/log/break_glass.h; docs/spec/log.md §6.7;
// wasm/package/src/log-break-glass.ts is the caller): an emergency open of a
// sealed record that yields the plaintext only together with its signed,
// chained kBreakGlass event, and the break-glass events about a patient
// among the events a device read.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/codec/base64url.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/log/bindings_support.h"
#include "core/log/break_glass.h"
#include "core/record/sealed_record.h"
#include "wasm/bindings/log_chain.h"
#include "wasm/bindings/state.h"
#include "wasm/marshal.h"

namespace medseal::wasm {
namespace {

// What an emergency open of a record reads: 0 author identity, 1 sender
// card, 2 chains (u32); 3 sealed record (region), 4 its encoding (u32:
// RecordEncoding); 5 purpose, 6 reason (text); 7 patient key id (base64url
// text); 8 sensitivity labels (JSON array of strings); 9 now (f64). The
// reason is a view into the call's arguments.
struct RecordEmergency {
  const Identity* author = nullptr;
  const PublicCard* sender = nullptr;
  tlog::AuthorChains* chains = nullptr;
  SealedRecord record;
  tlog::EmergencyAccess access;
  UnixMillis now = 0;
};

Result<RecordEmergency> ReadRecordEmergency(const ArgReader& args) {
  RecordEmergency e;
  MEDSEAL_ASSIGN_OR_RETURN(e.author, Identities().Get(args.U32(0), "author"));
  MEDSEAL_ASSIGN_OR_RETURN(e.sender, Cards().Get(args.U32(1), "senderCard"));
  MEDSEAL_ASSIGN_OR_RETURN(e.chains, AuthorChainsTable().Get(args.U32(2), "options.chains"));
  MEDSEAL_ASSIGN_OR_RETURN(e.record,
                           ParseRecord(args.Bytes(3), static_cast<RecordEncoding>(args.U32(4))));
  MEDSEAL_ASSIGN_OR_RETURN(Bytes patient, Base64UrlDecode(args.Text(7)));
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<std::string> labels,
                           tlog::StringListFromJson(args.Text(8), tlog::kMaxEventSalted));
  MEDSEAL_ASSIGN_OR_RETURN(e.now, args.Millis(9, "options.now"));
  e.access = tlog::EmergencyAccess{std::string(args.Text(5)), args.Text(6), std::move(patient),
                                   std::move(labels)};
  return e;
}

// The arguments of ReadRecordEmergency. BreakGlassOpenRecord with the
// platform CSPRNG. The kept result as views: slot 0 = body, 1 = content type, 2 =
// record id, 3 = resource type, 4 = the encoded event, 5 = the secret salt;
// millis = created. JS copies them and calls _release(), which wipes the
// plaintext and the salt.
int LogBreakGlassOpen(uint32_t address) {
  Output& out = BeginCall();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, RecordEmergency e, ReadRecordEmergency(ArgReader(address)));
  FixedClock clock(e.now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, tlog::BreakGlassOpen opened,
                              tlog::BreakGlassOpenRecord(e.record, *e.author, *e.sender, e.access,
                                                         *e.chains, SystemRng(), clock));
  const tlog::BreakGlassOpen& kept = out.Keep(std::move(opened));
  out.SetView(kSlot0, kept.payload.body());
  out.SetView(kSlot1, kept.payload.content_type());
  out.SetView(kSlot2, kept.payload.record_id());
  out.SetView(kSlot3, kept.payload.resource_type());
  out.SetView(kSlot4, kept.event.encoded);
  out.SetView(kSlot5, RevealSecret(kept.salt));
  out.SetMillis(kept.payload.created());
  return Ok();
}

// The same arguments as LogBreakGlassOpen; BreakGlassAttemptRecord: the
// call fails only for the checks before the open (B1-B5), and the event is
// written whether the open worked or not. num = the open's ErrorCode (0 when
// it worked); slots 0-3 the payload's parts and millis = created (all empty,
// 0, when it failed: AttemptParts), 4 = the encoded event, 5 = the secret
// salt. JS copies them and calls _release().
int LogBreakGlassAttempt(uint32_t address) {
  Output& out = BeginCall();
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, RecordEmergency e, ReadRecordEmergency(ArgReader(address)));
  FixedClock clock(e.now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, tlog::BreakGlassAttempt attempt,
      tlog::BreakGlassAttemptRecord(e.record, *e.author, *e.sender, e.access, *e.chains,
                                    SystemRng(), clock));
  const tlog::BreakGlassAttempt& kept = out.Keep(std::move(attempt));
  const tlog::BreakGlassAttemptParts parts = tlog::AttemptParts(kept);
  out.SetNum(static_cast<double>(parts.code));
  out.SetView(kSlot0, parts.body);
  out.SetView(kSlot1, parts.content_type);
  out.SetView(kSlot2, parts.record_id);
  out.SetView(kSlot3, parts.resource_type);
  out.SetView(kSlot4, kept.event.encoded);
  out.SetView(kSlot5, RevealSecret(kept.salt));
  out.SetMillis(parts.created);
  return Ok();
}

// The arguments of ReadRecordEmergency, 3 and 4 being the sealed record
// that carries the attachment's signature object, then 10 = the age file
// (region). BreakGlassAttemptAttachment. num = the open's ErrorCode; slot 0
// = the plaintext, 1 = the verified signature object's JSON (both empty
// when the open failed), 2 = the open's status message, 4 = the encoded
// event, 5 = the secret salt. JS copies them and calls _release().
int LogBreakGlassAttemptAttachment(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, RecordEmergency e, ReadRecordEmergency(args));
  FixedClock clock(e.now);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(
      out, tlog::BreakGlassAttachmentAttempt attempt,
      tlog::BreakGlassAttemptAttachment(args.Bytes(10), e.record, *e.author, *e.sender, e.access,
                                        *e.chains, SystemRng(), clock));
  const tlog::BreakGlassAttachmentAttempt& kept = out.Keep(std::move(attempt));
  tlog::BreakGlassAttachmentAttemptParts parts = tlog::AttemptParts(kept);
  out.SetNum(static_cast<double>(parts.code));
  out.SetView(kSlot0, parts.plaintext);
  out.Set(kSlot1, std::move(parts.signature_json));
  out.Set(kSlot2, std::move(parts.message));
  out.SetView(kSlot4, kept.event.encoded);
  out.SetView(kSlot5, RevealSecret(kept.salt));
  return Ok();
}

// 0 events (region: each with a 2-byte big-endian length), 1 their number
// (u32), 2 patient key id (base64url text). Slot 0 = the positions of the
// break-glass events about the patient (JSON array).
int LogBreakGlassEventsAbout(uint32_t address) {
  Output& out = BeginCall();
  const ArgReader args(address);
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, Bytes patient, Base64UrlDecode(args.Text(2)));
  MEDSEAL_WASM_ASSIGN_OR_FAIL(out, std::string positions,
                              tlog::BreakGlassEventsAboutJson(args.Bytes(0), args.U32(1), patient));
  out.Set(kSlot0, std::move(positions));
  return Ok();
}

}  // namespace
}  // namespace medseal::wasm

EMSCRIPTEN_BINDINGS(medseal_log_break_glass) {
  using namespace medseal::wasm;
  emscripten::function("_logBreakGlassOpen", &LogBreakGlassOpen);
  emscripten::function("_logBreakGlassAttempt", &LogBreakGlassAttempt);
  emscripten::function("_logBreakGlassAttemptAttachment", &LogBreakGlassAttemptAttachment);
  emscripten::function("_logBreakGlassEventsAbout", &LogBreakGlassEventsAbout);
}
