// SPDX-License-Identifier: Apache-2.0
#include "core/record/sealed_record.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/codec/json.h"
#include "core/crypto/aead.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"
#include "core/identity/card.h"
#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"
#include "core/record/payload.h"

namespace medseal {
namespace {

constexpr uint8_t kMagic[4] = {'m', 's', 'r', 'c'};
constexpr std::string_view kRecordType = "medseal.record";
constexpr size_t kStanzaSize = kKeyIdSize + kWrappedKeySize;
// Largest encoded payload: three length-prefixed strings, created, body length, body.
constexpr size_t kMaxEncodedPayload = 1 + kMaxContentTypeBytes + 1 + kMaxRecordIdBytes + 1 +
                                      kMaxResourceTypeBytes + 8 + 4 + kMaxBodyBytes;

size_t MaxCiphertextSize() { return PaddedSize(kMaxEncodedPayload + 1) + kAeadTagSize; }

struct ByteOrder {
  bool operator()(const Bytes& a, const Bytes& b) const { return BytesLess(a, b); }
};

static_assert(kXWingStanzaBodySize == kXWingCiphertextSize + kWrappedKeySize);

// The body size of a known stanza type (spec §5.3), or 0 for a type this
// build does not know.
size_t KnownStanzaBodySize(uint8_t type) {
  switch (type) {
    case kStanzaX25519:
    case kStanzaVault: return kWrappedKeySize;
    case kStanzaXWing: return kXWingStanzaBodySize;
    default: return 0;
  }
}

// Whether a stanza's wrap of the data key resists a quantum adversary
// (spec §5.3, §7): X-Wing (type 3) and the symmetric vault key (type 2),
// not X25519 (type 1); of an unknown type this build cannot say, so no.
bool IsPostQuantumStanza(uint8_t type) { return type == kStanzaXWing || type == kStanzaVault; }

// The v2 order of stanzas (spec §5.1): type, then key id.
bool StanzaLess(const RecipientStanza& a, const RecipientStanza& b) {
  if (a.type != b.type) return a.type < b.type;
  return BytesLess(a.key_id, b.key_id);
}

void U16(ByteWriter& w, uint16_t v) {
  w.U8(static_cast<uint8_t>(v & 0xff));
  w.U8(static_cast<uint8_t>(v >> 8));
}

bool ReadU16(ByteReader& rd, uint16_t& v) {
  uint8_t lo = 0, hi = 0;
  if (!rd.U8(lo) || !rd.U8(hi)) return false;
  v = static_cast<uint16_t>(lo | (hi << 8));
  return true;
}

}  // namespace

bool PurposeLess(const RecordPurpose& a, const RecordPurpose& b) {
  const int by_system = a.system.compare(b.system);
  if (by_system != 0) return by_system < 0;
  return a.code.compare(b.code) < 0;
}

namespace internal {

// Recipient list rules (spec §4.6): 1..64 stanzas, no key id twice, sorted by
// key id in ascending byte order. Duplicates are reported before order.
Status CheckRecipients(const std::vector<RecipientStanza>& stanzas) {
  if (stanzas.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (stanzas.size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "record: too many recipients");
  }
  std::set<Bytes, ByteOrder> ids;
  for (const auto& s : stanzas) {
    if (!ids.insert(s.key_id).second) {
      return Error(ErrorCode::kDuplicateRecipient, "record: recipient listed twice");
    }
  }
  for (size_t i = 1; i < stanzas.size(); ++i) {
    if (!BytesLess(stanzas[i - 1].key_id, stanzas[i].key_id)) {
      return Error(ErrorCode::kNonCanonical, "record: recipients not sorted by key id");
    }
  }
  return Status::Ok();
}

// B11 compares L itself with the largest ciphertext, so that no L wraps
// around; B12 then gives every L below the smallest one NON_CANONICAL.
Status CheckCiphertextSize(size_t size) {
  if (size > MaxCiphertextSize()) {
    return Error(ErrorCode::kTooLarge, "record: ciphertext too large");
  }
  if (size < kAeadTagSize + kMinPaddedSize ||
      PaddedSize(size - kAeadTagSize) != size - kAeadTagSize) {
    return Error(ErrorCode::kNonCanonical, "record: ciphertext length is not a padded size");
  }
  return Status::Ok();
}

// One purpose (spec §5.5 W5, W6): the code over 64 bytes (or, when not
// read from the binary form, the system over 255) is kTooLarge; an empty
// system or code, or a byte outside 0x21..0x7e, is `code`.
Status CheckPurpose(const RecordPurpose& p, ErrorCode code) {
  if (p.system.size() > kMaxPurposeSystemBytes || p.code.size() > kMaxPurposeCodeBytes) {
    return Error(ErrorCode::kTooLarge, "record: purpose system or code too long");
  }
  auto printable = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  };
  if (!printable(p.system) || !printable(p.code)) {
    return Error(code, "record: purpose system and code must be 1+ printable ASCII characters");
  }
  return Status::Ok();
}

// W7: strictly ascending (so no purpose twice).
Status CheckPurposeOrder(const std::vector<RecordPurpose>& purposes) {
  for (size_t i = 1; i < purposes.size(); ++i) {
    if (!PurposeLess(purposes[i - 1], purposes[i])) {
      return Error(ErrorCode::kNonCanonical, "record: purposes not sorted, or one twice");
    }
  }
  return Status::Ok();
}

// W11: strictly ascending (so no hash twice).
Status CheckConsentHashOrder(const std::vector<Bytes>& hashes) {
  for (size_t i = 1; i < hashes.size(); ++i) {
    if (!BytesLess(hashes[i - 1], hashes[i])) {
      return Error(ErrorCode::kNonCanonical, "record: consent hashes not sorted, or one twice");
    }
  }
  return Status::Ok();
}

// W19: a stanza of a known type has its type's body size (48 bytes for
// types 1 and 2, 1168 for type 3).
Status CheckStanzaBody(const RecipientStanza& s) {
  const size_t expected = KnownStanzaBodySize(s.type);
  if (expected != 0 && s.wrapped_key.size() != expected) {
    return Error(ErrorCode::kMalformed, "record: a stanza of a known type has the wrong size");
  }
  return Status::Ok();
}

// W20, W21: no (type, key id) twice, then ascending by (type, key id).
Status CheckStanzasV2(const std::vector<RecipientStanza>& stanzas) {
  std::set<Bytes, ByteOrder> ids;
  for (const auto& s : stanzas) {
    Bytes key{s.type};
    key.insert(key.end(), s.key_id.begin(), s.key_id.end());
    if (!ids.insert(std::move(key)).second) {
      return Error(ErrorCode::kDuplicateRecipient, "record: recipient listed twice");
    }
  }
  for (size_t i = 1; i < stanzas.size(); ++i) {
    if (!StanzaLess(stanzas[i - 1], stanzas[i])) {
      return Error(ErrorCode::kNonCanonical, "record: stanzas not sorted by type and key id");
    }
  }
  return Status::Ok();
}

Status CheckStructure(const SealedRecord& r) {
  if (r.version != kRecordVersion1 && r.version != kRecordVersion2) {
    return Error(ErrorCode::kUnsupportedVersion, "record: unsupported version");
  }
  if (r.sender_key_id.size() != kKeyIdSize || r.nonce.size() != kXChaChaNonceSize ||
      r.ephemeral_key.size() != kX25519KeySize || r.signature.size() != kRecordSignatureSize) {
    return Error(ErrorCode::kMalformed, "record: a header field has the wrong size");
  }
  if (r.version == kRecordVersion1) {
    if (!r.purposes.empty() || !r.consent_hashes.empty()) {
      return Error(ErrorCode::kMalformed, "record: a v1 record carries no purposes");
    }
    for (const auto& s : r.recipients) {
      if (s.type != kStanzaX25519 || s.key_id.size() != kKeyIdSize ||
          s.wrapped_key.size() != kWrappedKeySize) {
        return Error(ErrorCode::kMalformed, "record: a recipient stanza has the wrong size");
      }
    }
    MEDSEAL_RETURN_IF_ERROR(CheckRecipients(r.recipients));
    return CheckCiphertextSize(r.ciphertext.size());
  }
  if (r.purposes.empty()) return Error(ErrorCode::kMalformed, "record: no purposes");
  if (r.purposes.size() > kMaxRecordPurposes) {
    return Error(ErrorCode::kTooLarge, "record: too many purposes");
  }
  for (const auto& p : r.purposes) MEDSEAL_RETURN_IF_ERROR(CheckPurpose(p, ErrorCode::kMalformed));
  MEDSEAL_RETURN_IF_ERROR(CheckPurposeOrder(r.purposes));
  if (r.consent_hashes.size() > kMaxConsentHashes) {
    return Error(ErrorCode::kTooLarge, "record: too many consent hashes");
  }
  for (const auto& h : r.consent_hashes) {
    if (h.size() != kConsentHashSize) {
      return Error(ErrorCode::kMalformed, "record: a consent hash has the wrong size");
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckConsentHashOrder(r.consent_hashes));
  if (r.recipients.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (r.recipients.size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "record: too many recipients");
  }
  for (const auto& s : r.recipients) {
    if (s.type == 0 || s.key_id.size() != kKeyIdSize) {
      return Error(ErrorCode::kMalformed, "record: a recipient stanza is malformed");
    }
    if (s.wrapped_key.size() > kMaxStanzaBodyBytes) {
      return Error(ErrorCode::kTooLarge, "record: a stanza body is too large");
    }
    MEDSEAL_RETURN_IF_ERROR(CheckStanzaBody(s));
  }
  MEDSEAL_RETURN_IF_ERROR(CheckStanzasV2(r.recipients));
  return CheckCiphertextSize(r.ciphertext.size());
}

}  // namespace internal

Bytes SealedRecord::HeaderBytes() const {
  Bytes out;
  out.reserve(82 + recipients.size() * (kStanzaSize + 3));
  ByteWriter w(out);
  w.Raw(ByteView(kMagic, 4));
  w.U8(version);
  w.Raw(sender_key_id);
  w.Raw(nonce);
  w.Raw(ephemeral_key);
  if (version != kRecordVersion1) {
    w.U8(static_cast<uint8_t>(purposes.size()));
    for (const auto& p : purposes) {
      w.Str8(p.system);
      w.Str8(p.code);
    }
    w.U8(static_cast<uint8_t>(consent_hashes.size()));
    for (const auto& h : consent_hashes) w.Raw(h);
  }
  w.U8(static_cast<uint8_t>(recipients.size()));
  for (const auto& s : recipients) {
    if (version != kRecordVersion1) w.U8(s.type);
    w.Raw(s.key_id);
    if (version != kRecordVersion1) U16(w, static_cast<uint16_t>(s.wrapped_key.size()));
    w.Raw(s.wrapped_key);
  }
  w.U32(static_cast<uint32_t>(ciphertext.size()));
  return out;
}

Bytes EncodeRecordBinary(const SealedRecord& r) {
  Bytes out = r.HeaderBytes();
  out.reserve(out.size() + r.ciphertext.size() + r.signature.size());
  out.insert(out.end(), r.ciphertext.begin(), r.ciphertext.end());
  out.insert(out.end(), r.signature.begin(), r.signature.end());
  return out;
}

namespace {

// B10-B14 (v1) and W22-W26 (v2): L, the ciphertext, the signature, and
// nothing after it.
Status ReadBinaryTail(ByteReader& rd, SealedRecord& r) {
  uint32_t ct_len = 0;
  if (!rd.U32(ct_len)) return Error(ErrorCode::kTruncated, "record: truncated header");
  MEDSEAL_RETURN_IF_ERROR(internal::CheckCiphertextSize(ct_len));
  ByteView ct, sig;
  if (!rd.Raw(ct_len, ct) || !rd.Raw(kRecordSignatureSize, sig)) {
    return Error(ErrorCode::kTruncated, "record: truncated body");
  }
  if (rd.remaining() != 0) return Error(ErrorCode::kTrailingData, "record: trailing bytes");
  r.ciphertext.assign(ct.begin(), ct.end());
  r.signature.assign(sig.begin(), sig.end());
  return Status::Ok();
}

// Spec §5.5, rules W1-W26, after the magic and the version byte 2.
Result<SealedRecord> ParseBinaryV2(ByteReader& rd) {
  SealedRecord r;
  r.version = kRecordVersion2;
  ByteView sender, nonce, eph;
  uint8_t count = 0;
  if (!rd.Raw(kKeyIdSize, sender) || !rd.Raw(kXChaChaNonceSize, nonce) ||
      !rd.Raw(kX25519KeySize, eph) || !rd.U8(count)) {
    return Error(ErrorCode::kTruncated, "record: truncated header");  // W1
  }
  r.sender_key_id.assign(sender.begin(), sender.end());
  r.nonce.assign(nonce.begin(), nonce.end());
  r.ephemeral_key.assign(eph.begin(), eph.end());
  if (count == 0) return Error(ErrorCode::kMalformed, "record: no purposes");  // W2
  if (count > kMaxRecordPurposes)
    return Error(ErrorCode::kTooLarge, "record: too many purposes");  // W3
  for (uint8_t i = 0; i < count; ++i) {
    uint8_t system_len = 0, code_len = 0;
    ByteView system, code;
    if (!rd.U8(system_len) || !rd.Raw(system_len, system) || !rd.U8(code_len) ||
        !rd.Raw(code_len, code)) {
      return Error(ErrorCode::kTruncated, "record: truncated purpose");  // W4
    }
    RecordPurpose p{std::string(AsText(system)), std::string(AsText(code))};
    MEDSEAL_RETURN_IF_ERROR(internal::CheckPurpose(p, ErrorCode::kMalformed));  // W5, W6
    r.purposes.push_back(std::move(p));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckPurposeOrder(r.purposes));                    // W7
  if (!rd.U8(count)) return Error(ErrorCode::kTruncated, "record: truncated header");  // W8
  if (count > kMaxConsentHashes) {
    return Error(ErrorCode::kTooLarge, "record: too many consent hashes");  // W9
  }
  for (uint8_t i = 0; i < count; ++i) {
    ByteView h;
    if (!rd.Raw(kConsentHashSize, h)) {
      return Error(ErrorCode::kTruncated, "record: truncated consent hashes");  // W10
    }
    r.consent_hashes.emplace_back(h.begin(), h.end());
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckConsentHashOrder(r.consent_hashes));          // W11
  if (!rd.U8(count)) return Error(ErrorCode::kTruncated, "record: truncated header");  // W12
  if (count == 0) return Error(ErrorCode::kMalformed, "record: no recipients");        // W13
  if (count > kMaxRecipients) return Error(ErrorCode::kTooLarge, "record: too many recipients");
  for (uint8_t i = 0; i < count; ++i) {
    RecipientStanza st;
    ByteView kid, body;
    uint16_t body_len = 0;
    if (!rd.U8(st.type) || !rd.Raw(kKeyIdSize, kid) || !ReadU16(rd, body_len)) {
      return Error(ErrorCode::kTruncated, "record: truncated stanza");  // W15
    }
    if (st.type == 0) return Error(ErrorCode::kMalformed, "record: stanza type 0");  // W16
    if (body_len > kMaxStanzaBodyBytes) {
      return Error(ErrorCode::kTooLarge, "record: stanza body too large");  // W17
    }
    if (!rd.Raw(body_len, body)) {
      return Error(ErrorCode::kTruncated, "record: truncated stanza");  // W18
    }
    st.key_id.assign(kid.begin(), kid.end());
    st.wrapped_key.assign(body.begin(), body.end());
    MEDSEAL_RETURN_IF_ERROR(internal::CheckStanzaBody(st));  // W19
    r.recipients.push_back(std::move(st));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckStanzasV2(r.recipients));  // W20, W21
  MEDSEAL_RETURN_IF_ERROR(ReadBinaryTail(rd, r));                   // W22-W26
  return r;
}

}  // namespace

Result<SealedRecord> ParseRecordBinary(ByteView data) {
  size_t magic_len = std::min<size_t>(data.size(), 4);
  if (!std::equal(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(magic_len), kMagic)) {
    return Error(ErrorCode::kMalformed, "record: bad magic");
  }
  ByteReader rd(data);
  ByteView v;
  uint8_t version = 0;
  if (!rd.Raw(4, v) || !rd.U8(version)) {
    return Error(ErrorCode::kTruncated, "record: truncated header");
  }
  if (version == kRecordVersion2) return ParseBinaryV2(rd);
  if (version != kRecordVersion1) {
    return Error(ErrorCode::kUnsupportedVersion, "record: unsupported version");
  }
  SealedRecord r;
  ByteView sender, nonce, eph;
  uint8_t count = 0;
  if (!rd.Raw(kKeyIdSize, sender) || !rd.Raw(kXChaChaNonceSize, nonce) ||
      !rd.Raw(kX25519KeySize, eph) || !rd.U8(count)) {
    return Error(ErrorCode::kTruncated, "record: truncated header");
  }
  if (count == 0) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (count > kMaxRecipients) return Error(ErrorCode::kTooLarge, "record: too many recipients");
  r.sender_key_id.assign(sender.begin(), sender.end());
  r.nonce.assign(nonce.begin(), nonce.end());
  r.ephemeral_key.assign(eph.begin(), eph.end());
  for (uint8_t i = 0; i < count; ++i) {
    ByteView kid, wrapped;
    if (!rd.Raw(kKeyIdSize, kid) || !rd.Raw(kWrappedKeySize, wrapped)) {
      return Error(ErrorCode::kTruncated, "record: truncated recipient list");
    }
    r.recipients.push_back({Bytes(kid.begin(), kid.end()), Bytes(wrapped.begin(), wrapped.end())});
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckRecipients(r.recipients));
  MEDSEAL_RETURN_IF_ERROR(ReadBinaryTail(rd, r));
  return r;
}

namespace {

// Spec §5.2: every stanza as {"body", "kid", "type"}, the purposes as
// {"code", "system"}, the consent hashes as base64url strings.
std::string EncodeRecordJsonV2(const SealedRecord& r) {
  Json recips = Json::array();
  for (const auto& s : r.recipients) {
    recips.push_back({{"type", s.type},
                      {"kid", Base64UrlEncode(s.key_id)},
                      {"body", Base64UrlEncode(s.wrapped_key)}});
  }
  Json purposes = Json::array();
  for (const auto& p : r.purposes) purposes.push_back({{"system", p.system}, {"code", p.code}});
  Json consents = Json::array();
  for (const auto& h : r.consent_hashes) consents.push_back(Base64UrlEncode(h));
  Json j = {
      {"type", kRecordType},
      {"v", kRecordVersion2},
      {"sender", Base64UrlEncode(r.sender_key_id)},
      {"nonce", Base64UrlEncode(r.nonce)},
      {"ephemeral", Base64UrlEncode(r.ephemeral_key)},
      {"purposes", std::move(purposes)},
      {"consents", std::move(consents)},
      {"recipients", std::move(recips)},
      {"ciphertext", Base64UrlEncode(r.ciphertext)},
      {"signature", Base64UrlEncode(r.signature)},
  };
  return j.dump();
}

// J5-J13: sender, nonce, ephemeral (both versions).
Status ReadJsonKeys(const Json& j, SealedRecord& r) {
  MEDSEAL_ASSIGN_OR_RETURN(r.sender_key_id, GetBase64(j, "sender", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.nonce, GetBase64(j, "nonce", kXChaChaNonceSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, GetBase64(j, "ephemeral", kX25519KeySize));
  return Status::Ok();
}

// J26-J32: a string, base64url, then B11 and B12 on the decoded length; the
// signature.
Status ReadJsonTail(const Json& j, SealedRecord& r) {
  MEDSEAL_ASSIGN_OR_RETURN(r.ciphertext, GetBase64(j, "ciphertext", 0));
  MEDSEAL_RETURN_IF_ERROR(internal::CheckCiphertextSize(r.ciphertext.size()));
  MEDSEAL_ASSIGN_OR_RETURN(r.signature, GetBase64(j, "signature", kRecordSignatureSize));
  return Status::Ok();
}

// Spec §5.5, the JSON rules K1-K29 with J5-J13 and J26-J32, after J1-J3.
Result<SealedRecord> ParseRecordJsonV2(const Json& j) {
  MEDSEAL_RETURN_IF_ERROR(
      ExpectExactKeys(j, {"type", "v", "sender", "nonce", "ephemeral", "purposes", "consents",
                          "recipients", "ciphertext", "signature"}));  // K1
  SealedRecord r;
  r.version = kRecordVersion2;
  MEDSEAL_RETURN_IF_ERROR(ReadJsonKeys(j, r));
  const Json& purposes = j["purposes"];
  if (!purposes.is_array()) {
    return Error(ErrorCode::kMalformed, "record: \"purposes\" is not an array");  // K2
  }
  if (purposes.empty()) return Error(ErrorCode::kMalformed, "record: no purposes");  // K3
  if (purposes.size() > kMaxRecordPurposes) {
    return Error(ErrorCode::kTooLarge, "record: too many purposes");  // K4
  }
  for (const Json& p : purposes) {
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(p, {"system", "code"}));  // K5
    RecordPurpose purpose;
    MEDSEAL_ASSIGN_OR_RETURN(purpose.system, GetString(p, "system"));  // K6
    MEDSEAL_ASSIGN_OR_RETURN(purpose.code, GetString(p, "code"));
    MEDSEAL_RETURN_IF_ERROR(internal::CheckPurpose(purpose, ErrorCode::kMalformed));  // K7, K8
    r.purposes.push_back(std::move(purpose));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckPurposeOrder(r.purposes));  // K9
  const Json& consents = j["consents"];
  if (!consents.is_array()) {
    return Error(ErrorCode::kMalformed, "record: \"consents\" is not an array");  // K10
  }
  if (consents.size() > kMaxConsentHashes) {
    return Error(ErrorCode::kTooLarge, "record: too many consent hashes");  // K11
  }
  for (const Json& h : consents) {
    if (!h.is_string()) {
      return Error(ErrorCode::kMalformed, "record: a consent hash is not a string");  // K12
    }
    MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, Base64UrlDecode(h.get_ref<const std::string&>()));  // K13
    if (hash.size() != kConsentHashSize) {
      return Error(ErrorCode::kMalformed, "record: a consent hash has the wrong size");  // K14
    }
    r.consent_hashes.push_back(std::move(hash));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckConsentHashOrder(r.consent_hashes));  // K15
  const Json& recips = j["recipients"];
  if (!recips.is_array()) {
    return Error(ErrorCode::kMalformed, "record: \"recipients\" is not an array");  // K16
  }
  if (recips.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");  // K17
  if (recips.size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "record: too many recipients");  // K18
  }
  for (const Json& s : recips) {
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(s, {"type", "kid", "body"}));  // K19
    RecipientStanza st;
    auto type = GetInt(s, "type");
    if (!type.ok() || *type < 1 || *type > 255) {
      return Error(ErrorCode::kMalformed, "record: a stanza type is not an integer in 1..255");
    }  // K20
    st.type = static_cast<uint8_t>(*type);
    MEDSEAL_ASSIGN_OR_RETURN(st.key_id, GetBase64(s, "kid", kKeyIdSize));  // K21-K23
    MEDSEAL_ASSIGN_OR_RETURN(st.wrapped_key,
                             GetBase64(s, "body", 0, kMaxStanzaBodyBytes));  // K24-K26
    MEDSEAL_RETURN_IF_ERROR(internal::CheckStanzaBody(st));                  // K27
    r.recipients.push_back(std::move(st));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckStanzasV2(r.recipients));  // K28, K29
  MEDSEAL_RETURN_IF_ERROR(ReadJsonTail(j, r));
  return r;
}

}  // namespace

std::string EncodeRecordJson(const SealedRecord& r) {
  if (r.version != kRecordVersion1) return EncodeRecordJsonV2(r);
  Json recips = Json::array();
  for (const auto& s : r.recipients) {
    recips.push_back(
        {{"kid", Base64UrlEncode(s.key_id)}, {"wrapped", Base64UrlEncode(s.wrapped_key)}});
  }
  Json j = {
      {"type", kRecordType},
      {"v", kRecordVersion1},
      {"sender", Base64UrlEncode(r.sender_key_id)},
      {"nonce", Base64UrlEncode(r.nonce)},
      {"ephemeral", Base64UrlEncode(r.ephemeral_key)},
      {"recipients", std::move(recips)},
      {"ciphertext", Base64UrlEncode(r.ciphertext)},
      {"signature", Base64UrlEncode(r.signature)},
  };
  return j.dump();
}

Result<SealedRecord> ParseRecordJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxRecordJsonBytes));
  // J1-J3: the type, then a version this build reads.
  MEDSEAL_ASSIGN_OR_RETURN(std::string type, GetString(j, "type"));
  if (type != kRecordType) return Error(ErrorCode::kMalformed, "record: unexpected \"type\"");
  MEDSEAL_ASSIGN_OR_RETURN(int64_t version, GetInt(j, "v"));
  if (version == kRecordVersion2) return ParseRecordJsonV2(j);
  if (version != kRecordVersion1) {
    return Error(ErrorCode::kUnsupportedVersion, "record: unsupported \"v\"");
  }
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
      j, {"type", "v", "sender", "nonce", "ephemeral", "recipients", "ciphertext", "signature"}));
  SealedRecord r;
  MEDSEAL_RETURN_IF_ERROR(ReadJsonKeys(j, r));
  const Json& recips = j["recipients"];
  if (!recips.is_array()) {
    return Error(ErrorCode::kMalformed, "record: \"recipients\" is not an array");
  }
  if (recips.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (recips.size() > kMaxRecipients) {
    return Error(ErrorCode::kTooLarge, "record: too many recipients");
  }
  for (const Json& s : recips) {
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(s, {"kid", "wrapped"}));
    RecipientStanza st;
    MEDSEAL_ASSIGN_OR_RETURN(st.key_id, GetBase64(s, "kid", kKeyIdSize));
    MEDSEAL_ASSIGN_OR_RETURN(st.wrapped_key, GetBase64(s, "wrapped", kWrappedKeySize));
    r.recipients.push_back(std::move(st));
  }
  MEDSEAL_RETURN_IF_ERROR(internal::CheckRecipients(r.recipients));
  MEDSEAL_RETURN_IF_ERROR(ReadJsonTail(j, r));
  return r;
}

std::string RecordHeaderJson(const SealedRecord& r) {
  Json purposes = Json::array();
  for (const auto& p : r.purposes) purposes.push_back({{"system", p.system}, {"code", p.code}});
  Json hashes = Json::array();
  for (const auto& h : r.consent_hashes) hashes.push_back(HexEncode(h));
  Json recips = Json::array();
  bool all_post_quantum = true;
  for (const auto& s : r.recipients) {
    const bool pq = IsPostQuantumStanza(s.type);
    all_post_quantum = all_post_quantum && pq;
    recips.push_back({{"type", s.type}, {"keyId", Base64UrlEncode(s.key_id)}, {"postQuantum", pq}});
  }
  Json j = {{"version", r.version},
            {"postQuantum", all_post_quantum},
            {"sender", Base64UrlEncode(r.sender_key_id)},
            {"purposes", std::move(purposes)},
            {"consentHashes", std::move(hashes)},
            {"recipients", std::move(recips)},
            {"ciphertextBytes", r.ciphertext.size()}};
  return j.dump();
}

Result<Bytes> EncodeRecord(const SealedRecord& record, RecordEncoding encoding) {
  switch (encoding) {
    case RecordEncoding::kBinary: return EncodeRecordBinary(record);
    case RecordEncoding::kJson: return ToBytes(EncodeRecordJson(record));
    default: return Error(ErrorCode::kInvalidArgument, "record: unknown encoding");
  }
}

Result<SealedRecord> ParseRecord(ByteView data, RecordEncoding encoding) {
  switch (encoding) {
    case RecordEncoding::kBinary: return ParseRecordBinary(data);
    case RecordEncoding::kJson: return ParseRecordJson(AsText(data));
    default: return Error(ErrorCode::kInvalidArgument, "record: unknown encoding");
  }
}

Result<SealedRecord> ParseRecord(ByteView data) {
  if (!data.empty() && data[0] == kMagic[0]) return ParseRecordBinary(data);
  return ParseRecordJson(AsText(data));
}

}  // namespace medseal
