// SPDX-License-Identifier: Apache-2.0
#include "core/codec/json.h"

#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/codec/base64url.h"

namespace medseal {
namespace {

// Which of spec §1.2's rules G5-G7 stopped the parse.
enum class JsonFault { kNone, kSyntax, kTooDeep, kDuplicate };

// Builds the document from nlohmann's SAX events, enforcing the depth limit
// (G6) and unique member names (G7) as it goes, and stopping at the first
// fault: nothing is built beyond the 16th level, and no input makes the
// parser keep state for nesting it has already refused.
template <typename J>
class StrictBuilder {
 public:
  explicit StrictBuilder(int max_depth) : max_depth_(max_depth) {}
  using number_integer_t = typename J::number_integer_t;
  using number_unsigned_t = typename J::number_unsigned_t;
  using number_float_t = typename J::number_float_t;
  using string_t = typename J::string_t;
  using binary_t = typename J::binary_t;

  bool null() { return Value(J(nullptr)); }
  bool boolean(bool b) { return Value(J(b)); }
  // nlohmann reads a number written with a leading '-' as number_integer
  // and one without as number_unsigned, so a number_integer of value 0 was
  // written -0: the type is kept, and GetInt can tell -0 from 0.
  bool number_integer(number_integer_t n) { return Value(J(n)); }
  bool number_unsigned(number_unsigned_t n) { return Value(J(n)); }
  bool number_float(number_float_t d, const string_t& /*lexeme*/) { return Value(J(d)); }
  bool string(string_t& s) { return Value(J(std::move(s))); }
  bool binary(binary_t& /*unused*/) { return Fault(JsonFault::kSyntax); }  // never from JSON text
  bool start_object(std::size_t /*unused*/) { return Open(J::object()); }
  bool key(string_t& name) {
    // Names arrive unescaped: "kid" and "k\u0069d" are the same name.
    if (open_.back()->contains(name)) return Fault(JsonFault::kDuplicate);
    key_ = std::move(name);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t /*unused*/) { return Open(J::array()); }
  bool end_array() { return Close(); }
  template <typename Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const Exception& /*ex*/) {
    return Fault(JsonFault::kSyntax);
  }

  JsonFault fault() const { return fault_; }
  J& root() { return root_; }

 private:
  bool Fault(JsonFault f) {
    if (fault_ == JsonFault::kNone) fault_ = f;
    return false;  // stops the parser
  }
  // Adds `v` to the innermost open container (or makes it the root) and
  // returns where it now lives. A pointer into an array stays valid while
  // that element is the innermost open container: nothing is appended to
  // the array until the element is closed.
  J* Insert(J v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    J& top = *open_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    J& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }
  bool Value(J v) {
    Insert(std::move(v));
    return true;
  }
  bool Open(J container) {
    // The container being opened is at depth open_.size() + 1.
    if (open_.size() + 1 > static_cast<size_t>(max_depth_)) return Fault(JsonFault::kTooDeep);
    open_.push_back(Insert(std::move(container)));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  J root_;
  std::vector<J*> open_;
  std::string key_;
  JsonFault fault_ = JsonFault::kNone;
  int max_depth_;
};

// Rules G1-G8 of spec §1.2 for any nlohmann basic_json specialization;
// `depth_code` is the code for a document deeper than `max_depth` (G6); G8
// only when `object_only`.
template <typename J>
Result<J> ParseStrict(std::string_view text, size_t max_bytes, int max_depth, ErrorCode depth_code,
                      bool object_only = true) {
  if (text.size() > max_bytes) return Error(ErrorCode::kTooLarge, "json: input too large");  // G1
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {  // G2: nlohmann would skip it silently
    return Error(ErrorCode::kMalformed, "json: byte order mark");
  }
  if (text.find('\0') != std::string_view::npos) {  // G3: nlohmann stops reading at a NUL
    return Error(ErrorCode::kMalformed, "json: NUL byte");
  }
  if (!IsValidUtf8(text)) return Error(ErrorCode::kMalformed, "json: invalid UTF-8");  // G4
  StrictBuilder<J> builder(max_depth);
  // G4 (lone surrogate escapes), G5, G6 and G7, in one pass; strict: nothing
  // but whitespace may follow the value.
  const bool ok = J::sax_parse(text.begin(), text.end(), &builder, J::input_format_t::json,
                               /*strict=*/true);
  switch (builder.fault()) {
    case JsonFault::kTooDeep: return Error(depth_code, "json: nesting too deep");
    case JsonFault::kDuplicate: return Error(ErrorCode::kMalformed, "json: duplicate member name");
    case JsonFault::kSyntax: return Error(ErrorCode::kMalformed, "json: syntax error");
    case JsonFault::kNone: break;
  }
  if (!ok) return Error(ErrorCode::kMalformed, "json: syntax error");
  J j = std::move(builder.root());
  if (object_only && !j.is_object())
    return Error(ErrorCode::kMalformed, "json: top level is not an object");  // G8
  return j;
}

}  // namespace

Result<Json> ParseJsonObject(std::string_view text, size_t max_bytes) {
  return ParseStrict<Json>(text, max_bytes, kMaxJsonDepth, ErrorCode::kMalformed);
}

Result<Json> ParseJsonValue(std::string_view text, size_t max_bytes, int max_depth) {
  return ParseStrict<Json>(text, max_bytes, max_depth, ErrorCode::kMalformed,
                           /*object_only=*/false);
}

Result<OrderedJson> ParseOrderedJsonObject(std::string_view text, size_t max_bytes, int max_depth) {
  return ParseStrict<OrderedJson>(text, max_bytes, max_depth, ErrorCode::kTooDeep);
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
  // Fractions, exponents and integers beyond 2^64 - 1 are number_float.
  if (it == obj.end() || !it->is_number_integer()) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" is not an integer");
  }
  if (it->is_number_unsigned()) {
    const auto u = it->get<uint64_t>();
    if (u > static_cast<uint64_t>(kMaxJsonInteger)) {
      return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" out of range");
    }
    return static_cast<int64_t>(u);
  }
  // Written with a leading '-' (see StrictBuilder::number_integer).
  const auto n = it->get<int64_t>();
  if (n == 0) return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" is -0");
  if (n < -kMaxJsonInteger) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" out of range");
  }
  return n;
}

Result<Bytes> GetBase64(const Json& obj, std::string_view key, size_t size, size_t max_size) {
  MEDSEAL_ASSIGN_OR_RETURN(std::string text, GetString(obj, key));
  auto bytes = Base64UrlDecode(text);
  if (!bytes.ok()) {
    return Status(bytes.status().code(),
                  "json: \"" + std::string(key) + "\": " + bytes.status().message());
  }
  if (size != 0 && bytes->size() != size) {
    return Error(ErrorCode::kMalformed, "json: \"" + std::string(key) + "\" has the wrong size");
  }
  if (size == 0 && max_size != 0 && bytes->size() > max_size) {
    return Error(ErrorCode::kTooLarge, "json: \"" + std::string(key) + "\" too long");
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
