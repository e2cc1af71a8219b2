// SPDX-License-Identifier: Apache-2.0
#include "core/log/break_glass.h"

#include <algorithm>
#include <utility>

#include "core/base/utf8.h"
#include "core/crypto/sha2.h"
#include "core/fhir/model.h"
#include "core/record/record.h"

namespace medseal::tlog {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

bool HasForbiddenControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7f;
  });
}

Status CheckAccess(const EmergencyAccess& a) {
  if (IsBlank(a.reason)) {
    return Error(ErrorCode::kReasonRequired, "break-glass: an emergency open needs a reason");
  }
  if (a.reason.size() > kMaxReasonBytes) {
    return Error(ErrorCode::kTooLarge, "break-glass: reason longer than 1024 bytes");
  }
  if (!IsValidUtf8(a.reason) || HasForbiddenControl(a.reason)) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: reason is not UTF-8 text");
  }
  if (!IsEmergencyPurpose(a.purpose)) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: purpose is not ETREAT or BTG");
  }
  if (a.patient.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: patient key id is not 16 bytes");
  }
  if (a.sensitivity.size() > kMaxEventSalted) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: more than 16 labels");
  }
  for (const auto& label : a.sensitivity) {
    if (label.empty()) return Error(ErrorCode::kInvalidArgument, "break-glass: an empty label");
  }
  return Status::Ok();
}

// B1-B4 on the access, then B5 on the clock: every check made before
// anything is decrypted. Returns the time the event will carry.
Result<UnixMillis> CheckAccessAndClock(const EmergencyAccess& access, Clock& clock) {
  MEDSEAL_RETURN_IF_ERROR(CheckAccess(access));
  const UnixMillis now = clock.Now();
  if (now < 0 || now > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: the clock is out of range");
  }
  return now;
}

struct Logged {
  SignedEvent event;
  SecretBytes salt;
};

// Draws the event salt, builds the kBreakGlass event about `subject` (outcome
// kSuccess when `opened`, kBreakGlassFailureOutcome otherwise), signs it and
// appends it to the author's chain.
Result<Logged> LogAttempt(const Identity& author, const EmergencyAccess& access,
                          EventSubject subject, UnixMillis now, bool opened, AuthorChains& chain,
                          Rng& rng) {
  SecretBytes salt = NewEventSalt(rng);
  Event e;
  e.type = EventType::kBreakGlass;
  e.author = author.key_id();
  auto [seq, prev] = chain.Next(author.key_id());
  e.seq = seq;
  e.prev = std::move(prev);
  e.time = now;
  e.purpose = access.purpose;
  e.outcome = opened ? EventOutcome::kSuccess : kBreakGlassFailureOutcome;
  e.patient = access.patient;
  e.subjects = {std::move(subject)};
  for (const auto& label : access.sensitivity) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes h, SaltedSensitivity(RevealSecret(salt), label));
    e.salted.push_back(std::move(h));
  }
  std::sort(e.salted.begin(), e.salted.end(),
            [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
  // Two equal labels are one label.
  e.salted.erase(std::unique(e.salted.begin(), e.salted.end()), e.salted.end());
  MEDSEAL_ASSIGN_OR_RETURN(e.reason, SaltedReason(RevealSecret(salt), access.reason));
  MEDSEAL_ASSIGN_OR_RETURN(SignedEvent event, SignEvent(author, e));
  MEDSEAL_RETURN_IF_ERROR(chain.Append(event));
  return Logged{std::move(event), std::move(salt)};
}

struct OpenedAttachment {
  SecretBytes plaintext;
  AttachmentSignature signature;
};

// The attachment's emergency open: the signature object from its record
// under the emergency purpose, then the verified file.
Result<OpenedAttachment> OpenAttachment(ByteView file, const SealedRecord& signature_record,
                                        const Identity& author, const PublicCard& sender,
                                        const EmergencyAccess& access) {
  const RecordPurpose purpose{std::string(fhir::kActReasonSystem), access.purpose};
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signature_json,
                           OpenAttachmentSignature(signature_record, author, sender, purpose));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes plaintext,
                           DecryptAttachment(file, signature_json, author, sender));
  MEDSEAL_ASSIGN_OR_RETURN(AttachmentSignature signature, ParseAttachmentSignature(signature_json));
  return OpenedAttachment{std::move(plaintext), std::move(signature)};
}

}  // namespace

Result<BreakGlassOpen> BreakGlassOpenRecord(const SealedRecord& record, const Identity& author,
                                            const PublicCard& sender, const EmergencyAccess& access,
                                            AuthorChains& chain, Rng& rng, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(const UnixMillis now, CheckAccessAndClock(access, clock));
  const RecordPurpose purpose{std::string(fhir::kActReasonSystem), access.purpose};
  MEDSEAL_ASSIGN_OR_RETURN(OpenedPayload payload, OpenRecord(record, author, sender, purpose));
  MEDSEAL_ASSIGN_OR_RETURN(Logged logged, LogAttempt(author, access, RecordSubject(record), now,
                                                     /*opened=*/true, chain, rng));
  return BreakGlassOpen{std::move(payload), std::move(logged.event), std::move(logged.salt)};
}

Result<BreakGlassAttempt> BreakGlassAttemptRecord(const SealedRecord& record,
                                                  const Identity& author, const PublicCard& sender,
                                                  const EmergencyAccess& access,
                                                  AuthorChains& chain, Rng& rng, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(const UnixMillis now, CheckAccessAndClock(access, clock));
  const RecordPurpose purpose{std::string(fhir::kActReasonSystem), access.purpose};
  Result<OpenedPayload> opened = OpenRecord(record, author, sender, purpose);
  // A clock or chain failure here drops the payload (wiped on return): no
  // plaintext leaves without its event.
  MEDSEAL_ASSIGN_OR_RETURN(Logged logged, LogAttempt(author, access, RecordSubject(record), now,
                                                     opened.ok(), chain, rng));
  BreakGlassAttempt out{std::move(logged.event), std::move(logged.salt), opened.status(),
                        std::nullopt};
  if (opened.ok()) out.payload.emplace(std::move(opened).value());
  return out;
}

Result<BreakGlassAttachmentAttempt> BreakGlassAttemptAttachment(
    ByteView file, const SealedRecord& signature_record, const Identity& author,
    const PublicCard& sender, const EmergencyAccess& access, AuthorChains& chain, Rng& rng,
    Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(const UnixMillis now, CheckAccessAndClock(access, clock));
  MEDSEAL_ASSIGN_OR_RETURN(EventSubject subject, AttachmentSubject(Sha256(file)));
  Result<OpenedAttachment> opened = OpenAttachment(file, signature_record, author, sender, access);
  MEDSEAL_ASSIGN_OR_RETURN(
      Logged logged, LogAttempt(author, access, std::move(subject), now, opened.ok(), chain, rng));
  BreakGlassAttachmentAttempt out{std::move(logged.event), std::move(logged.salt), opened.status(),
                                  std::nullopt, std::nullopt};
  if (opened.ok()) {
    out.plaintext.emplace(std::move(opened->plaintext));
    out.signature.emplace(std::move(opened->signature));
  }
  return out;
}

Result<BreakGlassAttachmentOpen> BreakGlassOpenAttachment(
    ByteView file, const SealedRecord& signature_record, const Identity& author,
    const PublicCard& sender, const EmergencyAccess& access, AuthorChains& chain, Rng& rng,
    Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(const UnixMillis now, CheckAccessAndClock(access, clock));
  MEDSEAL_ASSIGN_OR_RETURN(EventSubject subject, AttachmentSubject(Sha256(file)));
  MEDSEAL_ASSIGN_OR_RETURN(OpenedAttachment opened,
                           OpenAttachment(file, signature_record, author, sender, access));
  MEDSEAL_ASSIGN_OR_RETURN(Logged logged, LogAttempt(author, access, std::move(subject), now,
                                                     /*opened=*/true, chain, rng));
  return BreakGlassAttachmentOpen{std::move(opened.plaintext), std::move(opened.signature),
                                  std::move(logged.event), std::move(logged.salt)};
}

std::vector<size_t> BreakGlassEventsAbout(std::span<const SignedEvent> events,
                                          ByteView patient_key_id) {
  std::vector<size_t> out;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i].event;
    if (e.type == EventType::kBreakGlass &&
        std::equal(e.patient.begin(), e.patient.end(), patient_key_id.begin(),
                   patient_key_id.end())) {
      out.push_back(i);
    }
  }
  return out;
}

Status VerifyBreakGlassReason(const SignedEvent& event, ByteView salt, std::string_view reason) {
  if (event.event.type != EventType::kBreakGlass) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: not a break-glass event");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes h, SaltedReason(salt, reason));
  if (!ConstantTimeEqual(h, event.event.reason)) {
    return Error(ErrorCode::kLogEntryModified, "break-glass: the reason is not the one logged");
  }
  return Status::Ok();
}

}  // namespace medseal::tlog
