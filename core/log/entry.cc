// SPDX-License-Identifier: Apache-2.0
#include "core/log/entry.h"

#include <string>
#include <utility>

namespace medseal::tlog {

Bytes EventEntry(const SignedEvent& event) {
  Bytes out;
  out.reserve(1 + event.encoded.size());
  out.push_back(kEntryEvent);
  out.insert(out.end(), event.encoded.begin(), event.encoded.end());
  return out;
}

Bytes CardEntry(const PublicCard& card) {
  const std::string json = card.ToJson();
  Bytes out;
  out.reserve(1 + json.size());
  out.push_back(kEntryCard);
  out.insert(out.end(), json.begin(), json.end());
  return out;
}

Result<LogEntry> ParseEntry(ByteView entry) {
  if (entry.empty()) return Error(ErrorCode::kTruncated, "entry: empty");  // Y1
  const ByteView body = entry.subspan(1);
  switch (entry[0]) {
    case kEntryEvent: {
      MEDSEAL_ASSIGN_OR_RETURN(SignedEvent event, ParseEvent(body));  // Y3
      return LogEntry(std::move(event));
    }
    case kEntryCard: {
      MEDSEAL_ASSIGN_OR_RETURN(PublicCard card, PublicCard::ParseJson(AsText(body)));  // Y4
      if (card.ToJson() != AsText(body)) {
        return Error(ErrorCode::kNonCanonical, "entry: card not in its JCS form");  // Y5
      }
      return LogEntry(std::move(card));
    }
    default: return Error(ErrorCode::kUnsupportedVersion, "entry: unknown kind byte");  // Y2
  }
}

}  // namespace medseal::tlog
