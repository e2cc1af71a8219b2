// SPDX-License-Identifier: Apache-2.0
// Pieces of the record construction shared by the record sources, and the
// hooks that tests and the vector generator use to build deliberately
// broken records. Internal to core (and its tests): not API.
#ifndef MEDSEAL_CORE_RECORD_INTERNAL_RECORD_INTERNAL_H_
#define MEDSEAL_CORE_RECORD_INTERNAL_RECORD_INTERNAL_H_

#include <span>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/crypto/xwing.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/payload.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"

namespace medseal::internal {

// Payload fields (spec §4.3): `code` is the error for a bad character or an
// empty content type (kInvalidArgument when sealing, kMalformed when
// opening); lengths over their limits are kTooLarge.
Status CheckPayloadFields(const RecordPayload& payload, ErrorCode code);

// Encodes and pads a payload (spec §4.3, §4.4) with `created`; sets
// *padded_size. The buffer has 16 spare bytes at the end for the AEAD tag.
SecretBytes EncodePaddedPayload(const RecordPayload& payload, UnixMillis created,
                                size_t* padded_size);

// Recipient list rules (spec §4.6 B5, B6, B8, B9).
Status CheckRecipients(const std::vector<RecipientStanza>& stanzas);
// Ciphertext length rules (spec §4.6 B11, B12).
Status CheckCiphertextSize(size_t size);
// v2 header rules (spec §5.5): one purpose (W5, W6; `code` for an empty
// or badly spelled field, kTooLarge for a long one), the order of the
// purposes (W7) and of the consent hashes (W11), a known type's body size
// (W19), and the stanza list (W20, W21).
Status CheckPurpose(const RecordPurpose& purpose, ErrorCode code);
Status CheckPurposeOrder(const std::vector<RecordPurpose>& purposes);
Status CheckConsentHashOrder(const std::vector<Bytes>& hashes);
Status CheckStanzaBody(const RecipientStanza& stanza);
Status CheckStanzasV2(const std::vector<RecipientStanza>& stanzas);
// Every structural rule, for a SealedRecord built by hand (not parsed).
Status CheckStructure(const SealedRecord& record);

// The message the sender signs (spec §4.5 step 6).
Bytes RecordSignatureMessage(const SealedRecord& record);

// Seals an already encoded and padded payload (no checks on it), drawing the
// data key, nonce and ephemeral key from `rng` exactly as SealRecord does.
Result<SealedRecord> SealPaddedPayload(const Identity& sender,
                                       std::span<const PublicCard* const> recipients,
                                       ByteView padded_payload, Rng& rng);

// v2 sealing arguments (spec §5.4 step 1): the purposes and consent
// hashes checked, then sorted into *sorted (duplicates: kInvalidArgument).
Status CheckRecordContext(const RecordContext& context, RecordContext* sorted);

// SealPaddedPayload for v2: `context` must already be sorted and unique
// (CheckRecordContext); nothing else about it or the payload is checked.
// A card with an X-Wing key gets a type 3 stanza (and no type 1), every
// other card a type 1 stanza; the RNG draws after eph_sk one 64-byte eseed
// per type 3 stanza, in stanza order (spec §5.4).
// `extra` stanzas (tests and vectors: types of a later spec) are added to
// the header as given, before the payload is encrypted, and the list sorted.
Result<SealedRecord> SealPaddedPayloadV2(const Identity& sender,
                                         std::span<const PublicCard* const> recipients,
                                         std::span<const VaultKey* const> vault_keys,
                                         ByteView padded_payload, const RecordContext& context,
                                         Rng& rng, std::span<const RecipientStanza> extra = {});

// A type 3 (X-Wing) stanza to the card key `xwing_public_key` of the card
// with `key_id` (spec §5.4 step 3), with the 64-byte X-Wing encapsulation
// randomness `eseed`:
//   (ct, ss) = X-Wing.EncapsDerand(pk, eseed)
//   wrap_key = BLAKE2b-32(ss, "medseal/v2/record/xwing-wrap" 0x00 || key_id || ct)
//   body     = ct || XChaCha20-Poly1305(wrap_key, 24 zero bytes, "", data_key)
// The key's checks are X-Wing's (kInvalidKey, kWeakKey; a size other than
// 1216 bytes, or an eseed of other than 64, is kInvalidArgument).
Result<RecipientStanza> SealXWingStanza(ByteView key_id, ByteView xwing_public_key, ByteView eseed,
                                        const SecretBytes& data_key);
// Its inverse (spec §5.6 H1, H2): the 32-byte data key, kWeakKey when the
// ciphertext's X25519 part gives an all-zero secret, kDecryptFailed when
// the wrapped key does not decrypt (a wrong key or a changed body), and
// kMalformed for a stanza that is not a type 3 stanza of 1168 bytes.
Result<SecretBytes> OpenXWingStanza(const RecipientStanza& stanza, const XWingPrivateKey& key);

// Encodes and pads a payload as SealRecord does, into plain Bytes.
Bytes EncodePayloadForTesting(const RecordPayload& payload, UnixMillis created);

}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_RECORD_INTERNAL_RECORD_INTERNAL_H_
