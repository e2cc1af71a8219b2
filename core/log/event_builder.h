// SPDX-License-Identifier: Apache-2.0
// Building and signing a new event from typed fields (what an app states:
// the action, the purpose, the outcome, who else is involved and what the
// event is about), so that a caller never assembles an Event by hand: the
// author, seq and prev come from the identity and its AuthorChains, the time
// from the Clock, and the small-domain values (sensitivity labels, a
// break-the-glass reason) are salted under one fresh secret salt from the
// Rng. The package's signLogEvent states the fields as JSON
// (EventFieldsFromJson). Format of the result: docs/spec/log.md §6.
#ifndef MEDSEAL_CORE_LOG_EVENT_BUILDER_H_
#define MEDSEAL_CORE_LOG_EVENT_BUILDER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/identity.h"
#include "core/log/event.h"

namespace medseal::tlog {

// The largest EventFieldsFromJson input.
inline constexpr size_t kMaxEventFieldsJsonBytes = 65536;
// Sensitivity labels one event may carry (= kMaxEventSalted).
inline constexpr size_t kMaxEventSensitivity = kMaxEventSalted;
// The longest break-the-glass reason (= break_glass.h kMaxReasonBytes).
inline constexpr size_t kMaxEventReasonBytes = 1024;

// What the caller states about a new event. Lists may come in any order;
// the builder sorts them and keeps one of equal elements.
struct EventFields {
  EventType type = EventType::kOpen;
  std::string purpose;  // HL7 v3 PurposeOfUse code or empty
  EventOutcome outcome = EventOutcome::kSuccess;
  Bytes patient;                  // 16-byte key id or empty
  std::vector<Bytes> recipients;  // 16-byte key ids
  std::vector<EventSubject> subjects;
  // Sensitivity labels as FHIR tokens "system|code", salted into "salted".
  std::vector<std::string> sensitivity;
  // Break-the-glass only: the free-text reason, salted into "reason".
  std::optional<std::string> reason;
};

// A new signed event and its salt (kEventSaltSize bytes, secret, never
// logged; the author discloses it with the values it salts, e.g. to the
// patient with a break-the-glass reason).
struct NewEvent {
  SignedEvent event;
  SecretBytes salt;
};

// Builds the Event (author = author.key_id(); seq and prev =
// chain.Next(author); time = clock.Now(); salted = SaltedSensitivity of each
// label, sorted, one of equal hashes kept; reason = SaltedReason of the
// reason when given; recipients and subjects sorted, one of equal ones
// kept), signs it and appends it to `chain`. Checks in order: more than
// kMaxEventSensitivity labels or an empty label is kInvalidArgument; a
// reason outside a kBreakGlass event kInvalidArgument; a reason that is
// empty or only white space kReasonRequired, one over kMaxEventReasonBytes
// kTooLarge, one that is not UTF-8 or holds a control character other than
// TAB, LF, CR kInvalidArgument (the rules of BreakGlassOpenRecord); then
// SignEvent's codes (kInvalidArgument for a field rule of spec §6.2 or
// §6.6, kReasonRequired for a kBreakGlass event without a reason or a kOpen
// for an emergency purpose). Randomness: the 32-byte salt, drawn for every
// event (after the checks above). On error `chain` is unchanged.
Result<NewEvent> SignNewEvent(const Identity& author, const EventFields& fields,
                              AuthorChains& chain, Rng& rng, Clock& clock);

// EventFields from the JSON the package writes (UTF-8, at most
// kMaxEventFieldsJsonBytes, else kTooLarge; general JSON rules G1-G8 of
// docs/spec/record.md §1.2, kMalformed):
//   {"type": "share",                      required, an event type name
//    "subjects": [{"kind": "record", "id": base64url}, ...],   required
//    "purpose": "TREAT", "outcome": 0,     optional ("" and 0)
//    "patient": base64url key id,          optional
//    "recipients": [base64url key id, ...], "sensitivity": ["system|code", ...],
//    "reason": "free text"}                optional
// Any other member, a member of the wrong JSON type, an unknown subject
// kind or an outcome that is not 0, 4, 8 or 12 is kMalformed; an unknown
// type name kUnsupportedVersion (ParseEventType); base64url members have
// the codes of docs/spec/log.md §1.1 (D1-D4) and must decode to 16 bytes
// (key ids) or the subject kind's size (kMalformed).
Result<EventFields> EventFieldsFromJson(std::string_view json);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_EVENT_BUILDER_H_
