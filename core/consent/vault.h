// SPDX-License-Identifier: Apache-2.0
// The patient's vault: the keys of the patient's own, erasable copies of
// shared records (crypto-shredding), and signed erasure receipts.
//
// Key hierarchy (docs/spec/share.md §4): one VaultKey per record id, drawn
// fresh from the injected Rng the first time the record is sealed and reused
// for every later version of it; each key is filed under the record's
// sensitivity categories (the labeler's label codes and its confidentiality
// code). Erasing a record destroys its key; erasing a category destroys the
// key of every record filed under it. A record in two categories is erased
// with either, because its self-copy is sealed to its one record key only.
// A destroyed key is wiped (SecureWipe through SecretBytes) and replaced by
// a tombstone, so that a later lookup says kKeyErased instead of "unknown".
//
// Erasure receipt (spec §5): JSON signed by the patient's Ed25519 key over
// LABEL("medseal/v1/erasure-receipt") || JCS(receipt without "sig"); it names
// what was destroyed (key ids, record ids, sealed-record hashes, categories,
// never content), when, and which recipients must be asked to delete their
// copies (GDPR Art. 17(2), PIPL Art. 47). It verifies with nothing but the
// patient's public card.
#ifndef MEDSEAL_CORE_CONSENT_VAULT_H_
#define MEDSEAL_CORE_CONSENT_VAULT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.h"
#include "core/base/clock.h"
#include "core/base/random.h"
#include "core/base/secret.h"
#include "core/base/status.h"
#include "core/identity/card.h"
#include "core/identity/identity.h"
#include "core/record/payload.h"
#include "core/record/record.h"
#include "core/record/sealed_record.h"

namespace medseal::consent {

inline constexpr size_t kSealedRecordHashSize = 32;
inline constexpr size_t kMaxVaultEntries = 1u << 16;
inline constexpr size_t kMaxVaultCategories = 16;     // per record
inline constexpr size_t kMaxVaultCategoryBytes = 64;  // one category code
inline constexpr size_t kMaxVaultVersions = 1024;     // sealed hashes per record
inline constexpr size_t kMaxErasureReceiptJsonBytes = 8u << 20;

// BLAKE2b-256(LABEL("medseal/v1/sealed-record-hash") || binary encoding):
// how receipts name a sealed record without its content (spec §5.2).
Bytes SealedRecordHash(const SealedRecord& record);

// What the vault knows about one record (public data only).
struct VaultEntryInfo {
  std::string record_id;
  Bytes key_id;                         // 16
  std::vector<std::string> categories;  // sorted, unique
  std::vector<Bytes> record_hashes;     // every sealed version, in sealing order
  std::vector<Bytes> recipients;        // key ids ever sealed to, sorted, unique
  bool erased = false;
};

// What to erase: record ids and/or categories (at least one entry in all).
struct ErasureSelector {
  std::vector<std::string> record_ids;
  std::vector<std::string> categories;
};

struct ErasedRecord {
  std::string record_id;
  Bytes key_id;                         // the destroyed key's id
  std::vector<std::string> categories;  // sorted
  std::vector<Bytes> record_hashes;     // SealedRecordHash of each version
  bool operator==(const ErasedRecord&) const = default;
};

// A recipient that holds copies of erased records and must be asked to
// delete them.
struct DeletionRequest {
  Bytes recipient_key_id;               // 16
  std::vector<std::string> record_ids;  // sorted
  bool operator==(const DeletionRequest&) const = default;
};

struct ErasureReceipt {
  Bytes patient_key_id;  // 16: the signer's card key id
  UnixMillis erased_at = 0;
  ErasureSelector requested;            // as asked (each list sorted, unique)
  std::vector<ErasedRecord> erased;     // sorted by record id; at least one
  std::vector<DeletionRequest> notify;  // sorted by key id
  Bytes signature;                      // 64

  // LABEL("medseal/v1/erasure-receipt") || JCS(the JSON without "sig").
  Result<Bytes> SignedBytes() const;
  // The receipt's JSON text (its JCS form, "sig" included).
  Result<std::string> ToJson() const;
};

// Parses an erasure receipt: the JSON rules of docs/spec/record.md §1.2, then
// spec §5.3's rules in order with their codes (kMalformed, kNonCanonical,
// kUnsupportedVersion, kTooLarge, kInvalidArgument never).
Result<ErasureReceipt> ParseErasureReceipt(std::string_view json);
// kSenderMismatch when `patient` is not the signer's card, kSignatureInvalid
// when the signature does not verify.
[[nodiscard]] Status VerifyErasureReceipt(const ErasureReceipt& receipt, const PublicCard& patient);

// JSON forms, for the package. {"records"?: [id...], "categories"?:
// [code...]} (nothing else; each at most kMaxVaultEntries strings; at most
// 8 MiB): kMalformed / kTooLarge. Vault::Erase checks the values.
Result<ErasureSelector> ParseErasureSelectorJson(std::string_view json);
// ParseErasureReceipt, then VerifyErasureReceipt.
[[nodiscard]] Status VerifyErasureReceiptJson(std::string_view json, const PublicCard& patient);

class Vault;
// [{"recordId", "keyId", "categories", "recordHashes", "recipients",
// "erased"}...] in JCS form (ids and hashes base64url).
std::string WriteVaultEntriesJson(const Vault& vault);

class Vault {
 public:
  Vault() = default;
  Vault(const Vault&) = delete;
  Vault& operator=(const Vault&) = delete;
  Vault(Vault&&) noexcept = default;
  Vault& operator=(Vault&&) noexcept = default;
  ~Vault() = default;

  // The key of `record_id`'s self-copy: the existing one, or a fresh one
  // (VaultKey::Generate(rng), docs/spec/record.md §5) filed under `categories`
  // (merged into the entry's categories when it exists). kKeyErased when the
  // record was erased (an erased id stays erased), kInvalidArgument for an
  // empty or over-long record id or category, kTooLarge past the limits.
  // The pointer stays valid for as long as the vault (moves included) until
  // the key is erased.
  Result<const VaultKey*> KeyForRecord(std::string_view record_id,
                                       std::span<const std::string> categories, Rng& rng);
  // Notes that a version of `record_id` was sealed (its SealedRecordHash)
  // and to whom (card key ids), for erasure receipts. kInvalidArgument for an
  // unknown record id, kKeyErased for an erased one.
  [[nodiscard]] Status NoteSealed(std::string_view record_id, const SealedRecord& record,
                                  std::span<const Bytes> recipient_key_ids);

  // The live key with this id: kKeyErased for a destroyed one,
  // kNoMatchingRecipient for one the vault never held.
  Result<const VaultKey*> Find(ByteView key_id) const;
  // The vault key among the record's vault stanzas (type kStanzaVault): a
  // live one if any;
  // else kKeyErased if a stanza names a destroyed key; else
  // kNoMatchingRecipient.
  Result<const VaultKey*> FindForRecord(const SealedRecord& record) const;
  // FindForRecord, then OpenRecordWithVaultKey.
  Result<OpenedPayload> Open(const SealedRecord& record, const PublicCard& sender,
                             const RecordPurpose& purpose) const;

  // Destroys the keys selected (record ids and categories; spec §4.3),
  // wipes them, keeps tombstones, and returns the receipt signed by
  // `patient` at clock.Now(). kInvalidArgument for an empty selector, a
  // record id the vault never held, or a selection that holds no sealed
  // record; kKeyErased when every selected record was already erased.
  // Nothing is destroyed when an error is returned.
  Result<ErasureReceipt> Erase(const Identity& patient, const ErasureSelector& what, Clock& clock);

  std::vector<VaultEntryInfo> Entries() const;
  size_t size() const { return entries_.size(); }

  // The vault as bytes for the keystore (spec §4.4; contains every live
  // key: store it encrypted). Parse applies §4.4's rules (kMalformed,
  // kUnsupportedVersion, kTruncated, kTrailingData, kNonCanonical,
  // kTooLarge).
  SecretBytes Serialize() const;
  static Result<Vault> Parse(ByteView data);

 private:
  struct Entry {
    std::string record_id;
    Bytes key_id;
    // Held by pointer so that the VaultKey* handed out stays valid while
    // entries are inserted (the vector is kept sorted); null once erased.
    std::unique_ptr<VaultKey> key;
    std::vector<std::string> categories;
    std::vector<Bytes> record_hashes;
    std::vector<Bytes> recipients;
  };
  Entry* FindEntry(std::string_view record_id);
  const Entry* FindEntry(std::string_view record_id) const;
  const Entry* FindEntryByKey(ByteView key_id) const;
  std::vector<Entry> entries_;  // sorted by record id
};

}  // namespace medseal::consent

#endif  // MEDSEAL_CORE_CONSENT_VAULT_H_
