// SPDX-License-Identifier: Apache-2.0
// FHIR R4 AuditEvent export and import of signed log events
// (core/log/audit_event.h, docs/spec/log.md §11): the round trip for every
// event type, the vectors (exact export bytes, accepted rewrites, rejected
// edits), an edit of each mapped element, the coded structure next to the
// IHE BALP examples, and the HL7 and IHE examples, which medseal did not
// write, refused with their code.
#include "core/log/audit_event.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64.h"
#include "core/codec/base64url.h"
#include "core/crypto/sha2.h"
#include "core/identity/identity.h"
#include "core/log/event.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using nlohmann::ordered_json;
using testing::LoadVectorJson;
using testing::ReadVectorFile;

constexpr UnixMillis kTime = 1767268800123;  // 2026-01-01T12:00:00.123Z

Identity MakeIdentity(uint8_t seed_byte, const char* name, const char* role) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role,
                               1700000000000);
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

struct Fixture {
  Identity clinician = MakeIdentity(0x21, "Dr. C", "clinician");
  Identity patient = MakeIdentity(0x22, "Patient P", "patient");
  Bytes nurse_key = Bytes(16, 0x33);
  std::vector<SignedEvent> events;  // one per event type, chained per author

  Fixture() {
    Bytes rec(32, 0xA1), att(32, 0xA2), consent(32, 0xA3), salt_label(32, 0xA4), reason(32, 0xA5);
    uint64_t seq_c = 0, seq_p = 0;
    Bytes prev_c(32, 0), prev_p(32, 0);
    auto add = [&](const Identity& who, Event ev) {
      const bool is_patient = who.key_id() == patient.key_id();
      ev.author = who.key_id();
      ev.seq = is_patient ? seq_p++ : seq_c++;
      ev.prev = is_patient ? prev_p : prev_c;
      auto se = SignEvent(who, ev);
      MEDSEAL_CHECK(se.ok());
      (is_patient ? prev_p : prev_c) = Sha256(se->encoded);
      events.push_back(std::move(se).value());
    };
    std::vector<Bytes> grantees = {clinician.key_id(), nurse_key};
    std::sort(grantees.begin(), grantees.end());
    Event e;
    e.time = kTime;
    e.patient = patient.key_id();
    e.purpose = "TREAT";
    e.type = EventType::kGrant;
    e.recipients = grantees;
    e.subjects = {{SubjectKind::kConsent, consent}};
    add(patient, e);
    e.type = EventType::kWithdraw;
    e.recipients.clear();
    e.time += 1000;
    add(patient, e);
    e.type = EventType::kShare;
    e.recipients = grantees;
    e.subjects = {{SubjectKind::kRecord, rec}, {SubjectKind::kAttachment, att}};
    e.salted = {salt_label};
    add(clinician, e);
    e.type = EventType::kOpen;
    e.recipients.clear();
    e.subjects = {{SubjectKind::kRecord, rec}};
    e.outcome = EventOutcome::kMinorFailure;
    add(clinician, e);
    e.type = EventType::kBreakGlass;
    e.purpose = "ETREAT";
    e.reason = reason;
    e.outcome = EventOutcome::kSuccess;
    add(clinician, e);
    e.reason.clear();
    e.type = EventType::kExport;
    e.purpose = "HOPERAT";
    e.salted.clear();
    add(clinician, e);
    e.type = EventType::kErase;
    e.purpose.clear();
    e.outcome = EventOutcome::kSeriousFailure;
    add(patient, e);
    e.type = EventType::kRotate;
    e.patient.clear();
    e.subjects = {{SubjectKind::kCard, nurse_key}};
    e.outcome = EventOutcome::kMajorFailure;
    add(clinician, e);
    e.type = EventType::kRevoke;
    e.outcome = EventOutcome::kSuccess;
    add(clinician, e);
  }

  const SignedEvent& Of(EventType t) const {
    for (const auto& e : events) {
      if (e.event.type == t) return e;
    }
    MEDSEAL_CHECK(false);
    return events[0];
  }
};

const Fixture& F() {
  static const Fixture* f = new Fixture();
  return *f;
}

ordered_json ExportJson(const SignedEvent& e) {
  auto j = ExportAuditEventJson(e);
  MEDSEAL_CHECK(j.ok());
  return *j;
}

ErrorCode ImportCode(const ordered_json& j) { return ImportAuditEvent(j.dump()).status().code(); }

void ExpectSame(const SignedEvent& got, const SignedEvent& want) {
  EXPECT_EQ(got.event, want.event);
  EXPECT_EQ(got.encoded, want.encoded);
  EXPECT_EQ(got.signature, want.signature);
}

TEST(AuditEvent, RoundTripsEveryEventType) {
  ASSERT_EQ(F().events.size(), 9u);
  std::vector<EventType> seen;
  for (const SignedEvent& e : F().events) {
    auto text = ExportAuditEvent(e);
    ASSERT_OK(text);
    auto back = ImportAuditEvent(*text);
    ASSERT_OK(back);
    ExpectSame(*back, e);
    EXPECT_OK(VerifyEvent(
        *back, e.event.author == F().patient.key_id() ? F().patient.card() : F().clinician.card()));
    seen.push_back(e.event.type);
  }
  for (int t = 1; t <= 9; ++t) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), static_cast<EventType>(t)), seen.end()) << t;
  }
}

TEST(AuditEvent, MapsTheFields) {
  const SignedEvent& bg = F().Of(EventType::kBreakGlass);
  ordered_json j = ExportJson(bg);
  EXPECT_EQ(j["resourceType"], "AuditEvent");
  EXPECT_EQ(j["recorded"], "2026-01-01T12:00:01.123Z");
  EXPECT_EQ(j["outcome"], "0");
  EXPECT_EQ(j["action"], "R");
  EXPECT_EQ(j["meta"]["security"][0]["code"], "BTG");
  EXPECT_EQ(j["meta"]["security"][0]["system"],
            "http://terminology.hl7.org/CodeSystem/v3-ActReason");
  EXPECT_EQ(j["purposeOfEvent"][0]["coding"][0]["code"], "ETREAT");
  EXPECT_EQ(j["subtype"][1]["code"], "110127");
  EXPECT_EQ(j["subtype"].back()["system"], "urn:medseal:log-event-type");
  EXPECT_EQ(j["subtype"].back()["code"], "break-glass");
  EXPECT_EQ(j["extension"][0]["url"], "urn:medseal:log-event");
  EXPECT_EQ(j["extension"][0]["valueBase64Binary"],
            Base64Encode(bg.encoded, Base64Padding::kRequired));
  EXPECT_EQ(j["agent"][0]["who"]["identifier"]["value"], Base64UrlEncode(bg.event.author));
  EXPECT_EQ(j["agent"][0]["requestor"], true);
  EXPECT_EQ(j["entity"][0]["what"]["identifier"]["value"], Base64UrlEncode(bg.event.patient));
  const ordered_json& self = j["entity"].back();
  EXPECT_EQ(self["what"]["identifier"]["value"], Base64UrlEncode(Sha256(bg.encoded)));
  EXPECT_EQ(self["detail"][0]["valueString"], std::to_string(bg.event.seq));
  EXPECT_EQ(self["detail"].back()["type"], "reason");
  EXPECT_EQ(self["detail"].back()["valueBase64Binary"],
            Base64Encode(bg.event.reason, Base64Padding::kRequired));
  // Only break-glass carries the security label; no purpose, no element.
  EXPECT_FALSE(ExportJson(F().Of(EventType::kOpen)).contains("meta"));
  EXPECT_FALSE(ExportJson(F().Of(EventType::kErase)).contains("purposeOfEvent"));
  // Recipients follow the author, as IRCP non-requestors.
  ordered_json share = ExportJson(F().Of(EventType::kShare));
  ASSERT_EQ(share["agent"].size(), 3u);
  EXPECT_EQ(share["agent"][1]["type"]["coding"][0]["code"], "IRCP");
  EXPECT_EQ(share["agent"][1]["requestor"], false);
}

TEST(AuditEvent, ExportRefusesInconsistentOrUnwritableEvents) {
  SignedEvent e = F().Of(EventType::kOpen);
  e.event.purpose = "HMARKT";  // fields that the encoded event does not carry
  EXPECT_CODE(ExportAuditEvent(e), ErrorCode::kInvalidArgument);
  SignedEvent s = F().Of(EventType::kOpen);
  s.signature[0] ^= 1;
  EXPECT_CODE(ExportAuditEvent(s), ErrorCode::kInvalidArgument);
  SignedEvent g = F().Of(EventType::kOpen);
  g.encoded.push_back(' ');
  EXPECT_CODE(ExportAuditEvent(g), ErrorCode::kInvalidArgument);
  // A time FHIR cannot write (year 10000): a real signed event, no export.
  Event late = F().Of(EventType::kRevoke).event;
  late.seq = 0;
  late.prev = Bytes(32, 0);
  late.time = 253402300800000;
  auto signed_late = SignEvent(F().clinician, late);
  ASSERT_OK(signed_late);
  EXPECT_CODE(ExportAuditEvent(*signed_late), ErrorCode::kInvalidArgument);
}

TEST(AuditEvent, BundleHoldsEachExportInOrder) {
  auto bundle = ExportAuditEventBundle(F().events);
  ASSERT_OK(bundle);
  auto j = ordered_json::parse(*bundle, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["resourceType"], "Bundle");
  EXPECT_EQ(j["type"], "collection");
  ASSERT_EQ(j["entry"].size(), F().events.size());
  for (size_t i = 0; i < F().events.size(); ++i) {
    EXPECT_EQ(j["entry"][i]["resource"].dump(), *ExportAuditEvent(F().events[i]));
  }
  std::vector<SignedEvent> bad = {F().events[0]};
  bad[0].event.seq += 1;
  EXPECT_CODE(ExportAuditEventBundle(bad), ErrorCode::kInvalidArgument);
}

// An edit of each mapped element is caught, with the rule named.
TEST(AuditEvent, ImportCatchesAnEditOfEachMappedElement) {
  const ordered_json base = ExportJson(F().Of(EventType::kShare));
  struct Edit {
    const char* rule;
    std::function<void(ordered_json&)> apply;
  };
  const std::vector<Edit> edits = {
      {"AI10", [](ordered_json& j) { j["outcomeDesc"] = "fine"; }},
      {"AI11", [](ordered_json& j) { j["meta"]["security"] = ordered_json::array(); }},
      {"AI12",
       [](ordered_json& j) {
         j["extension"].push_back({{"url", "urn:x"}, {"valueString", "y"}});
       }},
      {"AI13", [](ordered_json& j) { j["type"]["code"] = "110107"; }},
      {"AI14", [](ordered_json& j) { j["subtype"].erase(0); }},
      {"AI14", [](ordered_json& j) { j["subtype"].back()["code"] = "open"; }},
      {"AI15", [](ordered_json& j) { j["action"] = "C"; }},
      {"AI16", [](ordered_json& j) { j["recorded"] = "2026-01-01T12:00:02.124Z"; }},
      {"AI16", [](ordered_json& j) { j["recorded"] = "2026-01-01"; }},
      {"AI16", [](ordered_json& j) { j.erase("recorded"); }},
      {"AI17", [](ordered_json& j) { j["outcome"] = "4"; }},
      {"AI18", [](ordered_json& j) { j["purposeOfEvent"][0]["coding"][0]["code"] = "ETREAT"; }},
      {"AI18", [](ordered_json& j) { j.erase("purposeOfEvent"); }},
      {"AI19", [](ordered_json& j) { j["agent"].erase(2); }},
      {"AI19", [](ordered_json& j) { j["agent"][0]["who"]["identifier"]["value"] = "AAAA"; }},
      {"AI19", [](ordered_json& j) { j["agent"][1]["requestor"] = true; }},
      {"AI20", [](ordered_json& j) { j["source"]["observer"]["display"] = "other"; }},
      {"AI21", [](ordered_json& j) { j["entity"].erase(0); }},
      {"AI21", [](ordered_json& j) { j["entity"][1]["role"]["code"] = "3"; }},
      {"AI21", [](ordered_json& j) { j["entity"].back()["detail"][0]["valueString"] = "7"; }},
  };
  for (const Edit& e : edits) {
    ordered_json j = base;
    e.apply(j);
    auto r = ImportAuditEvent(j.dump());
    EXPECT_CODE(r, ErrorCode::kLogEntryModified) << e.rule << " " << j.dump();
    EXPECT_NE(r.status().message().find(std::string("rule ") + e.rule), std::string::npos)
        << r.status().message();
  }
  // The break-glass label removed from a break-glass export.
  ordered_json bg = ExportJson(F().Of(EventType::kBreakGlass));
  bg.erase("meta");
  EXPECT_CODE(ImportAuditEvent(bg.dump()), ErrorCode::kLogEntryModified);
}

// An edit of the embedded event carried into the mapping passes the
// mapping rules but not the author's signature (spec §11.4).
TEST(AuditEvent, ConsistentEditOfTheEmbeddedEventFailsItsSignature) {
  const SignedEvent& share = F().Of(EventType::kShare);
  std::string text(share.encoded.begin(), share.encoded.end());
  const size_t at = text.find("\"TREAT\"");
  ASSERT_NE(at, std::string::npos);  // the purpose code is clear text (spec §6)
  text.replace(at, 7, "\"HRESCH\"");
  auto edited = ParseEvent(ToBytes(text));
  ASSERT_OK(edited);
  EXPECT_EQ(edited->event.purpose, "HRESCH");
  auto exported = ExportAuditEvent(*edited);
  ASSERT_OK(exported);
  auto back = ImportAuditEvent(*exported);
  ASSERT_OK(back);
  EXPECT_CODE(VerifyEvent(*back, F().clinician.card()), ErrorCode::kSignatureInvalid);
  EXPECT_OK(VerifyEvent(share, F().clinician.card()));
}

// Rewrites a FHIR server may make without changing the meaning pass.
TEST(AuditEvent, ImportToleratesServerRewrites) {
  const SignedEvent& open = F().Of(EventType::kOpen);
  ordered_json j = ExportJson(open);
  ordered_json server = ordered_json::object();
  server["resourceType"] = "AuditEvent";
  server["id"] = "42";
  server["meta"] = {{"versionId", "1"}, {"lastUpdated", "2026-01-02T00:00:00Z"}};
  server["text"] = {{"status", "generated"},
                    {"div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"/>"}};
  // Members in reverse order, recorded in another zone.
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  for (auto k = keys.rbegin(); k != keys.rend(); ++k) {
    if (*k != "resourceType") server[*k] = j[*k];
  }
  server["recorded"] = "2026-01-01T13:00:01.123+01:00";
  auto r = ImportAuditEvent(server.dump(2));
  ASSERT_OK(r);
  ExpectSame(*r, open);
}

TEST(AuditEvent, ImportRefusesHostileInput) {
  EXPECT_CODE(ImportAuditEvent(""), ErrorCode::kMalformed);
  EXPECT_CODE(ImportAuditEvent("[]"), ErrorCode::kMalformed);
  EXPECT_CODE(ImportAuditEvent("{\"resourceType\":\"Consent\"}"), ErrorCode::kMalformed);
  EXPECT_CODE(ImportAuditEvent("{\"resourceType\":\"AuditEvent\"}"),
              ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ImportAuditEvent(std::string(kMaxAuditEventJsonBytes + 1, ' ')),
              ErrorCode::kTooLarge);
  std::string deep = "{\"resourceType\":\"AuditEvent\",\"x\":";
  for (int i = 0; i < 20; ++i) deep += "[";
  for (int i = 0; i < 20; ++i) deep += "]";
  EXPECT_CODE(ImportAuditEvent(deep + "}"), ErrorCode::kTooDeep);
  ordered_json base = ExportJson(F().Of(EventType::kOpen));
  auto with_ext = [&](ordered_json ext) {
    ordered_json j = base;
    j["extension"] = std::move(ext);
    return ImportCode(j);
  };
  const std::string b64 = base["extension"][0]["valueBase64Binary"];
  const std::string url(kAuditEventExtensionUrl);
  EXPECT_EQ(with_ext("x"), ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({1})), ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({{{"valueString", "x"}}})), ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({{{"url", "urn:other"}}})),
            ErrorCode::kUnsupportedVersion);
  ordered_json one = {{"url", url}, {"valueBase64Binary", b64}};
  EXPECT_EQ(with_ext(ordered_json::array({one, one})), ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({{{"url", url}, {"valueString", b64}}})),
            ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({{{"url", url}, {"valueBase64Binary", 5}}})),
            ErrorCode::kMalformed);
  EXPECT_EQ(
      with_ext(ordered_json::array({{{"url", url}, {"valueBase64Binary", b64}, {"id", "x"}}})),
      ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array({{{"url", url}, {"valueBase64Binary", "!!!!"}}})),
            ErrorCode::kMalformed);
  EXPECT_EQ(with_ext(ordered_json::array(
                {{{"url", url}, {"valueBase64Binary", std::string(21852, 'A')}}})),
            ErrorCode::kTooLarge);
  // Not a signed event inside: ParseEvent's code, not a crash.
  EXPECT_NE(with_ext(ordered_json::array(
                {{{"url", url},
                  {"valueBase64Binary", Base64Encode(ToBytes("{}"), Base64Padding::kRequired)}}})),
            ErrorCode::kOk);
  ordered_json meta = base;
  meta["meta"] = "x";
  EXPECT_EQ(ImportCode(meta), ErrorCode::kMalformed);
}

// The HL7 R4 and IHE BALP examples: AuditEvents medseal did not write.
// Every file is listed, so a missing one fails (ReadVectorFile aborts).
TEST(AuditEvent, ImportRefusesForeignExamplesWithTheirCode) {
  const char* kFiles[] = {
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-disclosure.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-error.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-login.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-logout.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-media.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-pixQuery.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-rest.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example-search.json",
      "external/fhir/hl7-r4-auditevent/AuditEvent-example.json",
      "external/fhir/ihe-balp-audit/AuditEvent-ex-auditAuthZconsent-deny.json",
      "external/fhir/ihe-balp-audit/AuditEvent-ex-auditAuthZconsent.json",
      "external/fhir/ihe-balp-audit/AuditEvent-ex-auditBasicQueryGetServer.json",
      "external/fhir/ihe-balp-audit/AuditEvent-ex-auditBasicReadClient.json",
      "external/fhir/ihe-balp-audit/AuditEvent-ex-auditPrivacyDisclosure-recipient.json",
  };
  for (const char* f : kFiles) {
    const std::string text = ReadVectorFile(f);
    ASSERT_GT(text.size(), 100u) << f;
    EXPECT_CODE(ImportAuditEvent(text), ErrorCode::kUnsupportedVersion) << f;
  }
}

// The coded structure of medseal's exports next to the BALP example of the
// pattern each follows: the same system and code where BALP defines one.
std::string Sc(const ordered_json& coding) {
  return coding.value("system", "") + "|" + coding.value("code", "");
}
const ordered_json* EntityWithRole(const ordered_json& j, const std::string& role) {
  for (const auto& e : j["entity"]) {
    if (e.contains("role") && Sc(e["role"]) == role) return &e;
  }
  return nullptr;
}
const ordered_json* EntityWithType(const ordered_json& j, const std::string& type) {
  for (const auto& e : j["entity"]) {
    if (e.contains("type") && Sc(e["type"]) == type) return &e;
  }
  return nullptr;
}
bool HasSubtype(const ordered_json& j, const std::string& sc) {
  for (const auto& s : j["subtype"]) {
    if (Sc(s) == sc) return true;
  }
  return false;
}
const ordered_json* Requestor(const ordered_json& j) {
  for (const auto& a : j["agent"]) {
    if (a.value("requestor", false)) return &a;
  }
  return nullptr;
}

ordered_json Balp(const std::string& name) {
  auto j = ordered_json::parse(ReadVectorFile("external/fhir/ihe-balp-audit/" + name), nullptr,
                               false);
  MEDSEAL_CHECK(!j.is_discarded());
  return j;
}

const std::string kPatientRole = "http://terminology.hl7.org/CodeSystem/object-role|1";
const std::string kPersonType = "http://terminology.hl7.org/CodeSystem/audit-entity-type|1";

void ExpectSamePatientEntity(const ordered_json& ours, const ordered_json& balp) {
  const ordered_json* a = EntityWithRole(ours, kPatientRole);
  const ordered_json* b = EntityWithRole(balp, kPatientRole);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(Sc((*a)["type"]), Sc((*b)["type"]));
  EXPECT_EQ(Sc((*a)["type"]), kPersonType);
}

TEST(AuditEvent, ConsentEventsFollowBalpAuthZconsent) {
  const ordered_json balp = Balp("AuditEvent-ex-auditAuthZconsent.json");
  const std::string consent_type = "http://hl7.org/fhir/resource-types|Consent";
  for (EventType t : {EventType::kGrant, EventType::kWithdraw}) {
    const ordered_json ours = ExportJson(F().Of(t));
    EXPECT_EQ(Sc(ours["type"]), Sc(balp["type"]));
    EXPECT_EQ(Sc(ours["type"]), "http://dicom.nema.org/resources/ontology/DCM|110113");
    EXPECT_TRUE(HasSubtype(ours, Sc(balp["subtype"][0])));
    EXPECT_EQ(ours["action"], balp["action"]);
    ExpectSamePatientEntity(ours, balp);
    ASSERT_NE(EntityWithType(balp, consent_type), nullptr);
    ASSERT_NE(EntityWithType(ours, consent_type), nullptr);
    EXPECT_EQ(EntityWithType(ours, consent_type)->contains("role"),
              EntityWithType(balp, consent_type)->contains("role"));
  }
  // The grantees are information recipients, as BALP's requesting user.
  const ordered_json grant = ExportJson(F().Of(EventType::kGrant));
  ASSERT_NE(Requestor(balp), nullptr);
  EXPECT_EQ(Sc(grant["agent"][1]["type"]["coding"][0]),
            Sc((*Requestor(balp))["type"]["coding"][0]));
}

TEST(AuditEvent, OpenAndBreakGlassFollowBalpPatientRead) {
  const ordered_json balp = Balp("AuditEvent-ex-auditBasicReadClient.json");
  for (EventType t : {EventType::kOpen, EventType::kBreakGlass}) {
    const ordered_json ours = ExportJson(F().Of(t));
    EXPECT_EQ(Sc(ours["type"]), Sc(balp["type"]));
    EXPECT_EQ(Sc(ours["subtype"][0]), Sc(balp["subtype"][0]));
    EXPECT_EQ(ours["action"], balp["action"]);
    ASSERT_NE(Requestor(ours), nullptr);
    ASSERT_NE(Requestor(balp), nullptr);
    EXPECT_EQ(Sc((*Requestor(ours))["type"]["coding"][0]),
              Sc((*Requestor(balp))["type"]["coding"][0]));
    ExpectSamePatientEntity(ours, balp);
    // The record read: BALP's data entity (system object, domain resource).
    const ordered_json& b = balp["entity"][0];
    const ordered_json* a = EntityWithRole(ours,
                                           "http://terminology.hl7.org/CodeSystem/object-role|4");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(Sc((*a)["type"]), Sc(b["type"]));
    EXPECT_EQ(Sc((*a)["role"]), Sc(b["role"]));
  }
}

TEST(AuditEvent, ShareFollowsBalpPrivacyDisclosure) {
  const ordered_json balp = Balp("AuditEvent-ex-auditPrivacyDisclosure-recipient.json");
  const ordered_json ours = ExportJson(F().Of(EventType::kShare));
  // The same subtype and code system; the recipient records Import
  // (110107), the discloser (medseal's author) Export (110106).
  EXPECT_EQ(Sc(ours["subtype"][0]), Sc(balp["subtype"][0]));
  EXPECT_EQ(ours["type"]["system"], balp["type"]["system"]);
  EXPECT_EQ(balp["type"]["code"], "110107");
  EXPECT_EQ(ours["type"]["code"], "110106");
  EXPECT_EQ(ours["purposeOfEvent"][0]["coding"][0]["system"],
            balp["purposeOfEvent"][0]["coding"][0]["system"]);
  ExpectSamePatientEntity(ours, balp);
  // The attachment shared: BALP's disclosed document (system object, report).
  const ordered_json* a = EntityWithRole(ours,
                                         "http://terminology.hl7.org/CodeSystem/object-role|3");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(Sc((*a)["type"]), Sc(balp["entity"][1]["type"]));
  EXPECT_EQ(Sc((*a)["role"]), Sc(balp["entity"][1]["role"]));
}

// The vector file: exact export bytes, accepted rewrites, rejected edits.
const nlohmann::json& V() {
  static const nlohmann::json* v = new nlohmann::json(LoadVectorJson("log/audit_event_v1.json"));
  return *v;
}

TEST(AuditEventVectors, ExportsExactlyAndImportsBack) {
  ASSERT_GE(V()["events"].size(), 9u);
  std::vector<std::string> types;
  for (const auto& c : V()["events"]) {
    const std::string encoded = c["signedEvent"];
    auto parsed = ParseEvent(ToBytes(encoded));
    ASSERT_OK(parsed);
    EXPECT_EQ(EventTypeName(parsed->event.type), c["type"].get<std::string>());
    auto text = ExportAuditEvent(*parsed);
    ASSERT_OK(text);
    EXPECT_EQ(*text, c["auditEvent"].get<std::string>()) << c["type"];
    auto back = ImportAuditEvent(c["auditEvent"].get<std::string>());
    ASSERT_OK(back);
    ExpectSame(*back, *parsed);
    types.push_back(c["type"]);
  }
  for (int t = 1; t <= 9; ++t) {
    const std::string name(EventTypeName(static_cast<EventType>(t)));
    EXPECT_NE(std::find(types.begin(), types.end(), name), types.end()) << name;
  }
}

TEST(AuditEventVectors, AcceptedRewritesImport) {
  ASSERT_GE(V()["accepted"].size(), 3u);
  for (const auto& c : V()["accepted"]) {
    auto back = ImportAuditEvent(c["auditEvent"].get<std::string>());
    ASSERT_TRUE(back.ok()) << c["description"] << " " << back.status().ToString();
    EXPECT_EQ(back->encoded, ToBytes(c["signedEvent"].get<std::string>())) << c["description"];
  }
}

TEST(AuditEventVectors, InvalidCasesGetTheirCodeAndRule) {
  ASSERT_GE(V()["invalid"].size(), 20u);
  std::vector<std::string> rules;
  for (const auto& c : V()["invalid"]) {
    auto r = ImportAuditEvent(c["auditEvent"].get<std::string>());
    EXPECT_EQ(ErrorCodeName(r.status().code()), c["code"].get<std::string>()) << c["description"];
    const std::string rule = c["rule"];
    if (c["code"] == "LOG_ENTRY_MODIFIED") {
      EXPECT_NE(r.status().message().find("rule " + rule + ")"), std::string::npos)
          << c["description"] << ": " << r.status().message();
    }
    rules.push_back(rule);
  }
  // Every rule of spec §11.4 has a case.
  for (int n = 1; n <= 21; ++n) {
    const std::string rule = "AI" + std::to_string(n);
    EXPECT_NE(std::find(rules.begin(), rules.end(), rule), rules.end()) << rule;
  }
}

}  // namespace
}  // namespace medseal::tlog
