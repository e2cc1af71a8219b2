// SPDX-License-Identifier: Apache-2.0
#include "core/log/safety.h"

#include <algorithm>
#include <cstddef>

#include "core/codec/byte_io.h"
#include "core/crypto/blake2b.h"

namespace medseal::tlog {
namespace {

constexpr char kSafetyLabel[] = "medseal/v1/safety-number";
constexpr uint8_t kQrMagic[4] = {'M', 'S', 'S', 'N'};

bool SameKeyId(const PublicCard& a, const PublicCard& b) { return a.key_id() == b.key_id(); }

}  // namespace

Bytes SafetyCardKeys(const PublicCard& card) {
  Bytes out;
  ByteWriter w(out);
  w.U8(card.version());
  w.Raw(card.key_id());
  w.Raw(card.sign_public_key());
  w.Raw(card.kx_public_key());
  // A parsed card has at most 253 typed keys of at most 65535 bytes each
  // (its JSON is at most kMaxCardJsonBytes), so the counts fit.
  w.U8(static_cast<uint8_t>(card.keys().size()));
  for (const CardKey& k : card.keys()) {
    w.U8(k.type);
    w.U8(static_cast<uint8_t>(k.key.size() & 0xff));
    w.U8(static_cast<uint8_t>(k.key.size() >> 8));
    w.Raw(k.key);
  }
  return out;
}

Bytes SafetyFingerprint(const PublicCard& card) {
  const Bytes keys = SafetyCardKeys(card);
  const Bytes label = LabelBytes(kSafetyLabel);
  // d_0 commits to the card; each round hashes 128 bytes whatever the
  // card's size (a version 2 card's keys are over 1,300 bytes).
  const Bytes d0 = Blake2bConcat(kSafetyFingerprintSize, {label, keys});
  Bytes d = d0;
  for (unsigned i = 1; i < kSafetyIterations; ++i) {
    d = Blake2bConcat(kSafetyFingerprintSize, {d, d0});
  }
  return d;
}

std::string SafetyDigits(const PublicCard& card) {
  const Bytes fp = SafetyFingerprint(card);
  std::string out;
  out.reserve(kSafetyDigitsPerCard);
  for (size_t group = 0; group < kSafetyDigitsPerCard / 5; ++group) {
    uint64_t v = 0;
    for (size_t i = 0; i < 5; ++i) v = (v << 8) | fp[group * 5 + i];
    v %= 100000;
    char buf[6];
    for (int i = 4; i >= 0; --i) {
      buf[i] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    out.append(buf, 5);
  }
  return out;
}

Result<std::string> SafetyNumber(const PublicCard& a, const PublicCard& b) {
  if (SameKeyId(a, b)) {
    return Status(ErrorCode::kInvalidArgument, "a safety number needs two different cards");
  }
  std::string da = SafetyDigits(a);
  std::string db = SafetyDigits(b);
  return da < db ? da + db : db + da;
}

Result<std::string> FormatSafetyNumber(std::string_view digits) {
  if (digits.empty() || digits.size() % 5 != 0 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status(ErrorCode::kInvalidArgument,
                  "a safety number is a non-empty multiple of 5 ASCII digits");
  }
  std::string out;
  out.reserve(digits.size() + digits.size() / 5);
  for (size_t i = 0; i < digits.size(); i += 5) {
    if (i != 0) out.push_back(' ');
    out.append(digits.substr(i, 5));
  }
  return out;
}

Result<Bytes> SafetyQrPayload(const PublicCard& self, const PublicCard& peer) {
  if (SameKeyId(self, peer)) {
    return Status(ErrorCode::kInvalidArgument, "a safety QR needs two different cards");
  }
  const Bytes self_fp = SafetyFingerprint(self);
  const Bytes peer_fp = SafetyFingerprint(peer);
  Bytes out;
  out.reserve(kSafetyQrSize);
  ByteWriter w(out);
  w.Raw(ByteView(kQrMagic, sizeof kQrMagic));
  w.U8(kSafetyQrVersion);
  w.Raw(self.key_id());
  w.Raw(ByteView(self_fp).first(kSafetyQrCardBytes));
  w.Raw(peer.key_id());
  w.Raw(ByteView(peer_fp).first(kSafetyQrCardBytes));
  return out;
}

Result<SafetyQr> ParseSafetyQr(ByteView payload) {
  // Q1: the bytes present must start the magic.
  const size_t magic_seen = std::min(payload.size(), sizeof kQrMagic);
  if (!std::equal(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(magic_seen),
                  kQrMagic)) {
    return Status(ErrorCode::kMalformed, "not a medseal safety QR (magic)");
  }
  // Q2
  if (payload.size() < sizeof kQrMagic + 1) {
    return Status(ErrorCode::kTruncated, "safety QR ends before its version");
  }
  // Q3
  if (payload[4] != kSafetyQrVersion) {
    return Status(ErrorCode::kUnsupportedVersion, "safety QR version is not 1");
  }
  // Q4, Q5
  if (payload.size() < kSafetyQrSize) {
    return Status(ErrorCode::kTruncated, "safety QR shorter than 101 bytes");
  }
  if (payload.size() > kSafetyQrSize) {
    return Status(ErrorCode::kTrailingData, "safety QR longer than 101 bytes");
  }
  ByteReader r(payload.subspan(5));
  ByteView self_id, self_fp, peer_id, peer_fp;
  r.Raw(kKeyIdSize, self_id);
  r.Raw(kSafetyQrCardBytes, self_fp);
  r.Raw(kKeyIdSize, peer_id);
  r.Raw(kSafetyQrCardBytes, peer_fp);
  // Q6
  if (std::equal(self_id.begin(), self_id.end(), peer_id.begin(), peer_id.end())) {
    return Status(ErrorCode::kMalformed, "safety QR names the same card twice");
  }
  return SafetyQr{Bytes(self_id.begin(), self_id.end()), Bytes(self_fp.begin(), self_fp.end()),
                  Bytes(peer_id.begin(), peer_id.end()), Bytes(peer_fp.begin(), peer_fp.end())};
}

Status VerifySafetyQr(ByteView payload, const PublicCard& scanner, const PublicCard& shown) {
  auto qr = ParseSafetyQr(payload);
  if (!qr.ok()) return qr.status();
  const auto prefix = [](const PublicCard& c) {
    Bytes fp = SafetyFingerprint(c);
    fp.resize(kSafetyQrCardBytes);
    return fp;
  };
  // V1
  if (qr->peer_key_id != scanner.key_id() || qr->peer_fingerprint != prefix(scanner)) {
    return Status(ErrorCode::kSafetyNumberMismatch,
                  "the other device holds a card for you that is not yours");
  }
  // V2
  if (qr->self_key_id != shown.key_id() || qr->self_fingerprint != prefix(shown)) {
    return Status(ErrorCode::kSafetyNumberMismatch,
                  "the card you hold for the other person is not the one their device shows");
  }
  return Status::Ok();
}

}  // namespace medseal::tlog
