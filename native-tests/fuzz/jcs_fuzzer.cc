// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for RFC 8785 canonical JSON (CanonicalizeJsonText,
// core/codec/jcs.h).
//
// For every input: CanonicalizeJsonText. A failure must be kTooLarge or
// kMalformed (the input rules). A success must be a fixed point
// (canonicalising the output again gives the same bytes) and must mean the
// same as the input: both parse, and the two values are equal with every
// number compared as the IEEE 754 double JCS reads it as. Any violation
// aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/codec/jcs.h"
#include "core/codec/json.h"

namespace {

using namespace medseal;

constexpr size_t kMaxInput = 1 << 20;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "jcs_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

double AsDouble(const Json& v) {
  if (v.is_number_unsigned()) return static_cast<double>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<double>(v.get<int64_t>());
  return v.get<double>();
}

// Equal as JSON values, numbers as doubles (JCS writes 2^53 + 1 as 2^53).
bool SameValue(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return AsDouble(a) == AsDouble(b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameValue(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !SameValue(*it, *other)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto canonical = CanonicalizeJsonText(text, kMaxInput);
  if (!canonical.ok()) {
    const ErrorCode code = canonical.status().code();
    if (code != ErrorCode::kMalformed && code != ErrorCode::kTooLarge) {
      Bug("canonicalisation failed with a code other than MALFORMED / TOO_LARGE");
    }
    return 0;
  }
  auto again = CanonicalizeJsonText(*canonical, kMaxInput + 1);
  if (!again.ok()) Bug("the canonical form does not canonicalise");
  if (*again != *canonical) Bug("the canonical form is not a fixed point");
  auto in = ParseJsonValue(text, kMaxInput);
  auto out = ParseJsonValue(*canonical, kMaxInput + 1);
  if (!in.ok() || !out.ok()) Bug("input or canonical form does not parse");
  if (!SameValue(*in, *out)) Bug("the canonical form means something else than the input");
  return 0;
}
