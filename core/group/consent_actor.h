// SPDX-License-Identifier: Apache-2.0
// Groups as consent actors and share recipients (issue #13, "Records and
// consents can name a group or role as recipient or actor"). A consent names
// a group by a reference "Group/<id>" whose id is the lower-case hex of the
// group's 16-byte group id: it is fixed for the group's life, so the consent
// keeps naming the group after a removal started a new epoch with a new
// group card (a consent naming the epoch card's key id would stop matching).
// Consent evaluation needs no change for this: docs/spec/consent.md §5.2
// rule 4 already matches "Group/<id>" and "CareTeam/<id>" against the
// request's care-team ids. GroupCandidate puts the group's current card and
// that id into a consent::ShareCandidate, so Share seals a permitted record
// to the group card; members open it through OpenEpochKey. Spec:
// docs/spec/group.md §10.
#ifndef MEDSEAL_CORE_GROUP_CONSENT_ACTOR_H_
#define MEDSEAL_CORE_GROUP_CONSENT_ACTOR_H_

#include <span>
#include <string>

#include "core/consent/share.h"
#include "core/fhir/model.h"
#include "core/group/group.h"

namespace medseal::group {

// The prefix of a consent reference that names a group.
inline constexpr std::string_view kGroupReferencePrefix = "Group/";

// hex(state.group_id), lower case: the group's consent actor id.
std::string GroupActorId(const MembershipState& state);
// {"reference": "Group/" + GroupActorId(state)}.
fhir::Reference GroupActorReference(const MembershipState& state);
// A share candidate for the group at `state` (the caller verified it, e.g.
// VerifyMembershipHistory): card = &state.group_card (the state must outlive
// the candidate), actor key id = that card's key id, actor references =
// {GroupActorReference}, care teams = {GroupActorId}, and `roles` (an R4
// consent actor entry has a role, which must match too: consent.md §5.2).
consent::ShareCandidate GroupCandidate(const MembershipState& state,
                                       std::span<const fhir::Coding> roles);

}  // namespace medseal::group

#endif  // MEDSEAL_CORE_GROUP_CONSENT_ACTOR_H_
