// SPDX-License-Identifier: Apache-2.0
// Sensitivity labeling (rules: docs/spec/labeling.md; data format: its §5).
#include "core/fhir/labeler.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "core/base/utf8.h"
#include "core/fhir/internal/embedded_data.h"

namespace medseal::fhir {
namespace {

constexpr std::string_view kFormat = "medseal-sensitivity-1";

Status Bad(std::string message) {
  return Error(ErrorCode::kMalformed, "sensitivity data: " + std::move(message));
}
Status BadResource(std::string message) {
  return Error(ErrorCode::kMalformed, "labeler: " + std::move(message));
}

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

const std::string* StringMember(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// system -> [code, ...]
Status ReadCodeLists(const Json& obj, std::string_view what,
                     std::set<std::pair<std::string, std::string>>* out) {
  if (!obj.is_object()) return Bad(std::string(what) + " is not an object");
  for (auto sys = obj.begin(); sys != obj.end(); ++sys) {
    if (!sys->is_array()) return Bad(std::string(what) + " lists are not arrays");
    for (const Json& code : *sys) {
      if (!code.is_string()) return Bad(std::string(what) + " codes are not strings");
      out->emplace(sys.key(), code.get<std::string>());
    }
  }
  return Status::Ok();
}

// The v3-Confidentiality levels in order (docs/spec/labeling.md §4); -1 for
// any other code.
int LevelRank(std::string_view code) {
  static constexpr std::string_view kOrder[] = {"U", "L", "M", "N", "R", "V"};
  for (int i = 0; i < 6; ++i) {
    if (code == kOrder[i]) return i;
  }
  return -1;
}
constexpr int kRankN = 3;
constexpr int kRankR = 4;
constexpr int kRankV = 5;

std::string_view LevelDisplay(int rank) {
  return rank == kRankV ? "very restricted" : rank == kRankR ? "restricted" : "normal";
}

}  // namespace

Result<Labeler> Labeler::FromJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json root, ParseJsonObject(json, kMaxSensitivityJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(CheckMembers(
      root, {"format", "labels", "valueSets", "sensitiveLabels", "veryRestricted", "codes"},
      {"source", "droppedLabels", "suppressedWhy", "suppressed"}, "root"));
  const std::string* format = StringMember(root, "format");
  if (format == nullptr || *format != kFormat) return Bad("format is not " + std::string(kFormat));
  Labeler l;
  const Json& labels = root["labels"];
  if (!labels.is_array()) return Bad("labels is not an array");
  for (const Json& label : labels) {
    if (!label.is_object()) return Bad("a label is not an object");
    MEDSEAL_RETURN_IF_ERROR(CheckMembers(label, {"system", "code", "display"}, {}, "a label"));
    const std::string* system = StringMember(label, "system");
    const std::string* code = StringMember(label, "code");
    const std::string* display = StringMember(label, "display");
    if (system == nullptr || code == nullptr || display == nullptr || system->empty() ||
        code->empty()) {
      return Bad("a label's system, code or display is not a non-empty string");
    }
    l.labels_.push_back(Coding{*system, *code, *display});
  }
  const Json& value_sets = root["valueSets"];
  if (!value_sets.is_array()) return Bad("valueSets is not an array");
  for (const Json& vs : value_sets) {
    if (!vs.is_object()) return Bad("a value set is not an object");
    MEDSEAL_RETURN_IF_ERROR(CheckMembers(vs, {"url"}, {"title"}, "a value set"));
    const std::string* url = StringMember(vs, "url");
    if (url == nullptr || url->empty()) return Bad("a value set's url is not a string");
    l.value_sets_.push_back(*url);
  }
  MEDSEAL_RETURN_IF_ERROR(ReadCodeLists(root["sensitiveLabels"], "sensitiveLabels", &l.sensitive_));
  MEDSEAL_RETURN_IF_ERROR(
      ReadCodeLists(root["veryRestricted"], "veryRestricted", &l.very_restricted_));
  auto read_table = [&l](const Json& table, CodeTable* out) -> Status {
    if (!table.is_object()) return Bad("a code table is not an object");
    for (auto sys = table.begin(); sys != table.end(); ++sys) {
      if (!sys->is_object()) return Bad("a code table's system is not an object");
      auto& codes = (*out)[sys.key()];
      for (auto code = sys->begin(); code != sys->end(); ++code) {
        if (!code->is_array() || code->empty()) return Bad("a code's matches are not a list");
        Matches matches;
        for (const Json& pair : *code) {
          if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number_unsigned() ||
              !pair[1].is_number_unsigned()) {
            return Bad("a match is not [label, value set]");
          }
          const auto label = pair[0].get<uint64_t>();
          const auto vs = pair[1].get<uint64_t>();
          if (label >= l.labels_.size() || vs >= l.value_sets_.size()) {
            return Bad("a match index is out of range");
          }
          matches.emplace_back(static_cast<size_t>(label), static_cast<size_t>(vs));
        }
        std::sort(matches.begin(), matches.end());
        codes.emplace(code.key(), std::move(matches));
      }
    }
    return Status::Ok();
  };
  MEDSEAL_RETURN_IF_ERROR(read_table(root["codes"], &l.codes_));
  if (root.find("suppressed") != root.end()) {
    MEDSEAL_RETURN_IF_ERROR(read_table(root["suppressed"], &l.suppressed_));
  }
  return l;
}

const Labeler& Labeler::Shipped() {
  // The committed data file, checked by the tests (labeler_test.cc
  // ShippedDataParses): a labeler without data only if the build broke it.
  static const Labeler* const shipped = [] {
    auto parsed = FromJson(internal::SensitivityJson());
    return parsed.ok() ? new Labeler(std::move(parsed).value()) : new Labeler();
  }();
  return *shipped;
}

// One resource's walk: the result being built and the labels seen so far.
struct Labeler::Walk {
  const Labeler& labeler;
  LabelResult result;
  std::map<Key, Coding> labels;           // de-duplicated, sorted by (system, code)
  std::map<Key, std::string> label_path;  // first path that gave each label

  void AddLabel(const Coding& label, const std::string& path) {
    Key key{label.system, label.code};
    labels.emplace(key, label);
    label_path.emplace(key, path);
  }

  void Match(const CodeTable& table, const std::string& system, const std::string& code,
             const Json& coding, const std::string& path, std::vector<LabelReason>* out,
             bool apply) {
    auto sys = table.find(system);
    if (sys == table.end()) return;
    auto found = sys->second.find(code);
    if (found == sys->second.end()) return;
    Coding matched{system, code, ""};
    if (const std::string* display = StringMember(coding, "display")) matched.display = *display;
    size_t last_label = static_cast<size_t>(-1);
    for (const auto& [label, vs] : found->second) {
      if (label == last_label) continue;  // the first value set per label
      last_label = label;
      const Coding& l = labeler.labels_[label];
      out->push_back(LabelReason{l, labeler.value_sets_[vs], path, matched});
      if (apply) AddLabel(l, path);
    }
  }

  // Every object with a string "system" and a "code" member is a Coding;
  // its members are walked in name order, array elements in order; "meta"
  // objects and narrative ("text" objects) are skipped.
  // Recursion bounded by kMaxJsonDepth (16 frames).
  // NOLINTNEXTLINE(misc-no-recursion): depth <= kMaxJsonDepth
  Status Visit(const Json& value, const std::string& path, int depth) {
    if ((value.is_array() || value.is_object()) && depth > kMaxJsonDepth) {
      return Error(ErrorCode::kTooDeep, "labeler: resource nested deeper than 16");
    }
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        MEDSEAL_RETURN_IF_ERROR(Visit(value[i], path + "[" + std::to_string(i) + "]", depth + 1));
      }
      return Status::Ok();
    }
    if (!value.is_object()) return Status::Ok();
    const std::string* system = StringMember(value, "system");
    auto code = value.find("code");
    if (system != nullptr && code != value.end()) {
      if (!code->is_string()) return BadResource("a coding's code is not a string");
      const std::string& text = code->get_ref<const std::string&>();
      Match(labeler.codes_, *system, text, value, path, &result.reasons, true);
      Match(labeler.suppressed_, *system, text, value, path, &result.suppressed, false);
    }
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it->is_object() && (it.key() == "meta" || it.key() == "text")) continue;
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      MEDSEAL_RETURN_IF_ERROR(Visit(*it, child, depth + 1));
    }
    return Status::Ok();
  }
};

Result<LabelResult> Labeler::Label(const Json& resource) const {
  if (!resource.is_object()) return BadResource("a resource is not an object");
  const std::string* type = StringMember(resource, "resourceType");
  if (type == nullptr || type->empty()) return BadResource("resourceType is not a string");
  Walk walk{*this, {}, {}, {}};
  walk.result.resource_type = *type;
  if (auto id = resource.find("id"); id != resource.end()) {
    if (!id->is_string()) return BadResource("id is not a string");
    walk.result.resource_id = id->get<std::string>();
  }
  // 1. The labels the resource has (meta.security).
  int existing = -1;
  std::string existing_path;
  if (auto meta = resource.find("meta"); meta != resource.end()) {
    if (!meta->is_object()) return BadResource("meta is not an object");
    if (auto security = meta->find("security"); security != meta->end()) {
      if (!security->is_array()) return BadResource("meta.security is not an array");
      for (size_t i = 0; i < security->size(); ++i) {
        const Json& c = (*security)[i];
        if (!c.is_object()) return BadResource("a meta.security entry is not an object");
        Coding label;
        for (const char* member : {"system", "code", "display"}) {
          auto m = c.find(member);
          if (m == c.end()) continue;
          if (!m->is_string()) return BadResource("a meta.security member is not a string");
        }
        if (const std::string* s = StringMember(c, "system")) label.system = *s;
        if (const std::string* s = StringMember(c, "code")) label.code = *s;
        if (const std::string* s = StringMember(c, "display")) label.display = *s;
        if (label.code.empty()) continue;  // no code: nothing to keep
        const std::string path = "meta.security[" + std::to_string(i) + "]";
        walk.result.reasons.push_back(LabelReason{label, std::string(kRuleMetaSecurity), path, {}});
        const int rank = label.system == kConfidentialitySystem ? LevelRank(label.code) : -1;
        if (rank >= 0) {
          if (rank > existing) {
            existing = rank;
            existing_path = path;
          }
        } else {
          walk.AddLabel(label, path);
        }
      }
    }
  }
  // 2. The clinical codes (the walk skips meta and narrative).
  for (auto it = resource.begin(); it != resource.end(); ++it) {
    if (it->is_object() && (it.key() == "meta" || it.key() == "text")) continue;
    MEDSEAL_RETURN_IF_ERROR(walk.Visit(*it, it.key(), 2));
  }
  // 3. Labels, sorted; 4. the confidentiality level (high-water mark).
  int derived = kRankN;
  const Coding* cause = nullptr;
  for (const auto& [key, label] : walk.labels) {
    walk.result.labels.push_back(label);
    int rank = very_restricted_.count(key) != 0 ? kRankV : sensitive_.count(key) != 0 ? kRankR : -1;
    if (rank > derived) {
      derived = rank;
      cause = &label;
    }
  }
  const int level = std::max({existing, derived, kRankN});
  static constexpr std::string_view kNames[] = {"U", "L", "M", "N", "R", "V"};
  walk.result.confidentiality = std::string(kNames[level]);
  if (cause != nullptr && derived > existing) {
    Key key{cause->system, cause->code};
    walk.result.reasons.push_back(
        LabelReason{Coding{std::string(kConfidentialitySystem), walk.result.confidentiality,
                           std::string(LevelDisplay(derived))},
                    std::string(kRuleConfidentiality), walk.label_path[key], *cause});
  }
  return std::move(walk.result);
}

Result<std::vector<LabelResult>> Labeler::LabelAll(const Json& resource_or_bundle) const {
  if (!resource_or_bundle.is_object()) return BadResource("a resource is not an object");
  std::vector<LabelResult> out;
  const std::string* type = StringMember(resource_or_bundle, "resourceType");
  if (type == nullptr || *type != "Bundle") {
    MEDSEAL_ASSIGN_OR_RETURN(LabelResult one, Label(resource_or_bundle));
    out.push_back(std::move(one));
    return out;
  }
  auto entry = resource_or_bundle.find("entry");
  if (entry == resource_or_bundle.end()) return out;
  if (!entry->is_array()) return BadResource("Bundle.entry is not an array");
  out.reserve(entry->size());
  for (const Json& e : *entry) {
    if (!e.is_object()) return BadResource("a Bundle entry is not an object");
    auto resource = e.find("resource");
    if (resource == e.end() || !resource->is_object()) {
      return BadResource("a Bundle entry has no resource object");
    }
    MEDSEAL_ASSIGN_OR_RETURN(LabelResult one, Label(*resource));
    out.push_back(std::move(one));
  }
  return out;
}

namespace {

// The writer is hand-made rather than a Json tree and dump(): it is the
// package's only use of these shapes, and building the tree cost ~4 KB of
// wasm code (core/fhir/data/README.md, "Size").
void AppendString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool valid = IsValidUtf8(text);
  out += '"';
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b == '"' || b == '\\') {
      out += '\\';
      out += ch;
    } else if (b < 0x20) {
      out += "\\u00";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    } else if (b >= 0x80 && !valid) {
      out += "\xef\xbf\xbd";  // U+FFFD
    } else {
      out += ch;
    }
  }
  out += '"';
}

void AppendCoding(std::string& out, const Coding& c) {
  out += R"({"code":)";
  AppendString(out, c.code);
  out += R"(,"display":)";
  AppendString(out, c.display);
  out += R"(,"system":)";
  AppendString(out, c.system);
  out += '}';
}

void AppendReasons(std::string& out, const std::vector<LabelReason>& reasons) {
  out += '[';
  for (size_t i = 0; i < reasons.size(); ++i) {
    const LabelReason& r = reasons[i];
    if (i != 0) out += ',';
    out += R"({"label":)";
    AppendCoding(out, r.label);
    out += R"(,"matched":)";
    if (r.matched.code.empty()) {
      out += "null";
    } else {
      AppendCoding(out, r.matched);
    }
    out += R"(,"path":)";
    AppendString(out, r.path);
    out += R"(,"rule":)";
    AppendString(out, r.rule);
    out += '}';
  }
  out += ']';
}

}  // namespace

std::string LabelResultsToJson(const std::vector<LabelResult>& results) {
  std::string out = "[";
  for (size_t i = 0; i < results.size(); ++i) {
    const LabelResult& r = results[i];
    if (i != 0) out += ',';
    out += R"({"confidentiality":)";
    AppendString(out, r.confidentiality);
    out += R"(,"id":)";
    AppendString(out, r.resource_id);
    out += R"(,"labels":[)";
    for (size_t j = 0; j < r.labels.size(); ++j) {
      if (j != 0) out += ',';
      AppendCoding(out, r.labels[j]);
    }
    out += R"(],"reasons":)";
    AppendReasons(out, r.reasons);
    out += R"(,"resourceType":)";
    AppendString(out, r.resource_type);
    out += R"(,"suppressed":)";
    AppendReasons(out, r.suppressed);
    out += '}';
  }
  out += ']';
  return out;
}

Result<std::vector<LabelResult>> Labeler::LabelAll(std::string_view json) const {
  MEDSEAL_ASSIGN_OR_RETURN(Json parsed, ParseJsonObject(json, kMaxResourceJsonBytes));
  return LabelAll(parsed);
}

}  // namespace medseal::fhir
