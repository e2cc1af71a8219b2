// SPDX-License-Identifier: Apache-2.0
// What a sealed record carries, encrypted: content type, record id, FHIR
// resource type, the sender's sealing time and the body
// (docs/spec/record.md §4.3). Only sizes (padded) and key ids are visible to
// a server.
#ifndef MEDSEAL_CORE_RECORD_PAYLOAD_H_
#define MEDSEAL_CORE_RECORD_PAYLOAD_H_

#include <cstddef>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kMaxContentTypeBytes = 127;
inline constexpr size_t kMaxRecordIdBytes = 64;
inline constexpr size_t kMaxResourceTypeBytes = 64;
inline constexpr size_t kMaxBodyBytes = 16u << 20;  // 16 MiB

// The payload to seal, as views: the caller keeps the bytes alive for the
// call. SealRecord copies them only into its own wiped buffer, so plaintext
// held by the caller (a wasm heap region, say) is never copied elsewhere.
struct RecordPayload {
  std::string_view content_type;   // 1..127 bytes of printable ASCII (0x20..0x7E)
  std::string_view record_id;      // 0..64 bytes of printable ASCII without space
  std::string_view resource_type;  // 0..64 ASCII letters (a FHIR resource type)
  ByteView body;                   // at most 16 MiB
};

// The payload of an opened record. Owns the decrypted plaintext in one
// SecretBytes (wiped on destruction; move-only); the accessors are views into
// it, valid for as long as this object lives (moves included).
class OpenedPayload {
 public:
  // Removes the padding of a decrypted plaintext and parses the payload
  // (spec §4.4, opener steps; kNonCanonical / kMalformed). Takes ownership.
  static Result<OpenedPayload> FromPadded(SecretBytes padded);

  std::string_view content_type() const { return Text(content_type_); }
  std::string_view record_id() const { return Text(record_id_); }
  std::string_view resource_type() const { return Text(resource_type_); }
  ByteView body() const { return RevealSecret(plaintext_).subspan(body_.offset, body_.size); }
  UnixMillis created() const { return created_; }

 private:
  struct Range {
    size_t offset = 0;
    size_t size = 0;
  };
  OpenedPayload() = default;
  std::string_view Text(Range r) const {
    return AsText(RevealSecret(plaintext_).subspan(r.offset, r.size));
  }

  SecretBytes plaintext_;
  Range content_type_, record_id_, resource_type_, body_;
  UnixMillis created_ = 0;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_PAYLOAD_H_
