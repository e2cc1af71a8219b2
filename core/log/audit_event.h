// SPDX-License-Identifier: Apache-2.0
// Signed log events as FHIR R4 AuditEvent resources, following the IHE
// Basic Audit Log Patterns (BALP) where they fit, and back. An exported
// AuditEvent carries the signed event verbatim (the extension
// urn:medseal:log-event, the base64 of SignedEvent.encoded) next to its
// mapping (type, subtype, action, recorded, outcome, purposeOfEvent, agents,
// source, entities), so that Import re-parses the embedded event and rejects
// an AuditEvent whose mapped elements disagree with it: an edited export is
// caught. AuditEvents that medseal did not write are refused with their own
// code. Mapping and rules: docs/spec/log.md §11.
#ifndef MEDSEAL_CORE_LOG_AUDIT_EVENT_H_
#define MEDSEAL_CORE_LOG_AUDIT_EVENT_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/log/event.h"

namespace medseal::tlog {

// The largest AuditEvent JSON text Import reads, and its nesting limit
// (an export nests 7 deep; FHIR servers may add a little).
inline constexpr size_t kMaxAuditEventJsonBytes = 65536;
inline constexpr int kMaxAuditEventJsonDepth = 16;

// The URIs medseal's AuditEvents use (spec §11.1).
inline constexpr std::string_view kAuditEventExtensionUrl = "urn:medseal:log-event";
inline constexpr std::string_view kAuditEventTypeSystem = "urn:medseal:log-event-type";
inline constexpr std::string_view kAuditKeyIdSystem = "urn:medseal:key-id";
inline constexpr std::string_view kAuditRecordHashSystem = "urn:medseal:record-hash";
inline constexpr std::string_view kAuditConsentHashSystem = "urn:medseal:consent-hash";
inline constexpr std::string_view kAuditAttachmentHashSystem = "urn:medseal:attachment-hash";
inline constexpr std::string_view kAuditEventHashSystem = "urn:medseal:log-event-hash";

// The AuditEvent of a signed event as a JSON value, members in FHIR's
// element order. kInvalidArgument when `event.encoded` does not parse
// (ParseEvent) to `event.event` and signature, or when the event's time
// lies outside FHIR's instants (years 0001..9999; before 1970 is refused
// too, as events carry no negative times).
Result<OrderedJson> ExportAuditEventJson(const SignedEvent& event);
// The same as JSON text (compact, FHIR element order): the exact bytes of
// the vectors in native-tests/vectors/log/audit_event_v1.json.
Result<std::string> ExportAuditEvent(const SignedEvent& event);
// A FHIR R4 Bundle of type "collection" whose entries are the AuditEvents
// of `events`, in order (the first failure's code).
Result<std::string> ExportAuditEventBundle(std::span<const SignedEvent> events);

// Reads an AuditEvent written by ExportAuditEvent and returns its embedded
// signed event, after checking every mapped element against it. Rules of
// spec §11.4 in order: the JSON rules (kTooLarge, kMalformed, kTooDeep);
// resourceType (kMalformed); no medseal extension (kUnsupportedVersion: an
// AuditEvent medseal did not write); the extension's form and base64
// (kMalformed, kNonCanonical, kTooLarge); ParseEvent's rules and codes; a
// mapped element that differs from the one the embedded event gives, or an
// element medseal does not write (kLogEntryModified, naming the rule). Does
// not verify the signature: VerifyEvent with the author's card does.
Result<SignedEvent> ImportAuditEvent(std::string_view json);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_AUDIT_EVENT_H_
