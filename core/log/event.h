// SPDX-License-Identifier: Apache-2.0
// Signed log events: who did what to which record, consent or attachment
// (by hash, never content), when, for which purpose, with which outcome;
// signed with Ed25519 by the acting identity and chained per author (each
// event carries its author's sequence number and the hash of the author's
// previous event, so an author's history has no gaps). No patient data
// enters an event: subjects are hashes and key ids, and values from small
// domains (a sensitivity label, a free-text reason) are salted before they
// are hashed. Format: docs/spec/log.md §6.
#ifndef MEDSEAL_CORE_LOG_EVENT_H_
#define MEDSEAL_CORE_LOG_EVENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/consent/receipt.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/sealed_record.h"

namespace medseal::tlog {

inline constexpr size_t kMaxEventBytes = 16384;
// The event format's version (the "v" member, spec §6.3).
inline constexpr int64_t kEventVersion = 1;
// The label of the signature input and of the salted hash (spec §6.3, §6.4).
inline constexpr std::string_view kEventSignatureLabel = "medseal/v1/log-event";
inline constexpr std::string_view kSaltedHashLabel = "medseal/v1/log-salt";
// Sizes and limits (spec §6.2).
inline constexpr size_t kEventHashSize = 32;
inline constexpr size_t kSubjectHashSize = 32;
inline constexpr size_t kSaltedHashSize = 32;
inline constexpr size_t kEventSaltSize = 32;  // what NewEventSalt draws
inline constexpr size_t kMinSaltSize = 16;
inline constexpr size_t kMaxSaltSize = 64;
inline constexpr size_t kMaxEventPurposeBytes = 64;
inline constexpr size_t kMaxEventRecipients = 64;
inline constexpr size_t kMaxEventSubjects = 64;
inline constexpr size_t kMaxEventSalted = 16;
inline constexpr size_t kMaxSaltDomainBytes = 64;
// The salted-hash domains medseal uses (spec §6.4).
inline constexpr std::string_view kSaltDomainSensitivity = "sensitivity";
inline constexpr std::string_view kSaltDomainReason = "break-glass-reason";
// The purposes of use of an emergency open (HL7 v3 PurposeOfUse).
inline constexpr std::string_view kPurposeEmergencyTreatment = "ETREAT";
inline constexpr std::string_view kPurposeBreakTheGlass = "BTG";

// The event's action. Names (spec §6.2) are what the JSON carries.
enum class EventType : uint8_t {
  kGrant = 1,       // a consent given (subject: its consent hash)
  kWithdraw = 2,    // a consent withdrawn
  kShare = 3,       // a record or attachment sealed to recipients
  kOpen = 4,        // a record or attachment opened
  kBreakGlass = 5,  // an emergency open (purpose ETREAT or BTG); needs a reason
  kExport = 6,      // data exported out of medseal (e.g. a FHIR bundle)
  kErase = 7,       // keys destroyed (crypto-shredding)
  kRotate = 8,      // the author's key replaced by a new card (subject: its key id)
  kRevoke = 9,      // a key withdrawn (subject: the revoked key id)
};
std::string_view EventTypeName(EventType type);  // "grant", "break-glass", ...
// kUnsupportedVersion for a name this build does not know.
Result<EventType> ParseEventType(std::string_view name);
// True for "ETREAT" and "BTG", the purposes that make an open an emergency
// open (a kBreakGlass event).
bool IsEmergencyPurpose(std::string_view purpose);

// FHIR AuditEvent.outcome codes (0 success, 4 minor, 8 serious, 12 major).
enum class EventOutcome : uint8_t {
  kSuccess = 0,
  kMinorFailure = 4,
  kSeriousFailure = 8,
  kMajorFailure = 12
};

// What an event is about, by hash or key id only.
enum class SubjectKind : uint8_t { kRecord = 1, kConsent = 2, kAttachment = 3, kCard = 4 };
struct EventSubject {
  SubjectKind kind = SubjectKind::kRecord;
  Bytes id;  // record/consent/attachment: 32-byte hash; card: 16-byte key id
  bool operator==(const EventSubject&) const = default;
};
std::string_view SubjectKindName(SubjectKind kind);  // "record", "consent", ...

// Subjects from domain objects (spec §6.5).
// A sealed record: consent::SealedRecordHash(record), BLAKE2b-256 over
// LABEL("medseal/v1/sealed-record-hash") || its binary encoding (it names
// the ciphertext, so it survives crypto-shredding and reveals nothing).
EventSubject RecordSubject(const SealedRecord& record);
// A signed consent: consent::ConsentHash(receipt).
Result<EventSubject> ConsentSubject(const consent::SignedConsent& receipt);
// An attachment: the SHA-256 of its whole age file (what its attachment
// signature signs, docs/spec/attachment.md); kInvalidArgument unless 32 bytes.
Result<EventSubject> AttachmentSubject(ByteView file_sha256);
// A card: its key id.
EventSubject CardSubject(const PublicCard& card);

struct Event {
  EventType type = EventType::kOpen;
  Bytes author;  // the acting identity's card key id (16 bytes)
  uint64_t seq = 0;
  Bytes prev;  // hash of the author's event seq-1 (32 bytes); 32 zero bytes for seq 0
  UnixMillis time = 0;
  std::string purpose;  // HL7 v3 PurposeOfUse code ("TREAT", "ETREAT", "BTG", ...) or empty
  EventOutcome outcome = EventOutcome::kSuccess;
  Bytes patient;                  // the patient's card key id (16 bytes), or empty
  std::vector<Bytes> recipients;  // card key ids (share, grant), sorted, unique
  std::vector<EventSubject> subjects;
  // Salted hashes (32 bytes each) of small-domain values, e.g. the
  // sensitivity labels of the records involved (spec §6.4).
  std::vector<Bytes> salted;
  // Break-glass: the salted hash of the free-text reason (32 bytes);
  // required for kBreakGlass, empty otherwise.
  Bytes reason;
  bool operator==(const Event&) const = default;
};

// An event as signed and logged: the exact bytes that enter the log entry.
struct SignedEvent {
  Event event;
  Bytes encoded;    // the canonical JSON of the event with its signature (spec §6.3)
  Bytes signature;  // 64 bytes, Ed25519 over LABEL("medseal/v1/log-event") || JCS(event)
  // SHA-256(encoded): what the author's next event carries as `prev`.
  Bytes Hash() const;
};

// BLAKE2b-256 keyed with `salt` (16..64 bytes, else kInvalidArgument) over
// LABEL("medseal/v1/log-salt") || domain || 0x00 || value (spec §6.4).
// The domain is 1..64 bytes of 0x21..0x7e (else kInvalidArgument).
Result<Bytes> SaltedHash(ByteView salt, std::string_view domain, ByteView value);
// A fresh event salt: kEventSaltSize bytes from `rng` (spec §6.4: one per
// event, secret, never logged; its author discloses it with the values).
SecretBytes NewEventSalt(Rng& rng);
// SaltedHash(salt, "sensitivity", code) of a sensitivity label given as its
// FHIR token "system|code" (e.g.
// "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV").
Result<Bytes> SaltedSensitivity(ByteView salt, std::string_view token);
// SaltedHash(salt, "break-glass-reason", reason) of a free-text reason.
Result<Bytes> SaltedReason(ByteView salt, std::string_view reason);

// The event's JSON without "sig" in JCS form (spec §6.3), after the field
// rules of spec §6.2 (kInvalidArgument, kReasonRequired as SignEvent).
Result<std::string> EventJcs(const Event& event);
// LABEL("medseal/v1/log-event") || EventJcs(event): what the author signs.
Result<Bytes> EventSignedBytes(const Event& event);

// Checks and signs: author = the identity's key id (else kSenderMismatch);
// kReasonRequired for a kBreakGlass event without a reason or a purpose
// other than ETREAT/BTG (kInvalidArgument); field rules of spec §6.2
// (kInvalidArgument).
Result<SignedEvent> SignEvent(const Identity& author, const Event& event);
// Parses an encoded event (rules of spec §6.5 in order: kTooLarge,
// kMalformed, kNonCanonical, kUnsupportedVersion, ...). Does not verify the
// signature.
Result<SignedEvent> ParseEvent(ByteView encoded);
// kSenderMismatch when the card's key id is not the author; kSignatureInvalid.
[[nodiscard]] Status VerifyEvent(const SignedEvent& event, const PublicCard& author);

// Keeps each author's chain head, so that an author's next event gets the
// right seq and prev, and checks chains of events read from a log in order:
// a skipped seq is kLogEntryMissing, a seq lower than one already seen (or
// repeated) is kLogReordered, a prev that is not the hash of the author's
// previous event is kLogEntryModified.
class AuthorChains {
 public:
  // seq and prev for the next event by `author` (0 and zeros at first).
  std::pair<uint64_t, Bytes> Next(ByteView author) const;
  // Checks `event` against its author's head and advances it.
  [[nodiscard]] Status Append(const SignedEvent& event);
  size_t authors() const;
  // The author's last event (seq and hash), if any was appended.
  std::optional<std::pair<uint64_t, Bytes>> Last(ByteView author) const;

 private:
  struct Head {
    uint64_t seq;
    Bytes hash;
  };
  std::vector<std::pair<Bytes, Head>> heads_;  // sorted by author key id
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_EVENT_H_
