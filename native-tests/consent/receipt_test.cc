// SPDX-License-Identifier: Apache-2.0
// core/consent/receipt.h: signed consent receipts (docs/spec/receipt.md):
// sign and verify the HL7 example consents, every parse rule with its code,
// tampering, the hash, the Kantara export, and the known-answer vectors of
// native-tests/vectors/consent/receipt_v1.json.
#include "core/consent/receipt.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/codec/jcs.h"
#include "core/crypto/blake2b.h"
#include "native-tests/support/test_util.h"

namespace medseal::consent {
namespace {

using fhir::FhirVersion;
using testing::ReadVectorFile;

constexpr UnixMillis kSigned = 1764590400000;  // 2025-12-01T12:00:00Z

// Every Consent example of the two HL7 packages; ReadVectorFile aborts
// when one is missing.
constexpr std::array<const char*, 12> kR4Examples = {
    "Emergency", "Out",     "basic",   "grantor", "notAuthor", "notOrg",
    "notThem",   "notThis", "notTime", "pkb",     "signature", "smartonfhir"};
constexpr std::array<const char*, 12> kR5Examples = {
    "CDA",    "Emergency", "Out",     "basic",   "grantor", "notAuthor",
    "notOrg", "notThem",   "notThis", "notTime", "pkb",     "smartonfhir"};

Json Example(FhirVersion v, const std::string& name) {
  const std::string dir = v == FhirVersion::kR4 ? "r4" : "r5";
  auto j = ParseJsonObject(ReadVectorFile("external/fhir/hl7-" + dir + "-consent" +
                                          "/Consent-consent-example-" + name + ".json"),
                           fhir::kMaxConsentJsonBytes);
  EXPECT_TRUE(j.ok()) << name << ": " << j.status().ToString();
  return j.ok() ? std::move(j).value() : Json::object();
}

Identity MakeIdentity(uint8_t seed_byte, const char* name) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), name, "patient",
                                      1700000000000))
      .value();
}

const Identity& Patient() {
  static const Identity* id = new Identity(MakeIdentity(0x01, "Patient P"));
  return *id;
}
const Identity& Outsider() {
  static const Identity* id = new Identity(MakeIdentity(0x04, "Outsider O"));
  return *id;
}

SignedConsent Sign(const Json& consent, FhirVersion v = FhirVersion::kR4) {
  FixedClock clock(kSigned);
  auto r = SignConsent(Patient(), consent, v, clock);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : SignedConsent{};
}

std::string Text(const SignedConsent& r) { return r.ToJson().value(); }

// A small R4 consent whose Kantara fields are known.
Json SmallConsent() {
  return Json::parse(R"({
    "resourceType": "Consent", "id": "c1", "status": "active",
    "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
    "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
    "patient": {"reference": "Patient/p1", "display": "P. Patient"},
    "dateTime": "2025-11-30",
    "organization": [{"reference": "Organization/o1", "display": "Good Health"}],
    "policy": [{"authority": "https://law.example/eu", "uri": "https://clinic.example/privacy"}],
    "provision": {
      "type": "permit",
      "period": {"start": "2025-12-01", "end": "2026-12-01"},
      "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP"}]},
                 "reference": {"reference": "Practitioner/d1", "display": "Dr. D"}}],
      "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT", "display": "treatment"}],
      "securityLabel": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"},
                        {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "N"}],
      "class": [{"system": "http://hl7.org/fhir/resource-types", "code": "Observation"}]
    }
  })");
}

TEST(Receipt, SignsAndVerifiesEveryHl7Example) {
  for (FhirVersion v : {FhirVersion::kR4, FhirVersion::kR5}) {
    const auto& names = v == FhirVersion::kR4 ? kR4Examples : kR5Examples;
    for (const char* name : names) {
      SCOPED_TRACE(name);
      const Json consent = Example(v, name);
      SignedConsent r = Sign(consent, v);
      EXPECT_EQ(r.fhir_version, v);
      EXPECT_EQ(r.resource, consent);
      EXPECT_EQ(r.signer_key_id, Patient().key_id());
      EXPECT_EQ(r.signed_at, kSigned);
      EXPECT_OK(VerifyReceipt(r, Patient().card()));
      const std::string json = Text(r);
      auto parsed = ParseReceipt(json);
      ASSERT_OK(parsed);
      EXPECT_OK(VerifyReceipt(*parsed, Patient().card()));
      EXPECT_EQ(Text(*parsed), json);
      EXPECT_EQ(*ConsentHash(*parsed), *ConsentHash(r));
      EXPECT_OK(parsed->Model());
      EXPECT_OK(ExportKantaraReceipt(*parsed));
    }
  }
}

TEST(Receipt, EnvelopeIsTheSpecsJcsForm) {
  SignedConsent r = Sign(SmallConsent());
  const std::string json = Text(r);
  Json j = Json::parse(json);
  EXPECT_EQ(j.size(), 7u);
  EXPECT_EQ(j["type"], "medseal.consent-receipt");
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["fhirVersion"], "4.0.1");
  EXPECT_EQ(j["signer"], Base64UrlEncode(Patient().key_id()));
  EXPECT_EQ(j["signed"], kSigned);
  EXPECT_EQ(j["consent"], SmallConsent());
  EXPECT_EQ(*CanonicalizeJsonText(json, 1 << 20), json);
  EXPECT_EQ(json.rfind("{\"consent\":{", 0), 0u);
  // Signature input: label, 0x00, JCS of the envelope without "sig".
  j.erase("sig");
  const std::string unsigned_jcs = *CanonicalizeJson(j);
  Bytes expected = ToBytes("medseal/v1/consent-receipt");
  expected.push_back(0);
  expected.insert(expected.end(), unsigned_jcs.begin(), unsigned_jcs.end());
  EXPECT_EQ(*r.SignedBytes(), expected);
  // Hash input: its own label, 0x00, JCS of the whole receipt.
  Bytes hash_input = ToBytes("medseal/v1/consent-hash");
  hash_input.push_back(0);
  hash_input.insert(hash_input.end(), json.begin(), json.end());
  EXPECT_EQ(*ConsentHash(r), *Blake2b(32, {}, hash_input));
  EXPECT_EQ(FhirVersionCode(FhirVersion::kR5), "5.0.0");
  EXPECT_EQ(
      Json::parse(Text(Sign(Example(FhirVersion::kR5, "basic"), FhirVersion::kR5)))["fhirVersion"],
      "5.0.0");
}

TEST(Receipt, AcceptsAnyMemberOrderAndWhitespace) {
  SignedConsent r = Sign(SmallConsent());
  const std::string pretty = Json::parse(Text(r)).dump(2);
  ASSERT_NE(pretty, Text(r));
  auto parsed = ParseReceipt(pretty);
  ASSERT_OK(parsed);
  EXPECT_OK(VerifyReceipt(*parsed, Patient().card()));
  EXPECT_EQ(*ConsentHash(*parsed), *ConsentHash(r));
  EXPECT_EQ(Text(*parsed), Text(r));
}

TEST(Receipt, WrongCardIsSenderMismatch) {
  SignedConsent r = Sign(SmallConsent());
  EXPECT_CODE(VerifyReceipt(r, Outsider().card()), ErrorCode::kSenderMismatch);
  // A receipt that names the outsider but was signed by the patient.
  r.signer_key_id = Outsider().key_id();
  EXPECT_CODE(VerifyReceipt(r, Outsider().card()), ErrorCode::kSignatureInvalid);
  EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSenderMismatch);
}

TEST(Receipt, ChangingAnySignedFieldBreaksTheSignature) {
  const SignedConsent good = Sign(SmallConsent());
  {
    SignedConsent r = good;
    r.resource["status"] = "inactive";
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
  {
    SignedConsent r = good;
    r.resource["provision"]["period"]["end"] = "2099-12-01";
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
  {
    SignedConsent r = good;
    r.signed_at += 1;
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
  {
    SignedConsent r = good;
    r.fhir_version = FhirVersion::kR5;
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
  {
    SignedConsent r = good;
    r.signature[10] ^= 0x01;
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
  {
    SignedConsent r = good;
    r.signature = Sign(Example(FhirVersion::kR4, "basic")).signature;
    EXPECT_CODE(VerifyReceipt(r, Patient().card()), ErrorCode::kSignatureInvalid);
  }
}

// Flipping any bit of any byte of a receipt's text never yields a receipt
// that verifies, unless the change leaves the value (so its JCS form)
// unchanged, as an upper-case hex digit in a \u escape would.
TEST(Receipt, TamperingWithAnyByteIsRejected) {
  Json consent = SmallConsent();
  consent["extension"] = Json::array(
      {{{"url", "https://medseal.example/x"}, {"valueString", "\u001f tab\t"}}});  // escapes
  const std::string json = Text(Sign(consent));
  size_t rejected = 0;
  size_t same_value = 0;
  for (size_t i = 0; i < json.size(); ++i) {
    for (uint8_t bit : {0x01, 0x20, 0x80}) {
      std::string t = json;
      t[i] = static_cast<char>(t[i] ^ bit);
      auto parsed = ParseReceipt(t);
      if (!parsed.ok()) {
        ++rejected;
        continue;
      }
      const Status s = VerifyReceipt(*parsed, Patient().card());
      if (!s.ok()) {
        EXPECT_TRUE(s.code() == ErrorCode::kSignatureInvalid ||
                    s.code() == ErrorCode::kSenderMismatch)
            << s.ToString();
        ++rejected;
        continue;
      }
      EXPECT_EQ(Text(*parsed), json) << "byte " << i << " verified with another meaning";
      ++same_value;
    }
  }
  EXPECT_GT(rejected, 3 * json.size() - 20);
  EXPECT_LT(same_value, 20u);
}

TEST(Receipt, HashNamesExactlyOneSignedVersion) {
  const SignedConsent good = Sign(SmallConsent());
  const Bytes h = *ConsentHash(good);
  EXPECT_EQ(h.size(), kConsentHashSize);
  std::vector<SignedConsent> variants;
  for (int i = 0; i < 6; ++i) variants.push_back(good);
  variants[0].resource["status"] = "inactive";
  variants[1].signed_at += 1;
  variants[2].signature[0] ^= 1;
  variants[3].fhir_version = FhirVersion::kR5;
  variants[4].signer_key_id[0] ^= 1;
  variants[5].resource["provision"]["purpose"][0]["code"] = "HRESCH";
  std::vector<Bytes> hashes = {h};
  for (const auto& v : variants) hashes.push_back(*ConsentHash(v));
  for (size_t i = 0; i < hashes.size(); ++i) {
    for (size_t j = i + 1; j < hashes.size(); ++j) EXPECT_NE(hashes[i], hashes[j]) << i << " " << j;
  }
  // The same consent signed at another time is another version.
  FixedClock later(kSigned + 1000);
  EXPECT_NE(*ConsentHash(*SignConsent(Patient(), SmallConsent(), FhirVersion::kR4, later)), h);
  // Ed25519 is deterministic: signing again gives the same receipt and hash.
  EXPECT_EQ(*ConsentHash(Sign(SmallConsent())), h);
}

// Replaces `member` of the receipt's top level with `value` (JSON text),
// or removes it when value is empty.
std::string WithMember(const std::string& json, const std::string& member,
                       const std::string& value) {
  Json j = Json::parse(json);
  if (value.empty()) {
    j.erase(member);
  } else {
    j[member] = Json::parse(value);
  }
  return j.dump();
}

TEST(Receipt, ParseRulesInOrderWithTheirCodes) {
  const std::string good = Text(Sign(SmallConsent()));
  ASSERT_OK(ParseReceipt(good));
  std::string nested = "1";
  for (int i = 0; i < kMaxJsonDepth; ++i) nested = "[" + nested + "]";
  const std::vector<std::tuple<const char*, std::string, ErrorCode>> cases = {
      {"G1", good + std::string(kMaxReceiptJsonBytes - good.size() + 1, ' '), ErrorCode::kTooLarge},
      {"G2", "\xEF\xBB\xBF" + good, ErrorCode::kMalformed},
      {"G4", std::string(good).replace(2, 1, "\xff"), ErrorCode::kMalformed},
      {"G5", good + "{}", ErrorCode::kMalformed},
      {"G7", "{\"v\":1," + good.substr(1), ErrorCode::kMalformed},
      {"G8", "[" + good + "]", ErrorCode::kMalformed},
      {"R1", WithMember(good, "type", "\"medseal.card\""), ErrorCode::kMalformed},
      {"R1", WithMember(good, "type", ""), ErrorCode::kMalformed},
      {"R2", WithMember(good, "v", "\"1\""), ErrorCode::kMalformed},
      {"R2", WithMember(good, "v", "1.0"), ErrorCode::kMalformed},
      {"R3", WithMember(good, "v", "2"), ErrorCode::kUnsupportedVersion},
      {"R3", WithMember(WithMember(good, "v", "2"), "sig", ""), ErrorCode::kUnsupportedVersion},
      {"R4", WithMember(good, "sig", ""), ErrorCode::kMalformed},
      {"R4", WithMember(good, "extra", "0"), ErrorCode::kMalformed},
      {"R5", WithMember(good, "fhirVersion", "4"), ErrorCode::kMalformed},
      {"R6", WithMember(good, "fhirVersion", "\"R4\""), ErrorCode::kUnsupportedVersion},
      {"R6", WithMember(good, "fhirVersion", "\"4.3.0\""), ErrorCode::kUnsupportedVersion},
      {"R7", WithMember(good, "consent", "[]"), ErrorCode::kMalformed},
      {"R7", WithMember(good, "consent", "\"Consent\""), ErrorCode::kMalformed},
      {"R8", WithMember(good, "consent", R"({"resourceType":"Patient","status":"active"})"),
       ErrorCode::kMalformed},
      {"R8", WithMember(good, "consent", R"({"status":"active"})"), ErrorCode::kMalformed},
      {"R11", WithMember(good, "signer", "null"), ErrorCode::kMalformed},
      {"R12", WithMember(good, "signer", "\"fNLQRUBovpoGw0kGxLYCXg==\""), ErrorCode::kNonCanonical},
      {"R12", WithMember(good, "signer", "\"fNLQRUBovpoGw0kGxLYC+g\""), ErrorCode::kMalformed},
      {"R13", WithMember(good, "signer", "\"fNLQRUBovpoGw0kGxLYC\""), ErrorCode::kMalformed},
      {"R14", WithMember(good, "signed", "-1"), ErrorCode::kMalformed},
      {"R14", WithMember(good, "signed", "1.5"), ErrorCode::kMalformed},
      {"R14", WithMember(good, "signed", "9007199254740992"), ErrorCode::kMalformed},
      {"R14", WithMember(good, "signed", "\"1764590400000\""), ErrorCode::kMalformed},
      {"R15", WithMember(good, "sig", "64"), ErrorCode::kMalformed},
      {"R16", WithMember(good, "sig", "\"" + Base64UrlEncode(Bytes(64, 0)) + "=\""),
       ErrorCode::kNonCanonical},
      {"R17", WithMember(good, "sig", "\"" + Base64UrlEncode(Bytes(63, 0)) + "\""),
       ErrorCode::kMalformed},
  };
  for (const auto& [rule, input, code] : cases) {
    EXPECT_CODE(ParseReceipt(input), code) << rule;
  }
  // G6: the Consent may nest 16 deep as on its own (depth 17 in the
  // receipt), not 17: R4 provisions nested 8 deep put the innermost one at
  // depth 16 of the Consent.
  auto chain = [](int levels) {
    Json p = {{"type", "deny"}};
    for (int i = levels - 1; i > 0; --i) {
      p = Json{{"type", i % 2 == 1 ? "permit" : "deny"}, {"provision", Json::array({p})}};
    }
    return p;
  };
  Json deep = SmallConsent();
  deep["provision"] = chain(fhir::kMaxProvisionDepth);
  EXPECT_OK(ParseReceipt(WithMember(good, "consent", deep.dump())));
  deep["provision"]["provision"][0]["provision"][0]["provision"][0]["provision"][0]["provision"][0]
      ["provision"][0]["provision"][0]["x"] = Json::array();  // depth 18
  EXPECT_CODE(ParseReceipt(WithMember(good, "consent", deep.dump())), ErrorCode::kMalformed);
  deep["provision"] = chain(fhir::kMaxProvisionDepth + 1);  // depth 19
  EXPECT_CODE(ParseReceipt(WithMember(good, "consent", deep.dump())), ErrorCode::kMalformed);
  // R9: the Consent's JCS form is at most 256 KiB.
  Json big = SmallConsent();
  big["text"] = {{"div", std::string(fhir::kMaxConsentJsonBytes, 'a')}};
  EXPECT_CODE(ParseReceipt(WithMember(good, "consent", big.dump())), ErrorCode::kTooLarge);
  // Rule order: R3 before R4, R6 before R7, R8 before R11.
  EXPECT_CODE(ParseReceipt(WithMember(WithMember(good, "fhirVersion", "\"9\""), "consent", "[]")),
              ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseReceipt(WithMember(WithMember(good, "consent", "{}"), "signer", "\"==\"")),
              ErrorCode::kMalformed);
}

TEST(Receipt, SignRefusesWhatCouldNotBeParsed) {
  FixedClock clock(kSigned);
  const Identity& p = Patient();
  EXPECT_CODE(SignConsent(p, Json::array(), FhirVersion::kR4, clock), ErrorCode::kMalformed);
  EXPECT_CODE(SignConsent(p, Json::parse(R"({"resourceType":"Patient"})"), FhirVersion::kR4, clock),
              ErrorCode::kMalformed);
  EXPECT_CODE(SignConsent(p, SmallConsent(), static_cast<FhirVersion>(7), clock),
              ErrorCode::kInvalidArgument);
  Json nan = SmallConsent();
  nan["x"] = std::nan("");
  EXPECT_CODE(SignConsent(p, nan, FhirVersion::kR4, clock), ErrorCode::kInvalidArgument);
  Json big = SmallConsent();
  big["text"] = {{"div", std::string(fhir::kMaxConsentJsonBytes, 'a')}};
  EXPECT_CODE(SignConsent(p, big, FhirVersion::kR4, clock), ErrorCode::kTooLarge);
  Json deep = SmallConsent();
  Json nested = Json::object({{"url", "https://medseal.example/x"}, {"valueString", "x"}});
  for (int i = 0; i < kMaxJsonDepth; ++i) nested = Json::array({std::move(nested)});
  deep["extension"] = nested;  // depth 18 in the receipt
  EXPECT_CODE(SignConsent(p, deep, FhirVersion::kR4, clock), ErrorCode::kMalformed);
  FixedClock before(-1);
  EXPECT_CODE(SignConsent(p, SmallConsent(), FhirVersion::kR4, before),
              ErrorCode::kInvalidArgument);
  FixedClock after(kMaxUnixMillis + 1);
  EXPECT_CODE(SignConsent(p, SmallConsent(), FhirVersion::kR4, after), ErrorCode::kInvalidArgument);
  FixedClock latest(kMaxUnixMillis);
  EXPECT_OK(SignConsent(p, SmallConsent(), FhirVersion::kR4, latest));
  // A receipt built in code with unusable fields.
  SignedConsent empty;
  EXPECT_CODE(empty.ToJson(), ErrorCode::kInvalidArgument);
  EXPECT_CODE(empty.SignedBytes(), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ConsentHash(empty), ErrorCode::kInvalidArgument);
  EXPECT_CODE(VerifyReceipt(empty, p.card()), ErrorCode::kSenderMismatch);
}

TEST(Receipt, KantaraFields) {
  SignedConsent r = Sign(SmallConsent());
  auto k = ExportKantaraReceipt(r);
  ASSERT_OK(k);
  EXPECT_EQ((*k)["version"], "KI-CR-v1.1.0");
  EXPECT_EQ((*k)["consentReceiptID"], Base64UrlEncode(*ConsentHash(r)));
  EXPECT_EQ((*k)["piiPrincipalId"], "P. Patient");
  EXPECT_EQ((*k)["publicKey"], Base64UrlEncode(Patient().key_id()));
  EXPECT_EQ((*k)["jurisdiction"], "https://law.example/eu");
  EXPECT_EQ((*k)["policyUrl"], "https://clinic.example/privacy");
  ASSERT_EQ((*k)["piiControllers"].size(), 1u);
  EXPECT_EQ((*k)["piiControllers"][0]["piiController"], "Good Health");
  ASSERT_EQ((*k)["services"].size(), 1u);
  EXPECT_EQ((*k)["services"][0]["service"], "Patient Consent");
  const Json& purposes = (*k)["services"][0]["purposes"];
  ASSERT_EQ(purposes.size(), 1u);
  EXPECT_EQ(purposes[0]["purpose"], "treatment");
  EXPECT_EQ(purposes[0]["purposeCategory"],
            Json::array({"http://terminology.hl7.org/CodeSystem/v3-ActReason|TREAT"}));
  EXPECT_EQ(purposes[0]["consentType"], "EXPLICIT");
  EXPECT_EQ(purposes[0]["termination"], "2026-12-01");
  EXPECT_EQ(purposes[0]["thirdPartyDisclosure"], true);
  EXPECT_EQ(purposes[0]["thirdPartyName"], "Dr. D");
  EXPECT_EQ(purposes[0]["primaryPurpose"], true);
  EXPECT_EQ(purposes[0]["piiCategory"],
            Json::array({"http://hl7.org/fhir/resource-types|Observation",
                         "http://terminology.hl7.org/CodeSystem/v3-ActCode|PSY",
                         "http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N"}));
  EXPECT_EQ((*k)["sensitive"], true);
  EXPECT_EQ((*k)["spiCat"], Json::array({"PSY"}));
  EXPECT_EQ((*k)["status"], "active");
  // Without sensitive labels, an end or actors.
  Json plain = SmallConsent();
  plain["provision"].erase("securityLabel");
  plain["provision"].erase("period");
  plain["provision"].erase("actor");
  auto k2 = ExportKantaraReceipt(Sign(plain));
  ASSERT_OK(k2);
  EXPECT_EQ((*k2)["sensitive"], false);
  EXPECT_EQ((*k2)["spiCat"], Json::array());
  const Json& p2 = (*k2)["services"][0]["purposes"][0];
  EXPECT_EQ(p2["termination"], "until withdrawn");
  EXPECT_EQ(p2["thirdPartyDisclosure"], false);
  EXPECT_EQ(p2["thirdPartyName"], "");
  // A receipt built in code whose consent the model refuses.
  SignedConsent bad = r;
  bad.resource = Json::object({{"resourceType", "Consent"}});
  EXPECT_FALSE(ExportKantaraReceipt(bad).ok());
}

// --- known-answer vectors ------------------------------------------------

std::string Name(ErrorCode c) { return std::string(ErrorCodeName(c)); }

TEST(ReceiptVectors, EveryCase) {
  const Json file = testing::LoadVectorJson("consent/receipt_v1.json");
  ASSERT_EQ(file.value("algorithm", ""), "medseal consent receipt v1");
  std::map<std::string, PublicCard> cards;
  for (const auto& [key, id] : file.at("identities").items()) {
    auto card = PublicCard::ParseJson(id.at("card").get<std::string>());
    ASSERT_OK(card);
    cards.emplace(key, *card);
  }
  const Json& tests = file.at("tests");
  ASSERT_EQ(tests.size(), file.at("numberOfTests").get<size_t>());
  size_t valid = 0;
  size_t invalid = 0;
  size_t with_signed_bytes = 0;
  for (const Json& t : tests) {
    SCOPED_TRACE(t.at("tcId").get<int>());
    const std::string receipt = t.at("receipt").get<std::string>();
    auto parsed = ParseReceipt(receipt);
    if (t.at("result") == "valid") {
      ++valid;
      ASSERT_OK(parsed);
      EXPECT_OK(VerifyReceipt(*parsed, cards.at(t.at("signer").get<std::string>())));
      if (t.contains("signedBytes")) {
        ++with_signed_bytes;
        EXPECT_EQ(HexEncode(*parsed->SignedBytes()), t.at("signedBytes").get<std::string>());
      }
      EXPECT_EQ(HexEncode(parsed->signature), t.at("sig").get<std::string>());
      EXPECT_EQ(HexEncode(*ConsentHash(*parsed)), t.at("consentHash").get<std::string>());
      EXPECT_EQ(*parsed->ToJson(), t.value("canonical", receipt));
      if (t.contains("consent")) {
        // Signing the consent again with the fixed identity and time gives
        // the same bytes (Ed25519 is deterministic).
        const auto seed =
            testing::HexOrDie(file["identities"][t.at("signer").get<std::string>()]["seed"]);
        auto id = Identity::FromSeed(SecretBytes::CopyFrom(seed), "Patient P", "patient",
                                     1700000000000);
        ASSERT_OK(id);
        FixedClock clock(t.at("signed").get<int64_t>());
        const auto v = t.at("fhirVersion") == "5.0.0" ? FhirVersion::kR5 : FhirVersion::kR4;
        auto again = SignConsent(*id, t.at("consent"), v, clock);
        ASSERT_OK(again);
        EXPECT_EQ(*again->ToJson(), receipt);
      }
      if (t.contains("kantara")) {
        auto k = ExportKantaraReceipt(*parsed);
        ASSERT_OK(k);
        EXPECT_EQ(*CanonicalizeJson(*k), t.at("kantara").get<std::string>());
      }
      continue;
    }
    ++invalid;
    const std::string error = t.at("error").get<std::string>();
    EXPECT_FALSE(t.value("rule", "").empty());
    if (t.at("stage") == "parse") {
      EXPECT_EQ(Name(testing::CodeOf(parsed)), error) << t.value("rule", "");
    } else {
      ASSERT_OK(parsed);
      EXPECT_EQ(
          Name(VerifyReceipt(*parsed, cards.at(t.at("verifyWith").get<std::string>())).code()),
          error)
          << t.value("rule", "");
    }
  }
  EXPECT_EQ(valid, kR4Examples.size() + kR5Examples.size() + 2);
  EXPECT_GE(invalid, 30u);
  EXPECT_EQ(with_signed_bytes, 4u);
}

}  // namespace
}  // namespace medseal::consent
