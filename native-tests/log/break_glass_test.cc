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

#include "core/attachment/attachment.h"
#include "core/codec/base64url.h"
#include "core/consent/vault.h"
#include "core/crypto/sha2.h"
#include "core/fhir/model.h"
#include "core/log/bindings_support.h"
#include "core/log/entry.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

constexpr UnixMillis kTime = 1764590400000;
constexpr std::string_view kBody = "{\"resourceType\":\"Observation\",\"status\":\"final\"}";
constexpr std::string_view kReason = "Unconscious on arrival, suspected overdose";
constexpr std::string_view kScan = "%PDF-1.7 a scanned discharge letter";
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

  // An attachment from the patient to the clinician: the age file and the
  // sealed record v2 carrying its signature object, bound to `codes`.
  struct Attachment {
    Bytes file;
    SealedRecord signature_record;
  };
  Attachment SealAttachment(std::vector<std::string> codes) {
    AttachmentMetadata meta{"application/pdf", "scan.pdf", kScan.size(), kTime};
    const PublicCard* cards[] = {&clinician.card()};
    auto enc = EncryptAttachment(patient, cards, AsBytes(kScan), meta, rng);
    EXPECT_TRUE(enc.ok()) << enc.status().ToString();
    RecordContext context;
    for (auto& c : codes) context.purposes.push_back({std::string(fhir::kActReasonSystem), c});
    auto rec = SealAttachmentSignature(patient, cards, enc->signature_json, "att-1", context, rng,
                                       clock);
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return {std::move(enc->file), std::move(rec).value()};
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

// The event of a failed attempt: break-glass, outcome failure, signed by
// the author, parseable from its log entry, its reason checkable.
void ExpectFailureEvent(const BreakGlassAttempt& a, const Identity& author) {
  const SignedEvent& ev = a.event;
  EXPECT_EQ(ev.event.type, EventType::kBreakGlass);
  EXPECT_EQ(ev.event.outcome, EventOutcome::kMinorFailure);
  EXPECT_EQ(ev.event.author, author.key_id());
  EXPECT_OK(VerifyEvent(ev, author.card()));
  auto parsed = ParseEntry(EventEntry(ev));
  ASSERT_OK(parsed);
  EXPECT_EQ(std::get<SignedEvent>(*parsed).encoded, ev.encoded);
  EXPECT_OK(VerifyBreakGlassReason(ev, RevealSecret(a.salt), kReason));
  EXPECT_FALSE(a.payload.has_value());
  EXPECT_FALSE(a.ok());
}

TEST(BreakGlass, AttemptLogsAFailedOpen) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT", "TREAT"});
  AuthorChains chain;
  // Not a recipient: the open fails, the event is written anyway.
  Identity outsider = MakeIdentity(0x43, "O", "clinician");
  auto wrong = BreakGlassAttemptRecord(record, outsider, f.patient.card(), f.Access(), chain, f.rng,
                                       f.clock);
  ASSERT_OK(wrong);
  EXPECT_CODE(wrong->status, ErrorCode::kNoMatchingRecipient);
  ExpectFailureEvent(*wrong, outsider);
  EXPECT_EQ(wrong->event.event.subjects, std::vector<EventSubject>{RecordSubject(record)});
  EXPECT_EQ(wrong->event.event.patient, f.patient.key_id());
  EXPECT_EQ(chain.Last(outsider.key_id())->first, 0u);
  // The record's header lacks BTG: kPurposeMismatch, logged.
  auto mismatch = BreakGlassAttemptRecord(record, f.clinician, f.patient.card(), f.Access("BTG"),
                                          chain, f.rng, f.clock);
  ASSERT_OK(mismatch);
  EXPECT_CODE(mismatch->status, ErrorCode::kPurposeMismatch);
  ExpectFailureEvent(*mismatch, f.clinician);
  EXPECT_EQ(mismatch->event.event.seq, 0u);
  // A tampered record (one ciphertext byte flipped): the open fails, logged.
  Bytes bytes = EncodeRecordBinary(record);
  bytes.back() ^= 0x01;
  auto tampered = ParseRecordBinary(bytes);
  ASSERT_OK(tampered);
  auto bad = BreakGlassAttemptRecord(*tampered, f.clinician, f.patient.card(), f.Access(), chain,
                                     f.rng, f.clock);
  ASSERT_OK(bad);
  EXPECT_FALSE(bad->status.ok());
  ExpectFailureEvent(*bad, f.clinician);
  EXPECT_EQ(bad->event.event.subjects, std::vector<EventSubject>{RecordSubject(*tampered)});
  // Then a successful attempt: outcome success, the payload, chained after.
  auto good = BreakGlassAttemptRecord(record, f.clinician, f.patient.card(), f.Access(), chain,
                                      f.rng, f.clock);
  ASSERT_OK(good);
  ASSERT_OK(good->status);
  EXPECT_TRUE(good->ok());
  ASSERT_TRUE(good->payload.has_value());
  EXPECT_EQ(AsText(good->payload->body()), kBody);
  EXPECT_EQ(good->event.event.outcome, EventOutcome::kSuccess);
  EXPECT_EQ(good->event.event.seq, 2u);
  EXPECT_EQ(good->event.event.prev, bad->event.Hash());
  EXPECT_OK(VerifyEvent(good->event, f.clinician.card()));
  // A reader of the log accepts both chains, and the patient's device flags
  // all four, failed or not.
  AuthorChains reader;
  EXPECT_OK(reader.Append(wrong->event));
  EXPECT_OK(reader.Append(mismatch->event));
  EXPECT_OK(reader.Append(bad->event));
  EXPECT_OK(reader.Append(good->event));
  const std::vector<SignedEvent> events = {wrong->event, mismatch->event, bad->event, good->event};
  EXPECT_EQ(BreakGlassEventsAbout(events, f.patient.key_id()), (std::vector<size_t>{0, 1, 2, 3}));
  // BreakGlassOpenRecord is unchanged: a failed open writes no event.
  const size_t drawn = f.rng.bytes();
  EXPECT_CODE(BreakGlassOpenRecord(record, f.clinician, f.patient.card(), f.Access("BTG"), chain,
                                   f.rng, f.clock),
              ErrorCode::kPurposeMismatch);
  EXPECT_EQ(f.rng.bytes(), drawn);
  EXPECT_EQ(chain.Last(f.clinician.key_id())->first, 2u);
}

TEST(BreakGlass, AttemptChecksComeBeforeTheOpen) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT"});
  const Fixture::Attachment att = f.SealAttachment({"ETREAT"});
  Identity outsider = MakeIdentity(0x43, "O", "clinician");
  AuthorChains chain;
  const size_t drawn = f.rng.bytes();
  // The outsider's open would fail, but the argument checks come first,
  // with the codes and order of BreakGlassOpenRecord: no event.
  auto with = [&](const std::function<void(EmergencyAccess&)>& edit) {
    EmergencyAccess a = f.Access();
    edit(a);
    const ErrorCode rec = testing::CodeOf(
        BreakGlassAttemptRecord(record, outsider, f.patient.card(), a, chain, f.rng, f.clock));
    const ErrorCode file = testing::CodeOf(BreakGlassAttemptAttachment(
        att.file, att.signature_record, outsider, f.patient.card(), a, chain, f.rng, f.clock));
    EXPECT_EQ(rec, file);
    return rec;
  };
  const std::string long_reason(kMaxReasonBytes + 1, 'x');
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = ""; }), ErrorCode::kReasonRequired);
  // B1 first: an empty reason with a bad purpose and patient.
  EXPECT_EQ(with([](EmergencyAccess& a) {
              a.reason = " ";
              a.purpose = "TREAT";
              a.patient.clear();
            }),
            ErrorCode::kReasonRequired);
  EXPECT_EQ(with([&](EmergencyAccess& a) { a.reason = long_reason; }), ErrorCode::kTooLarge);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = "bad \xff utf-8"; }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.purpose = "TREAT"; }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.patient.pop_back(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(with([](EmergencyAccess& a) { a.sensitivity = {""}; }), ErrorCode::kInvalidArgument);
  // B5: a clock out of range, before the open.
  f.clock.Set(-1);
  EXPECT_EQ(with([](EmergencyAccess&) {}), ErrorCode::kInvalidArgument);
  f.clock.Set(kMaxUnixMillis + 1);
  EXPECT_EQ(with([](EmergencyAccess&) {}), ErrorCode::kInvalidArgument);
  // B1 before B5.
  EXPECT_EQ(with([](EmergencyAccess& a) { a.reason = ""; }), ErrorCode::kReasonRequired);
  EXPECT_EQ(f.rng.bytes(), drawn);
  EXPECT_EQ(chain.authors(), 0u);
  // In range again: the outsider's failed attempts are now logged.
  f.clock.Set(kMaxUnixMillis);
  EXPECT_EQ(with([](EmergencyAccess&) {}), ErrorCode::kOk);
  EXPECT_EQ(chain.Last(outsider.key_id())->first, 1u);
}

TEST(BreakGlass, AttachmentOpenAndFailures) {
  Fixture f;
  const Fixture::Attachment att = f.SealAttachment({"ETREAT", "TREAT"});
  const EventSubject subject = *AttachmentSubject(Sha256(att.file));
  AuthorChains chain;
  // Success: the plaintext, its verified metadata, the event about the file.
  auto open = BreakGlassOpenAttachment(att.file, att.signature_record, f.clinician,
                                       f.patient.card(), f.Access(), chain, f.rng, f.clock);
  ASSERT_OK(open);
  EXPECT_EQ(AsText(RevealSecret(open->plaintext)), kScan);
  EXPECT_EQ(open->signature.metadata.name, "scan.pdf");
  EXPECT_EQ(open->signature.sender_key_id, f.patient.key_id());
  const SignedEvent& ev = open->event;
  EXPECT_EQ(ev.event.type, EventType::kBreakGlass);
  EXPECT_EQ(ev.event.outcome, EventOutcome::kSuccess);
  EXPECT_EQ(ev.event.subjects, std::vector<EventSubject>{subject});
  EXPECT_EQ(ev.event.patient, f.patient.key_id());
  EXPECT_EQ(ev.event.salted,
            std::vector<Bytes>{*SaltedSensitivity(RevealSecret(open->salt), kHiv)});
  EXPECT_OK(VerifyEvent(ev, f.clinician.card()));
  EXPECT_OK(VerifyBreakGlassReason(ev, RevealSecret(open->salt), kReason));
  const std::string text(AsText(ev.encoded));
  EXPECT_EQ(text.find("scan"), std::string::npos);
  EXPECT_EQ(text.find("overdose"), std::string::npos);
  // The attempt form of the same open.
  auto good = BreakGlassAttemptAttachment(att.file, att.signature_record, f.clinician,
                                          f.patient.card(), f.Access("ETREAT"), chain, f.rng,
                                          f.clock);
  ASSERT_OK(good);
  ASSERT_OK(good->status);
  ASSERT_TRUE(good->plaintext.has_value() && good->signature.has_value());
  EXPECT_EQ(AsText(RevealSecret(*good->plaintext)), kScan);
  EXPECT_EQ(good->event.event.seq, 1u);
  EXPECT_EQ(good->event.event.prev, ev.Hash());
  // Failures, each logged with outcome failure and no plaintext.
  auto expect_failed = [&](const Result<BreakGlassAttachmentAttempt>& a, const Identity& author) {
    ASSERT_OK(a);
    EXPECT_FALSE(a->ok());
    EXPECT_FALSE(a->plaintext.has_value());
    EXPECT_FALSE(a->signature.has_value());
    EXPECT_EQ(a->event.event.outcome, EventOutcome::kMinorFailure);
    EXPECT_OK(VerifyEvent(a->event, author.card()));
    EXPECT_OK(VerifyBreakGlassReason(a->event, RevealSecret(a->salt), kReason));
  };
  auto mismatch = BreakGlassAttemptAttachment(att.file, att.signature_record, f.clinician,
                                              f.patient.card(), f.Access("BTG"), chain, f.rng,
                                              f.clock);
  expect_failed(mismatch, f.clinician);
  ASSERT_OK(mismatch);
  EXPECT_CODE(mismatch->status, ErrorCode::kPurposeMismatch);
  EXPECT_EQ(mismatch->event.event.subjects, std::vector<EventSubject>{subject});
  EXPECT_EQ(mismatch->event.event.seq, 2u);
  Bytes tampered = att.file;
  tampered.back() ^= 0x01;
  auto bad = BreakGlassAttemptAttachment(tampered, att.signature_record, f.clinician,
                                         f.patient.card(), f.Access(), chain, f.rng, f.clock);
  expect_failed(bad, f.clinician);
  ASSERT_OK(bad);
  EXPECT_FALSE(bad->status.ok());
  // The event names the file presented.
  EXPECT_EQ(bad->event.event.subjects,
            std::vector<EventSubject>{*AttachmentSubject(Sha256(tampered))});
  EXPECT_EQ(bad->event.event.seq, 3u);
  Identity outsider = MakeIdentity(0x43, "O", "clinician");
  auto wrong = BreakGlassAttemptAttachment(att.file, att.signature_record, outsider,
                                           f.patient.card(), f.Access(), chain, f.rng, f.clock);
  expect_failed(wrong, outsider);
  ASSERT_OK(wrong);
  EXPECT_CODE(wrong->status, ErrorCode::kNoMatchingRecipient);
  // A signature object checked against the wrong sender's card.
  auto sender = BreakGlassAttemptAttachment(att.file, att.signature_record, f.clinician,
                                            outsider.card(), f.Access(), chain, f.rng, f.clock);
  expect_failed(sender, f.clinician);
  ASSERT_OK(sender);
  // The log reader accepts the chains; the patient's device flags every
  // attachment event, failed or not.
  AuthorChains reader;
  const std::vector<SignedEvent> events = {ev,         good->event,  mismatch->event,
                                           bad->event, wrong->event, sender->event};
  for (const auto& e : events) {
    auto parsed = ParseEntry(EventEntry(e));
    ASSERT_OK(parsed);
    EXPECT_OK(reader.Append(std::get<SignedEvent>(*parsed)));
  }
  EXPECT_EQ(BreakGlassEventsAbout(events, f.patient.key_id()),
            (std::vector<size_t>{0, 1, 2, 3, 4, 5}));
  // BreakGlassOpenAttachment on a failure: its code, no event, nothing drawn.
  const size_t drawn = f.rng.bytes();
  EXPECT_CODE(BreakGlassOpenAttachment(att.file, att.signature_record, f.clinician,
                                       f.patient.card(), f.Access("BTG"), chain, f.rng, f.clock),
              ErrorCode::kPurposeMismatch);
  EXPECT_CODE(BreakGlassOpenAttachment(att.file, att.signature_record, f.clinician,
                                       f.patient.card(), EmergencyAccess{}, chain, f.rng, f.clock),
              ErrorCode::kReasonRequired);
  EXPECT_EQ(f.rng.bytes(), drawn);
  EXPECT_EQ(chain.Last(f.clinician.key_id())->first, 4u);
}

// The package's binding hands JS an attempt through AttemptParts
// (bindings_support.h): the open's code, and the opened parts only when it
// worked.
TEST(BreakGlass, AttemptPartsForTheBinding) {
  Fixture f;
  const SealedRecord record = f.Seal({"ETREAT", "TREAT"});
  AuthorChains chain;
  Identity outsider = MakeIdentity(0x44, "O", "clinician");
  auto wrong = BreakGlassAttemptRecord(record, outsider, f.patient.card(), f.Access(), chain, f.rng,
                                       f.clock);
  ASSERT_OK(wrong);
  const BreakGlassAttemptParts failed = AttemptParts(*wrong);
  EXPECT_EQ(failed.code, ErrorCode::kNoMatchingRecipient);
  EXPECT_FALSE(failed.message.empty());
  EXPECT_TRUE(failed.body.empty());
  EXPECT_TRUE(failed.content_type.empty());
  EXPECT_TRUE(failed.record_id.empty());
  EXPECT_EQ(failed.created, 0);
  auto good = BreakGlassAttemptRecord(record, f.clinician, f.patient.card(), f.Access(), chain,
                                      f.rng, f.clock);
  ASSERT_OK(good);
  const BreakGlassAttemptParts parts = AttemptParts(*good);
  EXPECT_EQ(parts.code, ErrorCode::kOk);
  EXPECT_EQ(AsText(parts.body), kBody);
  EXPECT_EQ(parts.content_type, good->payload->content_type());
  EXPECT_EQ(parts.created, good->payload->created());

  const Fixture::Attachment att = f.SealAttachment({"ETREAT", "TREAT"});
  auto opened = BreakGlassAttemptAttachment(att.file, att.signature_record, f.clinician,
                                            f.patient.card(), f.Access(), chain, f.rng, f.clock);
  ASSERT_OK(opened);
  const BreakGlassAttachmentAttemptParts a = AttemptParts(*opened);
  EXPECT_EQ(a.code, ErrorCode::kOk);
  EXPECT_EQ(AsText(a.plaintext), kScan);
  auto json = opened->signature->ToJson();
  ASSERT_OK(json);
  EXPECT_EQ(a.signature_json, *json);
  Bytes tampered = att.file;
  tampered.back() ^= 0x01;
  auto bad = BreakGlassAttemptAttachment(tampered, att.signature_record, f.clinician,
                                         f.patient.card(), f.Access(), chain, f.rng, f.clock);
  ASSERT_OK(bad);
  const BreakGlassAttachmentAttemptParts b = AttemptParts(*bad);
  EXPECT_NE(b.code, ErrorCode::kOk);
  EXPECT_EQ(b.code, bad->status.code());
  EXPECT_TRUE(b.plaintext.empty());
  EXPECT_TRUE(b.signature_json.empty());
}

}  // namespace
}  // namespace medseal::tlog
