// SPDX-License-Identifier: Apache-2.0
#include "core/log/directory.h"

#include <algorithm>
#include <variant>

#include "core/codec/hex.h"
#include "core/log/entry.h"

namespace medseal::tlog {
namespace {

bool Less(const std::pair<Bytes, DirectoryKey>& a, ByteView b) {
  return std::lexicographical_compare(a.first.begin(), a.first.end(), b.begin(), b.end());
}

bool Equal(const Bytes& a, ByteView b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::string At(uint64_t index) { return " (entry " + std::to_string(index) + ")"; }

Status Missing(std::string what, uint64_t index) {
  return Status(ErrorCode::kLogEntryMissing, std::move(what) + At(index));
}

// K2 / Lookup: a key that may no longer sign or be sealed to.
Status Retired(const DirectoryKey& key, const Bytes& key_id) {
  if (key.revoked) {
    return Status(ErrorCode::kKeyRevoked,
                  "key " + HexEncode(key_id) + " was revoked" + At(*key.revoked));
  }
  if (key.rotated) {
    return Status(ErrorCode::kKeyRevoked, "key " + HexEncode(key_id) + " was rotated to " +
                                              HexEncode(*key.successor) + At(*key.rotated));
  }
  return Status::Ok();
}

}  // namespace

const DirectoryKey* KeyDirectory::Find(ByteView key_id) const {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), key_id, Less);
  if (it == keys_.end() || !Equal(it->first, key_id)) return nullptr;
  return &it->second;
}

DirectoryKey* KeyDirectory::FindMutable(ByteView key_id) {
  return const_cast<DirectoryKey*>(static_cast<const KeyDirectory*>(this)->Find(key_id));
}

void KeyDirectory::AddCard(uint64_t index, const PublicCard& card) {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), ByteView(card.key_id()), Less);
  if (it != keys_.end() && it->first == card.key_id()) {
    it->second.card = card;
    return;
  }
  keys_.insert(it, {card.key_id(), DirectoryKey{card, index, {}, {}, {}, {}}});
}

Status KeyDirectory::ApplyEvent(uint64_t index, const SignedEvent& signed_event) {
  const Event& ev = signed_event.event;
  // K1, K2
  DirectoryKey* author = FindMutable(ev.author);
  if (author == nullptr)
    return Missing("the event's author card is not published before it", index);
  MEDSEAL_RETURN_IF_ERROR(Retired(*author, ev.author));
  std::vector<const Bytes*> cards;
  for (const EventSubject& s : ev.subjects) {
    if (s.kind == SubjectKind::kCard) cards.push_back(&s.id);
  }
  if (ev.type == EventType::kRotate) {
    // K3
    if (cards.size() != 1 || *cards[0] == ev.author) {
      return Status(ErrorCode::kInvalidArgument,
                    "a rotation names exactly one new card, not the author's" + At(index));
    }
    // K4
    DirectoryKey* next = FindMutable(*cards[0]);
    if (next == nullptr)
      return Missing("the rotation's new card is not published before it", index);
    MEDSEAL_RETURN_IF_ERROR(Retired(*next, *cards[0]));
    if (next->predecessor) {
      return Status(ErrorCode::kInvalidArgument, "a key rotated to twice" + At(index));
    }
    author->successor = *cards[0];
    author->rotated = index;
    next->predecessor = ev.author;
    return Status::Ok();
  }
  if (ev.type == EventType::kRevoke) {
    // K5
    if (cards.empty()) {
      return Status(ErrorCode::kInvalidArgument, "a revocation names no card" + At(index));
    }
    for (const Bytes* id : cards) {
      if (Find(*id) == nullptr) return Missing("a revoked card is not published before it", index);
      // K6: the author itself or one of its predecessors.
      bool allowed = false;
      for (const Bytes* k = &ev.author; k != nullptr;) {
        if (*k == *id) {
          allowed = true;
          break;
        }
        const DirectoryKey* key = Find(*k);
        k = key != nullptr && key->predecessor ? &*key->predecessor : nullptr;
      }
      if (!allowed) {
        return Status(ErrorCode::kNotPermitted,
                      "a key may revoke only itself and the keys it replaced" + At(index));
      }
    }
    for (const Bytes* id : cards) {
      DirectoryKey* key = FindMutable(*id);
      if (!key->revoked) key->revoked = index;
    }
  }
  return Status::Ok();
}

Status KeyDirectory::ApplyEntry(uint64_t index, ByteView entry) {
  auto parsed = ParseEntry(entry);
  if (!parsed.ok()) return parsed.status();
  if (const auto* card = std::get_if<PublicCard>(&*parsed)) {
    AddCard(index, *card);
    return Status::Ok();
  }
  const SignedEvent& ev = std::get<SignedEvent>(*parsed);
  const DirectoryKey* author = Find(ev.event.author);
  if (author == nullptr)
    return Missing("the event's author card is not published before it", index);
  MEDSEAL_RETURN_IF_ERROR(Retired(*author, ev.event.author));
  MEDSEAL_RETURN_IF_ERROR(VerifyEvent(ev, author->card));
  return ApplyEvent(index, ev);
}

Result<PublicCard> KeyDirectory::Lookup(ByteView key_id) const {
  const DirectoryKey* key = Find(key_id);
  if (key == nullptr) {
    return Status(ErrorCode::kLogEntryMissing,
                  "no card with key id " + HexEncode(key_id) + " is published");
  }
  MEDSEAL_RETURN_IF_ERROR(Retired(*key, Bytes(key_id.begin(), key_id.end())));
  return key->card;
}

Result<PublicCard> KeyDirectory::Current(ByteView key_id) const {
  const DirectoryKey* key = Find(key_id);
  if (key == nullptr) {
    return Status(ErrorCode::kLogEntryMissing,
                  "no card with key id " + HexEncode(key_id) + " is published");
  }
  // Rotation chains are acyclic: a key is rotated to at most once, and only
  // to a key published and not yet retired. A revoked key on the way (the
  // successor withdrew its predecessor) does not end the chain; a revoked
  // key at its end does.
  Bytes id(key_id.begin(), key_id.end());
  while (key->successor) {
    id = *key->successor;
    key = Find(id);
    MEDSEAL_CHECK(key != nullptr);
  }
  if (key->revoked) {
    return Status(ErrorCode::kKeyRevoked,
                  "key " + HexEncode(id) + " was revoked" + At(*key->revoked));
  }
  return key->card;
}

Status VerifyCardInclusion(const LogClient& client, const PublicCard& card, uint64_t index,
                           const Proof& proof) {
  return client.VerifyEntry(index, CardEntry(card), proof);
}

CardWatch::CardWatch(std::vector<std::string> names, std::vector<std::string> roles,
                     std::vector<Bytes> own_keys)
    : names_(std::move(names)), roles_(std::move(roles)), own_(std::move(own_keys)) {
  std::sort(own_.begin(), own_.end());
}

void CardWatch::AddOwnKey(ByteView key_id) {
  Bytes id(key_id.begin(), key_id.end());
  auto it = std::lower_bound(own_.begin(), own_.end(), id);
  if (it == own_.end() || *it != id) own_.insert(it, std::move(id));
}

void CardWatch::ObserveCard(uint64_t index, const PublicCard& card) {
  const bool watched = std::find(names_.begin(), names_.end(), card.name()) != names_.end() ||
                       std::find(roles_.begin(), roles_.end(), card.role()) != roles_.end();
  if (!watched || std::binary_search(own_.begin(), own_.end(), card.key_id())) return;
  findings_.push_back(CardFinding{index, card.key_id(), ErrorCode::kUnexpectedCard});
}

void CardWatch::Observe(uint64_t index, ByteView entry) {
  if (entry.empty() || entry[0] != kEntryCard) return;
  auto parsed = ParseEntry(entry);
  if (!parsed.ok()) return;
  if (const auto* card = std::get_if<PublicCard>(&*parsed)) ObserveCard(index, *card);
}

Status CardWatch::ToStatus() const {
  if (findings_.empty()) return Status::Ok();
  return Status(ErrorCode::kUnexpectedCard,
                "a card in a watched name or role that this device did not publish" +
                    At(findings_.front().index) +
                    (findings_.size() > 1 ? " and " + std::to_string(findings_.size() - 1) + " more"
                                          : std::string()));
}

}  // namespace medseal::tlog
