// SPDX-License-Identifier: Apache-2.0
// HL7 terminology as data: the code systems and value sets the consent
// engine reasons with (v3-ActReason PurposeOfUse, v3-ActCode sensitivity and
// policy codes, v3-Confidentiality, v3-ActUSPrivacyLaw, consentaction,
// consentscope), compiled into core from the data files in core/fhir/data/
// (their sources and licences: core/fhir/data/README.md). Hierarchy as HL7
// publishes it: the `subsumedBy` property of each concept
// (docs/spec/consent.md §terminology).
#ifndef MEDSEAL_CORE_FHIR_TERMINOLOGY_H_
#define MEDSEAL_CORE_FHIR_TERMINOLOGY_H_

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"

namespace medseal::fhir {

// Value set URLs the engine uses.
inline constexpr std::string_view kPurposeOfUseValueSet =
    "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse";
inline constexpr std::string_view kInformationSensitivityPolicyValueSet =
    "http://terminology.hl7.org/ValueSet/v3-InformationSensitivityPolicy";
inline constexpr std::string_view kActInformationSensitivityPolicyValueSet =
    "http://terminology.hl7.org/ValueSet/v3-ActInformationSensitivityPolicy";
inline constexpr std::string_view kConfidentialityValueSet =
    "http://terminology.hl7.org/ValueSet/v3-Confidentiality";
inline constexpr std::string_view kSecurityPolicyValueSet =
    "http://terminology.hl7.org/ValueSet/v3-SecurityPolicy";

// The largest terminology data file FromJson reads.
inline constexpr size_t kMaxTerminologyJsonBytes = 1u << 20;  // 1 MiB

class Terminology {
 public:
  // The terminology compiled into core (parsed once, on first use; never
  // fails: a broken data file fails the build's tests, not a caller).
  static const Terminology& Shipped();
  // Parses the data format of core/fhir/data/terminology.json (for tests and
  // for callers with their own data); kMalformed / kTooLarge.
  static Result<Terminology> FromJson(std::string_view json);

  // True if `code` is a concept of `system`.
  bool Defines(std::string_view system, std::string_view code) const;
  // True if `ancestor` == `descendant`, or `descendant` is (transitively)
  // subsumed by `ancestor` in `system`. False for codes the system lacks.
  bool Subsumes(std::string_view system, std::string_view ancestor,
                std::string_view descendant) const;
  // True if (system, code) is in the value set (expanded from its
  // definition: included codes and is-a filters).
  bool InValueSet(std::string_view value_set_url, std::string_view system,
                  std::string_view code) const;
  // The expansion of a value set, as (system, code) pairs, sorted.
  std::vector<std::pair<std::string, std::string>> Expand(std::string_view value_set_url) const;
  // The concept's display text from the code system ("" if unknown).
  std::string_view Display(std::string_view system, std::string_view code) const;
  // The concept's direct parents (subsumedBy, and the enclosing concept of
  // a nested one), sorted; empty for a root or an unknown code.
  std::vector<std::string> Parents(std::string_view system, std::string_view code) const;
  // True if the data defines the value set.
  bool HasValueSet(std::string_view value_set_url) const;

 private:
  struct Concept {
    std::string display;
    std::vector<std::string> parents;  // subsumedBy
  };
  struct ValueSet {
    std::set<std::pair<std::string, std::string>> codes;  // expanded
  };
  std::map<std::string, std::map<std::string, Concept, std::less<>>, std::less<>> systems_;
  std::map<std::string, ValueSet, std::less<>> value_sets_;
};

}  // namespace medseal::fhir

#endif  // MEDSEAL_CORE_FHIR_TERMINOLOGY_H_
