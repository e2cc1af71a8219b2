// SPDX-License-Identifier: Apache-2.0
// Fixtures for the sharing, withdrawal and vault tests: deterministic
// identities, small FHIR R4 consents and a Bundle whose sensitive entry
// carries its label in meta.security (so the tests do not depend on which
// codes the shipped value sets list).
#ifndef MEDSEAL_NATIVE_TESTS_CONSENT_SHARE_FIXTURES_H_
#define MEDSEAL_NATIVE_TESTS_CONSENT_SHARE_FIXTURES_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/consent/decision.h"
#include "core/consent/receipt.h"
#include "core/consent/share.h"
#include "core/fhir/model.h"
#include "core/identity/identity.h"

namespace medseal::testing {

// 2026-06-01T00:00:00Z
inline constexpr UnixMillis kShareNow = 1780272000000;

inline Identity FixtureIdentity(uint8_t fill, const char* name, const char* role) {
  SecretBytes seed(32);
  for (size_t i = 0; i < 32; ++i) RevealMutableSecret(seed)[i] = static_cast<uint8_t>(fill + i);
  auto id = Identity::FromSeed(seed, name, role, 1700000000000);
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

inline Bytes SeedBytes(uint8_t fill) { return Bytes(32, fill); }

inline nlohmann::json PrcpRole() {
  return {
      {"coding", {{{"system", std::string(fhir::kParticipationTypeSystem)}, {"code", "PRCP"}}}}};
}

inline nlohmann::json ActorEntry(const std::string& reference) {
  return {{"role", PrcpRole()}, {"reference", {{"reference", reference}}}};
}

inline nlohmann::json Purpose(const std::string& code) {
  return {{"system", std::string(fhir::kActReasonSystem)}, {"code", code}};
}

// An R4 Consent: a root permit for `actors`, for purpose `purpose`, with
// optional security labels the provision names (opens those categories).
inline nlohmann::json R4Consent(const std::string& id, const std::vector<std::string>& actors,
                                const std::string& purpose,
                                const std::vector<std::string>& labels = {}) {
  nlohmann::json actor = nlohmann::json::array();
  for (const std::string& a : actors) actor.push_back(ActorEntry(a));
  nlohmann::json provision = {{"type", "permit"},
                              {"period", {{"start", "2026-01-01"}, {"end", "2027-12-31"}}},
                              {"actor", actor},
                              {"purpose", {Purpose(purpose)}}};
  if (!labels.empty()) {
    nlohmann::json sl = nlohmann::json::array();
    for (const std::string& l : labels) {
      sl.push_back({{"system", std::string(fhir::kActCodeSystem)}, {"code", l}});
    }
    provision["securityLabel"] = sl;
  }
  return {{"resourceType", "Consent"},
          {"id", id},
          {"status", "active"},
          {"scope",
           {{"coding",
             {{{"system", std::string(fhir::kConsentScopeSystem)}, {"code", "patient-privacy"}}}}}},
          {"category", {{{"coding", {{{"system", "http://loinc.org"}, {"code", "59284-0"}}}}}}},
          {"patient", {{"reference", "Patient/p1"}}},
          {"dateTime", "2026-01-01"},
          {"policyRule",
           {{"coding", {{{"system", std::string(fhir::kActCodeSystem)}, {"code", "OPTIN"}}}}}},
          {"provision", provision}};
}

inline consent::SignedConsent SignFixture(const Identity& patient, const nlohmann::json& consent,
                                          UnixMillis at = kShareNow - 1000) {
  FixedClock clock(at);
  auto signed_consent = consent::SignConsent(patient, consent, fhir::FhirVersion::kR4, clock);
  EXPECT_TRUE(signed_consent.ok()) << signed_consent.status().ToString();
  MEDSEAL_CHECK(signed_consent.ok());
  return std::move(signed_consent).value();
}

// An Observation (not sensitive), a Condition labeled PSY in meta.security
// and an Observation labeled R (restricted) by its confidentiality.
inline nlohmann::json FixtureBundle() {
  nlohmann::json glucose = {
      {"resourceType", "Observation"},
      {"id", "obs-glucose"},
      {"status", "final"},
      {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "2339-0"}}}}}},
      {"subject", {{"reference", "Patient/p1"}}},
      {"effectiveDateTime", "2026-03-04T10:00:00Z"},
      {"valueQuantity", {{"value", 95}, {"unit", "mg/dL"}}}};
  nlohmann::json depression = {
      {"resourceType", "Condition"},
      {"id", "cond-psy"},
      {"meta", {{"security", {{{"system", std::string(fhir::kActCodeSystem)}, {"code", "PSY"}}}}}},
      {"code", {{"coding", {{{"system", "http://snomed.info/sct"}, {"code", "35489007"}}}}}},
      {"subject", {{"reference", "Patient/p1"}}},
      {"onsetDateTime", "2025-11-02"}};
  return {{"resourceType", "Bundle"},
          {"type", "collection"},
          {"entry",
           {{{"fullUrl", "urn:uuid:1"}, {"resource", glucose}},
            {{"fullUrl", "urn:uuid:2"}, {"resource", depression}}}}};
}

inline consent::RequestActor ActorFor(const Identity& who, const std::string& reference) {
  consent::RequestActor actor;
  actor.key_id = who.key_id();
  fhir::Reference ref;
  ref.reference = reference;
  actor.references.push_back(ref);
  actor.roles.push_back(fhir::Coding{std::string(fhir::kParticipationTypeSystem), "PRCP", ""});
  return actor;
}

inline fhir::Coding TreatPurpose() {
  return fhir::Coding{std::string(fhir::kActReasonSystem), "TREAT", ""};
}

inline RecordPurpose TreatRecordPurpose() {
  return RecordPurpose{std::string(fhir::kActReasonSystem), "TREAT"};
}

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_CONSENT_SHARE_FIXTURES_H_
