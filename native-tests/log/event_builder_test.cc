// SPDX-License-Identifier: Apache-2.0
// core/log/event_builder.h: signing a new event from typed fields. The whole
// history of native-tests/vectors/log/event_v1.json is rebuilt from its
// fields byte for byte (the salt drawn from ChaChaRng(saltRngSeed)); the
// chain advances; every check has its code and leaves the chain unchanged;
// EventFieldsFromJson's rules.
#include "core/log/event_builder.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"
#include "core/log/break_glass.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using testing::HexOrDie;

constexpr UnixMillis kTime = 1764590400000;

Bytes Hex(const nlohmann::json& v) { return HexOrDie(v.get<std::string>()); }

Identity MakeIdentity(uint8_t seed, const char* name, const char* role) {
  return std::move(
             Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, role, 1700000000000))
      .value();
}

const Identity& Clinician() {
  static const Identity* id = new Identity(MakeIdentity(0x31, "Dr C", "clinician"));
  return *id;
}
const Identity& Patient() {
  static const Identity* id = new Identity(MakeIdentity(0x32, "Patient P", "patient"));
  return *id;
}

EventFields OpenFields() {
  EventFields f;
  f.type = EventType::kOpen;
  f.purpose = "TREAT";
  f.patient = Patient().key_id();
  f.subjects = {EventSubject{SubjectKind::kRecord, Bytes(32, 0xaa)}};
  return f;
}

TEST(EventBuilder, RebuildsTheVectorHistoryByteForByte) {
  const nlohmann::json doc = testing::LoadVectorJson("log/event_v1.json");
  std::map<std::string, Identity> ids;
  for (const auto& [key, p] : doc.at("identities").items()) {
    ids.emplace(key, std::move(Identity::FromSeed(SecretBytes::CopyFrom(Hex(p.at("seed"))),
                                                  p.at("name").get<std::string>(),
                                                  p.at("role").get<std::string>(),
                                                  p.at("created").get<int64_t>()))
                         .value());
  }
  // Salted hash (hex) -> the value it salts, under the vectors' event salt.
  const nlohmann::json& bg = doc.at("breakGlass");
  std::map<std::string, std::string> values;
  for (const auto& c : doc.at("saltedHashes")) {
    if (c.at("salt") == bg.at("salt") && c.at("domain") == "sensitivity") {
      values[c.at("hash").get<std::string>()] = c.at("value").get<std::string>();
    }
  }
  AuthorChains chain;
  size_t n = 0;
  for (const auto& v : doc.at("history")) {
    SCOPED_TRACE(v.at("comment").get<std::string>());
    const auto& f = v.at("fields");
    EventFields fields;
    fields.type = *ParseEventType(f.at("type").get<std::string>());
    fields.purpose = f.at("purpose").get<std::string>();
    fields.outcome = static_cast<EventOutcome>(f.at("outcome").get<int>());
    fields.patient = Hex(f.at("patient"));
    // Reversed: the builder sorts.
    for (const auto& r : f.at("recipients"))
      fields.recipients.insert(fields.recipients.begin(), Hex(r));
    for (const auto& s : f.at("subjects")) {
      const std::string kind = s.at("kind").get<std::string>();
      const SubjectKind k = kind == "record"       ? SubjectKind::kRecord
                            : kind == "consent"    ? SubjectKind::kConsent
                            : kind == "attachment" ? SubjectKind::kAttachment
                                                   : SubjectKind::kCard;
      fields.subjects.insert(fields.subjects.begin(), EventSubject{k, Hex(s.at("id"))});
    }
    for (const auto& h : f.at("salted")) {
      ASSERT_EQ(values.count(h.get<std::string>()), 1u);
      fields.sensitivity.push_back(values[h.get<std::string>()]);
    }
    if (!f.at("reason").get<std::string>().empty()) {
      fields.reason = bg.at("reason").get<std::string>();
    }
    ChaChaRng rng(Hex(bg.at("saltRngSeed")));
    FixedClock clock(f.at("time").get<int64_t>());
    auto made = SignNewEvent(ids.at(v.at("signer").get<std::string>()), fields, chain, rng, clock);
    ASSERT_OK(made);
    EXPECT_EQ(std::string(AsText(made->event.encoded)), v.at("encoded").get<std::string>());
    EXPECT_EQ(made->event.Hash(), Hex(v.at("hash")));
    EXPECT_EQ(Bytes(RevealSecret(made->salt).begin(), RevealSecret(made->salt).end()),
              Hex(bg.at("salt")));
    ++n;
  }
  EXPECT_EQ(n, 9u);
  EXPECT_EQ(chain.authors(), 2u);
}

TEST(EventBuilder, ContinuesTheAuthorsChainAndSaltsTheReason) {
  AuthorChains chain;
  testing::CountingRng rng;
  FixedClock clock(kTime);
  auto first = SignNewEvent(Clinician(), OpenFields(), chain, rng, clock);
  ASSERT_OK(first);
  EXPECT_EQ(first->event.event.seq, 0u);
  EXPECT_EQ(first->event.event.prev, Bytes(32, 0));
  EXPECT_EQ(first->event.event.time, kTime);
  EXPECT_EQ(first->event.event.author, Clinician().key_id());
  EXPECT_OK(VerifyEvent(first->event, Clinician().card()));
  EXPECT_EQ(rng.bytes(), kEventSaltSize);

  EventFields bg = OpenFields();
  bg.type = EventType::kBreakGlass;
  bg.purpose = "BTG";
  bg.reason = "unconscious";
  bg.sensitivity = {"s|PSY", "s|HIV", "s|PSY"};
  auto second = SignNewEvent(Clinician(), bg, chain, rng, clock);
  ASSERT_OK(second);
  EXPECT_EQ(second->event.event.seq, 1u);
  EXPECT_EQ(second->event.event.prev, first->event.Hash());
  EXPECT_EQ(second->event.event.salted.size(), 2u);  // equal labels are one
  EXPECT_OK(VerifyBreakGlassReason(second->event, RevealSecret(second->salt), "unconscious"));
  EXPECT_CODE(VerifyBreakGlassReason(second->event, RevealSecret(second->salt), "other"),
              ErrorCode::kLogEntryModified);
  EXPECT_EQ(
      *SaltedSensitivity(RevealSecret(second->salt), "s|HIV") == second->event.event.salted[0] ||
          *SaltedSensitivity(RevealSecret(second->salt), "s|HIV") == second->event.event.salted[1],
      true);
  EXPECT_EQ(chain.Last(Clinician().key_id())->first, 1u);
}

TEST(EventBuilder, ChecksHaveCodesAndLeaveTheChainUnchanged) {
  struct Case {
    const char* what;
    std::function<void(EventFields&)> change;
    ErrorCode code;
  };
  const std::vector<Case> cases = {
      {"17 labels", [](EventFields& f) { f.sensitivity.assign(17, "s|X"); },
       ErrorCode::kInvalidArgument},
      {"an empty label", [](EventFields& f) { f.sensitivity = {""}; }, ErrorCode::kInvalidArgument},
      {"a reason on an open", [](EventFields& f) { f.reason = "why"; },
       ErrorCode::kInvalidArgument},
      {"a blank reason",
       [](EventFields& f) {
         f.type = EventType::kBreakGlass;
         f.purpose = "ETREAT";
         f.reason = " \t\n";
       },
       ErrorCode::kReasonRequired},
      {"a long reason",
       [](EventFields& f) {
         f.type = EventType::kBreakGlass;
         f.purpose = "ETREAT";
         f.reason = std::string(1025, 'a');
       },
       ErrorCode::kTooLarge},
      {"a control character",
       [](EventFields& f) {
         f.type = EventType::kBreakGlass;
         f.purpose = "ETREAT";
         f.reason = std::string("a\x01", 2);
       },
       ErrorCode::kInvalidArgument},
      {"break-glass without a reason",
       [](EventFields& f) {
         f.type = EventType::kBreakGlass;
         f.purpose = "ETREAT";
       },
       ErrorCode::kReasonRequired},
      {"an emergency open", [](EventFields& f) { f.purpose = "ETREAT"; },
       ErrorCode::kReasonRequired},
      {"no subject", [](EventFields& f) { f.subjects.clear(); }, ErrorCode::kInvalidArgument},
      {"a short patient", [](EventFields& f) { f.patient = Bytes(15, 1); },
       ErrorCode::kInvalidArgument},
      {"a share without recipients", [](EventFields& f) { f.type = EventType::kShare; },
       ErrorCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    AuthorChains chain;
    testing::CountingRng rng;
    FixedClock clock(kTime);
    EventFields f = OpenFields();
    c.change(f);
    EXPECT_CODE(SignNewEvent(Clinician(), f, chain, rng, clock), c.code);
    EXPECT_EQ(chain.authors(), 0u);
  }
  AuthorChains chain;
  testing::CountingRng rng;
  FixedClock bad_clock(-1);
  EXPECT_CODE(SignNewEvent(Clinician(), OpenFields(), chain, rng, bad_clock),
              ErrorCode::kInvalidArgument);
  EXPECT_EQ(chain.authors(), 0u);
}

TEST(EventBuilder, FieldsFromJson) {
  const std::string kid = Base64UrlEncode(Patient().key_id());
  const std::string id32 = Base64UrlEncode(Bytes(32, 0xaa));
  auto f = EventFieldsFromJson(R"({"type":"share","purpose":"TREAT","outcome":4,"patient":")" +
                               kid + R"(","recipients":[")" + kid +
                               R"("],"subjects":[{"kind":"record","id":")" + id32 +
                               R"("}],"sensitivity":["s|HIV"],"reason":"r"})");
  ASSERT_OK(f);
  EXPECT_EQ(f->type, EventType::kShare);
  EXPECT_EQ(f->purpose, "TREAT");
  EXPECT_EQ(f->outcome, EventOutcome::kMinorFailure);
  EXPECT_EQ(f->patient, Patient().key_id());
  EXPECT_EQ(f->recipients, std::vector<Bytes>{Patient().key_id()});
  ASSERT_EQ(f->subjects.size(), 1u);
  EXPECT_EQ(f->subjects[0].id, Bytes(32, 0xaa));
  EXPECT_EQ(f->sensitivity, std::vector<std::string>{"s|HIV"});
  EXPECT_EQ(f->reason, std::optional<std::string>("r"));

  auto minimal = EventFieldsFromJson(R"({"type":"open","subjects":[]})");
  ASSERT_OK(minimal);
  EXPECT_EQ(minimal->purpose, "");
  EXPECT_FALSE(minimal->reason.has_value());

  const std::string s = R"("subjects":[{"kind":"record","id":")" + id32 + R"("}])";
  const std::vector<std::pair<std::string, ErrorCode>> bad = {
      {"", ErrorCode::kMalformed},
      {"[]", ErrorCode::kMalformed},
      {R"({"type":"open"})", ErrorCode::kMalformed},
      {R"({)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"peek",)" + s + "}", ErrorCode::kUnsupportedVersion},
      {R"({"type":1,)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","extra":1,)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","subjects":{}})", ErrorCode::kMalformed},
      {R"({"type":"open","subjects":[{"kind":"thing","id":")" + id32 + R"("}]})",
       ErrorCode::kMalformed},
      {R"({"type":"open","subjects":[{"kind":"card","id":")" + id32 + R"("}]})",
       ErrorCode::kMalformed},
      {R"({"type":"open","subjects":[{"kind":"record"}]})", ErrorCode::kMalformed},
      {R"({"type":"open","outcome":3,)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","outcome":"0",)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","patient":"AAAA",)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","patient":"***",)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","recipients":"x",)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","sensitivity":[1],)" + s + "}", ErrorCode::kMalformed},
      {R"({"type":"open","reason":null,)" + s + "}", ErrorCode::kMalformed},
      {"{\"type\":\"open\",\"purpose\":\"\xff\"," + s + "}", ErrorCode::kMalformed},
      {std::string(kMaxEventFieldsJsonBytes + 1, ' '), ErrorCode::kTooLarge},
  };
  for (const auto& [json, code] : bad) {
    SCOPED_TRACE(json.substr(0, 80));
    EXPECT_CODE(EventFieldsFromJson(json), code);
  }
}

}  // namespace
}  // namespace medseal::tlog
