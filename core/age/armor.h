// SPDX-License-Identifier: Apache-2.0
// age's ASCII armor (C2SP age, "ASCII armor"): strict PEM, "-----BEGIN AGE
// ENCRYPTED FILE-----", 64-column padded base64 lines, a last line shorter
// than 64 columns (or exactly 64 followed by the END line), LF or CRLF,
// leading and trailing whitespace around the whole armor tolerated.
#ifndef MEDSEAL_CORE_AGE_ARMOR_H_
#define MEDSEAL_CORE_AGE_ARMOR_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr std::string_view kAgeArmorBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
inline constexpr std::string_view kAgeArmorEnd = "-----END AGE ENCRYPTED FILE-----";
inline constexpr size_t kAgeMaxArmoredBytes = size_t{64} * 1024 * 1024;  // kTooLarge above

// True if the bytes start (after optional whitespace) with kAgeArmorBegin.
bool LooksArmored(ByteView file);

// LF line endings, a final LF after the END line.
std::string ArmorEncode(ByteView binary);

// kArmorMalformed for every grammar error (the CCTV "armor failure" class):
// missing or wrong BEGIN/END, a line of the wrong length, a character outside
// base64, bad padding, non-canonical trailing bits, an empty line, data after
// the END line other than whitespace. kTooLarge above kAgeMaxArmoredBytes.
Result<Bytes> ArmorDecode(ByteView text);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_ARMOR_H_
