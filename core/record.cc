#include "core/record.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/internal/byte_io.h"
#include "core/internal/json_util.h"
#include "core/internal/record_internal.h"
#include "core/internal/sodium_init.h"
#include "core/primitives.h"

namespace medseal {
namespace {

constexpr uint8_t kMagic[4] = {'m', 's', 'r', 'c'};
constexpr uint8_t kVersion = 1;
constexpr std::string_view kWrapLabel = "medseal/v1/record/wrap";
constexpr std::string_view kSignatureLabel = "medseal/v1/record/signature";
constexpr std::string_view kRecordType = "medseal.record";
constexpr size_t kDataKeySize = 32;
constexpr size_t kStanzaSize = kKeyIdSize + kWrappedKeySize;
constexpr uint8_t kPadMarker = 0x80;
// Largest encoded payload: three length-prefixed strings, created, body length, body.
constexpr size_t kMaxEncodedPayload = 1 + kMaxContentTypeBytes + 1 + kMaxRecordIdBytes + 1 +
                                      kMaxResourceTypeBytes + 8 + 4 + kMaxBodyBytes;

size_t FloorLog2(size_t n) {
  size_t r = 0;
  while (n >>= 1) ++r;
  return r;
}

size_t MaxCiphertextSize() { return PaddedSize(kMaxEncodedPayload + 1) + kAeadTagSize; }

Status CheckCiphertextSize(size_t size) {
  if (size > MaxCiphertextSize()) return Error(ErrorCode::kTooLarge, "record: ciphertext too large");
  if (size < kAeadTagSize + kMinPaddedSize || PaddedSize(size - kAeadTagSize) != size - kAeadTagSize) {
    return Error(ErrorCode::kNonCanonical, "record: ciphertext length is not a padded size");
  }
  return Status::Ok();
}

// Ascending byte order (shorter first on a common prefix), as
// std::vector's operator< but spelled out: GCC 12 at -O3 reports a false
// -Wstringop-overread for the memcmp inside vector's three-way compare.
bool ByteOrderLess(ByteView a, ByteView b) {
  const size_t n = std::min(a.size(), b.size());
  if (n != 0) {
    const int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}
struct ByteOrder {
  bool operator()(const Bytes& a, const Bytes& b) const { return ByteOrderLess(a, b); }
};

// Recipient list rules (spec §4.5): 1..64 stanzas, no key id twice, sorted by
// key id in ascending byte order. Duplicates are reported before order.
Status CheckRecipients(const std::vector<RecipientStanza>& stanzas) {
  if (stanzas.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (stanzas.size() > kMaxRecipients) return Error(ErrorCode::kTooLarge, "record: too many recipients");
  std::set<Bytes, ByteOrder> ids;
  for (const auto& s : stanzas) {
    if (!ids.insert(s.key_id).second) {
      return Error(ErrorCode::kDuplicateRecipient, "record: recipient listed twice");
    }
  }
  for (size_t i = 1; i < stanzas.size(); ++i) {
    if (!ByteOrderLess(stanzas[i - 1].key_id, stanzas[i].key_id)) {
      return Error(ErrorCode::kNonCanonical, "record: recipients not sorted by key id");
    }
  }
  return Status::Ok();
}

// A SealedRecord built by hand (not by a parser) gets the same checks.
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

bool IsPrintable(std::string_view s, bool allow_space) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c > 0x20 && c < 0x7F) || (allow_space && c == 0x20);
  });
}

bool IsLetters(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

// Checks payload fields; `code` is the error for a bad character or empty
// content type (kInvalidArgument when sealing, kMalformed when opening).
Status CheckPayloadFields(const RecordPayload& p, ErrorCode code) {
  if (p.content_type.empty() || !IsPrintable(p.content_type, true)) {
    return Error(code, "record: content type must be 1..127 printable ASCII characters");
  }
  if (p.content_type.size() > kMaxContentTypeBytes) {
    return Error(ErrorCode::kTooLarge, "record: content type too long");
  }
  if (p.record_id.size() > kMaxRecordIdBytes) return Error(ErrorCode::kTooLarge, "record: record id too long");
  if (!IsPrintable(p.record_id, false)) return Error(code, "record: record id has a bad character");
  if (p.resource_type.size() > kMaxResourceTypeBytes) {
    return Error(ErrorCode::kTooLarge, "record: resource type too long");
  }
  if (!IsLetters(p.resource_type)) return Error(code, "record: resource type must be letters");
  if (p.body.size() > kMaxBodyBytes) return Error(ErrorCode::kTooLarge, "record: body too large");
  return Status::Ok();
}

// Encodes the payload and pads it (spec §4.3, §4.4). Returned as a secret
// buffer with 16 spare bytes at the end for the AEAD tag.
SecretBytes EncodePaddedPayload(const RecordPayload& p, UnixMillis created_ms,
                                size_t* padded_size) {
  size_t encoded = 1 + p.content_type.size() + 1 + p.record_id.size() + 1 +
                   p.resource_type.size() + 8 + 4 + p.body.size();
  *padded_size = PaddedSize(encoded + 1);
  SecretBytes out(*padded_size + kAeadTagSize);  // zero-filled
  uint8_t* w = out.mutable_data();
  auto put_str = [&](const std::string& s) {
    *w++ = static_cast<uint8_t>(s.size());
    std::copy(s.begin(), s.end(), w);
    w += s.size();
  };
  put_str(p.content_type);
  put_str(p.record_id);
  put_str(p.resource_type);
  uint64_t created = static_cast<uint64_t>(created_ms);
  for (int i = 0; i < 8; ++i) *w++ = static_cast<uint8_t>(created >> (8 * i));
  uint32_t body = static_cast<uint32_t>(p.body.size());
  for (int i = 0; i < 4; ++i) *w++ = static_cast<uint8_t>(body >> (8 * i));
  std::copy(p.body.begin(), p.body.end(), w);
  w += p.body.size();
  *w = kPadMarker;
  return out;
}

Result<RecordPayload> DecodePaddedPayload(ByteView padded) {
  size_t end = padded.size();
  while (end > 0 && padded[end - 1] == 0) --end;
  if (end == 0 || padded[end - 1] != kPadMarker) {
    return Error(ErrorCode::kNonCanonical, "record: bad padding");
  }
  size_t encoded = end - 1;
  if (PaddedSize(encoded + 1) != padded.size()) {
    return Error(ErrorCode::kNonCanonical, "record: padding longer than the scheme allows");
  }
  internal::ByteReader r(padded.first(encoded));
  RecordPayload p;
  auto get_str = [&](std::string& s) {
    uint8_t n;
    ByteView v;
    if (!r.U8(n) || !r.Raw(n, v)) return false;
    s.assign(v.begin(), v.end());
    return true;
  };
  uint64_t created;
  uint32_t body_len;
  ByteView body;
  if (!get_str(p.content_type) || !get_str(p.record_id) || !get_str(p.resource_type) ||
      !r.U64(created) || !r.U32(body_len) || !r.Raw(body_len, body)) {
    return Error(ErrorCode::kMalformed, "record: payload truncated");
  }
  if (r.remaining() != 0) return Error(ErrorCode::kMalformed, "record: bytes after the payload body");
  if (created > static_cast<uint64_t>(INT64_MAX)) {
    return Error(ErrorCode::kMalformed, "record: negative creation time");
  }
  p.created = static_cast<UnixMillis>(created);
  p.body.assign(body.begin(), body.end());
  Status st = CheckPayloadFields(p, ErrorCode::kMalformed);
  if (!st.ok()) return Status(ErrorCode::kMalformed, st.message());
  return p;
}

// wrap key = BLAKE2b-256(key = X25519 shared secret,
//                        "medseal/v1/record/wrap" 0x00 || ephemeral pk || recipient kx pk)
Result<SecretBytes> WrapKey(const SecretBytes& shared, ByteView ephemeral_pk,
                            ByteView recipient_pk) {
  Bytes msg = internal::LabelBytes(kWrapLabel);
  msg.insert(msg.end(), ephemeral_pk.begin(), ephemeral_pk.end());
  msg.insert(msg.end(), recipient_pk.begin(), recipient_pk.end());
  MEDSEAL_ASSIGN_OR_RETURN(Bytes k, Blake2b(32, RevealSecret(shared), msg));
  SecretBytes key = SecretBytes::CopyFrom(k);
  SecureWipe(k);
  return key;
}

const uint8_t kZeroNonce[kXChaChaNonceSize] = {0};

}  // namespace

size_t PaddedSize(size_t n) {
  if (n <= kMinPaddedSize) return kMinPaddedSize;
  size_t e = FloorLog2(n);
  size_t s = FloorLog2(e) + 1;
  size_t mask = (size_t{1} << (e - s)) - 1;
  return (n + mask) & ~mask;
}

Bytes SealedRecord::HeaderBytes() const {
  Bytes out;
  out.reserve(82 + recipients.size() * kStanzaSize);
  internal::ByteWriter w(out);
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

Result<SealedRecord> SealRecord(const Identity& sender, std::span<const PublicCard> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock) {
  std::vector<const PublicCard*> cards;
  cards.reserve(recipients.size());
  for (const PublicCard& c : recipients) cards.push_back(&c);
  return SealRecord(sender, std::span<const PublicCard* const>(cards), payload, rng, clock);
}

Result<SealedRecord> SealRecord(const Identity& sender,
                                std::span<const PublicCard* const> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock) {
  if (recipients.empty()) return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  if (recipients.size() > kMaxRecipients) return Error(ErrorCode::kTooLarge, "seal: too many recipients");
  for (const PublicCard* c : recipients) {
    if (c == nullptr) return Error(ErrorCode::kInvalidArgument, "seal: null recipient card");
  }
  MEDSEAL_RETURN_IF_ERROR(CheckPayloadFields(payload, ErrorCode::kInvalidArgument));
  const UnixMillis now = clock.Now();
  if (now < 0) return Error(ErrorCode::kInvalidArgument, "seal: the clock reads before 1970");
  size_t padded_size = 0;
  SecretBytes padded = EncodePaddedPayload(payload, now, &padded_size);
  return internal::SealPaddedPayload(sender, recipients, RevealSecret(padded).first(padded_size),
                                     rng);
}

namespace internal {

// The message the sender signs: label || BLAKE2b-512(header || ciphertext).
Bytes RecordSignatureMessage(const SealedRecord& r) {
  EnsureSodium();
  Bytes header = r.HeaderBytes();
  Bytes msg = LabelBytes(kSignatureLabel);
  size_t off = msg.size();
  msg.resize(off + 64);
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 64);
  crypto_generichash_update(&st, header.data(), header.size());
  crypto_generichash_update(&st, r.ciphertext.data(), r.ciphertext.size());
  crypto_generichash_final(&st, msg.data() + off, 64);
  return msg;
}

Result<SealedRecord> SealPaddedPayload(const Identity& sender,
                                       std::span<const PublicCard* const> recipients,
                                       ByteView padded_payload, Rng& rng) {
  if (recipients.empty()) return Error(ErrorCode::kInvalidArgument, "seal: no recipients");
  std::vector<const PublicCard*> sorted(recipients.begin(), recipients.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const PublicCard* a, const PublicCard* b) {
              return ByteOrderLess(a->key_id(), b->key_id());
            });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (sorted[i - 1]->key_id() == sorted[i]->key_id()) {
      return Error(ErrorCode::kDuplicateRecipient, "seal: recipient listed twice");
    }
  }

  SecretBytes data_key = rng.Secret(kDataKeySize);
  SealedRecord r;
  r.sender_key_id = sender.key_id();
  r.nonce.resize(kXChaChaNonceSize);
  rng.Fill(r.nonce.data(), r.nonce.size());
  SecretBytes eph_sk = rng.Secret(kX25519KeySize);
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, X25519PublicKey(RevealSecret(eph_sk)));

  for (const PublicCard* card : sorted) {
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, X25519(RevealSecret(eph_sk), card->kx_public_key()));
    MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap, WrapKey(shared, r.ephemeral_key, card->kx_public_key()));
    RecipientStanza s{card->key_id(), Bytes(kWrappedKeySize)};
    MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(wrap), ByteView(kZeroNonce),
                                                  {}, RevealSecret(data_key),
                                                  s.wrapped_key.data()));
    r.recipients.push_back(std::move(s));
  }

  r.ciphertext.resize(padded_payload.size() + kAeadTagSize);  // fixes the header's length field
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Seal(RevealSecret(data_key), r.nonce, r.HeaderBytes(),
                                                padded_payload, r.ciphertext.data()));
  r.signature = sender.Sign(RecordSignatureMessage(r));
  return r;
}

Bytes EncodePayloadForTesting(const RecordPayload& payload) {
  size_t padded_size = 0;
  SecretBytes padded = EncodePaddedPayload(payload, payload.created, &padded_size);
  ByteView v = RevealSecret(padded).first(padded_size);
  return Bytes(v.begin(), v.end());
}

}  // namespace internal

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
  internal::ByteReader rd(data);
  ByteView v;
  uint8_t version;
  if (!rd.Raw(4, v) || !rd.U8(version)) return Error(ErrorCode::kTruncated, "record: truncated header");
  if (version != kVersion) return Error(ErrorCode::kUnsupportedVersion, "record: unsupported version");
  SealedRecord r;
  ByteView sender, nonce, eph;
  uint8_t count;
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
  MEDSEAL_RETURN_IF_ERROR(CheckRecipients(r.recipients));
  uint32_t ct_len;
  if (!rd.U32(ct_len)) return Error(ErrorCode::kTruncated, "record: truncated header");
  MEDSEAL_RETURN_IF_ERROR(CheckCiphertextSize(ct_len));
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
  internal::Json recips = internal::Json::array();
  for (const auto& s : r.recipients) {
    recips.push_back({{"kid", Base64UrlEncode(s.key_id)}, {"wrapped", Base64UrlEncode(s.wrapped_key)}});
  }
  internal::Json j = {
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
  using namespace internal;
  MEDSEAL_ASSIGN_OR_RETURN(Json j, ParseJsonObject(json, kMaxRecordJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(j, kRecordType, 1));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
      j, {"type", "v", "sender", "nonce", "ephemeral", "recipients", "ciphertext", "signature"}));
  SealedRecord r;
  MEDSEAL_ASSIGN_OR_RETURN(r.sender_key_id, GetBase64(j, "sender", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.nonce, GetBase64(j, "nonce", kXChaChaNonceSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.ephemeral_key, GetBase64(j, "ephemeral", kX25519KeySize));
  const Json& recips = j["recipients"];
  if (!recips.is_array()) return Error(ErrorCode::kMalformed, "record: \"recipients\" is not an array");
  if (recips.empty()) return Error(ErrorCode::kMalformed, "record: no recipients");
  if (recips.size() > kMaxRecipients) return Error(ErrorCode::kTooLarge, "record: too many recipients");
  for (const Json& s : recips) {
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(s, {"kid", "wrapped"}));
    RecipientStanza st;
    MEDSEAL_ASSIGN_OR_RETURN(st.key_id, GetBase64(s, "kid", kKeyIdSize));
    MEDSEAL_ASSIGN_OR_RETURN(st.wrapped_key, GetBase64(s, "wrapped", kWrappedKeySize));
    r.recipients.push_back(std::move(st));
  }
  MEDSEAL_RETURN_IF_ERROR(CheckRecipients(r.recipients));
  MEDSEAL_ASSIGN_OR_RETURN(r.ciphertext, GetBase64(j, "ciphertext", 0, MaxCiphertextSize()));
  MEDSEAL_RETURN_IF_ERROR(CheckCiphertextSize(r.ciphertext.size()));
  MEDSEAL_ASSIGN_OR_RETURN(r.signature, GetBase64(j, "signature", kRecordSignatureSize));
  return r;
}

Result<SealedRecord> ParseRecord(ByteView data) {
  if (data.size() >= 1 && data[0] == kMagic[0]) return ParseRecordBinary(data);
  return ParseRecordJson(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

Status VerifyRecord(const SealedRecord& record, const PublicCard& sender) {
  MEDSEAL_RETURN_IF_ERROR(CheckStructure(record));
  if (!ConstantTimeEqual(record.sender_key_id, sender.key_id())) {
    return Error(ErrorCode::kSenderMismatch, "record: sealed by a different identity");
  }
  return Ed25519Verify(sender.sign_public_key(), internal::RecordSignatureMessage(record), record.signature);
}

Result<RecordPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender) {
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(record, sender));
  const RecipientStanza* mine = nullptr;
  for (const auto& s : record.recipients) {
    if (s.key_id == recipient.key_id()) mine = &s;
  }
  if (mine == nullptr) return Error(ErrorCode::kNoMatchingRecipient, "record: not sealed to this key");
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes shared, recipient.Agree(record.ephemeral_key));
  MEDSEAL_ASSIGN_OR_RETURN(SecretBytes wrap,
                           WrapKey(shared, record.ephemeral_key, recipient.card().kx_public_key()));
  SecretBytes data_key(kDataKeySize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(wrap), ByteView(kZeroNonce), {},
                                                mine->wrapped_key, data_key.mutable_data()));
  SecretBytes padded(record.ciphertext.size() - kAeadTagSize);
  MEDSEAL_RETURN_IF_ERROR(XChaCha20Poly1305Open(RevealSecret(data_key), record.nonce,
                                                record.HeaderBytes(), record.ciphertext,
                                                padded.mutable_data()));
  return DecodePaddedPayload(RevealSecret(padded));
}

}  // namespace medseal
