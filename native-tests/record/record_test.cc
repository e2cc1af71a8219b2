// SPDX-License-Identifier: Apache-2.0
// Sealed record v1: the generated vectors (native-tests/vectors/record, shared
// with the Node suite), the tamper and truncation sweeps, sealing API errors,
// the padding scheme and the accumulated randomized test.
#include "core/record/record.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/support/test_util.h"
#include "native-tests/vectors/generate/accumulated.h"

namespace medseal {
namespace {

using nlohmann::json;
using testing::HexOrDie;
using testing::LoadVectorJson;
using testing::PayloadData;

constexpr UnixMillis kCreated = 1700000000000;

std::map<std::string, std::unique_ptr<Identity>> LoadIdentities(const json& file) {
  std::map<std::string, std::unique_ptr<Identity>> out;
  for (const auto& [key, v] : file["identities"].items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>());
    EXPECT_TRUE(id.ok()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
    out[key] = std::make_unique<Identity>(std::move(id).value());
  }
  return out;
}

PayloadData PayloadFromJson(const json& p) {
  return PayloadData{p["contentType"], p["recordId"], p["resourceType"], HexOrDie(p["body"])};
}

// Parse → verify → open; returns the opened payload or the first failure.
Result<OpenedPayload> RunCase(const json& t,
                              const std::map<std::string, std::unique_ptr<Identity>>& ids) {
  const std::string input = t["input"];
  auto parsed = t["encoding"] == "binary" ? ParseRecordBinary(HexOrDie(input))
                                          : ParseRecordJson(input);
  if (!parsed.ok()) return parsed.status();
  const PublicCard& sender = ids.at(t["sender"])->card();
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(*parsed, sender));
  return OpenRecord(*parsed, *ids.at(t["opener"]), sender);
}

TEST(RecordVectors, EveryCase) {
  json file = LoadVectorJson("record/record_v1.json");
  auto ids = LoadIdentities(file);
  ASSERT_EQ(file["tests"].size(), file["numberOfTests"].get<size_t>());
  std::map<std::string, int> errors_seen;
  for (const auto& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto opened = RunCase(t, ids);
    if (t["result"] == "valid") {
      ASSERT_OK(opened);
      EXPECT_TRUE(testing::SamePayload(*opened, PayloadFromJson(t["payload"])));
      EXPECT_EQ(opened->created(), t["payload"]["created"].get<int64_t>());
    } else {
      ASSERT_FALSE(opened.ok());
      EXPECT_EQ(ErrorCodeName(opened.status().code()), t["error"].get<std::string>())
          << opened.status().ToString();
      errors_seen[t["error"]]++;
    }
  }
  // Every reject rule of the spec has at least one vector.
  for (const char* code :
       {"MALFORMED", "UNSUPPORTED_VERSION", "TRAILING_DATA", "DUPLICATE_RECIPIENT", "NON_CANONICAL",
        "TOO_LARGE", "TRUNCATED", "NO_MATCHING_RECIPIENT", "DECRYPT_FAILED", "SIGNATURE_INVALID",
        "SENDER_MISMATCH", "WEAK_KEY"}) {
    EXPECT_GT(errors_seen[code], 0) << "no vector for " << code;
  }
}

// The encrypt direction has known answers too: re-sealing with the recorded
// RNG seed and clock reproduces every valid vector byte for byte.
TEST(RecordVectors, SealReproducesInput) {
  json file = LoadVectorJson("record/record_v1.json");
  auto ids = LoadIdentities(file);
  size_t reproduced = 0;
  size_t valid = 0;
  for (const auto& t : file["tests"]) {
    if (t["result"] == "valid") ++valid;
    if (!t.contains("seal")) continue;
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
    const json& s = t["seal"];
    std::vector<PublicCard> to;
    for (const auto& name : s["recipients"]) to.push_back(ids.at(name)->card());
    ChaChaRng rng(HexOrDie(s["rngSeed"]));
    FixedClock clock(s["now"].get<int64_t>());
    auto sealed = SealRecord(*ids.at(t["sender"]), to, PayloadFromJson(s["payload"]), rng, clock);
    ASSERT_OK(sealed);
    if (t["encoding"] == "binary") {
      EXPECT_EQ(HexEncode(EncodeRecordBinary(*sealed)), t["input"].get<std::string>());
    } else {
      EXPECT_EQ(EncodeRecordJson(*sealed), t["input"].get<std::string>());
    }
    ++reproduced;
  }
  // Every valid case carries its sealing inputs (spec §11), so all of them
  // are known answers for the encrypt direction.
  EXPECT_GT(valid, 0u);
  EXPECT_EQ(reproduced, valid);
}

class RecordFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    patient_ = Make(1, "Patient P", "patient");
    clinician_ = Make(2, "Dr. C", "clinician");
    nurse_ = Make(3, "Nurse N", "nurse");
  }
  static std::unique_ptr<Identity> Make(uint8_t b, const char* name, const char* role) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, b)), name, role, kCreated);
    MEDSEAL_CHECK(id.ok());
    return std::make_unique<Identity>(std::move(id).value());
  }
  SealedRecord SealSmall() {
    ChaChaRng rng(Bytes(32, 7));
    FixedClock clock(kCreated);
    std::vector<PublicCard> to{clinician_->card()};
    auto r = SealRecord(*patient_, to, PayloadData{"text/plain", "a", "Basic", ToBytes("hi")}, rng,
                        clock);
    MEDSEAL_CHECK(r.ok());
    return std::move(r).value();
  }
  Status ParseAndOpen(ByteView data) {
    auto parsed = ParseRecord(data);
    if (!parsed.ok()) return parsed.status();
    auto opened = OpenRecord(*parsed, *clinician_, patient_->card());
    return opened.ok() ? Status::Ok() : opened.status();
  }
  std::unique_ptr<Identity> patient_, clinician_, nurse_;
};

TEST_F(RecordFixture, EveryBitFlipIsRejected) {
  Bytes bin = EncodeRecordBinary(SealSmall());
  ASSERT_OK(ParseAndOpen(bin));
  for (size_t i = 0; i < bin.size() * 8; ++i) {
    Bytes b = bin;
    b[i / 8] ^= static_cast<uint8_t>(1u << (i % 8));
    ASSERT_FALSE(ParseAndOpen(b).ok()) << "bit " << i << " flipped was accepted";
  }
}

TEST_F(RecordFixture, EveryJsonByteChangeIsRejected) {
  std::string text = EncodeRecordJson(SealSmall());
  ASSERT_OK(ParseAndOpen(AsBytes(text)));
  for (size_t i = 0; i < text.size(); ++i) {
    for (int bit : {0x01, 0x02, 0x20}) {
      std::string t = text;
      t[i] = static_cast<char>(t[i] ^ bit);
      ASSERT_FALSE(ParseAndOpen(AsBytes(t)).ok()) << "byte " << i << " ^ " << int(bit);
    }
  }
}

TEST_F(RecordFixture, EveryTruncationIsRejected) {
  Bytes bin = EncodeRecordBinary(SealSmall());
  for (size_t n = 0; n < bin.size(); ++n) {
    Status s = ParseAndOpen(ByteView(bin).first(n));
    ASSERT_FALSE(s.ok()) << "truncated to " << n;
    if (n >= 5) {
      EXPECT_CODE(s, ErrorCode::kTruncated) << n;
    }
  }
  std::string text = EncodeRecordJson(SealSmall());
  for (size_t n = 0; n < text.size(); ++n) {
    ASSERT_FALSE(ParseAndOpen(AsBytes(std::string_view(text).substr(0, n))).ok()) << n;
  }
}

TEST_F(RecordFixture, BinaryAndJsonRoundTrip) {
  SealedRecord r = SealSmall();
  auto from_json = ParseRecordJson(EncodeRecordJson(r));
  ASSERT_OK(from_json);
  EXPECT_EQ(EncodeRecordBinary(*from_json), EncodeRecordBinary(r));
  auto from_bin = ParseRecord(EncodeRecordBinary(r));
  ASSERT_OK(from_bin);
  EXPECT_EQ(EncodeRecordJson(*from_bin), EncodeRecordJson(r));
}

// The overload over card pointers (what the wasm bindings use) seals the
// same bytes as the one over cards, and refuses a null card.
TEST_F(RecordFixture, SealOverCardPointersMatchesSealOverCards) {
  PayloadData p{"text/plain", "r1", "Basic", ToBytes("same bytes")};
  FixedClock clock(kCreated);
  std::vector<PublicCard> cards{nurse_->card(), clinician_->card()};
  ChaChaRng rng_a(Bytes(32, 7));
  auto by_value = SealRecord(*patient_, cards, p, rng_a, clock);
  ASSERT_OK(by_value);
  const PublicCard* pointers[] = {&cards[0], &cards[1]};
  ChaChaRng rng_b(Bytes(32, 7));
  auto by_pointer = SealRecord(*patient_, pointers, p, rng_b, clock);
  ASSERT_OK(by_pointer);
  EXPECT_EQ(EncodeRecordBinary(*by_pointer), EncodeRecordBinary(*by_value));

  const PublicCard* with_null[] = {&cards[0], nullptr};
  EXPECT_CODE(SealRecord(*patient_, with_null, p, rng_b, clock), ErrorCode::kInvalidArgument);
  const PublicCard* dup[] = {&cards[1], &cards[1]};
  EXPECT_CODE(SealRecord(*patient_, dup, p, rng_b, clock), ErrorCode::kDuplicateRecipient);
}

TEST_F(RecordFixture, SealRejectsBadArguments) {
  SodiumRng rng;
  FixedClock clock(kCreated);
  PayloadData ok{"text/plain", "", "", ToBytes("x")};
  std::vector<PublicCard> none;
  EXPECT_CODE(SealRecord(*patient_, none, ok, rng, clock), ErrorCode::kInvalidArgument);
  std::vector<PublicCard> dup{clinician_->card(), nurse_->card(), clinician_->card()};
  EXPECT_CODE(SealRecord(*patient_, dup, ok, rng, clock), ErrorCode::kDuplicateRecipient);
  std::vector<PublicCard> many(65, clinician_->card());
  EXPECT_CODE(SealRecord(*patient_, many, ok, rng, clock), ErrorCode::kTooLarge);
  std::vector<PublicCard> one{clinician_->card()};
  auto with = [&](auto f) {
    PayloadData p = ok;
    f(p);
    return SealRecord(*patient_, one, p, rng, clock);
  };
  EXPECT_CODE(with([](PayloadData& p) { p.content_type = ""; }), ErrorCode::kInvalidArgument);
  EXPECT_CODE(with([](PayloadData& p) { p.content_type = "a\nb"; }), ErrorCode::kInvalidArgument);
  EXPECT_CODE(with([](PayloadData& p) { p.content_type = std::string(128, 'a'); }),
              ErrorCode::kTooLarge);
  EXPECT_CODE(with([](PayloadData& p) { p.record_id = "has space"; }), ErrorCode::kInvalidArgument);
  EXPECT_CODE(with([](PayloadData& p) { p.record_id = std::string(65, 'a'); }),
              ErrorCode::kTooLarge);
  EXPECT_CODE(with([](PayloadData& p) { p.resource_type = "Obs1"; }), ErrorCode::kInvalidArgument);
  EXPECT_CODE(with([](PayloadData& p) { p.resource_type = std::string(65, 'a'); }),
              ErrorCode::kTooLarge);
  EXPECT_CODE(with([](PayloadData& p) { p.body.resize(kMaxBodyBytes + 1); }), ErrorCode::kTooLarge);
  FixedClock before_1970(-1);
  EXPECT_CODE(SealRecord(*patient_, one, ok, rng, before_1970), ErrorCode::kInvalidArgument);
  // Sealing times are 0..2^53 - 1 (spec §4.5).
  FixedClock after_2_53(kMaxUnixMillis + 1);
  EXPECT_CODE(SealRecord(*patient_, one, ok, rng, after_2_53), ErrorCode::kInvalidArgument);
  FixedClock at_2_63(INT64_MAX);
  EXPECT_CODE(SealRecord(*patient_, one, ok, rng, at_2_63), ErrorCode::kInvalidArgument);
  FixedClock latest(kMaxUnixMillis);
  auto sealed_late = SealRecord(*patient_, one, ok, rng, latest);
  ASSERT_OK(sealed_late);
  auto opened_late = OpenRecord(*sealed_late, *clinician_, patient_->card());
  ASSERT_OK(opened_late);
  EXPECT_EQ(opened_late->created(), kMaxUnixMillis);
  EXPECT_OK(with([](PayloadData& p) {
    p.content_type = std::string(127, 'a');
    p.record_id = std::string(64, 'b');
    p.resource_type = std::string(64, 'C');
  }));
}

TEST_F(RecordFixture, MaximumBodyRoundTrips) {
  SodiumRng rng;
  FixedClock clock(kCreated);
  std::vector<PublicCard> one{clinician_->card()};
  PayloadData p{"application/octet-stream", "", "", Bytes(kMaxBodyBytes, 0x5a)};
  auto r = SealRecord(*patient_, one, p, rng, clock);
  ASSERT_OK(r);
  auto parsed = ParseRecordBinary(EncodeRecordBinary(*r));
  ASSERT_OK(parsed);
  auto parsed_json = ParseRecordJson(EncodeRecordJson(*r));
  ASSERT_OK(parsed_json);
  auto opened = OpenRecord(*parsed, *clinician_, patient_->card());
  ASSERT_OK(opened);
  EXPECT_EQ(opened->body().size(), kMaxBodyBytes);
}

// Rule P9 (a vector would be a 33 MB file): the largest padded size leaves
// room for a body over 16 MiB; a sender that puts one there gets a record
// that verifies but is MALFORMED when opened, as SealRecord would refuse it.
TEST_F(RecordFixture, OpeningABodyOver16MiBIsMalformed) {
  ChaChaRng rng(Bytes(32, 9));
  const PublicCard* to[] = {&clinician_->card()};
  for (size_t body_size : {kMaxBodyBytes, kMaxBodyBytes + 1}) {
    SCOPED_TRACE(body_size);
    const Bytes padded = internal::EncodePayloadForTesting(
        PayloadData{"a", "", "", Bytes(body_size, 0x42)}, kCreated);
    auto r = internal::SealPaddedPayload(*patient_, to, padded, rng);
    ASSERT_OK(r);
    auto parsed = ParseRecordBinary(EncodeRecordBinary(*r));
    ASSERT_OK(parsed);
    EXPECT_OK(VerifyRecord(*parsed, patient_->card()));
    auto opened = OpenRecord(*parsed, *clinician_, patient_->card());
    if (body_size == kMaxBodyBytes) {
      ASSERT_OK(opened);
      EXPECT_EQ(opened->body().size(), kMaxBodyBytes);
    } else {
      EXPECT_CODE(opened, ErrorCode::kMalformed);
    }
  }
}

TEST_F(RecordFixture, EveryRecipientCanOpenAndOnlyThey) {
  SodiumRng rng;
  FixedClock clock(kCreated);
  std::vector<PublicCard> to{clinician_->card(), nurse_->card()};
  auto r = SealRecord(*patient_, to, PayloadData{"text/plain", "", "", ToBytes("x")}, rng, clock);
  ASSERT_OK(r);
  EXPECT_OK(OpenRecord(*r, *clinician_, patient_->card()));
  EXPECT_OK(OpenRecord(*r, *nurse_, patient_->card()));
  EXPECT_CODE(OpenRecord(*r, *patient_, patient_->card()), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenRecord(*r, *nurse_, clinician_->card()), ErrorCode::kSenderMismatch);
  EXPECT_OK(VerifyRecord(*r, patient_->card()));
}

// A SealedRecord assembled by hand (not from a parser) is checked as strictly.
TEST_F(RecordFixture, HandBuiltRecordsAreChecked) {
  SealedRecord good = SealSmall();
  auto check = [&](auto mutate) {
    SealedRecord r = good;
    mutate(r);
    r.signature = patient_->Sign(internal::RecordSignatureMessage(r));
    return OpenRecord(r, *clinician_, patient_->card());
  };
  EXPECT_CODE(check([](SealedRecord& r) { r.ciphertext.resize(3); }), ErrorCode::kNonCanonical);
  EXPECT_CODE(check([](SealedRecord& r) { r.ciphertext.clear(); }), ErrorCode::kNonCanonical);
  EXPECT_CODE(check([](SealedRecord& r) { r.nonce.pop_back(); }), ErrorCode::kMalformed);
  EXPECT_CODE(check([](SealedRecord& r) { r.ephemeral_key.push_back(0); }), ErrorCode::kMalformed);
  EXPECT_CODE(check([](SealedRecord& r) { r.recipients[0].wrapped_key.pop_back(); }),
              ErrorCode::kMalformed);
  EXPECT_CODE(check([](SealedRecord& r) { r.recipients.clear(); }), ErrorCode::kMalformed);
  EXPECT_CODE(check([](SealedRecord& r) { r.recipients.push_back(r.recipients[0]); }),
              ErrorCode::kDuplicateRecipient);
  SealedRecord no_sig = good;
  no_sig.signature.clear();
  EXPECT_CODE(VerifyRecord(no_sig, patient_->card()), ErrorCode::kMalformed);
  EXPECT_OK(check([](SealedRecord&) {}));
}

// Real FHIR resources (HL7 R4 examples and a Synthea patient bundle) as
// bodies: each seals to two recipients, opens byte for byte, and the sealed
// size stays within the padding scheme's bound.
TEST_F(RecordFixture, RealFhirResources) {
  SodiumRng rng;
  FixedClock clock(kCreated);
  std::vector<PublicCard> to{clinician_->card(), nurse_->card()};
  int sealed_count = 0;
  for (const char* name : {"Patient-example.json", "Observation-example.json",
                           "Condition-example.json", "MedicationRequest-medrx0301.json",
                           "DiagnosticReport-102.json", "Bundle-bundle-example.json",
                           "Valentin_Keeling_eec512c0-d680-4dd8-a7ce-5102193974fd.json"}) {
    SCOPED_TRACE(name);
    std::string text = testing::ReadVectorFile(std::string("external/fhir/") + name);
    json resource = json::parse(text, nullptr, false);
    ASSERT_FALSE(resource.is_discarded());
    PayloadData p{"application/fhir+json; fhirVersion=4.0", resource.value("id", ""),
                  resource["resourceType"].get<std::string>(), ToBytes(text)};
    auto sealed = SealRecord(*patient_, to, p, rng, clock);
    ASSERT_OK(sealed);
    Bytes bin = EncodeRecordBinary(*sealed);
    EXPECT_LE(bin.size(), text.size() + text.size() / 16 + 512);  // §4.4: below 6.25 %
    auto parsed = ParseRecord(bin);
    ASSERT_OK(parsed);
    auto opened = OpenRecord(*parsed, *nurse_, patient_->card());
    ASSERT_OK(opened);
    EXPECT_TRUE(testing::SamePayload(*opened, p));
    ++sealed_count;
  }
  EXPECT_EQ(sealed_count, 7);
}

TEST(RecordAccumulated, MatchesVectorFile) {
  json file = LoadVectorJson("record/accumulated.json");
  auto digest = testing::AccumulatedRecordDigest(file["iterations"].get<uint32_t>());
  ASSERT_OK(digest);
  EXPECT_EQ(HexEncode(*digest), file["blake2b512"].get<std::string>());
}

}  // namespace
}  // namespace medseal
