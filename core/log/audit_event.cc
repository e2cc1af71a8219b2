// SPDX-License-Identifier: Apache-2.0
#include "core/log/audit_event.h"

#include <cstdint>
#include <cstdio>
#include <utility>

#include "core/codec/base64.h"
#include "core/codec/base64url.h"
#include "core/crypto/sha2.h"
#include "core/fhir/model.h"

namespace medseal::tlog {
namespace {

// Code systems (spec §11.1).
constexpr std::string_view kDicomSystem = "http://dicom.nema.org/resources/ontology/DCM";
constexpr std::string_view kHl7AuditEventTypeSystem =
    "http://terminology.hl7.org/CodeSystem/audit-event-type";
constexpr std::string_view kRestfulInteractionSystem = "http://hl7.org/fhir/restful-interaction";
constexpr std::string_view kBalpAuthZSubTypeSystem =
    "https://profiles.ihe.net/ITI/BALP/CodeSystem/AuthZsubType";
constexpr std::string_view kLifecycleSystem =
    "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle";
constexpr std::string_view kSourceTypeSystem =
    "http://terminology.hl7.org/CodeSystem/security-source-type";
constexpr std::string_view kEntityTypeSystem =
    "http://terminology.hl7.org/CodeSystem/audit-entity-type";
constexpr std::string_view kObjectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role";

// The earliest and latest instants FHIR writes with a four-digit year that
// an event may carry: 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z.
constexpr UnixMillis kLatestInstant = 253402300799999;

struct Code {
  std::string_view system;
  std::string_view code;
};

// How each event type maps (spec §11.2).
struct TypeMapping {
  EventType type;
  std::string_view name;  // the medseal subtype code (spec §6.2's names)
  Code type_code;
  Code subtype[2];  // BALP / DICOM subtypes; an empty code ends the list
  std::string_view action;
  std::string_view author_role;  // v3-ParticipationType code of the author agent
};

constexpr TypeMapping kTypes[] = {
    {EventType::kGrant,
     "grant",
     {kDicomSystem, "110113"},
     {{kBalpAuthZSubTypeSystem, "AuthZ-Consent"}, {}},
     "E",
     "AUT"},
    {EventType::kWithdraw,
     "withdraw",
     {kDicomSystem, "110113"},
     {{kBalpAuthZSubTypeSystem, "AuthZ-Consent"}, {}},
     "E",
     "AUT"},
    {EventType::kShare,
     "share",
     {kDicomSystem, "110106"},
     {{kLifecycleSystem, "disclose"}, {}},
     "R",
     "AUT"},
    {EventType::kOpen,
     "open",
     {kHl7AuditEventTypeSystem, "rest"},
     {{kRestfulInteractionSystem, "read"}, {}},
     "R",
     "IRCP"},
    {EventType::kBreakGlass,
     "break-glass",
     {kHl7AuditEventTypeSystem, "rest"},
     {{kRestfulInteractionSystem, "read"}, {kDicomSystem, "110127"}},
     "R",
     "IRCP"},
    {EventType::kExport,
     "export",
     {kDicomSystem, "110106"},
     {{kLifecycleSystem, "export"}, {}},
     "R",
     "IRCP"},
    {EventType::kErase,
     "erase",
     {kDicomSystem, "110110"},
     {{kLifecycleSystem, "destroy"}, {}},
     "D",
     "AUT"},
    {EventType::kRotate,
     "rotate",
     {kDicomSystem, "110113"},
     {{kDicomSystem, "110137"}, {}},
     "U",
     "AUT"},
    {EventType::kRevoke,
     "revoke",
     {kDicomSystem, "110113"},
     {{kDicomSystem, "110137"}, {}},
     "D",
     "AUT"},
};

const TypeMapping* FindType(EventType type) {
  for (const auto& m : kTypes) {
    if (m.type == type) return &m;
  }
  return nullptr;
}

OrderedJson Coding(Code c) {
  OrderedJson j = OrderedJson::object();
  j["system"] = std::string(c.system);
  j["code"] = std::string(c.code);
  return j;
}

OrderedJson Concept(Code c) {
  OrderedJson j = OrderedJson::object();
  j["coding"] = OrderedJson::array({Coding(c)});
  return j;
}

OrderedJson IdentifierRef(std::string_view system, ByteView id) {
  OrderedJson ident = OrderedJson::object();
  ident["system"] = std::string(system);
  ident["value"] = Base64UrlEncode(id);
  OrderedJson ref = OrderedJson::object();
  ref["identifier"] = std::move(ident);
  return ref;
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's
// days_from_civil inverse).
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

// "YYYY-MM-DDThh:mm:ss.sssZ" for 0 <= t <= kLatestInstant.
std::string FormatInstant(UnixMillis t) {
  const int64_t days = t / 86400000;
  const int64_t ms_of_day = t % 86400000;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, y, m, d);
  char buf[32];
  const int n = std::snprintf(
      buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
      m, d, static_cast<long long>(ms_of_day / 3600000),
      static_cast<long long>(ms_of_day / 60000 % 60), static_cast<long long>(ms_of_day / 1000 % 60),
      static_cast<long long>(ms_of_day % 1000));
  // 24 characters for every t in range (year 0001..9999); anything else is a bug.
  MEDSEAL_CHECK(n == 24);
  return std::string(buf, static_cast<size_t>(n));
}

OrderedJson Detail(std::string_view type, std::string_view value_key, std::string value) {
  OrderedJson j = OrderedJson::object();
  j["type"] = std::string(type);
  j[std::string(value_key)] = std::move(value);
  return j;
}

OrderedJson SubjectEntity(const EventSubject& s) {
  OrderedJson e = OrderedJson::object();
  switch (s.kind) {
    case SubjectKind::kRecord:
      e["what"] = IdentifierRef(kAuditRecordHashSystem, s.id);
      e["type"] = Coding({kEntityTypeSystem, "2"});
      e["role"] = Coding({kObjectRoleSystem, "4"});
      break;
    case SubjectKind::kAttachment:
      e["what"] = IdentifierRef(kAuditAttachmentHashSystem, s.id);
      e["type"] = Coding({kEntityTypeSystem, "2"});
      e["role"] = Coding({kObjectRoleSystem, "3"});
      break;
    case SubjectKind::kConsent:
      e["what"] = IdentifierRef(kAuditConsentHashSystem, s.id);
      e["type"] = Coding({fhir::kResourceTypesSystem, "Consent"});
      break;
    case SubjectKind::kCard:
      e["what"] = IdentifierRef(kAuditKeyIdSystem, s.id);
      e["type"] = Coding({kEntityTypeSystem, "2"});
      e["role"] = Coding({kObjectRoleSystem, "13"});
      break;
  }
  return e;
}

Result<OrderedJson> Build(const SignedEvent& se) {
  const Event& ev = se.event;
  const TypeMapping* map = FindType(ev.type);
  if (map == nullptr) return Error(ErrorCode::kInvalidArgument, "audit event: unknown event type");
  if (ev.time < 0 || ev.time > kLatestInstant) {
    return Error(ErrorCode::kInvalidArgument, "audit event: time outside FHIR instants");
  }
  switch (ev.outcome) {
    case EventOutcome::kSuccess:
    case EventOutcome::kMinorFailure:
    case EventOutcome::kSeriousFailure:
    case EventOutcome::kMajorFailure: break;
    default: return Error(ErrorCode::kInvalidArgument, "audit event: unknown outcome");
  }
  OrderedJson j = OrderedJson::object();
  j["resourceType"] = "AuditEvent";
  if (ev.type == EventType::kBreakGlass) {
    OrderedJson meta = OrderedJson::object();
    meta["security"] = OrderedJson::array({Coding({fhir::kActReasonSystem, "BTG"})});
    j["meta"] = std::move(meta);
  }
  OrderedJson ext = OrderedJson::object();
  ext["url"] = std::string(kAuditEventExtensionUrl);
  ext["valueBase64Binary"] = Base64Encode(se.encoded, Base64Padding::kRequired);
  j["extension"] = OrderedJson::array({std::move(ext)});
  j["type"] = Coding(map->type_code);
  OrderedJson subtype = OrderedJson::array();
  for (const Code& c : map->subtype) {
    if (!c.code.empty()) subtype.push_back(Coding(c));
  }
  subtype.push_back(Coding({kAuditEventTypeSystem, map->name}));
  j["subtype"] = std::move(subtype);
  j["action"] = std::string(map->action);
  j["recorded"] = FormatInstant(ev.time);
  j["outcome"] = std::to_string(static_cast<int>(ev.outcome));
  if (!ev.purpose.empty()) {
    j["purposeOfEvent"] = OrderedJson::array({Concept({fhir::kActReasonSystem, ev.purpose})});
  }
  OrderedJson agents = OrderedJson::array();
  {
    OrderedJson a = OrderedJson::object();
    a["type"] = Concept({fhir::kParticipationTypeSystem, map->author_role});
    a["who"] = IdentifierRef(kAuditKeyIdSystem, ev.author);
    a["requestor"] = true;
    agents.push_back(std::move(a));
  }
  for (const Bytes& r : ev.recipients) {
    OrderedJson a = OrderedJson::object();
    a["type"] = Concept({fhir::kParticipationTypeSystem, "IRCP"});
    a["who"] = IdentifierRef(kAuditKeyIdSystem, r);
    a["requestor"] = false;
    agents.push_back(std::move(a));
  }
  j["agent"] = std::move(agents);
  OrderedJson source = OrderedJson::object();
  OrderedJson observer = OrderedJson::object();
  observer["display"] = "medseal";
  source["observer"] = std::move(observer);
  source["type"] = OrderedJson::array({Coding({kSourceTypeSystem, "1"})});
  j["source"] = std::move(source);
  OrderedJson entities = OrderedJson::array();
  if (!ev.patient.empty()) {
    OrderedJson e = OrderedJson::object();
    e["what"] = IdentifierRef(kAuditKeyIdSystem, ev.patient);
    e["type"] = Coding({kEntityTypeSystem, "1"});
    e["role"] = Coding({kObjectRoleSystem, "1"});
    entities.push_back(std::move(e));
  }
  for (const EventSubject& s : ev.subjects) entities.push_back(SubjectEntity(s));
  {
    // The signed event itself: its hash (what the author's next event
    // carries as prev) and the chain and salted fields (spec §11.2).
    OrderedJson e = OrderedJson::object();
    e["what"] = IdentifierRef(kAuditEventHashSystem, Sha256(se.encoded));
    e["type"] = Coding({kEntityTypeSystem, "4"});
    OrderedJson detail = OrderedJson::array();
    detail.push_back(Detail("seq", "valueString", std::to_string(ev.seq)));
    detail.push_back(
        Detail("prev", "valueBase64Binary", Base64Encode(ev.prev, Base64Padding::kRequired)));
    for (const Bytes& s : ev.salted) {
      detail.push_back(
          Detail("salted", "valueBase64Binary", Base64Encode(s, Base64Padding::kRequired)));
    }
    if (!ev.reason.empty()) {
      detail.push_back(
          Detail("reason", "valueBase64Binary", Base64Encode(ev.reason, Base64Padding::kRequired)));
    }
    e["detail"] = std::move(detail);
    entities.push_back(std::move(e));
  }
  j["entity"] = std::move(entities);
  return j;
}

// JSON equality with object members compared as sets (a FHIR server may
// reorder members) and arrays in order. Recursive over values that the
// depth limit bounds.
bool SameJson(const OrderedJson& a, const OrderedJson& b) {  // NOLINT(misc-no-recursion)
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !SameJson(*it, *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameJson(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

Status Modified(std::string_view rule, std::string_view element) {
  return Error(ErrorCode::kLogEntryModified, "audit event: " + std::string(element) +
                                                 " differs from the signed event (rule " +
                                                 std::string(rule) + ")");
}

// A mapped element: absent in both, or the same value.
Status CheckElement(const OrderedJson& got, const OrderedJson& want, std::string_view key,
                    std::string_view rule) {
  auto g = got.find(key);
  auto w = want.find(key);
  const bool has_g = g != got.end(), has_w = w != want.end();
  if (has_g != has_w || (has_g && !SameJson(*g, *w))) return Modified(rule, key);
  return Status::Ok();
}

// The members of AuditEvent that medseal writes or tolerates (spec §11.4).
constexpr std::string_view kKnownMembers[] = {
    "resourceType", "id",       "meta",    "text",           "extension", "type",   "subtype",
    "action",       "recorded", "outcome", "purposeOfEvent", "agent",     "source", "entity"};

}  // namespace

Result<OrderedJson> ExportAuditEventJson(const SignedEvent& event) {
  auto parsed = ParseEvent(event.encoded);
  if (!parsed.ok() || !(parsed->event == event.event) || parsed->signature != event.signature) {
    return Error(ErrorCode::kInvalidArgument,
                 "audit event: the encoded event does not parse to the given fields");
  }
  return Build(event);
}

Result<std::string> ExportAuditEvent(const SignedEvent& event) {
  MEDSEAL_ASSIGN_OR_RETURN(OrderedJson j, ExportAuditEventJson(event));
  return j.dump();
}

Result<std::string> ExportAuditEventBundle(std::span<const SignedEvent> events) {
  OrderedJson bundle = OrderedJson::object();
  bundle["resourceType"] = "Bundle";
  bundle["type"] = "collection";
  OrderedJson entries = OrderedJson::array();
  for (const SignedEvent& e : events) {
    MEDSEAL_ASSIGN_OR_RETURN(OrderedJson j, ExportAuditEventJson(e));
    OrderedJson entry = OrderedJson::object();
    entry["resource"] = std::move(j);
    entries.push_back(std::move(entry));
  }
  bundle["entry"] = std::move(entries);
  return bundle.dump();
}

Result<SignedEvent> ImportAuditEvent(std::string_view json) {
  // AI1: the JSON rules G1-G8 (kTooLarge, kMalformed), depth (kTooDeep).
  MEDSEAL_ASSIGN_OR_RETURN(OrderedJson j, ParseOrderedJsonObject(json, kMaxAuditEventJsonBytes,
                                                                 kMaxAuditEventJsonDepth));
  // AI2: an AuditEvent.
  auto rt = j.find("resourceType");
  if (rt == j.end() || !rt->is_string() || rt->get_ref<const std::string&>() != "AuditEvent") {
    return Error(ErrorCode::kMalformed, "audit event: resourceType is not \"AuditEvent\"");
  }
  // AI3: "extension", when present, is an array of objects, each with a
  // string url.
  const OrderedJson* ours = nullptr;
  auto ext = j.find("extension");
  if (ext != j.end()) {
    if (!ext->is_array()) return Error(ErrorCode::kMalformed, "audit event: extension not a list");
    for (const OrderedJson& e : *ext) {
      if (!e.is_object()) return Error(ErrorCode::kMalformed, "audit event: extension not object");
      auto url = e.find("url");
      if (url == e.end() || !url->is_string()) {
        return Error(ErrorCode::kMalformed, "audit event: extension without url");
      }
      if (url->get_ref<const std::string&>() != kAuditEventExtensionUrl) continue;
      // AI5: the medseal extension at most once.
      if (ours != nullptr) {
        return Error(ErrorCode::kMalformed, "audit event: the medseal extension twice");
      }
      ours = &e;
    }
  }
  // AI4: no medseal extension: an AuditEvent medseal did not write.
  if (ours == nullptr) {
    return Error(ErrorCode::kUnsupportedVersion, "audit event: not a medseal log event");
  }
  // AI6: exactly url and valueBase64Binary, a string.
  auto value = ours->find("valueBase64Binary");
  if (ours->size() != 2 || value == ours->end() || !value->is_string()) {
    return Error(ErrorCode::kMalformed, "audit event: medseal extension is not valueBase64Binary");
  }
  const std::string& b64 = value->get_ref<const std::string&>();
  // AI7: at most the base64 length of kMaxEventBytes, then strict padded
  // base64 (kMalformed, kNonCanonical).
  if (b64.size() > (kMaxEventBytes + 2) / 3 * 4) {
    return Error(ErrorCode::kTooLarge, "audit event: embedded event too large");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes encoded, Base64Decode(b64, Base64Padding::kRequired));
  // AI8: the embedded event parses (ParseEvent's rules and codes).
  MEDSEAL_ASSIGN_OR_RETURN(SignedEvent event, ParseEvent(encoded));
  // AI9: an event that has no AuditEvent form could not have been exported.
  auto built = Build(event);
  if (!built.ok()) {
    return Error(ErrorCode::kMalformed, "audit event: embedded event has no AuditEvent form");
  }
  const OrderedJson& want = *built;
  // AI10: only the members medseal writes, and id, meta and text.
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool known = false;
    for (std::string_view k : kKnownMembers) known = known || it.key() == k;
    if (!known) return Modified("AI10", "an element medseal does not write");
  }
  // AI11: meta.security (meta's other members are a server's to set).
  {
    OrderedJson got_meta = OrderedJson::object();
    auto meta = j.find("meta");
    if (meta != j.end()) {
      if (!meta->is_object()) return Error(ErrorCode::kMalformed, "audit event: meta not object");
      auto sec = meta->find("security");
      if (sec != meta->end()) got_meta["security"] = *sec;
    }
    OrderedJson want_meta = OrderedJson::object();
    auto wm = want.find("meta");
    if (wm != want.end()) want_meta["security"] = (*wm)["security"];
    MEDSEAL_RETURN_IF_ERROR(CheckElement(got_meta, want_meta, "security", "AI11"));
  }
  // AI12..AI21: the mapped elements, in this order.
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "extension", "AI12"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "type", "AI13"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "subtype", "AI14"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "action", "AI15"));
  // AI16: recorded denotes the event's time (a server may rewrite the
  // instant, e.g. drop a zero fraction or change the zone).
  {
    auto rec = j.find("recorded");
    if (rec == j.end() || !rec->is_string()) return Modified("AI16", "recorded");
    const std::string& text = rec->get_ref<const std::string&>();
    auto dt = fhir::ParseFhirDateTime(text);
    if (!dt.ok() || text.find('T') == std::string::npos || dt->lo != event.event.time) {
      return Modified("AI16", "recorded");
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "outcome", "AI17"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "purposeOfEvent", "AI18"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "agent", "AI19"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "source", "AI20"));
  MEDSEAL_RETURN_IF_ERROR(CheckElement(j, want, "entity", "AI21"));
  return event;
}

}  // namespace medseal::tlog
