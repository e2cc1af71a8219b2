// SPDX-License-Identifier: Apache-2.0
// Break-the-glass: an emergency open of a sealed record (purpose ETREAT or
// BTG) needs a stated reason, and always yields the signed kBreakGlass event
// together with the opened payload: no function here returns plaintext
// without the event that logs it. The reason never enters the log in clear:
// the event carries its salted hash under a fresh secret salt that the
// author discloses, with the reason, to the patient (spec §6.7). The
// patient's device picks the break-glass events about the patient out of
// the events it reads, so that the portal can flag them.
#ifndef MEDSEAL_CORE_LOG_BREAK_GLASS_H_
#define MEDSEAL_CORE_LOG_BREAK_GLASS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/log/event.h"
#include "core/record/payload.h"
#include "core/record/sealed_record.h"

namespace medseal::tlog {

inline constexpr size_t kMaxReasonBytes = 1024;

// What the clinician states for an emergency open.
struct EmergencyAccess {
  std::string purpose;      // "ETREAT" or "BTG" (HL7 v3 ActReason / PurposeOfUse)
  std::string_view reason;  // free text, 1..1024 bytes of UTF-8, not only white space
  Bytes patient;            // the patient's card key id (16 bytes)
  // The record's sensitivity labels as FHIR tokens "system|code" (0..16),
  // salted into the event's "salted" member under the same salt.
  std::vector<std::string> sensitivity;
};

// An emergency open's result: the plaintext and the event that logs it.
struct BreakGlassOpen {
  OpenedPayload payload;
  SignedEvent event;  // kBreakGlass, signed by the opener, chained
  // The event salt (kEventSaltSize bytes, secret): the author discloses it
  // with the reason to the patient (and to an auditor), who checks them with
  // VerifyBreakGlassReason. Never logged.
  SecretBytes salt;
};

// Opens `record` (from `sender`) as `author` for an emergency purpose and
// signs the kBreakGlass event about it: subjects = RecordSubject(record),
// patient = access.patient, reason = SaltedReason(salt, reason), salted =
// SaltedSensitivity of each label (sorted), time = clock.Now(), seq and
// prev from `chain` (which is advanced). Checks in order, before anything
// is decrypted: an empty or white-space-only reason is kReasonRequired; a
// reason over 1024 bytes kTooLarge, one that is not UTF-8 or holds a
// control character other than TAB, LF, CR kInvalidArgument; a purpose other
// than ETREAT/BTG, a patient key id that is not 16 bytes, more than 16 labels
// or an empty label kInvalidArgument. Then OpenRecord(record, author,
// sender, {v3-ActReason, purpose}) with its codes (a v2 record whose header
// lacks the purpose is kPurposeMismatch). Randomness: the 32-byte salt.
Result<BreakGlassOpen> BreakGlassOpenRecord(const SealedRecord& record, const Identity& author,
                                            const PublicCard& sender, const EmergencyAccess& access,
                                            AuthorChains& chain, Rng& rng, Clock& clock);

// The positions in `events` of the kBreakGlass events whose patient is
// `patient_key_id`, in order: what the patient's device flags. Signatures
// are not checked here (VerifyEvent with the author's card does that).
std::vector<size_t> BreakGlassEventsAbout(std::span<const SignedEvent> events,
                                          ByteView patient_key_id);

// Checks a disclosed reason against a logged event: kInvalidArgument for an
// event that is not kBreakGlass or a salt outside 16..64 bytes,
// kLogEntryModified when SaltedReason(salt, reason) is not the event's
// reason (compared in constant time).
[[nodiscard]] Status VerifyBreakGlassReason(const SignedEvent& event, ByteView salt,
                                            std::string_view reason);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_BREAK_GLASS_H_
