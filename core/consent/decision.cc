// SPDX-License-Identifier: Apache-2.0
// Evaluate over a compiled ConsentSet: docs/spec/consent.md §algorithm, its
// decision table (rules D1-D6) and the per-criterion table (§criteria).
#include "core/consent/decision.h"

#include <algorithm>
#include <bitset>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"

namespace medseal::consent {
namespace {

// How many codes of one value set the bit index holds (spec §limits).
constexpr size_t kIndexBits = 256;
using Bits = std::bitset<kIndexBits>;

// v3-Confidentiality as a high-water mark, lowest to highest (the order of
// the codes' definitions in HL7's code system: U unrestricted, L low,
// M moderate, N normal, R restricted, V very restricted).
constexpr int kNoLevel = -1;
constexpr int kLevelN = 3;
constexpr int kLevelR = 4;
int ConfidentialityLevel(std::string_view code) {
  constexpr std::string_view kOrder[] = {"U", "L", "M", "N", "R", "V"};
  for (int i = 0; i < 6; ++i) {
    if (code == kOrder[i]) return i;
  }
  return kNoLevel;
}

bool SameCoding(const fhir::Coding& a, const fhir::Coding& b) {
  return a.code == b.code && a.system == b.system;
}

// A Reference names the same target: the same non-empty reference string, or
// the same non-empty identifier (spec §actors, §data).
bool SameTarget(const fhir::Reference& a, const fhir::Reference& b) {
  if (!a.reference.empty() && a.reference == b.reference) return true;
  return a.identifier && b.identifier && !a.identifier->value.empty() &&
         a.identifier->value == b.identifier->value && a.identifier->system == b.identifier->system;
}

// [lo, hi] from a FHIR Period; absent ends are open.
struct Window {
  std::optional<UnixMillis> lo;
  std::optional<UnixMillis> hi;
  bool Contains(UnixMillis t) const { return (!lo || *lo <= t) && (!hi || t <= *hi); }
};
Window WindowOf(const fhir::Period& p) {
  Window w;
  if (p.start) w.lo = p.start->lo;
  if (p.end) w.hi = p.end->hi;
  return w;
}

std::optional<UnixMillis> EarliestEnd(std::optional<UnixMillis> a, std::optional<UnixMillis> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

struct Actor {
  std::optional<std::vector<fhir::Coding>> role;  // the role's codings, if a role is given
  std::optional<fhir::Reference> reference;
  std::optional<Bytes> key_id;  // identifier {kKeyIdSystem, base64url(16 bytes)}
  std::string care_team;        // the id of a "CareTeam/<id>" or "Group/<id>" reference
};

enum class LabelKind : uint8_t { kActCode, kConfidentiality, kOther, kNever };
struct Label {
  LabelKind kind = LabelKind::kNever;
  Bits mask;             // kActCode: the sensitivity codes it matches (spec decision 6)
  int level = kNoLevel;  // kConfidentiality
  fhir::Coding coding;
};

// One compiled provision. Members ordered for packing (clang-tidy's
// padding check); what each holds is named by the criterion it comes from.
struct Node {
  std::optional<UnixMillis> until;  // earliest end of the periods on the path
  std::vector<Actor> actors;
  std::vector<fhir::Coding> actions;
  std::vector<Label> labels;
  std::vector<fhir::Coding> klass;
  std::vector<fhir::Coding> codes;
  std::vector<fhir::Reference> data;
  std::vector<Node> children;
  Bits purpose_mask;
  // What a permit here opens (spec decision 6): the sensitivity codes and
  // the confidentiality level named on the path from the root to here.
  Bits opened;
  std::string path;
  std::optional<Window> period;
  std::optional<Window> data_period;
  Effect type = Effect::kPermit;
  int opened_level = kNoLevel;
  bool is_root = false;
  bool has_criteria = false;
  bool has_actor = false;
  bool has_action = false;
  bool has_purpose = false;
  bool has_class = false;
  bool has_code = false;
  bool has_data = false;
};

struct CompiledConsent {
  std::string id;
  bool counts = false;  // active and in scope (rules D1)
  std::optional<Window> period;
  std::optional<Node> root;
};

// The request, indexed once per Evaluate.
struct Prepared {
  size_t purpose = 0;                                // index into the PurposeOfUse codes
  Bits sensitive;                                    // its labels among the sensitivity codes
  int level = kLevelN;                               // its confidentiality (N when it carries none)
  std::vector<const fhir::Coding*> other_act_codes;  // v3-ActCode labels not in `sensitive`
};

enum class Outcome : uint8_t { kNotApplicable, kPermit, kDeny, kDefaultDeny, kGated };
struct NodeResult {
  Outcome outcome = Outcome::kNotApplicable;
  const Node* node = nullptr;
};

size_t IndexOf(const std::vector<std::string>& sorted, std::string_view code) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), code,
                             [](const std::string& a, std::string_view b) { return a < b; });
  if (it == sorted.end() || *it != code) return std::numeric_limits<size_t>::max();
  return static_cast<size_t>(it - sorted.begin());
}

}  // namespace

struct ConsentSet::Impl {
  const fhir::Terminology* terminology = nullptr;
  std::vector<std::string> purposes;   // PurposeOfUse codes, sorted
  std::vector<std::string> sensitive;  // ActInformationSensitivityPolicy codes, sorted
  std::vector<CompiledConsent> consents;
  std::vector<std::string> named_purposes;
  size_t provisions = 0;

  Status CompileNode(const fhir::Provision& p, const Node* parent, const CompiledConsent& consent,
                     std::string path, int depth, Node& out, Bits& named);
  Label CompileLabel(const fhir::Coding& c, Effect type) const;
  bool ActorMatches(const Actor& a, const RequestActor& who) const;
  bool LabelMatches(const Label& l, Effect type, const Prepared& q, const AccessRequest& r) const;
  bool Matches(const Node& n, const Prepared& q, const AccessRequest& r, UnixMillis now) const;
  NodeResult EvalNode(const Node& n, const Prepared& q, const AccessRequest& r,
                      UnixMillis now) const;
  Status Prepare(const AccessRequest& r, Prepared& q) const;
};

Label ConsentSet::Impl::CompileLabel(const fhir::Coding& c, Effect type) const {
  Label l;
  l.coding = c;
  if (c.system == fhir::kActCodeSystem) {
    if (!terminology->Defines(fhir::kActCodeSystem, c.code)) return l;  // kNever
    l.kind = LabelKind::kActCode;
    for (size_t j = 0; j < sensitive.size(); ++j) {
      const bool down = terminology->Subsumes(fhir::kActCodeSystem, c.code, sensitive[j]);
      const bool up = terminology->Subsumes(fhir::kActCodeSystem, sensitive[j], c.code);
      // A permit covers data labeled with the code or a more specific one; a
      // deny also data labeled with a more general one (spec decision 6).
      if (down || (type == Effect::kDeny && up)) l.mask.set(j);
    }
    return l;
  }
  if (c.system == fhir::kConfidentialitySystem) {
    l.level = ConfidentialityLevel(c.code);
    if (l.level != kNoLevel) l.kind = LabelKind::kConfidentiality;
    return l;
  }
  l.kind = LabelKind::kOther;
  return l;
}

// Recursion depth is bounded by fhir::kMaxProvisionDepth (checked first).
// NOLINTNEXTLINE(misc-no-recursion): provision trees are at most 8 deep
Status ConsentSet::Impl::CompileNode(const fhir::Provision& p, const Node* parent,
                                     const CompiledConsent& consent, std::string path, int depth,
                                     Node& out, Bits& named) {
  if (depth > fhir::kMaxProvisionDepth) {
    return Error(ErrorCode::kTooDeep, "consent: provisions nested deeper than the limit");
  }
  if (++provisions > kMaxProvisionsPerSet) {
    return Error(ErrorCode::kTooLarge, "consent set: too many provisions");
  }
  out.type = p.type == fhir::ProvisionType::kDeny ? Effect::kDeny : Effect::kPermit;
  out.is_root = parent == nullptr;
  out.path = std::move(path);
  if (p.period) out.period = WindowOf(*p.period);

  out.has_actor = !p.actor.empty();
  for (const fhir::ProvisionActor& a : p.actor) {
    Actor actor;
    if (a.role) actor.role = a.role->coding;
    actor.reference = a.reference;
    if (a.reference) {
      const fhir::Reference& ref = *a.reference;
      if (ref.identifier && ref.identifier->system == kKeyIdSystem) {
        auto id = Base64UrlDecode(ref.identifier->value);
        if (id.ok() && id->size() == kRequestKeyIdSize) actor.key_id = std::move(id).value();
      }
      for (std::string_view prefix : {std::string_view("CareTeam/"), std::string_view("Group/")}) {
        const std::string_view r = ref.reference;
        if (r.size() > prefix.size() && r.substr(0, prefix.size()) == prefix) {
          actor.care_team = std::string(r.substr(prefix.size()));
        }
      }
    }
    out.actors.push_back(std::move(actor));
  }

  out.has_action = !p.action.empty();
  for (const fhir::CodeableConcept& cc : p.action) {
    out.actions.insert(out.actions.end(), cc.coding.begin(), cc.coding.end());
  }

  // Opened labels: the parent's, plus this provision's own.
  if (parent != nullptr) {
    out.opened = parent->opened;
    out.opened_level = parent->opened_level;
  }
  for (const fhir::Coding& c : p.security_label) {
    Label l = CompileLabel(c, out.type);
    if (l.kind == LabelKind::kActCode) {
      const Label opener = out.type == Effect::kPermit ? l : CompileLabel(c, Effect::kPermit);
      out.opened |= opener.mask;
      // Naming a sensitivity category opens confidentiality R (decision 6).
      if (opener.mask.any()) out.opened_level = std::max(out.opened_level, kLevelR);
    } else if (l.kind == LabelKind::kConfidentiality) {
      out.opened_level = std::max(out.opened_level, l.level);
    }
    out.labels.push_back(std::move(l));
  }

  out.has_purpose = !p.purpose.empty();
  out.purpose_mask.set();
  for (const fhir::Coding& c : p.purpose) {
    Bits m;
    if (c.system == fhir::kActReasonSystem) {
      for (size_t j = 0; j < purposes.size(); ++j) {
        if (terminology->Subsumes(fhir::kActReasonSystem, c.code, purposes[j])) m.set(j);
      }
      const size_t own = IndexOf(purposes, c.code);
      if (own < purposes.size()) named.set(own);
    }
    out.purpose_mask &= m;
  }

  out.has_class = !p.klass.empty();
  out.klass = p.klass;
  out.has_code = !p.code.empty();
  for (const fhir::CodeableConcept& cc : p.code) {
    out.codes.insert(out.codes.end(), cc.coding.begin(), cc.coding.end());
  }
  if (p.data_period) out.data_period = WindowOf(*p.data_period);
  out.has_data = !p.data.empty();
  for (const fhir::ProvisionData& d : p.data) out.data.push_back(d.reference);

  out.has_criteria = out.has_actor || out.has_action || !out.labels.empty() || out.has_purpose ||
                     out.has_class || out.has_code || out.data_period.has_value() || out.has_data;

  std::optional<UnixMillis> own_end = out.period ? out.period->hi : std::nullopt;
  if (parent != nullptr) {
    out.until = EarliestEnd(parent->until, own_end);
  } else {
    out.until = EarliestEnd(consent.period ? consent.period->hi : std::nullopt, own_end);
  }

  out.children.resize(p.provision.size());
  for (size_t i = 0; i < p.provision.size(); ++i) {
    MEDSEAL_RETURN_IF_ERROR(CompileNode(p.provision[i], &out, consent,
                                        out.path + ".provision[" + std::to_string(i) + "]",
                                        depth + 1, out.children[i], named));
  }
  return Status::Ok();
}

bool ConsentSet::Impl::ActorMatches(const Actor& a, const RequestActor& who) const {
  // Decision 8: role and reference, where given, must both match; an entry
  // with neither matches no one.
  if (!a.role && !a.reference) return false;
  if (a.role) {
    bool role_ok = false;
    for (const fhir::Coding& c : *a.role) {
      for (const fhir::Coding& r : who.roles) role_ok = role_ok || SameCoding(c, r);
    }
    if (!role_ok) return false;
  }
  if (!a.reference) return true;
  for (const fhir::Reference& r : who.references) {
    if (SameTarget(*a.reference, r)) return true;
  }
  if (a.key_id && !who.key_id.empty() && *a.key_id == who.key_id) return true;
  if (!a.care_team.empty()) {
    for (const std::string& t : who.care_teams) {
      if (t == a.care_team) return true;
    }
  }
  return false;
}

bool ConsentSet::Impl::LabelMatches(const Label& l, Effect type, const Prepared& q,
                                    const AccessRequest& r) const {
  switch (l.kind) {
    case LabelKind::kActCode: {
      if ((l.mask & q.sensitive).any()) return true;
      for (const fhir::Coding* o : q.other_act_codes) {
        if (terminology->Subsumes(fhir::kActCodeSystem, l.coding.code, o->code)) return true;
        if (type == Effect::kDeny &&
            terminology->Subsumes(fhir::kActCodeSystem, o->code, l.coding.code)) {
          return true;
        }
      }
      return false;
    }
    case LabelKind::kConfidentiality:
      // High-water mark: a permit covers data up to its level, a deny data
      // from its level up (decision 6).
      return type == Effect::kPermit ? q.level <= l.level : q.level >= l.level;
    case LabelKind::kOther:
      return std::any_of(r.security_labels.begin(), r.security_labels.end(),
                         [&](const fhir::Coding& c) { return SameCoding(c, l.coding); });
    case LabelKind::kNever:
    default: return false;
  }
}

bool ConsentSet::Impl::Matches(const Node& n, const Prepared& q, const AccessRequest& r,
                               UnixMillis now) const {
  if (n.period && !n.period->Contains(now)) return false;
  if (n.has_actor && std::none_of(n.actors.begin(), n.actors.end(),
                                  [&](const Actor& a) { return ActorMatches(a, r.actor); })) {
    return false;
  }
  if (n.has_action && std::none_of(n.actions.begin(), n.actions.end(), [&](const fhir::Coding& c) {
        return SameCoding(c, r.action);
      })) {
    return false;
  }
  for (const Label& l : n.labels) {
    if (!LabelMatches(l, n.type, q, r)) return false;
  }
  if (n.has_purpose && !n.purpose_mask.test(q.purpose)) return false;
  if (n.has_class) {
    bool any = false;
    for (const fhir::Coding& k : n.klass) {
      if (!r.resource_type.empty() && k.system == fhir::kResourceTypesSystem &&
          k.code == r.resource_type) {
        any = true;
        break;
      }
      for (const fhir::Coding& rk : r.klass) any = any || SameCoding(k, rk);
      if (any) break;
    }
    if (!any) return false;
  }
  if (n.has_code) {
    bool any = false;
    for (const fhir::Coding& c : n.codes) {
      for (const fhir::Coding& rc : r.codes) any = any || SameCoding(c, rc);
      if (any) break;
    }
    if (!any) return false;
  }
  if (n.data_period) {
    const Window& w = *n.data_period;
    if (n.type == Effect::kPermit) {
      // A permit covers data whose period lies inside its dataPeriod.
      if (!r.data_period) return false;
      const Window d = WindowOf(*r.data_period);
      if (w.lo && (!d.lo || *d.lo < *w.lo)) return false;
      if (w.hi && (!d.hi || *d.hi > *w.hi)) return false;
    } else if (r.data_period) {
      // A deny covers data whose period may overlap its dataPeriod.
      const Window d = WindowOf(*r.data_period);
      if (w.lo && d.hi && *d.hi < *w.lo) return false;
      if (w.hi && d.lo && *d.lo > *w.hi) return false;
    }
  }
  if (n.has_data) {
    bool any = false;
    for (const fhir::Reference& p : n.data) {
      for (const fhir::Reference& d : r.data) any = any || SameTarget(p, d);
      if (any) break;
    }
    if (!any) return false;
  }
  return true;
}

// NOLINTNEXTLINE(misc-no-recursion): compiled trees are at most 8 deep
NodeResult ConsentSet::Impl::EvalNode(const Node& n, const Prepared& q, const AccessRequest& r,
                                      UnixMillis now) const {
  if (!Matches(n, q, r, now)) return {};
  // Nested provisions are exceptions: the first deny among them, else the
  // first permit, replaces this provision's own effect.
  NodeResult permit;
  NodeResult gated;
  for (const Node& child : n.children) {
    NodeResult c = EvalNode(child, q, r, now);
    if (c.outcome == Outcome::kDeny) return c;
    if (c.outcome == Outcome::kPermit && permit.outcome != Outcome::kPermit) permit = c;
    if (c.outcome == Outcome::kGated && gated.outcome != Outcome::kGated) gated = c;
  }
  if (permit.outcome == Outcome::kPermit) return permit;
  if (n.type == Effect::kDeny) {
    if (n.is_root && !n.has_criteria) {
      // A default deny: an exception that matched but could not open a
      // sensitive label is the better reason (rule D5 over D6).
      return gated.outcome == Outcome::kGated ? gated : NodeResult{Outcome::kDefaultDeny, &n};
    }
    return {Outcome::kDeny, &n};
  }
  const bool labels_open = (q.sensitive & ~n.opened).none();
  const bool level_open = q.level < kLevelR || n.opened_level >= q.level;
  return {labels_open && level_open ? Outcome::kPermit : Outcome::kGated, &n};
}

Status ConsentSet::Impl::Prepare(const AccessRequest& r, Prepared& q) const {
  if (r.purpose.code.empty()) return Error(ErrorCode::kInvalidArgument, "request: no purpose");
  if (r.action.code.empty()) return Error(ErrorCode::kInvalidArgument, "request: no action");
  if (!r.actor.key_id.empty() && r.actor.key_id.size() != kRequestKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "request: actor key id is not 16 bytes");
  }
  q.purpose = r.purpose.system == fhir::kActReasonSystem ? IndexOf(purposes, r.purpose.code)
                                                         : std::numeric_limits<size_t>::max();
  if (q.purpose >= purposes.size()) {
    return Error(ErrorCode::kUnknownCode, "request: purpose is not a PurposeOfUse code");
  }
  int level = kNoLevel;
  for (const fhir::Coding& c : r.security_labels) {
    if (c.system == fhir::kActCodeSystem) {
      const size_t i = IndexOf(sensitive, c.code);
      if (i < sensitive.size()) {
        q.sensitive.set(i);
      } else if (terminology->Defines(fhir::kActCodeSystem, c.code)) {
        q.other_act_codes.push_back(&c);
      } else {
        return Error(ErrorCode::kUnknownCode, "request: security label not in v3-ActCode");
      }
    } else if (c.system == fhir::kConfidentialitySystem) {
      const int l = ConfidentialityLevel(c.code);
      if (l == kNoLevel) {
        return Error(ErrorCode::kUnknownCode, "request: not a v3-Confidentiality level");
      }
      level = std::max(level, l);
    }
  }
  q.level = level == kNoLevel ? kLevelN : level;
  return Status::Ok();
}

ConsentSet::ConsentSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConsentSet::ConsentSet(ConsentSet&&) noexcept = default;
ConsentSet& ConsentSet::operator=(ConsentSet&&) noexcept = default;
ConsentSet::~ConsentSet() = default;

size_t ConsentSet::size() const { return impl_->consents.size(); }
const fhir::Terminology& ConsentSet::terminology() const { return *impl_->terminology; }
const std::vector<std::string>& ConsentSet::named_purposes() const { return impl_->named_purposes; }

Result<ConsentSet> ConsentSet::Compile(std::span<const fhir::Consent> consents,
                                       const fhir::Terminology& terminology) {
  if (consents.size() > kMaxConsentsPerSet) {
    return Error(ErrorCode::kTooLarge, "consent set: too many consents");
  }
  auto impl = std::make_unique<Impl>();
  impl->terminology = &terminology;
  for (const auto& [system, code] : terminology.Expand(fhir::kPurposeOfUseValueSet)) {
    if (system == fhir::kActReasonSystem) impl->purposes.push_back(code);
  }
  for (const auto& [system, code] :
       terminology.Expand(fhir::kActInformationSensitivityPolicyValueSet)) {
    if (system == fhir::kActCodeSystem) impl->sensitive.push_back(code);
  }
  std::sort(impl->purposes.begin(), impl->purposes.end());
  std::sort(impl->sensitive.begin(), impl->sensitive.end());
  if (impl->purposes.size() > kIndexBits || impl->sensitive.size() > kIndexBits) {
    return Error(ErrorCode::kTooLarge, "consent set: value set larger than the index");
  }
  Bits named;
  impl->consents.resize(consents.size());
  for (size_t i = 0; i < consents.size(); ++i) {
    const fhir::Consent& in = consents[i];
    CompiledConsent& c = impl->consents[i];
    c.id = in.id;
    bool in_scope = true;
    if (in.scope) {
      bool any_scope = false;
      bool privacy = false;
      for (const fhir::Coding& s : in.scope->coding) {
        if (s.system != fhir::kConsentScopeSystem) continue;
        any_scope = true;
        privacy = privacy || s.code == "patient-privacy";
      }
      in_scope = !any_scope || privacy;
    }
    c.counts = in.status == "active" && in_scope;
    if (in.period) c.period = WindowOf(*in.period);
    if (in.provision) {
      c.root.emplace();
      MEDSEAL_RETURN_IF_ERROR(
          impl->CompileNode(*in.provision, nullptr, c, "provision", 1, *c.root, named));
      if (in.base) {
        // Decision 1 (fhir-consent.md §5.1): the root is an exception to the
        // consent's base decision, which acts as a root without criteria
        // above it (a base permit opens no sensitive label; a base deny is a
        // default deny). Its reason path is "policyRule", where it comes from.
        Node base;
        base.type = *in.base == fhir::ProvisionType::kDeny ? Effect::kDeny : Effect::kPermit;
        base.is_root = true;
        base.path = "policyRule";
        base.purpose_mask.set();
        base.until = c.period ? c.period->hi : std::nullopt;
        base.children.push_back(std::move(*c.root));
        c.root = std::move(base);
      }
    }
  }
  for (size_t j = 0; j < impl->purposes.size(); ++j) {
    if (named.test(j)) impl->named_purposes.push_back(impl->purposes[j]);
  }
  return ConsentSet(std::move(impl));
}

Result<Decision> ConsentSet::Evaluate(const AccessRequest& request, UnixMillis now) const {
  Prepared q;
  MEDSEAL_RETURN_IF_ERROR(impl_->Prepare(request, q));
  if (now < 0 || now > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "evaluate: now is outside 0 .. 2^53 - 1");
  }
  // The first consent (input order) with each outcome; the decision table's
  // precedence picks among them (spec §algorithm step 4).
  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  size_t first[5] = {kNone, kNone, kNone, kNone, kNone};
  const Node* node[5] = {nullptr, nullptr, nullptr, nullptr, nullptr};
  bool any_counted = false;
  for (size_t i = 0; i < impl_->consents.size(); ++i) {
    const CompiledConsent& c = impl_->consents[i];
    if (!c.counts || (c.period && !c.period->Contains(now))) continue;
    any_counted = true;
    if (!c.root) continue;
    const NodeResult r = impl_->EvalNode(*c.root, q, request, now);
    const auto k = static_cast<size_t>(r.outcome);
    if (r.outcome != Outcome::kNotApplicable && first[k] == kNone) {
      first[k] = i;
      node[k] = r.node;
    }
    if (r.outcome == Outcome::kDeny) break;  // nothing outranks an explicit deny
  }
  struct Row {
    Outcome outcome;
    Effect effect;
    const char* rule;
  };
  constexpr Row kPrecedence[] = {{Outcome::kDeny, Effect::kDeny, "D3"},
                                 {Outcome::kPermit, Effect::kPermit, "D4"},
                                 {Outcome::kGated, Effect::kDeny, "D5"},
                                 {Outcome::kDefaultDeny, Effect::kDeny, "D6"}};
  for (const Row& row : kPrecedence) {
    const auto k = static_cast<size_t>(row.outcome);
    if (first[k] == kNone) continue;
    Decision d;
    d.effect = row.effect;
    d.reason.consent_index = first[k];
    d.reason.consent_id = impl_->consents[first[k]].id;
    d.reason.provision_path = node[k]->path;
    d.reason.rule = row.rule;
    if (row.effect == Effect::kPermit) d.permit_until = node[k]->until;
    return d;
  }
  Decision d;
  d.reason.rule = any_counted ? "D2" : "D1";
  return d;
}

Result<Decision> Evaluate(std::span<const fhir::Consent> consents, const AccessRequest& request,
                          UnixMillis now, const fhir::Terminology& terminology) {
  MEDSEAL_ASSIGN_OR_RETURN(ConsentSet set, ConsentSet::Compile(consents, terminology));
  return set.Evaluate(request, now);
}

}  // namespace medseal::consent
