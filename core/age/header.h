// SPDX-License-Identifier: Apache-2.0
// The age v1 header (C2SP age, "Header"): the version line, recipient
// stanzas, and the MAC line. Parsing is strict and incremental-friendly: a
// prefix of a valid header is kTruncated (a streaming caller waits for more
// bytes), anything that cannot become a valid header is an error at once.
#ifndef MEDSEAL_CORE_AGE_HEADER_H_
#define MEDSEAL_CORE_AGE_HEADER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

inline constexpr std::string_view kAgeVersionLine = "age-encryption.org/v1";
inline constexpr size_t kAgeFileKeySize = 16;
inline constexpr size_t kAgeHeaderMacSize = 32;
// Limits of this implementation (docs/spec/age.md §3): a header
// larger than this, or with more stanzas, is kTooLarge.
inline constexpr size_t kAgeMaxHeaderBytes = size_t{64} * 1024;
inline constexpr size_t kAgeMaxStanzas = 256;

struct AgeStanza {
  std::string type;               // the first argument ("X25519", "scrypt", ...)
  std::vector<std::string> args;  // the remaining arguments, as written
  Bytes body;                     // decoded from its 64-column base64 lines
};

struct AgeHeader {
  std::vector<AgeStanza> stanzas;
  Bytes mac;        // kAgeHeaderMacSize bytes
  Bytes mac_input;  // the exact bytes the MAC covers: the version line through "---"
  size_t size = 0;  // bytes of the whole header, through the MAC line's LF: the payload starts here
};

// Parses the header at the start of `file` (bytes after it are ignored; they
// are the payload). Errors: kTruncated (a valid prefix; more bytes may make
// it a header), kUnsupportedVersion (another version line), kMalformed
// (grammar: a stanza line, an argument that is empty or not VCHAR, a body
// line longer than 64 columns, a body not ending in a short line, a bad MAC
// line), kNonCanonical (base64 with non-zero trailing bits), kTooLarge.
// The rules and their order: docs/spec/age.md §3.2.
Result<AgeHeader> ParseAgeHeader(ByteView file);

// The header's MAC key and MAC: HMAC-SHA256(HKDF-SHA256(salt = empty,
// ikm = file_key, info = "header"), mac_input).
Bytes ComputeAgeHeaderMac(const SecretBytes& file_key, ByteView mac_input);

// kHeaderMacMismatch unless header.mac equals ComputeAgeHeaderMac (constant
// time); kInvalidArgument if file_key is not kAgeFileKeySize bytes.
[[nodiscard]] Status VerifyAgeHeaderMac(const AgeHeader& header, const SecretBytes& file_key);

// The bytes the MAC covers for these stanzas: the version line, each stanza
// (arguments, then the body in 64-column unpadded base64 lines ending with a
// line shorter than 64 columns, empty if need be), then "---" (no space).
// Errors as WriteAgeHeader. Parsing a header and encoding its stanzas gives
// back its mac_input byte for byte (the encoding is canonical).
Result<Bytes> EncodeAgeHeaderMacInput(const std::vector<AgeStanza>& stanzas);

// Encodes the stanzas and the MAC: the complete header bytes, ready to be
// followed by the payload. kInvalidArgument on no stanza, an empty type or
// argument, or a character outside VCHAR in one, or a file key that is not
// kAgeFileKeySize bytes; kTooLarge above kAgeMaxStanzas or kAgeMaxHeaderBytes
// (never write what ParseAgeHeader would refuse).
Result<Bytes> WriteAgeHeader(const std::vector<AgeStanza>& stanzas, const SecretBytes& file_key);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_HEADER_H_
