// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation (RFC 3629): the one definition of "valid UTF-8" in core,
// used for card names today and for FHIR JSON and JCS later.
#ifndef MEDSEAL_CORE_BASE_UTF8_H_
#define MEDSEAL_CORE_BASE_UTF8_H_

#include <string_view>

namespace medseal {

// True if `text` is well-formed UTF-8: every code point in its shortest
// encoding, none a surrogate (U+D800..U+DFFF), none above U+10FFFF. The
// empty string is valid. NUL and other control characters are valid UTF-8;
// formats that forbid them check that separately (HasControlCharacter).
bool IsValidUtf8(std::string_view text);

// True if `text` contains a byte below 0x20 (C0 control characters, NUL
// included). For UTF-8 text these bytes are exactly U+0000..U+001F.
bool HasControlCharacter(std::string_view text);

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_UTF8_H_
