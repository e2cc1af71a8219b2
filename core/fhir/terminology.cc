// SPDX-License-Identifier: Apache-2.0
// Terminology from its data file (format: docs/spec/terminology.md §2).
#include "core/fhir/terminology.h"

#include <initializer_list>
#include <utility>

#include "core/codec/json.h"
#include "core/fhir/internal/embedded_data.h"

namespace medseal::fhir {
namespace {

constexpr std::string_view kFormat = "medseal-terminology-1";

Status Bad(std::string message) {
  return Error(ErrorCode::kMalformed, "terminology: " + std::move(message));
}

// Every member of `obj` is one of `allowed`, and every one of `required` is
// present.
Status CheckMembers(const Json& obj, std::initializer_list<std::string_view> required,
                    std::initializer_list<std::string_view> optional, std::string_view what) {
  for (std::string_view key : required) {
    if (obj.find(key) == obj.end()) return Bad(std::string(what) + " lacks " + std::string(key));
  }
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (std::string_view key : required) known = known || it.key() == key;
    for (std::string_view key : optional) known = known || it.key() == key;
    if (!known) return Bad(std::string(what) + " has an unknown member");
  }
  return Status::Ok();
}

}  // namespace

Result<Terminology> Terminology::FromJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json root, ParseJsonObject(json, kMaxTerminologyJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(
      CheckMembers(root, {"format", "systems", "valueSets"}, {"source"}, "root"));
  const Json& format = root["format"];
  if (!format.is_string() || format.get_ref<const std::string&>() != kFormat) {
    return Bad("format is not " + std::string(kFormat));
  }
  const Json& systems = root["systems"];
  if (!systems.is_object()) return Bad("systems is not an object");
  Terminology t;
  for (auto sys = systems.begin(); sys != systems.end(); ++sys) {
    if (sys.key().empty()) return Bad("a system without url");
    if (!sys->is_object()) return Bad("a system is not an object");
    MEDSEAL_RETURN_IF_ERROR(
        CheckMembers(*sys, {"concepts"}, {"version", "source", "shipped", "count"}, "a system"));
    const Json& concepts = (*sys)["concepts"];
    if (!concepts.is_object()) return Bad("concepts is not an object");
    auto& out = t.systems_[sys.key()];
    for (auto c = concepts.begin(); c != concepts.end(); ++c) {
      const Json& v = *c;
      if (c.key().empty()) return Bad("a entry without code");
      if (!v.is_array() || v.empty() || v.size() > 2 || !v[0].is_string()) {
        return Bad("a entry is not [display] or [display, parents]");
      }
      Concept entry;
      entry.display = v[0].get<std::string>();
      if (v.size() == 2) {
        if (!v[1].is_array() || v[1].empty()) return Bad("parents is not a non-empty array");
        for (const Json& p : v[1]) {
          if (!p.is_string()) return Bad("a parent is not a string");
          entry.parents.push_back(p.get<std::string>());
        }
      }
      out.emplace(c.key(), std::move(entry));
    }
    for (const auto& [code, entry] : out) {
      for (const std::string& p : entry.parents) {
        if (out.find(p) == out.end()) return Bad("a parent the system does not define");
      }
    }
  }
  const Json& value_sets = root["valueSets"];
  if (!value_sets.is_object()) return Bad("valueSets is not an object");
  for (auto vs = value_sets.begin(); vs != value_sets.end(); ++vs) {
    if (vs.key().empty()) return Bad("a value set without url");
    if (!vs->is_object()) return Bad("a value set is not an object");
    MEDSEAL_RETURN_IF_ERROR(CheckMembers(*vs, {"codes"}, {"version", "source"}, "a value set"));
    const Json& codes = (*vs)["codes"];
    if (!codes.is_object()) return Bad("codes is not an object");
    ValueSet& out = t.value_sets_[vs.key()];
    for (auto sys = codes.begin(); sys != codes.end(); ++sys) {
      auto known = t.systems_.find(sys.key());
      if (known == t.systems_.end()) return Bad("a value set names a system the data lacks");
      if (!sys->is_array()) return Bad("a value set's codes are not an array");
      for (const Json& code : *sys) {
        if (!code.is_string()) return Bad("a value set code is not a string");
        const std::string& text = code.get_ref<const std::string&>();
        if (known->second.find(text) == known->second.end()) {
          return Bad("a value set code the system does not define");
        }
        out.codes.emplace(sys.key(), text);
      }
    }
  }
  return t;
}

const Terminology& Terminology::Shipped() {
  // The committed data file, checked by the tests (terminology_test.cc
  // ShippedDataParses): an empty terminology only if the build broke it.
  static const Terminology* const shipped = [] {
    auto parsed = FromJson(internal::TerminologyJson());
    return parsed.ok() ? new Terminology(std::move(parsed).value()) : new Terminology();
  }();
  return *shipped;
}

bool Terminology::Defines(std::string_view system, std::string_view code) const {
  auto sys = systems_.find(system);
  return sys != systems_.end() && sys->second.find(code) != sys->second.end();
}

bool Terminology::Subsumes(std::string_view system, std::string_view ancestor,
                           std::string_view descendant) const {
  auto sys = systems_.find(system);
  if (sys == systems_.end()) return false;
  const auto& concepts = sys->second;
  if (concepts.find(ancestor) == concepts.end() || concepts.find(descendant) == concepts.end()) {
    return false;
  }
  // Upwards from `descendant`, each entry once: a cycle in the data ends
  // the walk instead of looping.
  std::set<std::string_view> seen;
  std::vector<std::string_view> todo{descendant};
  while (!todo.empty()) {
    std::string_view code = todo.back();
    todo.pop_back();
    if (code == ancestor) return true;
    if (!seen.insert(code).second) continue;
    auto c = concepts.find(code);
    if (c == concepts.end()) continue;
    for (const std::string& p : c->second.parents) todo.push_back(p);
  }
  return false;
}

bool Terminology::InValueSet(std::string_view value_set_url, std::string_view system,
                             std::string_view code) const {
  auto vs = value_sets_.find(value_set_url);
  if (vs == value_sets_.end()) return false;
  return vs->second.codes.count(std::make_pair(std::string(system), std::string(code))) != 0;
}

std::vector<std::pair<std::string, std::string>> Terminology::Expand(
    std::string_view value_set_url) const {
  auto vs = value_sets_.find(value_set_url);
  if (vs == value_sets_.end()) return {};
  return {vs->second.codes.begin(), vs->second.codes.end()};
}

std::string_view Terminology::Display(std::string_view system, std::string_view code) const {
  auto sys = systems_.find(system);
  if (sys == systems_.end()) return {};
  auto c = sys->second.find(code);
  if (c == sys->second.end()) return {};
  return c->second.display;
}

std::vector<std::string> Terminology::Parents(std::string_view system,
                                              std::string_view code) const {
  auto sys = systems_.find(system);
  if (sys == systems_.end()) return {};
  auto c = sys->second.find(code);
  return c == sys->second.end() ? std::vector<std::string>() : c->second.parents;
}

bool Terminology::HasValueSet(std::string_view value_set_url) const {
  return value_sets_.find(value_set_url) != value_sets_.end();
}

}  // namespace medseal::fhir
