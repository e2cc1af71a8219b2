// SPDX-License-Identifier: Apache-2.0
#include "core/consent/withdraw.h"

#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace medseal::consent {
namespace {

bool NamesTarget(const fhir::ProvisionActor& entry, const fhir::ProvisionActor& target) {
  if (!entry.reference.has_value() || !target.reference.has_value()) return false;
  const fhir::Reference& a = *entry.reference;
  const fhir::Reference& b = *target.reference;
  if (!a.reference.empty() && a.reference == b.reference) return true;
  return a.identifier.has_value() && b.identifier.has_value() && !a.identifier->value.empty() &&
         a.identifier->system == b.identifier->system && a.identifier->value == b.identifier->value;
}

bool NamesTarget(const fhir::Provision& p, const fhir::ProvisionActor& target) {
  for (const fhir::ProvisionActor& a : p.actor) {
    if (NamesTarget(a, target)) return true;
  }
  return false;
}

// Permit provisions that could still apply to the target: those naming it,
// and those open to any actor without a direct deny exception naming it.
// NOLINTNEXTLINE(misc-no-recursion): a parsed tree is at most fhir::kMaxProvisionDepth deep
size_t Exposure(const fhir::Provision& p, const fhir::ProvisionActor& target) {
  size_t n = 0;
  for (const fhir::Provision& child : p.provision) n += Exposure(child, target);
  if (p.type != fhir::ProvisionType::kPermit) return n;
  if (NamesTarget(p, target)) return n + 1;
  if (!p.actor.empty()) return n;
  for (const fhir::Provision& child : p.provision) {
    if (child.type == fhir::ProvisionType::kDeny && NamesTarget(child, target) &&
        child.provision.empty()) {
      return n;
    }
  }
  return n + 1;
}

// The same over a whole consent: a consent's base (fhir-consent.md §5.1,
// decision 1) stands above its root as a rule without criteria.
size_t ConsentExposure(const fhir::Consent& c, const fhir::ProvisionActor& target) {
  if (!c.provision.has_value()) return 0;
  const fhir::Provision& root = *c.provision;
  const size_t n = Exposure(root, target);
  if (c.base != fhir::ProvisionType::kPermit) return n;
  // Exposure() of the base: no actor entry, one child (the root).
  const bool direct_deny = root.type == fhir::ProvisionType::kDeny && NamesTarget(root, target) &&
                           root.provision.empty();
  return direct_deny ? n : n + 1;
}

Json ReferenceJson(const fhir::Reference& r) {
  Json out = Json::object();
  if (!r.reference.empty()) out["reference"] = r.reference;
  if (r.identifier.has_value()) {
    Json id = Json::object();
    if (!r.identifier->system.empty()) id["system"] = r.identifier->system;
    id["value"] = r.identifier->value;
    out["identifier"] = std::move(id);
  }
  if (!r.display.empty()) out["display"] = r.display;
  return out;
}

Json CodeableConceptJson(const fhir::CodeableConcept& cc) {
  Json out = Json::object();
  if (!cc.coding.empty()) {
    Json codings = Json::array();
    for (const fhir::Coding& c : cc.coding) {
      Json coding = Json::object();
      if (!c.system.empty()) coding["system"] = c.system;
      if (!c.code.empty()) coding["code"] = c.code;
      if (!c.display.empty()) coding["display"] = c.display;
      codings.push_back(std::move(coding));
    }
    out["coding"] = std::move(codings);
  }
  if (!cc.text.empty()) out["text"] = cc.text;
  return out;
}

struct Narrower {
  const fhir::ProvisionActor& target;
  fhir::FhirVersion version = fhir::FhirVersion::kR4;
  bool changed = false;

  Result<Json> DenyException() const {
    Json actor = Json::object();
    if (target.role.has_value()) {
      actor["role"] = CodeableConceptJson(*target.role);
    } else if (version == fhir::FhirVersion::kR4) {
      return Error(ErrorCode::kInvalidArgument,
                   "withdraw: an R4 deny exception needs the actor's role");
    }
    actor["reference"] = ReferenceJson(*target.reference);
    Json p = Json::object();
    if (version == fhir::FhirVersion::kR4) p["type"] = "deny";
    p["actor"] = Json::array({std::move(actor)});
    return p;
  }

  // Narrows `node` (the JSON of model provision `p` at `depth`). Sets
  // `remove` when the provision loses its last actor and must go.
  // NOLINTNEXTLINE(misc-no-recursion): at most fhir::kMaxProvisionDepth deep
  Status Visit(const fhir::Provision& p, Json& node, int depth, bool& remove) {
    remove = false;
    const size_t nchildren = p.provision.size();
    if (nchildren > 0) {
      auto it = node.find("provision");
      if (it == node.end() || !it->is_array() || it->size() != nchildren) {
        return Error(ErrorCode::kInternal, "withdraw: the model and the JSON disagree");
      }
      std::vector<size_t> drop;
      for (size_t i = 0; i < nchildren; ++i) {
        bool child_remove = false;
        MEDSEAL_RETURN_IF_ERROR(Visit(p.provision[i], (*it)[i], depth + 1, child_remove));
        if (child_remove) drop.push_back(i);
      }
      for (auto d = drop.rbegin(); d != drop.rend(); ++d) it->erase(*d);
      if (it->empty()) node.erase("provision");
    }
    if (p.type != fhir::ProvisionType::kPermit) return Status::Ok();
    if (NamesTarget(p, target)) {
      auto actors = node.find("actor");
      if (actors == node.end() || !actors->is_array() || actors->size() != p.actor.size()) {
        return Error(ErrorCode::kInternal, "withdraw: the model and the JSON disagree");
      }
      for (size_t i = p.actor.size(); i-- > 0;) {
        if (NamesTarget(p.actor[i], target)) actors->erase(i);
      }
      changed = true;
      if (actors->empty()) remove = true;  // an empty actor list would permit anyone
      return Status::Ok();
    }
    if (!p.actor.empty()) return Status::Ok();
    // Open to any actor: add a deny exception naming the target, unless a
    // direct one is there already.
    for (const fhir::Provision& child : p.provision) {
      if (child.type == fhir::ProvisionType::kDeny && NamesTarget(child, target) &&
          child.provision.empty()) {
        return Status::Ok();
      }
    }
    if (depth + 1 > fhir::kMaxProvisionDepth) {
      return Error(ErrorCode::kTooDeep, "withdraw: the exception would nest too deep");
    }
    MEDSEAL_ASSIGN_OR_RETURN(Json deny, DenyException());
    Json& list = node["provision"];
    if (!list.is_array()) list = Json::array();
    list.push_back(std::move(deny));
    changed = true;
    return Status::Ok();
  }
};

Status BumpVersion(Json& resource) {
  MEDSEAL_ASSIGN_OR_RETURN(int64_t version, ResourceVersion(resource));
  if (version >= kMaxJsonInteger) return Error(ErrorCode::kInvalidArgument, "withdraw: versionId");
  Json& meta = resource["meta"];
  if (!meta.is_object()) meta = Json::object();
  meta["versionId"] = std::to_string(version + 1);
  return Status::Ok();
}

}  // namespace

Result<int64_t> ResourceVersion(const Json& resource) {
  auto meta = resource.find("meta");
  if (meta == resource.end()) return int64_t{1};
  if (!meta->is_object()) return Error(ErrorCode::kInvalidArgument, "meta is not an object");
  auto v = meta->find("versionId");
  if (v == meta->end()) return int64_t{1};
  if (!v->is_string()) return Error(ErrorCode::kInvalidArgument, "versionId is not a string");
  const std::string& s = v->get_ref<const std::string&>();
  int64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || s[0] == '0' || ec != std::errc() || end != s.data() + s.size() || n < 1 ||
      n > kMaxJsonInteger) {
    return Error(ErrorCode::kInvalidArgument, "versionId is not a decimal 1..2^53-1");
  }
  return n;
}

Result<SignedConsent> Withdraw(const Identity& patient, const SignedConsent& current,
                               const Withdrawal& what, Clock& clock) {
  // W1 the patient's own consent; W2 active.
  MEDSEAL_RETURN_IF_ERROR(VerifyReceipt(current, patient.card()));
  MEDSEAL_ASSIGN_OR_RETURN(fhir::ParsedConsent parsed, current.Model());
  if (parsed.consent.status != "active") {
    return Error(ErrorCode::kConsentInactive, "withdraw: the consent is not active");
  }
  Json next = current.resource;
  switch (what.scope) {
    case WithdrawScope::kWhole: next["status"] = "inactive"; break;
    case WithdrawScope::kActor: {
      // W3 narrow.
      if (!what.actor.reference.has_value() ||
          (what.actor.reference->reference.empty() &&
           (!what.actor.reference->identifier.has_value() ||
            what.actor.reference->identifier->value.empty()))) {
        return Error(ErrorCode::kInvalidArgument, "withdraw: no actor reference");
      }
      if (ConsentExposure(parsed.consent, what.actor) == 0) {
        return Error(ErrorCode::kInvalidArgument, "withdraw: nothing permits this actor");
      }
      if (parsed.consent.base == fhir::ProvisionType::kPermit) {
        // The permit is the consent's base (its policy rule), above a root
        // that is already an exception: no provision can be narrowed in
        // place. The patient withdraws the whole consent instead.
        return Error(ErrorCode::kInvalidArgument,
                     "withdraw: the consent permits by its policy rule; withdraw it whole");
      }
      Narrower narrower{what.actor, parsed.version};
      bool remove_root = false;
      if (parsed.version == fhir::FhirVersion::kR4) {
        auto root = next.find("provision");
        if (root == next.end() || !root->is_object()) {
          return Error(ErrorCode::kInternal, "withdraw: the model and the JSON disagree");
        }
        MEDSEAL_RETURN_IF_ERROR(narrower.Visit(*parsed.consent.provision, *root, 1, remove_root));
      } else {
        // R5: the model's root is the Consent itself (decision), its
        // children are the top-level provisions.
        MEDSEAL_RETURN_IF_ERROR(narrower.Visit(*parsed.consent.provision, next, 0, remove_root));
      }
      // R5 Consent.grantee: the withdrawn grantee is no longer one.
      if (parsed.version == fhir::FhirVersion::kR5) {
        auto grantees = next.find("grantee");
        if (grantees != next.end() && grantees->is_array() &&
            grantees->size() == parsed.consent.grantee.size()) {
          for (size_t i = parsed.consent.grantee.size(); i-- > 0;) {
            if (NamesTarget(fhir::ProvisionActor{std::nullopt, parsed.consent.grantee[i]},
                            what.actor)) {
              grantees->erase(i);
            }
          }
          if (grantees->empty()) next.erase("grantee");
        }
      }
      if (remove_root) {
        // The root rule named only this actor: nothing is left to permit.
        next = current.resource;
        next["status"] = "inactive";
      }
      break;
    }
    default: return Error(ErrorCode::kInvalidArgument, "withdraw: unknown scope");
  }
  MEDSEAL_RETURN_IF_ERROR(BumpVersion(next));
  MEDSEAL_ASSIGN_OR_RETURN(SignedConsent signed_next,
                           SignConsent(patient, next, current.fhir_version, clock));
  // W4 check the result as the decision engine will read it.
  if (what.scope == WithdrawScope::kActor) {
    MEDSEAL_ASSIGN_OR_RETURN(fhir::ParsedConsent reread, signed_next.Model());
    if (reread.consent.status == "active" && ConsentExposure(reread.consent, what.actor) != 0) {
      return Error(ErrorCode::kInternal, "withdraw: the narrowed consent still permits the actor");
    }
  }
  return signed_next;
}

namespace {

Status Bad(const char* what) { return Error(ErrorCode::kMalformed, what); }

Status OnlyKeys(const Json& obj, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : obj.items()) {
    bool known = false;
    for (std::string_view a : allowed) known |= key == a;
    if (!known) return Bad("withdrawal: an unknown member");
  }
  return Status::Ok();
}

Result<std::string> OptionalString(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::string();
  if (!it->is_string()) return Bad("withdrawal: a member is not a string");
  return it->get<std::string>();
}

Result<fhir::Reference> ParseReferenceJson(const Json& v) {
  if (!v.is_object()) return Bad("withdrawal: reference is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyKeys(v, {"reference", "identifier", "display"}));
  fhir::Reference r;
  MEDSEAL_ASSIGN_OR_RETURN(r.reference, OptionalString(v, "reference"));
  MEDSEAL_ASSIGN_OR_RETURN(r.display, OptionalString(v, "display"));
  if (v.contains("identifier")) {
    const Json& id = v["identifier"];
    if (!id.is_object()) return Bad("withdrawal: identifier is not an object");
    MEDSEAL_RETURN_IF_ERROR(OnlyKeys(id, {"system", "value"}));
    fhir::Identifier ident;
    MEDSEAL_ASSIGN_OR_RETURN(ident.system, OptionalString(id, "system"));
    MEDSEAL_ASSIGN_OR_RETURN(ident.value, OptionalString(id, "value"));
    if (ident.value.empty()) return Bad("withdrawal: identifier without value");
    r.identifier = std::move(ident);
  }
  if (r.reference.empty() && !r.identifier.has_value()) {
    return Bad("withdrawal: a reference names nobody");
  }
  return r;
}

Result<fhir::CodeableConcept> ParseConceptJson(const Json& v) {
  if (!v.is_object()) return Bad("withdrawal: role is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyKeys(v, {"coding", "text"}));
  fhir::CodeableConcept cc;
  MEDSEAL_ASSIGN_OR_RETURN(cc.text, OptionalString(v, "text"));
  if (v.contains("coding")) {
    const Json& list = v["coding"];
    if (!list.is_array() || list.size() > 64) return Bad("withdrawal: coding is not a list");
    for (const Json& c : list) {
      if (!c.is_object()) return Bad("withdrawal: a coding is not an object");
      MEDSEAL_RETURN_IF_ERROR(OnlyKeys(c, {"system", "code", "display"}));
      fhir::Coding coding;
      MEDSEAL_ASSIGN_OR_RETURN(coding.system, OptionalString(c, "system"));
      MEDSEAL_ASSIGN_OR_RETURN(coding.code, OptionalString(c, "code"));
      MEDSEAL_ASSIGN_OR_RETURN(coding.display, OptionalString(c, "display"));
      if (coding.code.empty()) return Bad("withdrawal: a coding without code");
      cc.coding.push_back(std::move(coding));
    }
  }
  return cc;
}

}  // namespace

Result<Withdrawal> ParseWithdrawalJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxWithdrawalJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(OnlyKeys(obj, {"scope", "actor"}));
  MEDSEAL_ASSIGN_OR_RETURN(std::string scope, OptionalString(obj, "scope"));
  Withdrawal w;
  if (scope == "whole") {
    if (obj.contains("actor")) return Bad("withdrawal: a whole withdrawal names no actor");
    w.scope = WithdrawScope::kWhole;
    return w;
  }
  if (scope != "actor") return Bad("withdrawal: scope is \"whole\" or \"actor\"");
  if (!obj.contains("actor") || !obj["actor"].is_object()) {
    return Bad("withdrawal: scope actor needs an actor object");
  }
  const Json& actor = obj["actor"];
  MEDSEAL_RETURN_IF_ERROR(OnlyKeys(actor, {"reference", "role"}));
  if (!actor.contains("reference")) return Bad("withdrawal: actor without reference");
  w.scope = WithdrawScope::kActor;
  MEDSEAL_ASSIGN_OR_RETURN(w.actor.reference, ParseReferenceJson(actor["reference"]));
  if (actor.contains("role")) {
    MEDSEAL_ASSIGN_OR_RETURN(w.actor.role, ParseConceptJson(actor["role"]));
  }
  return w;
}

Result<std::string> WithdrawFromJson(const Identity& patient, std::string_view receipt_json,
                                     std::string_view withdrawal_json, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(SignedConsent current, ParseReceipt(receipt_json));
  MEDSEAL_ASSIGN_OR_RETURN(Withdrawal what, ParseWithdrawalJson(withdrawal_json));
  MEDSEAL_ASSIGN_OR_RETURN(SignedConsent next, Withdraw(patient, current, what, clock));
  return next.ToJson();
}

}  // namespace medseal::consent
