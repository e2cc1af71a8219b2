// SPDX-License-Identifier: Apache-2.0
// Log entries: what a leaf of medseal's log holds (spec §7): one kind byte
// and the bytes of a signed event or a public card. Leaf hash = RFC 9162
// LeafHash(entry).
#ifndef MEDSEAL_CORE_LOG_ENTRY_H_
#define MEDSEAL_CORE_LOG_ENTRY_H_

#include <cstdint>
#include <variant>

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/log/event.h"

namespace medseal::tlog {

inline constexpr uint8_t kEntryEvent = 0x01;  // 0x01 || SignedEvent.encoded
inline constexpr uint8_t kEntryCard = 0x02;   // 0x02 || PublicCard::ToJson()

Bytes EventEntry(const SignedEvent& event);
Bytes CardEntry(const PublicCard& card);

// A parsed entry: an event (signature not yet verified) or a verified card.
using LogEntry = std::variant<SignedEvent, PublicCard>;
// kTruncated (empty), kUnsupportedVersion (an unknown kind byte), then the
// kind's own parser codes (ParseEvent, PublicCard::ParseJson).
Result<LogEntry> ParseEntry(ByteView entry);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_ENTRY_H_
