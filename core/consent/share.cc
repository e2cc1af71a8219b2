// SPDX-License-Identifier: Apache-2.0
#include "core/consent/share.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/codec/base64url.h"
#include "core/codec/jcs.h"
#include "core/consent/request.h"
#include "core/consent/withdraw.h"
#include "core/record/payload.h"

namespace medseal::consent {
namespace {

bool IsFhirId(std::string_view s) {
  if (s.empty() || s.size() > kMaxRecordIdBytes) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

bool IsResourceType(std::string_view s) {
  if (s.empty() || s.size() > kMaxResourceTypeBytes) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

Status Bad(std::string message) { return Error(ErrorCode::kMalformed, std::move(message)); }

// The codings of a CodeableConcept-valued member, in document order.
Status AppendCodings(const Json& resource, std::string_view member,
                     std::vector<fhir::Coding>& out) {
  auto it = resource.find(member);
  if (it == resource.end()) return Status::Ok();
  if (!it->is_object()) return Bad("share: a code element is not a CodeableConcept");
  auto coding = it->find("coding");
  if (coding == it->end()) return Status::Ok();
  if (!coding->is_array()) return Bad("share: coding is not an array");
  for (const Json& c : *coding) {
    if (!c.is_object()) return Bad("share: a coding is not an object");
    fhir::Coding out_coding;
    for (auto [key, field] :
         {std::pair{"system", &out_coding.system}, std::pair{"code", &out_coding.code}}) {
      auto m = c.find(key);
      if (m == c.end()) continue;
      if (!m->is_string()) return Bad("share: a coding member is not a string");
      *field = m->get<std::string>();
    }
    out.push_back(std::move(out_coding));
  }
  return Status::Ok();
}

Result<fhir::DateTime> DateMember(const Json& obj, std::string_view key) {
  const Json& v = obj.find(key).value();
  if (!v.is_string()) return Bad("share: a date is not a string");
  return fhir::ParseFhirDateTime(v.get_ref<const std::string&>());
}

// spec §2.3: the first of these elements present gives the data period.
constexpr std::string_view kPeriodMembers[] = {"effectivePeriod", "period", "performedPeriod",
                                               "onsetPeriod", "occurrencePeriod"};
constexpr std::string_view kDateMembers[] = {"effectiveDateTime",
                                             "effectiveInstant",
                                             "performedDateTime",
                                             "onsetDateTime",
                                             "occurrenceDateTime",
                                             "authoredOn",
                                             "issued",
                                             "recordedDate",
                                             "date"};

Result<std::optional<fhir::Period>> DataPeriod(const Json& resource) {
  for (std::string_view m : kPeriodMembers) {
    auto it = resource.find(m);
    if (it == resource.end()) continue;
    if (!it->is_object()) return Bad("share: a Period is not an object");
    fhir::Period p;
    if (it->contains("start")) {
      MEDSEAL_ASSIGN_OR_RETURN(p.start, DateMember(*it, "start"));
    }
    if (it->contains("end")) {
      MEDSEAL_ASSIGN_OR_RETURN(p.end, DateMember(*it, "end"));
    }
    return std::optional<fhir::Period>(std::move(p));
  }
  for (std::string_view m : kDateMembers) {
    if (!resource.contains(m)) continue;
    MEDSEAL_ASSIGN_OR_RETURN(fhir::DateTime dt, DateMember(resource, m));
    fhir::Period p;
    p.start = dt;
    p.end = std::move(dt);
    return std::optional<fhir::Period>(std::move(p));
  }
  return std::optional<fhir::Period>();
}

struct ResourceHead {
  std::string type;
  std::string id;
};

Result<ResourceHead> HeadOf(const Json& resource) {
  if (!resource.is_object()) return Bad("share: a resource is not an object");
  auto t = resource.find("resourceType");
  if (t == resource.end() || !t->is_string() || !IsResourceType(t->get_ref<const std::string&>())) {
    return Bad("share: a resource without a valid resourceType");
  }
  ResourceHead head{t->get<std::string>(), ""};
  auto id = resource.find("id");
  if (id != resource.end()) {
    if (!id->is_string() || !IsFhirId(id->get_ref<const std::string&>())) {
      return Bad("share: a resource id that is not a FHIR id");
    }
    head.id = id->get<std::string>();
  }
  return head;
}

std::string IdOf(const Json& resource) {
  auto id = resource.find("id");
  return (id != resource.end() && id->is_string()) ? id->get<std::string>() : std::string();
}

}  // namespace

Result<std::vector<size_t>> CurrentConsents(std::span<const SignedConsent> consents,
                                            const PublicCard& patient) {
  if (consents.size() > kMaxShareConsents) {
    return Error(ErrorCode::kInvalidArgument, "share: too many consents");
  }
  std::map<std::string, std::pair<int64_t, size_t>> latest;  // id -> (version, index)
  std::vector<size_t> anonymous;
  for (size_t i = 0; i < consents.size(); ++i) {
    MEDSEAL_RETURN_IF_ERROR(VerifyReceipt(consents[i], patient));
    const std::string id = IdOf(consents[i].resource);
    MEDSEAL_ASSIGN_OR_RETURN(int64_t version, ResourceVersion(consents[i].resource));
    if (id.empty()) {
      anonymous.push_back(i);
      continue;
    }
    auto [it, inserted] = latest.try_emplace(id, version, i);
    if (inserted || version < it->second.first) continue;
    if (version > it->second.first) {
      it->second = {version, i};
      continue;
    }
    // The same id and version twice: the same signed bytes, or a conflict.
    MEDSEAL_ASSIGN_OR_RETURN(Bytes a, ConsentHash(consents[it->second.second]));
    MEDSEAL_ASSIGN_OR_RETURN(Bytes b, ConsentHash(consents[i]));
    if (a != b) {
      return Error(ErrorCode::kInvalidArgument, "share: two consents with one id and version");
    }
  }
  std::vector<size_t> out = std::move(anonymous);
  for (const auto& [id, vi] : latest) out.push_back(vi.second);
  std::sort(out.begin(), out.end());
  return out;
}

Result<AccessRequest> BuildAccessRequest(const Json& resource, const fhir::LabelResult& labels,
                                         const RequestActor& actor, const fhir::Coding& action,
                                         const fhir::Coding& purpose) {
  MEDSEAL_ASSIGN_OR_RETURN(ResourceHead head, HeadOf(resource));
  AccessRequest request;
  request.actor = actor;
  request.action = action;
  request.purpose = purpose;
  request.resource_type = head.type;
  request.klass.push_back(fhir::Coding{std::string(fhir::kResourceTypesSystem), head.type, ""});
  for (std::string_view m : {"code", "medicationCodeableConcept", "vaccineCode"}) {
    MEDSEAL_RETURN_IF_ERROR(AppendCodings(resource, m, request.codes));
  }
  request.security_labels = labels.labels;
  if (!labels.confidentiality.empty()) {
    request.security_labels.push_back(
        fhir::Coding{std::string(fhir::kConfidentialitySystem), labels.confidentiality, ""});
  }
  MEDSEAL_ASSIGN_OR_RETURN(request.data_period, DataPeriod(resource));
  if (!head.id.empty()) {
    fhir::Reference ref;
    ref.reference = head.type + "/" + head.id;
    request.data.push_back(std::move(ref));
  }
  return request;
}

Result<ShareResult> ShareJson(const Identity& sender, const Json& resource,
                              std::span<const SignedConsent> consents,
                              std::span<const ShareCandidate> candidates,
                              const ShareOptions& options, Rng& rng, Clock& clock) {
  // S1 arguments.
  if (options.purpose.code.empty()) {
    return Error(ErrorCode::kInvalidArgument, "share: a purpose is required");
  }
  if (candidates.empty()) return Error(ErrorCode::kInvalidArgument, "share: no candidate");
  const size_t max_candidates = kMaxRecipients - (options.vault != nullptr ? 1 : 0);
  if (candidates.size() > max_candidates) {
    return Error(ErrorCode::kInvalidArgument, "share: too many candidates");
  }
  std::vector<RequestActor> actors;
  std::vector<Bytes> seen;
  for (const ShareCandidate& c : candidates) {
    if (c.card == nullptr) return Error(ErrorCode::kInvalidArgument, "share: a null card");
    RequestActor actor = c.actor;
    if (actor.key_id.empty()) actor.key_id = c.card->key_id();
    if (actor.key_id != c.card->key_id()) {
      return Error(ErrorCode::kInvalidArgument, "share: an actor key id that is not its card's");
    }
    if (std::find(seen.begin(), seen.end(), actor.key_id) != seen.end()) {
      return Error(ErrorCode::kDuplicateRecipient, "share: two candidates with one key id");
    }
    seen.push_back(actor.key_id);
    actors.push_back(std::move(actor));
  }
  const UnixMillis now = clock.Now();
  FixedClock fixed(now);
  // S2 the consents that count, their models and hashes.
  const PublicCard& patient = options.patient != nullptr ? *options.patient : sender.card();
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<size_t> current, CurrentConsents(consents, patient));
  std::vector<fhir::Consent> models;
  std::vector<Bytes> hashes;
  for (size_t i : current) {
    MEDSEAL_ASSIGN_OR_RETURN(fhir::ParsedConsent parsed, consents[i].Model());
    models.push_back(std::move(parsed.consent));
    MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, ConsentHash(consents[i]));
    hashes.push_back(std::move(hash));
  }
  MEDSEAL_ASSIGN_OR_RETURN(ConsentSet set, ConsentSet::Compile(models));
  // S3 split.
  MEDSEAL_ASSIGN_OR_RETURN(ResourceHead top, HeadOf(resource));
  std::vector<const Json*> parts;
  if (top.type == "Bundle") {
    auto entries = resource.find("entry");
    if (entries != resource.end()) {
      if (!entries->is_array()) return Bad("share: Bundle.entry is not an array");
      for (const Json& e : *entries) {
        if (!e.is_object() || !e.contains("resource") || !e["resource"].is_object()) {
          return Bad("share: a Bundle entry without a resource");
        }
        parts.push_back(&e["resource"]);
      }
    }
  } else {
    parts.push_back(&resource);
  }
  if (parts.size() > kMaxShareResources) {
    return Error(ErrorCode::kTooLarge, "share: too many resources");
  }
  // S4 labels.
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<fhir::LabelResult> labels,
                           fhir::Labeler::Shipped().LabelAll(resource));
  if (labels.size() != parts.size()) {
    return Error(ErrorCode::kInternal, "share: the labeler saw another number of resources");
  }
  ShareResult result;
  for (size_t r = 0; r < parts.size(); ++r) {
    const Json& part = *parts[r];
    MEDSEAL_ASSIGN_OR_RETURN(ResourceHead head, HeadOf(part));
    SharedResource out;
    out.index = r;
    out.resource_type = head.type;
    out.resource_id = head.id;
    out.labels = std::move(labels[r]);
    // S5 one decision per candidate.
    std::vector<const PublicCard*> cards;
    for (size_t c = 0; c < candidates.size(); ++c) {
      MEDSEAL_ASSIGN_OR_RETURN(
          AccessRequest request,
          BuildAccessRequest(part, out.labels, actors[c], options.action, options.purpose));
      MEDSEAL_ASSIGN_OR_RETURN(Decision decision, set.Evaluate(request, now));
      if (decision.effect == Effect::kPermit) {
        cards.push_back(candidates[c].card);
        out.recipients.push_back(actors[c].key_id);
        if (decision.reason.consent_index.has_value()) {
          if (*decision.reason.consent_index >= hashes.size()) {
            return Error(ErrorCode::kInternal, "share: a decision names no input consent");
          }
          out.consent_hashes.push_back(hashes[*decision.reason.consent_index]);
        }
      }
      // The reason names the consent by its index in the caller's list.
      if (decision.reason.consent_index.has_value()) {
        if (*decision.reason.consent_index >= current.size()) {
          return Error(ErrorCode::kInternal, "share: a decision names no input consent");
        }
        decision.reason.consent_index = current[*decision.reason.consent_index];
      }
      out.decisions.push_back(CandidateDecision{actors[c].key_id, std::move(decision)});
    }
    std::sort(out.recipients.begin(), out.recipients.end(),
              [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
    std::sort(out.consent_hashes.begin(), out.consent_hashes.end(),
              [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
    out.consent_hashes.erase(std::unique(out.consent_hashes.begin(), out.consent_hashes.end()),
                             out.consent_hashes.end());
    // S6 nobody permitted: not sealed, reported.
    if (cards.empty()) {
      result.withheld.push_back(r);
      result.resources.push_back(std::move(out));
      continue;
    }
    // S7 seal.
    MEDSEAL_ASSIGN_OR_RETURN(std::string body, CanonicalizeJson(part));
    std::vector<const VaultKey*> vault_keys;
    if (options.vault != nullptr) {
      std::vector<std::string> categories;
      for (const fhir::Coding& l : out.labels.labels) categories.push_back(l.code);
      if (!out.labels.confidentiality.empty()) categories.push_back(out.labels.confidentiality);
      MEDSEAL_ASSIGN_OR_RETURN(const VaultKey* key,
                               options.vault->KeyForRecord(head.id, categories, rng));
      vault_keys.push_back(key);
      out.vault_key_id = key->key_id();
    }
    RecordContext context;
    context.purposes.push_back(RecordPurpose{options.purpose.system, options.purpose.code});
    context.consent_hashes = out.consent_hashes;
    const RecordPayload payload{kFhirJsonContentType, head.id, head.type, AsBytes(body)};
    MEDSEAL_ASSIGN_OR_RETURN(SealedRecord sealed,
                             SealRecordV2(sender, cards, vault_keys, payload, context, rng, fixed));
    if (options.vault != nullptr) {
      MEDSEAL_RETURN_IF_ERROR(options.vault->NoteSealed(head.id, sealed, out.recipients));
    }
    out.record = std::move(sealed);
    result.resources.push_back(std::move(out));
  }
  return result;
}

Result<ShareResult> Share(const Identity& sender, std::string_view resource_json,
                          std::span<const SignedConsent> consents,
                          std::span<const ShareCandidate> candidates, const ShareOptions& options,
                          Rng& rng, Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(Json resource,
                           ParseJsonObject(resource_json, fhir::kMaxResourceJsonBytes));
  return ShareJson(sender, resource, consents, candidates, options, rng, clock);
}

Result<std::vector<ShareResult>> Reseal(const Identity& sender,
                                        std::span<const SealedRecord> records,
                                        const PublicCard& original_sender,
                                        const ResealOpener& opener,
                                        std::span<const SignedConsent> consents,
                                        std::span<const ShareCandidate> candidates,
                                        const ShareOptions& options, Rng& rng, Clock& clock) {
  if ((opener.vault == nullptr) == (opener.identity == nullptr)) {
    return Error(ErrorCode::kInvalidArgument, "reseal: exactly one opener");
  }
  if (records.empty()) return Error(ErrorCode::kInvalidArgument, "reseal: no record");
  if (records.size() > kMaxShareResources) {
    return Error(ErrorCode::kTooLarge, "reseal: too many records");
  }
  const RecordPurpose purpose{options.purpose.system, options.purpose.code};
  // Open everything first: a record that cannot be opened fails the call
  // before anything is sealed.
  std::vector<Json> resources;
  for (const SealedRecord& record : records) {
    Result<OpenedPayload> opened =
        opener.vault != nullptr ? opener.vault->Open(record, original_sender, purpose)
                                : OpenRecord(record, *opener.identity, original_sender, purpose);
    if (!opened.ok()) return opened.status();
    if (opened->content_type() != kFhirJsonContentType) {
      return Bad("reseal: a record that is not FHIR JSON");
    }
    MEDSEAL_ASSIGN_OR_RETURN(Json resource,
                             ParseJsonObject(AsText(opened->body()), fhir::kMaxResourceJsonBytes));
    resources.push_back(std::move(resource));
  }
  std::vector<ShareResult> out;
  for (const Json& resource : resources) {
    MEDSEAL_ASSIGN_OR_RETURN(
        ShareResult r, ShareJson(sender, resource, consents, candidates, options, rng, clock));
    out.push_back(std::move(r));
  }
  return out;
}

// ---- JSON forms ----

namespace {

Json CodingJson(const fhir::Coding& c) {
  Json out = Json::object();
  out["system"] = c.system;
  out["code"] = c.code;
  return out;
}

Json B64List(const std::vector<Bytes>& list) {
  Json out = Json::array();
  for (const Bytes& b : list) out.push_back(Base64UrlEncode(b));
  return out;
}

Result<Json> ResultJson(const ShareResult& result) {
  Json resources = Json::array();
  for (const SharedResource& r : result.resources) {
    Json labels = Json::array();
    for (const fhir::Coding& l : r.labels.labels) labels.push_back(CodingJson(l));
    Json reasons = Json::array();
    for (const fhir::LabelReason& why : r.labels.reasons) {
      reasons.push_back(Json{{"label", CodingJson(why.label)},
                             {"rule", why.rule},
                             {"path", why.path},
                             {"matched", CodingJson(why.matched)}});
    }
    Json decisions = Json::array();
    for (const CandidateDecision& d : r.decisions) {
      Json reason = Json::object();
      if (d.decision.reason.consent_index.has_value()) {
        reason["consentIndex"] = *d.decision.reason.consent_index;
      }
      reason["consentId"] = d.decision.reason.consent_id;
      reason["provisionPath"] = d.decision.reason.provision_path;
      reason["rule"] = d.decision.reason.rule;
      decisions.push_back(Json{{"keyId", Base64UrlEncode(d.key_id)},
                               {"effect", d.decision.effect == Effect::kPermit ? "permit" : "deny"},
                               {"reason", std::move(reason)}});
    }
    Json item = Json::object();
    item["index"] = r.index;
    item["resourceType"] = r.resource_type;
    item["resourceId"] = r.resource_id;
    item["labels"] = std::move(labels);
    item["confidentiality"] = r.labels.confidentiality;
    item["reasons"] = std::move(reasons);
    item["decisions"] = std::move(decisions);
    item["record"] = r.record.has_value() ? Json(EncodeRecordJson(*r.record)) : Json(nullptr);
    item["recipients"] = B64List(r.recipients);
    item["consentHashes"] = B64List(r.consent_hashes);
    item["vaultKeyId"] = r.vault_key_id.empty() ? std::string() : Base64UrlEncode(r.vault_key_id);
    resources.push_back(std::move(item));
  }
  Json withheld = Json::array();
  for (size_t i : result.withheld) withheld.push_back(i);
  return Json{{"resources", std::move(resources)}, {"withheld", std::move(withheld)}};
}

}  // namespace

Result<ShareRequestForm> ParseShareRequestJson(std::string_view json,
                                               std::span<const PublicCard* const> cards) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxShareRequestJsonBytes));
  for (const auto& [key, value] : obj.items()) {
    if (key != "purpose" && key != "action" && key != "candidates" && key != "consents") {
      return Bad("share request: an unknown member");
    }
  }
  if (!obj.contains("purpose")) return Bad("share request: no purpose");
  if (!obj.contains("candidates") || !obj["candidates"].is_array()) {
    return Bad("share request: candidates must be an array");
  }
  if (!obj.contains("consents") || !obj["consents"].is_array()) {
    return Bad("share request: consents must be an array");
  }
  if (obj["candidates"].size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "share request: too many candidates");
  }
  if (obj["consents"].size() > kMaxShareConsents) {
    return Error(ErrorCode::kTooLarge, "share request: too many consents");
  }
  // The purpose and action are read as an AccessRequest's (request-json).
  Json head = Json::object();
  head["purpose"] = obj["purpose"];
  head["action"] = obj.contains("action") ? obj["action"] : CodingJson(ShareOptions{}.action);
  MEDSEAL_ASSIGN_OR_RETURN(AccessRequest template_request, ParseAccessRequest(head));
  ShareRequestForm form;
  form.purpose = template_request.purpose;
  form.action = template_request.action;
  for (const Json& c : obj["candidates"]) {
    if (!c.is_object()) return Bad("share request: a candidate is not an object");
    for (const auto& [key, value] : c.items()) {
      if (key != "card" && key != "actor") return Bad("share request: an unknown member");
    }
    MEDSEAL_ASSIGN_OR_RETURN(int64_t index, GetInt(c, "card"));
    if (index < 0 || static_cast<uint64_t>(index) >= cards.size()) {
      return Error(ErrorCode::kInvalidArgument, "share request: a card index out of range");
    }
    ShareCandidate candidate;
    candidate.card = cards[static_cast<size_t>(index)];
    if (c.contains("actor")) {
      Json with_actor = head;
      with_actor["actor"] = c["actor"];
      MEDSEAL_ASSIGN_OR_RETURN(AccessRequest r, ParseAccessRequest(with_actor));
      candidate.actor = std::move(r.actor);
    }
    form.candidates.push_back(std::move(candidate));
  }
  for (const Json& text : obj["consents"]) {
    if (!text.is_string()) return Bad("share request: a consent is not a receipt JSON text");
    MEDSEAL_ASSIGN_OR_RETURN(SignedConsent consent,
                             ParseReceipt(text.get_ref<const std::string&>()));
    form.consents.push_back(std::move(consent));
  }
  return form;
}

Result<std::string> WriteShareResultJson(const ShareResult& result) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ResultJson(result));
  return CanonicalizeJson(j);
}

Result<std::string> ShareFromJson(const Identity& sender, std::string_view resource_json,
                                  std::string_view request_json,
                                  std::span<const PublicCard* const> cards, Vault* vault, Rng& rng,
                                  Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(ShareRequestForm form, ParseShareRequestJson(request_json, cards));
  ShareOptions options;
  options.purpose = form.purpose;
  options.action = form.action;
  options.vault = vault;
  MEDSEAL_ASSIGN_OR_RETURN(ShareResult result, Share(sender, resource_json, form.consents,
                                                     form.candidates, options, rng, clock));
  return WriteShareResultJson(result);
}

Result<std::string> ResealFromJson(const Identity& sender, std::string_view records_json,
                                   const PublicCard& original_sender, const ResealOpener& opener,
                                   std::string_view request_json,
                                   std::span<const PublicCard* const> cards, Vault* vault, Rng& rng,
                                   Clock& clock) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(records_json, kMaxResealRecordsJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(obj, {"records"}));
  if (!obj["records"].is_array()) return Bad("reseal: records must be an array");
  if (obj["records"].size() > kMaxShareResources) {
    return Error(ErrorCode::kTooLarge, "reseal: too many records");
  }
  std::vector<SealedRecord> records;
  for (const Json& r : obj["records"]) {
    if (!r.is_string()) return Bad("reseal: a record is not a sealed record JSON text");
    MEDSEAL_ASSIGN_OR_RETURN(SealedRecord record, ParseRecordJson(r.get_ref<const std::string&>()));
    records.push_back(std::move(record));
  }
  MEDSEAL_ASSIGN_OR_RETURN(ShareRequestForm form, ParseShareRequestJson(request_json, cards));
  ShareOptions options;
  options.purpose = form.purpose;
  options.action = form.action;
  options.vault = vault;
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<ShareResult> results,
                           Reseal(sender, records, original_sender, opener, form.consents,
                                  form.candidates, options, rng, clock));
  Json list = Json::array();
  for (const ShareResult& r : results) {
    MEDSEAL_ASSIGN_OR_RETURN(Json j, ResultJson(r));
    list.push_back(std::move(j));
  }
  return CanonicalizeJson(Json{{"results", std::move(list)}});
}

}  // namespace medseal::consent
