// SPDX-License-Identifier: Apache-2.0
// record/record_v2_pq.json (docs/spec/record.md §5.3-§5.6, §11): sealed
// record v2 with post-quantum (type 3, X-Wing) stanzas. Known answers for
// the encrypt direction (ChaChaRng; one 64-byte eseed per type 3 stanza),
// openings by post-quantum and classic identities, records another sealer
// could write ("rewrapped": the stanza list changed after sealing, the
// payload re-encrypted under the same data key, re-signed), and the
// type 3 failure cases. Every case is run here through parse, verify and
// open, and the generator fails if the result is not the recorded one.
#include "native-tests/vectors/generate/record_pq_vectors.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"
#include "core/identity/identity.h"
#include "core/record/internal/record_internal.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;

constexpr UnixMillis kCreated = 1700000000000;
constexpr UnixMillis kNow = kCreated + 86400000;
constexpr const char* kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const char* kObservation = R"({"resourceType":"Observation","id":"hba1c-1","status":"final",)"
                           R"("code":{"coding":[{"system":"http://loinc.org","code":"4548-4"}]},)"
                           R"("valueQuantity":{"value":6.1,"unit":"%"}})";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (record pq): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().ToString());
  return std::move(r).value();
}

RecordPurpose ActReason(const std::string& code) { return RecordPurpose{kActReason, code}; }

ordered_json PurposeJson(const RecordPurpose& p) {
  return ordered_json{{"system", p.system}, {"code", p.code}};
}

ordered_json PayloadJson(const PayloadData& p, UnixMillis created) {
  return ordered_json{{"contentType", p.content_type},
                      {"recordId", p.record_id},
                      {"resourceType", p.resource_type},
                      {"created", created},
                      {"body", HexEncode(p.body)}};
}

bool PostQuantum(uint8_t type) { return type == kStanzaXWing || type == kStanzaVault; }

// The header as the file records it: record_v2.json's, with postQuantum
// for the record and each stanza (spec §5.3, §11).
ordered_json HeaderJson(const SealedRecord& r) {
  ordered_json purposes = ordered_json::array();
  for (const auto& p : r.purposes) purposes.push_back(PurposeJson(p));
  ordered_json hashes = ordered_json::array();
  for (const auto& h : r.consent_hashes) hashes.push_back(HexEncode(h));
  ordered_json stanzas = ordered_json::array();
  bool all = true;
  for (const auto& s : r.recipients) {
    all = all && PostQuantum(s.type);
    stanzas.push_back(ordered_json{
        {"type", s.type}, {"keyId", HexEncode(s.key_id)}, {"postQuantum", PostQuantum(s.type)}});
  }
  return ordered_json{{"version", r.version},
                      {"postQuantum", all},
                      {"purposes", purposes},
                      {"consentHashes", hashes},
                      {"stanzas", stanzas}};
}

struct Person {
  std::string key;
  Bytes seed;
  std::string name, role;
  CardKeys keys;
  Identity id;
};

struct NamedVault {
  std::string key;
  Bytes rng_seed;
  VaultKey vault;
};

struct SealSpec {
  std::string sender = "patient";
  std::vector<std::string> cards;
  std::vector<std::string> vault_keys;
  std::vector<RecordPurpose> purposes{ActReason("TREAT")};
  std::vector<Bytes> hashes;
  uint8_t rng_byte = 0;
  UnixMillis now = kNow;
  std::vector<RecipientStanza> extra;
};

class PqVectors {
 public:
  std::map<std::string, std::unique_ptr<Person>> people;
  std::vector<std::string> order;  // people in the order added
  std::map<std::string, std::unique_ptr<NamedVault>> vaults;
  ordered_json tests = ordered_json::array();

  void AddPerson(const std::string& key, uint8_t seed_byte, const std::string& name,
                 const std::string& role, CardKeys keys) {
    Bytes seed(32, seed_byte);
    Identity id = Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, kCreated, keys),
                       "identity");
    people[key] = std::make_unique<Person>(Person{key, seed, name, role, keys, std::move(id)});
    order.push_back(key);
  }
  void AddVault(const std::string& key, uint8_t seed_byte) {
    Bytes seed(32, seed_byte);
    ChaChaRng rng(seed);
    vaults[key] = std::make_unique<NamedVault>(
        NamedVault{key, seed, Must(VaultKey::Generate(rng), "vault key")});
  }
  const Identity& Id(const std::string& key) const { return people.at(key)->id; }

  static ordered_json ById(const std::string& n) { return ordered_json{{"identity", n}}; }
  static ordered_json ByVault(const std::string& n) { return ordered_json{{"vaultKey", n}}; }

  // parse -> verify -> open, as a reader of the file does (spec §11).
  Result<OpenedPayload> Run(bool binary, const std::string& input, const std::string& sender,
                            const ordered_json& opener, const RecordPurpose& purpose) const {
    Result<SealedRecord> parsed = binary ? ParseRecordBinary(Must(HexDecode(input), "hex"))
                                         : ParseRecordJson(input);
    if (!parsed.ok()) return parsed.status();
    const PublicCard& card = Id(sender).card();
    MEDSEAL_RETURN_IF_ERROR(VerifyRecord(*parsed, card));
    if (opener.contains("vaultKey")) {
      return OpenRecordWithVaultKey(*parsed, vaults.at(opener["vaultKey"])->vault, card, purpose);
    }
    return OpenRecord(*parsed, Id(opener["identity"]), card, purpose);
  }

  void Add(const std::string& comment, const std::string& sender, const ordered_json& opener,
           const RecordPurpose& purpose, bool binary, const std::string& input,
           const std::string& error, const std::string& rule, const PayloadData* expected,
           UnixMillis created, const SealedRecord* header, ordered_json seal = nullptr) {
    if (error.empty() != rule.empty()) Die("an invalid case needs a rule, a valid one none");
    Result<OpenedPayload> got = Run(binary, input, sender, opener, purpose);
    if (error.empty()) {
      if (!got.ok()) Die(comment + ": expected to open, got " + got.status().ToString());
      if (!SamePayload(*got, *expected) || got->created() != created) {
        Die(comment + ": opened to another payload");
      }
    } else if (got.ok() || ErrorCodeName(got.status().code()) != error) {
      Die(comment + ": expected " + error + ", got " +
          (got.ok() ? std::string("success") : got.status().ToString()));
    }
    ordered_json t{{"tcId", static_cast<int>(tests.size()) + 1},
                   {"comment", comment},
                   {"encoding", binary ? "binary" : "json"},
                   {"sender", sender},
                   {"opener", opener},
                   {"purpose", PurposeJson(purpose)},
                   {"input", input},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    if (!rule.empty()) t["rule"] = rule;
    if (expected != nullptr) t["payload"] = PayloadJson(*expected, created);
    if (header != nullptr) t["header"] = HeaderJson(*header);
    if (!seal.is_null()) t["seal"] = std::move(seal);
    tests.push_back(std::move(t));
  }

  SealedRecord Seal(const SealSpec& s, const PayloadData& payload) const {
    ChaChaRng rng(Bytes(32, s.rng_byte));
    FixedClock clock(s.now);
    std::vector<const PublicCard*> cards;
    for (const auto& n : s.cards) cards.push_back(&Id(n).card());
    std::vector<const VaultKey*> vks;
    for (const auto& n : s.vault_keys) vks.push_back(&vaults.at(n)->vault);
    RecordContext context{s.purposes, s.hashes};
    if (s.extra.empty()) {
      return Must(SealRecordV2(Id(s.sender), cards, vks, payload, context, rng, clock), "seal");
    }
    RecordContext sorted;
    if (!internal::CheckRecordContext(context, &sorted).ok()) Die("bad context");
    Bytes padded = internal::EncodePayloadForTesting(payload, s.now);
    return Must(
        internal::SealPaddedPayloadV2(Id(s.sender), cards, vks, padded, sorted, rng, s.extra),
        "seal with extra stanzas");
  }

  // The eseeds of §5.4 step 3, replayed from the RNG (requests 3, 4, ...).
  static ordered_json Eseeds(const SealSpec& s, const SealedRecord& r) {
    ChaChaRng rng(Bytes(32, s.rng_byte));
    Bytes skip(32);
    rng.Fill(skip.data(), 32);  // dek
    rng.Fill(skip.data(), 24);  // nonce
    rng.Fill(skip.data(), 32);  // eph_sk
    ordered_json out = ordered_json::array();
    for (const auto& st : r.recipients) {
      if (st.type != kStanzaXWing) continue;
      bool extra = false;
      for (const auto& e : s.extra) extra = extra || (e.type == st.type && e.key_id == st.key_id);
      if (extra) continue;
      Bytes eseed(64);
      rng.Fill(eseed.data(), eseed.size());
      out.push_back(HexEncode(eseed));
    }
    return out;
  }

  static ordered_json SealJson(const SealSpec& s, const PayloadData& payload,
                               const SealedRecord& r) {
    ordered_json purposes = ordered_json::array();
    for (const auto& p : s.purposes) purposes.push_back(PurposeJson(p));
    ordered_json hashes = ordered_json::array();
    for (const auto& h : s.hashes) hashes.push_back(HexEncode(h));
    ordered_json seal{{"rngSeed", HexEncode(Bytes(32, s.rng_byte))},
                      {"now", s.now},
                      {"recipients", s.cards},
                      {"vaultKeys", s.vault_keys},
                      {"purposes", purposes},
                      {"consentHashes", hashes},
                      {"payload",
                       {{"contentType", payload.content_type},
                        {"recordId", payload.record_id},
                        {"resourceType", payload.resource_type},
                        {"body", HexEncode(payload.body)}}},
                      {"eseeds", Eseeds(s, r)}};
    if (!s.extra.empty()) {
      ordered_json extra = ordered_json::array();
      for (const auto& st : s.extra) {
        extra.push_back(ordered_json{{"type", st.type},
                                     {"keyId", HexEncode(st.key_id)},
                                     {"body", HexEncode(st.wrapped_key)}});
      }
      seal["extraStanzas"] = extra;
    }
    return seal;
  }

  SealedRecord AddValid(const std::string& comment, const SealSpec& s, const std::string& opener,
                        const PayloadData& payload) {
    SealedRecord r = Seal(s, payload);
    const ordered_json seal = SealJson(s, payload, r);
    const RecordPurpose& purpose = r.purposes.front();
    Add(comment + " (binary)", s.sender, ById(opener), purpose, true,
        HexEncode(EncodeRecordBinary(r)), "", "", &payload, s.now, &r, seal);
    Add(comment + " (JSON)", s.sender, ById(opener), purpose, false, EncodeRecordJson(r), "", "",
        &payload, s.now, &r, seal);
    return r;
  }

  void AddOpen(const std::string& comment, const SealedRecord& r, const std::string& sender,
               const ordered_json& opener, const PayloadData& payload, UnixMillis now) {
    Add(comment, sender, opener, r.purposes.front(), true, HexEncode(EncodeRecordBinary(r)), "", "",
        &payload, now, &r);
  }

  void AddInvalid(const std::string& rule, const std::string& comment, bool binary,
                  const std::string& input, const std::string& error, const std::string& opener,
                  const std::string& sender = "patient") {
    Add(comment, sender, ById(opener), ActReason("TREAT"), binary, input, error, rule, nullptr, 0,
        nullptr);
  }
  void AddBinaryInvalid(const std::string& rule, const std::string& comment, const Bytes& bytes,
                        const std::string& error, const std::string& opener = "clinician-pq") {
    AddInvalid(rule, comment, true, HexEncode(bytes), error, opener);
  }
  void AddJsonInvalid(const std::string& rule, const std::string& comment, const SealedRecord& r,
                      const std::string& error, const std::string& opener = "clinician-pq") {
    AddInvalid(rule, comment, false, EncodeRecordJson(r), error, opener);
  }

  void Resign(SealedRecord& r, const std::string& sender) const {
    r.signature = Id(sender).Sign(internal::RecordSignatureMessage(r));
  }

  // The record's data key, from the type 3 stanza of `opener`.
  SecretBytes DataKey(const SealedRecord& r, const std::string& opener) const {
    const Identity& id = Id(opener);
    for (const auto& s : r.recipients) {
      if (s.type == kStanzaXWing && s.key_id == id.key_id()) {
        return Must(internal::OpenXWingStanza(s, *id.xwing_key()), "data key");
      }
    }
    Die("no type 3 stanza for " + opener);
  }

  // A valid type 1 stanza for `who`'s card (spec §5.4 step 3), for a
  // record whose ephemeral key is r.ephemeral_key: X25519(eph_sk, kx_pk)
  // is the same value as who's X25519(kx_sk, ephemeral_pk).
  RecipientStanza X25519Stanza(const SealedRecord& r, const std::string& who,
                               const SecretBytes& dek) const {
    const Identity& id = Id(who);
    SecretBytes shared = Must(id.Agree(r.ephemeral_key), "agree");
    Bytes msg = LabelBytes("medseal/v2/record/x25519-wrap");
    msg.insert(msg.end(), r.ephemeral_key.begin(), r.ephemeral_key.end());
    const Bytes& kx = id.card().kx_public_key();
    msg.insert(msg.end(), kx.begin(), kx.end());
    SecretBytes wrap = Must(Blake2bDeriveKey(32, RevealSecret(shared), msg), "wrap key");
    const Bytes zero(24, 0);
    Bytes body = Must(XChaCha20Poly1305Seal(RevealSecret(wrap), zero, {}, RevealSecret(dek)),
                      "wrap");
    return RecipientStanza{id.key_id(), std::move(body), kStanzaX25519};
  }

  // The record with another stanza list (sorted), its payload re-encrypted
  // under the same data key for the new header, re-signed ("rewrapped").
  SealedRecord Rewrap(const SealedRecord& r, const SecretBytes& dek,
                      std::vector<RecipientStanza> stanzas, const std::string& sender) const {
    Bytes padded = Must(
        XChaCha20Poly1305Open(RevealSecret(dek), r.nonce, r.HeaderBytes(), r.ciphertext),
        "decrypt payload");
    SealedRecord out = r;
    std::sort(stanzas.begin(), stanzas.end(),
              [](const RecipientStanza& a, const RecipientStanza& b) {
                if (a.type != b.type) return a.type < b.type;
                return BytesLess(a.key_id, b.key_id);
              });
    out.recipients = std::move(stanzas);
    out.ciphertext = Must(
        XChaCha20Poly1305Seal(RevealSecret(dek), out.nonce, out.HeaderBytes(), padded),
        "encrypt payload");
    Resign(out, sender);
    return out;
  }

  ordered_json IdentitiesJson() const {
    ordered_json ids = ordered_json::object();
    for (const auto& key : order) {
      const Person& p = *people.at(key);
      ids[key] = ordered_json{
          {"seed", HexEncode(p.seed)},
          {"name", p.name},
          {"role", p.role},
          {"created", p.id.card().created()},
          {"cardKeys", p.keys == CardKeys::kPostQuantum ? "postQuantum" : "classic"},
          {"keyId", HexEncode(p.id.key_id())},
          {"card", p.id.card().ToJson()}};
    }
    return ids;
  }
};

size_t XWingIndex(const SealedRecord& r, const Bytes& key_id) {
  for (size_t i = 0; i < r.recipients.size(); ++i) {
    if (r.recipients[i].type == kStanzaXWing && r.recipients[i].key_id == key_id) return i;
  }
  Die("no type 3 stanza");
}

}  // namespace

void GenerateRecordPqVectors(const std::string& dir) {
  PqVectors v;
  v.AddPerson("patient", 0x01, "Patient P", "patient", CardKeys::kClassic);
  v.AddPerson("clinician", 0x02, "Dr. C", "clinician", CardKeys::kClassic);
  v.AddPerson("clinician-pq", 0x02, "Dr. C", "clinician", CardKeys::kPostQuantum);
  v.AddPerson("nurse", 0x03, "Nurse N", "nurse", CardKeys::kClassic);
  v.AddPerson("nurse-pq", 0x05, "Nurse Q", "nurse", CardKeys::kPostQuantum);
  v.AddPerson("patient-pq", 0x06, "Patient Q", "patient", CardKeys::kPostQuantum);
  v.AddVault("vault-a", 0x70);
  if (v.Id("clinician").key_id() == v.Id("clinician-pq").key_id()) Die("key ids coincide");

  const PayloadData obs{"application/fhir+json", "hba1c-1", "Observation", ToBytes(kObservation)};
  const Bytes h1 = Blake2bConcat(32, {ToBytes("consent-1")});
  const Bytes& cpq = v.Id("clinician-pq").key_id();

  // --- known answers: sealing, and opening by each recipient ---
  SealSpec one;
  one.cards = {"clinician-pq"};
  one.hashes = {h1};
  one.rng_byte = 0xa0;
  const SealedRecord pq1 = v.AddValid(
      "Observation to a clinician with a post-quantum card: one type 3 stanza, no type 1", one,
      "clinician-pq", obs);

  SealSpec mixed;
  mixed.cards = {"nurse", "clinician-pq"};
  mixed.vault_keys = {"vault-a"};
  mixed.purposes = {ActReason("TREAT"), ActReason("ETREAT")};
  mixed.hashes = {h1};
  mixed.rng_byte = 0xa1;
  const SealedRecord mix = v.AddValid(
      "a classic card, a post-quantum card and a vault key: types 1, 2 and 3; the record is not "
      "post-quantum",
      mixed, "clinician-pq", obs);
  v.AddOpen("the mixed record opened by the classic nurse (type 1)", mix, "patient",
            PqVectors::ById("nurse"), obs, kNow);
  v.AddOpen("the mixed record opened with the vault key", mix, "patient",
            PqVectors::ByVault("vault-a"), obs, kNow);

  SealSpec all;
  all.cards = {"nurse-pq", "clinician-pq"};
  all.vault_keys = {"vault-a"};
  all.rng_byte = 0xa2;
  const SealedRecord both = v.AddValid(
      "two post-quantum cards and a vault key: two eseeds drawn in stanza order; the record is "
      "post-quantum",
      all, "nurse-pq", obs);
  v.AddOpen("the all-post-quantum record opened by the clinician", both, "patient",
            PqVectors::ById("clinician-pq"), obs, kNow);

  SealSpec reply;
  reply.sender = "patient-pq";
  reply.cards = {"clinician", "patient-pq"};
  reply.purposes = {ActReason("PATRQT"), ActReason("TREAT")};
  reply.rng_byte = 0xa3;
  const PayloadData note{"text/plain; charset=utf-8", "note-1", "DocumentReference",
                         Bytes(300, 0x6e)};
  const SealedRecord from_pq = v.AddValid(
      "a sender with a post-quantum card to a classic clinician and to itself (signatures stay "
      "Ed25519)",
      reply, "clinician", note);
  v.AddOpen("the same record opened by its post-quantum sender", from_pq, "patient-pq",
            PqVectors::ById("patient-pq"), note, kNow);

  SealSpec extra = one;
  extra.rng_byte = 0xa4;
  extra.extra = {RecipientStanza{cpq, Bytes(48, 0x5a), kStanzaX25519}};
  v.AddValid(
      "a type 1 stanza (garbage) and a type 3 stanza for the same post-quantum card: the opener "
      "uses type 3",
      extra, "clinician-pq", obs);

  const SecretBytes dek1 = v.DataKey(pq1, "clinician-pq");
  {
    SealedRecord only1 = v.Rewrap(pq1, dek1, {v.X25519Stanza(pq1, "clinician-pq", dek1)},
                                  "patient");
    v.AddOpen(
        "rewrapped: only a type 1 stanza for a post-quantum card (another sealer's choice): it "
        "opens through X25519, and is not post-quantum",
        only1, "patient", PqVectors::ById("clinician-pq"), obs, kNow);
  }

  // --- O1: the stanza is found by the card's key id and type ---
  v.AddBinaryInvalid("O1", "the classic card of the same seed has another key id: no stanza for it",
                     EncodeRecordBinary(pq1), "NO_MATCHING_RECIPIENT", "clinician");
  v.AddInvalid("O1", "a post-quantum identity, the record sealed to the classic card of its seed",
               true, HexEncode(EncodeRecordBinary(from_pq)), "NO_MATCHING_RECIPIENT",
               "clinician-pq", "patient-pq");
  {
    SealedRecord r = pq1;
    r.recipients[0].type = 200;  // the same bytes, as a type this build does not know
    v.Resign(r, "patient");
    v.AddBinaryInvalid("O1", "the type 3 stanza relabelled as unknown type 200, re-signed",
                       EncodeRecordBinary(r), "NO_MATCHING_RECIPIENT");
  }

  // --- H1, H2: the type 3 stanza ---
  auto changed = [&](const SealedRecord& from, size_t stanza,
                     const std::function<void(Bytes&)>& f) {
    SealedRecord r = from;
    f(r.recipients[stanza].wrapped_key);
    v.Resign(r, "patient");
    return r;
  };
  const size_t i1 = XWingIndex(pq1, cpq);
  v.AddBinaryInvalid(
      "H1", "the X25519 share of the ciphertext is 0 (small order), re-signed",
      EncodeRecordBinary(
          changed(pq1, i1, [](Bytes& b) { std::fill(b.begin() + 1088, b.begin() + 1120, 0); })),
      "WEAK_KEY");
  v.AddBinaryInvalid("H1", "the X25519 share of the ciphertext is 1 (small order), re-signed",
                     EncodeRecordBinary(changed(pq1, i1,
                                                [](Bytes& b) {
                                                  std::fill(b.begin() + 1088, b.begin() + 1120, 0);
                                                  b[1088] = 1;
                                                })),
                     "WEAK_KEY");
  v.AddBinaryInvalid("H2", "a byte of the wrapped data key flipped, re-signed",
                     EncodeRecordBinary(changed(pq1, i1, [](Bytes& b) { b[1130] ^= 0x20; })),
                     "DECRYPT_FAILED");
  v.AddBinaryInvalid(
      "H2", "a byte of the ML-KEM ciphertext flipped, re-signed (implicit rejection)",
      EncodeRecordBinary(changed(pq1, i1, [](Bytes& b) { b[5] ^= 0x01; })), "DECRYPT_FAILED");
  v.AddBinaryInvalid("H2", "the X25519 share replaced by the base point 9, re-signed",
                     EncodeRecordBinary(changed(pq1, i1,
                                                [](Bytes& b) {
                                                  std::fill(b.begin() + 1088, b.begin() + 1120, 0);
                                                  b[1088] = 9;
                                                })),
                     "DECRYPT_FAILED");
  v.AddJsonInvalid("H2", "a byte of the wrapped data key flipped, re-signed (JSON)",
                   changed(pq1, i1, [](Bytes& b) { b[1167] ^= 0x80; }), "DECRYPT_FAILED");
  {
    // Both types for the card, the type 3 one broken: no fallback to type 1.
    RecipientStanza broken = pq1.recipients[i1];
    broken.wrapped_key[1140] ^= 1;
    SealedRecord r = v.Rewrap(pq1, dek1, {v.X25519Stanza(pq1, "clinician-pq", dek1), broken},
                              "patient");
    v.AddBinaryInvalid("H2",
                       "rewrapped: a valid type 1 and a broken type 3 stanza for one card; the "
                       "opener does not fall back to type 1",
                       EncodeRecordBinary(r), "DECRYPT_FAILED");
  }

  // --- O4: the payload ---
  {
    SealedRecord r = pq1;
    r.recipients[i1] = both.recipients[XWingIndex(both, cpq)];
    v.Resign(r, "patient");
    v.AddBinaryInvalid("O4",
                       "the clinician's type 3 stanza of another record, re-signed: another data "
                       "key",
                       EncodeRecordBinary(r), "DECRYPT_FAILED");
    SealedRecord t = pq1;
    t.ciphertext[7] ^= 1;
    v.Resign(t, "patient");
    v.AddBinaryInvalid("O4", "ciphertext tampered, re-signed", EncodeRecordBinary(t),
                       "DECRYPT_FAILED");
  }

  // --- W19-W21 and K27-K29 on type 3 stanzas ---
  auto body_size = [&](size_t n) {
    SealedRecord r = pq1;
    r.recipients[i1].wrapped_key.resize(n, 0x33);
    return r;
  };
  v.AddBinaryInvalid("W19", "a type 3 body of 1167 bytes", EncodeRecordBinary(body_size(1167)),
                     "MALFORMED");
  v.AddBinaryInvalid("W19", "a type 3 body of 1169 bytes", EncodeRecordBinary(body_size(1169)),
                     "MALFORMED");
  v.AddBinaryInvalid("W19", "a type 3 body of 48 bytes (the size of types 1 and 2)",
                     EncodeRecordBinary(body_size(48)), "MALFORMED");
  {
    SealedRecord r = mix;
    r.recipients[0].wrapped_key.resize(1168, 0x11);  // a type 1 stanza with a type 3 size
    v.AddBinaryInvalid("W19", "a type 1 body of 1168 bytes", EncodeRecordBinary(r), "MALFORMED");
  }
  v.AddJsonInvalid("K27", "a type 3 body of 1120 bytes (the ciphertext alone)", body_size(1120),
                   "MALFORMED");
  v.AddJsonInvalid("K27", "a type 3 body of 0 bytes", body_size(0), "MALFORMED");
  {
    SealedRecord dup = pq1;
    dup.recipients.push_back(dup.recipients[i1]);
    v.AddBinaryInvalid("W20", "the type 3 stanza twice", EncodeRecordBinary(dup),
                       "DUPLICATE_RECIPIENT");
    v.AddJsonInvalid("K28", "the type 3 stanza twice (JSON)", dup, "DUPLICATE_RECIPIENT");
    SealedRecord order = mix;  // types 1, 2, 3
    std::swap(order.recipients[1], order.recipients[2]);
    v.AddBinaryInvalid("W21", "the type 3 stanza before the vault stanza",
                       EncodeRecordBinary(order), "NON_CANONICAL");
    v.AddJsonInvalid("K29", "the type 3 stanza before the vault stanza (JSON)", order,
                     "NON_CANONICAL");
  }

  ordered_json vault_keys = ordered_json::object();
  for (const auto& [key, nv] : v.vaults) {
    vault_keys[key] = ordered_json{{"keyId", HexEncode(nv->vault.key_id())},
                                   {"key", HexEncode(RevealSecret(nv->vault.key()))},
                                   {"rngSeed", HexEncode(nv->rng_seed)}};
  }
  ordered_json file{
      {"algorithm", "medseal sealed record v2, post-quantum (X-Wing) stanzas"},
      {"spec", "docs/spec/record.md"},
      {"generator", "native-tests/vectors/generate/record_pq_vectors.cc"},
      {"notes",
       "As record_v2.json: parse `input`, verify with the card of `sender`, open with `opener` "
       "for `purpose`. A valid case opens to `payload` and its header is `header` (with "
       "postQuantum per stanza and for the record); with `seal`, sealing version 2 with "
       "ChaChaRng(`seal.rngSeed`) at `seal.now` reproduces `input` exactly; the RNG's requests "
       "are dek (32), nonce (24), eph_sk (32), then one 64-byte X-Wing eseed per type 3 stanza "
       "in stanza order (`seal.eseeds`, for reading only). Identities with cardKeys "
       "\"postQuantum\" have a version 2 card with an X-Wing key (spec §3, §6). An invalid case "
       "fails at the first failing step with `error`."},
      {"numberOfTests", v.tests.size()},
      {"identities", v.IdentitiesJson()},
      {"vaultKeys", vault_keys},
      {"tests", v.tests}};
  const std::string path = dir + "/record/record_v2_pq.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
