// SPDX-License-Identifier: Apache-2.0
#include "core/group/consent_actor.h"

#include "core/codec/hex.h"

namespace medseal::group {

std::string GroupActorId(const MembershipState& state) { return HexEncode(state.group_id); }

fhir::Reference GroupActorReference(const MembershipState& state) {
  fhir::Reference ref;
  ref.reference = std::string(kGroupReferencePrefix) + GroupActorId(state);
  return ref;
}

consent::ShareCandidate GroupCandidate(const MembershipState& state,
                                       std::span<const fhir::Coding> roles) {
  consent::ShareCandidate c;
  c.card = &state.group_card;
  c.actor.key_id = state.group_card.key_id();
  c.actor.references.push_back(GroupActorReference(state));
  c.actor.roles.assign(roles.begin(), roles.end());
  c.actor.care_teams.push_back(GroupActorId(state));
  return c;
}

}  // namespace medseal::group
