// SPDX-License-Identifier: Apache-2.0
// Withdrawal in one call (docs/spec/share.md §3): from the patient's current
// signed consent, the next signed version, either inactive (the whole
// consent withdrawn) or narrowed so that one grantee is no longer permitted
// anything by it. meta.versionId is bumped (absent counts as 1), so that
// Share counts only the new version (share.h, CurrentConsents).
//
// What withdrawal cannot do: recall copies a recipient has already
// downloaded and decrypted (spec §3.4, docs/threat-model.md). Reseal
// (share.h) makes new versions of existing records that the withdrawn
// grantee cannot open; the old versions remain openable by whoever holds
// them and a key that opens them.
#ifndef MEDSEAL_CORE_CONSENT_WITHDRAW_H_
#define MEDSEAL_CORE_CONSENT_WITHDRAW_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/clock.h"
#include "core/base/status.h"
#include "core/codec/json.h"
#include "core/consent/receipt.h"
#include "core/fhir/consent_resource.h"
#include "core/fhir/model.h"
#include "core/identity/identity.h"

namespace medseal::consent {

enum class WithdrawScope : uint32_t {
  kWhole = 0,  // status -> "inactive"
  kActor = 1,  // no provision permits `actor` any more
};

struct Withdrawal {
  WithdrawScope scope = WithdrawScope::kWhole;
  // kActor: who. The reference (reference string, or identifier system +
  // value) names the grantee as the consent's actor entries do; the role is
  // written into the deny exceptions Withdraw adds (required in R4 when one
  // is added: R4's provision.actor.role is 1..1).
  fhir::ProvisionActor actor;
};

// meta.versionId of a FHIR resource as a number: absent meta or versionId =
// 1; kInvalidArgument unless a decimal integer 1..2^53-1 without leading 0.
Result<int64_t> ResourceVersion(const Json& resource);

// Returns the new signed version of `current` (signed by `patient` at
// clock.Now()). Codes, in order: kSenderMismatch / kSignatureInvalid (not
// the patient's consent), kConsentInactive (not active), kInvalidArgument
// (an unknown scope; kActor without a reference; nothing in the consent
// permits that actor; an R4 deny exception needed without a role), kTooDeep
// (an exception would pass fhir::kMaxProvisionDepth), then SignConsent's.
Result<SignedConsent> Withdraw(const Identity& patient, const SignedConsent& current,
                               const Withdrawal& what, Clock& clock);

// The JSON form, for the package: `withdrawal_json` is {"scope": "whole"} or
// {"scope": "actor", "actor": {"reference": {"reference"?, "identifier"?:
// {"system"?, "value"}, "display"?}, "role"?: {"coding": [{"system"?,
// "code", "display"?}], "text"?}}} (kMalformed for anything else; at most
// 64 KiB), `receipt_json` the current receipt (ParseReceipt); returns the
// new receipt's JSON text.
inline constexpr size_t kMaxWithdrawalJsonBytes = 64u << 10;
Result<Withdrawal> ParseWithdrawalJson(std::string_view json);
Result<std::string> WithdrawFromJson(const Identity& patient, std::string_view receipt_json,
                                     std::string_view withdrawal_json, Clock& clock);

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_WITHDRAW_H_
