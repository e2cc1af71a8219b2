// SPDX-License-Identifier: Apache-2.0
// core/log/break_glass.h: an emergency open needs a reason, yields the
// signed break-glass event with the payload, keeps the reason out of the
// log, flags the patient's events; crypto-shredding the record leaves the
// log's events parseable and verifiable.
#include "core/log/break_glass.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/codec/base64url.h"
#include "core/consent/vault.h"
#include "core/fhir/model.h"
#include "core/log/entry.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

constexpr UnixMillis kTime = 1764590400000;
constexpr std::string_view kBody = "{\"resourceType\":\"Observation\",\"status\":\"final\"}";
constexpr std::string_view kReason = "Unconscious on arrival, suspected overdose";
constexpr std::string_view kHiv = "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV";

Identity MakeIdentity(uint8_t seed_byte, const char* name, const char* role) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, role,
                                      1700000000000))
      .value();
}

struct Fixture {
  Identity patient = MakeIdentity(0x41, "Patient P", "patient");
  Identity clinician = MakeIdentity(0x42, "Dr E", "clinician");
  testing::CountingRng rng;
  FixedClock clock{kTime};
  consent::Vault vault;

  // A v2 record from the patient to the clinician and the patient's vault,
  // for the given purpose codes.
  SealedRecord Seal(std::vector<std::string> codes, const std::string& record_id = "obs-1") {
    RecordContext context;
    for (auto& c : codes) context.purposes.push_back({std::string(fhir::kActReasonSystem), c});
    const std::vector<std::string> categories = {"R"};
    auto key = vault.KeyForRecord(record_id, categories, rng);
    EXPECT_TRUE(key.ok());
    const PublicCard* cards[] = {&clinician.card()};
    const VaultKey* keys[] = {*key};
    RecordPayload payload{"application/fhir+json", record_id, "Observation", AsBytes(kBody)};
    auto r = SealRecordV2(patient, cards, keys, payload, context, rng, clock);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    const Bytes recipients[] = {clinician.key_id()};
    EXPECT_TRUE(vault.NoteSealed(record_id, *r, recipients).ok());
    return std::move(r).value();
  }

  EmergencyAccess Access(std::string purpose = "ETREAT") const {
    EmergencyAccess a;
    a.purpose = std::move(purpose);
    a.reason = kReason;
    a.patient = patient.key_id();
    a.sensitivity = {std::string(kHiv)};
    return a;
  }
};

TEST(BreakGlass, OpenYieldsPayloadAndSignedEvent) {
  Fixture f;
  const SealedRecord record = f.Seal({"BTG", "ETREAT", "TREAT"});
  AuthorChains chain;
  auto open = BreakGlassOpenRecord(record, f.clinician, f.patient.card(), f.Access(), chain, f.rng,
                                   f.clock);
  ASSERT_OK(open);
  EXPECT_EQ(AsText(open->payload.body()), kBody);
  const SignedEvent& ev = open->event;
  EXPECT_EQ(ev.event.type, EventType::kBreakGlass);
  EXPECT_EQ(ev.event.author, f.clinician.key_id());
  EXPECT_EQ(ev.event.patient, f.patient.key_id());
  EXPECT_EQ(ev.event.purpose, "ETREAT");
  EXPECT_EQ(ev.event.time, kTime);
  EXPECT_EQ(ev.event.seq, 0u);
  ASSERT_EQ(ev.event.subjects.size(), 1u);
  EXPECT_EQ(ev.event.subjects[0], RecordSubject(record));
  EXPECT_OK(VerifyEvent(ev, f.clinician.card()));
  // The salt is fresh, secret, and the reason and label hashes use it.
  ASSERT_EQ(RevealSecret(open->salt).size(), kEventSaltSize);
  EXPECT_EQ(ev.event.reason, *SaltedReason(RevealSecret(open->salt), kReason));
  EXPECT_EQ(ev.event.salted,
            std::vector<Bytes>{*SaltedSensitivity(RevealSecret(open->salt), kHiv)});
  EXPECT_OK(VerifyBreakGlassReason(ev, RevealSecret(open->salt), kReason));
  EXPECT_CODE(VerifyBreakGlassReason(ev, RevealSecret(open->salt), "a different reason"),
              ErrorCode::kLogEntryModified);
  EXPECT_CODE(VerifyBreakGlassReason(ev, Bytes(32, 0), kReason), ErrorCode::kLogEntryModified);
  EXPECT_CODE(VerifyBreakGlassReason(ev, Bytes(8, 0), kReason), ErrorCode::kInvalidArgument);
  // No patient data in the event's bytes: not the reason, not the label,
  // not the body.
  const std::string text(AsText(ev.encoded));
  EXPECT_EQ(text.find("overdose"), std::string::npos);
  EXPECT_EQ(text.find("HIV"), std::string::npos);
  EXPECT_EQ(text.find("Observation"), std::string::npos);
  EXPECT_EQ(text.find("obs-1"), std::string::npos);
  // The chain advanced: the next emergency open is seq 1, chained.
  auto again = BreakGlassOpenRecord(record, f.clinician, f.patient.card(), f.Access("BTG"), chain,
                                    f.rng, f.clock);
  ASSERT_OK(again);
  EXPECT_EQ(again->event.event.seq, 1u);
  EXPECT_EQ(again->event.event.prev, ev.Hash());
  EXPECT_EQ(again->event.event.purpose, "BTG");
  // Two salts, two different hashes of the same reason: events do not link.
  EXPECT_NE(again->event.event.reason, ev.event.reason);
  AuthorChains reader;
  EXPECT_OK(reader.Append(ev));
  EXPECT_OK(reader.Append(again->event));
}

TEST(BreakGlass, RefusalsComeBeforeAnyDecryption) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT", "TREAT"});
  AuthorChains chain;
  auto with = [&](const std::function<void(EmergencyAccess&)>& edit) {
    EmergencyAccess a = f.Access();
    edit(a);
    return testing::CodeOf(
        BreakGlassOpenRecord(record, f.clinician, f.patient.card(), a, chain, f.rng, f.clock));
  };
  const std::string long_reason(kMaxReasonBytes + 1, 'x');
  const std::string ok_reason(kMaxReasonBytes, 'x');
  const size_t drawn = f.rng.bytes();
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = ""; }), ErrorCode::kReasonRequired);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = " \t\r\n "; }), ErrorCode::kReasonRequired);
  EXPECT_EQ(with([&](EmergencyAccess& a) { a.reason = long_reason; }), ErrorCode::kTooLarge);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = "bad \xff utf-8"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = "bell \x07"; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.purpose = "TREAT"; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.purpose = ""; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.patient.pop_back(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.sensitivity = {""}; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.sensitivity.assign(17, "x|y"); }),
            ErrorCode::kInvalidArgument);
  // Nothing was drawn and no event chained by a refusal.
  EXPECT_EQ(f.rng.bytes(), drawn);
  EXPECT_EQ(chain.authors(), 0u);
  // The record's header does not carry BTG: the record's own code.
  EXPECT_EQ(with([](EmergencyAccess& a) { a.purpose = "BTG"; }), ErrorCode::kPurposeMismatch);
  // Another patient's identity cannot open it.
  Identity outsider = MakeIdentity(0x43, "O", "clinician");
  EXPECT_CODE(
      BreakGlassOpenRecord(record, outsider, f.patient.card(), f.Access(), chain, f.rng, f.clock),
      ErrorCode::kNoMatchingRecipient);
  EXPECT_EQ(chain.authors(), 0u);
  // Labels: duplicates collapse; a 1024-byte reason is accepted.
  auto ok = with([&](EmergencyAccess& a) {
    a.reason = ok_reason;
    a.sensitivity = {"b|2", "a|1", "b|2"};
  });
  EXPECT_EQ(ok, ErrorCode::kOk);
  // A clock out of range: refused, and no payload returned.
  f.clock.Set(-1);
  EXPECT_EQ(with([](EmergencyAccess&) {}), ErrorCode::kInvalidArgument);
}

TEST(BreakGlass, PatientDeviceFlagsItsEvents) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT"});
  AuthorChains chain;
  std::vector<SignedEvent> events;
  // An ordinary open by the same clinician: not flagged.
  Event open;
  open.type = EventType::kOpen;
  open.author = f.clinician.key_id();
  open.prev = Bytes(32, 0);
  open.time = kTime;
  open.purpose = "TREAT";
  open.patient = f.patient.key_id();
  open.subjects = {RecordSubject(record)};
  events.push_back(std::move(SignEvent(f.clinician, open)).value());
  ASSERT_OK(chain.Append(events.back()));
  auto bg = BreakGlassOpenRecord(record, f.clinician, f.patient.card(), f.Access(), chain, f.rng,
                                 f.clock);
  ASSERT_OK(bg);
  events.push_back(bg->event);
  // A break-glass event about someone else: not flagged.
  EmergencyAccess other = f.Access();
  other.patient = Bytes(16, 0x99);
  auto bg2 = BreakGlassOpenRecord(record, f.clinician, f.patient.card(), other, chain, f.rng,
                                  f.clock);
  ASSERT_OK(bg2);
  events.push_back(bg2->event);
  // Read back from log entries, as the device does.
  std::vector<SignedEvent> read;
  for (const auto& e : events) {
    auto parsed = ParseEntry(EventEntry(e));
    ASSERT_OK(parsed);
    read.push_back(std::get<SignedEvent>(*parsed));
  }
  EXPECT_EQ(BreakGlassEventsAbout(read, f.patient.key_id()), std::vector<size_t>{1});
  EXPECT_EQ(BreakGlassEventsAbout(read, Bytes(16, 0x99)), std::vector<size_t>{2});
  EXPECT_TRUE(BreakGlassEventsAbout(read, Bytes(16, 0x98)).empty());
  EXPECT_TRUE(BreakGlassEventsAbout({}, f.patient.key_id()).empty());
  // Not a break-glass event: no reason to check.
  EXPECT_CODE(VerifyBreakGlassReason(read[0], Bytes(32, 0), kReason), ErrorCode::kInvalidArgument);
}

TEST(BreakGlass, CryptoShreddingLeavesTheLogIntact) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT", "TREAT"});
  AuthorChains chain;
  auto bg = BreakGlassOpenRecord(record, f.clinician, f.patient.card(), f.Access(), chain, f.rng,
                                 f.clock);
  ASSERT_OK(bg);
  const Bytes entry = EventEntry(bg->event);
  // The patient's own copy opens before erasure.
  const RecordPurpose treat{std::string(fhir::kActReasonSystem), "TREAT"};
  ASSERT_OK(f.vault.Open(record, f.patient.card(), treat));
  // Erase the record: its vault key is destroyed.
  consent::ErasureSelector what;
  what.record_ids = {"obs-1"};
  auto receipt = f.vault.Erase(f.patient, what, f.clock);
  ASSERT_OK(receipt);
  EXPECT_CODE(f.vault.Open(record, f.patient.card(), treat), ErrorCode::kKeyErased);
  // The log is unaffected: the entry parses, verifies, chains, and names
  // the same record hash as the erasure receipt.
  auto parsed = ParseEntry(entry);
  ASSERT_OK(parsed);
  const auto& ev = std::get<SignedEvent>(*parsed);
  EXPECT_OK(VerifyEvent(ev, f.clinician.card()));
  AuthorChains reader;
  EXPECT_OK(reader.Append(ev));
  ASSERT_EQ(receipt->erased.size(), 1u);
  ASSERT_EQ(receipt->erased[0].record_hashes.size(), 1u);
  EXPECT_EQ(ev.event.subjects[0].id, receipt->erased[0].record_hashes[0]);
  // An erase event naming the same record signs and chains after it.
  Event erase;
  erase.type = EventType::kErase;
  erase.author = f.patient.key_id();
  erase.prev = Bytes(32, 0);
  erase.time = kTime;
  erase.patient = f.patient.key_id();
  erase.subjects = {RecordSubject(record)};
  auto erase_event = SignEvent(f.patient, erase);
  ASSERT_OK(erase_event);
  EXPECT_OK(reader.Append(*erase_event));
  EXPECT_OK(VerifyEvent(*erase_event, f.patient.card()));
  // The disclosed reason still checks against the logged hash.
  EXPECT_OK(VerifyBreakGlassReason(ev, RevealSecret(bg->salt), kReason));
}

}  // namespace
}  // namespace medseal::tlog
