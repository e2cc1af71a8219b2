// SPDX-License-Identifier: Apache-2.0
// Key rotations and revocations as log events (issue #13 "Rotation and
// history" meets issue #11's log): a key-chain link (core/group/key_chain.h)
// becomes a kRotate event signed by the old key naming the new card, and a
// KeyRevocation becomes a kRevoke event signed by the revocation's signer
// naming the revoked key, so that KeyDirectory (directory.h, spec §9.2)
// applies them. The link and revocation bytes stay what a peer checks; the
// events put them in the log's order. Format: docs/spec/log.md §9.5,
// docs/spec/group.md §9.
#ifndef MEDSEAL_CORE_LOG_KEY_EVENTS_H_
#define MEDSEAL_CORE_LOG_KEY_EVENTS_H_

#include "core/base/bytes.h"
#include "core/base/status.h"
#include "core/group/key_chain.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/log/event.h"

namespace medseal::tlog {

// The kRotate event for `link`, signed by `old_key` (key N): author = key N,
// seq and prev from `chains` (AuthorChains::Next; the caller appends the
// result), time = link.issued, one card subject: the new key id. Codes:
// kSenderMismatch (old_key is not the link's previous key), VerifyKeyLink's
// (kKeyIdMismatch, kMalformed, kSignatureInvalid: a link that does not
// verify is never published), SignEvent's.
Result<SignedEvent> RotationEvent(const Identity& old_key, const group::KeyLink& link,
                                  const AuthorChains& chains);

// The kRevoke event for `revocation`, signed by `signer` (the revocation's
// signer: the revoked key itself, or a later key of its chain): time =
// revocation.revoked, one card subject: the revoked key id. Codes:
// kSenderMismatch (signer is not the revocation's signer), kSignatureInvalid
// (the revocation's own signature does not verify under signer's card),
// SignEvent's.
Result<SignedEvent> RevocationEvent(const Identity& signer, const group::KeyRevocation& revocation,
                                    const AuthorChains& chains);

// Checks that a logged event is the one for `link` (a peer that fetched the
// link bytes and the event): kRotate, author = link.previous_key_id, the one
// card subject = the link's next key id, time = link.issued; else
// kLogEntryModified. The event's signature is checked elsewhere
// (VerifyEvent).
[[nodiscard]] Status MatchRotationEvent(const SignedEvent& event, const group::KeyLink& link);
// The same for a revocation: kRevoke, author = signer, the one card subject
// = the revoked key id, time = revocation.revoked.
[[nodiscard]] Status MatchRevocationEvent(const SignedEvent& event,
                                          const group::KeyRevocation& revocation);

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_KEY_EVENTS_H_
