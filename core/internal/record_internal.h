// Pieces of the record construction that tests and the vector generator need
// to build deliberately broken records. Not API.
#ifndef MEDSEAL_CORE_INTERNAL_RECORD_INTERNAL_H_
#define MEDSEAL_CORE_INTERNAL_RECORD_INTERNAL_H_

#include "core/record.h"

namespace medseal::internal {

// The message the sender signs (spec §4.6).
Bytes RecordSignatureMessage(const SealedRecord& record);

// Seals an already encoded and padded payload (no checks on it), drawing the
// data key, nonce and ephemeral key from `rng` exactly as SealRecord does.
Result<SealedRecord> SealPaddedPayload(const Identity& sender,
                                       std::span<const PublicCard* const> recipients,
                                       ByteView padded_payload, Rng& rng);

// Encodes and pads a payload as SealRecord does (spec §4.3–§4.4).
Bytes EncodePayloadForTesting(const RecordPayload& payload);

}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_INTERNAL_RECORD_INTERNAL_H_
