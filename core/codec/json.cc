#include "core/codec/json.h"

#include <set>
#include <vector>

#include "core/codec/base64url.h"

namespace medseal {

Result<Json> ParseJsonObject(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) return Error(ErrorCode::kTooLarge, "json: input too large");
  std::vector<std::set<std::string>> seen;
  bool duplicate = false;
  bool too_deep = false;
  Json::parser_callback_t cb = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxJsonDepth) too_deep = true;
    switch (event) {
      case Json::parse_event_t::object_start:
        seen.emplace_back();
        break;
      case Json::parse_event_t::object_end:
        if (!seen.empty()) seen.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!seen.empty() && parsed.is_string() &&
            !seen.back().insert(parsed.get_ref<const std::string&>()).second) {
          duplicate = true;
        }
        break;
      default:
        break;
    }
    return !too_deep;  // stop building values once the depth limit is crossed
  };
  Json j = Json::parse(text.begin(), text.end(), cb, /*allow_exceptions=*/false);
  if (too_deep) return Error(ErrorCode::kMalformed, "json: nesting too deep");
  if (j.is_discarded()) return Error(ErrorCode::kMalformed, "json: syntax error");
  if (duplicate) return Error(ErrorCode::kMalformed, "json: duplicate member name");
  if (!j.is_object()) return Error(ErrorCode::kMalformed, "json: top level is not an object");
  return j;
}

Status ExpectExactKeys(const Json& obj, std::initializer_list<std::string_view> keys) {
  if (!obj.is_object()) return Error(ErrorCode::kMalformed, "json: expected an object");
  for (std::string_view k : keys) {
    if (obj.find(std::string(k)) == obj.end()) {
      return Error(ErrorCode::kMalformed, "json: missing member \"" + std::string(k) + "\"");
    }
  }
  if (obj.size() != keys.size()) return Error(ErrorCode::kMalformed, "json: unknown member");
  return Status::Ok();
}

Result<std::string> GetString(const Json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || !it->is_string()) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" is not a string");
  }
  return it->get_ref<const std::string&>();
}

Result<int64_t> GetInt(const Json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || !it->is_number_integer()) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" is not an integer");
  }
  if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" out of range");
  }
  return it->get<int64_t>();
}

Result<Bytes> GetBase64(const Json& obj, std::string_view key, size_t size, size_t max_size) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string text, GetString(obj, key));
  size_t limit = size != 0 ? size : max_size;
  if (limit != 0 && text.size() > (limit + 2) / 3 * 4) {
    return Error(size != 0 ? ErrorCode::kMalformed : ErrorCode::kTooLarge,
                 "json: \"" + std::string(key) + "\" too long");
  }
  auto bytes = Base64UrlDecode(text);
  if (!bytes.ok()) {
    return Status(bytes.status().code(), "json: \"" + std::string(key) + "\": " +
                                             bytes.status().message());
  }
  if (size != 0 && bytes->size() != size) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" has the wrong size");
  }
  return std::move(bytes).value();
}

Status ExpectTypeAndVersion(const Json& obj, std::string_view type, int64_t version) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string t, GetString(obj, "type"));
  if (t != type) return Error(ErrorCode::kMalformed, "json: unexpected \"type\"");
  MEDSEAL_ASSIGN_OR_RETURN(int64_t v, GetInt(obj, "v"));
  if (v != version) return Error(ErrorCode::kUnsupportedVersion, "json: unsupported \"v\"");
  return Status::Ok();
}

}  // namespace medseal
