// SPDX-License-Identifier: Apache-2.0
#include "core/otp/otpauth.h"

#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "core/base/utf8.h"
#include "core/codec/base32.h"

namespace medseal::otp {
namespace {

constexpr std::string_view kPrefix = "otpauth://";

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// U2: the bytes a URI may hold raw. '+' (a space in form encoding) and '#'
// (a fragment) are excluded on purpose.
bool IsUriByte(char c) {
  return IsUnreserved(c) || (c != '\0' && std::strchr("!$'()*,;:@/?&=%", c) != nullptr);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Percent-decodes a label or a parameter value into UTF-8 text without
// control characters (U5, U12).
Result<std::string> Decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out.push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size()) {
      return Error(ErrorCode::kMalformed, "otpauth: truncated percent escape");
    }
    int hi = HexValue(raw[i + 1]);
    int lo = HexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return Error(ErrorCode::kMalformed, "otpauth: bad percent escape");
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  if (!IsValidUtf8(out) || HasControlCharacter(out) || out.find('\x7f') != std::string::npos) {
    return Error(ErrorCode::kMalformed, "otpauth: a name is not UTF-8 text");
  }
  return out;
}

Status CheckName(std::string_view name, const char* what) {
  if (name.size() > kOtpauthMaxNameSize) {
    return Error(ErrorCode::kTooLarge, std::string("otpauth: ") + what + " longer than 256 bytes");
  }
  if (name.find(':') != std::string_view::npos) {
    return Error(ErrorCode::kMalformed, std::string("otpauth: ':' in the ") + what);
  }
  if (!name.empty() && name[0] == ' ') {
    return Error(ErrorCode::kMalformed,
                 std::string("otpauth: the ") + what + " starts with a space");
  }
  return Status::Ok();
}

// A decimal without leading zeros ("0" itself is one), at most `max_digits` long (U10, U11).
std::optional<uint32_t> ParseDecimal(std::string_view s, size_t max_digits) {
  if (s.empty() || s.size() > max_digits || (s[0] == '0' && s.size() > 1)) return std::nullopt;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  return v;
}

void AppendEncoded(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
}

Status CheckFormatName(std::string_view name, const char* what) {
  if (name.size() > kOtpauthMaxNameSize || !IsValidUtf8(name) || HasControlCharacter(name) ||
      name.find('\x7f') != std::string_view::npos || name.find(':') != std::string_view::npos ||
      (!name.empty() && name[0] == ' ')) {
    return Error(ErrorCode::kInvalidArgument,
                 std::string("otpauth: the ") + what +
                     " must be UTF-8 text of at most 256 bytes without ':', a control character or "
                     "a leading space");
  }
  return Status::Ok();
}

struct Param {
  std::string_view name;
  std::string_view value;
};

}  // namespace

Result<SecretBytes> FormatOtpauthUri(const OtpauthKey& key) {
  MEDSEAL_RETURN_IF_ERROR(CheckTotpParams(key.params));
  if (key.secret.size() < kOtpMinSecretSize || key.secret.size() > kOtpMaxSecretSize) {
    return Error(ErrorCode::kInvalidArgument, "otpauth: secret size must be 16 to 128 bytes");
  }
  if (key.account.empty()) return Error(ErrorCode::kInvalidArgument, "otpauth: empty account");
  MEDSEAL_RETURN_IF_ERROR(CheckFormatName(key.issuer, "issuer"));
  MEDSEAL_RETURN_IF_ERROR(CheckFormatName(key.account, "account"));
  std::string uri(kPrefix);
  uri += "totp/";
  if (!key.issuer.empty()) {
    AppendEncoded(uri, key.issuer);
    uri += ':';
  }
  AppendEncoded(uri, key.account);
  uri += "?secret=";
  std::string secret = Base32Encode(RevealSecret(key.secret));
  uri += secret;
  SecureWipe(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
  if (!key.issuer.empty()) {
    uri += "&issuer=";
    AppendEncoded(uri, key.issuer);
  }
  uri += "&algorithm=";
  uri += OtpAlgorithmName(key.params.algorithm);
  uri += "&digits=" + std::to_string(key.params.digits);
  uri += "&period=" + std::to_string(key.params.period);
  SecretBytes out = SecretBytes::CopyFrom(AsBytes(uri));
  SecureWipe(reinterpret_cast<uint8_t*>(uri.data()), uri.size());
  return out;
}

Result<OtpauthKey> ParseOtpauthUri(std::string_view uri) {
  // U1, U2: size, then the byte set.
  if (uri.size() > kOtpauthMaxUriSize) {
    return Error(ErrorCode::kTooLarge, "otpauth: URI longer than 4096 bytes");
  }
  for (char c : uri) {
    if (!IsUriByte(c)) return Error(ErrorCode::kMalformed, "otpauth: a byte no URI may hold");
  }
  // U3: the scheme.
  if (uri.substr(0, kPrefix.size()) != kPrefix) {
    return Error(ErrorCode::kMalformed, "otpauth: not an otpauth:// URI");
  }
  std::string_view rest = uri.substr(kPrefix.size());
  // U4: the type.
  size_t slash = rest.find('/');
  std::string_view type = rest.substr(0, slash);
  if (type == "hotp") return Error(ErrorCode::kOtpUnsupported, "otpauth: HOTP is not supported");
  if (type != "totp" || slash == std::string_view::npos) {
    return Error(ErrorCode::kMalformed, "otpauth: the type is not totp");
  }
  rest = rest.substr(slash + 1);
  // U5: the label.
  size_t question = rest.find('?');
  if (question == std::string_view::npos) {
    return Error(ErrorCode::kMalformed, "otpauth: no parameters");
  }
  std::string_view raw_label = rest.substr(0, question);
  if (raw_label.find_first_of("/=&") != std::string_view::npos) {
    return Error(ErrorCode::kMalformed, "otpauth: '/', '=' or '&' in the label");
  }
  MEDSEAL_ASSIGN_OR_RETURN(std::string label, Decode(raw_label));
  OtpauthKey key;
  std::optional<std::string> label_issuer;
  size_t colon = label.find(':');
  if (colon != std::string::npos) {
    label_issuer = label.substr(0, colon);
    size_t start = colon + 1;
    while (start < label.size() && label[start] == ' ') ++start;
    key.account = label.substr(start);
    if (label_issuer->empty()) return Error(ErrorCode::kMalformed, "otpauth: empty issuer prefix");
    MEDSEAL_RETURN_IF_ERROR(CheckName(*label_issuer, "issuer"));
  } else {
    key.account = std::move(label);
  }
  if (key.account.empty()) return Error(ErrorCode::kMalformed, "otpauth: empty account name");
  MEDSEAL_RETURN_IF_ERROR(CheckName(key.account, "account"));
  // U6: the parameters: name=value pairs joined by '&', no name twice.
  std::vector<Param> params;
  std::string_view query = rest.substr(question + 1);
  if (query.find('?') != std::string_view::npos) {
    return Error(ErrorCode::kMalformed, "otpauth: a second '?'");
  }
  while (true) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Error(ErrorCode::kMalformed, "otpauth: a parameter is not name=value");
    }
    Param p{part.substr(0, eq), part.substr(eq + 1)};
    for (const Param& seen : params) {
      if (seen.name == p.name) return Error(ErrorCode::kMalformed, "otpauth: a repeated parameter");
    }
    params.push_back(p);
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  auto find = [&](std::string_view name) -> std::optional<std::string_view> {
    for (const Param& p : params) {
      if (p.name == name) return p.value;
    }
    return std::nullopt;
  };
  // U7, U8: the secret.
  std::optional<std::string_view> secret = find("secret");
  if (!secret) return Error(ErrorCode::kMalformed, "otpauth: no secret");
  MEDSEAL_ASSIGN_OR_RETURN(key.secret, Base32DecodeSecret(*secret));
  if (key.secret.size() < kOtpMinSecretSize) {
    return Error(ErrorCode::kOtpSecretWeak, "otpauth: secret shorter than 128 bits");
  }
  if (key.secret.size() > kOtpMaxSecretSize) {
    return Error(ErrorCode::kTooLarge, "otpauth: secret longer than 128 bytes");
  }
  // U9: the algorithm.
  if (std::optional<std::string_view> a = find("algorithm")) {
    MEDSEAL_ASSIGN_OR_RETURN(key.params.algorithm, OtpAlgorithmFromName(*a));
  }
  // U10: the digits.
  if (std::optional<std::string_view> d = find("digits")) {
    std::optional<uint32_t> v = ParseDecimal(*d, 3);
    if (!v) return Error(ErrorCode::kMalformed, "otpauth: digits is not a decimal");
    if (*v < kOtpMinDigits || *v > kOtpMaxDigits) {
      return Error(ErrorCode::kOtpUnsupported, "otpauth: digits is not 6, 7 or 8");
    }
    key.params.digits = *v;
  }
  // U11: the period.
  if (std::optional<std::string_view> p = find("period")) {
    std::optional<uint32_t> v = ParseDecimal(*p, 6);
    if (!v) return Error(ErrorCode::kMalformed, "otpauth: period is not a decimal");
    if (*v < 1 || *v > kTotpMaxPeriod) {
      return Error(ErrorCode::kOtpUnsupported, "otpauth: period is not 1 to 3600 seconds");
    }
    key.params.period = *v;
  }
  // U12: the issuer parameter, equal to the label's prefix when both exist.
  if (std::optional<std::string_view> i = find("issuer")) {
    MEDSEAL_ASSIGN_OR_RETURN(std::string issuer, Decode(*i));
    if (issuer.empty()) return Error(ErrorCode::kMalformed, "otpauth: empty issuer");
    MEDSEAL_RETURN_IF_ERROR(CheckName(issuer, "issuer"));
    if (label_issuer && *label_issuer != issuer) {
      return Error(ErrorCode::kMalformed, "otpauth: issuer differs from the label's prefix");
    }
    key.issuer = std::move(issuer);
  } else if (label_issuer) {
    key.issuer = std::move(*label_issuer);
  }
  return key;
}

}  // namespace medseal::otp
