// SPDX-License-Identifier: Apache-2.0
// Sealed record v1: a payload encrypted once under a fresh data key, the key
// wrapped to each recipient's X25519 key, the header bound as associated data
// and the whole signed by the sender's Ed25519 key.
// Byte layout, labels and MUST-reject rules: docs/spec/record.md.
#ifndef MEDSEAL_CORE_RECORD_RECORD_H_
#define MEDSEAL_CORE_RECORD_RECORD_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
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
// plaintext exists outside the returned OpenedPayload. A v2 record states no
// purpose here and fails with kPurposeMismatch after verification (spec
// §5.6): open it with the overload that takes a purpose.
Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender);

// ---- Sealed record v2 (docs/spec/record.md §5) ----
// v2 binds the purposes of use and the hashes of the deciding consents into
// the authenticated header, and types every recipient stanza: X25519 (a
// card's kx key), vault (a symmetric key the patient holds, for the
// patient's own erasable copies) or X-Wing (a card's post-quantum hybrid
// key, issue #14). v1 records still parse, verify and open.

// RecordPurpose (a purpose of use: system + code) is declared in
// sealed_record.h, with the parsed header fields.

// What a v2 header binds besides the recipients. The order given does not
// matter (sealing sorts both lists, spec §5.1); a duplicate is refused.
struct RecordContext {
  std::vector<RecordPurpose> purposes;  // 1..kMaxRecordPurposes, unique
  std::vector<Bytes> consent_hashes;    // 0..kMaxConsentHashes, 32 bytes each, unique
};

// A 32-byte symmetric key held by the patient (its keystore), identified by
// a 16-byte id. Destroying every copy of it makes the records wrapped to it
// unreadable for good (crypto-shredding). Move-only; wiped on destruction.
class VaultKey {
 public:
  // Draws the 32-byte key, then the 16-byte id, from `rng`.
  static Result<VaultKey> Generate(Rng& rng);
  // A key from a keystore: a 16-byte id and a 32-byte key, else
  // kInvalidArgument. Takes ownership of `key`.
  static Result<VaultKey> FromBytes(ByteView key_id, SecretBytes key);
  const Bytes& key_id() const { return key_id_; }
  const SecretBytes& key() const { return key_; }

 private:
  VaultKey() = default;
  Bytes key_id_;
  SecretBytes key_;
};

// A RecordContext from the JSON text the package writes (the wasm bindings
// pass it through): {"purposes": [{"system": s, "code": c}, ...],
// "consentHashes": [hex, ...]}, members in any order. Anything else is
// kInvalidArgument (an input over 1 MiB kTooLarge); the rules on the
// values are SealRecordV2's, not checked here.
Result<RecordContext> RecordContextFromJson(std::string_view json);

// Seals a v2 record from `sender` to the cards and vault keys given (at least
// one recipient in all, at most kMaxRecipients), binding `context` (spec
// §5.4, with its argument checks and their order). A card with an X-Wing
// key (PublicCard::has_post_quantum_key) gets a type 3 stanza and no type 1
// stanza; every other card a type 1 stanza. Randomness: data key (32),
// nonce (24), ephemeral X25519 key (32), the last drawn even without a card,
// then one 64-byte X-Wing eseed per type 3 stanza in stanza order (by key
// id). An X-Wing key that fails its checks is kInvalidKey or kWeakKey.
// SealRecord keeps writing v1 (X25519 only, also to a post-quantum card).
Result<SealedRecord> SealRecordV2(const Identity& sender,
                                  std::span<const PublicCard* const> recipients,
                                  std::span<const VaultKey* const> vault_keys,
                                  const RecordPayload& payload, const RecordContext& context,
                                  Rng& rng, Clock& clock);
// Opens a v2 record for a stated purpose (spec §5.6): a malformed purpose
// is kInvalidArgument; then V1-V2; kPurposeMismatch when the header does
// not carry `purpose` (exact system and code bytes); then the recipient
// steps: an identity with an X-Wing key uses its type 3 stanza when there
// is one (H1 kWeakKey, H2 kDecryptFailed, no fallback), else the type 1
// stanza (O1-O4). A v1 record (which carries no purpose) opens for any
// well-formed purpose.
Result<OpenedPayload> OpenRecord(const SealedRecord& record, const Identity& recipient,
                                 const PublicCard& sender, const RecordPurpose& purpose);
// The same with a vault key: its type 2 stanza (Q1 kNoMatchingRecipient,
// Q2 kDecryptFailed). A v1 record has none.
Result<OpenedPayload> OpenRecordWithVaultKey(const SealedRecord& record, const VaultKey& key,
                                             const PublicCard& sender,
                                             const RecordPurpose& purpose);

}  // namespace medseal

#endif  // MEDSEAL_CORE_RECORD_RECORD_H_
