// SPDX-License-Identifier: Apache-2.0
// C2SP tlog-checkpoint: a log's origin, size and root (plus optional
// extension lines), carried as the text of a signed note signed by the log
// operator; and C2SP tlog-cosignature witness cosignatures over it, with a
// k-of-n witness policy. Format: docs/spec/log.md §5.
#ifndef MEDSEAL_CORE_LOG_CHECKPOINT_H_
#define MEDSEAL_CORE_LOG_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/log/note.h"

namespace medseal::tlog {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Bytes root;                           // 32 bytes
  std::vector<std::string> extensions;  // extra lines, without "\n"
  bool operator==(const Checkpoint&) const = default;
};

// The checkpoint body ("<origin>\n<size>\n<base64 root>\n[ext\n]*"):
// kMalformed (grammar, leading zeros, non-canonical base64, root not 32
// bytes, empty origin), kTooLarge.
Result<Checkpoint> ParseCheckpointBody(std::string_view text);
inline constexpr size_t kCheckpointRootSize = 32;  // SHA-256 (RFC 9162)
// The same grammar with a root of `root_size` bytes (0: any non-empty
// length), for checkpoints of logs with another hash and for the body
// vectors of transparency-dev/formats, whose roots are 7 and 38 bytes.
Result<Checkpoint> ParseCheckpointBody(std::string_view text, size_t root_size);
std::string FormatCheckpointBody(const Checkpoint& checkpoint);

// A witness's verdict on one checkpoint (C2SP tlog-cosignature v1): the
// key, the timestamp it cosigned at (seconds since the epoch).
struct Cosignature {
  std::string witness;  // the witness key's name
  uint64_t timestamp = 0;
};

// The message a witness signs: "cosignature/v1\ntime <t>\n" || body.
Bytes CosignatureMessage(uint64_t timestamp, std::string_view checkpoint_body);

// Verifies one type 0x04 cosignature line by `witness` over a checkpoint
// body (spec §5.2, rules W1..W3): kSignatureInvalid for a blob that is not
// 8 + 64 bytes, a timestamp above 2^63 - 1 or a signature that does not
// verify; kInvalidArgument if `witness` is not a 32-byte type 0x04 key or
// the line is not by it (name and key id).
Result<Cosignature> VerifyCosignature(const NoteSignature& line, const NoteVerifierKey& witness,
                                      std::string_view checkpoint_body);

// Who a client trusts for one log: the operator's key (which must sign every
// checkpoint; its name is the checkpoint's origin) and a witness policy:
// at least `quorum` of `witnesses` (type 0x04 keys) must cosign. quorum 0 =
// witnesses are verified when present but not required.
struct LogPolicy {
  NoteVerifierKey log_key;
  std::vector<NoteVerifierKey> witnesses;
  size_t quorum = 0;
};
// kInvalidArgument for quorum > witnesses.size(), a log key that is not a
// valid type 0x01 key, a witness key of the wrong type (or whose key id is
// not derived from its name and key), two witnesses with the same name and
// key id, two witnesses with the same public key (the v1 cosignature does
// not commit to the name), or a witness with the log key's name and id.
[[nodiscard]] Status CheckLogPolicy(const LogPolicy& policy);

// A checkpoint whose operator signature verified under a policy.
struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string note;                       // the signed note exactly as received
  std::vector<Cosignature> cosignatures;  // the witnesses whose cosignature verified
};

// Parses and verifies a signed checkpoint note, in this order (spec §5.3):
// note grammar (ParseNote codes); body grammar (ParseCheckpointBody codes);
// origin = policy.log_key.name (else kSignatureInvalid: the note is not
// this log's); the operator signature (kSignatureInvalid); each
// witness line by a policy witness (a bad one: kSignatureInvalid); the
// quorum (kWitnessQuorum). Lines by unknown keys are ignored.
Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view note, const LogPolicy& policy);

// Signs a checkpoint as the log operator (signer.name must be the origin,
// else kInvalidArgument); returns the note text.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer);

// A witness key (type 0x04). The seed is secret.
class WitnessSigner {
 public:
  static Result<WitnessSigner> FromSeed(std::string_view name, const SecretBytes& seed);
  const NoteVerifierKey& verifier_key() const { return vkey_; }
  // Adds this witness's cosignature line at `timestamp` to a signed
  // checkpoint note; returns the new note.
  Result<std::string> Cosign(std::string_view note, uint64_t timestamp) const;

 private:
  WitnessSigner() = default;
  NoteVerifierKey vkey_;
  SecretBytes secret_key_;
};

}  // namespace medseal::tlog

#endif  // MEDSEAL_CORE_LOG_CHECKPOINT_H_
