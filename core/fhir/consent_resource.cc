// SPDX-License-Identifier: Apache-2.0
// FHIR R4 / R5 Consent <-> the model. Rules and mapping:
// docs/spec/fhir-consent.md (rule numbers FC1... and decisions 1 and 2 are
// cited below).
#include "core/fhir/consent_resource.h"

#include <algorithm>
#include <initializer_list>
#include <span>
#include <utility>

#include "core/base/utf8.h"

namespace medseal::fhir {
namespace {

// The reader, the writer and the JSON helpers below recurse over the
// provision tree and the JSON tree; both are bounded before any recursion
// can go deep: provisions by kMaxProvisionDepth (FC11, and the writer's
// check), JSON by kMaxConsentJsonDepth (FC3, and the depth argument of
// ScanModifiers and Convert; CheckUtf8 walks the writer's own output, whose
// depth the provision limit bounds).
// NOLINTBEGIN(misc-no-recursion): bounded as said above

// MEDSEAL_RETURN_IF_ERROR around a call whose lambdas use it too (a second
// name, so that the inner one does not shadow it).
#define RETURN_NESTED(expr)                          \
  do {                                               \
    ::medseal::Status nested_status_ = (expr);       \
    if (!nested_status_.ok()) return nested_status_; \
  } while (0)

using OJ = OrderedJson;

// Cross-version extension URLs (FHIR's published pattern
// http://hl7.org/fhir/<version>/StructureDefinition/extension-<path>).
constexpr std::string_view kR4Ext =
    "http://hl7.org/fhir/4.0/StructureDefinition/extension-Consent.";
constexpr std::string_view kR5Ext =
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.";
constexpr std::string_view kFhirTypesSystem = "http://hl7.org/fhir/fhir-types";

std::string R4Ext(std::string_view element) { return std::string(kR4Ext) + std::string(element); }
std::string R5Ext(std::string_view element) { return std::string(kR5Ext) + std::string(element); }

Status Malformed(std::string_view path, std::string_view what) {
  // Paths name structure only, never a value (no patient data in messages).
  return Error(ErrorCode::kMalformed,
               "fhir consent: " + std::string(path) + ": " + std::string(what));
}

using Names = std::span<const std::string_view>;

bool In(std::string_view s, Names set) { return std::find(set.begin(), set.end(), s) != set.end(); }
bool In(std::string_view s, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

constexpr std::string_view kR4Status[] = {"draft",    "proposed", "active",
                                          "rejected", "inactive", "entered-in-error"};
constexpr std::string_view kR5Status[] = {"draft",    "active",           "inactive",
                                          "not-done", "entered-in-error", "unknown"};
constexpr std::string_view kDataMeaning[] = {"instance", "related", "dependents", "authoredby"};
constexpr std::string_view kR4OnlyStatus[] = {"proposed", "rejected"};
constexpr std::string_view kR5OnlyStatus[] = {"not-done", "unknown"};
constexpr std::string_view kTypeCodes[] = {"deny", "permit"};

bool IsResourceTypeSystem(std::string_view system) {
  return system == kResourceTypesSystem || system == kFhirTypesSystem;
}

ProvisionType Negate(ProvisionType t) {
  return t == ProvisionType::kPermit ? ProvisionType::kDeny : ProvisionType::kPermit;
}

std::string_view TypeCode(ProvisionType t) {
  return t == ProvisionType::kPermit ? "permit" : "deny";
}

// Decision 1 (docs/spec/fhir-consent.md §5): the base type of a root rule
// that does not write one, from the consent's policy rules.
ProvisionType DeriveRootType(const std::vector<CodeableConcept>& policy_rule) {
  bool permit = false;
  bool deny = false;
  for (const CodeableConcept& cc : policy_rule) {
    for (const Coding& c : cc.coding) {
      if (c.system != kActCodeSystem) continue;
      if (c.code == "OPTIN" || c.code == "OPTINR") permit = true;
      if (c.code == "OPTOUT" || c.code == "OPTOUTE") deny = true;
    }
  }
  return permit && !deny ? ProvisionType::kPermit : ProvisionType::kDeny;
}

// Criteria: anything a rule matches on besides its period and children.
bool HasRootCriteria(const Provision& p) {
  return !p.actor.empty() || !p.action.empty() || !p.security_label.empty() || !p.purpose.empty() ||
         !p.klass.empty() || !p.code.empty() || p.data_period || !p.data.empty();
}

// Decision 1: the base a root that writes no type stands on, when it has
// criteria (it is then an exception to that base); none otherwise.
std::optional<ProvisionType> SettledBase(const Provision& root, bool type_written,
                                         const std::vector<CodeableConcept>& policy_rule) {
  if (type_written || !HasRootCriteria(root)) return std::nullopt;
  return DeriveRootType(policy_rule);
}

// FC5: a modifierExtension anywhere, or implicitRules, is refused before
// anything else is read (FHIR: a processor that does not understand a
// modifier must not process the resource).
Status ScanModifiers(const OJ& v, int depth) {
  if (depth > kMaxConsentJsonDepth) return Error(ErrorCode::kTooDeep, "fhir consent: too deep");
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key() == "modifierExtension" || it.key() == "implicitRules") {
        return Error(ErrorCode::kUnsupportedVersion,
                     "fhir consent: " + it.key() + " is not understood");
      }
      MEDSEAL_RETURN_IF_ERROR(ScanModifiers(it.value(), depth + 1));
    }
  } else if (v.is_array()) {
    for (const OJ& e : v) MEDSEAL_RETURN_IF_ERROR(ScanModifiers(e, depth + 1));
  }
  return Status::Ok();
}

class Reader {
 public:
  // The model root counts as one provision in both versions (FC11).
  Reader(FhirVersion version, std::vector<std::string>* unsupported)
      : v_(version), unsupported_(unsupported), provisions_(version == FhirVersion::kR5 ? 1 : 0) {}

  Status ReadConsent(const OJ& j, Consent* out);

 private:
  bool R4() const { return v_ == FhirVersion::kR4; }
  void Report(const std::string& path) { unsupported_->push_back(path); }

  // Walks an object's members in document order: `modeled` ones go to
  // `f(key, value, path)`, `unmodeled` ones (and "_x" primitive extensions
  // of known elements) are reported, anything else is kMalformed (FC6).
  template <typename F>
  Status Walk(const OJ& obj, const std::string& path,
              std::initializer_list<std::string_view> modeled,
              std::initializer_list<std::string_view> unmodeled, F&& f) {
    if (!obj.is_object()) return Malformed(path, "expected an object");
    if (obj.empty()) return Malformed(path, "empty object");
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const std::string& key = it.key();
      std::string child = path;
      if (!child.empty()) child += '.';
      child += key;
      const std::string_view base =
          key.size() > 1 && key[0] == '_' ? std::string_view{key}.substr(1) : std::string_view{};
      if (In(key, modeled)) {
        MEDSEAL_RETURN_IF_ERROR(f(key, it.value(), child));
      } else if (In(key, unmodeled) || In(base, modeled) || In(base, unmodeled)) {
        Report(child);
      } else {
        return Malformed(child, "not an element of this FHIR version");
      }
    }
    return Status::Ok();
  }

  template <typename F>
  Status Array(const OJ& v, const std::string& path, F&& f) {
    if (!v.is_array()) return Malformed(path, "expected an array");
    if (v.empty()) return Malformed(path, "empty array");
    if (v.size() > kMaxConsentListEntries) {
      return Error(ErrorCode::kTooLarge, "fhir consent: " + path + ": too many entries");
    }
    for (size_t i = 0; i < v.size(); ++i) {
      MEDSEAL_RETURN_IF_ERROR(f(v[i], path + "[" + std::to_string(i) + "]"));
    }
    return Status::Ok();
  }

  // Reads one element into a fresh list entry or optional. An element that
  // holds nothing the model covers (e.g. a Coding with only an extension)
  // is left out of the model and reported whole, by its own path (§6).
  template <typename T, typename F>
  Status Keep(std::vector<T>* list, const std::string& path, F&& read) {
    const size_t mark = unsupported_->size();
    T tmp{};
    Status st = read(&tmp);
    if (!st.ok()) return st;
    if (tmp == T{}) {
      unsupported_->resize(mark);
      Report(path);
    } else {
      list->push_back(std::move(tmp));
    }
    return Status::Ok();
  }
  template <typename T, typename F>
  Status KeepOpt(std::optional<T>* opt, const std::string& path, F&& read) {
    std::vector<T> one;
    Status st = Keep(&one, path, std::forward<F>(read));
    if (!st.ok()) return st;
    if (!one.empty()) *opt = std::move(one[0]);
    return Status::Ok();
  }

  Status String(const OJ& v, const std::string& path, std::string* out) {
    if (!v.is_string()) return Malformed(path, "expected a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) return Malformed(path, "empty string");
    *out = s;
    return Status::Ok();
  }
  Status Code(const OJ& v, const std::string& path, Names allowed, std::string* out) {
    MEDSEAL_RETURN_IF_ERROR(String(v, path, out));
    if (!In(*out, allowed)) return Malformed(path, "unknown code");
    return Status::Ok();
  }
  Status Date(const OJ& v, const std::string& path, bool date_only, bool instant,
              std::optional<DateTime>* out) {
    std::string text;
    MEDSEAL_RETURN_IF_ERROR(String(v, path, &text));
    auto dt = ParseFhirDateTime(text);
    if (!dt.ok()) return Malformed(path, "not a FHIR date/dateTime");
    if (date_only && text.size() > 10) return Malformed(path, "expected a date");
    if (instant && text.size() <= 10) return Malformed(path, "expected an instant");
    *out = std::move(dt).value();
    return Status::Ok();
  }

  Status ReadCoding(const OJ& v, const std::string& path, Coding* out) {
    return Walk(v, path, {"system", "code", "display"},
                {"id", "extension", "version", "userSelected"},
                [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                  if (k == "system") return String(x, p, &out->system);
                  if (k == "code") return String(x, p, &out->code);
                  return String(x, p, &out->display);
                });
  }
  Status ReadCodings(const OJ& v, const std::string& path, std::vector<Coding>* out) {
    return Array(v, path, [&](const OJ& e, const std::string& p) -> Status {
      return Keep(out, p, [&](Coding* c) { return ReadCoding(e, p, c); });
    });
  }
  Status ReadConcept(const OJ& v, const std::string& path, CodeableConcept* out) {
    return Walk(v, path, {"coding", "text"}, {"id", "extension"},
                [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                  if (k == "coding") return ReadCodings(x, p, &out->coding);
                  return String(x, p, &out->text);
                });
  }
  Status ReadConcepts(const OJ& v, const std::string& path, std::vector<CodeableConcept>* out) {
    return Array(v, path, [&](const OJ& e, const std::string& p) -> Status {
      return Keep(out, p, [&](CodeableConcept* c) { return ReadConcept(e, p, c); });
    });
  }
  Status ReadIdentifier(const OJ& v, const std::string& path, Identifier* out) {
    return Walk(v, path, {"system", "value"},
                {"id", "extension", "use", "type", "period", "assigner"},
                [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                  if (k == "system") return String(x, p, &out->system);
                  return String(x, p, &out->value);
                });
  }
  Status ReadReference(const OJ& v, const std::string& path, Reference* out) {
    return Walk(v, path, {"reference", "identifier", "display"}, {"id", "extension", "type"},
                [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                  if (k == "reference") return String(x, p, &out->reference);
                  if (k == "display") return String(x, p, &out->display);
                  return KeepOpt(&out->identifier, p,
                                 [&](Identifier* i) { return ReadIdentifier(x, p, i); });
                });
  }
  Status ReadReferences(const OJ& v, const std::string& path, std::vector<Reference>* out) {
    return Array(v, path, [&](const OJ& e, const std::string& p) -> Status {
      return Keep(out, p, [&](Reference* r) { return ReadReference(e, p, r); });
    });
  }
  Status ReadPeriod(const OJ& v, const std::string& path, Period* out) {
    RETURN_NESTED(Walk(v, path, {"start", "end"}, {"id", "extension"},
                       [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                         return Date(x, p, false, false, k == "start" ? &out->start : &out->end);
                       }));
    if (out->start && out->end && out->start->lo > out->end->hi) {
      return Malformed(path, "start after end");  // FHIR invariant per-1
    }
    return Status::Ok();
  }

  // An extension the reader understands: exactly {"url", <value_key>}.
  Status ExtValue(const OJ& e, const std::string& path, std::string_view value_key,
                  const OJ** value) {
    if (e.size() != 2 || !e.contains(std::string(value_key))) {
      return Malformed(path, "extension has the wrong shape");
    }
    *value = &e[std::string(value_key)];
    return Status::Ok();
  }
  // A complex extension: {"url", "extension": [{"url": name, value}...]}
  // where each sub-extension name appears at most once.
  template <typename F>
  Status ExtComplex(const OJ& e, const std::string& path, F&& f) {
    if (e.size() != 2 || !e.contains("extension")) {
      return Malformed(path, "extension has the wrong shape");
    }
    std::vector<std::string> seen;
    return Array(e["extension"], path + ".extension",
                 [&](const OJ& sub, const std::string& p) -> Status {
                   if (!sub.is_object() || !sub.contains("url") || !sub["url"].is_string()) {
                     return Malformed(p, "extension without url");
                   }
                   const std::string name = sub["url"].get<std::string>();
                   if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
                     return Malformed(p, "sub-extension repeated");
                   }
                   seen.push_back(name);
                   return f(name, sub, p);
                 });
  }

  Status ReadActor(const OJ& v, const std::string& path, ProvisionActor* out) {
    return Walk(
        v, path, {"role", "reference"}, {"id", "extension"},
        [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
          if (k == "role") {
            return KeepOpt(&out->role, p, [&](CodeableConcept* c) { return ReadConcept(x, p, c); });
          }
          return KeepOpt(&out->reference, p, [&](Reference* r) { return ReadReference(x, p, r); });
        });
  }
  Status ReadData(const OJ& v, const std::string& path, ProvisionData* out) {
    bool has_ref = false;
    RETURN_NESTED(Walk(v, path, {"meaning", "reference"}, {"id", "extension"},
                       [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                         if (k == "meaning") return Code(x, p, kDataMeaning, &out->meaning);
                         has_ref = true;
                         return ReadReference(x, p, &out->reference);
                       }));
    if (out->meaning.empty() || !has_ref || out->reference == Reference{}) {
      return Malformed(path, "meaning and reference required");  // FC12
    }
    return Status::Ok();
  }

  // The criteria shared by R4 and R5 provisions (and by R4 root criteria
  // carried in R5 extensions).
  Status ReadCriterion(std::string_view k, const OJ& x, const std::string& p, Provision* out) {
    if (k == "period") {
      return KeepOpt(&out->period, p, [&](Period* q) { return ReadPeriod(x, p, q); });
    }
    if (k == "actor") {
      return Array(x, p, [&](const OJ& e, const std::string& q) {
        return Keep(&out->actor, q, [&](ProvisionActor* a) { return ReadActor(e, q, a); });
      });
    }
    if (k == "action") return ReadConcepts(x, p, &out->action);
    if (k == "securityLabel") return ReadCodings(x, p, &out->security_label);
    if (k == "purpose") return ReadCodings(x, p, &out->purpose);
    if (k == "class") return ReadCodings(x, p, &out->klass);
    if (k == "code") return ReadConcepts(x, p, &out->code);
    if (k == "dataPeriod") {
      return KeepOpt(&out->data_period, p, [&](Period* q) { return ReadPeriod(x, p, q); });
    }
    if (k == "data") {
      return Array(x, p, [&](const OJ& e, const std::string& q) {
        return ReadData(e, q, &out->data.emplace_back());
      });
    }
    return Malformed(p, "not a criterion");
  }

  Status ReadProvision(const OJ& v, const std::string& path, int depth, Provision* out) {
    if (depth > kMaxProvisionDepth) {
      return Error(ErrorCode::kTooDeep, "fhir consent: provisions nested too deep");  // FC11
    }
    if (++provisions_ > kMaxConsentProvisions) {
      return Error(ErrorCode::kTooLarge, "fhir consent: too many provisions");  // FC11
    }
    auto nested = [&](const OJ& x, const std::string& p) {
      return Array(x, p, [&](const OJ& e, const std::string& q) {
        return ReadProvision(e, q, depth + 1, &out->provision.emplace_back());
      });
    };
    if (R4()) {
      return Walk(v, path,
                  {"type", "period", "actor", "action", "securityLabel", "purpose", "class", "code",
                   "dataPeriod", "data", "provision"},
                  {"id", "extension"},
                  [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                    if (k == "type") {
                      std::string code;
                      MEDSEAL_RETURN_IF_ERROR(Code(x, p, kTypeCodes, &code));
                      out->type = code == "permit" ? ProvisionType::kPermit : ProvisionType::kDeny;
                      out->type_written = true;
                      return Status::Ok();
                    }
                    if (k == "provision") return nested(x, p);
                    return ReadCriterion(k, x, p, out);
                  });
    }
    std::vector<Coding> document_type;
    std::vector<Coding> resource_type;
    std::vector<Coding> ext_class;
    RETURN_NESTED(Walk(
        v, path,
        {"extension", "period", "actor", "action", "securityLabel", "purpose", "documentType",
         "resourceType", "code", "dataPeriod", "data", "provision"},
        {"id", "expression"},
        [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
          if (k == "provision") return nested(x, p);
          if (k == "documentType") {
            MEDSEAL_RETURN_IF_ERROR(ReadCodings(x, p, &document_type));
            for (const Coding& c : document_type) {
              if (IsResourceTypeSystem(c.system)) return Malformed(p, "a resource type");  // FC13
            }
            return Status::Ok();
          }
          if (k == "resourceType") {
            MEDSEAL_RETURN_IF_ERROR(ReadCodings(x, p, &resource_type));
            for (const Coding& c : resource_type) {
              if (!IsResourceTypeSystem(c.system)) return Malformed(p, "not a resource type");
            }
            return Status::Ok();
          }
          if (k == "extension") {
            return Array(x, p, [&](const OJ& e, const std::string& q) -> Status {
              if (!e.is_object() || !e.contains("url") || !e["url"].is_string()) {
                return Malformed(q, "extension without url");
              }
              const std::string url = e["url"].get<std::string>();
              const OJ* value = nullptr;
              if (url == R4Ext("provision.type")) {
                if (out->type_written) return Malformed(q, "type twice");
                MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCode", &value));
                std::string code;
                MEDSEAL_RETURN_IF_ERROR(Code(*value, q + ".valueCode", kTypeCodes, &code));
                out->type = code == "permit" ? ProvisionType::kPermit : ProvisionType::kDeny;
                out->type_written = true;
                return Status::Ok();
              }
              if (url == R4Ext("provision.class")) {
                MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCoding", &value));
                return Keep(&ext_class, q,
                            [&](Coding* c) { return ReadCoding(*value, q + ".valueCoding", c); });
              }
              Report(q);
              return Status::Ok();
            });
          }
          return ReadCriterion(k, x, p, out);
        }));
    for (auto* list : {&document_type, &resource_type, &ext_class}) {
      out->klass.insert(out->klass.end(), list->begin(), list->end());
    }
    return Status::Ok();
  }

  // R4 root criteria carried by an R5 Consent's extensions.
  Status ReadRootCriterionExt(const std::string& url, const OJ& e, const std::string& q,
                              Provision* root) {
    const OJ* value = nullptr;
    const std::string element = url.substr(kR4Ext.size() + std::string_view("provision.").size());
    if (element == "actor") {
      return Keep(&root->actor, q, [&](ProvisionActor* a) {
        return ExtComplex(e, q, [&](const std::string& name, const OJ& sub, const std::string& p) {
          if (name == "role") {
            MEDSEAL_RETURN_IF_ERROR(ExtValue(sub, p, "valueCodeableConcept", &value));
            const std::string vp = p + ".valueCodeableConcept";
            return KeepOpt(&a->role, vp,
                           [&](CodeableConcept* c) { return ReadConcept(*value, vp, c); });
          }
          if (name == "reference") {
            MEDSEAL_RETURN_IF_ERROR(ExtValue(sub, p, "valueReference", &value));
            const std::string vp = p + ".valueReference";
            return KeepOpt(&a->reference, vp,
                           [&](Reference* r) { return ReadReference(*value, vp, r); });
          }
          return Malformed(p, "unknown sub-extension");
        });
      });
    }
    if (element == "data") {
      ProvisionData& d = root->data.emplace_back();
      bool has_ref = false;
      RETURN_NESTED(
          ExtComplex(e, q, [&](const std::string& name, const OJ& sub, const std::string& p) {
            if (name == "meaning") {
              MEDSEAL_RETURN_IF_ERROR(ExtValue(sub, p, "valueCode", &value));
              return Code(*value, p + ".valueCode", kDataMeaning, &d.meaning);
            }
            if (name == "reference") {
              MEDSEAL_RETURN_IF_ERROR(ExtValue(sub, p, "valueReference", &value));
              has_ref = true;
              return ReadReference(*value, p + ".valueReference", &d.reference);
            }
            return Malformed(p, "unknown sub-extension");
          }));
      if (d.meaning.empty() || !has_ref || d.reference == Reference{}) {
        return Malformed(q, "meaning and reference required");
      }
      return Status::Ok();
    }
    if (element == "action" || element == "code") {
      MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCodeableConcept", &value));
      return Keep(&(element == "action" ? root->action : root->code), q, [&](CodeableConcept* c) {
        return ReadConcept(*value, q + ".valueCodeableConcept", c);
      });
    }
    if (element == "securityLabel" || element == "purpose" || element == "class") {
      MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCoding", &value));
      auto& list = element == "securityLabel" ? root->security_label
                   : element == "purpose"     ? root->purpose
                                              : root->klass;
      return Keep(&list, q, [&](Coding* c) { return ReadCoding(*value, q + ".valueCoding", c); });
    }
    if (element == "dataPeriod") {
      if (root->data_period) return Malformed(q, "dataPeriod twice");
      MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valuePeriod", &value));
      return KeepOpt(&root->data_period, q,
                     [&](Period* p) { return ReadPeriod(*value, q + ".valuePeriod", p); });
    }
    Report(q);  // another R4 provision element: not modeled
    return Status::Ok();
  }

  Status ReadPolicy(const OJ& v, const std::string& path, PolicyRef* out) {
    if (R4()) {
      return Walk(v, path, {"extension", "authority", "uri"}, {"id"},
                  [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                    if (k == "authority") return String(x, p, &out->authority);
                    if (k == "uri") return String(x, p, &out->uri);
                    return Array(x, p, [&](const OJ& e, const std::string& q) -> Status {
                      const OJ* value = nullptr;
                      if (e.is_object() && e.contains("url") &&
                          e["url"] == R5Ext("policyBasis.reference")) {
                        if (out->reference) return Malformed(q, "reference twice");
                        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueReference", &value));
                        return KeepOpt(&out->reference, q, [&](Reference* r) {
                          return ReadReference(*value, q + ".valueReference", r);
                        });
                      }
                      if (!e.is_object() || !e.contains("url")) {
                        return Malformed(q, "extension without url");
                      }
                      Report(q);
                      return Status::Ok();
                    });
                  });
    }
    return Walk(
        v, path, {"extension", "reference", "url"}, {"id"},
        [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
          if (k == "reference") {
            return KeepOpt(&out->reference, p,
                           [&](Reference* r) { return ReadReference(x, p, r); });
          }
          if (k == "url") return String(x, p, &out->uri);
          return Array(x, p, [&](const OJ& e, const std::string& q) -> Status {
            const OJ* value = nullptr;
            if (e.is_object() && e.contains("url") && e["url"] == R4Ext("policy.authority")) {
              if (!out->authority.empty()) return Malformed(q, "authority twice");
              MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueUri", &value));
              return String(*value, q + ".valueUri", &out->authority);
            }
            if (!e.is_object() || !e.contains("url")) {
              return Malformed(q, "extension without url");
            }
            Report(q);
            return Status::Ok();
          });
        });
  }

  Status ReadMeta(const OJ& v, const std::string& path, Consent* out) {
    return Walk(v, path, {"versionId", "lastUpdated"},
                {"id", "extension", "source", "profile", "security", "tag"},
                [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
                  if (k == "versionId") return String(x, p, &out->version_id);
                  return Date(x, p, false, true, &out->last_updated);
                });
  }

  // Consent.extension: the cross-version extensions this reader understands
  // (exactly those WriteConsent produces); others are reported.
  Status ReadConsentExtension(const OJ& e, const std::string& q, Consent* out) {
    if (!e.is_object() || !e.contains("url") || !e["url"].is_string()) {
      return Malformed(q, "extension without url");
    }
    const std::string url = e["url"].get<std::string>();
    const OJ* value = nullptr;
    if (R4()) {
      if (url == R5Ext("grantee") || url == R5Ext("manager")) {
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueReference", &value));
        auto& list = url == R5Ext("grantee") ? out->grantee : out->manager;
        return Keep(&list, q,
                    [&](Reference* r) { return ReadReference(*value, q + ".valueReference", r); });
      }
      if (url == R5Ext("regulatoryBasis")) {
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCodeableConcept", &value));
        return Keep(&extra_rules_, q, [&](CodeableConcept* c) {
          return ReadConcept(*value, q + ".valueCodeableConcept", c);
        });
      }
      if (url == R5Ext("status")) {
        if (!ext_status_.empty()) return Malformed(q, "status twice");
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCode", &value));
        return Code(*value, q + ".valueCode", kR5OnlyStatus, &ext_status_);
      }
    } else {
      if (url == R4Ext("scope")) {
        if (out->scope) return Malformed(q, "scope twice");
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCodeableConcept", &value));
        return KeepOpt(&out->scope, q, [&](CodeableConcept* c) {
          return ReadConcept(*value, q + ".valueCodeableConcept", c);
        });
      }
      if (url == R4Ext("dateTime")) {
        if (out->date_time) return Malformed(q, "date twice");
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueDateTime", &value));
        return Date(*value, q + ".valueDateTime", false, false, &out->date_time);
      }
      if (url == R4Ext("status")) {
        if (!ext_status_.empty()) return Malformed(q, "status twice");
        MEDSEAL_RETURN_IF_ERROR(ExtValue(e, q, "valueCode", &value));
        return Code(*value, q + ".valueCode", kR4OnlyStatus, &ext_status_);
      }
      if (url.size() > kR4Ext.size() && url.rfind(R4Ext("provision."), 0) == 0) {
        return ReadRootCriterionExt(url, e, q, &root_criteria_);
      }
    }
    Report(q);
    return Status::Ok();
  }

  FhirVersion v_;
  std::vector<std::string>* unsupported_;
  size_t provisions_;
  std::vector<CodeableConcept> extra_rules_;  // R4: 5.0 regulatoryBasis extensions
  std::string ext_status_;
  Provision root_criteria_;  // R5: the R4 root criteria from extensions
};

// Settles every provision's type (decisions 1 and 2): a rule that writes
// none is the negation of its parent (an exception to it).
// A provision with nothing the model covers (no period, criteria or
// children) is kept, and its settled type counts as written, so that the
// writer writes it (as "type", or R5's provision.type extension) instead of
// an empty object (§5.3).
bool IsBare(const Provision& p) {
  Provision bare;
  bare.type = p.type;
  bare.type_written = p.type_written;
  return p == bare;
}

void SettleChildren(Provision* p) {
  for (Provision& c : p->provision) {
    if (!c.type_written) c.type = Negate(p->type);
    if (IsBare(c)) c.type_written = true;
    SettleChildren(&c);
  }
}

Status Reader::ReadConsent(const OJ& j, Consent* out) {
  // FC4: resourceType.
  auto rt = j.find("resourceType");
  if (rt == j.end() || !rt->is_string() || *rt != "Consent") {
    return Malformed("resourceType", "not a Consent");
  }
  MEDSEAL_RETURN_IF_ERROR(ScanModifiers(j, 1));  // FC5
  bool has_status = false;
  std::optional<Provision> r4_root;
  std::vector<Provision> r5_top;
  bool has_decision = false;
  ProvisionType decision = ProvisionType::kDeny;
  auto common = [&](const std::string& k, const OJ& x, const std::string& p,
                    bool* handled) -> Status {
    *handled = true;
    if (k == "resourceType") return Status::Ok();
    if (k == "id") return String(x, p, &out->id);
    if (k == "meta") return ReadMeta(x, p, out);
    if (k == "extension") {
      return Array(
          x, p, [&](const OJ& e, const std::string& q) { return ReadConsentExtension(e, q, out); });
    }
    if (k == "identifier") {
      return Array(x, p, [&](const OJ& e, const std::string& q) {
        return Keep(&out->identifier, q, [&](Identifier* i) { return ReadIdentifier(e, q, i); });
      });
    }
    if (k == "status") {
      has_status = true;
      return Code(x, p, R4() ? Names(kR4Status) : Names(kR5Status), &out->status);
    }
    if (k == "category") return ReadConcepts(x, p, &out->category);
    *handled = false;
    return Status::Ok();
  };
  if (R4()) {
    RETURN_NESTED(Walk(
        j, "",
        {"resourceType", "id", "meta", "extension", "identifier", "status", "scope", "category",
         "patient", "dateTime", "performer", "organization", "policy", "policyRule", "provision"},
        {"language", "text", "contained", "sourceAttachment", "sourceReference", "verification"},
        [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
          bool handled = false;
          MEDSEAL_RETURN_IF_ERROR(common(k, x, p, &handled));
          if (handled) return Status::Ok();
          if (k == "scope") {
            return KeepOpt(&out->scope, p,
                           [&](CodeableConcept* c) { return ReadConcept(x, p, c); });
          }
          if (k == "patient") {
            return KeepOpt(&out->patient, p, [&](Reference* r) { return ReadReference(x, p, r); });
          }
          if (k == "dateTime") return Date(x, p, false, false, &out->date_time);
          if (k == "performer") return ReadReferences(x, p, &out->performer);
          if (k == "organization") return ReadReferences(x, p, &out->organization);
          if (k == "policy") {
            return Array(x, p, [&](const OJ& e, const std::string& q) {
              return Keep(&out->policy, q, [&](PolicyRef* r) { return ReadPolicy(e, q, r); });
            });
          }
          if (k == "policyRule") {
            return Keep(&out->policy_rule, p,
                        [&](CodeableConcept* c) { return ReadConcept(x, p, c); });
          }
          return ReadProvision(x, p, 1, &r4_root.emplace());
        }));
  } else {
    RETURN_NESTED(Walk(
        j, "",
        {"resourceType", "id", "meta", "extension", "identifier", "status", "category", "subject",
         "date", "period", "grantor", "grantee", "manager", "controller", "regulatoryBasis",
         "policyBasis", "decision", "provision"},
        {"language", "text", "contained", "sourceAttachment", "sourceReference", "policyText",
         "verification"},
        [&](const std::string& k, const OJ& x, const std::string& p) -> Status {
          bool handled = false;
          MEDSEAL_RETURN_IF_ERROR(common(k, x, p, &handled));
          if (handled) return Status::Ok();
          if (k == "subject") {
            return KeepOpt(&out->patient, p, [&](Reference* r) { return ReadReference(x, p, r); });
          }
          if (k == "date") {
            if (out->date_time) return Malformed(p, "date twice");
            return Date(x, p, true, false, &out->date_time);
          }
          if (k == "period") {
            return KeepOpt(&out->period, p, [&](Period* q) { return ReadPeriod(x, p, q); });
          }
          if (k == "grantor") return ReadReferences(x, p, &out->performer);
          if (k == "grantee") return ReadReferences(x, p, &out->grantee);
          if (k == "manager") return ReadReferences(x, p, &out->manager);
          if (k == "controller") return ReadReferences(x, p, &out->organization);
          if (k == "regulatoryBasis") return ReadConcepts(x, p, &out->policy_rule);
          if (k == "policyBasis") {
            return Array(x, p, [&](const OJ& e, const std::string& q) {
              return Keep(&out->policy, q, [&](PolicyRef* r) { return ReadPolicy(e, q, r); });
            });
          }
          if (k == "decision") {
            std::string code;
            MEDSEAL_RETURN_IF_ERROR(Code(x, p, kTypeCodes, &code));
            has_decision = true;
            decision = code == "permit" ? ProvisionType::kPermit : ProvisionType::kDeny;
            return Status::Ok();
          }
          return Array(x, p, [&](const OJ& e, const std::string& q) {
            return ReadProvision(e, q, 2, &r5_top.emplace_back());
          });
        }));
  }
  if (!has_status) return Malformed("status", "missing");  // FC15
  if (!ext_status_.empty()) {
    // The other version's status code (§4): the native one is its stand-in.
    out->status = ext_status_;
  }
  out->policy_rule.insert(out->policy_rule.end(), extra_rules_.begin(), extra_rules_.end());
  if (R4()) {
    if (r4_root) {
      // The root rule's period is the consent's period in the model (§4).
      out->period = r4_root->period;
      r4_root->period.reset();
      out->provision = std::move(r4_root);
    }
  } else if (has_decision || !r5_top.empty() || !(root_criteria_ == Provision{})) {
    Provision root = std::move(root_criteria_);
    root.type = decision;
    root.type_written = has_decision;
    root.provision = std::move(r5_top);
    out->provision = std::move(root);
  }
  if (out->provision) {
    Provision& root = *out->provision;
    if (!root.type_written) {  // decision 1
      out->base = SettledBase(root, false, out->policy_rule);
      root.type = out->base ? Negate(*out->base) : DeriveRootType(out->policy_rule);
    }
    if (IsBare(root) && !out->period) root.type_written = true;
    SettleChildren(&root);  // decision 2
  }
  return Status::Ok();
}

// ---- writing ----

Status Invalid(std::string_view what) {
  return Error(ErrorCode::kInvalidArgument, "fhir consent: cannot write " + std::string(what));
}

class Writer {
 public:
  explicit Writer(FhirVersion v) : v_(v) {}
  Result<OJ> WriteConsent(const Consent& c);

 private:
  bool R4() const { return v_ == FhirVersion::kR4; }

  static void Str(OJ* o, const char* key, const std::string& s) {
    if (!s.empty()) (*o)[key] = s;
  }
  template <typename T, typename F>
  Result<OJ> List(const std::vector<T>& items, std::string_view what, F&& f) {
    if (items.size() > kMaxConsentListEntries) return Invalid(what);
    OJ a = OJ::array();
    for (const T& item : items) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ x, f(item));
      a.push_back(std::move(x));
    }
    return a;
  }
  static Status NonEmpty(const OJ& o, std::string_view what) {
    return o.empty() ? Invalid(std::string("an empty ") + std::string(what)) : Status::Ok();
  }
  Result<OJ> Coding_(const Coding& c) {
    OJ o = OJ::object();
    Str(&o, "system", c.system);
    Str(&o, "code", c.code);
    Str(&o, "display", c.display);
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "Coding"));
    return o;
  }
  Result<OJ> Codings(const std::vector<Coding>& l) {
    return List(l, "Coding list", [&](const Coding& c) { return Coding_(c); });
  }
  Result<OJ> Concept(const CodeableConcept& cc) {
    OJ o = OJ::object();
    if (!cc.coding.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["coding"], Codings(cc.coding));
    }
    Str(&o, "text", cc.text);
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "CodeableConcept"));
    return o;
  }
  Result<OJ> Concepts(const std::vector<CodeableConcept>& l) {
    return List(l, "CodeableConcept list", [&](const CodeableConcept& c) { return Concept(c); });
  }
  Result<OJ> Ident(const Identifier& id) {
    OJ o = OJ::object();
    Str(&o, "system", id.system);
    Str(&o, "value", id.value);
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "Identifier"));
    return o;
  }
  Result<OJ> Ref(const Reference& r) {
    OJ o = OJ::object();
    Str(&o, "reference", r.reference);
    if (r.identifier) {
      MEDSEAL_ASSIGN_OR_RETURN(o["identifier"], Ident(*r.identifier));
    }
    Str(&o, "display", r.display);
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "Reference"));
    return o;
  }
  Result<OJ> Refs(const std::vector<Reference>& l) {
    return List(l, "Reference list", [&](const Reference& r) { return Ref(r); });
  }
  static Result<std::string> DateText(const DateTime& d) {
    if (!ParseFhirDateTime(d.text).ok()) return Invalid("a date that is not FHIR's");
    return d.text;
  }
  Result<OJ> Per(const Period& p) {
    OJ o = OJ::object();
    if (p.start) {
      MEDSEAL_ASSIGN_OR_RETURN(o["start"], DateText(*p.start));
    }
    if (p.end) {
      MEDSEAL_ASSIGN_OR_RETURN(o["end"], DateText(*p.end));
    }
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "Period"));
    return o;
  }
  static OJ Ext(const std::string& url, const char* value_key, OJ value) {
    OJ e = OJ::object();
    e["url"] = url;
    e[value_key] = std::move(value);
    return e;
  }
  Result<OJ> Actor(const ProvisionActor& a) {
    OJ o = OJ::object();
    if (a.role) {
      MEDSEAL_ASSIGN_OR_RETURN(o["role"], Concept(*a.role));
    }
    if (a.reference) {
      MEDSEAL_ASSIGN_OR_RETURN(o["reference"], Ref(*a.reference));
    }
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "actor"));
    return o;
  }
  Result<OJ> Data(const ProvisionData& d) {
    if (!In(d.meaning, kDataMeaning)) return Invalid("a data meaning FHIR does not define");
    OJ o = OJ::object();
    o["meaning"] = d.meaning;
    MEDSEAL_ASSIGN_OR_RETURN(o["reference"], Ref(d.reference));
    return o;
  }

  // Writes the criteria in FHIR element order (the class split is R5's).
  Status Criteria(const Provision& p, OJ* o) {
    if (!p.actor.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(
          (*o)["actor"],
          List(p.actor, "actor list", [&](const ProvisionActor& a) { return Actor(a); }));
    }
    if (!p.action.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN((*o)["action"], Concepts(p.action));
    }
    if (!p.security_label.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN((*o)["securityLabel"], Codings(p.security_label));
    }
    if (!p.purpose.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN((*o)["purpose"], Codings(p.purpose));
    }
    if (!p.klass.empty()) {
      if (R4()) {
        MEDSEAL_ASSIGN_OR_RETURN((*o)["class"], Codings(p.klass));
      } else if (KlassSplits(p.klass)) {
        std::vector<Coding> doc;
        std::vector<Coding> res;
        for (const Coding& c : p.klass) (IsResourceTypeSystem(c.system) ? res : doc).push_back(c);
        if (!doc.empty()) {
          MEDSEAL_ASSIGN_OR_RETURN((*o)["documentType"], Codings(doc));
        }
        if (!res.empty()) {
          MEDSEAL_ASSIGN_OR_RETURN((*o)["resourceType"], Codings(res));
        }
      }
    }
    if (!p.code.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN((*o)["code"], Concepts(p.code));
    }
    if (p.data_period) {
      MEDSEAL_ASSIGN_OR_RETURN((*o)["dataPeriod"], Per(*p.data_period));
    }
    if (!p.data.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(
          (*o)["data"], List(p.data, "data list", [&](const ProvisionData& d) { return Data(d); }));
    }
    return Status::Ok();
  }
  // R5 writes class natively when it reads back in the same order:
  // document types first, then resource types (§4).
  static bool KlassSplits(const std::vector<Coding>& klass) {
    bool seen_resource = false;
    for (const Coding& c : klass) {
      if (IsResourceTypeSystem(c.system)) {
        seen_resource = true;
      } else if (seen_resource) {
        return false;
      }
    }
    return true;
  }

  Result<OJ> Prov(const Provision& p, const Provision* parent, int depth) {
    if (depth > kMaxProvisionDepth) {
      return Error(ErrorCode::kTooDeep, "fhir consent: provisions nested too deep");
    }
    if (++provisions_ > kMaxConsentProvisions) return Invalid("that many provisions");
    OJ o = OJ::object();
    // A nested rule writes its type when the source did, or when the
    // reader would not derive it (decision 2: the negation of the parent).
    const bool write_type = p.type_written || p.type != Negate(parent->type);
    if (R4()) {
      if (write_type) o["type"] = TypeCode(p.type);
    } else {
      OJ ext = OJ::array();
      if (write_type) ext.push_back(Ext(R4Ext("provision.type"), "valueCode", TypeCode(p.type)));
      if (!KlassSplits(p.klass)) {
        for (const Coding& c : p.klass) {
          MEDSEAL_ASSIGN_OR_RETURN(OJ v, Coding_(c));
          ext.push_back(Ext(R4Ext("provision.class"), "valueCoding", std::move(v)));
        }
      }
      if (!ext.empty()) o["extension"] = std::move(ext);
    }
    if (p.period) {
      MEDSEAL_ASSIGN_OR_RETURN(o["period"], Per(*p.period));
    }
    MEDSEAL_RETURN_IF_ERROR(Criteria(p, &o));
    if (!p.provision.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["provision"], Children(p, depth));
    }
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "provision"));
    return o;
  }
  Result<OJ> Children(const Provision& p, int depth) {
    if (p.provision.size() > kMaxConsentListEntries) return Invalid("provision list");
    OJ a = OJ::array();
    for (const Provision& c : p.provision) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ x, Prov(c, &p, depth + 1));
      a.push_back(std::move(x));
    }
    return a;
  }

  // R4 root criteria as R5 Consent extensions (§4).
  Status RootCriteriaExt(const Provision& root, OJ* ext) {
    for (const ProvisionActor& a : root.actor) {
      OJ subs = OJ::array();
      if (a.role) {
        MEDSEAL_ASSIGN_OR_RETURN(OJ v, Concept(*a.role));
        subs.push_back(Ext("role", "valueCodeableConcept", std::move(v)));
      }
      if (a.reference) {
        MEDSEAL_ASSIGN_OR_RETURN(OJ v, Ref(*a.reference));
        subs.push_back(Ext("reference", "valueReference", std::move(v)));
      }
      if (subs.empty()) return Invalid("an empty actor");
      OJ e = OJ::object();
      e["url"] = R4Ext("provision.actor");
      e["extension"] = std::move(subs);
      ext->push_back(std::move(e));
    }
    for (const CodeableConcept& cc : root.action) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Concept(cc));
      ext->push_back(Ext(R4Ext("provision.action"), "valueCodeableConcept", std::move(v)));
    }
    const std::pair<const std::vector<Coding>*, const char*> codings[] = {
        {&root.security_label, "provision.securityLabel"},
        {&root.purpose, "provision.purpose"},
        {&root.klass, "provision.class"}};
    for (const auto& [list, name] : codings) {
      for (const Coding& c : *list) {
        MEDSEAL_ASSIGN_OR_RETURN(OJ v, Coding_(c));
        ext->push_back(Ext(R4Ext(name), "valueCoding", std::move(v)));
      }
    }
    for (const CodeableConcept& cc : root.code) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Concept(cc));
      ext->push_back(Ext(R4Ext("provision.code"), "valueCodeableConcept", std::move(v)));
    }
    if (root.data_period) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Per(*root.data_period));
      ext->push_back(Ext(R4Ext("provision.dataPeriod"), "valuePeriod", std::move(v)));
    }
    for (const ProvisionData& d : root.data) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ ref, Ref(d.reference));
      if (!In(d.meaning, kDataMeaning)) return Invalid("a data meaning FHIR does not define");
      OJ e = OJ::object();
      e["url"] = R4Ext("provision.data");
      e["extension"] = OJ::array({Ext("meaning", "valueCode", d.meaning),
                                  Ext("reference", "valueReference", std::move(ref))});
      ext->push_back(std::move(e));
    }
    return Status::Ok();
  }

  Result<OJ> Policy(const PolicyRef& p) {
    OJ o = OJ::object();
    if (R4()) {
      if (p.reference) {
        MEDSEAL_ASSIGN_OR_RETURN(OJ v, Ref(*p.reference));
        o["extension"] =
            OJ::array({Ext(R5Ext("policyBasis.reference"), "valueReference", std::move(v))});
      }
      Str(&o, "authority", p.authority);
      Str(&o, "uri", p.uri);
    } else {
      if (!p.authority.empty()) {
        o["extension"] = OJ::array({Ext(R4Ext("policy.authority"), "valueUri", p.authority)});
      }
      if (p.reference) {
        MEDSEAL_ASSIGN_OR_RETURN(o["reference"], Ref(*p.reference));
      }
      Str(&o, "url", p.uri);
    }
    MEDSEAL_RETURN_IF_ERROR(NonEmpty(o, "policy"));
    return o;
  }

  FhirVersion v_;
  size_t provisions_ = 0;
};

Result<OJ> Writer::WriteConsent(const Consent& c) {
  const bool r4_status = In(c.status, kR4Status);
  const bool r5_status = In(c.status, kR5Status);
  if (!r4_status && !r5_status) return Invalid("a status FHIR does not define");
  if (c.provision && c.provision->period) {
    return Invalid("a root provision period (the model keeps it in Consent.period)");
  }
  OJ o = OJ::object();
  o["resourceType"] = "Consent";
  Str(&o, "id", c.id);
  if (!c.version_id.empty() || c.last_updated) {
    OJ meta = OJ::object();
    Str(&meta, "versionId", c.version_id);
    if (c.last_updated) {
      MEDSEAL_ASSIGN_OR_RETURN(std::string t, DateText(*c.last_updated));
      if (t.size() <= 10) return Invalid("meta.lastUpdated that is not an instant");
      meta["lastUpdated"] = t;
    }
    o["meta"] = std::move(meta);
  }
  OJ ext = OJ::array();
  // The status each version writes natively, and the extension that
  // carries the other version's code (§4).
  std::string status = c.status;
  if (R4() && !r4_status) {
    status = c.status == "not-done" ? "rejected" : "draft";
    ext.push_back(Ext(R5Ext("status"), "valueCode", c.status));
  }
  if (!R4() && !r5_status) {
    status = c.status == "rejected" ? "not-done" : "draft";
    ext.push_back(Ext(R4Ext("status"), "valueCode", c.status));
  }
  OJ identifier;
  if (!c.identifier.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(identifier, List(c.identifier, "identifier list",
                                              [&](const Identifier& i) { return Ident(i); }));
  }
  const Provision* root = c.provision ? &*c.provision : nullptr;
  // The root writes its type (R4 type, R5 decision) when the source did or
  // when decision 1 would settle another; then the reader derives no base.
  const std::optional<ProvisionType> unwritten_base =
      root ? SettledBase(*root, false, c.policy_rule) : std::nullopt;
  const ProvisionType settled = unwritten_base ? Negate(*unwritten_base)
                                               : DeriveRootType(c.policy_rule);
  const bool write_root_type = root && (root->type_written || root->type != settled ||
                                        c.base != unwritten_base);
  const std::optional<ProvisionType> reread_base = write_root_type ? std::nullopt : unwritten_base;
  if (c.base != reread_base) return Invalid("a base decision the policy rules do not give");
  if (root) provisions_ = 1;
  if (R4()) {
    for (const Reference& r : c.grantee) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Ref(r));
      ext.push_back(Ext(R5Ext("grantee"), "valueReference", std::move(v)));
    }
    for (const Reference& r : c.manager) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Ref(r));
      ext.push_back(Ext(R5Ext("manager"), "valueReference", std::move(v)));
    }
    for (size_t i = 1; i < c.policy_rule.size(); ++i) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Concept(c.policy_rule[i]));
      ext.push_back(Ext(R5Ext("regulatoryBasis"), "valueCodeableConcept", std::move(v)));
    }
  } else {
    if (c.scope) {
      MEDSEAL_ASSIGN_OR_RETURN(OJ v, Concept(*c.scope));
      ext.push_back(Ext(R4Ext("scope"), "valueCodeableConcept", std::move(v)));
    }
    if (c.date_time && c.date_time->text.size() > 10) {
      MEDSEAL_ASSIGN_OR_RETURN(std::string t, DateText(*c.date_time));
      ext.push_back(Ext(R4Ext("dateTime"), "valueDateTime", t));
    }
    if (root) MEDSEAL_RETURN_IF_ERROR(RootCriteriaExt(*root, &ext));
  }
  if (ext.size() > kMaxConsentListEntries) return Invalid("that many extensions");
  if (!ext.empty()) o["extension"] = std::move(ext);
  if (!identifier.is_null()) o["identifier"] = std::move(identifier);
  o["status"] = status;
  if (R4() && c.scope) {
    MEDSEAL_ASSIGN_OR_RETURN(o["scope"], Concept(*c.scope));
  }
  if (!c.category.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(o["category"], Concepts(c.category));
  }
  if (c.patient) {
    MEDSEAL_ASSIGN_OR_RETURN(o[R4() ? "patient" : "subject"], Ref(*c.patient));
  }
  if (c.date_time && (R4() || c.date_time->text.size() <= 10)) {
    MEDSEAL_ASSIGN_OR_RETURN(o[R4() ? "dateTime" : "date"], DateText(*c.date_time));
  }
  if (!R4() && c.period) {
    MEDSEAL_ASSIGN_OR_RETURN(o["period"], Per(*c.period));
  }
  if (!c.performer.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(o[R4() ? "performer" : "grantor"], Refs(c.performer));
  }
  if (!R4() && !c.grantee.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(o["grantee"], Refs(c.grantee));
  }
  if (!R4() && !c.manager.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(o["manager"], Refs(c.manager));
  }
  if (!c.organization.empty()) {
    MEDSEAL_ASSIGN_OR_RETURN(o[R4() ? "organization" : "controller"], Refs(c.organization));
  }
  if (R4()) {
    if (!c.policy.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["policy"], List(c.policy, "policy list",
                                                 [&](const PolicyRef& p) { return Policy(p); }));
    }
    if (!c.policy_rule.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["policyRule"], Concept(c.policy_rule[0]));
    }
    if (root || c.period) {
      OJ p = OJ::object();
      if (root && write_root_type) p["type"] = TypeCode(root->type);
      if (c.period) {
        MEDSEAL_ASSIGN_OR_RETURN(p["period"], Per(*c.period));
      }
      if (root) {
        MEDSEAL_RETURN_IF_ERROR(Criteria(*root, &p));
        if (!root->provision.empty()) {
          MEDSEAL_ASSIGN_OR_RETURN(p["provision"], Children(*root, 1));
        }
      }
      // A root with nothing to write is left out (it reads back the same).
      if (!p.empty()) o["provision"] = std::move(p);
    }
  } else {
    if (!c.policy_rule.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["regulatoryBasis"], Concepts(c.policy_rule));
    }
    if (!c.policy.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(
          o["policyBasis"],
          List(c.policy, "policy list", [&](const PolicyRef& p) { return Policy(p); }));
    }
    if (root && write_root_type) o["decision"] = TypeCode(root->type);
    if (root && !root->provision.empty()) {
      MEDSEAL_ASSIGN_OR_RETURN(o["provision"], Children(*root, 1));
    }
  }
  return o;
}

// Every string the writer emits must be UTF-8 (a model built by a caller
// may hold anything; nlohmann would throw on dump).
Status CheckUtf8(const OJ& v) {
  if (v.is_string()) {
    return IsValidUtf8(v.get_ref<const std::string&>()) ? Status::Ok()
                                                        : Invalid("a string that is not UTF-8");
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (v.is_object() && !IsValidUtf8(it.key())) return Invalid("a name that is not UTF-8");
    if (v.is_structured()) MEDSEAL_RETURN_IF_ERROR(CheckUtf8(it.value()));
  }
  return Status::Ok();
}

// Converts between the two nlohmann object types, bounded in depth.
template <typename To, typename From>
Result<To> Convert(const From& v, int depth) {
  if (depth > kMaxConsentJsonDepth) return Error(ErrorCode::kTooDeep, "fhir consent: too deep");
  if (v.is_object()) {
    To o = To::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      MEDSEAL_ASSIGN_OR_RETURN(o[it.key()], (Convert<To, From>(it.value(), depth + 1)));
    }
    return o;
  }
  if (v.is_array()) {
    To a = To::array();
    for (const auto& e : v) {
      MEDSEAL_ASSIGN_OR_RETURN(To x, (Convert<To, From>(e, depth + 1)));
      a.push_back(std::move(x));
    }
    return a;
  }
  if (v.is_string()) return To(v.template get<std::string>());
  if (v.is_boolean()) return To(v.template get<bool>());
  if (v.is_number_unsigned()) return To(v.template get<uint64_t>());
  if (v.is_number_integer()) return To(v.template get<int64_t>());
  if (v.is_number_float()) return To(v.template get<double>());
  return To(nullptr);
}

Result<ParsedConsent> ParseOrdered(const OJ& j, FhirVersion version) {
  ParsedConsent out;
  out.version = version;
  Reader reader(version, &out.unsupported_paths);
  MEDSEAL_RETURN_IF_ERROR(reader.ReadConsent(j, &out.consent));
  return out;
}

// Detection (§3): R5-only members, R4-only members, or the shape of
// "provision" / "sourceAttachment".
Result<FhirVersion> Detect(const OJ& j) {
  bool r4 = false;
  bool r5 = false;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    if (In(k,
           {"patient", "dateTime", "scope", "performer", "organization", "policy", "policyRule"})) {
      r4 = true;
    }
    if (In(k, {"subject", "date", "period", "grantor", "grantee", "manager", "controller",
               "regulatoryBasis", "policyBasis", "policyText", "decision"})) {
      r5 = true;
    }
    if (k == "provision" || k == "sourceAttachment") {
      (it.value().is_array() ? r5 : r4) = true;
    }
  }
  if (r4 && r5) return Error(ErrorCode::kMalformed, "fhir consent: mixes R4 and R5 elements");
  return r5 ? FhirVersion::kR5 : FhirVersion::kR4;
}

#undef RETURN_NESTED
// NOLINTEND(misc-no-recursion)

}  // namespace

std::string_view FhirVersionName(FhirVersion version) {
  return version == FhirVersion::kR5 ? "R5" : "R4";
}

Result<ParsedConsent> ParseConsent(std::string_view json, FhirVersion version) {
  if (version != FhirVersion::kR4 && version != FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "fhir consent: unknown FHIR version");
  }
  MEDSEAL_ASSIGN_OR_RETURN(OJ j, ParseOrderedJsonObject(json, kMaxConsentJsonBytes,
                                                        kMaxConsentJsonDepth));  // FC1-FC3
  return ParseOrdered(j, version);
}

Result<ParsedConsent> ParseConsentAnyVersion(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(
      OJ j, ParseOrderedJsonObject(json, kMaxConsentJsonBytes, kMaxConsentJsonDepth));
  auto rt = j.find("resourceType");
  if (rt == j.end() || !rt->is_string() || *rt != "Consent") {
    return Malformed("resourceType", "not a Consent");
  }
  MEDSEAL_RETURN_IF_ERROR(ScanModifiers(j, 1));              // FC5
  MEDSEAL_ASSIGN_OR_RETURN(FhirVersion version, Detect(j));  // FC16
  return ParseOrdered(j, version);
}

Result<ParsedConsent> ParseConsentJson(const Json& resource, FhirVersion version) {
  if (version != FhirVersion::kR4 && version != FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "fhir consent: unknown FHIR version");
  }
  if (!resource.is_object()) return Malformed("", "not an object");
  MEDSEAL_ASSIGN_OR_RETURN(OJ j, (Convert<OJ, Json>(resource, 1)));
  return ParseOrdered(j, version);
}

Result<std::string> WriteConsentText(const Consent& consent, FhirVersion version) {
  if (version != FhirVersion::kR4 && version != FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "fhir consent: unknown FHIR version");
  }
  Writer writer(version);
  MEDSEAL_ASSIGN_OR_RETURN(OJ j, writer.WriteConsent(consent));
  MEDSEAL_RETURN_IF_ERROR(CheckUtf8(j));
  std::string text = j.dump(-1, ' ', false, OJ::error_handler_t::strict);
  if (text.size() > kMaxConsentJsonBytes) {
    return Error(ErrorCode::kTooLarge, "fhir consent: written resource too large");
  }
  return text;
}

Result<ConvertedConsent> ConvertConsent(std::string_view json, uint32_t from, uint32_t to) {
  if ((from != 0 && from != 4 && from != 5) || (to != 0 && to != 4 && to != 5)) {
    return Error(ErrorCode::kInvalidArgument, "fhir consent: FHIR version must be 0, 4 or 5");
  }
  Result<ParsedConsent> parsed = from == 0 ? ParseConsentAnyVersion(json)
                                           : ParseConsent(json, static_cast<FhirVersion>(from));
  if (!parsed.ok()) return parsed.status();
  ConvertedConsent out;
  out.from = parsed->version;
  out.to = to == 0 ? parsed->version : static_cast<FhirVersion>(to);
  MEDSEAL_ASSIGN_OR_RETURN(out.json, WriteConsentText(parsed->consent, out.to));
  out.unsupported_paths_json = Json(parsed->unsupported_paths).dump();
  return out;
}

Result<Json> WriteConsent(const Consent& consent, FhirVersion version) {
  if (version != FhirVersion::kR4 && version != FhirVersion::kR5) {
    return Error(ErrorCode::kInvalidArgument, "fhir consent: unknown FHIR version");
  }
  Writer writer(version);
  MEDSEAL_ASSIGN_OR_RETURN(OJ j, writer.WriteConsent(consent));
  MEDSEAL_RETURN_IF_ERROR(CheckUtf8(j));
  return Convert<Json, OJ>(j, 1);
}

}  // namespace medseal::fhir
