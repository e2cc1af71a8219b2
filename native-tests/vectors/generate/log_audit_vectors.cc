// SPDX-License-Identifier: Apache-2.0
// log/audit_event_v1.json (docs/spec/log.md §11): see log_audit_vectors.h.
// Events are signed with fixed seeds, chained per author; the invalid cases
// follow §11.4's rule order, each an edit of one export that breaks exactly
// the rule it names first.
#include "native-tests/vectors/generate/log_audit_vectors.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64.h"
#include "core/crypto/sha2.h"
#include "core/identity/identity.h"
#include "core/log/audit_event.h"
#include "core/log/event.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
using tlog::Event;
using tlog::EventOutcome;
using tlog::EventSubject;
using tlog::EventType;
using tlog::SignedEvent;
using tlog::SubjectKind;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (log audit): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

Identity MakeIdentity(uint8_t seed_byte, const char* name, const char* role) {
  return Must(
      Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role, 1700000000000),
      "identity");
}

struct Author {
  const Identity* id;
  uint64_t seq = 0;
  Bytes prev = Bytes(32, 0);
};

SignedEvent Sign(Author& a, Event ev) {
  // Subjects in the order spec §6.2 demands: by kind, then by id.
  std::sort(ev.subjects.begin(), ev.subjects.end(),
            [](const EventSubject& x, const EventSubject& y) {
              return x.kind != y.kind ? x.kind < y.kind : BytesLess(x.id, y.id);
            });
  ev.author = a.id->key_id();
  ev.seq = a.seq++;
  ev.prev = a.prev;
  SignedEvent se = Must(tlog::SignEvent(*a.id, ev), "sign event");
  a.prev = Sha256(se.encoded);
  return se;
}

ordered_json Parse(const std::string& text) {
  auto j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) Die("export is not JSON");
  return j;
}

std::string Text(const SignedEvent& e) { return std::string(e.encoded.begin(), e.encoded.end()); }

}  // namespace

void GenerateLogAuditVectors(const std::string& dir) {
  const Identity patient = MakeIdentity(0x51, "Patient P", "patient");
  const Identity clinician = MakeIdentity(0x52, "Dr. C", "clinician");
  const Identity nurse = MakeIdentity(0x53, "Nurse N", "nurse");
  Author p{&patient}, c{&clinician}, n{&nurse};
  std::vector<Bytes> team = {clinician.key_id(), nurse.key_id()};
  std::sort(team.begin(), team.end());
  const Bytes record = Sha256(ToBytes("vector record 1"));
  const Bytes record2 = Sha256(ToBytes("vector record 2"));
  const Bytes attachment = Sha256(ToBytes("vector attachment 1"));
  const Bytes consent = Sha256(ToBytes("vector consent 1"));
  const Bytes label = Sha256(ToBytes("vector salted label"));
  const Bytes reason = Sha256(ToBytes("vector salted reason"));
  UnixMillis t = 1767268800000;  // 2026-01-01T12:00:00.000Z

  std::vector<SignedEvent> events;
  Event e;
  e.patient = patient.key_id();
  e.purpose = "TREAT";
  e.time = t;
  e.type = EventType::kGrant;
  e.recipients = team;
  e.subjects = {{SubjectKind::kConsent, consent}};
  events.push_back(Sign(p, e));
  e.type = EventType::kShare;
  e.time = t + 60001;
  e.subjects = {{SubjectKind::kRecord, record}, {SubjectKind::kAttachment, attachment}};
  e.salted = {label};
  events.push_back(Sign(c, e));
  e.type = EventType::kOpen;
  e.time = t + 120002;
  e.recipients.clear();
  e.subjects = {{SubjectKind::kRecord, record}};
  events.push_back(Sign(n, e));
  e.type = EventType::kOpen;  // a refused open: no record subject, minor failure
  e.time = t + 120999;
  e.subjects = {{SubjectKind::kRecord, record2}};
  e.salted.clear();
  e.outcome = EventOutcome::kMinorFailure;
  events.push_back(Sign(n, e));
  e.type = EventType::kBreakGlass;
  e.time = t + 180003;
  e.purpose = "ETREAT";
  e.outcome = EventOutcome::kSuccess;
  e.reason = reason;
  e.salted = {label};
  events.push_back(Sign(c, e));
  e.type = EventType::kBreakGlass;
  e.time = t + 180004;
  e.purpose = "BTG";
  events.push_back(Sign(c, e));
  e.reason.clear();
  e.type = EventType::kExport;
  e.time = t + 240005;
  e.purpose = "HOPERAT";
  e.salted.clear();
  e.subjects = {{SubjectKind::kRecord, record}, {SubjectKind::kRecord, record2}};
  events.push_back(Sign(p, e));
  e.type = EventType::kWithdraw;
  e.time = t + 300006;
  e.purpose = "TREAT";
  e.subjects = {{SubjectKind::kConsent, consent}};
  events.push_back(Sign(p, e));
  e.type = EventType::kErase;
  e.time = t + 360007;
  e.purpose.clear();
  e.outcome = EventOutcome::kSeriousFailure;
  e.subjects = {{SubjectKind::kRecord, record2}};
  events.push_back(Sign(p, e));
  e.type = EventType::kRotate;
  e.time = t + 420008;
  e.patient.clear();
  e.outcome = EventOutcome::kSuccess;
  e.subjects = {{SubjectKind::kCard, nurse.key_id()}};
  events.push_back(Sign(n, e));
  e.type = EventType::kRevoke;
  e.time = t + 480009;
  e.outcome = EventOutcome::kMajorFailure;
  events.push_back(Sign(c, e));

  ordered_json file = ordered_json::object();
  file["description"] =
      "medseal signed log events as FHIR R4 AuditEvent (docs/spec/log.md section 11). "
      "events: signedEvent (the signed event's exact text), auditEvent (ExportAuditEvent's exact "
      "output); accepted: rewrites ImportAuditEvent accepts, each importing to signedEvent; "
      "invalid: AuditEvents ImportAuditEvent rejects, with the first rule broken and the code "
      "NAME. Generated by native-tests/vectors/generate/log_audit_vectors.cc.";
  ordered_json cases = ordered_json::array();
  for (const SignedEvent& se : events) {
    const std::string ae = Must(tlog::ExportAuditEvent(se), "export");
    SignedEvent back = Must(tlog::ImportAuditEvent(ae), "import");
    if (back.encoded != se.encoded) Die("round trip");
    cases.push_back({{"type", std::string(tlog::EventTypeName(se.event.type))},
                     {"signedEvent", Text(se)},
                     {"auditEvent", ae}});
  }
  file["events"] = std::move(cases);

  // Accepted rewrites of the first open event's export.
  const SignedEvent& open = events[2];
  const ordered_json base = Parse(Must(tlog::ExportAuditEvent(open), "export"));
  ordered_json accepted = ordered_json::array();
  auto accept = [&](const char* description, const ordered_json& j, int indent = -1) {
    const std::string text = j.dump(indent);
    SignedEvent back = Must(tlog::ImportAuditEvent(text), description);
    if (back.encoded != open.encoded) Die(description);
    accepted.push_back(
        {{"description", description}, {"signedEvent", Text(open)}, {"auditEvent", text}});
  };
  {
    ordered_json j = ordered_json::object();
    j["resourceType"] = "AuditEvent";
    j["id"] = "ae-1";
    j["meta"] = {{"versionId", "3"}, {"lastUpdated", "2026-01-02T08:00:00Z"}};
    j["text"] = {{"status", "generated"},
                 {"div", "<div xmlns=\"http://www.w3.org/1999/xhtml\">audit</div>"}};
    for (auto it = base.begin(); it != base.end(); ++it) {
      if (it.key() != "resourceType") j[it.key()] = it.value();
    }
    accept("a server's id, meta.versionId, meta.lastUpdated and narrative", j);
  }
  {
    ordered_json j = ordered_json::object();
    std::vector<std::string> keys;
    for (auto it = base.begin(); it != base.end(); ++it) keys.push_back(it.key());
    for (auto k = keys.rbegin(); k != keys.rend(); ++k) j[*k] = base.at(*k);
    accept("members in reverse order, indented", j, 2);
  }
  {
    ordered_json j = base;
    j["recorded"] = "2026-01-01T07:02:00.002-05:00";
    accept("recorded in another zone", j);
  }
  {
    ordered_json j = base;
    j["meta"] = {{"profile",
                  {"https://profiles.ihe.net/ITI/BALP/StructureDefinition/"
                   "IHE.BasicAudit.PatientRead"}}};
    accept("a meta.profile added", j);
  }
  file["accepted"] = std::move(accepted);

  // Rejected edits, in rule order.
  ordered_json invalid = ordered_json::array();
  const std::string b64 = base["extension"][0]["valueBase64Binary"];
  const std::string url(tlog::kAuditEventExtensionUrl);
  auto reject_text = [&](const char* rule, const char* description, const std::string& text,
                         ErrorCode want) {
    auto r = tlog::ImportAuditEvent(text);
    if (r.ok() || r.status().code() != want) {
      Die(std::string("invalid case ") + rule + " (" + description +
          "): " + (r.ok() ? std::string("accepted") : r.status().ToString()));
    }
    if (want == ErrorCode::kLogEntryModified &&
        r.status().message().find(std::string("rule ") + rule) == std::string::npos) {
      Die(std::string("invalid case ") + rule + " names another rule: " + r.status().message());
    }
    invalid.push_back({{"rule", rule},
                       {"description", description},
                       {"code", std::string(ErrorCodeName(want))},
                       {"auditEvent", text}});
  };
  auto reject = [&](const char* rule, const char* description,
                    const std::function<void(ordered_json&)>& edit, ErrorCode want) {
    ordered_json j = base;
    edit(j);
    reject_text(rule, description, j.dump(), want);
  };
  auto with_ext = [&](ordered_json ext) {
    return [ext](ordered_json& j) { j["extension"] = ext; };
  };
  reject_text("AI1", "not JSON", base.dump().substr(0, 40), ErrorCode::kMalformed);
  reject_text("AI1", "a member twice",
              "{\"resourceType\":\"AuditEvent\",\"action\":\"R\",\"action\":\"R\"}",
              ErrorCode::kMalformed);
  reject_text("AI1", "nested deeper than 16",
              "{\"resourceType\":\"AuditEvent\",\"x\":[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]}",
              ErrorCode::kTooDeep);
  reject(
      "AI2", "resourceType Consent", [](ordered_json& j) { j["resourceType"] = "Consent"; },
      ErrorCode::kMalformed);
  reject("AI3", "extension not an array", with_ext("x"), ErrorCode::kMalformed);
  reject("AI3", "an extension without url", with_ext({{{"valueString", "x"}}}),
         ErrorCode::kMalformed);
  reject(
      "AI4", "no medseal extension (an AuditEvent medseal did not write)",
      [](ordered_json& j) { j.erase("extension"); }, ErrorCode::kUnsupportedVersion);
  reject("AI5", "the medseal extension twice",
         with_ext({{{"url", url}, {"valueBase64Binary", b64}},
                   {{"url", url}, {"valueBase64Binary", b64}}}),
         ErrorCode::kMalformed);
  reject("AI6", "the event as valueString", with_ext({{{"url", url}, {"valueString", b64}}}),
         ErrorCode::kMalformed);
  reject("AI7", "base64 without its padding",
         with_ext({{{"url", url}, {"valueBase64Binary", b64.substr(0, b64.find('='))}}}),
         ErrorCode::kMalformed);
  reject("AI7", "a base64url character ('-') in the base64",
         with_ext({{{"url", url}, {"valueBase64Binary", "-" + b64.substr(1)}}}),
         ErrorCode::kMalformed);
  reject("AI7", "non-zero unused bits (\"QUJ=\" for \"QUI=\")",
         with_ext({{{"url", url}, {"valueBase64Binary", "QUJ="}}}), ErrorCode::kNonCanonical);
  reject("AI7", "longer than the base64 of 16,384 bytes",
         with_ext({{{"url", url}, {"valueBase64Binary", std::string(21852, 'A')}}}),
         ErrorCode::kTooLarge);
  reject("AI8", "the embedded bytes are not a signed event",
         with_ext({{{"url", url},
                    {"valueBase64Binary",
                     Base64Encode(ToBytes("{\"type\":\"open\"}"), Base64Padding::kRequired)}}}),
         tlog::ParseEvent(ToBytes("{\"type\":\"open\"}")).status().code());
  {
    // A signed event whose time FHIR cannot write (year 10000).
    Author late{&clinician};
    Event ev = events[2].event;
    ev.time = 253402300800000;
    const SignedEvent se = Sign(late, ev);
    reject("AI9", "an embedded event dated 10000-01-01T00:00:00.000Z",
           with_ext({{{"url", url},
                      {"valueBase64Binary", Base64Encode(se.encoded, Base64Padding::kRequired)}}}),
           ErrorCode::kMalformed);
  }
  reject(
      "AI10", "an outcomeDesc added", [](ordered_json& j) { j["outcomeDesc"] = "ok"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI11", "a security label added",
      [](ordered_json& j) {
        j["meta"] = {{"security",
                      {{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActReason"},
                        {"code", "BTG"}}}}};
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI12", "a second extension",
      [](ordered_json& j) {
        j["extension"].push_back({{"url", "urn:example:note"}, {"valueString", "x"}});
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI13", "type changed to DICOM Import",
      [](ordered_json& j) {
        j["type"] = {{"system", "http://dicom.nema.org/resources/ontology/DCM"},
                     {"code", "110107"}};
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI14", "the medseal subtype changed to export",
      [](ordered_json& j) { j["subtype"].back()["code"] = "export"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI15", "action changed", [](ordered_json& j) { j["action"] = "U"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI16", "recorded one millisecond later",
      [](ordered_json& j) { j["recorded"] = "2026-01-01T12:02:00.003Z"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI16", "recorded as a date only", [](ordered_json& j) { j["recorded"] = "2026-01-01"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI17", "outcome changed", [](ordered_json& j) { j["outcome"] = "8"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI18", "purpose changed to ETREAT",
      [](ordered_json& j) { j["purposeOfEvent"][0]["coding"][0]["code"] = "ETREAT"; },
      ErrorCode::kLogEntryModified);
  reject(
      "AI19", "the author's key id replaced",
      [](ordered_json& j) {
        j["agent"][0]["who"]["identifier"]["value"] = "AAAAAAAAAAAAAAAAAAAAAA";
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI19", "an agent added", [](ordered_json& j) { j["agent"].push_back(j["agent"][0]); },
      ErrorCode::kLogEntryModified);
  reject(
      "AI20", "source observer changed",
      [](ordered_json& j) {
        j["source"]["observer"] = {{"display", "server"}};
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI21", "the record subject's hash replaced",
      [](ordered_json& j) {
        j["entity"][1]["what"]["identifier"]["value"] =
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
      },
      ErrorCode::kLogEntryModified);
  reject(
      "AI21", "the patient entity removed", [](ordered_json& j) { j["entity"].erase(0); },
      ErrorCode::kLogEntryModified);
  reject(
      "AI21", "the chain's seq detail changed",
      [](ordered_json& j) { j["entity"].back()["detail"][0]["valueString"] = "9"; },
      ErrorCode::kLogEntryModified);
  {
    // A break-glass export without its security label.
    ordered_json j = Parse(Must(tlog::ExportAuditEvent(events[4]), "export"));
    j.erase("meta");
    reject_text("AI11", "the break-glass label removed", j.dump(), ErrorCode::kLogEntryModified);
  }
  file["invalid"] = std::move(invalid);

  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/audit_event_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
