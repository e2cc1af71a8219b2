// SPDX-License-Identifier: Apache-2.0
// log/event_v1.json (docs/spec/log.md §6, §7): see log_event_vectors.h.
// One consistent history of two authors (the patient and the clinician),
// with an event of every type, each signed by a fixed-seed identity; their
// log entries and leaf hashes; a card entry; salted hashes; subjects derived
// from domain objects; chain cases (a gap, a repeat, a lower seq, a wrong
// prev); and invalid events and entries in the order of the spec's rules,
// each with its rule id and code name.
#include "native-tests/vectors/generate/log_event_vectors.h"

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

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/crypto/sha2.h"
#include "core/identity/identity.h"
#include "core/log/entry.h"
#include "core/log/event.h"
#include "core/log/merkle.h"
#include "core/record/record.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
using tlog::Event;
using tlog::EventSubject;
using tlog::EventType;
using tlog::SignedEvent;
using tlog::SubjectKind;
constexpr UnixMillis kCreated = 1700000000000;
constexpr UnixMillis kTime = 1764590400000;  // 2025-12-01T12:00:00Z
constexpr const char* kReason = "Unconscious on arrival; no consent on file for emergency care";
constexpr const char* kHiv = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";
constexpr const char* kPsy = "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (log events): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

struct Person {
  std::string key;
  Bytes seed;
  Identity id;
};

Person MakePerson(const std::string& key, uint8_t seed_byte, const std::string& name,
                  const std::string& role) {
  Bytes seed(32, seed_byte);
  return Person{
      key, seed,
      Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, kCreated), "identity")};
}

ordered_json EventFields(const Event& e) {
  ordered_json recipients = ordered_json::array();
  for (const auto& r : e.recipients) recipients.push_back(HexEncode(r));
  ordered_json subjects = ordered_json::array();
  for (const auto& s : e.subjects) {
    subjects.push_back(
        {{"kind", std::string(tlog::SubjectKindName(s.kind))}, {"id", HexEncode(s.id)}});
  }
  ordered_json salted = ordered_json::array();
  for (const auto& h : e.salted) salted.push_back(HexEncode(h));
  return ordered_json{{"type", std::string(tlog::EventTypeName(e.type))},
                      {"author", HexEncode(e.author)},
                      {"seq", e.seq},
                      {"prev", HexEncode(e.prev)},
                      {"time", e.time},
                      {"purpose", e.purpose},
                      {"outcome", static_cast<int>(e.outcome)},
                      {"patient", HexEncode(e.patient)},
                      {"recipients", recipients},
                      {"subjects", subjects},
                      {"salted", salted},
                      {"reason", HexEncode(e.reason)}};
}

struct History {
  tlog::AuthorChains chains;
  ordered_json events = ordered_json::array();
  std::vector<SignedEvent> signed_events;

  const SignedEvent& Add(const std::string& comment, const Person& author, Event e) {
    e.author = author.id.key_id();
    auto [seq, prev] = chains.Next(e.author);
    e.seq = seq;
    e.prev = prev;
    SignedEvent s = Must(tlog::SignEvent(author.id, e), "sign event");
    if (!chains.Append(s).ok()) Die("chain append");
    const Bytes signed_bytes = Must(tlog::EventSignedBytes(s.event), "signed bytes");
    const Bytes entry = tlog::EventEntry(s);
    events.push_back({{"index", events.size()},
                      {"comment", comment},
                      {"signer", author.key},
                      {"fields", EventFields(s.event)},
                      {"signedBytes", HexEncode(signed_bytes)},
                      {"signature", HexEncode(s.signature)},
                      {"encoded", std::string(AsText(s.encoded))},
                      {"hash", HexEncode(s.Hash())},
                      {"entry", HexEncode(entry)},
                      {"leafHash", HexEncode(tlog::LeafHash(entry))}});
    signed_events.push_back(std::move(s));
    return signed_events.back();
  }
};

Json ParseText(const SignedEvent& s) {
  return Must(ParseJsonObject(AsText(s.encoded), tlog::kMaxEventBytes), "parse");
}

std::string Jcs(const Json& j) { return Must(CanonicalizeJson(j), "jcs"); }

}  // namespace

void GenerateLogEventVectors(const std::string& dir) {
  const Person patient = MakePerson("patient", 0x01, "Patient P", "patient");
  const Person clinician = MakePerson("clinician", 0x02, "Dr. C", "clinician");
  const Person nurse = MakePerson("nurse", 0x03, "Nurse N", "nurse");
  const Person rotated = MakePerson("clinician-rotated", 0x05, "Dr. C", "clinician");

  // Subjects from domain objects.
  ChaChaRng record_rng(Bytes(32, 0x60));
  FixedClock clock(kTime);
  const std::string body = R"({"resourceType":"Observation","status":"final"})";
  RecordPayload payload{"application/fhir+json", "obs-1", "Observation", AsBytes(body)};
  const PublicCard* cards[] = {&clinician.id.card()};
  const SealedRecord record = Must(
      SealRecord(patient.id, std::span<const PublicCard* const>(cards), payload, record_rng, clock),
      "seal");
  const EventSubject record_subject = tlog::RecordSubject(record);
  const std::string attachment_file = "age-encryption.org/v1 (an age file's bytes)";
  const EventSubject attachment_subject = Must(
      tlog::AttachmentSubject(Sha256(AsBytes(attachment_file))), "attachment subject");
  // A consent hash as consent::ConsentHash gives it (docs/spec/receipt.md).
  const EventSubject consent_subject{SubjectKind::kConsent, Bytes(32, 0xc0)};

  // The break-glass salt: the first 32 bytes of ChaChaRng(0x70 * 32).
  ChaChaRng salt_rng(Bytes(32, 0x70));
  const SecretBytes salt = tlog::NewEventSalt(salt_rng);
  const ByteView salt_bytes = RevealSecret(salt);
  ordered_json salted_cases = ordered_json::array();
  auto salted = [&](const char* domain, const std::string& value) {
    Bytes h = Must(tlog::SaltedHash(salt_bytes, domain, AsBytes(value)), "salted");
    salted_cases.push_back({{"salt", HexEncode(salt_bytes)},
                            {"domain", domain},
                            {"value", value},
                            {"hash", HexEncode(h)}});
    return h;
  };
  const Bytes reason_hash = salted("break-glass-reason", kReason);
  Bytes hiv = salted("sensitivity", kHiv);
  Bytes psy = salted("sensitivity", kPsy);
  std::vector<Bytes> labels = {hiv, psy};
  std::sort(labels.begin(), labels.end(),
            [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
  // Another salt: a 16-byte one (the shortest allowed).
  {
    const Bytes short_salt(16, 0x17);
    Bytes h = Must(tlog::SaltedHash(short_salt, "sensitivity", AsBytes(std::string(kHiv))), "s");
    salted_cases.push_back({{"salt", HexEncode(short_salt)},
                            {"domain", "sensitivity"},
                            {"value", kHiv},
                            {"hash", HexEncode(h)}});
  }

  History h;
  auto base = [&](EventType type, const char* purpose) {
    Event e;
    e.type = type;
    e.time = kTime;
    e.purpose = purpose;
    e.patient = patient.id.key_id();
    return e;
  };
  std::vector<Bytes> care = {clinician.id.key_id(), nurse.id.key_id()};
  std::sort(care.begin(), care.end(),
            [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
  {
    Event e = base(EventType::kGrant, "");
    e.recipients = care;
    e.subjects = {consent_subject};
    h.Add("patient grants a consent to the care team", patient, e);
  }
  {
    Event e = base(EventType::kShare, "TREAT");
    e.time += 1000;
    e.recipients = {clinician.id.key_id()};
    e.subjects = {record_subject, attachment_subject};
    e.salted = {hiv};
    h.Add("patient shares a record and an attachment", patient, e);
  }
  {
    Event e = base(EventType::kOpen, "TREAT");
    e.time += 2000;
    e.subjects = {record_subject};
    h.Add("clinician opens the record", clinician, e);
  }
  {
    Event e = base(EventType::kBreakGlass, "ETREAT");
    e.time += 3000;
    e.subjects = {record_subject};
    e.salted = labels;
    e.reason = reason_hash;
    h.Add("clinician breaks the glass (reason and labels salted)", clinician, e);
  }
  {
    Event e = base(EventType::kExport, "TREAT");
    e.time += 4000;
    e.outcome = tlog::EventOutcome::kMinorFailure;
    e.subjects = {record_subject};
    h.Add("clinician exports the record (minor failure)", clinician, e);
  }
  {
    Event e = base(EventType::kWithdraw, "");
    e.time += 5000;
    e.subjects = {consent_subject};
    h.Add("patient withdraws the consent", patient, e);
  }
  {
    Event e = base(EventType::kErase, "");
    e.time += 6000;
    e.subjects = {record_subject};
    h.Add("patient erases the record (crypto-shredding)", patient, e);
  }
  {
    Event e = base(EventType::kRotate, "");
    e.time += 7000;
    e.patient = {};
    e.subjects = {tlog::CardSubject(rotated.id.card())};
    h.Add("clinician rotates to a new card", clinician, e);
  }
  {
    Event e = base(EventType::kRevoke, "");
    e.time += 8000;
    e.patient = {};
    e.subjects = {tlog::CardSubject(nurse.id.card())};
    h.Add("patient revokes the nurse's key", patient, e);
  }
  // The clinician's chain is history 2, 3, 4, 7; and a second seq 1 (a fork).
  Event fork = h.signed_events[3].event;
  fork.time += 1;
  const SignedEvent forked = Must(tlog::SignEvent(clinician.id, fork), "fork");
  ordered_json chain_cases = ordered_json::array();
  auto chain_case = [&](const std::string& comment, std::vector<ordered_json> seq,
                        const char* error) {
    ordered_json c{{"comment", comment}, {"sequence", seq}};
    c["result"] = error == nullptr ? "valid" : "invalid";
    if (error != nullptr) c["error"] = error;
    chain_cases.push_back(std::move(c));
  };
  chain_case("the clinician's whole chain, in order", {2, 3, 4, 7}, nullptr);
  chain_case("both authors interleaved", {0, 1, 2, 3, 4, 5, 6, 7, 8}, nullptr);
  chain_case("the first event missing", {3}, "LOG_ENTRY_MISSING");
  chain_case("a gap: seq 1 missing", {2, 4}, "LOG_ENTRY_MISSING");
  chain_case("a repeated seq", {2, 3, 3}, "LOG_REORDERED");
  chain_case("a lower seq", {2, 3, 4, 2}, "LOG_REORDERED");
  chain_case("a second seq 1, then seq 2 whose prev is the first", {2, "fork", 4},
             "LOG_ENTRY_MODIFIED");

  // Invalid events: a valid one (the share) changed once each.
  ordered_json invalid = ordered_json::array();
  const SignedEvent& share = h.signed_events[1];
  const Json sj = ParseText(share);
  const std::string text(AsText(share.encoded));
  auto add_text = [&](const char* rule, const std::string& comment, const std::string& input,
                      const char* error) {
    invalid.push_back({{"tcId", invalid.size() + 1},
                       {"rule", rule},
                       {"comment", comment},
                       {"input", input},
                       {"error", error}});
  };
  auto add = [&](const char* rule, const std::string& comment,
                 const std::function<void(Json&)>& edit, const char* error) {
    Json t = sj;
    edit(t);
    add_text(rule, comment, Jcs(t), error);
  };
  add_text("E1", "longer than 16384 bytes", text + std::string(tlog::kMaxEventBytes, ' '),
           "TOO_LARGE");
  add_text("E2", "not one JSON value", text.substr(0, text.size() - 1), "MALFORMED");
  add_text("E2", "a top level other than an object", "[" + text + "]", "MALFORMED");
  add_text("E3", "whitespace after the object", text + " ", "NON_CANONICAL");
  add_text("E3", "members not in JCS order",
           "{\"v\":1," + text.substr(1, text.rfind(",\"v\":1") - 1) + "}", "NON_CANONICAL");
  add(
      "E4", "\"v\" missing", [](Json& x) { x.erase("v"); }, "MALFORMED");
  add(
      "E5", "\"v\" 2", [](Json& x) { x["v"] = 2; }, "UNSUPPORTED_VERSION");
  add(
      "E6", "an unknown member", [](Json& x) { x["note"] = ""; }, "MALFORMED");
  add(
      "E7", "\"type\" not a string", [](Json& x) { x["type"] = 3; }, "MALFORMED");
  add(
      "E8", "an unknown type", [](Json& x) { x["type"] = "delete"; }, "UNSUPPORTED_VERSION");
  add(
      "E9/D3", "\"author\" padded",
      [](Json& x) { x["author"] = x["author"].get<std::string>() + "=="; }, "NON_CANONICAL");
  add(
      "E9", "\"author\" 15 bytes", [](Json& x) { x["author"] = Base64UrlEncode(Bytes(15, 1)); },
      "MALFORMED");
  add(
      "E10", "\"seq\" negative", [](Json& x) { x["seq"] = -1; }, "MALFORMED");
  add(
      "E11", "\"prev\" 31 bytes", [](Json& x) { x["prev"] = Base64UrlEncode(Bytes(31, 0)); },
      "MALFORMED");
  add(
      "E12", "\"time\" beyond 2^53 - 1", [](Json& x) { x["time"] = uint64_t{1} << 53; },
      "MALFORMED");
  add(
      "E13", "\"purpose\" not a string", [](Json& x) { x["purpose"] = nullptr; }, "MALFORMED");
  add(
      "E14", "\"purpose\" 65 bytes", [](Json& x) { x["purpose"] = std::string(65, 'T'); },
      "TOO_LARGE");
  add(
      "E15", "\"purpose\" with a space", [](Json& x) { x["purpose"] = "TREAT "; }, "MALFORMED");
  add(
      "E16", "\"outcome\" 1", [](Json& x) { x["outcome"] = 1; }, "MALFORMED");
  add(
      "E17", "\"patient\" 8 bytes", [](Json& x) { x["patient"] = Base64UrlEncode(Bytes(8, 1)); },
      "MALFORMED");
  add(
      "E18", "\"recipients\" not an array", [](Json& x) { x["recipients"] = ""; }, "MALFORMED");
  add(
      "E19", "a recipient of 32 bytes",
      [](Json& x) { x["recipients"][0] = Base64UrlEncode(Bytes(32, 1)); }, "MALFORMED");
  add(
      "E20", "a recipient twice", [](Json& x) { x["recipients"].push_back(x["recipients"][0]); },
      "DUPLICATE_RECIPIENT");
  add(
      "E20", "recipients out of order",
      [](Json& x) { x["recipients"].push_back(Base64UrlEncode(Bytes(16, 0))); }, "NON_CANONICAL");
  add(
      "E22", "a subject with another member", [](Json& x) { x["subjects"][0]["n"] = 1; },
      "MALFORMED");
  add(
      "E23", "an unknown subject kind", [](Json& x) { x["subjects"][0]["kind"] = "file"; },
      "MALFORMED");
  add(
      "E24", "subjects out of order",
      [](Json& x) { std::swap(x["subjects"][0], x["subjects"][1]); }, "NON_CANONICAL");
  add(
      "E25", "a salted hash of 16 bytes",
      [](Json& x) { x["salted"][0] = Base64UrlEncode(Bytes(16, 1)); }, "MALFORMED");
  add(
      "E26", "salted hashes repeated", [](Json& x) { x["salted"].push_back(x["salted"][0]); },
      "NON_CANONICAL");
  add(
      "E27", "\"reason\" 31 bytes", [](Json& x) { x["reason"] = Base64UrlEncode(Bytes(31, 1)); },
      "MALFORMED");
  add(
      "E28", "\"sig\" 63 bytes", [](Json& x) { x["sig"] = Base64UrlEncode(Bytes(63, 1)); },
      "MALFORMED");
  add(
      "S1", "seq 0 with a non-zero prev", [](Json& x) { x["seq"] = 0; }, "MALFORMED");
  add(
      "S2", "no subject", [](Json& x) { x["subjects"] = Json::array(); }, "MALFORMED");
  add(
      "S3", "break-glass for TREAT",
      [&](Json& x) {
        x["type"] = "break-glass";
        x["reason"] = Base64UrlEncode(reason_hash);
      },
      "MALFORMED");
  add(
      "S4", "break-glass without a reason",
      [](Json& x) {
        x["type"] = "break-glass";
        x["purpose"] = "ETREAT";
      },
      "REASON_REQUIRED");
  add(
      "S5", "break-glass without a patient",
      [&](Json& x) {
        x["type"] = "break-glass";
        x["purpose"] = "BTG";
        x["reason"] = Base64UrlEncode(reason_hash);
        x["patient"] = "";
      },
      "MALFORMED");
  add(
      "S6", "an open for ETREAT",
      [](Json& x) {
        x["type"] = "open";
        x["purpose"] = "ETREAT";
      },
      "REASON_REQUIRED");
  add(
      "S7", "a reason on a share", [&](Json& x) { x["reason"] = Base64UrlEncode(reason_hash); },
      "MALFORMED");
  add(
      "S8", "a grant without a consent subject", [](Json& x) { x["type"] = "grant"; }, "MALFORMED");
  add(
      "S9", "a share without recipients", [](Json& x) { x["recipients"] = Json::array(); },
      "MALFORMED");
  add(
      "S10", "a rotate without a card subject", [](Json& x) { x["type"] = "rotate"; }, "MALFORMED");
  // Numbers (spec §6.6): E3 compares with the RFC 8785 form, which writes
  // every number as the nearest double.
  auto with_time = [&](const std::string& literal) {
    const size_t at = text.find("\"time\":") + 7;
    const size_t end = text.find_first_not_of("0123456789", at);
    return text.substr(0, at) + literal + text.substr(end);
  };
  add_text("E3", "\"time\" 2^53 + 1 (its JCS form is 9007199254740992)",
           with_time("9007199254740993"), "NON_CANONICAL");
  add_text("E3", "\"time\" written 1e3 (its JCS form is 1000)", with_time("1e3"), "NON_CANONICAL");
  add_text("E3", "\"time\" written 1.0 (its JCS form is 1)", with_time("1.0"), "NON_CANONICAL");
  add(
      "E12", "\"time\" 1000.5: canonical, not an integer", [](Json& x) { x["time"] = 1000.5; },
      "MALFORMED");
  // Arrays are checked element by element: an order fault before a bad
  // element decides, and a bad element before an order fault decides.
  add(
      "E20", "recipients [B, A, a 32-byte one]: the order at index 1 decides",
      [](Json& x) {
        x["recipients"] = Json::array({Base64UrlEncode(Bytes(16, 2)), Base64UrlEncode(Bytes(16, 1)),
                                       Base64UrlEncode(Bytes(32, 1))});
      },
      "NON_CANONICAL");
  add(
      "E19", "recipients [B, a 32-byte one, A]: the bad element at index 1 decides",
      [](Json& x) {
        x["recipients"] = Json::array({Base64UrlEncode(Bytes(16, 2)), Base64UrlEncode(Bytes(32, 1)),
                                       Base64UrlEncode(Bytes(16, 1))});
      },
      "MALFORMED");
  // Valid to parse, but not under the signer's card.
  ordered_json bad_signatures = ordered_json::array();
  {
    Json t = sj;
    t["time"] = kTime + 1001;
    bad_signatures.push_back({{"comment", "time changed after signing"},
                              {"signer", "patient"},
                              {"input", Jcs(t)},
                              {"error", "SIGNATURE_INVALID"}});
    bad_signatures.push_back({{"comment", "verified against another card"},
                              {"signer", "clinician"},
                              {"input", text},
                              {"error", "SENDER_MISMATCH"}});
  }

  // Entries.
  ordered_json entries = ordered_json::array();
  {
    const Bytes card_entry = tlog::CardEntry(clinician.id.card());
    entries.push_back({{"comment", "the clinician's card"},
                       {"kind", "card"},
                       {"card", "clinician"},
                       {"entry", HexEncode(card_entry)},
                       {"leafHash", HexEncode(tlog::LeafHash(card_entry))}});
    const Bytes event_entry = tlog::EventEntry(h.signed_events[3]);
    entries.push_back({{"comment", "the break-glass event (history index 3)"},
                       {"kind", "event"},
                       {"event", 3},
                       {"entry", HexEncode(event_entry)},
                       {"leafHash", HexEncode(tlog::LeafHash(event_entry))}});
  }
  ordered_json invalid_entries = ordered_json::array();
  auto add_entry = [&](const char* rule, const std::string& comment, const Bytes& entry,
                       const char* error) {
    invalid_entries.push_back(
        {{"rule", rule}, {"comment", comment}, {"entry", HexEncode(entry)}, {"error", error}});
  };
  add_entry("Y1", "empty", {}, "TRUNCATED");
  add_entry("Y2", "kind byte 0x03", {0x03, '{', '}'}, "UNSUPPORTED_VERSION");
  {
    Bytes e = tlog::EventEntry(share);
    e.push_back(' ');
    add_entry("Y3/E3", "an event with a trailing space", e, "NON_CANONICAL");
    Bytes c = tlog::CardEntry(clinician.id.card());
    c[0] = tlog::kEntryEvent;
    add_entry("Y3/E6", "a card under the event kind", c, "MALFORMED");
    Bytes ev = tlog::EventEntry(share);
    ev[0] = tlog::kEntryCard;
    add_entry("Y4/C1", "an event under the card kind", ev, "MALFORMED");
    const std::string card = " " + clinician.id.card().ToJson();
    Bytes spaced{tlog::kEntryCard};
    spaced.insert(spaced.end(), card.begin(), card.end());
    add_entry("Y5", "a card with a leading space", spaced, "NON_CANONICAL");
  }

  ordered_json identities = ordered_json::object();
  for (const Person* p : {&patient, &clinician, &nurse, &rotated}) {
    identities[p->key] = {{"seed", HexEncode(p->seed)},
                          {"name", p->id.card().name()},
                          {"role", p->id.card().role()},
                          {"created", kCreated},
                          {"card", p->id.card().ToJson()}};
  }
  ordered_json subjects = ordered_json::array();
  subjects.push_back({{"comment", "a sealed record v1: SealedRecordHash of its binary encoding"},
                      {"kind", "record"},
                      {"recordBinary", HexEncode(EncodeRecordBinary(record))},
                      {"id", HexEncode(record_subject.id)}});
  subjects.push_back({{"comment", "an attachment: the SHA-256 of its age file"},
                      {"kind", "attachment"},
                      {"file", HexEncode(AsBytes(attachment_file))},
                      {"id", HexEncode(attachment_subject.id)}});
  subjects.push_back({{"comment", "a card: its key id"},
                      {"kind", "card"},
                      {"card", "nurse"},
                      {"id", HexEncode(nurse.id.key_id())}});

  ordered_json file{
      {"comment",
       "medseal log events and entries (docs/spec/log.md §6, §7). Generated by "
       "native-tests/vectors/generate/log_event_vectors.cc; do not edit."},
      {"version", 1},
      {"labels",
       {{"signature", std::string(tlog::kEventSignatureLabel)},
        {"salt", std::string(tlog::kSaltedHashLabel)}}},
      {"identities", identities},
      {"breakGlass",
       {{"salt", HexEncode(salt_bytes)},
        {"saltRngSeed", HexEncode(Bytes(32, 0x70))},
        {"reason", kReason},
        {"labels", {kHiv, kPsy}},
        {"event", 3}}},
      {"saltedHashes", salted_cases},
      {"subjects", subjects},
      {"history", h.events},
      {"fork",
       {{"comment", "a second clinician event with seq 1 (history index 3 with time + 1)"},
        {"encoded", std::string(AsText(forked.encoded))},
        {"hash", HexEncode(forked.Hash())}}},
      {"chains", chain_cases},
      {"entries", entries},
      {"invalidEvents", invalid},
      {"badSignatures", bad_signatures},
      {"invalidEntries", invalid_entries}};
  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/event_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
