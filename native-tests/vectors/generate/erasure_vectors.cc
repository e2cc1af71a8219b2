// SPDX-License-Identifier: Apache-2.0
// consent/erasure_v1.json (docs/spec/share.md §4.4, §5): see consent_vectors.h.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/consent/vault.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/vectors/generate/consent_vectors.h"

namespace medseal::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (erasure): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void WriteJson(const std::string& path, const ordered_json& j) {
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << j.dump(1) << "\n";
}

struct Person {
  std::string key;
  uint8_t fill;
  std::string name, role;
};

// The fixture identities (share_fixtures.h): seed byte i = fill + i.
const Person kPeople[] = {{"patient", 1, "Pat", "patient"},
                          {"doctor", 40, "Dr A", "doctor"},
                          {"nurse", 80, "Dr B", "doctor"}};

ordered_json PersonJson(const Person& p, const Identity& id) {
  Bytes seed(32);
  for (size_t i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(p.fill + i);
  return ordered_json{{"seed", HexEncode(seed)},
                      {"name", p.name},
                      {"role", p.role},
                      {"created", id.card().created()},
                      {"card", id.card().ToJson()}};
}

struct VaultCase {
  std::string comment;
  Bytes bytes;
  std::string error;  // "" = valid
};

Bytes VaultEntry(const std::string& record_id, uint8_t key_fill, uint8_t state) {
  Bytes b;
  ByteWriter w(b);
  w.Str8(record_id);
  w.Raw(Bytes(16, key_fill));
  w.U8(state);
  if (state == 1) w.Raw(Bytes(32, static_cast<uint8_t>(key_fill + 1)));
  w.U8(0);
  w.U32(0);
  w.U32(0);
  return b;
}

Bytes VaultOf(const std::vector<Bytes>& entries) {
  Bytes b = LabelBytes("medseal/v1/vault");
  ByteWriter w(b);
  w.U32(static_cast<uint32_t>(entries.size()));
  for (const Bytes& e : entries) w.Raw(e);
  return b;
}

}  // namespace

void GenerateErasureVectors(const std::string& dir) {
  std::filesystem::create_directories(dir + "/consent");
  std::vector<Identity> ids;
  ordered_json identities = ordered_json::object();
  for (const Person& p : kPeople) {
    ids.push_back(FixtureIdentity(p.fill, p.name.c_str(), p.role.c_str()));
    identities[p.key] = PersonJson(p, ids.back());
  }
  const Identity& patient = ids[0];
  const Identity& doctor = ids[1];
  const Identity& nurse = ids[2];
  const Bytes rng_seed(32, 0x5e);
  ChaChaRng rng(rng_seed);
  FixedClock clock(kShareNow);

  // The scenario: three self-copies, then the PSY category erased.
  consent::Vault vault;
  struct Item {
    std::string id;
    std::vector<std::string> categories;
    std::vector<const PublicCard*> to;
  };
  const std::vector<Item> items = {{"obs-1", {"N"}, {&doctor.card()}},
                                   {"cond-psy", {"PSY", "R"}, {&doctor.card(), &nurse.card()}},
                                   {"cond-sud", {"SUD", "PSY", "R"}, {&nurse.card()}}};
  ordered_json records = ordered_json::array();
  for (const Item& item : items) {
    const VaultKey* key = Must(vault.KeyForRecord(item.id, item.categories, rng), "vault key");
    const std::string body = R"({"resourceType":"Observation","id":")" + item.id + R"("})";
    const RecordPayload payload{"application/fhir+json", item.id, "Observation", AsBytes(body)};
    RecordContext context;
    context.purposes.push_back(TreatRecordPurpose());
    const VaultKey* keys[] = {key};
    SealedRecord sealed = Must(SealRecordV2(patient, item.to, keys, payload, context, rng, clock),
                               "seal");
    std::vector<Bytes> to_ids;
    for (const PublicCard* c : item.to) to_ids.push_back(c->key_id());
    if (!vault.NoteSealed(item.id, sealed, to_ids).ok()) Die("note sealed");
    records.push_back(ordered_json{{"recordId", item.id},
                                   {"record", EncodeRecordJson(sealed)},
                                   {"hash", HexEncode(consent::SealedRecordHash(sealed))},
                                   {"body", body}});
  }
  const SecretBytes before = vault.Serialize();
  FixedClock erase_clock(kShareNow + 1000);
  const consent::ErasureSelector selector{{}, {"PSY"}};
  consent::ErasureReceipt receipt = Must(vault.Erase(patient, selector, erase_clock), "erase");
  const std::string receipt_json = Must(receipt.ToJson(), "receipt json");
  const SecretBytes after = vault.Serialize();
  ordered_json opens_after = ordered_json::object();
  for (const Item& item : items) {
    opens_after[item.id] = item.id == "obs-1" ? "ok" : "KEY_ERASED";
  }
  ordered_json scenario{
      {"comment", "three self-copies sealed to the vault and to cards; erase category PSY"},
      {"purpose", {{"system", std::string(fhir::kActReasonSystem)}, {"code", "TREAT"}}},
      {"sender", "patient"},
      {"vaultBefore", HexEncode(RevealSecret(before))},
      {"records", records},
      {"erase", {{"records", json::array()}, {"categories", {"PSY"}}}},
      {"erasedAt", kShareNow + 1000},
      {"receipt", receipt_json},
      {"vaultAfter", HexEncode(RevealSecret(after))},
      {"afterErasure", opens_after}};

  // Receipt cases.
  ordered_json receipts = ordered_json::array();
  int tc = 1;
  auto add_receipt = [&](const std::string& comment, const std::string& text,
                         const std::string& card, const std::string& error) {
    ordered_json t{{"tcId", tc++}, {"comment", comment}, {"receipt", text}, {"card", card}};
    t["result"] = error.empty() ? "valid" : "invalid";
    if (!error.empty()) t["error"] = error;
    // Self-check: the case says what core does.
    auto parsed = consent::ParseErasureReceipt(text);
    std::string got;
    if (!parsed.ok()) {
      got = std::string(ErrorCodeName(parsed.status().code()));
    } else {
      const PublicCard& c = card == "patient" ? patient.card() : doctor.card();
      const Status s = consent::VerifyErasureReceipt(*parsed, c);
      got = s.ok() ? "" : std::string(ErrorCodeName(s.code()));
    }
    if (got != error) Die("receipt case '" + comment + "': core says '" + got + "'");
    receipts.push_back(std::move(t));
  };
  add_receipt("valid receipt", receipt_json, "patient", "");
  add_receipt("another card", receipt_json, "doctor", "SENDER_MISMATCH");
  const json base = json::parse(receipt_json);
  auto edited = [&](const std::function<void(json&)>& edit) {
    json j = base;
    edit(j);
    return j.dump();
  };
  add_receipt("erased_at changed after signing",
              edited([](json& j) { j["erased_at"] = j["erased_at"].get<int64_t>() + 1; }),
              "patient", "SIGNATURE_INVALID");
  add_receipt("a recipient removed after signing", edited([](json& j) { j["notify"].erase(0); }),
              "patient", "SIGNATURE_INVALID");
  {
    consent::ErasureReceipt flipped = receipt;
    flipped.signature[0] ^= 0x01;
    add_receipt("signature bit flipped", Must(flipped.ToJson(), "json"), "patient",
                "SIGNATURE_INVALID");
  }
  add_receipt("not JSON", "{", "patient", "MALFORMED");
  add_receipt("type is another", edited([](json& j) { j["type"] = "medseal.card"; }), "patient",
              "MALFORMED");
  add_receipt("version 2", edited([](json& j) { j["v"] = 2; }), "patient", "UNSUPPORTED_VERSION");
  add_receipt("an extra member", edited([](json& j) { j["note"] = "x"; }), "patient", "MALFORMED");
  add_receipt("patient key id 15 bytes",
              edited([](json& j) { j["patient"] = "AAAAAAAAAAAAAAAAAAAA"; }), "patient",
              "MALFORMED");
  add_receipt("erased_at above 2^53-1", edited([](json& j) { j["erased_at"] = 9007199254740992; }),
              "patient", "MALFORMED");
  add_receipt("nothing requested",
              edited([](json& j) { j["requested"]["categories"] = json::array(); }), "patient",
              "MALFORMED");
  add_receipt("requested categories repeat", edited([](json& j) {
                j["requested"]["categories"] = {"PSY", "PSY"};
              }),
              "patient", "NON_CANONICAL");
  add_receipt("erased empty", edited([](json& j) { j["erased"] = json::array(); }), "patient",
              "MALFORMED");
  add_receipt("erased out of order",
              edited([](json& j) { std::swap(j["erased"][0], j["erased"][1]); }), "patient",
              "NON_CANONICAL");
  add_receipt("17 categories", edited([](json& j) {
                json c = json::array();
                for (int i = 10; i < 27; ++i) c.push_back("C" + std::to_string(i));
                j["erased"][0]["categories"] = c;
              }),
              "patient", "TOO_LARGE");
  add_receipt("hash of 31 bytes", edited([](json& j) {
                j["erased"][0]["hashes"][0] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
              }),
              "patient", "MALFORMED");
  add_receipt("key id with padding", edited([](json& j) {
                j["erased"][0]["key"] = j["erased"][0]["key"].get<std::string>() + "==";
              }),
              "patient", "NON_CANONICAL");
  add_receipt("notify names a record not erased",
              edited([](json& j) { j["notify"][0]["records"] = {"obs-1"}; }), "patient",
              "MALFORMED");
  add_receipt("notify out of order",
              edited([](json& j) { std::swap(j["notify"][0], j["notify"][1]); }), "patient",
              "NON_CANONICAL");
  add_receipt("signature of 63 bytes",
              edited([](json& j) { j["sig"] = j["sig"].get<std::string>().substr(0, 84); }),
              "patient", "MALFORMED");

  // Vault storage cases.
  ordered_json vaults = ordered_json::array();
  tc = 1;
  auto add_vault = [&](const std::string& comment, const Bytes& bytes, const std::string& error) {
    auto parsed = consent::Vault::Parse(bytes);
    const std::string got = parsed.ok() ? "" : std::string(ErrorCodeName(parsed.status().code()));
    if (got != error) Die("vault case '" + comment + "': core says '" + got + "'");
    ordered_json t{{"tcId", tc++}, {"comment", comment}, {"vault", HexEncode(bytes)}};
    t["result"] = error.empty() ? "valid" : "invalid";
    if (!error.empty()) t["error"] = error;
    vaults.push_back(std::move(t));
  };
  const Bytes before_bytes(RevealSecret(before).begin(), RevealSecret(before).end());
  add_vault("the scenario's vault before erasure", before_bytes, "");
  add_vault("an empty vault", VaultOf({}), "");
  add_vault("one live entry, one tombstone",
            VaultOf({VaultEntry("a", 0x10, 1), VaultEntry("b", 0x20, 0)}), "");
  add_vault("empty input", Bytes(), "TRUNCATED");
  add_vault("truncated in the last entry", Bytes(before_bytes.begin(), before_bytes.end() - 1),
            "TRUNCATED");
  {
    Bytes t = VaultOf({});
    t.push_back(0);
    add_vault("a byte after the last entry", t, "TRAILING_DATA");
  }
  {
    Bytes t = VaultOf({});
    t[9] = '2';
    add_vault("label medseal/v2/vault", t, "UNSUPPORTED_VERSION");
  }
  {
    Bytes t = VaultOf({});
    t[0] = 'M';
    add_vault("another label", t, "MALFORMED");
  }
  {
    Bytes t = LabelBytes("medseal/v1/vault");
    ByteWriter(t).U32(65537);
    add_vault("65 537 entries announced", t, "TOO_LARGE");
  }
  add_vault("entries out of order", VaultOf({VaultEntry("b", 0x10, 1), VaultEntry("a", 0x20, 1)}),
            "NON_CANONICAL");
  add_vault("a record id twice", VaultOf({VaultEntry("a", 0x10, 1), VaultEntry("a", 0x20, 1)}),
            "NON_CANONICAL");
  add_vault("a key id twice", VaultOf({VaultEntry("a", 0x10, 1), VaultEntry("b", 0x10, 1)}),
            "MALFORMED");
  add_vault("state 2", VaultOf({VaultEntry("a", 0x10, 2)}), "MALFORMED");
  add_vault("a record id with a space", VaultOf({VaultEntry("a b", 0x10, 1)}), "MALFORMED");

  ordered_json file{{"algorithm", "medseal erasure vault and erasure receipt v1"},
                    {"spec", "docs/spec/share.md, sections 4 and 5"},
                    {"rngSeed", HexEncode(rng_seed)},
                    {"identities", identities},
                    {"scenario", scenario},
                    {"numberOfReceiptTests", receipts.size()},
                    {"receiptTests", receipts},
                    {"numberOfVaultTests", vaults.size()},
                    {"vaultTests", vaults}};
  WriteJson(dir + "/consent/erasure_v1.json", file);
}

}  // namespace medseal::testing
