// SPDX-License-Identifier: Apache-2.0
#include "core/record/sealed_record.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/json.h"
#include "core/crypto/aead.h"
#include "core/crypto/x25519.h"
#include "core/identity/card.h"
#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"
#include "core/record/payload.h"

namespace medseal {
namespace {

constexpr uint8_t kMagic[4] = {'m', 's', 'r', 'c'};
constexpr uint8_t kVersion = 1;
constexpr std::string_view kRecordType = "medseal.record";
constexpr size_t kStanzaSize = kKeyIdSize + kWrappedKeySize;
// Largest encoded payload: three length-prefixed strings, created, body length, body.
constexpr size_t kMaxEncodedPayload = 1 + kMaxContentTypeBytes + 1 + kMaxRecordIdBytes + 1 +
                                      kMaxResourceTypeBytes + 8 + 4 + kMaxBodyBytes;

size_t MaxCiphertextSize() { return PaddedSize(kMaxEncodedPayload + 1) + kAeadTagSize; }

struct ByteOrder {
  bool operator()(const Bytes& a, const Bytes& b) const { return BytesLess(a, b); }
};

}  // namespace

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

Status CheckStructure(const SealedRecord& r) {
  if (r.sender_key_id.size() != kKeyIdSize || r.nonce.size() != kXChaChaNonceSize ||
      r.ephemeral_key.size() != kX25519KeySize || r.signature.size() != kRecordSignatureSize) {
    return Error(ErrorCode::kMalformed, "record: a header field has the wrong size");
  }
  for (const auto& s : r.recipients) {
    if (s.key_id.size() != kKeyIdSize || s.wrapped_key.size() != kWrappedKeySize) {
      return Error(ErrorCode::kMalformed, "record: a recipient stanza has the wrong size");
    }
  }
  MEDSEAL_RETURN_IF_ERROR(CheckRecipients(r.recipients));
  return CheckCiphertextSize(r.ciphertext.size());
}

}  // namespace internal

Bytes SealedRecord::HeaderBytes() const {
  Bytes out;
  out.reserve(82 + recipients.size() * kStanzaSize);
  ByteWriter w(out);
  w.Raw(ByteView(kMagic, 4));
  w.U8(kVersion);
  w.Raw(sender_key_id);
  w.Raw(nonce);
  w.Raw(ephemeral_key);
  w.U8(static_cast<uint8_t>(recipients.size()));
  for (const auto& s : recipients) {
    w.Raw(s.key_id);
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
  if (version != kVersion) {
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
  return r;
}

std::string EncodeRecordJson(const SealedRecord& r) {
  Json recips = Json::array();
  for (const auto& s : r.recipients) {
    recips.push_back(
        {{"kid", Base64UrlEncode(s.key_id)}, {"wrapped", Base64UrlEncode(s.wrapped_key)}});
  }
  Json j = {
      {"type", kRecordType},
      {"v", 1},
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
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kRecordType, 1));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
      j, {"type", "v", "sender", "nonce", "ephemeral", "recipients", "ciphertext", "signature"}));
  SealedRecord r;
  MEDSEAL_ASSIGN_OR_RETURN(r.sender_key_id, GetBase64(j, "sender", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.nonce, GetBase64(j, "nonce", kXChaChaNonceSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, GetBase64(j, "ephemeral", kX25519KeySize));
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
  // J26-J29: a string, base64url, then B11 and B12 on the decoded length.
  MEDSEAL_ASSIGN_OR_RETURN(r.ciphertext, GetBase64(j, "ciphertext", 0));
  MEDSEAL_RETURN_IF_ERROR(internal::CheckCiphertextSize(r.ciphertext.size()));
  MEDSEAL_ASSIGN_OR_RETURN(r.signature, GetBase64(j, "signature", kRecordSignatureSize));
  return r;
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
