// SPDX-License-Identifier: Apache-2.0
#include "core/consent/vault.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/jcs.h"
#include "core/codec/json.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"

namespace medseal::consent {
namespace {

constexpr std::string_view kRecordHashLabel = "medseal/v1/sealed-record-hash";
constexpr std::string_view kErasureLabel = "medseal/v1/erasure-receipt";
constexpr std::string_view kVaultLabel = "medseal/v1/vault";
constexpr std::string_view kErasureType = "medseal.erasure-receipt";
constexpr size_t kVaultKeySize = 32;

// 1..64 bytes of printable ASCII without space: a record id or a category.
bool IsToken(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool IsRecordId(std::string_view s) { return IsToken(s, kMaxRecordIdBytes); }
bool IsCategory(std::string_view s) { return IsToken(s, kMaxVaultCategoryBytes); }

template <typename T, typename Less>
bool StrictlySorted(const std::vector<T>& v, Less less) {
  for (size_t i = 1; i < v.size(); ++i) {
    if (!less(v[i - 1], v[i])) return false;
  }
  return true;
}

bool StringsSorted(const std::vector<std::string>& v) {
  return StrictlySorted(v, [](const std::string& a, const std::string& b) { return a < b; });
}
bool BytesSorted(const std::vector<Bytes>& v) {
  return StrictlySorted(v, [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
}

void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}
void SortUniqueBytes(std::vector<Bytes>& v) {
  std::sort(v.begin(), v.end(), [](const Bytes& a, const Bytes& b) { return BytesLess(a, b); });
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

Json StringArray(const std::vector<std::string>& v) {
  Json a = Json::array();
  for (const std::string& s : v) a.push_back(s);
  return a;
}

Json ReceiptBody(const ErasureReceipt& r) {
  Json erased = Json::array();
  for (const ErasedRecord& e : r.erased) {
    Json hashes = Json::array();
    for (const Bytes& h : e.record_hashes) hashes.push_back(Base64UrlEncode(h));
    erased.push_back(Json{{"record", e.record_id},
                          {"key", Base64UrlEncode(e.key_id)},
                          {"categories", StringArray(e.categories)},
                          {"hashes", std::move(hashes)}});
  }
  Json notify = Json::array();
  for (const DeletionRequest& d : r.notify) {
    notify.push_back(Json{{"recipient", Base64UrlEncode(d.recipient_key_id)},
                          {"records", StringArray(d.record_ids)}});
  }
  return Json{{"type", kErasureType},
              {"v", 1},
              {"patient", Base64UrlEncode(r.patient_key_id)},
              {"erased_at", r.erased_at},
              {"requested", Json{{"records", StringArray(r.requested.record_ids)},
                                 {"categories", StringArray(r.requested.categories)}}},
              {"erased", std::move(erased)},
              {"notify", std::move(notify)}};
}

// A JSON array member of strings, each a token (`is_token`), strictly
// ascending (kNonCanonical otherwise), at most `max` entries (kTooLarge).
Result<std::vector<std::string>> GetTokenArray(const Json& obj, std::string_view key, size_t max,
                                               bool (*is_token)(std::string_view)) {
  const Json& a = obj.find(key).value();
  if (!a.is_array()) return Error(ErrorCode::kMalformed, "erasure receipt: a list is not an array");
  if (a.size() > max) return Error(ErrorCode::kTooLarge, "erasure receipt: a list is too long");
  std::vector<std::string> out;
  for (const Json& s : a) {
    if (!s.is_string()) return Error(ErrorCode::kMalformed, "erasure receipt: not a string");
    const std::string& text = s.get_ref<const std::string&>();
    if (!is_token(text)) return Error(ErrorCode::kMalformed, "erasure receipt: bad id or category");
    out.push_back(text);
  }
  if (!StringsSorted(out)) {
    return Error(ErrorCode::kNonCanonical, "erasure receipt: a list is not sorted or repeats");
  }
  return out;
}

Result<Bytes> GetBase64Item(const Json& item, size_t size) {
  if (!item.is_string()) return Error(ErrorCode::kMalformed, "erasure receipt: not a string");
  const Json wrapper = Json{{"x", item}};
  return GetBase64(wrapper, "x", size);
}

struct BytesOrder {
  bool operator()(const Bytes& a, const Bytes& b) const { return BytesLess(a, b); }
};

}  // namespace

Bytes SealedRecordHash(const SealedRecord& record) {
  const Bytes label = LabelBytes(kRecordHashLabel);
  const Bytes encoded = EncodeRecordBinary(record);
  return Blake2bConcat(kSealedRecordHashSize, {label, encoded});
}

// ---- receipts ----

Result<Bytes> ErasureReceipt::SignedBytes() const {
  MEDSEAL_ASSIGN_OR_RETURN(std::string jcs, CanonicalizeJson(ReceiptBody(*this)));
  Bytes out = LabelBytes(kErasureLabel);
  ByteWriter(out).Raw(jcs);
  return out;
}

Result<std::string> ErasureReceipt::ToJson() const {
  Json body = ReceiptBody(*this);
  body["sig"] = Base64UrlEncode(signature);
  return CanonicalizeJson(body);
}

Result<ErasureReceipt> ParseErasureReceipt(std::string_view json) {
  // R1 the JSON rules; R2 type and version; R3 exactly these members.
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxErasureReceiptJsonBytes));
  MEDSEAL_RETURN_IF_ERROR(ExpectTypeAndVersion(obj, kErasureType, 1));
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(
      obj, {"type", "v", "patient", "erased_at", "requested", "erased", "notify", "sig"}));
  ErasureReceipt r;
  // R4 patient key id; R5 time.
  MEDSEAL_ASSIGN_OR_RETURN(r.patient_key_id, GetBase64(obj, "patient", kKeyIdSize));
  MEDSEAL_ASSIGN_OR_RETURN(r.erased_at, GetInt(obj, "erased_at"));
  if (r.erased_at < 0 || r.erased_at > kMaxUnixMillis) {
    return Error(ErrorCode::kMalformed, "erasure receipt: erased_at out of range");
  }
  // R6 what was asked.
  const Json& requested = obj["requested"];
  if (!requested.is_object()) return Error(ErrorCode::kMalformed, "erasure receipt: requested");
  MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(requested, {"records", "categories"}));
  MEDSEAL_ASSIGN_OR_RETURN(r.requested.record_ids,
                           GetTokenArray(requested, "records", kMaxVaultEntries, IsRecordId));
  MEDSEAL_ASSIGN_OR_RETURN(r.requested.categories,
                           GetTokenArray(requested, "categories", kMaxVaultEntries, IsCategory));
  if (r.requested.record_ids.empty() && r.requested.categories.empty()) {
    return Error(ErrorCode::kMalformed, "erasure receipt: nothing requested");
  }
  // R7 what was destroyed.
  const Json& erased = obj["erased"];
  if (!erased.is_array() || erased.empty()) {
    return Error(ErrorCode::kMalformed, "erasure receipt: erased must be a non-empty array");
  }
  if (erased.size() > kMaxVaultEntries) {
    return Error(ErrorCode::kTooLarge, "erasure receipt: too many records");
  }
  for (const Json& e : erased) {
    if (!e.is_object()) return Error(ErrorCode::kMalformed, "erasure receipt: erased entry");
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(e, {"record", "key", "categories", "hashes"}));
    ErasedRecord out;
    MEDSEAL_ASSIGN_OR_RETURN(out.record_id, GetString(e, "record"));
    if (!IsRecordId(out.record_id)) {
      return Error(ErrorCode::kMalformed, "erasure receipt: bad record id");
    }
    MEDSEAL_ASSIGN_OR_RETURN(out.key_id, GetBase64(e, "key", kKeyIdSize));
    MEDSEAL_ASSIGN_OR_RETURN(out.categories,
                             GetTokenArray(e, "categories", kMaxVaultCategories, IsCategory));
    const Json& hashes = e["hashes"];
    if (!hashes.is_array() || hashes.empty()) {
      return Error(ErrorCode::kMalformed, "erasure receipt: hashes must be a non-empty array");
    }
    if (hashes.size() > kMaxVaultVersions) {
      return Error(ErrorCode::kTooLarge, "erasure receipt: too many hashes");
    }
    for (const Json& h : hashes) {
      MEDSEAL_ASSIGN_OR_RETURN(Bytes hash, GetBase64Item(h, kSealedRecordHashSize));
      out.record_hashes.push_back(std::move(hash));
    }
    r.erased.push_back(std::move(out));
  }
  if (!StrictlySorted(r.erased, [](const ErasedRecord& a, const ErasedRecord& b) {
        return a.record_id < b.record_id;
      })) {
    return Error(ErrorCode::kNonCanonical, "erasure receipt: erased not sorted by record id");
  }
  // R8 who must be asked to delete.
  const Json& notify = obj["notify"];
  if (!notify.is_array()) return Error(ErrorCode::kMalformed, "erasure receipt: notify");
  if (notify.size() > kMaxVaultEntries) {
    return Error(ErrorCode::kTooLarge, "erasure receipt: too many recipients");
  }
  std::set<std::string> erased_ids;
  for (const ErasedRecord& e : r.erased) erased_ids.insert(e.record_id);
  for (const Json& n : notify) {
    if (!n.is_object()) return Error(ErrorCode::kMalformed, "erasure receipt: notify entry");
    MEDSEAL_RETURN_IF_ERROR(ExpectExactKeys(n, {"recipient", "records"}));
    DeletionRequest d;
    MEDSEAL_ASSIGN_OR_RETURN(d.recipient_key_id, GetBase64(n, "recipient", kKeyIdSize));
    MEDSEAL_ASSIGN_OR_RETURN(d.record_ids,
                             GetTokenArray(n, "records", kMaxVaultEntries, IsRecordId));
    if (d.record_ids.empty()) {
      return Error(ErrorCode::kMalformed, "erasure receipt: a recipient without records");
    }
    for (const std::string& id : d.record_ids) {
      if (erased_ids.count(id) == 0) {
        return Error(ErrorCode::kMalformed, "erasure receipt: notify names a record not erased");
      }
    }
    r.notify.push_back(std::move(d));
  }
  if (!StrictlySorted(r.notify, [](const DeletionRequest& a, const DeletionRequest& b) {
        return BytesLess(a.recipient_key_id, b.recipient_key_id);
      })) {
    return Error(ErrorCode::kNonCanonical, "erasure receipt: notify not sorted by recipient");
  }
  // R9 signature.
  MEDSEAL_ASSIGN_OR_RETURN(r.signature, GetBase64(obj, "sig", kEd25519SignatureSize));
  return r;
}

Status VerifyErasureReceipt(const ErasureReceipt& receipt, const PublicCard& patient) {
  if (receipt.patient_key_id.size() != kKeyIdSize ||
      !ConstantTimeEqual(receipt.patient_key_id, patient.key_id())) {
    return Error(ErrorCode::kSenderMismatch, "erasure receipt: not signed by this card");
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signed_bytes, receipt.SignedBytes());
  return Ed25519Verify(patient.sign_public_key(), signed_bytes, receipt.signature);
}

// ---- the vault ----

Vault::Entry* Vault::FindEntry(std::string_view record_id) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), record_id,
                             [](const Entry& e, std::string_view id) { return e.record_id < id; });
  return (it != entries_.end() && it->record_id == record_id) ? &*it : nullptr;
}

const Vault::Entry* Vault::FindEntry(std::string_view record_id) const {
  return const_cast<Vault*>(this)->FindEntry(record_id);
}

const Vault::Entry* Vault::FindEntryByKey(ByteView key_id) const {
  for (const Entry& e : entries_) {
    if (e.key_id.size() == key_id.size() && ConstantTimeEqual(e.key_id, key_id)) return &e;
  }
  return nullptr;
}

Result<const VaultKey*> Vault::KeyForRecord(std::string_view record_id,
                                            std::span<const std::string> categories, Rng& rng) {
  if (!IsRecordId(record_id)) {
    return Error(ErrorCode::kInvalidArgument, "vault: a record id is 1..64 printable characters");
  }
  if (categories.size() > kMaxVaultCategories) {
    return Error(ErrorCode::kTooLarge, "vault: too many categories");
  }
  for (const std::string& c : categories) {
    if (!IsCategory(c)) return Error(ErrorCode::kInvalidArgument, "vault: bad category");
  }
  if (Entry* e = FindEntry(record_id)) {
    if (e->key == nullptr) return Error(ErrorCode::kKeyErased, "vault: the record was erased");
    std::vector<std::string> merged = e->categories;
    merged.insert(merged.end(), categories.begin(), categories.end());
    SortUnique(merged);
    if (merged.size() > kMaxVaultCategories) {
      return Error(ErrorCode::kTooLarge, "vault: too many categories");
    }
    e->categories = std::move(merged);
    return e->key.get();
  }
  if (entries_.size() >= kMaxVaultEntries) return Error(ErrorCode::kTooLarge, "vault: full");
  MEDSEAL_ASSIGN_OR_RETURN(VaultKey key, VaultKey::Generate(rng));
  if (FindEntryByKey(key.key_id()) != nullptr) {
    return Error(ErrorCode::kInternal, "vault: key id collision");
  }
  Entry entry;
  entry.record_id = std::string(record_id);
  entry.key_id = key.key_id();
  entry.key = std::make_unique<VaultKey>(std::move(key));
  entry.categories.assign(categories.begin(), categories.end());
  SortUnique(entry.categories);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), record_id,
                             [](const Entry& e, std::string_view id) { return e.record_id < id; });
  it = entries_.insert(it, std::move(entry));
  return it->key.get();
}

Status Vault::NoteSealed(std::string_view record_id, const SealedRecord& record,
                         std::span<const Bytes> recipient_key_ids) {
  Entry* e = FindEntry(record_id);
  if (e == nullptr) return Error(ErrorCode::kInvalidArgument, "vault: unknown record id");
  if (e->key == nullptr) return Error(ErrorCode::kKeyErased, "vault: the record was erased");
  if (e->record_hashes.size() >= kMaxVaultVersions) {
    return Error(ErrorCode::kTooLarge, "vault: too many versions of one record");
  }
  std::vector<Bytes> recipients = e->recipients;
  for (const Bytes& id : recipient_key_ids) {
    if (id.size() != kKeyIdSize) return Error(ErrorCode::kInvalidArgument, "vault: bad key id");
    recipients.push_back(id);
  }
  SortUniqueBytes(recipients);
  if (recipients.size() > kMaxVaultEntries) {
    return Error(ErrorCode::kTooLarge, "vault: too many recipients");
  }
  e->recipients = std::move(recipients);
  e->record_hashes.push_back(SealedRecordHash(record));
  return Status::Ok();
}

Result<const VaultKey*> Vault::Find(ByteView key_id) const {
  const Entry* e = FindEntryByKey(key_id);
  if (e == nullptr) return Error(ErrorCode::kNoMatchingRecipient, "vault: no such key");
  if (e->key == nullptr) return Error(ErrorCode::kKeyErased, "vault: the key was destroyed");
  return e->key.get();
}

Result<const VaultKey*> Vault::FindForRecord(const SealedRecord& record) const {
  bool erased = false;
  for (const RecipientStanza& stanza : record.recipients) {
    if (stanza.type != kStanzaVault) continue;  // a card's stanza, or a later type
    const Entry* e = FindEntryByKey(stanza.key_id);
    if (e == nullptr) continue;
    if (e->key != nullptr) return e->key.get();
    erased = true;
  }
  if (erased) return Error(ErrorCode::kKeyErased, "vault: the record's key was destroyed");
  return Error(ErrorCode::kNoMatchingRecipient, "vault: no key for this record");
}

Result<OpenedPayload> Vault::Open(const SealedRecord& record, const PublicCard& sender,
                                  const RecordPurpose& purpose) const {
  MEDSEAL_ASSIGN_OR_RETURN(const VaultKey* key, FindForRecord(record));
  return OpenRecordWithVaultKey(record, *key, sender, purpose);
}

Result<ErasureReceipt> Vault::Erase(const Identity& patient, const ErasureSelector& what,
                                    Clock& clock) {
  if (what.record_ids.empty() && what.categories.empty()) {
    return Error(ErrorCode::kInvalidArgument, "vault: nothing to erase");
  }
  ErasureReceipt receipt;
  receipt.patient_key_id = patient.key_id();
  receipt.erased_at = clock.Now();
  if (receipt.erased_at < 0 || receipt.erased_at > kMaxUnixMillis) {
    return Error(ErrorCode::kInvalidArgument, "vault: clock out of range");
  }
  receipt.requested = what;
  SortUnique(receipt.requested.record_ids);
  SortUnique(receipt.requested.categories);
  if (receipt.requested.record_ids.size() > kMaxVaultEntries ||
      receipt.requested.categories.size() > kMaxVaultEntries) {
    return Error(ErrorCode::kTooLarge, "vault: too many selectors");
  }
  std::set<std::string> selected;
  for (const std::string& id : receipt.requested.record_ids) {
    if (!IsRecordId(id) || FindEntry(id) == nullptr) {
      return Error(ErrorCode::kInvalidArgument, "vault: a record id the vault never held");
    }
    selected.insert(id);
  }
  for (const std::string& c : receipt.requested.categories) {
    if (!IsCategory(c)) return Error(ErrorCode::kInvalidArgument, "vault: bad category");
    for (const Entry& e : entries_) {
      if (std::binary_search(e.categories.begin(), e.categories.end(), c)) {
        selected.insert(e.record_id);
      }
    }
  }
  bool any_erased_before = false;
  std::map<Bytes, std::vector<std::string>, BytesOrder> notify;
  for (const std::string& id : selected) {  // std::set: ascending record ids
    const Entry* e = FindEntry(id);
    if (e->key == nullptr) {
      any_erased_before = true;
      continue;
    }
    if (e->record_hashes.empty()) continue;  // a key never used for a seal holds nothing
    receipt.erased.push_back(
        ErasedRecord{e->record_id, e->key_id, e->categories, e->record_hashes});
    for (const Bytes& r : e->recipients) notify[r].push_back(e->record_id);
  }
  if (receipt.erased.empty()) {
    if (any_erased_before) return Error(ErrorCode::kKeyErased, "vault: already erased");
    return Error(ErrorCode::kInvalidArgument, "vault: the selection holds no sealed record");
  }
  for (auto& [key_id, ids] : notify) {
    receipt.notify.push_back(DeletionRequest{key_id, std::move(ids)});
  }
  MEDSEAL_ASSIGN_OR_RETURN(Bytes signed_bytes, receipt.SignedBytes());
  receipt.signature = patient.Sign(signed_bytes);
  // Only now, with the receipt signed, destroy: the optional's reset runs
  // ~VaultKey, whose SecretBytes wipes the key bytes.
  for (const ErasedRecord& er : receipt.erased) FindEntry(er.record_id)->key.reset();
  return receipt;
}

std::vector<VaultEntryInfo> Vault::Entries() const {
  std::vector<VaultEntryInfo> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) {
    out.push_back(VaultEntryInfo{e.record_id, e.key_id, e.categories, e.record_hashes, e.recipients,
                                 e.key == nullptr});
  }
  return out;
}

// ---- storage (spec §4.4) ----
// LABEL("medseal/v1/vault") || u32 n || n entries, each:
//   u8 len || record id, key id (16), u8 state (1 live, 0 erased),
//   [key (32) if live], u8 ncat || ncat × (u8 len || category),
//   u32 nhash || nhash × 32, u32 nrecip || nrecip × 16.
// Integers little-endian. Entries strictly ascending by record id.

SecretBytes Vault::Serialize() const {
  size_t size = kVaultLabel.size() + 1 + 4;
  for (const Entry& e : entries_) {
    size += 1 + e.record_id.size() + kKeyIdSize + 1 + (e.key ? kVaultKeySize : 0) + 1;
    for (const std::string& c : e.categories) size += 1 + c.size();
    size += 4 + e.record_hashes.size() * kSealedRecordHashSize + 4 +
            e.recipients.size() * kKeyIdSize;
  }
  // Reserved once so that the buffer never reallocates (no stray copies of
  // the keys), copied into a SecretBytes and wiped.
  Bytes out;
  out.reserve(size);
  ByteWriter w(out);
  w.Label(kVaultLabel);
  w.U32(static_cast<uint32_t>(entries_.size()));
  for (const Entry& e : entries_) {
    w.Str8(e.record_id);
    w.Raw(e.key_id);
    w.U8(e.key ? 1 : 0);
    if (e.key) w.Raw(RevealSecret(e.key->key()));
    w.U8(static_cast<uint8_t>(e.categories.size()));
    for (const std::string& c : e.categories) w.Str8(c);
    w.U32(static_cast<uint32_t>(e.record_hashes.size()));
    for (const Bytes& h : e.record_hashes) w.Raw(h);
    w.U32(static_cast<uint32_t>(e.recipients.size()));
    for (const Bytes& r : e.recipients) w.Raw(r);
  }
  MEDSEAL_CHECK(out.size() == size);
  SecretBytes secret = SecretBytes::CopyFrom(out);
  SecureWipe(out);
  return secret;
}

Result<Vault> Vault::Parse(ByteView data) {
  ByteReader r(data);
  const Bytes label = LabelBytes(kVaultLabel);
  ByteView magic;
  if (!r.Raw(label.size(), magic)) return Error(ErrorCode::kTruncated, "vault: truncated");
  if (!std::equal(magic.begin(), magic.end(), label.begin())) {
    const std::string_view prefix = "medseal/v";
    if (std::equal(prefix.begin(), prefix.end(), magic.begin()) && magic[prefix.size()] != '1') {
      return Error(ErrorCode::kUnsupportedVersion, "vault: unknown version");
    }
    return Error(ErrorCode::kMalformed, "vault: not a vault");
  }
  uint32_t n = 0;
  if (!r.U32(n)) return Error(ErrorCode::kTruncated, "vault: truncated");
  if (n > kMaxVaultEntries) return Error(ErrorCode::kTooLarge, "vault: too many entries");
  Vault vault;
  std::set<Bytes> key_ids;
  auto truncated = [] { return Error(ErrorCode::kTruncated, "vault: truncated"); };
  for (uint32_t i = 0; i < n; ++i) {
    Entry e;
    uint8_t len = 0;
    ByteView v;
    if (!r.U8(len) || !r.Raw(len, v)) return truncated();
    e.record_id = std::string(AsText(v));
    if (!IsRecordId(e.record_id)) return Error(ErrorCode::kMalformed, "vault: bad record id");
    if (!vault.entries_.empty() && !(vault.entries_.back().record_id < e.record_id)) {
      return Error(ErrorCode::kNonCanonical, "vault: entries not sorted by record id");
    }
    if (!r.Raw(kKeyIdSize, v)) return truncated();
    e.key_id.assign(v.begin(), v.end());
    if (!key_ids.insert(e.key_id).second) {
      return Error(ErrorCode::kMalformed, "vault: a key id twice");
    }
    uint8_t state = 0;
    if (!r.U8(state)) return truncated();
    if (state > 1) return Error(ErrorCode::kMalformed, "vault: bad entry state");
    if (state == 1) {
      if (!r.Raw(kVaultKeySize, v)) return truncated();
      MEDSEAL_ASSIGN_OR_RETURN(VaultKey key,
                               VaultKey::FromBytes(e.key_id, SecretBytes::CopyFrom(v)));
      e.key = std::make_unique<VaultKey>(std::move(key));
    }
    uint8_t ncat = 0;
    if (!r.U8(ncat)) return truncated();
    if (ncat > kMaxVaultCategories)
      return Error(ErrorCode::kTooLarge, "vault: too many categories");
    for (uint8_t c = 0; c < ncat; ++c) {
      if (!r.U8(len) || !r.Raw(len, v)) return truncated();
      e.categories.emplace_back(AsText(v));
      if (!IsCategory(e.categories.back())) {
        return Error(ErrorCode::kMalformed, "vault: bad category");
      }
    }
    if (!StringsSorted(e.categories)) {
      return Error(ErrorCode::kNonCanonical, "vault: categories not sorted");
    }
    uint32_t count = 0;
    if (!r.U32(count)) return truncated();
    if (count > kMaxVaultVersions) return Error(ErrorCode::kTooLarge, "vault: too many versions");
    for (uint32_t h = 0; h < count; ++h) {
      if (!r.Raw(kSealedRecordHashSize, v)) return truncated();
      e.record_hashes.emplace_back(v.begin(), v.end());
    }
    if (!r.U32(count)) return truncated();
    if (count > kMaxVaultEntries) return Error(ErrorCode::kTooLarge, "vault: too many recipients");
    for (uint32_t k = 0; k < count; ++k) {
      if (!r.Raw(kKeyIdSize, v)) return truncated();
      e.recipients.emplace_back(v.begin(), v.end());
    }
    if (!BytesSorted(e.recipients)) {
      return Error(ErrorCode::kNonCanonical, "vault: recipients not sorted");
    }
    vault.entries_.push_back(std::move(e));
  }
  if (r.remaining() != 0) return Error(ErrorCode::kTrailingData, "vault: trailing bytes");
  return vault;
}

// ---- JSON forms ----

Result<ErasureSelector> ParseErasureSelectorJson(std::string_view json) {
  MEDSEAL_ASSIGN_OR_RETURN(Json obj, ParseJsonObject(json, kMaxErasureReceiptJsonBytes));
  ErasureSelector out;
  for (const auto& [key, value] : obj.items()) {
    std::vector<std::string>* list = nullptr;
    if (key == "records") list = &out.record_ids;
    if (key == "categories") list = &out.categories;
    if (list == nullptr) return Error(ErrorCode::kMalformed, "erase: an unknown member");
    if (!value.is_array()) return Error(ErrorCode::kMalformed, "erase: a list is not an array");
    if (value.size() > kMaxVaultEntries) return Error(ErrorCode::kTooLarge, "erase: too many");
    for (const Json& s : value) {
      if (!s.is_string()) return Error(ErrorCode::kMalformed, "erase: not a string");
      list->push_back(s.get<std::string>());
    }
  }
  return out;
}

Status VerifyErasureReceiptJson(std::string_view json, const PublicCard& patient) {
  MEDSEAL_ASSIGN_OR_RETURN(ErasureReceipt receipt, ParseErasureReceipt(json));
  return VerifyErasureReceipt(receipt, patient);
}

std::string WriteVaultEntriesJson(const Vault& vault) {
  Json list = Json::array();
  for (const VaultEntryInfo& e : vault.Entries()) {
    Json hashes = Json::array();
    for (const Bytes& h : e.record_hashes) hashes.push_back(Base64UrlEncode(h));
    Json recipients = Json::array();
    for (const Bytes& r : e.recipients) recipients.push_back(Base64UrlEncode(r));
    list.push_back(Json{{"recordId", e.record_id},
                        {"keyId", Base64UrlEncode(e.key_id)},
                        {"categories", StringArray(e.categories)},
                        {"recordHashes", std::move(hashes)},
                        {"recipients", std::move(recipients)},
                        {"erased", e.erased}});
  }
  // Only ASCII tokens, base64url and booleans: nlohmann's compact form with
  // its sorted members is this value's JCS form.
  return list.dump();
}

}  // namespace medseal::consent
