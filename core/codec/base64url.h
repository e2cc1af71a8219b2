// SPDX-License-Identifier: Apache-2.0
// RFC 4648 §5 base64url without '=' padding, strict (docs/spec/record.md §1).
#ifndef MEDSEAL_CORE_CODEC_BASE64URL_H_
#define MEDSEAL_CORE_CODEC_BASE64URL_H_

#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

// Base64url of `data`, without padding.
std::string Base64UrlEncode(ByteView data);
// Decodes base64url without padding. Checked over the whole input, in this
// order: a character outside A-Z a-z 0-9 - _ (other than a run of '=' at the
// end), then a length without the trailing '=' run that is 1 mod 4, are
// kMalformed; a trailing '=' run (any length), then non-zero unused trailing
// bits, are kNonCanonical (a second spelling of the same bytes).
Result<Bytes> Base64UrlDecode(std::string_view text);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_BASE64URL_H_
