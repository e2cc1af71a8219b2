// SPDX-License-Identifier: Apache-2.0
// Sensitivity labeling of FHIR resources on the device. Real records rarely
// carry meta.security: the labeler keeps the labels a resource has, matches
// its SNOMED CT, ICD-10-CM, LOINC and RxNorm codes against sensitivity value
// sets shipped as data (core/fhir/data/, sources and licences in its
// README), derives the confidentiality level (N, R or V) and says which rule
// labeled what. Rules: docs/spec/labeling.md.
#ifndef MEDSEAL_CORE_FHIR_LABELER_H_
#define MEDSEAL_CORE_FHIR_LABELER_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/fhir/model.h"

namespace medseal::fhir {

inline constexpr size_t kMaxResourceJsonBytes = 16u << 20;  // one resource or Bundle
// The largest sensitivity data file FromJson reads.
inline constexpr size_t kMaxSensitivityJsonBytes = 1u << 20;  // 1 MiB
// LabelReason.rule of a label the resource already had, and of the derived
// confidentiality level (docs/spec/labeling.md §2).
inline constexpr std::string_view kRuleMetaSecurity = "meta.security";
inline constexpr std::string_view kRuleConfidentiality = "confidentiality";

// Why a label is on a resource.
struct LabelReason {
  Coding label;      // the security label (system + code)
  std::string rule;  // e.g. "meta.security" or a value set URL
  std::string path;  // JSON path of what matched, e.g. "code.coding[0]"
  Coding matched;    // the clinical code that matched (empty for meta.security)
  bool operator==(const LabelReason&) const = default;
};

struct LabelResult {
  std::string resource_type;
  std::string resource_id;
  std::vector<Coding> labels;        // sensitivity labels, de-duplicated, sorted
  std::string confidentiality;       // "N", "R" or "V" (v3-Confidentiality)
  std::vector<LabelReason> reasons;  // one per (label, matching code), document order
  // Codes of a sensitivity value set that the data suppresses as too generic
  // (e.g. SNOMED CT 185349003 "Encounter for check up"): what they would
  // have labeled, reported but not applied (docs/spec/labeling.md §3).
  std::vector<LabelReason> suppressed;
};

// The results as JSON text (UTF-8), the shape the npm package returns
// (docs/spec/labeling.md §6): an array of {"confidentiality", "id",
// "labels": [coding], "reasons": [reason], "resourceType", "suppressed":
// [reason]}, a coding {"code", "display", "system"}, a reason {"label":
// coding, "matched": coding, or null when LabelReason.matched has no code
// (meta.security), "path", "rule"}. Members sorted by name (as here), no
// white space; strings escaped as JSON requires (\" \\ and \u00XX for
// U+0000..U+001F, nothing else); a string that is not valid UTF-8 (possible
// only through the Json overloads) has each byte 0x80..0xFF replaced by
// U+FFFD.
std::string LabelResultsToJson(const std::vector<LabelResult>& results);

class Labeler {
 public:
  // The value sets compiled into core.
  static const Labeler& Shipped();
  // The data format of core/fhir/data/sensitivity.json; kMalformed / kTooLarge.
  static Result<Labeler> FromJson(std::string_view json);

  // Labels one resource (any FHIR resource type; not a Bundle).
  Result<LabelResult> Label(const Json& resource) const;
  // Labels each entry.resource of a Bundle, in order (a non-Bundle: one
  // result). kMalformed for a Bundle entry without a resource object.
  Result<std::vector<LabelResult>> LabelAll(const Json& resource_or_bundle) const;
  // The same from JSON text (at most kMaxResourceJsonBytes).
  Result<std::vector<LabelResult>> LabelAll(std::string_view json) const;

 private:
  using Key = std::pair<std::string, std::string>;  // (system, code)
  // (label index, value set index) pairs of one clinical code, sorted.
  using Matches = std::vector<std::pair<size_t, size_t>>;
  using CodeTable = std::map<std::string, std::map<std::string, Matches, std::less<>>, std::less<>>;
  struct Walk;

  std::vector<Coding> labels_;
  std::vector<std::string> value_sets_;
  CodeTable codes_;
  CodeTable suppressed_;
  std::set<Key> sensitive_;
  std::set<Key> very_restricted_;
};

}  // namespace medseal::fhir

#endif  // MEDSEAL_CORE_FHIR_LABELER_H_
