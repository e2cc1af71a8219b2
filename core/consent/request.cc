// SPDX-License-Identifier: Apache-2.0
// docs/spec/consent.md §request-json.
#include "core/consent/request.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/codec/base64url.h"

namespace medseal::consent {
namespace {

Status Malformed(std::string_view what) {
  return Error(ErrorCode::kMalformed, "request: " + std::string(what));
}

// Every member of `obj` is one of `allowed`.
Status OnlyMembers(const Json& obj, std::initializer_list<std::string_view> allowed,
                   std::string_view what) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (std::string_view a : allowed) known = known || it.key() == a;
    if (!known) return Malformed(std::string(what) + " has an unknown member");
  }
  return Status::Ok();
}

const Json* Member(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Result<std::string> Text(const Json& v, std::string_view what) {
  if (!v.is_string()) return Malformed(std::string(what) + " is not a string");
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() > kMaxRequestStringBytes) {
    return Error(ErrorCode::kTooLarge, "request: " + std::string(what) + " is too long");
  }
  return s;
}

Status OptionalText(const Json& obj, std::string_view key, std::string_view what,
                    std::string& out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return Status::Ok();
  MEDSEAL_ASSIGN_OR_RETURN(out, Text(*v, what));
  return Status::Ok();
}

Result<const Json*> List(const Json& obj, std::string_view key, std::string_view what,
                         size_t max_entries) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return static_cast<const Json*>(nullptr);
  if (!v->is_array()) return Malformed(std::string(what) + " is not an array");
  if (v->size() > max_entries) {
    return Error(ErrorCode::kTooLarge, "request: " + std::string(what) + " has too many entries");
  }
  return v;
}

Result<fhir::Coding> ParseCoding(const Json& v, std::string_view what) {
  if (!v.is_object()) return Malformed(std::string(what) + " is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(v, {"system", "code", "display"}, what));
  fhir::Coding c;
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "system", what, c.system));
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "code", what, c.code));
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "display", what, c.display));
  if (c.code.empty()) return Malformed(std::string(what) + " has no code");
  return c;
}

Result<fhir::Reference> ParseReference(const Json& v, std::string_view what) {
  if (!v.is_object()) return Malformed(std::string(what) + " is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(v, {"reference", "identifier", "display"}, what));
  fhir::Reference r;
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "reference", what, r.reference));
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "display", what, r.display));
  if (const Json* id = Member(v, "identifier")) {
    if (!id->is_object()) return Malformed(std::string(what) + ".identifier is not an object");
    MEDSEAL_RETURN_IF_ERROR(OnlyMembers(*id, {"system", "value"}, what));
    fhir::Identifier ident;
    MEDSEAL_RETURN_IF_ERROR(OptionalText(*id, "system", what, ident.system));
    MEDSEAL_RETURN_IF_ERROR(OptionalText(*id, "value", what, ident.value));
    if (ident.value.empty()) return Malformed(std::string(what) + ".identifier has no value");
    r.identifier = std::move(ident);
  }
  if (r.reference.empty() && !r.identifier) {
    return Malformed(std::string(what) + " has neither reference nor identifier");
  }
  return r;
}

template <typename T, typename Fn>
Status ParseList(const Json& obj, std::string_view key, std::string_view what, size_t max_entries,
                 std::vector<T>& out, Fn parse) {
  MEDSEAL_ASSIGN_OR_RETURN(const Json* list, List(obj, key, what, max_entries));
  if (list == nullptr) return Status::Ok();
  out.reserve(list->size());
  for (const Json& item : *list) {
    MEDSEAL_ASSIGN_OR_RETURN(T value, parse(item, what));
    out.push_back(std::move(value));
  }
  return Status::Ok();
}

Result<std::optional<fhir::Period>> ParsePeriod(const Json& obj, std::string_view key) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return std::optional<fhir::Period>();
  if (!v->is_object()) return Malformed(std::string(key) + " is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(*v, {"start", "end"}, key));
  fhir::Period p;
  for (const char* end : {"start", "end"}) {
    const Json* t = Member(*v, end);
    if (t == nullptr) continue;
    MEDSEAL_ASSIGN_OR_RETURN(std::string text, Text(*t, key));
    auto parsed = fhir::ParseFhirDateTime(text);
    if (!parsed.ok()) return Malformed(std::string(key) + " is not a FHIR dateTime");
    (std::string_view(end) == "start" ? p.start : p.end) = std::move(parsed).value();
  }
  if (p.start && p.end && p.end->hi < p.start->lo) {
    return Malformed(std::string(key) + " ends before it starts");
  }
  return std::optional<fhir::Period>(std::move(p));
}

Result<RequestActor> ParseActor(const Json& v, std::string_view what) {
  if (!v.is_object()) return Malformed(std::string(what) + " is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(v, {"keyId", "references", "roles", "careTeams"}, what));
  RequestActor a;
  if (Member(v, "keyId") != nullptr) {
    auto id = GetBase64(v, "keyId", kRequestKeyIdSize);
    if (!id.ok()) return Malformed(std::string(what) + ".keyId is not base64url of 16 bytes");
    a.key_id = std::move(id).value();
  }
  MEDSEAL_RETURN_IF_ERROR(ParseList(v, "references", "actor.references", kMaxRequestListEntries,
                                    a.references, ParseReference));
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(v, "roles", "actor.roles", kMaxRequestListEntries, a.roles, ParseCoding));
  MEDSEAL_RETURN_IF_ERROR(ParseList(v, "careTeams", "actor.careTeams", kMaxRequestListEntries,
                                    a.care_teams,
                                    [](const Json& t, std::string_view w) { return Text(t, w); }));
  for (const std::string& t : a.care_teams) {
    if (t.empty()) return Malformed("actor.careTeams has an empty id");
  }
  return a;
}

// The record members shared by a request and an Explain record.
Status ParseRecordMembers(const Json& v, RecordFacts& r) {
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "resourceType", "resourceType", r.resource_type));
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(v, "class", "class", kMaxRequestListEntries, r.klass, ParseCoding));
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(v, "codes", "codes", kMaxRequestListEntries, r.codes, ParseCoding));
  MEDSEAL_RETURN_IF_ERROR(ParseList(v, "securityLabels", "securityLabels", kMaxRequestListEntries,
                                    r.security_labels, ParseCoding));
  MEDSEAL_ASSIGN_OR_RETURN(r.data_period, ParsePeriod(v, "dataPeriod"));
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(v, "data", "data", kMaxRequestListEntries, r.data, ParseReference));
  return Status::Ok();
}

Result<RecordFacts> ParseRecord(const Json& v, std::string_view what) {
  if (!v.is_object()) return Malformed(std::string(what) + " is not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(
      v, {"id", "resourceType", "class", "codes", "securityLabels", "dataPeriod", "data"}, what));
  RecordFacts r;
  MEDSEAL_RETURN_IF_ERROR(OptionalText(v, "id", "record id", r.id));
  MEDSEAL_RETURN_IF_ERROR(ParseRecordMembers(v, r));
  return r;
}

void AppendReason(Json& out, const Reason& reason) {
  Json r = Json::object();
  if (reason.consent_index) r["consentIndex"] = *reason.consent_index;
  r["consentId"] = reason.consent_id;
  r["provisionPath"] = reason.provision_path;
  r["rule"] = reason.rule;
  out["reason"] = std::move(r);
}

}  // namespace

Result<AccessRequest> ParseAccessRequest(const Json& obj) {
  if (!obj.is_object()) return Malformed("not an object");
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(obj,
                                      {"actor", "action", "purpose", "resourceType", "class",
                                       "codes", "securityLabels", "dataPeriod", "data"},
                                      "request"));
  AccessRequest q;
  if (const Json* a = Member(obj, "actor")) {
    MEDSEAL_ASSIGN_OR_RETURN(q.actor, ParseActor(*a, "actor"));
  }
  const Json* action = Member(obj, "action");
  if (action == nullptr) return Malformed("no action");
  MEDSEAL_ASSIGN_OR_RETURN(q.action, ParseCoding(*action, "action"));
  const Json* purpose = Member(obj, "purpose");
  if (purpose == nullptr) return Malformed("no purpose");
  MEDSEAL_ASSIGN_OR_RETURN(q.purpose, ParseCoding(*purpose, "purpose"));
  RecordFacts r;
  MEDSEAL_RETURN_IF_ERROR(ParseRecordMembers(obj, r));
  q.resource_type = std::move(r.resource_type);
  q.klass = std::move(r.klass);
  q.codes = std::move(r.codes);
  q.security_labels = std::move(r.security_labels);
  q.data_period = std::move(r.data_period);
  q.data = std::move(r.data);
  return q;
}

Result<AccessRequest> ParseAccessRequestJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxRequestJsonBytes));
  return ParseAccessRequest(obj);
}

Result<ExplainQuestion> ParseExplainQuestionJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxExplainJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(OnlyMembers(obj, {"records", "candidates", "action"}, "question"));
  ExplainQuestion q;
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(obj, "records", "records", kMaxExplainRecords, q.records, ParseRecord));
  MEDSEAL_RETURN_IF_ERROR(
      ParseList(obj, "candidates", "candidates", kMaxExplainCandidates, q.candidates, ParseActor));
  if (const Json* a = Member(obj, "action")) {
    MEDSEAL_ASSIGN_OR_RETURN(q.action, ParseCoding(*a, "action"));
  } else {
    q.action = AccessAction();
  }
  return q;
}

std::string WriteDecisionJson(const Decision& decision) {
  Json out = Json::object();
  out["effect"] = decision.effect == Effect::kPermit ? "permit" : "deny";
  AppendReason(out, decision.reason);
  if (decision.permit_until) out["until"] = *decision.permit_until;
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string WriteExplanationJson(std::span<const ExplainEntry> entries,
                                 std::span<const RecordFacts> records) {
  Json list = Json::array();
  for (const ExplainEntry& e : entries) {
    Json item = Json::object();
    item["record"] = e.record;
    item["recordId"] = e.record < records.size() ? records[e.record].id : std::string();
    item["candidate"] = e.candidate;
    item["purpose"] = Json{{"system", e.purpose.system}, {"code", e.purpose.code}};
    if (e.until) item["until"] = *e.until;
    AppendReason(item, e.reason);
    list.push_back(std::move(item));
  }
  Json out = Json::object();
  out["entries"] = std::move(list);
  return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<ConsentSet> CompileConsentTexts(std::string_view texts, std::span<const uint32_t> lengths,
                                       const fhir::Terminology& terminology) {
  if (lengths.size() > kMaxConsentsPerSet) {
    return Error(ErrorCode::kTooLarge, "consents: more than the set holds");
  }
  uint64_t total = 0;
  for (uint32_t n : lengths) total += n;
  if (total != texts.size()) {
    return Error(ErrorCode::kInvalidArgument, "consents: lengths do not add up");
  }
  std::vector<fhir::Consent> consents;
  consents.reserve(lengths.size());
  size_t offset = 0;
  for (size_t i = 0; i < lengths.size(); ++i) {
    auto parsed = fhir::ParseConsentAnyVersion(texts.substr(offset, lengths[i]));
    if (!parsed.ok()) {
      return Error(parsed.status().code(),
                   "consents[" + std::to_string(i) + "]: " + parsed.status().message());
    }
    consents.push_back(std::move(parsed->consent));
    offset += lengths[i];
  }
  return ConsentSet::Compile(consents, terminology);
}

Result<std::string> EvaluateJson(const ConsentSet& consents, std::string_view request_json,
                                 UnixMillis now) {
  MEDSEAL_ASSIGN_OR_RETURN(AccessRequest request, ParseAccessRequestJson(request_json));
  MEDSEAL_ASSIGN_OR_RETURN(Decision decision, consents.Evaluate(request, now));
  return WriteDecisionJson(decision);
}

Result<std::string> ExplainJson(const ConsentSet& consents, std::string_view question_json,
                                UnixMillis now) {
  MEDSEAL_ASSIGN_OR_RETURN(ExplainQuestion q, ParseExplainQuestionJson(question_json));
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<ExplainEntry> entries,
                           Explain(consents, q.records, q.candidates, now, q.action));
  return WriteExplanationJson(entries, q.records);
}

}  // namespace medseal::consent
