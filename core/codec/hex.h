// SPDX-License-Identifier: Apache-2.0
// Lower-case hexadecimal, strict.
#ifndef MEDSEAL_CORE_CODEC_HEX_H_
#define MEDSEAL_CORE_CODEC_HEX_H_

#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

// Lower-case hex of `data`.
std::string HexEncode(ByteView data);
// Decodes lower-case hex. Grammar first, over the whole input: a character
// outside [0-9a-fA-F] or an odd length is kMalformed; then canonical form: an
// upper-case digit is kNonCanonical.
Result<Bytes> HexDecode(std::string_view hex);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_HEX_H_
