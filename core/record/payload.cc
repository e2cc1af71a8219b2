// SPDX-License-Identifier: Apache-2.0
#include "core/record/payload.h"

#include <algorithm>
#include <cstdint>

#include "core/codec/byte_io.h"
#include "core/crypto/aead.h"
#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"

namespace medseal {
namespace {

constexpr uint8_t kPadMarker = 0x80;

bool IsPrintable(std::string_view s, bool allow_space) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return (c > 0x20 && c < 0x7F) || (allow_space && c == 0x20); });
}

bool IsLetters(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

size_t EncodedSize(const RecordPayload& p) {
  return 1 + p.content_type.size() + 1 + p.record_id.size() + 1 + p.resource_type.size() + 8 + 4 +
         p.body.size();
}

}  // namespace

namespace internal {

Status CheckPayloadFields(const RecordPayload& p, ErrorCode code) {
  if (p.content_type.empty() || !IsPrintable(p.content_type, true)) {
    return Error(code, "record: content type must be 1..127 printable ASCII characters");
  }
  if (p.content_type.size() > kMaxContentTypeBytes) {
    return Error(ErrorCode::kTooLarge, "record: content type too long");
  }
  if (p.record_id.size() > kMaxRecordIdBytes) {
    return Error(ErrorCode::kTooLarge, "record: record id too long");
  }
  if (!IsPrintable(p.record_id, false)) return Error(code, "record: record id has a bad character");
  if (p.resource_type.size() > kMaxResourceTypeBytes) {
    return Error(ErrorCode::kTooLarge, "record: resource type too long");
  }
  if (!IsLetters(p.resource_type)) return Error(code, "record: resource type must be letters");
  if (p.body.size() > kMaxBodyBytes) return Error(ErrorCode::kTooLarge, "record: body too large");
  return Status::Ok();
}

SecretBytes EncodePaddedPayload(const RecordPayload& p, UnixMillis created, size_t* padded_size) {
  *padded_size = PaddedSize(EncodedSize(p) + 1);
  SecretBytes out(*padded_size + kAeadTagSize);  // zero-filled
  uint8_t* w = RevealMutableSecret(out);
  auto put = [&](ByteView v) {
    std::copy(v.begin(), v.end(), w);
    w += v.size();
  };
  auto put_str = [&](std::string_view s) {
    *w++ = static_cast<uint8_t>(s.size());
    put(AsBytes(s));
  };
  put_str(p.content_type);
  put_str(p.record_id);
  put_str(p.resource_type);
  const auto created_bits = static_cast<uint64_t>(created);
  for (int i = 0; i < 8; ++i) *w++ = static_cast<uint8_t>(created_bits >> (8 * i));
  const auto body_size = static_cast<uint32_t>(p.body.size());
  for (int i = 0; i < 4; ++i) *w++ = static_cast<uint8_t>(body_size >> (8 * i));
  put(p.body);
  *w = kPadMarker;
  return out;
}

Bytes EncodePayloadForTesting(const RecordPayload& payload, UnixMillis created) {
  size_t padded_size = 0;
  SecretBytes padded = EncodePaddedPayload(payload, created, &padded_size);
  ByteView v = RevealSecret(padded).first(padded_size);
  return Bytes(v.begin(), v.end());
}

}  // namespace internal

Result<OpenedPayload> OpenedPayload::FromPadded(SecretBytes padded) {
  ByteView all = RevealSecret(padded);
  size_t end = all.size();
  while (end > 0 && all[end - 1] == 0) --end;
  if (end == 0 || all[end - 1] != kPadMarker) {
    return Error(ErrorCode::kNonCanonical, "record: bad padding");
  }
  const size_t encoded = end - 1;
  if (PaddedSize(encoded + 1) != all.size()) {
    return Error(ErrorCode::kNonCanonical, "record: padding longer than the scheme allows");
  }
  ByteReader r(all.first(encoded));
  OpenedPayload p;
  auto get_str = [&](Range& range) {
    uint8_t n = 0;
    ByteView v;
    range.offset = r.position() + 1;
    range.size = 0;
    if (!r.U8(n) || !r.Raw(n, v)) return false;
    range.size = n;
    return true;
  };
  uint64_t created = 0;
  uint32_t body_len = 0;
  ByteView body;
  if (!get_str(p.content_type_) || !get_str(p.record_id_) || !get_str(p.resource_type_) ||
      !r.U64(created) || !r.U32(body_len)) {
    return Error(ErrorCode::kMalformed, "record: payload truncated");
  }
  p.body_.offset = r.position();
  if (!r.Raw(body_len, body)) return Error(ErrorCode::kMalformed, "record: payload truncated");
  p.body_.size = body_len;
  if (r.remaining() != 0)
    return Error(ErrorCode::kMalformed, "record: bytes after the payload body");
  if (created > static_cast<uint64_t>(kMaxUnixMillis)) {
    return Error(ErrorCode::kMalformed, "record: creation time after 2^53 - 1");
  }
  p.created_ = static_cast<UnixMillis>(created);
  p.plaintext_ = std::move(padded);
  const RecordPayload fields{p.content_type(), p.record_id(), p.resource_type(), p.body()};
  Status st = internal::CheckPayloadFields(fields, ErrorCode::kMalformed);
  if (!st.ok()) return Status(ErrorCode::kMalformed, st.message());
  return p;
}

}  // namespace medseal
