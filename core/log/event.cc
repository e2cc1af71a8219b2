// SPDX-License-Identifier: Apache-2.0
#include "core/log/event.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/codec/base64url.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/consent/vault.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/sha2.h"

namespace medseal::tlog {
namespace {

constexpr std::array<std::string_view, 9> kTypeNames = {
    "grant", "withdraw", "share", "open", "break-glass", "export", "erase", "rotate", "revoke"};

Bytes Label(std::string_view label) {
  Bytes b(label.begin(), label.end());
  b.push_back(0);
  return b;
}

bool IsZero(ByteView b) {
  return std::all_of(b.begin(), b.end(), [](uint8_t c) { return c == 0; });
}

bool ValidType(EventType t) {
  const auto n = static_cast<uint8_t>(t);
  return n >= 1 && n <= kTypeNames.size();
}

bool ValidOutcome(int64_t o) { return o == 0 || o == 4 || o == 8 || o == 12; }

bool ValidKind(SubjectKind k) {
  const auto n = static_cast<uint8_t>(k);
  return n >= 1 && n <= 4;
}

size_t SubjectIdSize(SubjectKind k) {
  return k == SubjectKind::kCard ? kKeyIdSize : kSubjectHashSize;
}

bool SubjectLess(const EventSubject& a, const EventSubject& b) {
  if (a.kind != b.kind) return static_cast<uint8_t>(a.kind) < static_cast<uint8_t>(b.kind);
  return BytesLess(a.id, b.id);
}

bool PrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7e;
  });
}

bool HasSubject(const Event& e, SubjectKind kind) {
  return std::any_of(e.subjects.begin(), e.subjects.end(),
                     [kind](const EventSubject& s) { return s.kind == kind; });
}

bool HasDataSubject(const Event& e) {
  return HasSubject(e, SubjectKind::kRecord) || HasSubject(e, SubjectKind::kAttachment);
}

// The shape rules of spec §6.2 on an event built in code (a parsed event has
// passed them with the parser's own codes): kInvalidArgument.
Status CheckShape(const Event& e) {
  auto bad = [](const char* what) {
    return Error(ErrorCode::kInvalidArgument, std::string("event: ") + what);
  };
  if (!ValidType(e.type)) return bad("unknown type");
  if (e.author.size() != kKeyIdSize) return bad("author is not a 16-byte key id");
  if (e.seq > static_cast<uint64_t>(kMaxJsonInteger)) return bad("seq out of range");
  if (e.prev.size() != kEventHashSize) return bad("prev is not 32 bytes");
  if (e.time < 0 || e.time > kMaxUnixMillis) return bad("time out of range");
  if (e.purpose.size() > kMaxEventPurposeBytes || !PrintableAscii(e.purpose)) {
    return bad("purpose is not 0..64 bytes of 0x21..0x7e");
  }
  if (!ValidOutcome(static_cast<int64_t>(e.outcome))) return bad("unknown outcome");
  if (!e.patient.empty() && e.patient.size() != kKeyIdSize) return bad("patient key id size");
  if (e.recipients.size() > kMaxEventRecipients) return bad("too many recipients");
  for (size_t i = 0; i < e.recipients.size(); ++i) {
    if (e.recipients[i].size() != kKeyIdSize) return bad("recipient key id size");
    if (i > 0 && !BytesLess(e.recipients[i - 1], e.recipients[i])) {
      return bad("recipients not sorted and unique");
    }
  }
  if (e.subjects.size() > kMaxEventSubjects) return bad("too many subjects");
  for (size_t i = 0; i < e.subjects.size(); ++i) {
    const EventSubject& s = e.subjects[i];
    if (!ValidKind(s.kind)) return bad("unknown subject kind");
    if (s.id.size() != SubjectIdSize(s.kind)) return bad("subject id size");
    if (i > 0 && !SubjectLess(e.subjects[i - 1], s)) return bad("subjects not sorted and unique");
  }
  if (e.salted.size() > kMaxEventSalted) return bad("too many salted hashes");
  for (size_t i = 0; i < e.salted.size(); ++i) {
    if (e.salted[i].size() != kSaltedHashSize) return bad("salted hash size");
    if (i > 0 && !BytesLess(e.salted[i - 1], e.salted[i])) {
      return bad("salted hashes not sorted and unique");
    }
  }
  if (!e.reason.empty() && e.reason.size() != kSaltedHashSize) return bad("reason size");
  return Status::Ok();
}

// The rules S1-S10 of spec §6.6 (after the members decoded): `bad` is
// kMalformed for a parser and kInvalidArgument for a signer.
Status CheckSemantics(const Event& e, ErrorCode bad) {
  auto fail = [bad](const char* what) { return Error(bad, std::string("event: ") + what); };
  if ((e.seq == 0) != IsZero(e.prev)) {
    return fail("prev must be zeros exactly when seq is 0");  // S1
  }
  if (e.subjects.empty()) return fail("no subject");  // S2
  const bool emergency = IsEmergencyPurpose(e.purpose);
  if (e.type == EventType::kBreakGlass) {
    if (!emergency) return fail("break-glass purpose is not ETREAT or BTG");  // S3
    if (e.reason.empty()) {
      return Error(ErrorCode::kReasonRequired, "event: break-glass without a reason");  // S4
    }
    if (e.patient.empty() || !HasDataSubject(e)) {
      return fail("break-glass names no patient or no record or attachment");  // S5
    }
  } else {
    if (e.type == EventType::kOpen && emergency) {
      return Error(ErrorCode::kReasonRequired,
                   "event: an emergency open must be a break-glass event");  // S6
    }
    if (!e.reason.empty()) return fail("a reason outside a break-glass event");  // S7
  }
  switch (e.type) {
    case EventType::kGrant:
    case EventType::kWithdraw:
      if (!HasSubject(e, SubjectKind::kConsent)) return fail("no consent subject");  // S8
      break;
    case EventType::kShare:
      if (e.recipients.empty() || !HasDataSubject(e)) {
        return fail("share without recipients or data subject");  // S9
      }
      break;
    case EventType::kRotate:
    case EventType::kRevoke:
      if (!HasSubject(e, SubjectKind::kCard)) return fail("no card subject");  // S10
      break;
    default: break;
  }
  return Status::Ok();
}

Json B64(ByteView b) { return Base64UrlEncode(b); }

// The event's JSON object without "sig", from fields already checked.
Json UnsignedJson(const Event& e) {
  Json j = Json::object();
  j["v"] = kEventVersion;
  j["type"] = std::string(EventTypeName(e.type));
  j["author"] = B64(e.author);
  j["seq"] = static_cast<int64_t>(e.seq);
  j["prev"] = B64(e.prev);
  j["time"] = e.time;
  j["purpose"] = e.purpose;
  j["outcome"] = static_cast<int64_t>(e.outcome);
  j["patient"] = B64(e.patient);
  Json recipients = Json::array();
  for (const auto& r : e.recipients) recipients.push_back(B64(r));
  j["recipients"] = std::move(recipients);
  Json subjects = Json::array();
  for (const auto& s : e.subjects) {
    Json o = Json::object();
    o["kind"] = std::string(SubjectKindName(s.kind));
    o["id"] = B64(s.id);
    subjects.push_back(std::move(o));
  }
  j["subjects"] = std::move(subjects);
  Json salted = Json::array();
  for (const auto& h : e.salted) salted.push_back(B64(h));
  j["salted"] = std::move(salted);
  j["reason"] = B64(e.reason);
  return j;
}

Status CheckForSigning(const Event& e) {
  MEDSEAL_RETURN_IF_ERROR(CheckShape(e));
  return CheckSemantics(e, ErrorCode::kInvalidArgument);
}

// --- parsing --------------------------------------------------------------

Status Malformed(const std::string& what) { return Error(ErrorCode::kMalformed, "event: " + what); }

// A base64url string (D1-D4, their codes) of exactly `size` bytes.
Result<Bytes> DecodeElement(const Json& v, size_t size, const char* what) {
  if (!v.is_string()) return Malformed(std::string(what) + " is not a string");
  auto bytes = Base64UrlDecode(v.get_ref<const std::string&>());
  if (!bytes.ok()) {
    return Status(bytes.status().code(),
                  std::string("event: ") + what + ": " + bytes.status().message());
  }
  if (bytes->size() != size) return Malformed(std::string(what) + " has the wrong size");
  return std::move(bytes).value();
}

// A member that is "" or decodes to exactly `size` bytes.
Result<Bytes> GetOptionalBytes(const Json& j, std::string_view key, size_t size) {
  MEDSEAL_ASSIGN_OR_RETURN(Bytes b, GetBase64(j, key, 0, size));
  if (!b.empty() && b.size() != size) {
    return Malformed("\"" + std::string(key) + "\" has the wrong size");
  }
  return b;
}

Result<const Json*> GetArray(const Json& j, std::string_view key, size_t max) {
  const Json& a = j[std::string(key)];
  if (!a.is_array()) return Malformed("\"" + std::string(key) + "\" is not an array");
  if (a.size() > max) {
    return Error(ErrorCode::kTooLarge, "event: \"" + std::string(key) + "\" has too many entries");
  }
  return &a;
}

Result<uint64_t> GetNonNegative(const Json& j, std::string_view key) {
  auto n = GetInt(j, key);
  if (!n.ok() || *n < 0) return Malformed("\"" + std::string(key) + "\" is not in 0..2^53-1");
  return static_cast<uint64_t>(*n);
}

Result<SubjectKind> ParseSubjectKind(std::string_view name) {
  for (uint8_t k = 1; k <= 4; ++k) {
    if (SubjectKindName(static_cast<SubjectKind>(k)) == name) return static_cast<SubjectKind>(k);
  }
  return Malformed("unknown subject kind");
}

Result<Json> ParseCanonical(ByteView encoded) {
  // E1, E2: the JSON rules G1-G8 (spec §1.2) with the event limit.
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(AsText(encoded), kMaxEventBytes));
  // E3: the exact bytes are the JCS form of what they parse to.
  MEDSEAL_ASSIGN_OR_RETURN(std::string jcs, CanonicalizeJson(j));
  if (AsText(encoded) != jcs) {
    return Error(ErrorCode::kNonCanonical, "event: not in its JCS canonical form");
  }
  return j;
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  if (!ValidType(type)) return "unknown";
  return kTypeNames[static_cast<uint8_t>(type) - 1];
}

Result<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EventType>(i + 1);
  }
  return Error(ErrorCode::kUnsupportedVersion, "event: unknown event type");
}

bool IsEmergencyPurpose(std::string_view purpose) {
  return purpose == kPurposeEmergencyTreatment || purpose == kPurposeBreakTheGlass;
}

std::string_view SubjectKindName(SubjectKind kind) {
  switch (kind) {
    case SubjectKind::kRecord: return "record";
    case SubjectKind::kConsent: return "consent";
    case SubjectKind::kAttachment: return "attachment";
    case SubjectKind::kCard: return "card";
    default: return "unknown";
  }
}

EventSubject RecordSubject(const SealedRecord& record) {
  return EventSubject{SubjectKind::kRecord, consent::SealedRecordHash(record)};
}

Result<EventSubject> ConsentSubject(const consent::SignedConsent& receipt) {
  MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, consent::ConsentHash(receipt));
  return EventSubject{SubjectKind::kConsent, std::move(hash)};
}

Result<EventSubject> AttachmentSubject(ByteView file_sha256) {
  if (file_sha256.size() != kSha256Size) {
    return Error(ErrorCode::kInvalidArgument, "event: attachment hash is not 32 bytes");
  }
  return EventSubject{SubjectKind::kAttachment, Bytes(file_sha256.begin(), file_sha256.end())};
}

EventSubject CardSubject(const PublicCard& card) {
  return EventSubject{SubjectKind::kCard, card.key_id()};
}

Bytes SignedEvent::Hash() const { return Sha256(encoded); }

Result<Bytes> SaltedHash(ByteView salt, std::string_view domain, ByteView value) {
  if (salt.size() < kMinSaltSize || salt.size() > kMaxSaltSize) {
    return Error(ErrorCode::kInvalidArgument, "salted hash: salt is not 16..64 bytes");
  }
  if (domain.empty() || domain.size() > kMaxSaltDomainBytes || !PrintableAscii(domain)) {
    return Error(ErrorCode::kInvalidArgument, "salted hash: bad domain");
  }
  Bytes message = Label(kSaltedHashLabel);
  message.insert(message.end(), domain.begin(), domain.end());
  message.push_back(0);
  message.insert(message.end(), value.begin(), value.end());
  auto out = Blake2b(kSaltedHashSize, salt, message);
  SecureWipe(message);
  return out;
}

SecretBytes NewEventSalt(Rng& rng) { return rng.Secret(kEventSaltSize); }

Result<Bytes> SaltedSensitivity(ByteView salt, std::string_view token) {
  return SaltedHash(salt, kSaltDomainSensitivity, AsBytes(token));
}

Result<Bytes> SaltedReason(ByteView salt, std::string_view reason) {
  return SaltedHash(salt, kSaltDomainReason, AsBytes(reason));
}

Result<std::string> EventJcs(const Event& event) {
  MEDSEAL_RETURN_IF_ERROR(CheckForSigning(event));
  return CanonicalizeJson(UnsignedJson(event));
}

Result<Bytes> EventSignedBytes(const Event& event) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string jcs, EventJcs(event));
  Bytes out = Label(kEventSignatureLabel);
  out.insert(out.end(), jcs.begin(), jcs.end());
  return out;
}

Result<SignedEvent> SignEvent(const Identity& author, const Event& event) {
  if (event.author != author.key_id()) {
    return Error(ErrorCode::kSenderMismatch, "event: author is not the signing identity");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signed_bytes, EventSignedBytes(event));
  Json j = UnsignedJson(event);
  j["sig"] = B64(author.Sign(signed_bytes));
  MEDSEAL_ASSIGN_OR_RETURN(std::string encoded, CanonicalizeJson(j));
  // What is signed parses (the size limit, E1, is the only rule the checks
  // above do not already cover).
  return ParseEvent(AsBytes(encoded));
}

Result<SignedEvent> ParseEvent(ByteView encoded) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseCanonical(encoded));  // E1-E3
  auto v = GetInt(j, "v");
  if (!v.ok()) return Malformed("\"v\" is missing or not an integer");  // E4
  if (*v != kEventVersion) {
    return Error(ErrorCode::kUnsupportedVersion, "event: unsupported version");  // E5
  }
  MEDSEAL_RETURN_IF_ERROR(
      ExpectExactKeys(j, {"v", "type", "author", "seq", "prev", "time", "purpose", "outcome",
                          "patient", "recipients", "subjects", "salted", "reason", "sig"}));  // E6
  SignedEvent out;
  Event& e = out.event;
  MEDSEAL_ASSIGN_OR_RETURN(std::string type, GetString(j, "type"));        // E7
  MEDSEAL_ASSIGN_OR_RETURN(e.type, ParseEventType(type));                  // E8
  MEDSEAL_ASSIGN_OR_RETURN(e.author, GetBase64(j, "author", kKeyIdSize));  // E9
  MEDSEAL_ASSIGN_OR_RETURN(e.seq, GetNonNegative(j, "seq"));               // E10
  MEDSEAL_ASSIGN_OR_RETURN(e.prev, GetBase64(j, "prev", kEventHashSize));  // E11
  MEDSEAL_ASSIGN_OR_RETURN(uint64_t time, GetNonNegative(j, "time"));      // E12
  e.time = static_cast<UnixMillis>(time);
  MEDSEAL_ASSIGN_OR_RETURN(e.purpose, GetString(j, "purpose"));  // E13
  if (e.purpose.size() > kMaxEventPurposeBytes) {
    return Error(ErrorCode::kTooLarge, "event: purpose too long");  // E14
  }
  if (!PrintableAscii(e.purpose)) return Malformed("purpose has a byte outside 0x21..0x7e");  // E15
  auto outcome = GetInt(j, "outcome");
  if (!outcome.ok() || !ValidOutcome(*outcome)) {
    return Malformed("\"outcome\" is not 0, 4, 8 or 12");  // E16
  }
  e.outcome = static_cast<EventOutcome>(*outcome);
  MEDSEAL_ASSIGN_OR_RETURN(e.patient, GetOptionalBytes(j, "patient", kKeyIdSize));  // E17
  // E18-E20: recipients.
  MEDSEAL_ASSIGN_OR_RETURN(const Json* recipients, GetArray(j, "recipients", kMaxEventRecipients));
  for (const Json& r : *recipients) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes id, DecodeElement(r, kKeyIdSize, "recipient"));
    if (!e.recipients.empty()) {
      if (e.recipients.back() == id) {
        return Error(ErrorCode::kDuplicateRecipient, "event: a recipient appears twice");
      }
      if (!BytesLess(e.recipients.back(), id)) {
        return Error(ErrorCode::kNonCanonical, "event: recipients not sorted");
      }
    }
    e.recipients.push_back(std::move(id));
  }
  // E21-E24: subjects.
  MEDSEAL_ASSIGN_OR_RETURN(const Json* subjects, GetArray(j, "subjects", kMaxEventSubjects));
  for (const Json& s : *subjects) {
    if (!s.is_object()) return Malformed("a subject is not an object");
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(s, {"kind", "id"}));
    MEDSEAL_ASSIGN_OR_RETURN(std::string kind_name, GetString(s, "kind"));
    EventSubject subject;
    MEDSEAL_ASSIGN_OR_RETURN(subject.kind, ParseSubjectKind(kind_name));
    MEDSEAL_ASSIGN_OR_RETURN(subject.id, GetBase64(s, "id", SubjectIdSize(subject.kind)));
    if (!e.subjects.empty() && !SubjectLess(e.subjects.back(), subject)) {
      return Error(ErrorCode::kNonCanonical, "event: subjects not sorted and unique");
    }
    e.subjects.push_back(std::move(subject));
  }
  // E25-E26: salted hashes.
  MEDSEAL_ASSIGN_OR_RETURN(const Json* salted, GetArray(j, "salted", kMaxEventSalted));
  for (const Json& h : *salted) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, DecodeElement(h, kSaltedHashSize, "salted hash"));
    if (!e.salted.empty() && !BytesLess(e.salted.back(), hash)) {
      return Error(ErrorCode::kNonCanonical, "event: salted hashes not sorted and unique");
    }
    e.salted.push_back(std::move(hash));
  }
  MEDSEAL_ASSIGN_OR_RETURN(e.reason, GetOptionalBytes(j, "reason", kSaltedHashSize));   // E27
  MEDSEAL_ASSIGN_OR_RETURN(out.signature, GetBase64(j, "sig", kEd25519SignatureSize));  // E28
  MEDSEAL_RETURN_IF_ERROR(CheckSemantics(e, ErrorCode::kMalformed));                    // S1-S10
  out.encoded.assign(encoded.begin(), encoded.end());
  return out;
}

Status VerifyEvent(const SignedEvent& event, const PublicCard& author) {
  if (event.event.author != author.key_id()) {
    return Error(ErrorCode::kSenderMismatch, "event: signed by another key");  // V1
  }
  if (event.signature.size() != kEd25519SignatureSize) {
    return Error(ErrorCode::kSignatureInvalid, "event: signature is not 64 bytes");
  }
  auto signed_bytes = EventSignedBytes(event.event);
  if (!signed_bytes.ok()) {
    return Error(ErrorCode::kSignatureInvalid, "event: the fields are not a signable event");
  }
  // The encoded bytes (what the log and the chain hash hold) are this event.
  Json j = UnsignedJson(event.event);
  j["sig"] = B64(event.signature);
  auto encoded = CanonicalizeJson(j);
  if (!encoded.ok() || AsText(event.encoded) != *encoded) {
    return Error(ErrorCode::kSignatureInvalid, "event: encoded bytes differ from the fields");
  }
  return Ed25519Verify(author.sign_public_key(), *signed_bytes, event.signature);  // V2
}

// --- AuthorChains -----------------------------------------------------------

namespace {
template <typename V>
auto FindHead(V& heads, ByteView author) {
  return std::lower_bound(heads.begin(), heads.end(), author, [](const auto& entry, ByteView key) {
    return BytesLess(entry.first, key);
  });
}
}  // namespace

std::pair<uint64_t, Bytes> AuthorChains::Next(ByteView author) const {
  auto it = FindHead(heads_, author);
  if (it == heads_.end() ||
      !std::equal(it->first.begin(), it->first.end(), author.begin(), author.end())) {
    return {0, Bytes(kEventHashSize, 0)};
  }
  return {it->second.seq + 1, it->second.hash};
}

std::optional<std::pair<uint64_t, Bytes>> AuthorChains::Last(ByteView author) const {
  auto it = FindHead(heads_, author);
  if (it == heads_.end() ||
      !std::equal(it->first.begin(), it->first.end(), author.begin(), author.end())) {
    return std::nullopt;
  }
  return std::make_pair(it->second.seq, it->second.hash);
}

Status AuthorChains::Append(const SignedEvent& event) {
  const Event& e = event.event;
  if (e.author.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "chain: author is not a 16-byte key id");
  }
  auto it = FindHead(heads_, e.author);
  const bool known = it != heads_.end() && it->first == e.author;
  if (!known) {
    if (e.seq != 0) {
      return Error(ErrorCode::kLogEntryMissing, "chain: an author's first events are missing");
    }
    if (!IsZero(e.prev) || e.prev.size() != kEventHashSize) {
      return Error(ErrorCode::kLogEntryModified, "chain: a first event with a previous hash");
    }
    heads_.insert(it, {e.author, Head{0, event.Hash()}});
    return Status::Ok();
  }
  Head& head = it->second;
  if (e.seq <= head.seq) {
    return Error(ErrorCode::kLogReordered, "chain: a sequence number repeated or lower");
  }
  if (e.seq != head.seq + 1) {
    return Error(ErrorCode::kLogEntryMissing, "chain: a sequence number skipped");
  }
  if (e.prev != head.hash) {
    return Error(ErrorCode::kLogEntryModified, "chain: prev is not the previous event's hash");
  }
  head = Head{e.seq, event.Hash()};
  return Status::Ok();
}

size_t AuthorChains::authors() const { return heads_.size(); }

}  // namespace medseal::tlog
