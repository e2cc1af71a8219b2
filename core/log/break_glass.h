// SPDX-License-Identifier: Apache-2.0
// Break-the-glass: an emergency open of a sealed record or an attachment
// (purpose ETREAT or BTG) needs a stated reason, and always yields the
// signed kBreakGlass event together with the opened payload: no function
// here returns plaintext without the event that logs it. The Attempt forms
// also write the event when the open fails (outcome kBreakGlassFailureOutcome),
// so that every emergency attempt past the argument checks is logged. The reason never enters the
// log in clear: the event carries its salted hash under a fresh secret salt that the author
// discloses, with the reason, to the patient (spec §6.7). The patient's device picks the
// break-glass events about the patient out of the events it reads, so that the portal can flag
// them.
#ifndef MEDSEAL_CORE_LOG_BREAK_GLASS_H_
#define MEDSEAL_CORE_LOG_BREAK_GLASS_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/attachment/attachment.h"
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
// or an empty label kInvalidArgument; a clock reading outside 0..2^53-1
// kInvalidArgument (spec §6.8 B1-B5). Then OpenRecord(record, author,
// sender, {v3-ActReason, purpose}) with its codes (a v2 record whose header
// lacks the purpose is kPurposeMismatch). Randomness: the 32-byte salt.
// A failed open returns its error and writes no event (nothing drawn,
// `chain` unchanged); BreakGlassAttemptRecord below logs failed opens too.
Result<BreakGlassOpen> BreakGlassOpenRecord(const SealedRecord& record, const Identity& author,
                                            const PublicCard& sender, const EmergencyAccess& access,
                                            AuthorChains& chain, Rng& rng, Clock& clock);

// The outcome a break-glass event carries when the open itself failed
// (FHIR AuditEvent.outcome 4, "minor failure": the request was refused, as
// an HTTP 4xx would be; spec §6.8). A successful open carries kSuccess.
inline constexpr EventOutcome kBreakGlassFailureOutcome = EventOutcome::kMinorFailure;

// An emergency open attempt that got past the argument checks: the signed
// kBreakGlass event is ALWAYS there (and chained), whether the open
// succeeded or not; `status` is the open's own Status; `payload` is set only
// when `status` is ok.
struct BreakGlassAttempt {
  SignedEvent event;  // kBreakGlass; outcome kSuccess or kBreakGlassFailureOutcome
  SecretBytes salt;   // as BreakGlassOpen::salt (also for a failed open)
  Status status;      // OpenRecord's result
  std::optional<OpenedPayload> payload;  // only when status.ok()
  bool ok() const { return status.ok(); }
};

// Like BreakGlassOpenRecord, but an open that fails still writes the event:
// the Result fails only for the checks made before anything is decrypted
// (spec §6.8 B1-B5: B1-B4 as BreakGlassOpenRecord, then B5: clock.Now()
// outside 0..2^53-1 is kInvalidArgument); then nothing is drawn from `rng`
// and `chain` is unchanged. Otherwise OpenRecord(record, author, sender,
// {v3-ActReason, purpose}) runs, and its Status is the attempt's `status`:
// the event (the same members as BreakGlassOpenRecord's) has outcome
// kSuccess when it succeeded, kBreakGlassFailureOutcome when it failed (a
// wrong recipient, a tampered record, a purpose the record's header lacks),
// is signed and appended to `chain` in both cases.
Result<BreakGlassAttempt> BreakGlassAttemptRecord(const SealedRecord& record,
                                                  const Identity& author, const PublicCard& sender,
                                                  const EmergencyAccess& access,
                                                  AuthorChains& chain, Rng& rng, Clock& clock);

// ---- Attachments (spec §6.8) ----
// An attachment is opened as an emergency by its two parts: the age file
// and the sealed record v2 that carries its signature object (attachment.md
// §5, SealAttachmentSignature). The emergency purpose is checked on that
// record (OpenAttachmentSignature with {v3-ActReason, purpose}); then the
// file is verified and decrypted (DecryptAttachment). The event's subjects
// = [AttachmentSubject(SHA-256(file))], computed from the file bytes, so a
// failed open names the same attachment as a successful one.
struct BreakGlassAttachmentAttempt {
  SignedEvent event;  // kBreakGlass; outcome kSuccess or kBreakGlassFailureOutcome
  SecretBytes salt;
  Status status;  // OpenAttachmentSignature's, then DecryptAttachment's
  // Only when status.ok(): the file's plaintext and its verified signature
  // object (sender, metadata).
  std::optional<SecretBytes> plaintext;
  std::optional<AttachmentSignature> signature;
  bool ok() const { return status.ok(); }
};

// The emergency open of an attachment: B1-B5 as BreakGlassAttemptRecord
// (the Result fails only there); then OpenAttachmentSignature(
// signature_record, author, sender, {v3-ActReason, purpose}) and
// DecryptAttachment(file, that object, author, sender), whose first failure
// is the attempt's `status`. The event is written, signed and chained in
// both cases, as for a record.
Result<BreakGlassAttachmentAttempt> BreakGlassAttemptAttachment(
    ByteView file, const SealedRecord& signature_record, const Identity& author,
    const PublicCard& sender, const EmergencyAccess& access, AuthorChains& chain, Rng& rng,
    Clock& clock);

// An emergency open's result for an attachment: the plaintext, its verified
// signature object and the event that logs it.
struct BreakGlassAttachmentOpen {
  SecretBytes plaintext;
  AttachmentSignature signature;
  SignedEvent event;
  SecretBytes salt;
};
// As BreakGlassOpenRecord for a record: the checks and opens of
// BreakGlassAttemptAttachment, but a failed open is returned as its error
// with no event (nothing drawn, `chain` unchanged): a caller that must log
// failed opens too (issue #11: an emergency open always writes an event)
// uses BreakGlassAttemptAttachment.
Result<BreakGlassAttachmentOpen> BreakGlassOpenAttachment(
    ByteView file, const SealedRecord& signature_record, const Identity& author,
    const PublicCard& sender, const EmergencyAccess& access, AuthorChains& chain, Rng& rng,
    Clock& clock);

// The positions in `events` of the kBreakGlass events whose patient is
// `patient_key_id`, in order: what the patient's device flags. Every such
// event counts, about a record or an attachment, whatever its outcome (a
// failed emergency open is flagged too). Signatures
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
