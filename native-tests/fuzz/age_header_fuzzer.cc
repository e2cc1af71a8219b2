// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the age v1 header (ParseAgeHeader, core/age/header.h)
// and the stanza rules behind it (UnwrapAgeFileKey, core/age/keys.h).
//
// For every input: ParseAgeHeader. A failure must carry a header error code.
// A header that parses must be canonical: its bytes are exactly
// EncodeAgeHeaderMacInput(stanzas) + " " + base64(mac) + LF, and one byte
// fewer is kTruncated. Then UnwrapAgeFileKey with a fixed X25519 identity
// and a fixed post-quantum hybrid identity (the CCTV ones, so that the kit's
// x25519* and hybrid* seeds reach the key operations) and a passphrase
// identity (work factor capped at 2^4 to stay fast) must return a stanza error code or a 16-byte
// file key, and WriteAgeHeader must give a header that parses back to the same stanzas. Any
// violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/age/header.h"
#include "core/age/keys.h"
#include "core/codec/base64.h"

namespace {

using namespace medseal;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "age_header_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool IsHeaderError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTruncated:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kMalformed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge: return true;
    default: return false;
  }
}

bool IsUnwrapError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNoMatchingRecipient:
    case ErrorCode::kUnsupportedRecipient:
    case ErrorCode::kMalformed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kWeakKey:
    case ErrorCode::kTooLarge: return true;
    default: return false;
  }
}

bool SameStanzas(const std::vector<AgeStanza>& a, const std::vector<AgeStanza>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].type != b[i].type || a[i].args != b[i].args || a[i].body != b[i].body) return false;
  }
  return true;
}

const std::vector<AgeIdentity>& Identities() {
  static const auto* const kIds = [] {
    auto* ids = new std::vector<AgeIdentity>();
    auto x = AgeIdentity::Parse(
        "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0");
    auto pq = AgeIdentity::Parse(
        "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG");
    auto s = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes(std::string_view("password"))), 4);
    if (!x.ok() || !pq.ok() || !s.ok()) Bug("fixed identities");
    ids->push_back(std::move(x).value());
    ids->push_back(std::move(pq).value());
    ids->push_back(std::move(s).value());
    return ids;
  }();
  return *kIds;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  Result<AgeHeader> header = ParseAgeHeader(input);
  if (!header.ok()) {
    if (!IsHeaderError(header.status().code())) Bug("unexpected parse error code");
    return 0;
  }
  const AgeHeader& h = *header;
  if (h.stanzas.empty() || h.stanzas.size() > kAgeMaxStanzas) Bug("stanza count");
  if (h.size == 0 || h.size > size || h.size > kAgeMaxHeaderBytes) Bug("header size");
  if (h.mac.size() != kAgeHeaderMacSize) Bug("MAC size");

  // Canonical: the bytes are the re-encoding.
  Result<Bytes> mac_input = EncodeAgeHeaderMacInput(h.stanzas);
  if (!mac_input.ok() || *mac_input != h.mac_input) Bug("MAC input does not re-encode");
  Bytes again = *mac_input;
  again.push_back(' ');
  const std::string mac_text = Base64Encode(h.mac, Base64Padding::kNone);
  again.insert(again.end(), mac_text.begin(), mac_text.end());
  again.push_back('\n');
  if (again != Bytes(data, data + h.size)) Bug("header bytes are not canonical");
  if (ParseAgeHeader(input.first(h.size - 1)).status().code() != ErrorCode::kTruncated) {
    Bug("a strict prefix is not kTruncated");
  }

  Result<SecretBytes> file_key = UnwrapAgeFileKey(h, Identities());
  if (!file_key.ok()) {
    if (!IsUnwrapError(file_key.status().code())) Bug("unexpected unwrap error code");
  } else {
    if (file_key->size() != kAgeFileKeySize) Bug("file key size");
    const Status mac = VerifyAgeHeaderMac(h, *file_key);
    if (!mac.ok() && mac.code() != ErrorCode::kHeaderMacMismatch) Bug("MAC error code");
  }

  // Writing the stanzas back gives a header that parses to them.
  const SecretBytes key(kAgeFileKeySize);
  Result<Bytes> written = WriteAgeHeader(h.stanzas, key);
  if (!written.ok()) Bug("a parsed header does not write");
  Result<AgeHeader> reparsed = ParseAgeHeader(*written);
  if (!reparsed.ok() || !SameStanzas(reparsed->stanzas, h.stanzas)) Bug("write/parse round trip");
  if (!VerifyAgeHeaderMac(*reparsed, key).ok()) Bug("written MAC does not verify");
  return 0;
}
