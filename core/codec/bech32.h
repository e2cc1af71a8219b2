// SPDX-License-Identifier: Apache-2.0
// Bech32 (BIP-173), as age v1 uses it for recipients ("age1...") and
// identities ("AGE-SECRET-KEY-1..."): the original Bech32 checksum (not
// Bech32m), 8-bit data regrouped into 5-bit words, no 90-character limit
// (age's keys are longer than BIP-173 allows for its own use).
// Tested against BIP-173's valid and invalid strings
// (native-tests/codec/bech32_test.cc).
#ifndef MEDSEAL_CORE_CODEC_BECH32_H_
#define MEDSEAL_CORE_CODEC_BECH32_H_

#include <string>
#include <string_view>

#include "core/base/bytes.h"
#include "core/base/status.h"

namespace medseal {

struct Bech32Data {
  std::string hrp;  // lower case, as decoded
  Bytes data;       // the 8-bit payload
};

// Encodes hrp (1..83 printable US-ASCII characters 33..126, no upper case) and
// the 8-bit data; the result is lower case. kInvalidArgument on a bad hrp.
Result<std::string> Bech32Encode(std::string_view hrp, ByteView data);
// Same, but the result is upper case (age identities are written that way).
Result<std::string> Bech32EncodeUpper(std::string_view hrp, ByteView data);

// Decodes a string that is all lower case or all upper case. kMalformed:
// mixed case, a character outside the charset, no separator, an empty hrp
// or one longer than 83 characters,
// fewer than 6 checksum characters, padding bits that are not zero or more
// than 4 of them; kDecryptFailed is NOT used: a wrong checksum is kMalformed.
// max_length bounds the whole string (kTooLarge above it).
Result<Bech32Data> Bech32Decode(std::string_view text, size_t max_length = 1024);

}  // namespace medseal

#endif  // MEDSEAL_CORE_CODEC_BECH32_H_
