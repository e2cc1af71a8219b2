// Strict, non-throwing JSON helpers. nlohmann/json is only ever used through
// parse(..., allow_exceptions = false) and type checks before every read.
#ifndef MEDSEAL_CORE_CODEC_JSON_H_
#define MEDSEAL_CORE_CODEC_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 16;

// Parses `text` as one JSON value. Rejects: input over `max_bytes`
// (kTooLarge), invalid JSON or UTF-8, nesting deeper than kMaxJsonDepth and
// duplicate member names (kMalformed). The top level must be an object.
Result<Json> ParseJsonObject(std::string_view text, size_t max_bytes);

// Checks that `obj` has exactly the members in `keys` (kMalformed otherwise).
Status ExpectExactKeys(const Json& obj, std::initializer_list<std::string_view> keys);

// Typed member access; the member must exist (checked by ExpectExactKeys).
Result<std::string> GetString(const Json& obj, std::string_view key);
Result<int64_t> GetInt(const Json& obj, std::string_view key);
// A base64url member of exactly `size` bytes (size 0: any length up to max).
Result<Bytes> GetBase64(const Json& obj, std::string_view key, size_t size,
                        size_t max_size = 0);

// Checks a {"type": ..., "v": ...} envelope: wrong type is kMalformed, a
// version other than `version` is kUnsupportedVersion.
Status ExpectTypeAndVersion(const Json& obj, std::string_view type, int64_t version);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_JSON_H_
