// SPDX-License-Identifier: Apache-2.0
// RFC 4648 §6 base32 (alphabet A-Z 2-7), strict: upper case only and no '='
// padding, as otpauth:// secrets are written (docs/spec/otp.md §3).
#ifndef MEDSEAL_CORE_CODEC_BASE32_H_
#define MEDSEAL_CORE_CODEC_BASE32_H_

#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

// Base32 of `data`, upper case, without padding.
std::string Base32Encode(ByteView data);
// Decodes unpadded upper-case base32. Checked over the whole input, in this
// order: a character outside A-Z 2-7 (other than a run of '=' at the end) is
// kMalformed; a length without the '=' run that is 1, 3 or 6 mod 8 is
// kMalformed; a trailing '=' run (any length), then non-zero unused trailing
// bits, are kNonCanonical (a second spelling of the same bytes).
// Lower-case letters are kMalformed (a caller that wants to accept them
// upper-cases the text itself, knowing it does).
Result<Bytes> Base32Decode(std::string_view text);
// The same, into a zeroizing buffer (for secrets); no copy of the bytes is
// left behind.
Result<SecretBytes> Base32DecodeSecret(std::string_view text);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_BASE32_H_
