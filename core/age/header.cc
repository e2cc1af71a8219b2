// SPDX-License-Identifier: Apache-2.0
#include "core/age/header.h"

#include <algorithm>
#include <cstring>

#include "core/codec/base64.h"
#include "core/crypto/sha2.h"

namespace medseal {
namespace {

constexpr std::string_view kVersionPrefix = "age-encryption.org/";
constexpr std::string_view kVersion = "v1";
constexpr std::string_view kStanzaPrefix = "-> ";
constexpr std::string_view kMacPrefix = "--- ";
constexpr size_t kColumnsPerLine = 64;
constexpr size_t kMacBase64Size = 43;  // 32 bytes, unpadded
constexpr std::string_view kHeaderMacInfo = "header";

bool IsVchar(uint8_t c) { return c >= 0x21 && c <= 0x7e; }
bool IsBase64Char(uint8_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

Status Truncated() { return Error(ErrorCode::kTruncated, "age header: truncated"); }
Status Malformed(const char* what) {
  return Error(ErrorCode::kMalformed, std::string("age header: ") + what);
}

// One line starting at `pos`: its bytes without the LF, and whether the LF
// was found (a line without one is the end of the input: a prefix).
struct Line {
  std::string_view text;
  bool complete = false;
  size_t next = 0;  // the position after the LF (complete lines only)
};

Line NextLine(ByteView file, size_t pos) {
  const std::string_view rest = AsText(file.subspan(pos));
  const size_t lf = rest.find('\n');
  if (lf == std::string_view::npos) return Line{rest, false, file.size()};
  return Line{rest.substr(0, lf), true, pos + lf + 1};
}

// `text` is a prefix of `full` (or equal to it).
bool IsPrefixOf(std::string_view text, std::string_view full) {
  return text.size() <= full.size() && full.substr(0, text.size()) == text;
}

Status CheckVersionLine(const Line& line) {
  const std::string_view t = line.text;
  const size_t n = std::min(t.size(), kVersionPrefix.size());
  if (t.substr(0, n) != kVersionPrefix.substr(0, n)) return Malformed("not an age file");
  if (t.size() < kVersionPrefix.size()) {
    return line.complete ? Malformed("short version line") : Truncated();
  }
  const std::string_view version = t.substr(kVersionPrefix.size());
  for (char c : version) {
    if (!IsVchar(static_cast<uint8_t>(c))) return Malformed("version is not VCHAR");
  }
  if (!line.complete) {
    return IsPrefixOf(version, kVersion)
               ? Truncated()
               : Error(ErrorCode::kUnsupportedVersion, "age header: unsupported version");
  }
  if (version.empty()) return Malformed("empty version");
  if (version != kVersion) {
    return Error(ErrorCode::kUnsupportedVersion, "age header: unsupported version");
  }
  return Status::Ok();
}

// The arguments of an arg-line ("-> " already removed). A partial line is
// checked as far as it goes: kTruncated if it can still become valid.
Status ParseArguments(std::string_view text, bool complete, std::vector<std::string>& out) {
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ') {
      if (!IsVchar(static_cast<uint8_t>(text[i]))) return Malformed("argument is not VCHAR");
      continue;
    }
    if (i == start) {
      // An empty argument: at the end of a partial line it is still being written.
      if (i == text.size() && !complete) return Truncated();
      return Malformed("empty argument");
    }
    out.emplace_back(text.substr(start, i - start));
    start = i + 1;
  }
  return complete ? Status::Ok() : Truncated();
}

Result<AgeHeader> Parse(ByteView file) {
  AgeHeader header;
  Line line = NextLine(file, 0);
  MEDSEAL_RETURN_IF_ERROR(CheckVersionLine(line));
  size_t pos = line.next;
  while (true) {
    line = NextLine(file, pos);
    const std::string_view t = line.text;
    if (t.size() < 3 && !line.complete) {
      if (IsPrefixOf(t, kStanzaPrefix) || IsPrefixOf(t, kMacPrefix)) return Truncated();
      return Malformed("a line that is neither a stanza nor the MAC");
    }
    if (t.substr(0, 3) == "---") {
      if (header.stanzas.empty()) return Malformed("no recipient stanza");
      if (t.size() > kMacPrefix.size() + kMacBase64Size) return Malformed("MAC line too long");
      if (t.size() > 3 && t[3] != ' ') return Malformed("no space after ---");
      for (size_t i = kMacPrefix.size(); i < t.size(); ++i) {
        if (!IsBase64Char(static_cast<uint8_t>(t[i]))) return Malformed("MAC is not base64");
      }
      if (!line.complete) return Truncated();
      if (t.size() != kMacPrefix.size() + kMacBase64Size) return Malformed("short MAC line");
      MEDSEAL_ASSIGN_OR_RETURN(header.mac,
                               Base64Decode(t.substr(kMacPrefix.size()), Base64Padding::kNone));
      const size_t mac_input_end = pos + 3;
      header.mac_input.assign(file.begin(), file.begin() + static_cast<ptrdiff_t>(mac_input_end));
      header.size = line.next;
      return header;
    }
    if (t.substr(0, kStanzaPrefix.size()) != kStanzaPrefix) {
      return Malformed("a line that is neither a stanza nor the MAC");
    }
    if (header.stanzas.size() == kAgeMaxStanzas) {
      return Error(ErrorCode::kTooLarge, "age header: too many stanzas");
    }
    std::vector<std::string> args;
    MEDSEAL_RETURN_IF_ERROR(ParseArguments(t.substr(kStanzaPrefix.size()), line.complete, args));
    AgeStanza stanza;
    stanza.type = std::move(args.front());
    stanza.args.assign(std::make_move_iterator(args.begin() + 1),
                       std::make_move_iterator(args.end()));
    pos = line.next;
    // The body: full 64-column lines, then one shorter line (maybe empty).
    std::string body;
    while (true) {
      line = NextLine(file, pos);
      if (line.text.size() > kColumnsPerLine) return Malformed("body line longer than 64 columns");
      for (char c : line.text) {
        if (!IsBase64Char(static_cast<uint8_t>(c))) return Malformed("body is not base64");
      }
      if (!line.complete) return Truncated();
      body.append(line.text);
      pos = line.next;
      if (line.text.size() < kColumnsPerLine) break;
    }
    MEDSEAL_ASSIGN_OR_RETURN(stanza.body, Base64Decode(body, Base64Padding::kNone));
    header.stanzas.push_back(std::move(stanza));
  }
}

Status CheckToken(std::string_view token) {
  if (token.empty()) return Error(ErrorCode::kInvalidArgument, "age header: empty argument");
  for (char c : token) {
    if (!IsVchar(static_cast<uint8_t>(c))) {
      return Error(ErrorCode::kInvalidArgument, "age header: argument is not VCHAR");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<AgeHeader> ParseAgeHeader(ByteView file) {
  // A header is at most kAgeMaxHeaderBytes: parse within that many bytes, and
  // a valid prefix that fills them is too large rather than truncated.
  const ByteView limited = file.first(std::min(file.size(), kAgeMaxHeaderBytes));
  Result<AgeHeader> header = Parse(limited);
  if (!header.ok() && header.status().code() == ErrorCode::kTruncated &&
      file.size() > kAgeMaxHeaderBytes) {
    return Error(ErrorCode::kTooLarge, "age header: larger than kAgeMaxHeaderBytes");
  }
  return header;
}

Result<Bytes> EncodeAgeHeaderMacInput(const std::vector<AgeStanza>& stanzas) {
  if (stanzas.empty()) return Error(ErrorCode::kInvalidArgument, "age header: no stanza");
  if (stanzas.size() > kAgeMaxStanzas) {
    return Error(ErrorCode::kTooLarge, "age header: too many stanzas");
  }
  std::string out(kVersionPrefix);
  out.append(kVersion);
  out.push_back('\n');
  for (const AgeStanza& s : stanzas) {
    MEDSEAL_RETURN_IF_ERROR(CheckToken(s.type));
    out.append(kStanzaPrefix);
    out.append(s.type);
    for (const std::string& arg : s.args) {
      MEDSEAL_RETURN_IF_ERROR(CheckToken(arg));
      out.push_back(' ');
      out.append(arg);
    }
    out.push_back('\n');
    const std::string body = Base64Encode(s.body, Base64Padding::kNone);
    for (size_t i = 0; i < body.size(); i += kColumnsPerLine) {
      out.append(body, i, kColumnsPerLine);
      out.push_back('\n');
    }
    // The final line is shorter than 64 columns: empty if the last was full.
    if (body.size() % kColumnsPerLine == 0) out.push_back('\n');
  }
  out.append("---");
  if (out.size() + 1 + kMacBase64Size + 1 > kAgeMaxHeaderBytes) {
    return Error(ErrorCode::kTooLarge, "age header: larger than kAgeMaxHeaderBytes");
  }
  return ToBytes(out);
}

Bytes ComputeAgeHeaderMac(const SecretBytes& file_key, ByteView mac_input) {
  Result<SecretBytes> key = HkdfSha256({}, RevealSecret(file_key), AsBytes(kHeaderMacInfo),
                                       kHmacSha256Size);
  MEDSEAL_CHECK(key.ok());  // the length is a valid constant
  return HmacSha256(RevealSecret(*key), mac_input);
}

Status VerifyAgeHeaderMac(const AgeHeader& header, const SecretBytes& file_key) {
  if (file_key.size() != kAgeFileKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age header: file key is not 16 bytes");
  }
  const Bytes expected = ComputeAgeHeaderMac(file_key, header.mac_input);
  if (header.mac.size() != kAgeHeaderMacSize || !ConstantTimeEqual(expected, header.mac)) {
    return Error(ErrorCode::kHeaderMacMismatch, "age header: MAC mismatch");
  }
  return Status::Ok();
}

Result<Bytes> WriteAgeHeader(const std::vector<AgeStanza>& stanzas, const SecretBytes& file_key) {
  if (file_key.size() != kAgeFileKeySize) {
    return Error(ErrorCode::kInvalidArgument, "age header: file key is not 16 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes out, EncodeAgeHeaderMacInput(stanzas));
  const Bytes mac = ComputeAgeHeaderMac(file_key, out);
  out.push_back(' ');
  const std::string mac_text = Base64Encode(mac, Base64Padding::kNone);
  out.insert(out.end(), mac_text.begin(), mac_text.end());
  out.push_back('\n');
  return out;
}

}  // namespace medseal
