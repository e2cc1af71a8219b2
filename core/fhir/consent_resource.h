// SPDX-License-Identifier: Apache-2.0
// One internal model of a FHIR Consent, read from and written to both FHIR R4
// and FHIR R5 JSON. Elements the model does not cover are never dropped
// silently: the reader lists them as JSON paths. Mapping between R4, the model
// and R5: docs/spec/fhir-consent.md.
#ifndef MEDSEAL_CORE_FHIR_CONSENT_RESOURCE_H_
#define MEDSEAL_CORE_FHIR_CONSENT_RESOURCE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/fhir/model.h"

namespace medseal::fhir {

inline constexpr size_t kMaxConsentJsonBytes = 256u << 10;  // 256 KiB
inline constexpr int kMaxProvisionDepth = 8;                // root provision = depth 1
// JSON nesting a Consent may have (the top-level object is depth 1): eight
// provision levels with their criteria fit in 28; unsupported parts
// (extensions within extensions) get the rest. Deeper: kTooDeep.
inline constexpr int kMaxConsentJsonDepth = 40;
// Entries in any one JSON array of a Consent (kTooLarge beyond it).
inline constexpr size_t kMaxConsentListEntries = 256;
// Provisions in one Consent, all levels (kTooLarge beyond it).
inline constexpr size_t kMaxConsentProvisions = 512;

enum class FhirVersion : uint32_t { kR4 = 4, kR5 = 5 };

// permit / deny: R4 provision.type, R5 Consent.decision.
enum class ProvisionType : uint32_t { kDeny = 0, kPermit = 1 };

struct ProvisionActor {
  std::optional<CodeableConcept> role;  // R4: required; R5: optional
  std::optional<Reference> reference;   // R4: required; R5: optional
  bool operator==(const ProvisionActor&) const = default;
};

struct ProvisionData {
  std::string meaning;  // instance | related | dependents | authoredby
  Reference reference;
  bool operator==(const ProvisionData&) const = default;
};

// One rule. Every criterion list that is empty does not restrict; how the
// entries of one list combine (OR or AND) is docs/spec/consent.md's decision
// 10.
struct Provision {
  // R4: provision.type. In the model every provision has a type once it is
  // read (the reader settles R4 root and R5 rules, spec decisions 1 and 2);
  // `type_written` says whether the source wrote one, for round trips.
  ProvisionType type = ProvisionType::kPermit;
  bool type_written = false;
  std::optional<Period> period;
  std::vector<ProvisionActor> actor;
  std::vector<CodeableConcept> action;
  std::vector<Coding> security_label;
  std::vector<Coding> purpose;
  // R4 class. R5 splits it: resourceType (system kResourceTypesSystem) and
  // documentType (any other system); the reader merges them back here.
  std::vector<Coding> klass;
  std::vector<CodeableConcept> code;
  std::optional<Period> data_period;
  std::vector<ProvisionData> data;
  std::vector<Provision> provision;  // nested: exceptions to this one
  // NOLINTNEXTLINE(misc-no-recursion): at most kMaxProvisionDepth levels
  bool operator==(const Provision&) const = default;
};

struct PolicyRef {
  std::string authority;               // R4 policy.authority (uri)
  std::string uri;                     // R4 policy.uri / R5 policyBasis.url
  std::optional<Reference> reference;  // R5 policyBasis.reference
  bool operator==(const PolicyRef&) const = default;
};

struct Consent {
  std::string id;
  // meta.versionId and meta.lastUpdated (an instant). A new version of a
  // consent (withdrawal, narrowing) carries a new version_id.
  std::string version_id;
  std::optional<DateTime> last_updated;
  std::vector<Identifier> identifier;
  // R4: draft | proposed | active | rejected | inactive | entered-in-error;
  // R5: draft | active | inactive | not-done | entered-in-error | unknown.
  std::string status;
  std::optional<CodeableConcept> scope;  // R4 only (R5: extension)
  std::vector<CodeableConcept> category;
  std::optional<Reference> patient;          // R4 patient / R5 subject
  std::optional<DateTime> date_time;         // R4 dateTime / R5 date
  std::optional<Period> period;              // R5 period (R4: root provision.period)
  std::vector<Reference> performer;          // R4 performer / R5 grantor
  std::vector<Reference> grantee;            // R5 grantee
  std::vector<Reference> manager;            // R5 manager
  std::vector<Reference> organization;       // R4 organization / R5 controller
  std::vector<PolicyRef> policy;             // R4 policy / R5 policyBasis
  std::vector<CodeableConcept> policy_rule;  // R4 policyRule / R5 regulatoryBasis
  // The rule tree. R4: the root provision. R5: a root with
  // type = Consent.decision, no criteria, and R5's top-level provisions as
  // its children. The root never has a period: R4's root provision.period
  // is `period` above (writers refuse a root period, kInvalidArgument).
  // Types: decision 1 (root) and decision 2 (nested) of
  // docs/spec/fhir-consent.md §5.
  std::optional<Provision> provision;
  // Decision 1 (docs/spec/fhir-consent.md §5.1): the consent's base
  // decision when the R4 root provision writes no type and has criteria
  // (the root is then an exception to the base: its type = the negation of
  // `base`). Derived from policy_rule by the reader; unset otherwise (R5's
  // root is Consent.decision itself). Writers refuse a `base` the reader
  // would not derive (kInvalidArgument).
  std::optional<ProvisionType> base;
  bool operator==(const Consent&) const = default;
};

struct ParsedConsent {
  FhirVersion version = FhirVersion::kR4;
  Consent consent;
  // JSON paths of the elements the model does not cover, in document
  // order, e.g. "text", "sourceAttachment", "provision.provision[1].extension".
  std::vector<std::string> unsupported_paths;
};

// Parses a Consent resource (JSON text, at most kMaxConsentJsonBytes) in the
// given FHIR version: the JSON rules of docs/spec/record.md §1.2, then
// docs/spec/fhir-consent.md's rules in order with their codes (kMalformed,
// kTooLarge, kTooDeep, ...).
Result<ParsedConsent> ParseConsent(std::string_view json, FhirVersion version);
// The same, version detected from the content (R5-only members such as
// "decision"/"subject", R4-only members such as "patient"/"scope"); a
// resource that could be either is read as R4. Spec: detection rules.
Result<ParsedConsent> ParseConsentAnyVersion(std::string_view json);
Result<ParsedConsent> ParseConsentJson(const Json& resource, FhirVersion version);

// Writes the model as a FHIR resource of the given version (a JSON object;
// members in FHIR's element order). kInvalidArgument if the model holds a
// value the version cannot express and the spec gives no extension for it.
Result<Json> WriteConsent(const Consent& consent, FhirVersion version);
// The same as JSON text (UTF-8, no whitespace) with the members in FHIR's
// element order; kTooLarge if it would exceed kMaxConsentJsonBytes.
Result<std::string> WriteConsentText(const Consent& consent, FhirVersion version);

// "R4" / "R5" (for messages and the package).
std::string_view FhirVersionName(FhirVersion version);

// Reads a Consent and writes it again, for callers that name versions by
// number (the npm package's convertConsent): `from` 0 = detect
// (ParseConsentAnyVersion), 4 = R4, 5 = R5; `to` 0 = the version read, 4 or
// 5. Another number is kInvalidArgument. The reader's codes, then the
// writer's (WriteConsentText).
struct ConvertedConsent {
  FhirVersion from = FhirVersion::kR4;
  FhirVersion to = FhirVersion::kR4;
  std::string json;  // WriteConsentText(model, to)
  // ParsedConsent::unsupported_paths as a JSON array of strings.
  std::string unsupported_paths_json;
};
Result<ConvertedConsent> ConvertConsent(std::string_view json, uint32_t from, uint32_t to);

}  // namespace medseal::fhir

#endif  // MEDSEAL_CORE_FHIR_CONSENT_RESOURCE_H_
