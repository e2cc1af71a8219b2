// SPDX-License-Identifier: Apache-2.0
// age v1 recipients and identities (C2SP age): the X25519 recipient
// ("age1..." / "AGE-SECRET-KEY-1...", Bech32) and the scrypt passphrase
// recipient. A recipient wraps a file key into a stanza; an identity unwraps
// it. The post-quantum hybrid (age1pq1... / "mlkem768x25519" stanzas) is
// recognised and reported as kUnsupportedRecipient (issue #14 adds it).
#ifndef MEDSEAL_CORE_AGE_KEYS_H_
#define MEDSEAL_CORE_AGE_KEYS_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/age/header.h"
#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"

namespace medseal {

// The work factor medseal writes (age's own default is 18) and the largest
// it accepts when decrypting (a header asking for more is kTooLarge: 2^22
// with r = 8 is 4 GiB, 2^23 would be 8 GiB; age's reference implementation
// caps at 22 as well: docs/spec/age.md §4.2).
inline constexpr int kAgeScryptDefaultLogN = 18;
inline constexpr int kAgeScryptMaxLogN = 22;

class AgeRecipient {
 public:
  enum class Kind { kX25519, kScrypt };

  // "age1" + Bech32 of a 32-byte X25519 public key, lower case. kMalformed
  // on a bad string, kWeakKey on a point of small order,
  // kUnsupportedRecipient on a known other type (age1pq1..., age1tag1...,
  // age1tagpq1..., plugins age1<name>1...). docs/spec/age.md §2.
  static Result<AgeRecipient> Parse(std::string_view text);
  // From a raw 32-byte X25519 public key (a medseal card's kx key maps here).
  // kInvalidArgument unless 32 bytes; kWeakKey on a point of small order.
  static Result<AgeRecipient> X25519(ByteView public_key);
  // The passphrase recipient: in a file it must be the only stanza.
  // kInvalidArgument on an empty passphrase or a work factor outside 1..kAgeScryptMaxLogN.
  static Result<AgeRecipient> Scrypt(SecretBytes passphrase, int log_n = kAgeScryptDefaultLogN);

  Kind kind() const { return kind_; }
  // "age1..." for X25519; empty for scrypt.
  std::string ToString() const;
  const Bytes& public_key() const { return public_key_; }  // X25519 only

  // Wraps a file key (kAgeFileKeySize bytes) into this recipient's stanza,
  // with fresh randomness (ephemeral key or salt) from rng.
  Result<AgeStanza> Wrap(const SecretBytes& file_key, Rng& rng) const;

 private:
  AgeRecipient() = default;
  Kind kind_ = Kind::kX25519;
  Bytes public_key_;
  std::shared_ptr<const SecretBytes> passphrase_;  // shared: recipients are copyable
  int log_n_ = kAgeScryptDefaultLogN;
};

class AgeIdentity {
 public:
  enum class Kind { kX25519, kScrypt };

  // "AGE-SECRET-KEY-1" + Bech32 (upper case). kMalformed on a bad string,
  // kUnsupportedRecipient on a known other type (AGE-SECRET-KEY-PQ-1...,
  // AGE-PLUGIN-<NAME>-1...).
  static Result<AgeIdentity> Parse(std::string_view text);
  // From a raw 32-byte X25519 secret key (a medseal identity's kx key).
  static Result<AgeIdentity> X25519(SecretBytes secret_key);
  static Result<AgeIdentity> Scrypt(SecretBytes passphrase, int max_log_n = kAgeScryptMaxLogN);

  Kind kind() const { return kind_; }
  // The matching recipient (X25519 only; kInvalidArgument for scrypt).
  Result<AgeRecipient> Recipient() const;
  // "AGE-SECRET-KEY-1..." as secret bytes (X25519 only).
  Result<SecretBytes> Encode() const;

  // Tries this identity on one stanza. kNoMatchingRecipient: the stanza is
  // of another type, or of this type but not for this key (the AEAD fails);
  // kMalformed / kNonCanonical: a stanza of this identity's type that breaks
  // its grammar (argument count, base64, sizes); kWeakKey: an all-zero shared
  // secret; kTooLarge: a scrypt work factor above max_log_n.
  Result<SecretBytes> Unwrap(const AgeStanza& stanza) const;

  // The grammar checks of Unwrap alone, without any key operation: OK for a
  // stanza of another type; kMalformed / kNonCanonical / kTooLarge as Unwrap.
  [[nodiscard]] Status CheckStanza(const AgeStanza& stanza) const;

 private:
  AgeIdentity() = default;
  Kind kind_ = Kind::kX25519;
  std::shared_ptr<const SecretBytes> secret_;  // X25519 scalar or passphrase
  Bytes public_key_;
  int max_log_n_ = kAgeScryptMaxLogN;
};

// Unwraps the file key of a parsed header with the first identity that
// matches a stanza, enforcing the file-level rules: a scrypt stanza must be
// the only one (kMalformed otherwise), every stanza of a type an identity
// knows must be well-formed. kNoMatchingRecipient if none matches;
// kUnsupportedRecipient if none matches and a stanza was of a type this
// build recognises but does not implement (mlkem768x25519, p256tag,
// mlkem768p256tag). The grammar of every stanza of a type one of the
// identities implements is checked before any key is tried; identities are
// tried in order, each on the stanzas in order (docs/spec/age.md §4.3, rules
// F1-F5). An empty list of identities is allowed.
// Does NOT verify the MAC: call VerifyAgeHeaderMac next.
Result<SecretBytes> UnwrapAgeFileKey(const AgeHeader& header,
                                     std::span<const AgeIdentity> identities);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_KEYS_H_
