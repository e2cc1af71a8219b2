// SPDX-License-Identifier: Apache-2.0
// Safety numbers: a short fingerprint of two public cards that two people
// compare (read aloud or side by side) to know that each holds the other's
// real card, and a QR payload that one device scans from the other's screen
// to check the same in person at a visit. After Signal's safety numbers: an
// iterated hash per card, 30 decimal digits per card, the two halves in a
// fixed order so that both sides see the same 60 digits. Public data only.
// Format: docs/spec/log.md §10.
#ifndef MEDSEAL_CORE_LOG_SAFETY_H_
#define MEDSEAL_CORE_LOG_SAFETY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/identity/card.h"

namespace medseal::tlog {

inline constexpr unsigned kSafetyIterations = 1024;
inline constexpr size_t kSafetyFingerprintSize = 64;  // BLAKE2b-512
inline constexpr size_t kSafetyDigitsPerCard = 30;    // 6 groups of 5
inline constexpr size_t kSafetyNumberDigits = 60;
inline constexpr size_t kSafetyQrCardBytes = 32;  // the fingerprint prefix a QR carries
inline constexpr uint8_t kSafetyQrVersion = 1;
inline constexpr size_t kSafetyQrSize = 4 + 1 + 2 * (kKeyIdSize + kSafetyQrCardBytes);  // 101

// What the fingerprint covers (spec §10.1): version, key id and every public
// key of the card (the typed key list of a version 2 card included):
//   u8(version) || key_id || sign_pk || kx_pk || key_list   (v2)
//   u8(version) || key_id || sign_pk || kx_pk || u8(0)      (v1)
Bytes SafetyCardKeys(const PublicCard& card);
// The card's iterated fingerprint (spec §10.2), 64 bytes.
Bytes SafetyFingerprint(const PublicCard& card);
// The card's 30 digits (spec §10.3).
std::string SafetyDigits(const PublicCard& card);
// The safety number of two cards: the two cards' digits, the smaller string
// first, 60 digits; the same for (a, b) and (b, a). kInvalidArgument when
// both are the same card (same key id).
Result<std::string> SafetyNumber(const PublicCard& a, const PublicCard& b);
// "12345 67890 ..." : groups of 5 digits separated by one space (12 groups
// for a safety number). kInvalidArgument unless `digits` is a non-empty
// multiple of 5 ASCII digits.
Result<std::string> FormatSafetyNumber(std::string_view digits);

// The QR payload a device shows (spec §10.4): its own card and the card it
// holds for the peer, each as key id and fingerprint prefix.
struct SafetyQr {
  Bytes self_key_id;       // 16 bytes: the showing device's own card
  Bytes self_fingerprint;  // 32 bytes
  Bytes peer_key_id;       // 16 bytes: the card it holds for the scanner
  Bytes peer_fingerprint;  // 32 bytes
  bool operator==(const SafetyQr&) const = default;
};
// The payload of the device whose card is `self`, for the peer card it holds;
// kInvalidArgument when both are the same card.
Result<Bytes> SafetyQrPayload(const PublicCard& self, const PublicCard& peer);
// Rules Q1-Q6 of spec §10.5 in order: kMalformed (magic), kTruncated,
// kUnsupportedVersion, kTruncated, kTrailingData, kMalformed (self = peer).
Result<SafetyQr> ParseSafetyQr(ByteView payload);
// The scanner's check (rules Q1-Q6, then V1-V2 of §10.6): `scanner` is the
// scanning device's own card, `shown` the card it holds for the person whose
// screen it scans. kSafetyNumberMismatch when the payload's peer is not
// `scanner` (V1: the other device holds another card for you) or its self is
// not `shown` (V2: you hold another card for them).
[[nodiscard]] Status VerifySafetyQr(ByteView payload, const PublicCard& scanner,
                                    const PublicCard& shown);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_SAFETY_H_
