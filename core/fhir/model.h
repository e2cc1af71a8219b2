// SPDX-License-Identifier: Apache-2.0
// The FHIR data types medseal's consent model is built from: Coding,
// CodeableConcept, Reference, Period, and FHIR date/dateTime parsing.
// Strings are kept exactly as written so that a resource round-trips.
#ifndef MEDSEAL_CORE_FHIR_MODEL_H_
#define MEDSEAL_CORE_FHIR_MODEL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/clock.h"
#include "core/base/status.h"

namespace medseal::fhir {

// Code systems core knows by URL (docs/spec/consent.md §terminology).
inline constexpr std::string_view kActCodeSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ActCode";
inline constexpr std::string_view kActReasonSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ActReason";
inline constexpr std::string_view kConfidentialitySystem =
    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
inline constexpr std::string_view kActUSPrivacyLawSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ActUSPrivacyLaw";
inline constexpr std::string_view kConsentActionSystem =
    "http://terminology.hl7.org/CodeSystem/consentaction";
inline constexpr std::string_view kConsentScopeSystem =
    "http://terminology.hl7.org/CodeSystem/consentscope";
inline constexpr std::string_view kParticipationTypeSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
inline constexpr std::string_view kResourceTypesSystem = "http://hl7.org/fhir/resource-types";

struct Coding {
  std::string system;   // may be empty
  std::string code;     // may be empty only where FHIR allows it
  std::string display;  // kept for round trips; never used in a decision
  bool operator==(const Coding&) const = default;
};

struct CodeableConcept {
  std::vector<Coding> coding;
  std::string text;
  bool operator==(const CodeableConcept&) const = default;
};

struct Identifier {
  std::string system;
  std::string value;
  bool operator==(const Identifier&) const = default;
};

struct Reference {
  std::string reference;  // e.g. "Practitioner/f204"
  std::optional<Identifier> identifier;
  std::string display;
  bool operator==(const Reference&) const = default;
};

// A FHIR date or dateTime as written ("2015", "2015-11", "2015-11-18",
// "2015-11-18T10:00:00+01:00") with the instants it spans: [lo, hi] in
// UnixMillis, inclusive (negative before 1970: HL7's own examples start
// periods in 1964). A partial date spans its whole year, month or day (UTC
// when no zone is written). Parsing: ParseFhirDateTime.
struct DateTime {
  std::string text;
  UnixMillis lo = 0;
  UnixMillis hi = 0;
  bool operator==(const DateTime&) const = default;
};

// A FHIR Period: either end may be absent (open).
struct Period {
  std::optional<DateTime> start;
  std::optional<DateTime> end;
  bool operator==(const Period&) const = default;
  // True if `t` lies in the period: start.lo <= t <= end.hi, open ends
  // unbounded.
  bool Contains(UnixMillis t) const;
};

// Parses a FHIR date or dateTime (FHIR R4/R5 datatypes: year, year-month,
// date, or date + time with seconds, optional fraction and a zone; 24:00 and
// leap seconds are kMalformed; a time needs a zone). Years 0001..9999, the
// four digits of FHIR's grammar; an instant that falls outside them once
// its zone is applied is kMalformed. docs/spec/fhir-consent.md §2.
Result<DateTime> ParseFhirDateTime(std::string_view text);

}  // namespace medseal::fhir

#endif  // MEDSEAL_CORE_FHIR_MODEL_H_
