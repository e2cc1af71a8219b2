// SPDX-License-Identifier: Apache-2.0
// Hooks that tests and the vector generator use to build cards no honest
// identity can have. Internal to core (and its tests): not API.
#ifndef MEDSEAL_CORE_IDENTITY_INTERNAL_CARD_INTERNAL_H_
#define MEDSEAL_CORE_IDENTITY_INTERNAL_CARD_INTERNAL_H_

#include <vector>

#include "core/base/bytes.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"

namespace medseal::internal {

// The card `signer` would have if its X25519 public key were
// `kx_public_key` (32 bytes): the same signing key, name, role and creation
// time, the key id derived from the signing key and `kx_public_key`, and a
// valid self-signature by `signer`. `kx_public_key` is not checked: this is
// how the vectors get a properly signed card with a small-order key, which
// PublicCard::ParseJson must refuse (docs/spec/record.md §2.3, rule C27).
// For a post-quantum identity the card stays version 2 with the same key list.
PublicCard SelfSignedCardWithKxForTesting(const Identity& signer, ByteView kx_public_key);

// The version 2 card `signer` would have with `kx_public_key` and the key
// list `keys` (non-empty, used as given: not sorted, not checked), its v2
// key id and a valid self-signature by `signer`. How the vectors get
// properly signed cards with keys of unknown types, or an X-Wing key that
// fails its check (rules E15-E17 of docs/spec/record.md §6.3).
PublicCard SelfSignedCardV2ForTesting(const Identity& signer, ByteView kx_public_key,
                                      std::vector<CardKey> keys);

}  // namespace medseal::internal

#endif  // MEDSEAL_CORE_IDENTITY_INTERNAL_CARD_INTERNAL_H_
