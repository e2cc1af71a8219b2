// SPDX-License-Identifier: Apache-2.0
// Helpers for the consent tests: a small terminology in the data format of
// core/fhir/data/terminology.json, and builders for consents and requests
// in the model (so that the engine's unit tests do not depend on the FHIR
// reader; the vector tests go through it).
#ifndef MEDSEAL_NATIVE_TESTS_CONSENT_CONSENT_TEST_UTIL_H_
#define MEDSEAL_NATIVE_TESTS_CONSENT_CONSENT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/consent/decision.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/model.h"
#include "core/fhir/terminology.h"

namespace medseal::consent::testing {

// PurposeOfUse > TREAT > ETREAT > BTG, PurposeOfUse > HPAYMT; ActCode
// sensitivity: _ActInformationSensitivityPolicy > SPI > {PSY, SUD}, > HIV;
// DEMO (not sensitive); the six confidentiality levels.
inline const fhir::Terminology& SmallTerminology() {
  static const fhir::Terminology* t = [] {
    auto parsed = fhir::Terminology::FromJson(R"json({
  "format": "medseal-terminology-1",
  "systems": {
    "http://terminology.hl7.org/CodeSystem/v3-ActReason": {"concepts": {
      "PurposeOfUse": ["purpose of use"],
      "TREAT": ["treatment", ["PurposeOfUse"]],
      "ETREAT": ["emergency treatment", ["TREAT"]],
      "BTG": ["break the glass", ["ETREAT"]],
      "HPAYMT": ["healthcare payment", ["PurposeOfUse"]],
      "OTHER": ["not a purpose of use"]}},
    "http://terminology.hl7.org/CodeSystem/v3-ActCode": {"concepts": {
      "_ActInformationSensitivityPolicy": ["act information sensitivity"],
      "SPI": ["specially protected", ["_ActInformationSensitivityPolicy"]],
      "PSY": ["psychiatry", ["SPI"]],
      "SUD": ["substance use disorder", ["SPI"]],
      "HIV": ["HIV/AIDS", ["_ActInformationSensitivityPolicy"]],
      "DEMO": ["demographics"]}},
    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality": {"concepts": {
      "U": ["unrestricted"], "L": ["low"], "M": ["moderate"], "N": ["normal"],
      "R": ["restricted"], "V": ["very restricted"], "PSY": ["psychiatry (retired)"]}}
  },
  "valueSets": {
    "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse": {"codes": {
      "http://terminology.hl7.org/CodeSystem/v3-ActReason":
        ["BTG", "ETREAT", "HPAYMT", "PurposeOfUse", "TREAT"]}},
    "http://terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy": {"codes": {
      "http://terminology.hl7.org/CodeSystem/v3-ActCode":
        ["HIV", "PSY", "SPI", "SUD", "_ActInformationSensitivityPolicy"]}}
  }
})json");
    if (!parsed.ok()) {
      ADD_FAILURE() << "test terminology: " << parsed.status().ToString();
      std::abort();
    }
    return new fhir::Terminology(std::move(parsed).value());
  }();
  return *t;
}

inline fhir::Coding Purpose(const std::string& code) {
  return {std::string(fhir::kActReasonSystem), code, ""};
}
inline fhir::Coding Label(const std::string& code) {
  return {std::string(fhir::kActCodeSystem), code, ""};
}
inline fhir::Coding Level(const std::string& code) {
  return {std::string(fhir::kConfidentialitySystem), code, ""};
}
inline fhir::Coding Action(const std::string& code) {
  return {std::string(fhir::kConsentActionSystem), code, ""};
}
inline fhir::Reference Ref(const std::string& reference) {
  fhir::Reference r;
  r.reference = reference;
  return r;
}
inline fhir::ProvisionActor ActorRef(const std::string& reference) {
  fhir::ProvisionActor a;
  a.reference = Ref(reference);
  return a;
}
inline fhir::DateTime Instant(UnixMillis lo, UnixMillis hi) {
  fhir::DateTime d;
  d.text = "test";
  d.lo = lo;
  d.hi = hi;
  return d;
}

// A consent with a root of `root_type` (no criteria) and `children`.
inline fhir::Consent MakeConsent(const std::string& id, fhir::ProvisionType root_type,
                                 std::vector<fhir::Provision> children = {}) {
  fhir::Consent c;
  c.id = id;
  c.status = "active";
  fhir::Provision root;
  root.type = root_type;
  root.type_written = true;
  root.provision = std::move(children);
  c.provision = std::move(root);
  return c;
}

inline fhir::Provision Rule(fhir::ProvisionType type) {
  fhir::Provision p;
  p.type = type;
  p.type_written = true;
  return p;
}

inline AccessRequest RequestBy(const std::string& reference, const std::string& purpose) {
  AccessRequest r;
  r.actor.references.push_back(Ref(reference));
  r.action = Action("access");
  r.purpose = Purpose(purpose);
  r.resource_type = "Observation";
  return r;
}

}  // namespace medseal::consent::testing

#endif  // MEDSEAL_NATIVE_TESTS_CONSENT_CONSENT_TEST_UTIL_H_
