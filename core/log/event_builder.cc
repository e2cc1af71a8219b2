// SPDX-License-Identifier: Apache-2.0
#include "core/log/event_builder.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/base/utf8.h"
#include "core/codec/base64url.h"
#include "core/codec/json.h"
#include "core/identity/card.h"

namespace medseal::tlog {
namespace {

Status Bad(const std::string& what) { return Error(ErrorCode::kInvalidArgument, "event: " + what); }

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

Status CheckFields(const EventFields& f) {
  if (f.sensitivity.size() > kMaxEventSensitivity) return Bad("more than 16 sensitivity labels");
  for (const auto& label : f.sensitivity) {
    if (label.empty()) return Bad("an empty sensitivity label");
  }
  if (!f.reason.has_value()) return Status::Ok();
  if (f.type != EventType::kBreakGlass) return Bad("a reason outside a break-glass event");
  const std::string& r = *f.reason;
  if (IsBlank(r)) return Error(ErrorCode::kReasonRequired, "event: an empty reason");
  if (r.size() > kMaxEventReasonBytes) {
    return Error(ErrorCode::kTooLarge, "event: reason longer than 1024 bytes");
  }
  if (!IsValidUtf8(r) || HasForbiddenControl(r)) return Bad("reason is not UTF-8 text");
  return Status::Ok();
}

bool SubjectLess(const EventSubject& a, const EventSubject& b) {
  if (a.kind != b.kind) return static_cast<uint8_t>(a.kind) < static_cast<uint8_t>(b.kind);
  return BytesLess(a.id, b.id);
}

void SortUniqueBytes(std::vector<Bytes>& v) {
  std::sort(v.begin(), v.end(), [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// --- JSON -------------------------------------------------------------------

Status Malformed(const std::string& what) {
  return Error(ErrorCode::kMalformed, "event fields: " + what);
}

constexpr std::string_view kMembers[] = {"type",    "subjects",   "purpose", "outcome",
                                         "patient", "recipients", "reason",  "sensitivity"};

Result<Bytes> DecodeId(const Json& v, size_t size, const char* what) {
  if (!v.is_string()) return Malformed(std::string(what) + " is not a string");
  auto bytes = Base64UrlDecode(v.get_ref<const std::string&>());
  if (!bytes.ok()) {
    return Status(bytes.status().code(),
                  std::string("event fields: ") + what + ": " + bytes.status().message());
  }
  if (bytes->size() != size) return Malformed(std::string(what) + " has the wrong size");
  return std::move(bytes).value();
}

Result<SubjectKind> KindFromName(std::string_view name) {
  for (SubjectKind k : {SubjectKind::kRecord, SubjectKind::kConsent, SubjectKind::kAttachment,
                        SubjectKind::kCard}) {
    if (SubjectKindName(k) == name) return k;
  }
  return Malformed("unknown subject kind");
}

Result<EventSubject> SubjectFromJson(const Json& s) {
  if (!s.is_object()) return Malformed("a subject is not an object");
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(s, {"kind", "id"}));
  MEDSEAL_ASSIGN_OR_RETURN(std::string name, GetString(s, "kind"));
  EventSubject subject;
  MEDSEAL_ASSIGN_OR_RETURN(subject.kind, KindFromName(name));
  const size_t size = subject.kind == SubjectKind::kCard ? kKeyIdSize : kSubjectHashSize;
  MEDSEAL_ASSIGN_OR_RETURN(subject.id, DecodeId(s["id"], size, "subject id"));
  return subject;
}

Result<std::vector<std::string>> StringList(const Json& v, const char* what) {
  if (!v.is_array()) return Malformed(std::string(what) + " is not an array");
  std::vector<std::string> out;
  for (const Json& e : v) {
    if (!e.is_string()) return Malformed(std::string(what) + ": an element is not a string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace

Result<NewEvent> SignNewEvent(const Identity& author, const EventFields& fields,
                              AuthorChains& chain, Rng& rng, Clock& clock) {
  MEDSEAL_RETURN_IF_ERROR(CheckFields(fields));
  SecretBytes salt = NewEventSalt(rng);
  Event e;
  e.type = fields.type;
  e.author = author.key_id();
  auto [seq, prev] = chain.Next(author.key_id());
  e.seq = seq;
  e.prev = std::move(prev);
  e.time = clock.Now();
  e.purpose = fields.purpose;
  e.outcome = fields.outcome;
  e.patient = fields.patient;
  e.recipients = fields.recipients;
  SortUniqueBytes(e.recipients);
  e.subjects = fields.subjects;
  std::sort(e.subjects.begin(), e.subjects.end(), SubjectLess);
  e.subjects.erase(std::unique(e.subjects.begin(), e.subjects.end()), e.subjects.end());
  for (const auto& label : fields.sensitivity) {
    MEDSEAL_ASSIGN_OR_RETURN(Bytes h, SaltedSensitivity(RevealSecret(salt), label));
    e.salted.push_back(std::move(h));
  }
  SortUniqueBytes(e.salted);
  if (fields.reason.has_value()) {
    MEDSEAL_ASSIGN_OR_RETURN(e.reason, SaltedReason(RevealSecret(salt), *fields.reason));
  }
  MEDSEAL_ASSIGN_OR_RETURN(SignedEvent event, SignEvent(author, e));
  MEDSEAL_RETURN_IF_ERROR(chain.Append(event));
  return NewEvent{std::move(event), std::move(salt)};
}

Result<EventFields> EventFieldsFromJson(std::string_view text) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(text, kMaxEventFieldsJsonBytes));
  for (const auto& [key, value] : j.items()) {
    if (std::find(std::begin(kMembers), std::end(kMembers), key) == std::end(kMembers)) {
      return Malformed("unknown member");
    }
  }
  if (!j.contains("type") || !j.contains("subjects")) {
    return Malformed("\"type\" and \"subjects\" are required");
  }
  EventFields f;
  MEDSEAL_ASSIGN_OR_RETURN(std::string type, GetString(j, "type"));
  MEDSEAL_ASSIGN_OR_RETURN(f.type, ParseEventType(type));
  const Json& subjects = j["subjects"];
  if (!subjects.is_array()) return Malformed("\"subjects\" is not an array");
  if (subjects.size() > kMaxEventSubjects) return Malformed("too many subjects");
  for (const Json& s : subjects) {
    MEDSEAL_ASSIGN_OR_RETURN(EventSubject subject, SubjectFromJson(s));
    f.subjects.push_back(std::move(subject));
  }
  if (j.contains("purpose")) {
    MEDSEAL_ASSIGN_OR_RETURN(f.purpose, GetString(j, "purpose"));
  }
  if (j.contains("outcome")) {
    MEDSEAL_ASSIGN_OR_RETURN(int64_t outcome, GetInt(j, "outcome"));
    if (outcome != 0 && outcome != 4 && outcome != 8 && outcome != 12) {
      return Malformed("\"outcome\" is not 0, 4, 8 or 12");
    }
    f.outcome = static_cast<EventOutcome>(outcome);
  }
  if (j.contains("patient")) {
    MEDSEAL_ASSIGN_OR_RETURN(f.patient, DecodeId(j["patient"], kKeyIdSize, "patient"));
  }
  if (j.contains("recipients")) {
    const Json& r = j["recipients"];
    if (!r.is_array()) return Malformed("\"recipients\" is not an array");
    if (r.size() > kMaxEventRecipients) return Malformed("too many recipients");
    for (const Json& id : r) {
      MEDSEAL_ASSIGN_OR_RETURN(Bytes key, DecodeId(id, kKeyIdSize, "recipient"));
      f.recipients.push_back(std::move(key));
    }
  }
  if (j.contains("sensitivity")) {
    MEDSEAL_ASSIGN_OR_RETURN(f.sensitivity, StringList(j["sensitivity"], "\"sensitivity\""));
  }
  if (j.contains("reason")) {
    MEDSEAL_ASSIGN_OR_RETURN(std::string reason, GetString(j, "reason"));
    f.reason = std::move(reason);
  }
  return f;
}

}  // namespace medseal::tlog
