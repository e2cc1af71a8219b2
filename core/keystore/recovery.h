// SPDX-License-Identifier: Apache-2.0
// The recovery key of a keystore (docs/spec/keystore.md §6): 32 random bytes
// shown once as 8 groups of 8 Crockford base32 characters, each group ending
// in a check character (GF(32) weighted sum, which also covers the group's
// position) and the whole key carrying a 24-bit BLAKE2b checksum. A typing
// error in one group is located; two groups swapped are located; any other
// error is caught by the whole-key checksum with probability 1 - 2^-24.
// Parsing accepts lower case, spaces and hyphens anywhere, and reads the usual
// confusables O as 0 and I, L as 1.
#ifndef MEDSEAL_CORE_KEYSTORE_RECOVERY_H_
#define MEDSEAL_CORE_KEYSTORE_RECOVERY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr size_t kRecoveryKeySize = 32;
inline constexpr size_t kRecoveryGroups = 8;
inline constexpr size_t kRecoveryGroupChars = 8;  // 7 data characters + 1 check character
// The formatted text: 8 groups of 8 characters joined by '-'.
inline constexpr size_t kRecoveryTextSize = kRecoveryGroups * kRecoveryGroupChars +
                                            kRecoveryGroups - 1;
// The longest input ParseRecoveryKey looks at (spaces and hyphens included).
inline constexpr size_t kRecoveryMaxInput = 256;

// 32 fresh bytes from `rng`.
SecretBytes GenerateRecoveryKey(Rng& rng);

// The 71-character text of a 32-byte key (uppercase, groups joined by '-'),
// as ASCII bytes in a SecretBytes (it is the key). Precondition: 32 bytes.
SecretBytes FormatRecoveryKey(const SecretBytes& key);

// What is wrong with a typed recovery key, for the UI.
struct RecoveryKeyDiagnosis {
  ErrorCode code = ErrorCode::kOk;  // kOk, kTooLarge, kMalformed or kRecoveryKeyChecksum
  // 0-based indices of the groups whose check character does not match
  // (empty when the text is malformed or only the whole-key checksum fails).
  std::vector<size_t> bad_groups;
};

// The 32-byte key of a typed text. kTooLarge above kRecoveryMaxInput bytes;
// kMalformed for a character outside Crockford base32 (after the mapping of
// case and confusables; U is not a Crockford character) or a count other than
// 64 characters; kRecoveryKeyChecksum if a group's check character or the
// whole-key checksum fails (DiagnoseRecoveryKey says which groups).
Result<SecretBytes> ParseRecoveryKey(ByteView text);
RecoveryKeyDiagnosis DiagnoseRecoveryKey(ByteView text);
// The bad groups of a diagnosis as a bit mask (bit g set for group g), for
// the npm package.
uint32_t RecoveryBadGroupMask(const RecoveryKeyDiagnosis& diagnosis);

// Whether one typed group (8 characters, same mapping) is plausible at
// position `index` (0..7), so a UI can flag it as soon as it is typed.
bool RecoveryGroupValid(ByteView group, size_t index);

}  // namespace medseal

#endif  // MEDSEAL_CORE_KEYSTORE_RECOVERY_H_
