// SPDX-License-Identifier: Apache-2.0
// Sealed record v1: a payload encrypted once under a fresh data key, the key
// wrapped to each recipient's X25519 key, the header bound as associated data
// and the whole signed by the sender's Ed25519 key.
// Byte layout, labels and MUST-reject rules: docs/spec/record.md.
#ifndef MEDSEAL_CORE_RECORD_RECORD_H_
#define MEDSEAL_CORE_RECORD_RECORD_H_

#include <span>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/payload.h"
#include "core/record/sealed_record.h"

namespace medseal {

// Seals `payload` from `sender` to every card in `recipients` (1..64, no two
// with the same key id), at time clock.Now() (spec §4.5, with its argument
// checks and codes). Randomness: data key (32), nonce (24), ephemeral X25519
// key (32), drawn from `rng` in that order.
Result<SealedRecord> SealRecord(const Identity& sender, std::span<const PublicCard> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock);
// The same for cards held elsewhere (e.g. the wasm bindings' handle table),
// without copying them. A null pointer is kInvalidArgument.
Result<SealedRecord> SealRecord(const Identity& sender,
                                std::span<const PublicCard* const> recipients,
                                const RecordPayload& payload, Rng& rng, Clock& clock);

// Checks that `sender` sealed the record: key id and signature (spec §4.7
// steps 1-2; a hand-built record gets the parsers' structural checks first).
[[nodiscard]] Status VerifyRecord(const SealedRecord& record, const PublicCard& sender);

// Verifies the sender, then decrypts with `recipient`'s key (spec §4.7). No
// plaintext exists outside the returned OpenedPayload.
Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender);

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_RECORD_H_
