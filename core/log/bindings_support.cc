// SPDX-License-Identifier: Apache-2.0
#include "core/log/bindings_support.h"

#include <span>
#include <utility>

#include "core/codec/base64url.h"
#include "core/codec/json.h"
#include "core/log/break_glass.h"
#include "core/log/event.h"

namespace medseal::tlog {
namespace {

constexpr size_t kMaxListElements = 1024;
constexpr size_t kMaxListStringBytes = 1024;

Status Malformed(const std::string& what) { return Error(ErrorCode::kMalformed, "log: " + what); }

Json Number(uint64_t n) { return Json(n); }

// A parsed JSON array of strings (each 1..1024 bytes, at most `max`).
Result<std::vector<std::string>> Strings(const Json& v, size_t max, const char* what) {
  if (!v.is_array()) return Malformed(std::string(what) + " is not an array");
  if (v.size() > max) return Error(ErrorCode::kTooLarge, std::string("log: too many ") + what);
  std::vector<std::string> out;
  for (const Json& e : v) {
    if (!e.is_string()) return Malformed(std::string(what) + ": an element is not a string");
    const auto& s = e.get_ref<const std::string&>();
    if (s.empty() || s.size() > kMaxListStringBytes) {
      return Malformed(std::string(what) + ": an element is empty or over 1024 bytes");
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

Status FetchedTiles::Add(std::string_view path, ByteView bytes) {
  MEDSEAL_ASSIGN_OR_RETURN(TileId id, ParseTilePath(path));
  if (id.entries) {
    bundles_[id] = Bytes(bytes.begin(), bytes.end());
    return Status::Ok();
  }
  return hashes_.Add(id, bytes);
}

std::string TilePathsJson(const std::vector<TileId>& ids) {
  Json out = Json::array();
  for (const TileId& id : ids) out.push_back(TilePath(id));
  return out.dump();
}

std::string AuditReportJson(const AuditReport& report) {
  Json findings = Json::array();
  for (const AuditFinding& f : report.findings) {
    Json o = Json::object();
    o["index"] = Number(f.index);
    o["code"] = std::string(ErrorCodeName(f.code));
    if (f.found_at.has_value()) o["foundAt"] = Number(*f.found_at);
    findings.push_back(std::move(o));
  }
  Json out = Json::object();
  out["checked"] = Number(report.checked);
  out["pending"] = Number(report.pending);
  out["findings"] = std::move(findings);
  return out.dump();
}

std::string CardFindingsJson(const std::vector<CardFinding>& findings) {
  Json out = Json::array();
  for (const CardFinding& f : findings) {
    Json o = Json::object();
    o["index"] = Number(f.index);
    o["keyId"] = Base64UrlEncode(f.key_id);
    o["code"] = std::string(ErrorCodeName(f.code));
    out.push_back(std::move(o));
  }
  return out.dump();
}

Result<std::string> DirectoryKeyJson(const KeyDirectory& directory, ByteView key_id) {
  const DirectoryKey* key = directory.Find(key_id);
  if (key == nullptr) {
    return Error(ErrorCode::kLogEntryMissing, "directory: no card published under this key id");
  }
  Json o = Json::object();
  o["published"] = Number(key->published);
  if (key->successor) o["successor"] = Base64UrlEncode(*key->successor);
  if (key->predecessor) o["predecessor"] = Base64UrlEncode(*key->predecessor);
  if (key->revoked) o["revoked"] = Number(*key->revoked);
  if (key->rotated) o["rotated"] = Number(*key->rotated);
  return o.dump();
}

Result<std::vector<std::string>> StringListFromJson(std::string_view json, size_t max) {
  MEDSEAL_ASSIGN_OR_RETURN(Json v, ParseJsonValue(json, kMaxSupportJsonBytes));
  return Strings(v, max, "list");
}

Result<CardWatch> CardWatchFromJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxSupportJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(j, {"names", "roles", "ownKeys"}));
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<std::string> names,
                           Strings(j["names"], kMaxListElements, "names"));
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<std::string> roles,
                           Strings(j["roles"], kMaxListElements, "roles"));
  const Json& own = j["ownKeys"];
  if (!own.is_array()) return Malformed("ownKeys is not an array");
  if (own.size() > kMaxListElements) return Error(ErrorCode::kTooLarge, "log: too many ownKeys");
  std::vector<Bytes> keys;
  for (const Json& k : own) {
    if (!k.is_string()) return Malformed("ownKeys: an element is not a string");
    MEDSEAL_ASSIGN_OR_RETURN(Bytes id, Base64UrlDecode(k.get_ref<const std::string&>()));
    if (id.size() != kKeyIdSize) return Malformed("ownKeys: a key id is not 16 bytes");
    keys.push_back(std::move(id));
  }
  return CardWatch(std::move(names), std::move(roles), std::move(keys));
}

Result<std::string> BreakGlassEventsAboutJson(ByteView framed_events, uint64_t count,
                                              ByteView patient_key_id) {
  if (patient_key_id.size() != kKeyIdSize) {
    return Error(ErrorCode::kInvalidArgument, "break-glass: patient key id is not 16 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<Bytes> encoded, ParseEntryBundles(framed_events, count));
  std::vector<SignedEvent> events;
  events.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    auto parsed = ParseEvent(encoded[i]);
    if (!parsed.ok()) {
      return Status(parsed.status().code(),
                    "events[" + std::to_string(i) + "]: " + parsed.status().message());
    }
    events.push_back(std::move(parsed).value());
  }
  Json out = Json::array();
  for (size_t p : BreakGlassEventsAbout(std::span<const SignedEvent>(events), patient_key_id)) {
    out.push_back(Number(p));
  }
  return out.dump();
}

BreakGlassAttemptParts AttemptParts(const BreakGlassAttempt& attempt) {
  BreakGlassAttemptParts parts;
  parts.code = attempt.status.code();
  parts.message = attempt.status.message();
  if (attempt.payload.has_value()) {
    const OpenedPayload& p = *attempt.payload;
    parts.body = p.body();
    parts.content_type = p.content_type();
    parts.record_id = p.record_id();
    parts.resource_type = p.resource_type();
    parts.created = p.created();
  }
  return parts;
}

BreakGlassAttachmentAttemptParts AttemptParts(const BreakGlassAttachmentAttempt& attempt) {
  BreakGlassAttachmentAttemptParts parts;
  parts.code = attempt.status.code();
  parts.message = std::string(attempt.status.message());
  if (!attempt.plaintext.has_value() || !attempt.signature.has_value()) return parts;
  Result<std::string> json = attempt.signature->ToJson();
  if (!json.ok()) {
    parts.code = json.status().code();
    parts.message = std::string(json.status().message());
    return parts;
  }
  parts.signature_json = std::move(json).value();
  parts.plaintext = RevealSecret(*attempt.plaintext);
  return parts;
}

}  // namespace medseal::tlog
