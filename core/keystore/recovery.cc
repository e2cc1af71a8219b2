// SPDX-License-Identifier: Apache-2.0
#include "core/keystore/recovery.h"

#include <array>
#include <string_view>

#include "core/codec/byte_io.h"
#include "core/crypto/blake2b.h"

namespace medseal {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kDataDigits = kRecoveryGroupChars - 1;            // 7 per group
constexpr size_t kChecksumSize = 3;                                // whole-key checksum bytes
constexpr size_t kPayloadSize = kRecoveryKeySize + kChecksumSize;  // 35 bytes = 56 digits
static_assert(kPayloadSize * 8 == kRecoveryGroups * kDataDigits * 5);

// GF(32) = GF(2)[x] / (x^5 + x^2 + 1); alpha = x (0b00010) is primitive.
uint8_t GfMul(uint8_t a, uint8_t b) {
  uint8_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if ((b >> i) & 1) r ^= a;
    a = static_cast<uint8_t>(a << 1);
    if (a & 0x20) a ^= 0x25;
  }
  return r;
}

uint8_t AlphaPow(int e) {
  uint8_t r = 1;
  for (int i = 0; i < e; ++i) r = GfMul(r, 2);
  return r;
}

// check = sum_{i=0..6} alpha^(i+1) * d_i  +  alpha^8 * (index + 1)  in GF(32).
uint8_t GroupCheck(const uint8_t* digits, size_t index) {
  uint8_t c = GfMul(AlphaPow(8), static_cast<uint8_t>(index + 1));
  for (size_t i = 0; i < kDataDigits; ++i) {
    c ^= GfMul(AlphaPow(static_cast<int>(i) + 1), digits[i]);
  }
  return c;
}

Bytes WholeChecksum(ByteView key) {
  Bytes label = LabelBytes("medseal/v1/keystore/recovery-checksum");
  Bytes h = Blake2bConcat(32, {label, key});
  h.resize(kChecksumSize);
  return h;
}

// A typed character's digit value, or -1. Spaces and hyphens are -2 (skipped).
int DigitOf(uint8_t ch) {
  if (ch == ' ' || ch == '-' || ch == '\t' || ch == '\n' || ch == '\r') return -2;
  if (ch >= 'a' && ch <= 'z') ch = static_cast<uint8_t>(ch - 'a' + 'A');
  if (ch == 'O') ch = '0';
  if (ch == 'I' || ch == 'L') ch = '1';
  size_t pos = kAlphabet.find(static_cast<char>(ch));
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// The 64 digit values of a typed text, wiped on destruction.
struct Digits {
  std::array<uint8_t, kRecoveryGroups * kRecoveryGroupChars> v{};
  Digits() = default;
  Digits(const Digits&) = delete;
  Digits& operator=(const Digits&) = delete;
  Digits(Digits&&) = delete;
  Digits& operator=(Digits&&) = delete;
  ~Digits() { SecureWipe(v.data(), v.size()); }
};

Status Normalize(ByteView text, Digits& out) {
  if (text.size() > kRecoveryMaxInput) {
    return Error(ErrorCode::kTooLarge, "recovery key: input too long");
  }
  size_t n = 0;
  for (uint8_t ch : text) {
    int d = DigitOf(ch);
    if (d == -2) continue;
    if (d < 0)
      return Error(ErrorCode::kMalformed, "recovery key: not a Crockford base32 character");
    if (n == out.v.size()) return Error(ErrorCode::kMalformed, "recovery key: too many characters");
    out.v[n++] = static_cast<uint8_t>(d);
  }
  if (n != out.v.size()) return Error(ErrorCode::kMalformed, "recovery key: too few characters");
  return Status::Ok();
}

// Parses, filling `bad_groups`; on success `key` holds the 32 bytes.
Status Decode(ByteView text, std::vector<size_t>& bad_groups, SecretBytes& key) {
  Digits digits;
  MEDSEAL_RETURN_IF_ERROR(Normalize(text, digits));
  for (size_t g = 0; g < kRecoveryGroups; ++g) {
    const uint8_t* group = digits.v.data() + g * kRecoveryGroupChars;
    if (GroupCheck(group, g) != group[kDataDigits]) bad_groups.push_back(g);
  }
  if (!bad_groups.empty()) {
    return Error(ErrorCode::kRecoveryKeyChecksum, "recovery key: a group's check character");
  }
  SecretBytes payload(kPayloadSize);
  uint8_t* p = RevealMutableSecret(payload);
  uint32_t acc = 0;
  int bits = 0;
  size_t out = 0;
  for (size_t g = 0; g < kRecoveryGroups; ++g) {
    for (size_t i = 0; i < kDataDigits; ++i) {
      acc = (acc << 5) | digits.v[g * kRecoveryGroupChars + i];
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        p[out++] = static_cast<uint8_t>(acc >> bits);
        acc &= (1U << bits) - 1;
      }
    }
  }
  ByteView key_part(p, kRecoveryKeySize);
  if (!ConstantTimeEqual(WholeChecksum(key_part), ByteView(p + kRecoveryKeySize, kChecksumSize))) {
    return Error(ErrorCode::kRecoveryKeyChecksum, "recovery key: whole-key checksum");
  }
  key = SecretBytes::CopyFrom(key_part);
  return Status::Ok();
}

}  // namespace

SecretBytes GenerateRecoveryKey(Rng& rng) { return rng.Secret(kRecoveryKeySize); }

SecretBytes FormatRecoveryKey(const SecretBytes& key) {
  MEDSEAL_CHECK(key.size() == kRecoveryKeySize);
  SecretBytes payload(kPayloadSize);
  uint8_t* p = RevealMutableSecret(payload);
  ByteView k = RevealSecret(key);
  for (size_t i = 0; i < kRecoveryKeySize; ++i) p[i] = k[i];
  Bytes sum = WholeChecksum(k);
  for (size_t i = 0; i < kChecksumSize; ++i) p[kRecoveryKeySize + i] = sum[i];
  Digits digits;
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (size_t i = 0; i < kPayloadSize; ++i) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const size_t g = n / kDataDigits, j = n % kDataDigits;
      digits.v[g * kRecoveryGroupChars + j] = static_cast<uint8_t>((acc >> bits) & 31);
      ++n;
      acc &= (1U << bits) - 1;
    }
  }
  SecretBytes text(kRecoveryTextSize);
  uint8_t* t = RevealMutableSecret(text);
  size_t pos = 0;
  for (size_t g = 0; g < kRecoveryGroups; ++g) {
    uint8_t* group = digits.v.data() + g * kRecoveryGroupChars;
    group[kDataDigits] = GroupCheck(group, g);
    if (g > 0) t[pos++] = '-';
    for (size_t i = 0; i < kRecoveryGroupChars; ++i) t[pos++] = kAlphabet[group[i]];
  }
  return text;
}

Result<SecretBytes> ParseRecoveryKey(ByteView text) {
  std::vector<size_t> bad;
  SecretBytes key;
  MEDSEAL_RETURN_IF_ERROR(Decode(text, bad, key));
  return key;
}

RecoveryKeyDiagnosis DiagnoseRecoveryKey(ByteView text) {
  RecoveryKeyDiagnosis d;
  SecretBytes key;
  Status s = Decode(text, d.bad_groups, key);
  d.code = s.code();
  return d;
}

uint32_t RecoveryBadGroupMask(const RecoveryKeyDiagnosis& diagnosis) {
  uint32_t mask = 0;
  for (size_t g : diagnosis.bad_groups) {
    if (g < kRecoveryGroups) mask |= uint32_t{1} << g;
  }
  return mask;
}

bool RecoveryGroupValid(ByteView group, size_t index) {
  if (index >= kRecoveryGroups) return false;
  std::array<uint8_t, kRecoveryGroupChars> v{};
  size_t n = 0;
  for (uint8_t ch : group) {
    int d = DigitOf(ch);
    if (d == -2) continue;
    if (d < 0 || n == v.size()) return false;
    v[n++] = static_cast<uint8_t>(d);
  }
  bool ok = n == v.size() && GroupCheck(v.data(), index) == v[kDataDigits];
  SecureWipe(v.data(), v.size());
  return ok;
}

}  // namespace medseal
