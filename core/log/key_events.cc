// SPDX-License-Identifier: Apache-2.0
#include "core/log/key_events.h"

#include <utility>

#include "core/crypto/ed25519.h"

namespace medseal::tlog {
namespace {

bool SameId(ByteView a, ByteView b) { return a.size() == b.size() && ConstantTimeEqual(a, b); }

Result<SignedEvent> KeyEvent(const Identity& author, EventType type, ByteView subject_key_id,
                             UnixMillis time, const AuthorChains& chains) {
  auto [seq, prev] = chains.Next(author.key_id());
  Event ev;
  ev.type = type;
  ev.author = author.key_id();
  ev.seq = seq;
  ev.prev = std::move(prev);
  ev.time = time;
  ev.subjects.push_back(
      EventSubject{SubjectKind::kCard, Bytes(subject_key_id.begin(), subject_key_id.end())});
  return SignEvent(author, ev);
}

Status Match(const SignedEvent& event, EventType type, ByteView author, ByteView subject,
             UnixMillis time) {
  const Event& ev = event.event;
  if (ev.type != type || !SameId(ev.author, author) || ev.time != time || ev.subjects.size() != 1 ||
      ev.subjects[0].kind != SubjectKind::kCard || !SameId(ev.subjects[0].id, subject)) {
    return Error(ErrorCode::kLogEntryModified, "the event does not record this key change");
  }
  return Status::Ok();
}

}  // namespace

Result<SignedEvent> RotationEvent(const Identity& old_key, const group::KeyLink& link,
                                  const AuthorChains& chains) {
  if (!SameId(old_key.key_id(), link.previous_key_id)) {
    return Error(ErrorCode::kSenderMismatch, "the link was not issued by this key");
  }
  MEDSEAL_RETURN_IF_ERROR(group::VerifyKeyLink(link, old_key.card()));
  return KeyEvent(old_key, EventType::kRotate, link.next_card.key_id(), link.issued, chains);
}

Result<SignedEvent> RevocationEvent(const Identity& signer, const group::KeyRevocation& revocation,
                                    const AuthorChains& chains) {
  if (!SameId(signer.key_id(), revocation.signer_key_id)) {
    return Error(ErrorCode::kSenderMismatch, "the revocation was not signed by this key");
  }
  if (!Ed25519Verify(signer.card().sign_public_key(), revocation.SignedBytes(),
                     revocation.signature)
           .ok()) {
    return Error(ErrorCode::kSignatureInvalid, "revocation signature invalid");
  }
  return KeyEvent(signer, EventType::kRevoke, revocation.revoked_key_id, revocation.revoked,
                  chains);
}

Status MatchRotationEvent(const SignedEvent& event, const group::KeyLink& link) {
  return Match(event, EventType::kRotate, link.previous_key_id, link.next_card.key_id(),
               link.issued);
}

Status MatchRevocationEvent(const SignedEvent& event, const group::KeyRevocation& revocation) {
  return Match(event, EventType::kRevoke, revocation.signer_key_id, revocation.revoked_key_id,
               revocation.revoked);
}

}  // namespace medseal::tlog
