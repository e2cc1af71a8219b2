// SPDX-License-Identifier: Apache-2.0
// Strict, non-throwing JSON helpers: the general JSON rules G1-G8 of
// docs/spec/record.md §1.2 and typed member access. nlohmann/json is only
// ever used through its non-throwing SAX parser and type checks before every
// read.
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
// The same JSON values with members kept in document order (FHIR readers
// report paths in document order and writers emit FHIR's element order).
using OrderedJson = nlohmann::ordered_json;

// The top-level object is at depth 1 and every object or array inside a
// value at depth d is at depth d + 1; no object or array may be deeper.
inline constexpr int kMaxJsonDepth = 16;
// The largest magnitude of a JSON integer medseal reads (2^53 - 1, the
// largest integer a JavaScript number holds exactly; I-JSON, RFC 7493 §2.2).
inline constexpr int64_t kMaxJsonInteger = (int64_t{1} << 53) - 1;

// Parses `text` as one JSON object, applying spec §1.2's rules in order:
// more than `max_bytes` bytes (G1) is kTooLarge; a UTF-8 byte order mark at
// the start (G2), a 0x00 byte anywhere (G3), invalid UTF-8 or a \u escape of
// a lone surrogate (G4), anything but one JSON value with optional
// whitespace around it (G5), an object or array deeper than kMaxJsonDepth
// (G6), a member name twice in one object, compared after unescaping (G7),
// and a top level other than an object (G8) are kMalformed. Parsing stops at
// the first rule broken, so deep nesting costs no memory.
Result<Json> ParseJsonObject(std::string_view text, size_t max_bytes);

// The same rules G1-G8 with members kept in document order and a caller's
// depth limit instead of kMaxJsonDepth (FHIR resources nest deeper than
// medseal's own formats). Here a document deeper than `max_depth` is
// kTooDeep (not kMalformed): docs/spec/fhir-consent.md rule FC3.
Result<OrderedJson> ParseOrderedJsonObject(std::string_view text, size_t max_bytes, int max_depth);

// The same rules G1-G7 for any top-level value (no G8), for RFC 8785 (JCS)
// input and for envelopes that nest a whole document one level down
// (`max_depth`, kMaxJsonDepth by default, replaces G6's limit; deeper is
// kMalformed as in G6). All these parsers refuse a number that overflows
// an IEEE 754 double (1e400) as kMalformed under G5 (nlohmann reports it
// as a parse error), so every parsed number is finite (I-JSON, RFC 7493
// §2.2); one that underflows reads as the nearest double (1e-400 is 0).
Result<Json> ParseJsonValue(std::string_view text, size_t max_bytes, int max_depth = kMaxJsonDepth);

// Checks that `obj` has exactly the members in `keys` (kMalformed otherwise).
Status ExpectExactKeys(const Json& obj, std::initializer_list<std::string_view> keys);

// Typed member access; the member must exist (checked by ExpectExactKeys).
// kMalformed if it is not a string.
Result<std::string> GetString(const Json& obj, std::string_view key);
// kMalformed unless the member is a JSON integer (spec §1.2): a number
// written without fraction or exponent, not -0, of magnitude at most
// kMaxJsonInteger. 1.0, 1e0, -0, 2^53 and "1" are not integers.
Result<int64_t> GetInt(const Json& obj, std::string_view key);
// A base64url member (spec §1.1, rules D1-D4 in order, their codes), then
// its decoded length: `size` != 0 demands exactly `size` bytes (else
// kMalformed); `size` == 0 accepts any length up to `max_size` (longer:
// kTooLarge; max_size 0: no limit). Lengths count decoded bytes; the string
// itself has no length limit here (the input limit G1 bounds it).
Result<Bytes> GetBase64(const Json& obj, std::string_view key, size_t size, size_t max_size = 0);

// Checks a {"type": ..., "v": ...} envelope: `type` missing, not a string or
// not `type` is kMalformed; `v` missing or not an integer is kMalformed; an
// integer other than `version` is kUnsupportedVersion.
Status ExpectTypeAndVersion(const Json& obj, std::string_view type, int64_t version);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_JSON_H_
