// SPDX-License-Identifier: Apache-2.0
// C2SP tlog-checkpoint bodies, C2SP tlog-cosignature v1 (type 0x04,
// timestamped Ed25519) and the k-of-n witness policy (docs/spec/log.md §5).
#include "core/log/checkpoint.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/codec/base64.h"
#include "core/crypto/ed25519.h"

namespace medseal::tlog {
namespace {

constexpr size_t kTimestampSize = 8;
constexpr uint64_t kMaxTimestamp = (uint64_t{1} << 63) - 1;  // tlog-cosignature: <= 2^63 - 1

bool SameKey(const NoteSignature& sig, const NoteVerifierKey& key) {
  return sig.name == key.name && sig.key_id == key.key_id;
}

Status CheckKey(const NoteVerifierKey& key, uint8_t type, const char* what) {
  if (key.type != type || !IsValidKeyName(key.name) ||
      key.public_key.size() != kEd25519PublicKeySize ||
      key.key_id != NoteKeyId(key.name, key.type, key.public_key)) {
    return Error(ErrorCode::kInvalidArgument, std::string("log policy: invalid ") + what);
  }
  return Status::Ok();
}

// A decimal uint64 with no leading zeros ("0" itself allowed).
bool ParseDecimal(std::string_view s, uint64_t& out) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

Result<Checkpoint> ParseCheckpointBody(std::string_view text) {
  return ParseCheckpointBody(text, kCheckpointRootSize);
}

Result<Checkpoint> ParseCheckpointBody(std::string_view text, size_t root_size) {
  // C1: size; C2: a note text (newline-terminated UTF-8 without control
  // characters).
  if (text.size() > kMaxNoteBytes) return Error(ErrorCode::kTooLarge, "checkpoint: too large");
  if (Status s = CheckNoteText(text); !s.ok()) {
    return Error(ErrorCode::kMalformed, "checkpoint: " + s.message());
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t nl = rest.find('\n');  // found: the text ends with '\n'
    lines.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  // C3: at least three lines.
  if (lines.size() < 3) return Error(ErrorCode::kMalformed, "checkpoint: fewer than 3 lines");
  Checkpoint c;
  // C4: a non-empty origin.
  if (lines[0].empty()) return Error(ErrorCode::kMalformed, "checkpoint: empty origin");
  c.origin = std::string(lines[0]);
  // C5: the tree size.
  if (!ParseDecimal(lines[1], c.size)) {
    return Error(ErrorCode::kMalformed,
                 "checkpoint: size is not a decimal uint64 without leading zeros");
  }
  // C6: the root hash.
  auto root = Base64Decode(lines[2], Base64Padding::kRequired);
  if (!root.ok()) {
    return Error(ErrorCode::kMalformed, "checkpoint: root is not canonical padded base64");
  }
  if (root->empty() || (root_size != 0 && root->size() != root_size)) {
    return Error(ErrorCode::kMalformed, "checkpoint: root hash of the wrong size");
  }
  c.root = std::move(root).value();
  // C7: non-empty extension lines.
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Error(ErrorCode::kMalformed, "checkpoint: empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

std::string FormatCheckpointBody(const Checkpoint& checkpoint) {
  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                    Base64Encode(checkpoint.root, Base64Padding::kRequired) + "\n";
  for (const std::string& ext : checkpoint.extensions) out += ext + "\n";
  return out;
}

Bytes CosignatureMessage(uint64_t timestamp, std::string_view checkpoint_body) {
  Bytes msg = ToBytes("cosignature/v1\ntime " + std::to_string(timestamp) + "\n");
  msg.insert(msg.end(), checkpoint_body.begin(), checkpoint_body.end());
  return msg;
}

Status CheckLogPolicy(const LogPolicy& policy) {
  MEDSEAL_RETURN_IF_ERROR(CheckKey(policy.log_key, kNoteKeyEd25519, "log key"));
  if (policy.quorum > policy.witnesses.size()) {
    return Error(ErrorCode::kInvalidArgument, "log policy: quorum above the number of witnesses");
  }
  for (size_t i = 0; i < policy.witnesses.size(); ++i) {
    const NoteVerifierKey& w = policy.witnesses[i];
    MEDSEAL_RETURN_IF_ERROR(CheckKey(w, kNoteKeyCosignatureV1, "witness key"));
    if (w.name == policy.log_key.name && w.key_id == policy.log_key.key_id) {
      return Error(ErrorCode::kInvalidArgument, "log policy: a witness has the log key's id");
    }
    for (size_t j = 0; j < i; ++j) {
      const NoteVerifierKey& v = policy.witnesses[j];
      if (v.name == w.name && v.key_id == w.key_id) {
        return Error(ErrorCode::kInvalidArgument, "log policy: the same witness twice");
      }
      // The v1 message does not commit to the witness name: two names on one
      // key would let one cosignature count twice (tlog-cosignature: "MUST
      // use distinct public keys for each cosigner").
      if (v.public_key == w.public_key) {
        return Error(ErrorCode::kInvalidArgument, "log policy: two witnesses share a public key");
      }
    }
  }
  return Status::Ok();
}

Result<Cosignature> VerifyCosignature(const NoteSignature& line, const NoteVerifierKey& witness,
                                      std::string_view checkpoint_body) {
  if (witness.type != kNoteKeyCosignatureV1 || witness.public_key.size() != kEd25519PublicKeySize) {
    return Error(ErrorCode::kInvalidArgument, "cosignature: not a type 0x04 Ed25519 key");
  }
  if (!SameKey(line, witness)) {
    return Error(ErrorCode::kInvalidArgument, "cosignature: the line is by another key");
  }
  // W1: timestamp (8 bytes, big-endian) || Ed25519 signature (64 bytes).
  if (line.signature.size() != kTimestampSize + kEd25519SignatureSize) {
    return Error(ErrorCode::kSignatureInvalid,
                 "cosignature by " + witness.name + ": not 72 bytes (timestamp and signature)");
  }
  uint64_t timestamp = 0;
  for (size_t i = 0; i < kTimestampSize; ++i) timestamp = timestamp << 8 | line.signature[i];
  // W2: timestamp <= 2^63 - 1.
  if (timestamp > kMaxTimestamp) {
    return Error(ErrorCode::kSignatureInvalid,
                 "cosignature by " + witness.name + ": timestamp above 2^63 - 1");
  }
  // W3: the signature over "cosignature/v1\ntime <t>\n" || body.
  const ByteView sig = ByteView(line.signature).subspan(kTimestampSize);
  if (!Ed25519Verify(witness.public_key, CosignatureMessage(timestamp, checkpoint_body), sig)
           .ok()) {
    return Error(ErrorCode::kSignatureInvalid,
                 "cosignature by " + witness.name + ": does not verify");
  }
  return Cosignature{witness.name, timestamp};
}

Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view note, const LogPolicy& policy) {
  // P0: a usable policy (a caller error, not the note's).
  MEDSEAL_RETURN_IF_ERROR(CheckLogPolicy(policy));
  // P1: the note grammar; P2: the checkpoint body grammar.
  MEDSEAL_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  MEDSEAL_ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpointBody(parsed.text));
  // P3: the origin is this log's.
  if (checkpoint.origin != policy.log_key.name) {
    return Error(ErrorCode::kSignatureInvalid,
                 "checkpoint: origin is not the log key's name (not this log's checkpoint)");
  }
  // P4: the operator's signature.
  MEDSEAL_RETURN_IF_ERROR(VerifyNoteSignature(parsed, policy.log_key));
  // P5: every line by a policy witness verifies; lines by unknown keys are
  // ignored. P6: the quorum of distinct witnesses.
  VerifiedCheckpoint out;
  for (const NoteVerifierKey& w : policy.witnesses) {
    bool counted = false;
    for (const NoteSignature& line : parsed.signatures) {
      if (!SameKey(line, w)) continue;
      MEDSEAL_ASSIGN_OR_RETURN(Cosignature cosig, VerifyCosignature(line, w, parsed.text));
      if (!counted) out.cosignatures.push_back(std::move(cosig));
      counted = true;
    }
  }
  if (out.cosignatures.size() < policy.quorum) {
    return Error(ErrorCode::kWitnessQuorum,
                 "checkpoint: " + std::to_string(out.cosignatures.size()) + " of the " +
                     std::to_string(policy.quorum) + " witness cosignatures required");
  }
  out.checkpoint = std::move(checkpoint);
  out.note = std::string(note);
  return out;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  if (signer.verifier_key().name != checkpoint.origin) {
    return Error(ErrorCode::kInvalidArgument, "checkpoint: origin is not the signer's key name");
  }
  const std::string body = FormatCheckpointBody(checkpoint);
  auto reparsed = ParseCheckpointBody(body);
  if (!reparsed.ok() || !(*reparsed == checkpoint)) {
    return Error(ErrorCode::kInvalidArgument,
                 "checkpoint: not a well-formed checkpoint (root size, line breaks, empty lines)");
  }
  Note note{body, {}};
  MEDSEAL_RETURN_IF_ERROR(signer.Sign(note));
  return FormatNote(note);
}

Result<WitnessSigner> WitnessSigner::FromSeed(std::string_view name, const SecretBytes& seed) {
  if (!IsValidKeyName(name)) {
    return Error(ErrorCode::kInvalidArgument, "cosignature: invalid key name");
  }
  if (seed.size() != kEd25519SeedSize) {
    return Error(ErrorCode::kInvalidArgument, "cosignature: seed is not 32 bytes");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Ed25519KeyPair pair, Ed25519FromSeed(RevealSecret(seed)));
  WitnessSigner signer;
  signer.vkey_.name = std::string(name);
  signer.vkey_.type = kNoteKeyCosignatureV1;
  signer.vkey_.key_id = NoteKeyId(name, kNoteKeyCosignatureV1, pair.public_key);
  signer.vkey_.public_key = std::move(pair.public_key);
  signer.secret_key_ = std::move(pair.secret_key);
  return signer;
}

Result<std::string> WitnessSigner::Cosign(std::string_view note, uint64_t timestamp) const {
  if (timestamp > kMaxTimestamp) {
    return Error(ErrorCode::kInvalidArgument, "cosignature: timestamp above 2^63 - 1");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  MEDSEAL_RETURN_IF_ERROR(ParseCheckpointBody(parsed.text).status());
  MEDSEAL_ASSIGN_OR_RETURN(Bytes sig, Ed25519Sign(RevealSecret(secret_key_),
                                                  CosignatureMessage(timestamp, parsed.text)));
  Bytes blob(kTimestampSize);
  for (size_t i = 0; i < kTimestampSize; ++i) {
    blob[i] = static_cast<uint8_t>(timestamp >> (8 * (kTimestampSize - 1 - i)));
  }
  blob.insert(blob.end(), sig.begin(), sig.end());
  MEDSEAL_RETURN_IF_ERROR(AddNoteSignature(parsed, NoteSignature{vkey_.name, vkey_.key_id, blob}));
  return FormatNote(parsed);
}

}  // namespace medseal::tlog
