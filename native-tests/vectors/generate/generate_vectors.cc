// Generates every file under native-tests/vectors/{identity,record}/ from a
// deterministic RNG. Never edit the output by hand: change this program, run
//   build/native-debug/native-tests/medseal_generate_vectors native-tests/vectors
// and commit the result. The vectors_up_to_date test fails if they drift.
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "core/record/internal/record_internal.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/vectors/generate/accumulated.h"

namespace medseal {
namespace {

using nlohmann::ordered_json;
using testing::PayloadData;
constexpr UnixMillis kCreated = 1700000000000;

struct Named {
  std::string key;
  Bytes seed;
  std::string name, role;
  Identity id;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

Named MakeIdentity(const std::string& key, uint8_t seed_byte, const std::string& name,
                   const std::string& role) {
  Bytes seed(32, seed_byte);
  Identity id = Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, kCreated),
                     "identity");
  return Named{key, seed, name, role, std::move(id)};
}

ordered_json PayloadJson(const PayloadData& p, UnixMillis created) {
  return ordered_json{{"contentType", p.content_type}, {"recordId", p.record_id},
                      {"resourceType", p.resource_type}, {"created", created},
                      {"body", HexEncode(p.body)}};
}

class Writer {
 public:
  explicit Writer(std::string dir) : dir_(std::move(dir)) {}
  void Write(const std::string& rel, const ordered_json& j) {
    std::string path = dir_ + "/" + rel;
    std::ofstream out(path, std::ios::binary);
    if (!out) Die("cannot write " + path);
    out << j.dump(1) << "\n";
  }

 private:
  std::string dir_;
};

const char* kObservation =
    R"({"resourceType":"Observation","id":"hba1c-1","status":"final",)"
    R"("code":{"coding":[{"system":"http://loinc.org","code":"4548-4",)"
    R"("display":"Hemoglobin A1c"}]},"subject":{"reference":"Patient/p1"},)"
    R"("valueQuantity":{"value":6.1,"unit":"%"}})";

struct RecordVectors {
  std::map<std::string, Named*> ids;
  ordered_json tests = ordered_json::array();
  int next_id = 1;

  std::vector<PublicCard> Cards(const std::vector<std::string>& names) {
    std::vector<PublicCard> cards;
    for (const auto& n : names) cards.push_back(ids.at(n)->id.card());
    return cards;
  }

  void Add(const std::string& comment, const std::string& sender, const std::string& opener,
           bool binary, const std::string& input, const std::string& error,
           const PayloadData* expected = nullptr, UnixMillis created = 0,
           ordered_json seal = nullptr) {
    ordered_json t{{"tcId", next_id++}, {"comment", comment},
                   {"encoding", binary ? "binary" : "json"}, {"sender", sender},
                   {"opener", opener}, {"input", input},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    if (expected != nullptr) t["payload"] = PayloadJson(*expected, created);
    if (!seal.is_null()) t["seal"] = std::move(seal);
    tests.push_back(std::move(t));
  }

  // Seals deterministically and records a valid case (binary and JSON).
  SealedRecord AddValid(const std::string& comment, const std::string& sender,
                        const std::vector<std::string>& recipients, const std::string& opener,
                        const PayloadData& payload, uint8_t rng_byte, UnixMillis now) {
    Bytes rng_seed(32, rng_byte);
    ChaChaRng rng(rng_seed);
    FixedClock clock(now);
    auto cards = Cards(recipients);
    SealedRecord r = Must(SealRecord(ids.at(sender)->id, cards, payload, rng, clock), "seal");
    ordered_json seal{{"rngSeed", HexEncode(rng_seed)}, {"now", now},
                      {"recipients", recipients},
                      {"payload", {{"contentType", payload.content_type},
                                   {"recordId", payload.record_id},
                                   {"resourceType", payload.resource_type},
                                   {"body", HexEncode(payload.body)}}}};
    Add(comment + " (binary)", sender, opener, true, HexEncode(EncodeRecordBinary(r)), "",
        &payload, now, seal);
    Add(comment + " (JSON)", sender, opener, false, EncodeRecordJson(r), "", &payload, now,
        seal);
    return r;
  }

  void AddBinaryInvalid(const std::string& comment, const Bytes& bytes, const std::string& error,
                        const std::string& opener = "clinician",
                        const std::string& sender = "patient") {
    Add(comment, sender, opener, true, HexEncode(bytes), error);
  }
  void AddJsonInvalid(const std::string& comment, const std::string& json,
                      const std::string& error) {
    Add(comment, "patient", "clinician", false, json, error);
  }
};

void Resign(SealedRecord& r, const Identity& sender) {
  r.signature = sender.Sign(internal::RecordSignatureMessage(r));
}

std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  if (pos == std::string::npos) Die("pattern not found: " + from);
  return s.replace(pos, from.size(), to);
}

ordered_json IdentityJson(const Named& n) {
  return ordered_json{{"seed", HexEncode(n.seed)}, {"name", n.name}, {"role", n.role},
                      {"created", kCreated}, {"keyId", HexEncode(n.id.key_id())},
                      {"card", n.id.card().ToJson()}};
}

void GenerateRecords(Writer& out, std::vector<Named>& people) {
  RecordVectors v;
  for (auto& n : people) v.ids[n.key] = &n;
  const Identity& patient = v.ids.at("patient")->id;
  const UnixMillis now = kCreated + 86400000;

  PayloadData obs{"application/fhir+json", "hba1c-1", "Observation", ToBytes(kObservation)};
  SealedRecord base = v.AddValid("FHIR Observation to one clinician", "patient", {"clinician"},
                                 "clinician", obs, 0x10, now);
  v.AddValid("two recipients, opened by the second", "patient", {"clinician", "nurse"}, "nurse",
             obs, 0x11, now);
  v.AddValid("empty body, no record id or resource type", "patient", {"clinician"}, "clinician",
             PayloadData{"application/octet-stream", "", "", {}}, 0x12, now);
  // Encoded payload = 1+24+1+0+1+0+8+4 = 39 bytes + body; +1 marker.
  v.AddValid("payload exactly fills the 256-byte minimum", "patient", {"clinician"}, "clinician",
             PayloadData{"application/octet-stream", "", "", Bytes(256 - 1 - 39, 0x41)},
             0x13, now);
  v.AddValid("payload one byte over the minimum (next padded size 272)", "patient",
             {"clinician"}, "clinician",
             PayloadData{"application/octet-stream", "", "", Bytes(256 - 39, 0x42)}, 0x14,
             now);
  v.AddValid("clinician replies to the patient with a 5000-byte note", "clinician", {"patient"},
             "patient",
             PayloadData{"text/plain; charset=utf-8", "note-7", "DocumentReference",
                         Bytes(5000, 0x6e)},
             0x15, now);
  {
    std::vector<std::string> many{"clinician"};
    for (size_t i = 0; i < people.size(); ++i) {
      if (people[i].key.rfind("member-", 0) == 0) many.push_back(people[i].key);
    }
    v.AddValid("64 recipients (the maximum)", "patient", many, "clinician", obs, 0x16, now);
  }

  Bytes bin = EncodeRecordBinary(base);
  std::string json = EncodeRecordJson(base);
  auto with = [&](std::function<void(Bytes&)> f) { Bytes b = bin; f(b); return b; };

  // --- binary framing ---
  v.AddBinaryInvalid("empty input", {}, "TRUNCATED");
  v.AddBinaryInvalid("bad magic", with([](Bytes& b) { b[0] = 'M'; }), "MALFORMED");
  v.AddBinaryInvalid("magic only", Bytes(bin.begin(), bin.begin() + 4), "TRUNCATED");
  v.AddBinaryInvalid("unknown version 2", with([](Bytes& b) { b[4] = 2; }), "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("unknown version 0", with([](Bytes& b) { b[4] = 0; }), "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("truncated in the header", Bytes(bin.begin(), bin.begin() + 50), "TRUNCATED");
  v.AddBinaryInvalid("truncated in the recipient list", Bytes(bin.begin(), bin.begin() + 100),
                     "TRUNCATED");
  v.AddBinaryInvalid("last byte of the signature missing", Bytes(bin.begin(), bin.end() - 1),
                     "TRUNCATED");
  v.AddBinaryInvalid("one trailing byte", with([](Bytes& b) { b.push_back(0); }), "TRAILING_DATA");
  v.AddBinaryInvalid("zero recipients", with([](Bytes& b) { b[77] = 0; }), "MALFORMED");
  v.AddBinaryInvalid("65 recipients", with([](Bytes& b) { b[77] = 65; }), "TOO_LARGE");
  v.AddBinaryInvalid("ciphertext length not a padded size", with([](Bytes& b) {
                       uint32_t len = b[142] | b[143] << 8 | b[144] << 16 | uint32_t(b[145]) << 24;
                       len += 1;
                       for (int i = 0; i < 4; ++i) b[142 + i] = uint8_t(len >> (8 * i));
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("ciphertext length below the minimum", with([](Bytes& b) {
                       b[142] = 16; b[143] = 0; b[144] = 0; b[145] = 0;
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("ciphertext length over the limit", with([](Bytes& b) {
                       b[142] = 0; b[143] = 0; b[144] = 0; b[145] = 0x40;
                     }),
                     "TOO_LARGE");
  {
    // Two stanzas: duplicate, then out of order.
    std::vector<PublicCard> two = v.Cards({"clinician", "nurse"});
    ChaChaRng rng(Bytes(32, 0x20));
    FixedClock clock(now);
    SealedRecord r = Must(SealRecord(patient, two, obs, rng, clock), "seal");
    SealedRecord dup = r;
    dup.recipients[1] = dup.recipients[0];
    Resign(dup, patient);
    v.AddBinaryInvalid("the same recipient twice", EncodeRecordBinary(dup), "DUPLICATE_RECIPIENT");
    SealedRecord unsorted = r;
    std::swap(unsorted.recipients[0], unsorted.recipients[1]);
    Resign(unsorted, patient);
    v.AddBinaryInvalid("recipients not sorted by key id", EncodeRecordBinary(unsorted),
                       "NON_CANONICAL");
  }

  // --- who may open / who sealed ---
  v.AddBinaryInvalid("opener is not a recipient", bin, "NO_MATCHING_RECIPIENT", "outsider");
  v.AddBinaryInvalid("verified against the wrong sender card", bin, "SENDER_MISMATCH",
                     "clinician", "nurse");
  v.AddBinaryInvalid("signature bit flipped", with([](Bytes& b) { b.back() ^= 1; }),
                     "SIGNATURE_INVALID");
  v.AddBinaryInvalid("ciphertext bit flipped (not re-signed)",
                     with([](Bytes& b) { b[200] ^= 0x80; }), "SIGNATURE_INVALID");
  {
    SealedRecord r = base;
    r.recipients[0].wrapped_key[0] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("wrapped key tampered, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.ciphertext[3] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("ciphertext tampered, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.nonce[0] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("nonce changed, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.ephemeral_key = Bytes(32, 0);
    Resign(r, patient);
    v.AddBinaryInvalid("all-zero (low-order) ephemeral key, re-signed", EncodeRecordBinary(r),
                       "WEAK_KEY");
  }

  // --- payload inside the AEAD (a sender that encodes wrongly) ---
  auto seal_padded = [&](const std::string& comment, Bytes padded, const std::string& error,
                         uint8_t rng_byte) {
    ChaChaRng rng(Bytes(32, rng_byte));
    auto cards = v.Cards({"clinician"});
    const PublicCard* to[] = {&cards.at(0)};
    SealedRecord r = Must(internal::SealPaddedPayload(patient, to, padded, rng), "seal padded");
    v.AddBinaryInvalid(comment, EncodeRecordBinary(r), error);
  };
  PayloadData small{"application/fhir+json", "x", "Observation", ToBytes("{}")};
  Bytes good = internal::EncodePayloadForTesting(small, now);
  {
    Bytes p = good;
    for (size_t i = p.size(); i-- > 0;) {
      if (p[i] == 0x80) { p[i] = 0x81; break; }
    }
    seal_padded("padding marker is not 0x80", p, "NON_CANONICAL", 0x30);
  }
  {
    Bytes p = good;
    p.resize(512, 0);  // a valid padded size, but longer than the scheme gives
    seal_padded("more padding than the scheme allows", p, "NON_CANONICAL", 0x31);
  }
  {
    Bytes p(256, 0);
    p[0] = 0x80;
    seal_padded("padding only, no payload fields", p, "MALFORMED", 0x32);
  }
  {
    PayloadData bad = small;
    bad.content_type = "application/fhir+json";
    Bytes p = internal::EncodePayloadForTesting(bad, now);
    p[1] = 0x07;  // a control character inside the content type
    seal_padded("control character in the content type", p, "MALFORMED", 0x33);
  }
  {
    Bytes p = good;
    // body length field claims one more byte than present (content type 21, id 1, type 11)
    size_t body_len_off = 1 + 21 + 1 + 1 + 1 + 11 + 8;
    p[body_len_off] = static_cast<uint8_t>(p[body_len_off] + 1);
    seal_padded("body length runs past the payload", p, "MALFORMED", 0x34);
  }
  {
    // created = -1 encodes as u64 0xffff...ff
    seal_padded("creation time of 2^64 - 1 (negative)",
                internal::EncodePayloadForTesting(small, -1), "MALFORMED", 0x35);
  }

  // --- JSON encoding ---
  v.AddJsonInvalid("not JSON", "this is not json", "MALFORMED");
  v.AddJsonInvalid("JSON array at top level", "[]", "MALFORMED");
  v.AddJsonInvalid("version 2", ReplaceOnce(json, "\"v\":1", "\"v\":2"), "UNSUPPORTED_VERSION");
  v.AddJsonInvalid("wrong type", ReplaceOnce(json, "\"medseal.record\"", "\"medseal.card\""),
                   "MALFORMED");
  v.AddJsonInvalid("unknown member", ReplaceOnce(json, "\"v\":1", "\"v\":1,\"x\":0"), "MALFORMED");
  v.AddJsonInvalid("duplicate member", ReplaceOnce(json, "\"v\":1", "\"v\":1,\"v\":1"), "MALFORMED");
  v.AddJsonInvalid("trailing garbage after the object", json + "x", "MALFORMED");
  v.AddJsonInvalid("version as a string", ReplaceOnce(json, "\"v\":1", "\"v\":\"1\""), "MALFORMED");
  {
    std::string sig = Base64UrlEncode(base.signature);  // 64 bytes: 86 chars, 2 spare bits
    std::string padded = sig + "==";
    v.AddJsonInvalid("base64 padding on the signature", ReplaceOnce(json, sig, padded),
                     "NON_CANONICAL");
    std::string alt = sig;
    // Last char encodes 2 bits of data + 4 unused bits; set an unused bit.
    const std::string alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    alt.back() = alphabet[alphabet.find(alt.back()) | 1];
    if (alt == sig) alt.back() = alphabet[alphabet.find(sig.back()) ^ 2];
    v.AddJsonInvalid("non-zero unused bits in base64", ReplaceOnce(json, sig, alt),
                     "NON_CANONICAL");
    std::string std_b64 = sig;
    std_b64[0] = '+';
    v.AddJsonInvalid("standard base64 alphabet character", ReplaceOnce(json, sig, std_b64),
                     "MALFORMED");
  }
  {
    std::string kid = Base64UrlEncode(base.recipients[0].key_id);
    std::string stanza = "{\"kid\":\"" + kid + "\",\"wrapped\":\"" +
                         Base64UrlEncode(base.recipients[0].wrapped_key) + "\"}";
    v.AddJsonInvalid("the same recipient twice",
                     ReplaceOnce(json, stanza, stanza + "," + stanza), "DUPLICATE_RECIPIENT");
    v.AddJsonInvalid("empty recipient list", ReplaceOnce(json, "[" + stanza + "]", "[]"),
                     "MALFORMED");
    v.AddJsonInvalid("key id of the wrong size",
                     ReplaceOnce(json, "\"kid\":\"" + kid, "\"kid\":\"AAAA" + kid), "MALFORMED");
  }

  ordered_json file{
      {"algorithm", "medseal sealed record v1"},
      {"spec", "docs/spec/record.md"},
      {"generator", "native-tests/vectors/generate/generate_vectors.cc"},
      {"notes",
       "For each test: parse `input` (hex of the binary encoding, or JSON text); verify it with "
       "the card of `sender`; open it with the identity `opener`. A valid case must open to "
       "`payload` and, when `seal` is given, sealing `seal.payload` from `sender` to "
       "`seal.recipients` with ChaChaRng(`seal.rngSeed`) at time `seal.now` must reproduce "
       "`input` exactly. An invalid case must fail at the first failing step with `error`."},
      {"numberOfTests", v.tests.size()},
      {"identities", ordered_json::object()},
      {"tests", v.tests}};
  for (auto& n : people) file["identities"][n.key] = IdentityJson(n);
  out.Write("record/record_v1.json", file);
}

void GenerateCards(Writer& out, std::vector<Named>& people) {
  ordered_json tests = ordered_json::array();
  int id = 1;
  auto add = [&](const std::string& comment, const std::string& card, const std::string& error) {
    ordered_json t{{"tcId", id++}, {"comment", comment}, {"card", card},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    tests.push_back(std::move(t));
  };
  const Identity& p = people[0].id;
  std::string card = p.card().ToJson();
  for (size_t i = 0; i < 4; ++i) add("card of " + people[i].key, people[i].id.card().ToJson(), "");
  Identity unicode = Must(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 9)),
                                             "Zhang Wei \xe5\xbc\xa0\xe4\xbc\x9f", "patient",
                                             kCreated),
                          "unicode identity");
  add("non-ASCII display name", unicode.card().ToJson(), "");
  std::string sig = Base64UrlEncode(p.card().signature());
  std::string kid = Base64UrlEncode(p.key_id());
  std::string bad_sig = sig;
  bad_sig[0] = bad_sig[0] == 'A' ? 'B' : 'A';
  add("signature altered", ReplaceOnce(card, sig, bad_sig), "SIGNATURE_INVALID");
  add("name changed after signing", ReplaceOnce(card, "\"Patient P\"", "\"Patient Q\""),
      "SIGNATURE_INVALID");
  add("role changed after signing", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"clinician\""),
      "SIGNATURE_INVALID");
  add("created changed after signing", ReplaceOnce(card, "1700000000000", "1700000000001"),
      "SIGNATURE_INVALID");
  add("key id of another identity",
      ReplaceOnce(card, kid, Base64UrlEncode(people[1].id.key_id())), "KEY_ID_MISMATCH");
  add("version 2", ReplaceOnce(card, "\"v\":1", "\"v\":2"), "UNSUPPORTED_VERSION");
  add("missing signature", ReplaceOnce(card, ",\"sig\":\"" + sig + "\"", ""), "MALFORMED");
  add("unknown member", ReplaceOnce(card, "\"v\":1", "\"v\":1,\"extra\":true"), "MALFORMED");
  add("duplicate member", ReplaceOnce(card, "\"v\":1", "\"v\":1,\"v\":1"), "MALFORMED");
  add("role with an upper-case letter", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"Patient\""),
      "MALFORMED");
  // Built with append: GCC 12 at -O3 reports a false -Wrestrict for
  // "\"" + std::string(n, 'x') (GCC bug 105329).
  std::string long_name(1, '"');
  long_name.append(129, 'x').push_back('"');
  add("name over 128 bytes", ReplaceOnce(card, "\"Patient P\"", long_name), "TOO_LARGE");
  add("control character in the name", ReplaceOnce(card, "\"Patient P\"", "\"Patient\\u0001P\""),
      "MALFORMED");
  add("negative creation time", ReplaceOnce(card, "1700000000000", "-1"), "MALFORMED");
  add("signature padded", ReplaceOnce(card, sig, sig + "=="), "NON_CANONICAL");
  add("not JSON", "{", "MALFORMED");
  add("over 4096 bytes", std::string(4097, ' '), "TOO_LARGE");
  ordered_json file{{"algorithm", "medseal public card v1"},
                    {"spec", "docs/spec/record.md"},
                    {"notes", "Parse `card` with full verification; valid cards must re-serialize to the same text."},
                    {"numberOfTests", tests.size()},
                    {"identities", ordered_json::object()},
                    {"tests", tests}};
  for (auto& n : people) {
    if (n.key.rfind("member-", 0) != 0) file["identities"][n.key] = IdentityJson(n);
  }
  out.Write("identity/card_v1.json", file);
}

void GenerateAccumulated(Writer& out) {
  constexpr uint32_t kIterations = 500;
  Bytes digest = Must(testing::AccumulatedRecordDigest(kIterations), "accumulated");
  ordered_json file{{"algorithm", "medseal sealed record v1 accumulated randomized test"},
                    {"spec", "docs/spec/record.md, section Test vectors"},
                    {"iterations", kIterations},
                    {"blake2b512", HexEncode(digest)}};
  out.Write("record/accumulated.json", file);
}

}  // namespace
}  // namespace medseal

int main(int argc, char** argv) {
  using namespace medseal;
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR (the vectors folder)\n", argv[0]);
    return 2;
  }
  Writer out(argv[1]);
  std::vector<Named> people;
  people.push_back(MakeIdentity("patient", 0x01, "Patient P", "patient"));
  people.push_back(MakeIdentity("clinician", 0x02, "Dr. C", "clinician"));
  people.push_back(MakeIdentity("nurse", 0x03, "Nurse N", "nurse"));
  people.push_back(MakeIdentity("outsider", 0x04, "Outsider O", "clinician"));
  for (int i = 0; i < 63; ++i) {
    people.push_back(MakeIdentity("member-" + std::to_string(i), static_cast<uint8_t>(0x40 + i),
                                  "Member " + std::to_string(i), "care-team"));
  }
  GenerateRecords(out, people);
  GenerateCards(out, people);
  GenerateAccumulated(out);
  return 0;
}
