// SPDX-License-Identifier: Apache-2.0
// Standard base64 (RFC 4648 §4, alphabet "+/"), as age v1 uses it: stanza
// arguments and bodies and the header MAC without padding, the ASCII armor
// with padding. Decoding is strict: it rejects any second encoding of the
// same bytes (non-zero trailing bits, padding where none is allowed), as the
// C2SP age spec requires. (base64url.h is the URL-safe alphabet of cards and
// records.)
#ifndef MEDSEAL_CORE_CODEC_BASE64_H_
#define MEDSEAL_CORE_CODEC_BASE64_H_

#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

enum class Base64Padding { kNone, kRequired };

std::string Base64Encode(ByteView data, Base64Padding padding);

// kMalformed: a character outside the alphabet (including CR, LF and spaces),
// a length that no encoding has (1 mod 4 unpadded; not a multiple of 4 when
// padding is required), '=' where padding is not allowed or anywhere but the
// end; kNonCanonical: non-zero unused bits in the last character.
Result<Bytes> Base64Decode(std::string_view text, Base64Padding padding);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_BASE64_H_
