// SPDX-License-Identifier: Apache-2.0
// What the package's bindings (wasm/bindings/log_*.cc) need from the log
// and may not decide themselves: the tiles an app fetched, split by path
// into hash tiles and entry bundles; lists and reports as JSON text (the
// form in which structured results cross into JS, as UTF-8 bytes); a
// CardWatch and sensitivity labels from JSON; and the break-glass events
// about a patient among encoded events. Every function here is a thin,
// total conversion around core/log's own API (client.h, directory.h,
// tiles.h, break_glass.h), which keeps every rule.
#ifndef MEDSEAL_CORE_LOG_BINDINGS_SUPPORT_H_
#define MEDSEAL_CORE_LOG_BINDINGS_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/log/break_glass.h"
#include "core/log/client.h"
#include "core/log/directory.h"
#include "core/log/tiles.h"

namespace medseal::tlog {

// The largest JSON list input below (labels, a watch).
inline constexpr size_t kMaxSupportJsonBytes = 65536;

// Tiles as an app fetches them: by path, hash tiles and entry bundles mixed.
class FetchedTiles {
 public:
  // ParseTilePath(path) (kMalformed); an entry bundle is kept as given
  // (replacing one of the same path; AuditOwnEntries parses it), a hash tile
  // goes to hashes() (TileSet::Add's codes).
  [[nodiscard]] Status Add(std::string_view path, ByteView bytes);
  const TileSet& hashes() const { return hashes_; }
  const std::map<TileId, Bytes>& bundles() const { return bundles_; }

 private:
  TileSet hashes_;
  std::map<TileId, Bytes> bundles_;
};

// ["tile/0/000", ...]: the paths of `ids` in their order (TilePath).
std::string TilePathsJson(const std::vector<TileId>& ids);

// {"checked":n,"pending":n,"findings":[{"index":n,"code":"LOG_REORDERED",
// "foundAt":n}, ...]} ("foundAt" only when known), in the report's order.
std::string AuditReportJson(const AuditReport& report);

// [{"index":n,"keyId":base64url,"code":"UNEXPECTED_CARD"}, ...].
std::string CardFindingsJson(const std::vector<CardFinding>& findings);

// {"published":n,"successor":base64url,"predecessor":base64url,
//  "revoked":n,"rotated":n} (members only when set) for a key the directory
// knows; kLogEntryMissing when it knows none under `key_id`.
Result<std::string> DirectoryKeyJson(const KeyDirectory& directory, ByteView key_id);

// A JSON array of strings (at most `max` elements, each 1..1024 bytes):
// kTooLarge past kMaxSupportJsonBytes or `max` elements, kMalformed for
// anything else (the general JSON rules G1-G7 of docs/spec/record.md §1.2).
Result<std::vector<std::string>> StringListFromJson(std::string_view json, size_t max);

// A CardWatch from {"names":[...],"roles":[...],"ownKeys":[base64url...]}
// (each member required, at most 1024 elements each; key ids 16 bytes):
// kMalformed (the base64url codes of spec §1.1 for a bad key id), kTooLarge.
Result<CardWatch> CardWatchFromJson(std::string_view json);

// The positions, as a JSON array of numbers, of the break-glass events about
// `patient_key_id` among `count` encoded events given back to back, each
// with a 2-byte big-endian length (the entry-bundle framing, spec §3.3):
// ParseEntryBundles' codes, then ParseEvent's for each event (the message
// names its position), then BreakGlassEventsAbout. kInvalidArgument for a
// patient key id that is not 16 bytes.
Result<std::string> BreakGlassEventsAboutJson(ByteView framed_events, uint64_t count,
                                              ByteView patient_key_id);

// An emergency attempt (break_glass.h) as a binding hands it to JS, which
// may not branch on whether the open worked: the open's status, and the
// opened parts, each empty (created 0) when the open failed. Views into
// `attempt`, valid while it lives.
struct BreakGlassAttemptParts {
  ErrorCode code = ErrorCode::kOk;
  std::string_view message;  // the open's status message ("" when it worked)
  ByteView body;
  std::string_view content_type;
  std::string_view record_id;
  std::string_view resource_type;
  UnixMillis created = 0;
};
BreakGlassAttemptParts AttemptParts(const BreakGlassAttempt& attempt);

// The same for an attachment: the plaintext and the verified signature
// object's JCS JSON (AttachmentSignature::ToJson), both empty when the open
// failed. ToJson cannot fail for a verified object; if it did, that is the
// code here (kInvalidArgument) and the plaintext is withheld.
struct BreakGlassAttachmentAttemptParts {
  ErrorCode code = ErrorCode::kOk;
  std::string message;
  ByteView plaintext;
  std::string signature_json;
};
BreakGlassAttachmentAttemptParts AttemptParts(const BreakGlassAttachmentAttempt& attempt);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_BINDINGS_SUPPORT_H_
