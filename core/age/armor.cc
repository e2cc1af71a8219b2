// SPDX-License-Identifier: Apache-2.0
#include "core/age/armor.h"

#include "core/codec/base64.h"

namespace medseal {
namespace {

constexpr size_t kColumnsPerLine = 64;
constexpr size_t kBytesPerLine = kColumnsPerLine / 4 * 3;  // 48
// Whitespace tolerated before the BEGIN line and after the END line (as age
// does: more is an error, so that a reader never scans unbounded padding).
constexpr size_t kMaxWhitespace = 1024;

bool IsSpace(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool AllSpace(std::string_view s) {
  for (char c : s) {
    if (!IsSpace(static_cast<uint8_t>(c))) return false;
  }
  return true;
}

Status Malformed(const char* what) {
  return Error(ErrorCode::kArmorMalformed, std::string("age armor: ") + what);
}

// Reads lines: LF or CRLF endings; the last line may lack its LF.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  bool AtEnd() const { return pos_ >= text_.size(); }
  // The next line without its LF and one CR before it.
  std::string_view Next() {
    const size_t lf = text_.find('\n', pos_);
    std::string_view line;
    if (lf == std::string_view::npos) {
      line = text_.substr(pos_);
      pos_ = text_.size();
    } else {
      line = text_.substr(pos_, lf - pos_);
      pos_ = lf + 1;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  std::string_view Rest() const { return text_.substr(std::min(pos_, text_.size())); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Status CheckTrailing(std::string_view rest) {
  if (!AllSpace(rest)) return Malformed("data after the END line");
  if (rest.size() >= kMaxWhitespace) return Malformed("too much trailing whitespace");
  return Status::Ok();
}

}  // namespace

bool LooksArmored(ByteView file) {
  size_t i = 0;
  while (i < file.size() && IsSpace(file[i])) ++i;
  const std::string_view rest = AsText(file.subspan(i));
  return rest.substr(0, kAgeArmorBegin.size()) == kAgeArmorBegin;
}

std::string ArmorEncode(ByteView binary) {
  const std::string b64 = Base64Encode(binary, Base64Padding::kRequired);
  std::string out;
  out.reserve(b64.size() + b64.size() / kColumnsPerLine + kAgeArmorBegin.size() +
              kAgeArmorEnd.size() + 4);
  out.append(kAgeArmorBegin);
  out.push_back('\n');
  for (size_t i = 0; i < b64.size(); i += kColumnsPerLine) {
    out.append(b64, i, kColumnsPerLine);
    out.push_back('\n');
  }
  out.append(kAgeArmorEnd);
  out.push_back('\n');
  return out;
}

Result<Bytes> ArmorDecode(ByteView text) {
  if (text.size() > kAgeMaxArmoredBytes) {
    return Error(ErrorCode::kTooLarge, "age armor: larger than kAgeMaxArmoredBytes");
  }
  LineReader lines(AsText(text));
  // 1. Optional whitespace lines, then exactly the BEGIN line.
  size_t leading = 0;
  while (true) {
    if (lines.AtEnd()) return Malformed("no BEGIN line");
    const std::string_view line = lines.Next();
    if (AllSpace(line)) {
      leading += line.size() + 1;
      if (leading > kMaxWhitespace) return Malformed("too much leading whitespace");
      continue;
    }
    if (line != kAgeArmorBegin) return Malformed("the first line is not the BEGIN line");
    break;
  }
  // 2. Padded base64 lines of 64 columns; a line of fewer than 48 bytes is
  //    the last, and the END line follows; then only whitespace.
  Bytes out;
  while (true) {
    if (lines.AtEnd()) return Malformed("no END line");
    const std::string_view line = lines.Next();
    if (line == kAgeArmorEnd) break;
    if (line.empty()) return Malformed("empty line");
    if (line.size() > kColumnsPerLine) return Malformed("line longer than 64 columns");
    Result<Bytes> bytes = Base64Decode(line, Base64Padding::kRequired);
    if (!bytes.ok()) return Malformed("a line that is not canonical padded base64");
    out.insert(out.end(), bytes->begin(), bytes->end());
    if (bytes->size() < kBytesPerLine) {
      if (lines.AtEnd() || lines.Next() != kAgeArmorEnd) {
        return Malformed("a short line that is not followed by the END line");
      }
      break;
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckTrailing(lines.Rest()));
  return out;
}

}  // namespace medseal
