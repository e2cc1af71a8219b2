// SPDX-License-Identifier: Apache-2.0
// core/log/event.h: signed log events (docs/spec/log.md §6): every type
// round-trips, the signature input, tampering any member, the sign-time
// checks, every parse rule with its code, salted hashes, subjects from
// domain objects, and per-author chains.
#include "core/log/event.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/consent/vault.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/sha2.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

constexpr UnixMillis kTime = 1764590400000;  // 2025-12-01T12:00:00Z

Identity MakeIdentity(uint8_t seed_byte, const char* name, const char* role) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role,
                                      1700000000000))
      .value();
}

const Identity& Clinician() {
  static const Identity* id = new Identity(MakeIdentity(0x21, "Dr C", "clinician"));
  return *id;
}
const Identity& Patient() {
  static const Identity* id = new Identity(MakeIdentity(0x22, "Patient P", "patient"));
  return *id;
}
const Identity& Other() {
  static const Identity* id = new Identity(MakeIdentity(0x23, "Other O", "clinician"));
  return *id;
}

Bytes Filled(size_t n, uint8_t b) { return Bytes(n, b); }

// A valid event of `type` by the clinician, seq 0.
Event MakeEvent(EventType type) {
  Event e;
  e.type = type;
  e.author = Clinician().key_id();
  e.seq = 0;
  e.prev = Bytes(32, 0);
  e.time = kTime;
  e.purpose = "TREAT";
  e.patient = Patient().key_id();
  switch (type) {
    case EventType::kGrant:
    case EventType::kWithdraw:
      e.subjects = {{SubjectKind::kConsent, Filled(32, 0xc1)}};
      e.recipients = {Clinician().key_id()};
      e.purpose = "";
      break;
    case EventType::kShare:
      e.recipients = {Clinician().key_id(), Other().key_id()};
      std::sort(e.recipients.begin(), e.recipients.end());
      e.subjects = {{SubjectKind::kRecord, Filled(32, 0xa1)},
                    {SubjectKind::kAttachment, Filled(32, 0xa2)}};
      break;
    case EventType::kBreakGlass:
      e.purpose = "ETREAT";
      e.subjects = {{SubjectKind::kRecord, Filled(32, 0xa1)}};
      e.reason = Filled(32, 0x77);
      e.salted = {Filled(32, 0x10), Filled(32, 0x11)};
      break;
    case EventType::kRotate:
    case EventType::kRevoke:
      e.purpose = "";
      e.patient = {};
      e.subjects = {{SubjectKind::kCard, Other().key_id()}};
      break;
    case EventType::kErase:
      e.purpose = "";
      e.subjects = {{SubjectKind::kRecord, Filled(32, 0xa1)},
                    {SubjectKind::kRecord, Filled(32, 0xa3)}};
      break;
    default:
      e.subjects = {{SubjectKind::kRecord, Filled(32, 0xa1)}};
      e.salted = {Filled(32, 0x10)};
      break;
  }
  return e;
}

const std::vector<EventType>& AllTypes() {
  static const std::vector<EventType> types = {
      EventType::kGrant, EventType::kWithdraw,   EventType::kShare,
      EventType::kOpen,  EventType::kBreakGlass, EventType::kExport,
      EventType::kErase, EventType::kRotate,     EventType::kRevoke};
  return types;
}

SignedEvent SignOrDie(const Event& e, const Identity& id = Clinician()) {
  auto s = SignEvent(id, e);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : SignedEvent{};
}

Json ToJson(const SignedEvent& s) {
  return std::move(ParseJsonObject(AsText(s.encoded), kMaxEventBytes)).value();
}

// The JCS form of `j` as bytes.
Bytes Canonical(const Json& j) {
  auto text = CanonicalizeJson(j);
  EXPECT_TRUE(text.ok());
  return ToBytes(text.ok() ? *text : std::string());
}

TEST(LogEvent, EveryTypeRoundTrips) {
  for (EventType type : AllTypes()) {
    SCOPED_TRACE(std::string(EventTypeName(type)));
    const Event e = MakeEvent(type);
    const SignedEvent s = SignOrDie(e);
    EXPECT_EQ(s.event, e);
    auto parsed = ParseEvent(s.encoded);
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->event, e);
    EXPECT_EQ(parsed->encoded, s.encoded);
    EXPECT_EQ(parsed->signature, s.signature);
    EXPECT_OK(VerifyEvent(*parsed, Clinician().card()));
    EXPECT_EQ(parsed->Hash(), Sha256(s.encoded));
    EXPECT_EQ(ToJson(s).at("type").get<std::string>(), EventTypeName(type));
    auto t = ParseEventType(EventTypeName(type));
    ASSERT_OK(t);
    EXPECT_EQ(*t, type);
  }
  EXPECT_CODE(ParseEventType("delete"), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(EventTypeName(static_cast<EventType>(0)), "unknown");
}

TEST(LogEvent, EncodingIsJcsWithTheSpecMembers) {
  const SignedEvent s = SignOrDie(MakeEvent(EventType::kOpen));
  const std::string text(AsText(s.encoded));
  EXPECT_EQ(text.rfind("{\"author\":\"" + Base64UrlEncode(Clinician().key_id()) + "\",", 0), 0u);
  const Json j = ToJson(s);
  EXPECT_EQ(j.size(), 14u);
  EXPECT_EQ(j.at("v"), 1);
  EXPECT_EQ(j.at("seq"), 0);
  EXPECT_EQ(j.at("time"), kTime);
  EXPECT_EQ(j.at("outcome"), 0);
  EXPECT_EQ(j.at("purpose"), "TREAT");
  EXPECT_EQ(j.at("reason"), "");
  EXPECT_EQ(j.at("prev"), Base64UrlEncode(Bytes(32, 0)));
  EXPECT_EQ(j.at("subjects")[0].at("kind"), "record");
  EXPECT_EQ(j.at("patient"), Base64UrlEncode(Patient().key_id()));
  // The signature covers LABEL("medseal/v1/log-event") || JCS(without sig).
  Json unsigned_json = j;
  unsigned_json.erase("sig");
  Bytes msg = ToBytes("medseal/v1/log-event");
  msg.push_back(0);
  const Bytes jcs = Canonical(unsigned_json);
  msg.insert(msg.end(), jcs.begin(), jcs.end());
  EXPECT_OK(Ed25519Verify(Clinician().card().sign_public_key(), msg, s.signature));
  auto sb = EventSignedBytes(s.event);
  ASSERT_OK(sb);
  EXPECT_EQ(*sb, msg);
}

// Every member changed to another valid value, re-encoded canonically:
// it parses, and the signature no longer verifies.
TEST(LogEvent, TamperingAnyMemberBreaksTheSignature) {
  Event base = MakeEvent(EventType::kShare);
  base.seq = 3;
  base.prev = Filled(32, 0x33);
  base.salted = {Filled(32, 0x10)};
  const SignedEvent s = SignOrDie(base);
  const Json j = ToJson(s);
  const std::vector<std::pair<std::string, std::function<void(Json&)>>> edits = {
      {"type",
       [](Json& x) {
         x["type"] = "open";
         x["recipients"] = Json::array();
       }},
      {"seq", [](Json& x) { x["seq"] = 4; }},
      {"prev", [](Json& x) { x["prev"] = Base64UrlEncode(Filled(32, 0x34)); }},
      {"time", [](Json& x) { x["time"] = kTime + 1; }},
      {"purpose", [](Json& x) { x["purpose"] = "HPAYMT"; }},
      {"outcome", [](Json& x) { x["outcome"] = 4; }},
      {"patient", [](Json& x) { x["patient"] = Base64UrlEncode(Other().key_id()); }},
      {"patient-empty", [](Json& x) { x["patient"] = ""; }},
      {"recipients", [](Json& x) { x["recipients"].erase(0); }},
      {"subjects", [](Json& x) { x["subjects"][0]["id"] = Base64UrlEncode(Filled(32, 0xa0)); }},
      {"salted", [](Json& x) { x["salted"][0] = Base64UrlEncode(Filled(32, 0x0f)); }},
      {"sig", [](Json& x) {
         Bytes sig = std::move(Base64UrlDecode(x["sig"].get<std::string>())).value();
         sig[10] ^= 1;
         x["sig"] = Base64UrlEncode(sig);
       }}};
  for (const auto& [name, edit] : edits) {
    SCOPED_TRACE(name);
    Json t = j;
    edit(t);
    auto parsed = ParseEvent(Canonical(t));
    ASSERT_OK(parsed);
    EXPECT_CODE(VerifyEvent(*parsed, Clinician().card()), ErrorCode::kSignatureInvalid);
  }
  // The author: now another key's event (V1 before the signature).
  Json t = j;
  t["author"] = Base64UrlEncode(Other().key_id());
  auto parsed = ParseEvent(Canonical(t));
  ASSERT_OK(parsed);
  EXPECT_CODE(VerifyEvent(*parsed, Clinician().card()), ErrorCode::kSenderMismatch);
  EXPECT_CODE(VerifyEvent(*parsed, Other().card()), ErrorCode::kSignatureInvalid);
  // A flipped byte anywhere in the encoding: never verifies.
  for (size_t i = 0; i < s.encoded.size(); i += 7) {
    Bytes b = s.encoded;
    b[i] ^= 0x01;
    auto p = ParseEvent(b);
    if (p.ok()) {
      EXPECT_FALSE(VerifyEvent(*p, Clinician().card()).ok()) << i;
    }
  }
}

TEST(LogEvent, VerifyChecksTheStructAgainstItsBytes) {
  const SignedEvent s = SignOrDie(MakeEvent(EventType::kOpen));
  EXPECT_OK(VerifyEvent(s, Clinician().card()));
  EXPECT_CODE(VerifyEvent(s, Other().card()), ErrorCode::kSenderMismatch);
  SignedEvent t = s;
  t.event.time += 1;  // fields differ from the encoded bytes
  EXPECT_CODE(VerifyEvent(t, Clinician().card()), ErrorCode::kSignatureInvalid);
  t = s;
  t.encoded.push_back(' ');
  EXPECT_CODE(VerifyEvent(t, Clinician().card()), ErrorCode::kSignatureInvalid);
  t = s;
  t.signature.resize(63);
  EXPECT_CODE(VerifyEvent(t, Clinician().card()), ErrorCode::kSignatureInvalid);
  t = s;
  t.event.author = Other().key_id();
  EXPECT_CODE(VerifyEvent(t, Other().card()), ErrorCode::kSignatureInvalid);
}

TEST(LogEvent, SignRefusesWhatCannotBeLogged) {
  auto code = [](const Event& e) { return testing::CodeOf(SignEvent(Clinician(), e)); };
  auto with = [](EventType type, const std::function<void(Event&)>& edit) {
    Event e = MakeEvent(type);
    edit(e);
    return e;
  };
  EXPECT_EQ(testing::CodeOf(SignEvent(Other(), MakeEvent(EventType::kOpen))),
            ErrorCode::kSenderMismatch);
  const std::vector<std::pair<Event, ErrorCode>> cases = {
      {with(EventType::kBreakGlass, [](Event& e) { e.reason.clear(); }),
       ErrorCode::kReasonRequired},
      {with(EventType::kBreakGlass, [](Event& e) { e.purpose = "TREAT"; }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kBreakGlass, [](Event& e) { e.patient.clear(); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.purpose = "ETREAT"; }), ErrorCode::kReasonRequired},
      {with(EventType::kOpen, [](Event& e) { e.purpose = "BTG"; }), ErrorCode::kReasonRequired},
      {with(EventType::kOpen, [](Event& e) { e.reason = Filled(32, 1); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.author.pop_back(); }), ErrorCode::kSenderMismatch},
      {with(EventType::kOpen, [](Event& e) { e.prev = Filled(32, 1); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.seq = 1; }), ErrorCode::kInvalidArgument},
      {with(EventType::kOpen,
            [](Event& e) {
              e.seq = uint64_t{1} << 53;
              e.prev = Filled(32, 1);
            }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.prev.pop_back(); }), ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.time = -1; }), ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.purpose = "TRE AT"; }), ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.purpose = std::string(65, 'A'); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.outcome = static_cast<EventOutcome>(3); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.patient = Filled(15, 1); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.subjects.clear(); }), ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.subjects[0].id.pop_back(); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen,
            [](Event& e) {
              e.subjects.push_back({SubjectKind::kRecord, Filled(32, 0)});
            }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.subjects.push_back(e.subjects[0]); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen,
            [](Event& e) {
              e.salted = {Filled(32, 2), Filled(32, 1)};
            }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.salted = {Filled(31, 2)}; }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.salted.assign(17, Filled(32, 1)); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kShare, [](Event& e) { std::swap(e.recipients[0], e.recipients[1]); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kShare, [](Event& e) { e.recipients.clear(); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kShare, [](Event& e) { e.recipients[0].pop_back(); }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kGrant, [](Event& e) { e.subjects[0].kind = SubjectKind::kRecord; }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kRotate,
            [](Event& e) {
              e.subjects = {{SubjectKind::kRecord, Filled(32, 1)}};
            }),
       ErrorCode::kInvalidArgument},
      {with(EventType::kOpen, [](Event& e) { e.type = static_cast<EventType>(10); }),
       ErrorCode::kInvalidArgument},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(ErrorCodeName(code(cases[i].first)), ErrorCodeName(cases[i].second)) << "case " << i;
  }
  // The consent subject after the record is in order: that one signs.
  Event ok = MakeEvent(EventType::kOpen);
  ok.subjects.push_back({SubjectKind::kConsent, Filled(32, 0)});
  ok.subjects.push_back({SubjectKind::kCard, Filled(16, 0)});
  EXPECT_OK(SignEvent(Clinician(), ok));
}

// One parse rule each: the mutation of a valid event and the code (spec
// §6.6). Each mutated JSON is re-encoded in JCS form unless the case is
// about the text itself.
TEST(LogEvent, ParseRulesInOrder) {
  Event base = MakeEvent(EventType::kShare);
  const SignedEvent s = SignOrDie(base);
  const Json j = ToJson(s);
  const std::string author_b64 = Base64UrlEncode(Clinician().key_id());
  const std::string patient_b64 = Base64UrlEncode(Patient().key_id());
  auto check = [&](const std::string& name, ByteView input, ErrorCode want) {
    auto r = ParseEvent(input);
    EXPECT_EQ(ErrorCodeName(testing::CodeOf(r)), ErrorCodeName(want)) << name;
    if (!r.ok()) {
      // No input echoed into the message (key ids, values).
      EXPECT_EQ(r.status().message().find(author_b64), std::string::npos) << name;
      EXPECT_EQ(r.status().message().find(patient_b64), std::string::npos) << name;
    }
  };
  auto mutate = [&](const std::string& name, const std::function<void(Json&)>& edit,
                    ErrorCode want) {
    Json t = j;
    edit(t);
    check(name, Canonical(t), want);
  };
  const std::string text(AsText(s.encoded));
  // E1-E3: the text.
  check("E1 too large", ToBytes(text + std::string(kMaxEventBytes, ' ')), ErrorCode::kTooLarge);
  check("E2 not json", ToBytes("{\"v\":1"), ErrorCode::kMalformed);
  check("E2 bom", ToBytes("\xEF\xBB\xBF" + text), ErrorCode::kMalformed);
  check("E2 array", ToBytes("[]"), ErrorCode::kMalformed);
  check("E2 empty", Bytes{}, ErrorCode::kMalformed);
  check("E2 duplicate", ToBytes("{\"v\":1,\"v\":1}"), ErrorCode::kMalformed);
  check("E3 whitespace", ToBytes(text + "\n"), ErrorCode::kNonCanonical);
  check("E3 order", ToBytes("{\"v\":1," + text.substr(1, text.rfind(",\"v\":1") - 1) + "}"),
        ErrorCode::kNonCanonical);
  check("E3 escape", ToBytes("{\"v\":1,\"\\u0061\":1}"), ErrorCode::kNonCanonical);
  check("E3 number", ToBytes("{\"v\":1.0}"), ErrorCode::kNonCanonical);
  // E4-E6: version and members.
  mutate(
      "E4 v missing", [](Json& x) { x.erase("v"); }, ErrorCode::kMalformed);
  mutate(
      "E4 v string", [](Json& x) { x["v"] = "1"; }, ErrorCode::kMalformed);
  mutate(
      "E4 v fraction", [](Json& x) { x["v"] = 1.5; }, ErrorCode::kMalformed);
  mutate(
      "E5 v 2",
      [](Json& x) {
        x["v"] = 2;
        x.erase("sig");
      },
      ErrorCode::kUnsupportedVersion);
  mutate(
      "E6 extra", [](Json& x) { x["x"] = 1; }, ErrorCode::kMalformed);
  mutate(
      "E6 missing", [](Json& x) { x.erase("salted"); }, ErrorCode::kMalformed);
  // E7-E8: type.
  mutate(
      "E7 type number", [](Json& x) { x["type"] = 4; }, ErrorCode::kMalformed);
  mutate(
      "E8 type unknown", [](Json& x) { x["type"] = "delete"; }, ErrorCode::kUnsupportedVersion);
  // E9-E12.
  mutate(
      "E9 author type", [](Json& x) { x["author"] = 1; }, ErrorCode::kMalformed);
  mutate(
      "E9 author D1", [](Json& x) { x["author"] = "a+b/"; }, ErrorCode::kMalformed);
  mutate(
      "E9 author D3", [&](Json& x) { x["author"] = author_b64 + "=="; }, ErrorCode::kNonCanonical);
  mutate(
      "E9 author size", [](Json& x) { x["author"] = Base64UrlEncode(Filled(15, 1)); },
      ErrorCode::kMalformed);
  mutate(
      "E10 seq negative", [](Json& x) { x["seq"] = -1; }, ErrorCode::kMalformed);
  mutate(
      "E10 seq fraction", [](Json& x) { x["seq"] = 0.5; }, ErrorCode::kMalformed);
  mutate(
      "E10 seq 2^53", [](Json& x) { x["seq"] = uint64_t{1} << 53; }, ErrorCode::kMalformed);
  mutate(
      "E11 prev size", [](Json& x) { x["prev"] = Base64UrlEncode(Filled(31, 0)); },
      ErrorCode::kMalformed);
  mutate(
      "E12 time string", [](Json& x) { x["time"] = "now"; }, ErrorCode::kMalformed);
  mutate(
      "E12 time negative", [](Json& x) { x["time"] = -5; }, ErrorCode::kMalformed);
  // E13-E16.
  mutate(
      "E13 purpose type", [](Json& x) { x["purpose"] = Json::array(); }, ErrorCode::kMalformed);
  mutate(
      "E14 purpose long", [](Json& x) { x["purpose"] = std::string(65, 'A'); },
      ErrorCode::kTooLarge);
  mutate(
      "E15 purpose space", [](Json& x) { x["purpose"] = "TRE AT"; }, ErrorCode::kMalformed);
  mutate(
      "E15 purpose non-ascii", [](Json& x) { x["purpose"] = "TR\xC3\xA9"; }, ErrorCode::kMalformed);
  mutate(
      "E16 outcome 3", [](Json& x) { x["outcome"] = 3; }, ErrorCode::kMalformed);
  mutate(
      "E16 outcome string", [](Json& x) { x["outcome"] = "0"; }, ErrorCode::kMalformed);
  // E17.
  mutate(
      "E17 patient size", [](Json& x) { x["patient"] = Base64UrlEncode(Filled(8, 1)); },
      ErrorCode::kMalformed);
  mutate(
      "E17 patient long", [](Json& x) { x["patient"] = Base64UrlEncode(Filled(17, 1)); },
      ErrorCode::kTooLarge);
  mutate(
      "E17 patient D4", [](Json& x) { x["patient"] = "AB"; }, ErrorCode::kNonCanonical);
  // E18-E20: recipients.
  mutate(
      "E18 recipients object", [](Json& x) { x["recipients"] = Json::object(); },
      ErrorCode::kMalformed);
  mutate(
      "E18 recipients too many",
      [](Json& x) {
        Json a = Json::array();
        for (int i = 0; i < 65; ++i)
          a.push_back(Base64UrlEncode(Filled(16, static_cast<uint8_t>(i))));
        x["recipients"] = a;
      },
      ErrorCode::kTooLarge);
  mutate(
      "E19 recipient number", [](Json& x) { x["recipients"][0] = 7; }, ErrorCode::kMalformed);
  mutate(
      "E19 recipient size", [](Json& x) { x["recipients"][0] = Base64UrlEncode(Filled(32, 0)); },
      ErrorCode::kMalformed);
  mutate(
      "E20 recipients duplicate", [](Json& x) { x["recipients"][1] = x["recipients"][0]; },
      ErrorCode::kDuplicateRecipient);
  mutate(
      "E20 recipients order", [](Json& x) { std::swap(x["recipients"][0], x["recipients"][1]); },
      ErrorCode::kNonCanonical);
  // E21-E24: subjects.
  mutate(
      "E21 subjects string", [](Json& x) { x["subjects"] = ""; }, ErrorCode::kMalformed);
  mutate(
      "E21 subjects too many",
      [](Json& x) {
        Json a = Json::array();
        for (int i = 0; i < 65; ++i) {
          a.push_back(Json{{"kind", "record"},
                           {"id", Base64UrlEncode(Filled(32, static_cast<uint8_t>(i)))}});
        }
        x["subjects"] = a;
      },
      ErrorCode::kTooLarge);
  mutate(
      "E22 subject not object", [](Json& x) { x["subjects"][0] = "record"; },
      ErrorCode::kMalformed);
  mutate(
      "E22 subject extra", [](Json& x) { x["subjects"][0]["x"] = 1; }, ErrorCode::kMalformed);
  mutate(
      "E23 subject kind", [](Json& x) { x["subjects"][0]["kind"] = "file"; },
      ErrorCode::kMalformed);
  mutate(
      "E23 subject kind type", [](Json& x) { x["subjects"][0]["kind"] = 1; },
      ErrorCode::kMalformed);
  mutate(
      "E23 subject card size", [](Json& x) { x["subjects"][0]["kind"] = "card"; },
      ErrorCode::kMalformed);
  mutate(
      "E23 subject id D1", [](Json& x) { x["subjects"][0]["id"] = "!"; }, ErrorCode::kMalformed);
  mutate(
      "E24 subjects order", [](Json& x) { std::swap(x["subjects"][0], x["subjects"][1]); },
      ErrorCode::kNonCanonical);
  mutate(
      "E24 subjects duplicate", [](Json& x) { x["subjects"][1] = x["subjects"][0]; },
      ErrorCode::kNonCanonical);
  // E25-E26: salted.
  mutate(
      "E25 salted too many",
      [](Json& x) {
        Json a = Json::array();
        for (int i = 0; i < 17; ++i)
          a.push_back(Base64UrlEncode(Filled(32, static_cast<uint8_t>(i))));
        x["salted"] = a;
      },
      ErrorCode::kTooLarge);
  mutate(
      "E25 salted size", [](Json& x) { x["salted"] = {Base64UrlEncode(Filled(16, 0))}; },
      ErrorCode::kMalformed);
  mutate(
      "E26 salted order",
      [](Json& x) {
        x["salted"] = {Base64UrlEncode(Filled(32, 2)), Base64UrlEncode(Filled(32, 1))};
      },
      ErrorCode::kNonCanonical);
  // E27-E28.
  mutate(
      "E27 reason size", [](Json& x) { x["reason"] = Base64UrlEncode(Filled(16, 0)); },
      ErrorCode::kMalformed);
  mutate(
      "E28 sig size", [](Json& x) { x["sig"] = Base64UrlEncode(Filled(63, 0)); },
      ErrorCode::kMalformed);
  mutate(
      "E28 sig type", [](Json& x) { x["sig"] = 5; }, ErrorCode::kMalformed);
  // S1-S10: the rules between members.
  mutate(
      "S1 seq 0 prev set", [](Json& x) { x["prev"] = Base64UrlEncode(Filled(32, 1)); },
      ErrorCode::kMalformed);
  mutate(
      "S1 seq 1 prev zero", [](Json& x) { x["seq"] = 1; }, ErrorCode::kMalformed);
  mutate(
      "S2 no subject", [](Json& x) { x["subjects"] = Json::array(); }, ErrorCode::kMalformed);
  mutate(
      "S3 break-glass TREAT",
      [](Json& x) {
        x["type"] = "break-glass";
        x["reason"] = Base64UrlEncode(Filled(32, 1));
      },
      ErrorCode::kMalformed);
  mutate(
      "S4 break-glass no reason",
      [](Json& x) {
        x["type"] = "break-glass";
        x["purpose"] = "BTG";
      },
      ErrorCode::kReasonRequired);
  mutate(
      "S5 break-glass no patient",
      [](Json& x) {
        x["type"] = "break-glass";
        x["purpose"] = "BTG";
        x["reason"] = Base64UrlEncode(Filled(32, 1));
        x["patient"] = "";
      },
      ErrorCode::kMalformed);
  mutate(
      "S6 emergency open",
      [](Json& x) {
        x["type"] = "open";
        x["purpose"] = "ETREAT";
      },
      ErrorCode::kReasonRequired);
  mutate(
      "S7 reason on share", [](Json& x) { x["reason"] = Base64UrlEncode(Filled(32, 1)); },
      ErrorCode::kMalformed);
  mutate(
      "S8 grant without consent", [](Json& x) { x["type"] = "grant"; }, ErrorCode::kMalformed);
  mutate(
      "S9 share without recipients", [](Json& x) { x["recipients"] = Json::array(); },
      ErrorCode::kMalformed);
  mutate(
      "S10 revoke without card", [](Json& x) { x["type"] = "revoke"; }, ErrorCode::kMalformed);
  // And the unmodified event parses (the cases above are each one change).
  EXPECT_OK(ParseEvent(Canonical(j)));
}

TEST(LogEvent, GarbageNeverCrashes) {
  const SignedEvent s = SignOrDie(MakeEvent(EventType::kBreakGlass));
  for (size_t cut = 0; cut < s.encoded.size(); cut += 5) {
    EXPECT_FALSE(ParseEvent(ByteView(s.encoded).first(cut)).ok()) << cut;
  }
  const Bytes zeros(64, 0);
  EXPECT_CODE(ParseEvent(zeros), ErrorCode::kMalformed);
}

TEST(LogEvent, SaltedHash) {
  const Bytes salt = Filled(32, 0x5a);
  auto h = SaltedHash(salt, "sensitivity", AsBytes("http://x|HIV"));
  ASSERT_OK(h);
  // The construction spelled out (spec §6.4).
  Bytes msg = ToBytes("medseal/v1/log-salt");
  msg.push_back(0);
  const std::string rest = "sensitivity";
  msg.insert(msg.end(), rest.begin(), rest.end());
  msg.push_back(0);
  const std::string value = "http://x|HIV";
  msg.insert(msg.end(), value.begin(), value.end());
  auto want = Blake2b(32, salt, msg);
  ASSERT_OK(want);
  EXPECT_EQ(*h, *want);
  auto s2 = SaltedSensitivity(salt, "http://x|HIV");
  ASSERT_OK(s2);
  EXPECT_EQ(*s2, *h);
  // Salt, domain and value each change the hash.
  EXPECT_NE(*SaltedHash(Filled(32, 0x5b), "sensitivity", AsBytes("http://x|HIV")), *h);
  EXPECT_NE(*SaltedReason(salt, "http://x|HIV"), *h);
  EXPECT_NE(*SaltedHash(salt, "sensitivity", AsBytes("http://x|HIW")), *h);
  // Domain and value are separated: ("ab", "c") differs from ("a", "bc").
  EXPECT_NE(*SaltedHash(salt, "ab", AsBytes("c")), *SaltedHash(salt, "a", AsBytes("bc")));
  EXPECT_OK(SaltedHash(Filled(16, 1), "d", {}));
  EXPECT_OK(SaltedHash(Filled(64, 1), std::string(64, 'd'), {}));
  EXPECT_CODE(SaltedHash(Filled(15, 1), "d", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SaltedHash(Filled(65, 1), "d", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SaltedHash(salt, "", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SaltedHash(salt, std::string(65, 'd'), {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SaltedHash(salt, "a b", {}), ErrorCode::kInvalidArgument);
  EXPECT_CODE(SaltedHash(salt, std::string("a\0b", 3), {}), ErrorCode::kInvalidArgument);
  testing::CountingRng rng;
  const SecretBytes salt1 = NewEventSalt(rng);
  EXPECT_EQ(RevealSecret(salt1).size(), kEventSaltSize);
  EXPECT_EQ(rng.bytes(), kEventSaltSize);
}

TEST(LogEvent, SubjectsFromDomainObjects) {
  EXPECT_EQ(CardSubject(Other().card()), (EventSubject{SubjectKind::kCard, Other().key_id()}));
  auto a = AttachmentSubject(Filled(32, 9));
  ASSERT_OK(a);
  EXPECT_EQ(a->kind, SubjectKind::kAttachment);
  EXPECT_EQ(a->id, Filled(32, 9));
  EXPECT_CODE(AttachmentSubject(Filled(31, 9)), ErrorCode::kInvalidArgument);
  // A sealed record: its SealedRecordHash.
  testing::CountingRng rng;
  FixedClock clock(kTime);
  const std::string body = "{\"resourceType\":\"Observation\"}";
  RecordPayload payload{"application/fhir+json", "obs-1", "Observation", AsBytes(body)};
  const PublicCard* cards[] = {&Clinician().card()};
  auto record = SealRecord(Patient(), std::span<const PublicCard* const>(cards), payload, rng,
                           clock);
  ASSERT_OK(record);
  const EventSubject r = RecordSubject(*record);
  EXPECT_EQ(r.kind, SubjectKind::kRecord);
  EXPECT_EQ(r.id, consent::SealedRecordHash(*record));
  EXPECT_EQ(r.id.size(), 32u);
  EXPECT_EQ(SubjectKindName(SubjectKind::kConsent), "consent");
  EXPECT_EQ(SubjectKindName(static_cast<SubjectKind>(9)), "unknown");
}

// --- chains -----------------------------------------------------------------

// `n` events of `id`, chained from its chain state.
std::vector<SignedEvent> Chain(const Identity& id, size_t n) {
  AuthorChains chains;
  std::vector<SignedEvent> out;
  for (size_t i = 0; i < n; ++i) {
    Event e = MakeEvent(EventType::kOpen);
    e.author = id.key_id();
    auto [seq, prev] = chains.Next(id.key_id());
    e.seq = seq;
    e.prev = prev;
    e.time = kTime + static_cast<UnixMillis>(i);
    out.push_back(SignOrDie(e, id));
    EXPECT_OK(chains.Append(out.back()));
  }
  return out;
}

TEST(LogChains, AnUnbrokenChainAppends) {
  const auto a = Chain(Clinician(), 4);
  const auto b = Chain(Other(), 2);
  AuthorChains chains;
  EXPECT_EQ(chains.Next(Clinician().key_id()), std::make_pair(uint64_t{0}, Bytes(32, 0)));
  EXPECT_FALSE(chains.Last(Clinician().key_id()).has_value());
  // Interleaved authors are independent.
  for (const SignedEvent* e : {&a[0], &b[0], &a[1], &a[2], &b[1], &a[3]}) {
    EXPECT_OK(chains.Append(*e));
  }
  EXPECT_EQ(chains.authors(), 2u);
  EXPECT_EQ(chains.Next(Clinician().key_id()), std::make_pair(uint64_t{4}, a[3].Hash()));
  EXPECT_EQ(chains.Last(Other().key_id()),
            std::make_optional(std::make_pair(uint64_t{1}, b[1].Hash())));
  EXPECT_EQ(a[1].event.prev, a[0].Hash());
  EXPECT_EQ(a[3].event.seq, 3u);
}

TEST(LogChains, GapsReordersAndEditsHaveTheirCodes) {
  const auto a = Chain(Clinician(), 4);
  {
    AuthorChains c;  // the first event missing
    EXPECT_CODE(c.Append(a[1]), ErrorCode::kLogEntryMissing);
    EXPECT_EQ(c.authors(), 0u);
  }
  {
    AuthorChains c;  // a gap
    ASSERT_OK(c.Append(a[0]));
    ASSERT_OK(c.Append(a[1]));
    EXPECT_CODE(c.Append(a[3]), ErrorCode::kLogEntryMissing);
    // The failed append did not advance the head: the chain goes on.
    EXPECT_OK(c.Append(a[2]));
    EXPECT_OK(c.Append(a[3]));
  }
  {
    AuthorChains c;  // repeated and lower
    ASSERT_OK(c.Append(a[0]));
    ASSERT_OK(c.Append(a[1]));
    ASSERT_OK(c.Append(a[2]));
    EXPECT_CODE(c.Append(a[2]), ErrorCode::kLogReordered);
    EXPECT_CODE(c.Append(a[0]), ErrorCode::kLogReordered);
    EXPECT_OK(c.Append(a[3]));
  }
  {
    AuthorChains c;  // an edited predecessor: the next prev no longer matches
    ASSERT_OK(c.Append(a[0]));
    Event edited = a[1].event;
    edited.time += 1000;
    const SignedEvent e1 = SignOrDie(edited);  // same seq, other bytes
    ASSERT_OK(c.Append(e1));
    EXPECT_CODE(c.Append(a[2]), ErrorCode::kLogEntryModified);
  }
  {
    AuthorChains c;  // a wrong prev
    ASSERT_OK(c.Append(a[0]));
    Event e = a[1].event;
    e.prev = Filled(32, 0x99);
    EXPECT_CODE(c.Append(SignOrDie(e)), ErrorCode::kLogEntryModified);
  }
  {
    AuthorChains c;  // a hand-built first event with a prev
    SignedEvent e = a[0];
    e.event.prev = Filled(32, 1);
    EXPECT_CODE(c.Append(e), ErrorCode::kLogEntryModified);
    e.event.author = Filled(3, 1);
    EXPECT_CODE(c.Append(e), ErrorCode::kInvalidArgument);
  }
}

// --- vectors ----------------------------------------------------------------

Bytes Hex(const nlohmann::json& j) { return testing::HexOrDie(j.get<std::string>()); }

Event EventFromFields(const nlohmann::json& f) {
  Event e;
  e.type = std::move(ParseEventType(f.at("type").get<std::string>())).value();
  e.author = Hex(f.at("author"));
  e.seq = f.at("seq").get<uint64_t>();
  e.prev = Hex(f.at("prev"));
  e.time = f.at("time").get<int64_t>();
  e.purpose = f.at("purpose").get<std::string>();
  e.outcome = static_cast<EventOutcome>(f.at("outcome").get<int>());
  e.patient = Hex(f.at("patient"));
  for (const auto& r : f.at("recipients")) e.recipients.push_back(Hex(r));
  for (const auto& sj : f.at("subjects")) {
    const std::string kind = sj.at("kind").get<std::string>();
    SubjectKind k = SubjectKind::kRecord;
    for (uint8_t i = 1; i <= 4; ++i) {
      if (SubjectKindName(static_cast<SubjectKind>(i)) == kind) k = static_cast<SubjectKind>(i);
    }
    e.subjects.push_back({k, Hex(sj.at("id"))});
  }
  for (const auto& h : f.at("salted")) e.salted.push_back(Hex(h));
  e.reason = Hex(f.at("reason"));
  return e;
}

struct VectorIds {
  std::vector<std::pair<std::string, Identity>> ids;
  const Identity& Get(const std::string& key) const {
    for (const auto& [k, id] : ids) {
      if (k == key) return id;
    }
    ADD_FAILURE() << "no identity " << key;
    return ids.front().second;
  }
};

VectorIds LoadIds(const nlohmann::json& doc) {
  VectorIds out;
  for (const auto& [key, p] : doc.at("identities").items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(Hex(p.at("seed"))),
                                 p.at("name").get<std::string>(), p.at("role").get<std::string>(),
                                 p.at("created").get<int64_t>());
    EXPECT_TRUE(id.ok());
    EXPECT_EQ(id->card().ToJson(), p.at("card").get<std::string>()) << key;
    out.ids.emplace_back(key, std::move(id).value());
  }
  return out;
}

TEST(LogEventVectors, HistorySignsAndParsesByteForByte) {
  const nlohmann::json doc = testing::LoadVectorJson("log/event_v1.json");
  const VectorIds ids = LoadIds(doc);
  ASSERT_GE(ids.ids.size(), 3u);
  std::vector<bool> seen(10, false);
  size_t n = 0;
  for (const auto& v : doc.at("history")) {
    SCOPED_TRACE(v.at("comment").get<std::string>());
    const Event e = EventFromFields(v.at("fields"));
    const Identity& signer = ids.Get(v.at("signer").get<std::string>());
    auto s = SignEvent(signer, e);
    ASSERT_OK(s);
    EXPECT_EQ(std::string(AsText(s->encoded)), v.at("encoded").get<std::string>());
    EXPECT_EQ(s->signature, Hex(v.at("signature")));
    EXPECT_EQ(*EventSignedBytes(e), Hex(v.at("signedBytes")));
    EXPECT_EQ(s->Hash(), Hex(v.at("hash")));
    auto parsed = ParseEvent(AsBytes(v.at("encoded").get<std::string>()));
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->event, e);
    EXPECT_OK(VerifyEvent(*parsed, signer.card()));
    seen[static_cast<size_t>(e.type)] = true;
    ++n;
  }
  EXPECT_EQ(n, 9u);
  for (size_t t = 1; t <= 9; ++t) EXPECT_TRUE(seen[t]) << "no event of type " << t;
}

TEST(LogEventVectors, SaltsSubjectsAndBreakGlass) {
  const nlohmann::json doc = testing::LoadVectorJson("log/event_v1.json");
  EXPECT_EQ(doc.at("labels").at("signature").get<std::string>(), kEventSignatureLabel);
  EXPECT_EQ(doc.at("labels").at("salt").get<std::string>(), kSaltedHashLabel);
  size_t n = 0;
  for (const auto& c : doc.at("saltedHashes")) {
    auto h = SaltedHash(Hex(c.at("salt")), c.at("domain").get<std::string>(),
                        AsBytes(c.at("value").get<std::string>()));
    ASSERT_OK(h);
    EXPECT_EQ(*h, Hex(c.at("hash")));
    ++n;
  }
  EXPECT_GE(n, 3u);
  const auto& bg = doc.at("breakGlass");
  ChaChaRng rng(Hex(bg.at("saltRngSeed")));
  const SecretBytes salt = NewEventSalt(rng);
  EXPECT_EQ(Bytes(RevealSecret(salt).begin(), RevealSecret(salt).end()), Hex(bg.at("salt")));
  const auto& h = doc.at("history").at(bg.at("event").get<size_t>());
  auto parsed = ParseEvent(AsBytes(h.at("encoded").get<std::string>()));
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->event.type, EventType::kBreakGlass);
  EXPECT_OK(VerifyEvent(*parsed, LoadIds(doc).Get(h.at("signer").get<std::string>()).card()));
  EXPECT_EQ(parsed->event.reason,
            *SaltedReason(RevealSecret(salt), bg.at("reason").get<std::string>()));
  std::vector<Bytes> labels;
  for (const auto& l : bg.at("labels")) {
    labels.push_back(*SaltedSensitivity(RevealSecret(salt), l.get<std::string>()));
  }
  std::sort(labels.begin(), labels.end());
  EXPECT_EQ(parsed->event.salted, labels);
  const VectorIds ids = LoadIds(doc);
  for (const auto& sj : doc.at("subjects")) {
    const std::string kind = sj.at("kind").get<std::string>();
    SCOPED_TRACE(kind);
    if (kind == "record") {
      auto record = ParseRecordBinary(Hex(sj.at("recordBinary")));
      ASSERT_OK(record);
      EXPECT_EQ(RecordSubject(*record).id, Hex(sj.at("id")));
    } else if (kind == "attachment") {
      auto a = AttachmentSubject(Sha256(Hex(sj.at("file"))));
      ASSERT_OK(a);
      EXPECT_EQ(a->id, Hex(sj.at("id")));
    } else if (kind == "card") {
      EXPECT_EQ(CardSubject(ids.Get(sj.at("card").get<std::string>()).card()).id, Hex(sj.at("id")));
    } else {
      ADD_FAILURE() << "unknown subject kind in the vectors";
    }
  }
}

TEST(LogEventVectors, ChainsAndInvalidEvents) {
  const nlohmann::json doc = testing::LoadVectorJson("log/event_v1.json");
  std::vector<SignedEvent> history;
  for (const auto& v : doc.at("history")) {
    history.push_back(std::move(ParseEvent(AsBytes(v.at("encoded").get<std::string>()))).value());
  }
  const SignedEvent fork =
      std::move(ParseEvent(AsBytes(doc.at("fork").at("encoded").get<std::string>()))).value();
  EXPECT_EQ(fork.Hash(), Hex(doc.at("fork").at("hash")));
  size_t chains = 0;
  for (const auto& c : doc.at("chains")) {
    SCOPED_TRACE(c.at("comment").get<std::string>());
    AuthorChains chain;
    const auto& seq = c.at("sequence");
    Status last;
    for (size_t i = 0; i < seq.size(); ++i) {
      const SignedEvent& e = seq[i].is_string() ? fork : history.at(seq[i].get<size_t>());
      last = chain.Append(e);
      if (i + 1 < seq.size()) ASSERT_OK(last);
    }
    if (c.at("result") == "valid") {
      EXPECT_OK(last);
    } else {
      EXPECT_EQ(ErrorCodeName(last.code()), c.at("error").get<std::string>());
    }
    ++chains;
  }
  EXPECT_GE(chains, 7u);
  size_t invalid = 0;
  for (const auto& t : doc.at("invalidEvents")) {
    auto r = ParseEvent(AsBytes(t.at("input").get<std::string>()));
    EXPECT_EQ(ErrorCodeName(testing::CodeOf(r)), t.at("error").get<std::string>())
        << t.at("rule") << " " << t.at("comment");
    ++invalid;
  }
  EXPECT_GE(invalid, 47u);
  const VectorIds ids = LoadIds(doc);
  for (const auto& t : doc.at("badSignatures")) {
    auto r = ParseEvent(AsBytes(t.at("input").get<std::string>()));
    ASSERT_OK(r);
    EXPECT_EQ(
        ErrorCodeName(VerifyEvent(*r, ids.Get(t.at("signer").get<std::string>()).card()).code()),
        t.at("error").get<std::string>())
        << t.at("comment");
  }
}

}  // namespace
}  // namespace medseal::tlog
