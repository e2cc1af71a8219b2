// SPDX-License-Identifier: Apache-2.0
// RFC 8785 JSON Canonicalization Scheme (JCS): members sorted by their
// UTF-16 code units, no whitespace, strings escaped minimally, numbers
// written as ECMAScript's Number.prototype.toString does.
#ifndef MEDSEAL_CORE_CODEC_JCS_H_
#define MEDSEAL_CORE_CODEC_JCS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/status.h"
#include "core/codec/json.h"

namespace medseal {

// The input limit the npm package's canonicalizeJson applies (16 MiB).
inline constexpr size_t kMaxJcsTextBytes = 16u << 20;

// The canonical form of a parsed value. kInvalidArgument for a number that is
// not finite (cannot occur in parsed JSON) and for invalid UTF-8 in a string.
Result<std::string> CanonicalizeJson(const Json& value);
// Parses `text` (any JSON value; the input rules of RFC 8785 §3.1 and
// I-JSON: no duplicate member names, valid UTF-8, numbers that are finite
// IEEE 754 doubles; at most `max_bytes`) and returns its canonical form.
Result<std::string> CanonicalizeJsonText(std::string_view text, size_t max_bytes);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_JCS_H_
