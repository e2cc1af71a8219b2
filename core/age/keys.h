// SPDX-License-Identifier: Apache-2.0
// age v1 recipients and identities (C2SP age): the X25519 recipient
// ("age1..." / "AGE-SECRET-KEY-1...", Bech32), the post-quantum hybrid
// MLKEM768-X25519 recipient ("age1pq1..." / "AGE-SECRET-KEY-PQ-1...",
// "mlkem768x25519" stanzas: HPKE base mode over X-Wing, core/crypto/hpke.h)
// and the scrypt passphrase recipient. A recipient wraps a file key into a
// stanza; an identity unwraps it. The tagged types (age1tag1..., p256tag
// stanzas) and plugins are recognised and reported as kUnsupportedRecipient.
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
#include "core/crypto/xwing.h"

namespace medseal {

// The work factor medseal writes (age's own default is 18) and the largest
// it accepts when decrypting (a header asking for more is kTooLarge: 2^22
// with r = 8 is 4 GiB, 2^23 would be 8 GiB; age's reference implementation
// caps at 22 as well: docs/spec/age.md §4.2).
inline constexpr int kAgeScryptDefaultLogN = 18;
inline constexpr int kAgeScryptMaxLogN = 22;

class AgeRecipient {
 public:
  // kHybrid is age's mlkem768x25519 (X-Wing) post-quantum recipient.
  enum class Kind { kX25519, kScrypt, kHybrid };

  // "age1" + Bech32 of a 32-byte X25519 public key, or "age1pq1" + Bech32 of
  // a 1216-byte X-Wing public key, lower case. kMalformed on a bad string
  // (or a key of the wrong size), kWeakKey on an X25519 point of small order,
  // kInvalidKey on an ML-KEM-768 key that fails FIPS 203 §7.2,
  // kUnsupportedRecipient on a known other type (age1tag1..., age1tagpq1...,
  // plugins age1<name>1...). docs/spec/age.md §2.
  static Result<AgeRecipient> Parse(std::string_view text);
  // From a raw 32-byte X25519 public key (a medseal card's kx key maps here).
  // kInvalidArgument unless 32 bytes; kWeakKey on a point of small order.
  static Result<AgeRecipient> X25519(ByteView public_key);
  // From a raw 1216-byte X-Wing public key (ML-KEM-768 ek || X25519 pk; a
  // medseal v2 card's post-quantum key maps here). kInvalidArgument unless
  // 1216 bytes; kInvalidKey, kWeakKey as CheckXWingPublicKey.
  static Result<AgeRecipient> Hybrid(ByteView public_key);
  // The passphrase recipient: in a file it must be the only stanza.
  // kInvalidArgument on an empty passphrase or a work factor outside 1..kAgeScryptMaxLogN.
  static Result<AgeRecipient> Scrypt(SecretBytes passphrase, int log_n = kAgeScryptDefaultLogN);

  Kind kind() const { return kind_; }
  // "age1..." for X25519, "age1pq1..." for the hybrid; empty for scrypt.
  std::string ToString() const;
  // X25519: 32 bytes; hybrid: 1216 bytes; empty for scrypt.
  const Bytes& public_key() const { return public_key_; }
  // True for a recipient that stays confidential against a quantum
  // adversary (the hybrid).
  bool post_quantum() const { return kind_ == Kind::kHybrid; }

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
  enum class Kind { kX25519, kScrypt, kHybrid };

  // "AGE-SECRET-KEY-1" + Bech32 of a 32-byte X25519 scalar, or
  // "AGE-SECRET-KEY-PQ-1" + Bech32 of a 32-byte X-Wing seed (upper case).
  // kMalformed on a bad string or a key that is not 32 bytes,
  // kUnsupportedRecipient on a known other type (AGE-PLUGIN-<NAME>-1...).
  static Result<AgeIdentity> Parse(std::string_view text);
  // From a raw 32-byte X25519 secret key (a medseal identity's kx key).
  static Result<AgeIdentity> X25519(SecretBytes secret_key);
  // From a 32-byte X-Wing seed (a medseal identity's xwing key seed): the
  // seed is expanded once here (about one ML-KEM key generation).
  // kInvalidArgument unless 32 bytes.
  static Result<AgeIdentity> Hybrid(SecretBytes seed);
  static Result<AgeIdentity> Scrypt(SecretBytes passphrase, int max_log_n = kAgeScryptMaxLogN);

  Kind kind() const { return kind_; }
  // The matching recipient (X25519 and hybrid; kInvalidArgument for scrypt).
  Result<AgeRecipient> Recipient() const;
  // "AGE-SECRET-KEY-1..." / "AGE-SECRET-KEY-PQ-1..." as secret bytes
  // (kInvalidArgument for scrypt).
  Result<SecretBytes> Encode() const;

  // Tries this identity on one stanza. kNoMatchingRecipient: the stanza is
  // of another type, or of this type but not for this key (the AEAD fails);
  // kMalformed / kNonCanonical: a stanza of this identity's type that breaks
  // its grammar (argument count, base64, sizes); kWeakKey: an all-zero
  // X25519 shared secret (X25519 and hybrid stanzas); kTooLarge: a scrypt
  // work factor above max_log_n.
  Result<SecretBytes> Unwrap(const AgeStanza& stanza) const;

  // The grammar checks of Unwrap alone, without any key operation: OK for a
  // stanza of another type; kMalformed / kNonCanonical / kTooLarge as Unwrap.
  [[nodiscard]] Status CheckStanza(const AgeStanza& stanza) const;

 private:
  AgeIdentity() = default;
  Kind kind_ = Kind::kX25519;
  std::shared_ptr<const SecretBytes> secret_;     // X25519 scalar or passphrase
  std::shared_ptr<const XWingPrivateKey> xwing_;  // hybrid: the expanded seed
  Bytes public_key_;                              // X25519 only
  int max_log_n_ = kAgeScryptMaxLogN;
};

// Unwraps the file key of a parsed header with the first identity that
// matches a stanza, enforcing the file-level rules: a scrypt stanza must be
// the only one (kMalformed otherwise), every stanza of a type an identity
// knows must be well-formed. kNoMatchingRecipient if none matches;
// kUnsupportedRecipient if none matches and a stanza was of a type this
// build recognises but does not implement (p256tag, mlkem768p256tag). The grammar of every stanza
// of a type one of the identities implements is checked before any key is tried; identities are
// tried in order, each on the stanzas in order (docs/spec/age.md §4.3, rules
// F1-F5). An empty list of identities is allowed.
// Does NOT verify the MAC: call VerifyAgeHeaderMac next.
Result<SecretBytes> UnwrapAgeFileKey(const AgeHeader& header,
                                     std::span<const AgeIdentity> identities);

}  // namespace medseal

#endif  // MEDSEAL_CORE_AGE_KEYS_H_
