// SPDX-License-Identifier: Apache-2.0
// Generates every file under
// native-tests/vectors/{identity,record,consent,attachment,log,keystore,group}/ from a
// deterministic RNG. Never edit the output by hand: change this program, run
//   build/native-debug/native-tests/medseal_generate_vectors native-tests/vectors
// and commit the result. The vectors_up_to_date test fails if they drift.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/codec/jcs.h"
#include "core/consent/receipt.h"
#include "core/crypto/aead.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/ed25519.h"
#include "core/crypto/x25519.h"
#include "core/identity/identity.h"
#include "core/identity/internal/card_internal.h"
#include "core/record/internal/record_internal.h"
#include "core/record/padding.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/support/test_util.h"
#include "native-tests/vectors/generate/accumulated.h"
#include "native-tests/vectors/generate/attachment_vectors.h"
#include "native-tests/vectors/generate/card_v2_vectors.h"
#include "native-tests/vectors/generate/client_vectors.h"
#include "native-tests/vectors/generate/consent_vectors.h"
#include "native-tests/vectors/generate/group_vectors.h"
#include "native-tests/vectors/generate/keystore_vectors.h"
#include "native-tests/vectors/generate/log_audit_vectors.h"
#include "native-tests/vectors/generate/log_checkpoint_vectors.h"
#include "native-tests/vectors/generate/log_event_vectors.h"
#include "native-tests/vectors/generate/log_tiles_vectors.h"
#include "native-tests/vectors/generate/record_pq_vectors.h"
#include "native-tests/vectors/generate/safety_vectors.h"

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
  return ordered_json{{"contentType", p.content_type},
                      {"recordId", p.record_id},
                      {"resourceType", p.resource_type},
                      {"created", created},
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

const char* kObservation = R"({"resourceType":"Observation","id":"hba1c-1","status":"final",)"
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
           const std::string& rule = "", const PayloadData* expected = nullptr,
           UnixMillis created = 0, ordered_json seal = nullptr) {
    if (error.empty() != rule.empty()) Die("an invalid case needs a rule, a valid one none");
    ordered_json t{{"tcId", next_id++},
                   {"comment", comment},
                   {"encoding", binary ? "binary" : "json"},
                   {"sender", sender},
                   {"opener", opener},
                   {"input", input},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    if (!rule.empty()) t["rule"] = rule;
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
    ordered_json seal{{"rngSeed", HexEncode(rng_seed)},
                      {"now", now},
                      {"recipients", recipients},
                      {"payload",
                       {{"contentType", payload.content_type},
                        {"recordId", payload.record_id},
                        {"resourceType", payload.resource_type},
                        {"body", HexEncode(payload.body)}}}};
    Add(comment + " (binary)", sender, opener, true, HexEncode(EncodeRecordBinary(r)), "", "",
        &payload, now, seal);
    Add(comment + " (JSON)", sender, opener, false, EncodeRecordJson(r), "", "", &payload, now,
        seal);
    return r;
  }

  // `rule`: the spec rule that decides the case (docs/spec/record.md), e.g.
  // "B10", or "J9/D3" for a member rule whose code comes from §1.1's D3.
  void AddBinaryInvalid(const std::string& rule, const std::string& comment, const Bytes& bytes,
                        const std::string& error, const std::string& opener = "clinician",
                        const std::string& sender = "patient") {
    Add(comment, sender, opener, true, HexEncode(bytes), error, rule);
  }
  void AddJsonInvalid(const std::string& rule, const std::string& comment, const std::string& json,
                      const std::string& error) {
    Add(comment, "patient", "clinician", false, json, error, rule);
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

// `"name":"old"` (a string member as medseal writes it) becomes
// `"name":value` (JSON text).
std::string ReplaceMember(const std::string& json, const std::string& name,
                          const std::string& old_value, const std::string& value) {
  return ReplaceOnce(json, "\"" + name + "\":\"" + old_value + "\"", "\"" + name + "\":" + value);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// The same base64url text with one unused trailing bit set (a second
// spelling, rule D4); `b64` must end in a partial group.
std::string WithUnusedBit(const std::string& b64) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (b64.size() % 4 == 0) Die("no unused bits in a whole group");
  std::string alt = b64;
  alt.back() = kAlphabet[kAlphabet.find(alt.back()) | 1];
  if (alt == b64) Die("unused bit already set");
  return alt;
}

// A JSON value which, as a member of the top-level object (depth 1), puts
// its innermost array at `depth`: with a 0 inside, or empty.
std::string NestedArrays(int depth, bool empty) {
  std::string s(static_cast<size_t>(depth - 1), '[');
  if (!empty) s += "0";
  return s + std::string(static_cast<size_t>(depth - 1), ']');
}

ordered_json IdentityJson(const Named& n) {
  return ordered_json{{"seed", HexEncode(n.seed)},
                      {"name", n.name},
                      {"role", n.role},
                      {"created", n.id.card().created()},
                      {"keyId", HexEncode(n.id.key_id())},
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
             PayloadData{"application/octet-stream", "", "", Bytes(256 - 1 - 39, 0x41)}, 0x13, now);
  v.AddValid("payload one byte over the minimum (next padded size 272)", "patient", {"clinician"},
             "clinician", PayloadData{"application/octet-stream", "", "", Bytes(256 - 39, 0x42)},
             0x14, now);
  v.AddValid(
      "clinician replies to the patient with a 5000-byte note", "clinician", {"patient"}, "patient",
      PayloadData{"text/plain; charset=utf-8", "note-7", "DocumentReference", Bytes(5000, 0x6e)},
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
  auto with = [&](std::function<void(Bytes&)> f) {
    Bytes b = bin;
    f(b);
    return b;
  };

  // --- binary framing ---
  v.AddBinaryInvalid("B2", "empty input", {}, "TRUNCATED");
  v.AddBinaryInvalid("B1", "bad magic", with([](Bytes& b) { b[0] = 'M'; }), "MALFORMED");
  v.AddBinaryInvalid("B2", "magic only", Bytes(bin.begin(), bin.begin() + 4), "TRUNCATED");
  v.AddBinaryInvalid("B3", "unknown version 3", with([](Bytes& b) { b[4] = 3; }),
                     "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("B3", "unknown version 0", with([](Bytes& b) { b[4] = 0; }),
                     "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("B4", "truncated in the header", Bytes(bin.begin(), bin.begin() + 50),
                     "TRUNCATED");
  v.AddBinaryInvalid("B7", "truncated in the recipient list", Bytes(bin.begin(), bin.begin() + 100),
                     "TRUNCATED");
  v.AddBinaryInvalid("B13", "last byte of the signature missing", Bytes(bin.begin(), bin.end() - 1),
                     "TRUNCATED");
  v.AddBinaryInvalid("B14", "one trailing byte", with([](Bytes& b) { b.push_back(0); }),
                     "TRAILING_DATA");
  v.AddBinaryInvalid("B5", "zero recipients", with([](Bytes& b) { b[77] = 0; }), "MALFORMED");
  v.AddBinaryInvalid("B6", "65 recipients", with([](Bytes& b) { b[77] = 65; }), "TOO_LARGE");
  v.AddBinaryInvalid("B12", "ciphertext length not a padded size", with([](Bytes& b) {
                       uint32_t len = b[142] | b[143] << 8 | b[144] << 16 | uint32_t(b[145]) << 24;
                       len += 1;
                       for (int i = 0; i < 4; ++i) b[142 + i] = uint8_t(len >> (8 * i));
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("B12", "ciphertext length below the minimum", with([](Bytes& b) {
                       b[142] = 16;
                       b[143] = 0;
                       b[144] = 0;
                       b[145] = 0;
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("B11", "ciphertext length over the limit", with([](Bytes& b) {
                       b[142] = 0;
                       b[143] = 0;
                       b[144] = 0;
                       b[145] = 0x40;
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
    v.AddBinaryInvalid("B8", "the same recipient twice", EncodeRecordBinary(dup),
                       "DUPLICATE_RECIPIENT");
    SealedRecord unsorted = r;
    std::swap(unsorted.recipients[0], unsorted.recipients[1]);
    Resign(unsorted, patient);
    v.AddBinaryInvalid("B9", "recipients not sorted by key id", EncodeRecordBinary(unsorted),
                       "NON_CANONICAL");
  }

  // --- who may open / who sealed ---
  v.AddBinaryInvalid("O1", "opener is not a recipient", bin, "NO_MATCHING_RECIPIENT", "outsider");
  v.AddBinaryInvalid("V1", "verified against the wrong sender card", bin, "SENDER_MISMATCH",
                     "clinician", "nurse");
  v.AddBinaryInvalid("V2", "signature bit flipped", with([](Bytes& b) { b.back() ^= 1; }),
                     "SIGNATURE_INVALID");
  v.AddBinaryInvalid("V2", "ciphertext bit flipped (not re-signed)",
                     with([](Bytes& b) { b[200] ^= 0x80; }), "SIGNATURE_INVALID");
  {
    SealedRecord r = base;
    r.recipients[0].wrapped_key[0] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("O3", "wrapped key tampered, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.ciphertext[3] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("O4", "ciphertext tampered, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.nonce[0] ^= 1;
    Resign(r, patient);
    v.AddBinaryInvalid("O4", "nonce changed, re-signed by the sender", EncodeRecordBinary(r),
                       "DECRYPT_FAILED");
  }
  {
    SealedRecord r = base;
    r.ephemeral_key = Bytes(32, 0);
    Resign(r, patient);
    v.AddBinaryInvalid("O2", "all-zero (low-order) ephemeral key, re-signed", EncodeRecordBinary(r),
                       "WEAK_KEY");
  }

  // --- payload inside the AEAD (a sender that encodes wrongly) ---
  auto seal_padded = [&](const std::string& rule, const std::string& comment, Bytes padded,
                         const std::string& error, uint8_t rng_byte) {
    ChaChaRng rng(Bytes(32, rng_byte));
    auto cards = v.Cards({"clinician"});
    const PublicCard* to[] = {&cards.at(0)};
    SealedRecord r = Must(internal::SealPaddedPayload(patient, to, padded, rng), "seal padded");
    v.AddBinaryInvalid(rule, comment, EncodeRecordBinary(r), error);
    return r;
  };
  PayloadData small{"application/fhir+json", "x", "Observation", ToBytes("{}")};
  Bytes good = internal::EncodePayloadForTesting(small, now);
  {
    Bytes p = good;
    for (size_t i = p.size(); i-- > 0;) {
      if (p[i] == 0x80) {
        p[i] = 0x81;
        break;
      }
    }
    seal_padded("P1", "padding marker is not 0x80", p, "NON_CANONICAL", 0x30);
  }
  {
    Bytes p = good;
    p.resize(512, 0);  // a valid padded size, but longer than the scheme gives
    seal_padded("P2", "more padding than the scheme allows", p, "NON_CANONICAL", 0x31);
  }
  {
    Bytes p(256, 0);
    p[0] = 0x80;
    seal_padded("P3", "padding only, no payload fields", p, "MALFORMED", 0x32);
  }
  {
    PayloadData bad = small;
    bad.content_type = "application/fhir+json";
    Bytes p = internal::EncodePayloadForTesting(bad, now);
    p[1] = 0x07;  // a control character inside the content type
    seal_padded("P6", "control character in the content type", p, "MALFORMED", 0x33);
  }
  {
    Bytes p = good;
    // body length field claims one more byte than present (content type 21, id 1, type 11)
    size_t body_len_off = 1 + 21 + 1 + 1 + 1 + 11 + 8;
    p[body_len_off] = static_cast<uint8_t>(p[body_len_off] + 1);
    seal_padded("P3", "body length runs past the payload", p, "MALFORMED", 0x34);
  }
  {
    // created = -1 encodes as u64 0xffff...ff
    seal_padded("P5", "creation time 2^64 - 1 (above 2^53 - 1)",
                internal::EncodePayloadForTesting(small, -1), "MALFORMED", 0x35);
  }

  // --- JSON encoding ---
  v.AddJsonInvalid("G5", "not JSON", "this is not json", "MALFORMED");
  v.AddJsonInvalid("G8", "JSON array at top level", "[]", "MALFORMED");
  v.AddJsonInvalid("J3", "version 3", ReplaceOnce(json, "\"v\":1", "\"v\":3"),
                   "UNSUPPORTED_VERSION");
  v.AddJsonInvalid("J1", "wrong type", ReplaceOnce(json, "\"medseal.record\"", "\"medseal.card\""),
                   "MALFORMED");
  v.AddJsonInvalid("J4", "unknown member", ReplaceOnce(json, "\"v\":1", "\"v\":1,\"x\":0"),
                   "MALFORMED");
  v.AddJsonInvalid("G7", "duplicate member", ReplaceOnce(json, "\"v\":1", "\"v\":1,\"v\":1"),
                   "MALFORMED");
  v.AddJsonInvalid("G5", "trailing garbage after the object", json + "x", "MALFORMED");
  v.AddJsonInvalid("J2", "version as a string", ReplaceOnce(json, "\"v\":1", "\"v\":\"1\""),
                   "MALFORMED");
  {
    std::string sig = Base64UrlEncode(base.signature);  // 64 bytes: 86 chars, 2 spare bits
    std::string padded = sig + "==";
    v.AddJsonInvalid("J31/D3", "base64 padding on the signature", ReplaceOnce(json, sig, padded),
                     "NON_CANONICAL");
    std::string alt = sig;
    // Last char encodes 2 bits of data + 4 unused bits; set an unused bit.
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    alt.back() = alphabet[alphabet.find(alt.back()) | 1];
    if (alt == sig) alt.back() = alphabet[alphabet.find(sig.back()) ^ 2];
    v.AddJsonInvalid("J31/D4", "non-zero unused bits in base64", ReplaceOnce(json, sig, alt),
                     "NON_CANONICAL");
    std::string std_b64 = sig;
    std_b64[0] = '+';
    v.AddJsonInvalid("J31/D1", "standard base64 alphabet character",
                     ReplaceOnce(json, sig, std_b64), "MALFORMED");
  }
  {
    std::string kid = Base64UrlEncode(base.recipients[0].key_id);
    std::string stanza = "{\"kid\":\"" + kid + "\",\"wrapped\":\"" +
                         Base64UrlEncode(base.recipients[0].wrapped_key) + "\"}";
    v.AddJsonInvalid("J24", "the same recipient twice",
                     ReplaceOnce(json, stanza, stanza + "," + stanza), "DUPLICATE_RECIPIENT");
    v.AddJsonInvalid("J15", "empty recipient list", ReplaceOnce(json, "[" + stanza + "]", "[]"),
                     "MALFORMED");
    v.AddJsonInvalid("J20", "key id of the wrong size",
                     ReplaceOnce(json, "\"kid\":\"" + kid, "\"kid\":\"AAAA" + kid), "MALFORMED");
  }

  // --- cases added when the rule order was settled (issue 9); appended so
  // that the earlier cases keep their tcIds ---
  auto len_field = [&](uint32_t len) {
    return with([len](Bytes& b) {
      for (int i = 0; i < 4; ++i) b[142 + i] = uint8_t(len >> (8 * i));
    });
  };
  const uint32_t max_l = static_cast<uint32_t>(PaddedSize(kMaxBodyBytes + 271) + kAeadTagSize);
  v.AddBinaryInvalid("B1", "first byte is not the magic's", Bytes{'x'}, "MALFORMED");
  v.AddBinaryInvalid("B1", "magic's fourth byte differs", with([](Bytes& b) { b[3] = 'X'; }),
                     "MALFORMED");
  v.AddBinaryInvalid("B2", "three bytes of the magic", Bytes(bin.begin(), bin.begin() + 3),
                     "TRUNCATED");
  v.AddBinaryInvalid("B4", "input ends just before the stanza count",
                     Bytes(bin.begin(), bin.begin() + 77), "TRUNCATED");
  v.AddBinaryInvalid("B10", "input ends inside the ciphertext length L",
                     Bytes(bin.begin(), bin.begin() + 142 + 2), "TRUNCATED");
  v.AddBinaryInvalid("B10", "input ends just before L", Bytes(bin.begin(), bin.begin() + 142),
                     "TRUNCATED");
  v.AddBinaryInvalid("B11", "L one above the largest (PAD(16777216 + 271) + 16 + 1)",
                     len_field(max_l + 1), "TOO_LARGE");
  v.AddBinaryInvalid("B11", "L = 2^32 - 1", len_field(0xffffffffu), "TOO_LARGE");
  v.AddBinaryInvalid("B13", "L at the largest allowed, input ends long before", len_field(max_l),
                     "TRUNCATED");
  v.AddBinaryInvalid("B12", "L = 15 (below the tag size: no wrap-around to TOO_LARGE)",
                     len_field(15), "NON_CANONICAL");
  v.AddBinaryInvalid("B12", "L = 0", len_field(0), "NON_CANONICAL");
  v.AddBinaryInvalid("B12", "L = 271, one below the smallest", len_field(271), "NON_CANONICAL");
  v.AddBinaryInvalid("B13", "ciphertext cut short", Bytes(bin.begin(), bin.begin() + 146 + 100),
                     "TRUNCATED");

  // Payload fields over their limits, or outside their sets, in a record the
  // sender sealed and signed (rules P3-P8; P9, a body over 16 MiB, is a
  // native test: the vector would be 33 MB).
  {
    auto payload = [&](const std::string& ct, const std::string& id, const std::string& rt) {
      return internal::EncodePayloadForTesting(PayloadData{ct, id, rt, ToBytes("{}")}, now);
    };
    seal_padded("P6", "content type of 128 bytes (limit 127)",
                payload(std::string(128, 'a'), "x", "Observation"), "MALFORMED", 0x36);
    seal_padded("P6", "content type of 255 bytes", payload(std::string(255, 'a'), "", ""),
                "MALFORMED", 0x37);
    seal_padded("P6", "empty content type", payload("", "x", "Observation"), "MALFORMED", 0x38);
    seal_padded("P6", "content type with a byte 0x7f",
                payload("text/plain\x7f", "x", "Observation"), "MALFORMED", 0x39);
    seal_padded("P7", "record id of 65 bytes (limit 64)",
                payload("application/fhir+json", std::string(65, 'r'), "Observation"), "MALFORMED",
                0x3a);
    seal_padded("P7", "record id with a space", payload("application/fhir+json", "r 1", ""),
                "MALFORMED", 0x3b);
    seal_padded("P8", "resource type of 65 bytes (limit 64)",
                payload("application/fhir+json", "x", std::string(65, 'R')), "MALFORMED", 0x3c);
    seal_padded("P8", "resource type with a digit", payload("application/fhir+json", "x", "Obs1"),
                "MALFORMED", 0x3d);
    seal_padded("P5", "creation time 2^53 (one above the largest)",
                internal::EncodePayloadForTesting(small, kMaxUnixMillis + 1), "MALFORMED", 0x3e);
    Bytes after = good;  // a byte after the body, before the marker
    size_t marker = after.size();
    while (after[--marker] != 0x80) {
    }
    after[marker] = 'y';
    after[marker + 1] = 0x80;
    seal_padded("P4", "a byte after the body", after, "MALFORMED", 0x3f);
    Bytes cut = good;  // the record id's length byte claims more than is left
    cut[1 + 21] = 250;
    seal_padded("P3", "record id length runs past the payload", cut, "MALFORMED", 0x40);
  }
  v.AddValid("sealed at the latest time, 2^53 - 1 ms", "patient", {"clinician"}, "clinician", obs,
             0x17, kMaxUnixMillis);

  // JSON: the general rules (G1, an input over 32 MiB, is a native test).
  // Version 3 (no version this spec defines; 2 would be read by §5's rules).
  auto v3 = [](const std::string& j) { return ReplaceOnce(j, "\"v\":1", "\"v\":3"); };
  v.AddJsonInvalid("G2", "UTF-8 byte order mark before the object", "\xEF\xBB\xBF" + json,
                   "MALFORMED");
  v.AddJsonInvalid("G3", "NUL byte and a second object after the record",
                   json + std::string(1, '\0') + "{\"smuggled\":1}", "MALFORMED");
  v.AddJsonInvalid("G3", "NUL byte after the record", json + std::string(1, '\0'), "MALFORMED");
  v.AddJsonInvalid("G4", "lone surrogate escape in an extra member of a version 3 record",
                   ReplaceOnce(v3(json), "\"v\":3", "\"v\":3,\"x\":\"\\ud800\""), "MALFORMED");
  v.AddJsonInvalid("J3", "version 3 with an extra member nested to depth 16 (the limit)",
                   ReplaceOnce(v3(json), "\"v\":3", "\"v\":3,\"x\":" + NestedArrays(16, false)),
                   "UNSUPPORTED_VERSION");
  v.AddJsonInvalid("G6", "version 3 with an extra member nested to depth 17 (an empty array)",
                   ReplaceOnce(v3(json), "\"v\":3", "\"v\":3,\"x\":" + NestedArrays(17, true)),
                   "MALFORMED");
  v.AddJsonInvalid("G5", "a second object after the record", json + "{}", "MALFORMED");
  v.AddJsonInvalid("G8", "a string at top level", "\"medseal.record\"", "MALFORMED");

  // JSON: type, version, members.
  v.AddJsonInvalid("J1", "type is a number", ReplaceOnce(json, "\"medseal.record\"", "1"),
                   "MALFORMED");
  v.AddJsonInvalid("J1", "type missing", ReplaceOnce(json, ",\"type\":\"medseal.record\"", ""),
                   "MALFORMED");
  for (const char* bad : {"1.0", "1e0", "-0", "9007199254740993"}) {
    v.AddJsonInvalid("J2", std::string("version ") + bad + " (not an integer)",
                     ReplaceOnce(json, "\"v\":1", std::string("\"v\":") + bad), "MALFORMED");
  }
  v.AddJsonInvalid("J2", "version missing", ReplaceOnce(json, ",\"v\":1", ""), "MALFORMED");
  v.AddJsonInvalid("J3", "version 0", ReplaceOnce(json, "\"v\":1", "\"v\":0"),
                   "UNSUPPORTED_VERSION");
  const std::string sender = Base64UrlEncode(base.sender_key_id);
  const std::string nonce = Base64UrlEncode(base.nonce);
  const std::string eph = Base64UrlEncode(base.ephemeral_key);
  const std::string ct = Base64UrlEncode(base.ciphertext);
  const std::string rsig = Base64UrlEncode(base.signature);
  const std::string kid = Base64UrlEncode(base.recipients[0].key_id);
  const std::string wrapped = Base64UrlEncode(base.recipients[0].wrapped_key);
  const std::string stanza = "{\"kid\":" + Quoted(kid) + ",\"wrapped\":" + Quoted(wrapped) + "}";
  v.AddJsonInvalid("J4", "nonce missing", ReplaceOnce(json, "\"nonce\":" + Quoted(nonce) + ",", ""),
                   "MALFORMED");

  // JSON: each member in order, each base64 member through §1.1's rules.
  auto member = [&](const std::string& name, const std::string& old, const std::string& value) {
    return ReplaceMember(json, name, old, value);
  };
  v.AddJsonInvalid("J5", "sender is a number", member("sender", sender, "1"), "MALFORMED");
  v.AddJsonInvalid("J6/D3", "sender with == padding",
                   member("sender", sender, Quoted(sender + "==")), "NON_CANONICAL");
  v.AddJsonInvalid("J6/D4", "sender with a non-zero unused bit",
                   member("sender", sender, Quoted(WithUnusedBit(sender))), "NON_CANONICAL");
  v.AddJsonInvalid("J7", "sender of 15 bytes",
                   member("sender", sender, Quoted(Base64UrlEncode(Bytes(15, 1)))), "MALFORMED");
  v.AddJsonInvalid("J8", "nonce is null", member("nonce", nonce, "null"), "MALFORMED");
  v.AddJsonInvalid("J9/D3", "nonce with one '=' (24 bytes: a whole group, then padding)",
                   member("nonce", nonce, Quoted(nonce + "=")), "NON_CANONICAL");
  v.AddJsonInvalid("J9/D3", "nonce with '===' (still padding, not a length error)",
                   member("nonce", nonce, Quoted(nonce + "===")), "NON_CANONICAL");
  v.AddJsonInvalid("J9/D1", "nonce with a space", member("nonce", nonce, Quoted(" " + nonce)),
                   "MALFORMED");
  v.AddJsonInvalid("J10", "nonce of 27 bytes", member("nonce", nonce, Quoted(nonce + "AAAA")),
                   "MALFORMED");
  v.AddJsonInvalid("J11", "ephemeral is an array",
                   member("ephemeral", eph, "[" + Quoted(eph) + "]"), "MALFORMED");
  v.AddJsonInvalid("J12/D2", "ephemeral of 45 characters (1 mod 4)",
                   member("ephemeral", eph, Quoted(eph + "AA")), "MALFORMED");
  v.AddJsonInvalid("J12/D2", "impossible length with padding (D2 before D3)",
                   member("ephemeral", eph, Quoted(eph + "AA=")), "MALFORMED");
  v.AddJsonInvalid("J13", "ephemeral of 31 bytes",
                   member("ephemeral", eph, Quoted(Base64UrlEncode(Bytes(31, 9)))), "MALFORMED");
  v.AddJsonInvalid("J14", "recipients is an object", ReplaceOnce(json, "[" + stanza + "]", stanza),
                   "MALFORMED");
  v.AddJsonInvalid("J14", "recipients is a string",
                   ReplaceOnce(json, "[" + stanza + "]", Quoted(kid)), "MALFORMED");
  {
    std::string many = stanza;
    for (int i = 1; i < 65; ++i) many += "," + stanza;
    v.AddJsonInvalid("J16", "65 stanzas (TOO_LARGE before any stanza is read)",
                     ReplaceOnce(json, "[" + stanza + "]", "[" + many + "]"), "TOO_LARGE");
  }
  v.AddJsonInvalid("J17", "a stanza that is a string",
                   ReplaceOnce(json, "[" + stanza + "]", "[" + stanza + "," + Quoted(kid) + "]"),
                   "MALFORMED");
  v.AddJsonInvalid(
      "J17", "a stanza that is an array",
      ReplaceOnce(json, "[" + stanza + "]", "[[" + Quoted(kid) + "," + Quoted(wrapped) + "]]"),
      "MALFORMED");
  v.AddJsonInvalid("J17", "a stanza without wrapped",
                   ReplaceOnce(json, stanza, "{\"kid\":" + Quoted(kid) + "}"), "MALFORMED");
  v.AddJsonInvalid("J17", "a stanza with an extra member",
                   ReplaceOnce(json, stanza,
                               "{\"kid\":" + Quoted(kid) +
                                   ",\"note\":\"x\",\"wrapped\":" + Quoted(wrapped) + "}"),
                   "MALFORMED");
  v.AddJsonInvalid("G7", "kid and k\\u0069d in one stanza (duplicates after unescaping)",
                   ReplaceOnce(json, stanza,
                               "{\"kid\":" + Quoted(kid) + ",\"k\\u0069d\":" + Quoted(kid) +
                                   ",\"wrapped\":" + Quoted(wrapped) + "}"),
                   "MALFORMED");
  v.AddJsonInvalid("J18", "stanza kid is a number", ReplaceMember(json, "kid", kid, "16"),
                   "MALFORMED");
  v.AddJsonInvalid("J19/D4", "stanza kid with a non-zero unused bit",
                   ReplaceMember(json, "kid", kid, Quoted(WithUnusedBit(kid))), "NON_CANONICAL");
  v.AddJsonInvalid("J21", "wrapped is a number", ReplaceMember(json, "wrapped", wrapped, "48"),
                   "MALFORMED");
  v.AddJsonInvalid("J22/D3", "wrapped with one '='",
                   ReplaceMember(json, "wrapped", wrapped, Quoted(wrapped + "=")), "NON_CANONICAL");
  v.AddJsonInvalid("J23", "wrapped of 47 bytes",
                   ReplaceMember(json, "wrapped", wrapped, Quoted(Base64UrlEncode(Bytes(47, 3)))),
                   "MALFORMED");
  {
    std::vector<PublicCard> two = v.Cards({"clinician", "nurse"});
    ChaChaRng rng(Bytes(32, 0x20));
    FixedClock clock(now);
    SealedRecord unsorted = Must(SealRecord(patient, two, obs, rng, clock), "seal");
    std::swap(unsorted.recipients[0], unsorted.recipients[1]);
    Resign(unsorted, patient);
    v.AddJsonInvalid("J25", "recipients not sorted by key id (B9 through JSON)",
                     EncodeRecordJson(unsorted), "NON_CANONICAL");
  }
  v.AddJsonInvalid("J26", "ciphertext is a number", member("ciphertext", ct, "0"), "MALFORMED");
  v.AddJsonInvalid("J27/D1", "ciphertext with a '.'", member("ciphertext", ct, Quoted(ct + ".")),
                   "MALFORMED");
  v.AddJsonInvalid("J27/D3", "ciphertext with '=' padding",
                   member("ciphertext", ct, Quoted(ct + "=")), "NON_CANONICAL");
  v.AddJsonInvalid("J29", "ciphertext of 15 bytes (B12 through JSON, no wrap-around)",
                   member("ciphertext", ct, Quoted(Base64UrlEncode(Bytes(15, 7)))),
                   "NON_CANONICAL");
  v.AddJsonInvalid("J29", "empty ciphertext", member("ciphertext", ct, "\"\""), "NON_CANONICAL");
  v.AddJsonInvalid("J29", "ciphertext of 273 bytes (not a padded size + 16)",
                   member("ciphertext", ct, Quoted(Base64UrlEncode(Bytes(273, 7)))),
                   "NON_CANONICAL");
  v.AddJsonInvalid("J30", "signature is a number", member("signature", rsig, "64"), "MALFORMED");
  v.AddJsonInvalid("J32", "signature of 65 bytes",
                   member("signature", rsig, Quoted(Base64UrlEncode(Bytes(65, 5)))), "MALFORMED");
  {
    // Through JSON, a well-formed record still goes through verification.
    Bytes other_sig = base.signature;
    other_sig[0] ^= 1;
    v.AddJsonInvalid("V2", "signature altered (JSON)",
                     member("signature", rsig, Quoted(Base64UrlEncode(other_sig))),
                     "SIGNATURE_INVALID");
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

// ---- sealed record v2 (docs/spec/record.md §5) ----

constexpr const char* kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

RecordPurpose ActReason(const std::string& code) { return RecordPurpose{kActReason, code}; }

ordered_json PurposeJson(const RecordPurpose& p) {
  return ordered_json{{"system", p.system}, {"code", p.code}};
}

ordered_json HeaderJson(const SealedRecord& r) {
  ordered_json purposes = ordered_json::array();
  for (const auto& p : r.purposes) purposes.push_back(PurposeJson(p));
  ordered_json hashes = ordered_json::array();
  for (const auto& h : r.consent_hashes) hashes.push_back(HexEncode(h));
  ordered_json stanzas = ordered_json::array();
  for (const auto& s : r.recipients) {
    stanzas.push_back(ordered_json{{"type", s.type}, {"keyId", HexEncode(s.key_id)}});
  }
  return ordered_json{{"version", r.version},
                      {"purposes", purposes},
                      {"consentHashes", hashes},
                      {"stanzas", stanzas}};
}

// Where the variable-length parts of a v2 binary record start.
struct LayoutV2 {
  size_t hashes = 0;      // offset of h
  size_t stanzas = 0;     // offset of n
  size_t length = 0;      // offset of L
  size_t first_body = 0;  // offset of the first stanza's body
};

LayoutV2 Layout(const SealedRecord& r) {
  LayoutV2 l;
  size_t off = 78;
  for (const auto& p : r.purposes) off += 2 + p.system.size() + p.code.size();
  l.hashes = off;
  off += 1 + 32 * r.consent_hashes.size();
  l.stanzas = off;
  off += 1;
  l.first_body = off + 19;
  for (const auto& s : r.recipients) off += 19 + s.wrapped_key.size();
  l.length = off;
  return l;
}

struct NamedVault {
  std::string key;
  Bytes rng_seed;  // empty: not made by Generate
  VaultKey vault;
};

struct RecordV2Vectors {
  std::map<std::string, Named*> ids;
  std::map<std::string, NamedVault*> vaults;
  ordered_json tests = ordered_json::array();
  int next_id = 1;

  static ordered_json ById(const std::string& name) { return ordered_json{{"identity", name}}; }
  static ordered_json ByVault(const std::string& name) { return ordered_json{{"vaultKey", name}}; }

  void Add(const std::string& comment, const std::string& sender, ordered_json opener,
           ordered_json purpose, bool binary, const std::string& input, const std::string& error,
           const std::string& rule = "", const PayloadData* expected = nullptr,
           UnixMillis created = 0, ordered_json header = nullptr, ordered_json seal = nullptr) {
    if (error.empty() != rule.empty()) Die("an invalid case needs a rule, a valid one none");
    ordered_json t{{"tcId", next_id++},
                   {"comment", comment},
                   {"encoding", binary ? "binary" : "json"},
                   {"sender", sender},
                   {"opener", std::move(opener)},
                   {"purpose", std::move(purpose)},
                   {"input", input},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    if (!rule.empty()) t["rule"] = rule;
    if (expected != nullptr) t["payload"] = PayloadJson(*expected, created);
    if (!header.is_null()) t["header"] = std::move(header);
    if (!seal.is_null()) t["seal"] = std::move(seal);
    tests.push_back(std::move(t));
  }

  struct SealSpec {
    std::string sender = "patient";
    std::vector<std::string> cards;
    std::vector<std::string> vault_keys;
    std::vector<RecordPurpose> purposes;
    std::vector<Bytes> hashes;
    uint8_t rng_byte = 0;
    UnixMillis now = 0;
    std::vector<RecipientStanza> extra;
  };

  SealedRecord Seal(const SealSpec& s, const PayloadData& payload) {
    ChaChaRng rng(Bytes(32, s.rng_byte));
    FixedClock clock(s.now);
    std::vector<const PublicCard*> cards;
    for (const auto& n : s.cards) cards.push_back(&ids.at(n)->id.card());
    std::vector<const VaultKey*> vks;
    for (const auto& n : s.vault_keys) vks.push_back(&vaults.at(n)->vault);
    RecordContext context{s.purposes, s.hashes};
    const Identity& sender = ids.at(s.sender)->id;
    if (s.extra.empty()) {
      return Must(SealRecordV2(sender, cards, vks, payload, context, rng, clock), "seal v2");
    }
    RecordContext sorted;
    if (!internal::CheckRecordContext(context, &sorted).ok()) Die("bad context");
    Bytes padded = internal::EncodePayloadForTesting(payload, s.now);
    return Must(internal::SealPaddedPayloadV2(sender, cards, vks, padded, sorted, rng, s.extra),
                "seal v2 with extra stanzas");
  }

  static ordered_json SealJson(const SealSpec& s, const PayloadData& payload) {
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
                        {"body", HexEncode(payload.body)}}}};
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

  // Seals deterministically; records a valid case in each encoding.
  SealedRecord AddValid(const std::string& comment, const SealSpec& s, ordered_json opener,
                        const RecordPurpose& purpose, const PayloadData& payload) {
    SealedRecord r = Seal(s, payload);
    ordered_json seal = SealJson(s, payload);
    Add(comment + " (binary)", s.sender, opener, PurposeJson(purpose), true,
        HexEncode(EncodeRecordBinary(r)), "", "", &payload, s.now, HeaderJson(r), seal);
    Add(comment + " (JSON)", s.sender, opener, PurposeJson(purpose), false, EncodeRecordJson(r), "",
        "", &payload, s.now, HeaderJson(r), seal);
    return r;
  }

  // Another opener or purpose for a record already in the file (binary).
  void AddOpen(const std::string& comment, const SealedRecord& r, const std::string& sender,
               ordered_json opener, ordered_json purpose, const PayloadData& payload,
               UnixMillis now) {
    Add(comment, sender, std::move(opener), std::move(purpose), true,
        HexEncode(EncodeRecordBinary(r)), "", "", &payload, now, HeaderJson(r));
  }

  void AddBinaryInvalid(const std::string& rule, const std::string& comment, const Bytes& bytes,
                        const std::string& error, ordered_json opener = ById("clinician"),
                        ordered_json purpose = PurposeJson(ActReason("TREAT")),
                        const std::string& sender = "patient") {
    Add(comment, sender, std::move(opener), std::move(purpose), true, HexEncode(bytes), error,
        rule);
  }
  void AddJsonInvalid(const std::string& rule, const std::string& comment, const std::string& json,
                      const std::string& error) {
    Add(comment, "patient", ById("clinician"), PurposeJson(ActReason("TREAT")), false, json, error,
        rule);
  }
};

void GenerateRecordsV2(Writer& out, std::vector<Named>& people) {
  RecordV2Vectors v;
  for (auto& n : people) {
    if (n.key.rfind("member-", 0) != 0) v.ids[n.key] = &n;
  }
  std::vector<std::unique_ptr<NamedVault>> vault_store;
  auto add_vault = [&](const std::string& key, uint8_t seed_byte) {
    Bytes seed(32, seed_byte);
    ChaChaRng rng(seed);
    vault_store.push_back(std::make_unique<NamedVault>(
        NamedVault{key, seed, Must(VaultKey::Generate(rng), "vault key")}));
    v.vaults[key] = vault_store.back().get();
  };
  add_vault("vault-a", 0x70);
  add_vault("vault-b", 0x71);
  for (int i = 0; i < 63; ++i) {
    add_vault("vault-" + std::to_string(i), static_cast<uint8_t>(0x80 + i));
  }
  {
    const VaultKey& a = v.vaults.at("vault-a")->vault;
    vault_store.push_back(std::make_unique<NamedVault>(NamedVault{
        "vault-a-forged",
        {},
        Must(VaultKey::FromBytes(a.key_id(), SecretBytes::CopyFrom(Bytes(32, 0x99))), "forged")}));
    v.vaults["vault-a-forged"] = vault_store.back().get();
  }
  const Identity& patient = v.ids.at("patient")->id;
  const UnixMillis now = kCreated + 86400000;
  auto resign = [&](SealedRecord& r) { Resign(r, patient); };
  auto ById = RecordV2Vectors::ById;
  auto ByVault = RecordV2Vectors::ByVault;
  const ordered_json treat = PurposeJson(ActReason("TREAT"));
  const Bytes h1 = Blake2bConcat(32, {ToBytes("consent-1")});
  const Bytes h2 = Blake2bConcat(32, {ToBytes("consent-2")});
  const Bytes h3 = Blake2bConcat(32, {ToBytes("consent-3")});

  PayloadData obs{"application/fhir+json", "hba1c-1", "Observation", ToBytes(kObservation)};

  // --- valid: sealing (known answers) and opening for each purpose ---
  RecordV2Vectors::SealSpec base_spec;
  base_spec.cards = {"clinician"};
  base_spec.vault_keys = {"vault-a"};
  base_spec.purposes = {ActReason("TREAT")};
  base_spec.hashes = {h1};
  base_spec.rng_byte = 0x60;
  base_spec.now = now;
  SealedRecord base = v.AddValid(
      "Observation to a clinician and the patient's vault key, for TREAT", base_spec,
      ById("clinician"), ActReason("TREAT"), obs);
  v.AddOpen("the same record opened with the vault key", base, "patient", ByVault("vault-a"), treat,
            obs, now);

  RecordV2Vectors::SealSpec two;
  two.cards = {"nurse", "clinician"};
  two.vault_keys = {"vault-b", "vault-a"};
  two.purposes = {ActReason("TREAT"), ActReason("ETREAT"),
                  RecordPurpose{"urn:example:purpose", "care-coordination"}};
  two.hashes = {h3, h1, h2};  // the sealer sorts them
  two.rng_byte = 0x61;
  two.now = now;
  SealedRecord multi = v.AddValid(
      "two cards, two vault keys, three purposes and three consent hashes given unsorted", two,
      ById("nurse"), ActReason("ETREAT"), obs);
  for (const RecordPurpose& p : multi.purposes) {
    v.AddOpen("opened by the clinician for " + p.code, multi, "patient", ById("clinician"),
              PurposeJson(p), obs, now);
    v.AddOpen("opened with vault-b for " + p.code, multi, "patient", ByVault("vault-b"),
              PurposeJson(p), obs, now);
  }

  RecordV2Vectors::SealSpec vault_only;
  vault_only.vault_keys = {"vault-a"};
  vault_only.purposes = {ActReason("PATRQT")};
  vault_only.rng_byte = 0x62;
  vault_only.now = now;
  PayloadData note{"text/plain; charset=utf-8", "own-copy-1", "DocumentReference",
                   Bytes(300, 0x6e)};
  SealedRecord own = v.AddValid("the patient's own copy: a vault key only, no consent hash",
                                vault_only, ByVault("vault-a"), ActReason("PATRQT"), note);

  RecordV2Vectors::SealSpec reply;
  reply.sender = "clinician";
  reply.cards = {"patient"};
  reply.purposes = {RecordPurpose{"urn:x:q\"uote\\back/slash", "a\"b\\c"}};
  reply.hashes = {h2};
  reply.rng_byte = 0x63;
  reply.now = kMaxUnixMillis;
  v.AddValid("clinician to patient at 2^53 - 1 ms, a purpose with \" \\ and / (JSON escapes)",
             reply, ById("patient"), reply.purposes[0],
             PayloadData{"application/octet-stream", "", "", {}});

  {
    RecordV2Vectors::SealSpec max;
    max.cards = {"clinician"};
    for (int i = 0; i < 16; ++i) {
      max.purposes.push_back(
          RecordPurpose{std::string(255, static_cast<char>('a' + i)), std::string(64, 'Z')});
    }
    for (int i = 63; i >= 0; --i) {
      max.hashes.push_back(Blake2bConcat(32, {ToBytes("consent-" + std::to_string(i))}));
    }
    for (int i = 0; i < 63; ++i) max.vault_keys.push_back("vault-" + std::to_string(i));
    max.rng_byte = 0x64;
    max.now = now;
    SealedRecord r = v.AddValid(
        "the maxima: 16 purposes of 255 + 64 bytes, 64 consent hashes, 64 recipients in all", max,
        ByVault("vault-40"), max.purposes[15], obs);
    (void)r;
  }
  SealedRecord future;
  {
    RecordV2Vectors::SealSpec s = base_spec;
    s.rng_byte = 0x65;
    s.extra = {RecipientStanza{v.ids.at("clinician")->id.key_id(), Bytes(1200, 0x5a), 200},
               RecipientStanza{Bytes(16, 0xee), Bytes(), 255}};
    future = v.AddValid(
        "stanzas of types 200 and 255 (not assigned) are kept and skipped; the clinician opens "
        "through its type 1 stanza",
        s, ById("clinician"), ActReason("TREAT"), obs);
    v.AddOpen("the same record with unknown stanzas, opened with the vault key", future, "patient",
              ByVault("vault-a"), treat, obs, now);
  }
  // A version 1 record opens for any stated purpose (§5.6).
  {
    ChaChaRng rng(Bytes(32, 0x66));
    FixedClock clock(now);
    std::vector<PublicCard> to{v.ids.at("clinician")->id.card()};
    SealedRecord v1 = Must(SealRecord(patient, to, obs, rng, clock), "seal v1");
    v.AddOpen("a version 1 record opens for any stated purpose", v1, "patient", ById("clinician"),
              PurposeJson(ActReason("HPAYMT")), obs, now);
    v.AddOpen("a version 1 record opens without a stated purpose", v1, "patient", ById("clinician"),
              nullptr, obs, now);
    v.AddBinaryInvalid("Q1", "a version 1 record has no vault stanza", EncodeRecordBinary(v1),
                       "NO_MATCHING_RECIPIENT", ByVault("vault-a"));
  }

  const Bytes bin = EncodeRecordBinary(base);
  const std::string json = EncodeRecordJson(base);
  const LayoutV2 lay = Layout(base);
  auto with = [&](std::function<void(Bytes&)> f) {
    Bytes b = bin;
    f(b);
    return b;
  };
  auto cut = [&](size_t n) { return Bytes(bin.begin(), bin.begin() + static_cast<ptrdiff_t>(n)); };
  auto encoded = [&](std::function<void(SealedRecord&)> f) {
    SealedRecord r = base;
    f(r);
    return EncodeRecordBinary(r);
  };
  auto resigned = [&](const SealedRecord& from, std::function<void(SealedRecord&)> f) {
    SealedRecord r = from;
    f(r);
    resign(r);
    return EncodeRecordBinary(r);
  };

  // --- opening: purpose, recipient, signature ---
  v.AddBinaryInvalid("U1", "opened for ETREAT; the header carries TREAT only", bin,
                     "PURPOSE_MISMATCH", ById("clinician"), PurposeJson(ActReason("ETREAT")));
  v.AddBinaryInvalid("U1", "opened for treat (case differs)", bin, "PURPOSE_MISMATCH",
                     ById("clinician"), PurposeJson(ActReason("treat")));
  v.AddBinaryInvalid("U1", "opened for TREAT of another code system", bin, "PURPOSE_MISMATCH",
                     ById("clinician"), PurposeJson(RecordPurpose{"urn:other", "TREAT"}));
  v.AddBinaryInvalid("U1", "opened without a stated purpose", bin, "PURPOSE_MISMATCH",
                     ById("clinician"), nullptr);
  v.AddBinaryInvalid("U1", "vault key, wrong purpose", bin, "PURPOSE_MISMATCH", ByVault("vault-a"),
                     PurposeJson(ActReason("HPAYMT")));
  v.AddBinaryInvalid("U1", "purpose mismatch before not-a-recipient", bin, "PURPOSE_MISMATCH",
                     ById("outsider"), PurposeJson(ActReason("BTG")));
  v.AddBinaryInvalid("O1", "opener is not a recipient", bin, "NO_MATCHING_RECIPIENT",
                     ById("outsider"));
  v.AddBinaryInvalid("O1", "a vault-only record opened with a card's identity",
                     EncodeRecordBinary(own), "NO_MATCHING_RECIPIENT", ById("patient"),
                     PurposeJson(ActReason("PATRQT")));
  v.AddBinaryInvalid("Q1", "a vault key the record is not sealed to", bin, "NO_MATCHING_RECIPIENT",
                     ByVault("vault-b"));
  v.AddBinaryInvalid("Q2", "a vault key with the right id and other bytes", bin, "DECRYPT_FAILED",
                     ByVault("vault-a-forged"));
  v.AddBinaryInvalid("Q2", "vault stanza body tampered, re-signed by the sender",
                     resigned(base, [](SealedRecord& r) { r.recipients[1].wrapped_key[0] ^= 1; }),
                     "DECRYPT_FAILED", ByVault("vault-a"));
  v.AddBinaryInvalid("V1", "verified against the wrong sender card", bin, "SENDER_MISMATCH",
                     ById("clinician"), treat, "nurse");
  v.AddBinaryInvalid("V2", "signature bit flipped", with([](Bytes& b) { b.back() ^= 1; }),
                     "SIGNATURE_INVALID");
  v.AddBinaryInvalid("V2", "purpose code changed (TREAT -> TREAU), not re-signed",
                     with([&](Bytes& b) { b[lay.hashes - 1] = 'U'; }), "SIGNATURE_INVALID");
  v.AddBinaryInvalid("V2", "consent hash bit flipped, not re-signed",
                     with([&](Bytes& b) { b[lay.hashes + 1] ^= 1; }), "SIGNATURE_INVALID");
  v.AddBinaryInvalid(
      "V2", "a version 1 signature label on a version 2 header",
      [&] {
        SealedRecord r = base;
        Bytes msg = LabelBytes("medseal/v1/record/signature");
        ByteWriter(msg).Raw(Blake2bConcat(kBlake2bMaxOutput, {r.HeaderBytes(), r.ciphertext}));
        r.signature = patient.Sign(msg);
        return EncodeRecordBinary(r);
      }(),
      "SIGNATURE_INVALID");
  v.AddBinaryInvalid("O2", "all-zero (low-order) ephemeral key, re-signed",
                     resigned(base, [](SealedRecord& r) { r.ephemeral_key = Bytes(32, 0); }),
                     "WEAK_KEY");
  v.AddBinaryInvalid("O3", "X25519 stanza body tampered, re-signed",
                     resigned(base, [](SealedRecord& r) { r.recipients[0].wrapped_key[5] ^= 1; }),
                     "DECRYPT_FAILED");
  v.AddBinaryInvalid(
      "O3",
      "the data key wrapped with version 1's label (medseal/v1/record/wrap), "
      "re-signed: a version 2 opener uses medseal/v2/record/x25519-wrap",
      [&] {
        // The same RNG seed as `base`: the same data key and ephemeral key,
        // so only the label differs.
        ChaChaRng rng(Bytes(32, 0x60));
        FixedClock clock(now);
        std::vector<PublicCard> to{v.ids.at("clinician")->id.card()};
        SealedRecord v1 = Must(SealRecord(patient, to, obs, rng, clock), "seal");
        SealedRecord r = base;
        r.recipients[0].wrapped_key = v1.recipients[0].wrapped_key;
        resign(r);
        return EncodeRecordBinary(r);
      }(),
      "DECRYPT_FAILED");
  v.AddBinaryInvalid("O4", "ciphertext tampered, re-signed",
                     resigned(base, [](SealedRecord& r) { r.ciphertext[3] ^= 1; }),
                     "DECRYPT_FAILED");
  v.AddBinaryInvalid(
      "O4", "a purpose added by the sender after sealing, re-signed",
      resigned(base, [](SealedRecord& r) { r.purposes.push_back(ActReason("TREATX")); }),
      "DECRYPT_FAILED");
  v.AddBinaryInvalid("O4", "a consent hash removed after sealing, re-signed",
                     resigned(base, [](SealedRecord& r) { r.consent_hashes.clear(); }),
                     "DECRYPT_FAILED");
  v.AddBinaryInvalid("O4", "an unknown stanza removed after sealing, re-signed",
                     resigned(future, [](SealedRecord& r) { r.recipients.pop_back(); }),
                     "DECRYPT_FAILED");
  v.AddBinaryInvalid("O4", "vault opener: ciphertext tampered, re-signed",
                     resigned(base, [](SealedRecord& r) { r.ciphertext[9] ^= 1; }),
                     "DECRYPT_FAILED", ByVault("vault-a"));

  // --- binary framing: B1-B3 then W1-W26 ---
  v.AddBinaryInvalid("B1", "bad magic", with([](Bytes& b) { b[0] = 'M'; }), "MALFORMED");
  v.AddBinaryInvalid("B2", "magic only", cut(4), "TRUNCATED");
  v.AddBinaryInvalid("B3", "version 3", with([](Bytes& b) { b[4] = 3; }), "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("B3", "version 255", with([](Bytes& b) { b[4] = 255; }),
                     "UNSUPPORTED_VERSION");
  v.AddBinaryInvalid("W1", "input ends inside the nonce", cut(30), "TRUNCATED");
  v.AddBinaryInvalid("W1", "input ends before the purpose count", cut(77), "TRUNCATED");
  v.AddBinaryInvalid("W2", "no purpose", with([](Bytes& b) { b[77] = 0; }), "MALFORMED");
  v.AddBinaryInvalid("W3", "17 purposes", with([](Bytes& b) { b[77] = 17; }), "TOO_LARGE");
  v.AddBinaryInvalid("W4", "input ends inside the purpose's system", cut(78 + 10), "TRUNCATED");
  v.AddBinaryInvalid("W4", "input ends before the purpose's code length",
                     cut(78 + 1 + std::strlen(kActReason)), "TRUNCATED");
  v.AddBinaryInvalid("W5", "a code of 65 bytes",
                     encoded([](SealedRecord& r) { r.purposes[0].code = std::string(65, 'C'); }),
                     "TOO_LARGE");
  v.AddBinaryInvalid("W6", "a code with a space",
                     encoded([](SealedRecord& r) { r.purposes[0].code = "TRE AT"; }), "MALFORMED");
  v.AddBinaryInvalid("W6", "an empty system",
                     encoded([](SealedRecord& r) { r.purposes[0].system = ""; }), "MALFORMED");
  v.AddBinaryInvalid("W6", "an empty code",
                     encoded([](SealedRecord& r) { r.purposes[0].code = ""; }), "MALFORMED");
  v.AddBinaryInvalid("W6", "a byte 0x7f in the system",
                     encoded([](SealedRecord& r) { r.purposes[0].system += "\x7f"; }), "MALFORMED");
  v.AddBinaryInvalid(
      "W5", "a code of 65 bytes with a space (W5 before W6)",
      encoded([](SealedRecord& r) { r.purposes[0].code = std::string(64, 'C') + " "; }),
      "TOO_LARGE");
  v.AddBinaryInvalid("W7", "purposes not in canonical order", encoded([](SealedRecord& r) {
                       r.purposes = {ActReason("TREAT"), ActReason("ETREAT")};
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("W7", "the same purpose twice", encoded([](SealedRecord& r) {
                       r.purposes = {ActReason("TREAT"), ActReason("TREAT")};
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("W7", "a code that is a prefix sorts first (TREAT before TREATX)",
                     encoded([](SealedRecord& r) {
                       r.purposes = {ActReason("TREATX"), ActReason("TREAT")};
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("W8", "input ends before the consent hash count", cut(lay.hashes),
                     "TRUNCATED");
  v.AddBinaryInvalid("W9", "65 consent hashes", with([&](Bytes& b) { b[lay.hashes] = 65; }),
                     "TOO_LARGE");
  v.AddBinaryInvalid("W10", "input ends inside a consent hash", cut(lay.hashes + 1 + 10),
                     "TRUNCATED");
  v.AddBinaryInvalid("W11", "consent hashes not sorted", encoded([&](SealedRecord& r) {
                       // the larger first
                       r.consent_hashes = BytesLess(h1, h2) ? std::vector<Bytes>{h2, h1}
                                                            : std::vector<Bytes>{h1, h2};
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("W11", "the same consent hash twice", encoded([&](SealedRecord& r) {
                       r.consent_hashes = {h1, h1};
                     }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid("W12", "input ends before the stanza count", cut(lay.stanzas), "TRUNCATED");
  v.AddBinaryInvalid("W13", "zero stanzas", with([&](Bytes& b) { b[lay.stanzas] = 0; }),
                     "MALFORMED");
  v.AddBinaryInvalid("W14", "65 stanzas", with([&](Bytes& b) { b[lay.stanzas] = 65; }),
                     "TOO_LARGE");
  v.AddBinaryInvalid("W15", "input ends inside a stanza's key id", cut(lay.stanzas + 1 + 5),
                     "TRUNCATED");
  v.AddBinaryInvalid("W15", "input ends inside a stanza's body length", cut(lay.first_body - 1),
                     "TRUNCATED");
  v.AddBinaryInvalid(
      "W16", "a stanza of type 0", encoded([](SealedRecord& r) {
        r.recipients.insert(r.recipients.begin(), RecipientStanza{Bytes(16, 1), Bytes(48, 0), 0});
      }),
      "MALFORMED");
  v.AddBinaryInvalid("W17", "a body length of 4097", with([&](Bytes& b) {
                       b[lay.first_body - 2] = 0x01;
                       b[lay.first_body - 1] = 0x10;
                     }),
                     "TOO_LARGE");
  v.AddBinaryInvalid("W17", "a body length of 65535", with([&](Bytes& b) {
                       b[lay.first_body - 2] = 0xff;
                       b[lay.first_body - 1] = 0xff;
                     }),
                     "TOO_LARGE");
  v.AddBinaryInvalid("W18", "input ends inside a stanza's body", cut(lay.first_body + 20),
                     "TRUNCATED");
  v.AddBinaryInvalid("W18", "a body length of 4096 runs past the input", with([&](Bytes& b) {
                       b[lay.first_body - 2] = 0x00;
                       b[lay.first_body - 1] = 0x10;
                     }),
                     "TRUNCATED");
  v.AddBinaryInvalid("W19", "a vault stanza with a 49-byte body",
                     encoded([](SealedRecord& r) { r.recipients[1].wrapped_key.push_back(0); }),
                     "MALFORMED");
  v.AddBinaryInvalid("W19", "an X25519 stanza with an empty body",
                     encoded([](SealedRecord& r) { r.recipients[0].wrapped_key.clear(); }),
                     "MALFORMED");
  v.AddBinaryInvalid("W20", "the same stanza twice", encoded([](SealedRecord& r) {
                       r.recipients.insert(r.recipients.begin(), r.recipients[0]);
                     }),
                     "DUPLICATE_RECIPIENT");
  v.AddBinaryInvalid("W20", "the same type and key id with different bodies, not adjacent",
                     encoded([](SealedRecord& r) {
                       RecipientStanza again = r.recipients[0];
                       again.wrapped_key[0] ^= 1;
                       r.recipients.push_back(again);
                     }),
                     "DUPLICATE_RECIPIENT");
  v.AddBinaryInvalid("W21", "the vault stanza before the X25519 stanza",
                     encoded([](SealedRecord& r) { std::swap(r.recipients[0], r.recipients[1]); }),
                     "NON_CANONICAL");
  v.AddBinaryInvalid(
      "W21", "two X25519 stanzas not sorted by key id",
      [&] {
        SealedRecord r = multi;
        std::swap(r.recipients[0], r.recipients[1]);
        return EncodeRecordBinary(r);
      }(),
      "NON_CANONICAL", ById("nurse"), PurposeJson(ActReason("ETREAT")));
  auto len_field = [&](uint32_t len) {
    return with([&, len](Bytes& b) {
      for (int i = 0; i < 4; ++i) b[lay.length + i] = uint8_t(len >> (8 * i));
    });
  };
  const uint32_t max_l = static_cast<uint32_t>(PaddedSize(kMaxBodyBytes + 271) + kAeadTagSize);
  v.AddBinaryInvalid("W22", "input ends inside L", cut(lay.length + 2), "TRUNCATED");
  v.AddBinaryInvalid("W23", "L one above the largest", len_field(max_l + 1), "TOO_LARGE");
  v.AddBinaryInvalid("W23", "L = 2^32 - 1", len_field(0xffffffffu), "TOO_LARGE");
  v.AddBinaryInvalid("W24", "L = 271", len_field(271), "NON_CANONICAL");
  v.AddBinaryInvalid("W24", "L = 0", len_field(0), "NON_CANONICAL");
  v.AddBinaryInvalid("W24", "L not a padded size plus 16",
                     len_field(static_cast<uint32_t>(base.ciphertext.size() + 1)), "NON_CANONICAL");
  v.AddBinaryInvalid("W25", "L at the largest, input ends long before", len_field(max_l),
                     "TRUNCATED");
  v.AddBinaryInvalid("W25", "last byte of the signature missing", cut(bin.size() - 1), "TRUNCATED");
  v.AddBinaryInvalid("W26", "one trailing byte", with([](Bytes& b) { b.push_back(0); }),
                     "TRAILING_DATA");

  // --- JSON: G, J1-J3, K1, J5-J13, K2-K29, J26-J32 ---
  const std::string sender = Base64UrlEncode(base.sender_key_id);
  const std::string nonce = Base64UrlEncode(base.nonce);
  const std::string eph = Base64UrlEncode(base.ephemeral_key);
  const std::string ct = Base64UrlEncode(base.ciphertext);
  const std::string rsig = Base64UrlEncode(base.signature);
  const std::string hash = Base64UrlEncode(h1);
  const std::string kid0 = Base64UrlEncode(base.recipients[0].key_id);
  const std::string body0 = Base64UrlEncode(base.recipients[0].wrapped_key);
  const std::string kid1 = Base64UrlEncode(base.recipients[1].key_id);
  const std::string body1 = Base64UrlEncode(base.recipients[1].wrapped_key);
  const std::string purpose = std::string(R"({"code":"TREAT","system":")") + kActReason + "\"}";
  const std::string purposes = "[" + purpose + "]";
  const std::string stanza0 = "{\"body\":" + Quoted(body0) + ",\"kid\":" + Quoted(kid0) +
                              ",\"type\":1}";
  const std::string stanza1 = "{\"body\":" + Quoted(body1) + ",\"kid\":" + Quoted(kid1) +
                              ",\"type\":2}";
  const std::string stanzas = "[" + stanza0 + "," + stanza1 + "]";
  auto rj = [&](const std::string& from, const std::string& to) {
    return ReplaceOnce(json, from, to);
  };
  auto member = [&](const std::string& name, const std::string& old, const std::string& value) {
    return ReplaceMember(json, name, old, value);
  };
  auto with_purposes = [&](const std::string& value) {
    return rj("\"purposes\":" + purposes, "\"purposes\":" + value);
  };
  auto with_consents = [&](const std::string& value) {
    return rj("\"consents\":[" + Quoted(hash) + "]", "\"consents\":" + value);
  };
  auto with_stanzas = [&](const std::string& value) {
    return rj("\"recipients\":" + stanzas, "\"recipients\":" + value);
  };
  auto p_obj = [](const std::string& system, const std::string& code) {
    return "{\"code\":" + code + ",\"system\":" + system + "}";
  };
  const std::string sys = Quoted(kActReason);

  v.AddJsonInvalid("G2", "UTF-8 byte order mark", "\xEF\xBB\xBF" + json, "MALFORMED");
  v.AddJsonInvalid("G3", "NUL byte after the record", json + std::string(1, '\0'), "MALFORMED");
  v.AddJsonInvalid("G4", "lone surrogate escape in a purpose code",
                   with_purposes("[" + p_obj(sys, "\"\\ud800\"") + "]"), "MALFORMED");
  v.AddJsonInvalid("G5", "a second object after the record", json + "{}", "MALFORMED");
  v.AddJsonInvalid("G6", "a purpose nested to depth 17", with_purposes(NestedArrays(17, true)),
                   "MALFORMED");
  v.AddJsonInvalid("G7", "purposes twice", rj("\"purposes\":", "\"purposes\":[],\"purposes\":"),
                   "MALFORMED");
  v.AddJsonInvalid(
      "G7", "code twice in a purpose",
      with_purposes("[{\"code\":\"TREAT\",\"code\":\"TREAT\",\"system\":" + sys + "}]"),
      "MALFORMED");
  v.AddJsonInvalid("G8", "an array at top level", "[" + json + "]", "MALFORMED");
  v.AddJsonInvalid("J1", "wrong type", rj("\"medseal.record\"", "\"medseal.card\""), "MALFORMED");
  v.AddJsonInvalid("J2", "version as a string", rj("\"v\":2", "\"v\":\"2\""), "MALFORMED");
  v.AddJsonInvalid("J2", "version 2.0", rj("\"v\":2", "\"v\":2.0"), "MALFORMED");
  v.AddJsonInvalid("J3", "version 3 with version 2's members", rj("\"v\":2", "\"v\":3"),
                   "UNSUPPORTED_VERSION");
  v.AddJsonInvalid("K1", "an unknown member", rj("\"v\":2", "\"v\":2,\"x\":0"), "MALFORMED");
  v.AddJsonInvalid("K1", "consents missing (an empty list is written, not left out)",
                   rj("\"consents\":[" + Quoted(hash) + "],", ""), "MALFORMED");
  v.AddJsonInvalid("K1", "version 2 without purposes and consents (version 1's members)",
                   ReplaceOnce(rj("\"consents\":[" + Quoted(hash) + "],", ""),
                               "\"purposes\":" + purposes + ",", ""),
                   "MALFORMED");
  v.AddJsonInvalid(
      "K1", "a version 1 record relabelled as version 2",
      [&] {
        ChaChaRng rng(Bytes(32, 0x67));
        FixedClock clock(now);
        std::vector<PublicCard> to{v.ids.at("clinician")->id.card()};
        SealedRecord v1 = Must(SealRecord(patient, to, obs, rng, clock), "seal");
        return ReplaceOnce(EncodeRecordJson(v1), "\"v\":1", "\"v\":2");
      }(),
      "MALFORMED");
  v.AddJsonInvalid("J5", "sender is a number", member("sender", sender, "1"), "MALFORMED");
  v.AddJsonInvalid("J6/D3", "sender with == padding",
                   member("sender", sender, Quoted(sender + "==")), "NON_CANONICAL");
  v.AddJsonInvalid("J7", "sender of 15 bytes",
                   member("sender", sender, Quoted(Base64UrlEncode(Bytes(15, 1)))), "MALFORMED");
  v.AddJsonInvalid("J8", "nonce is null", member("nonce", nonce, "null"), "MALFORMED");
  v.AddJsonInvalid("J9/D1", "nonce with a space", member("nonce", nonce, Quoted(" " + nonce)),
                   "MALFORMED");
  v.AddJsonInvalid("J10", "nonce of 27 bytes", member("nonce", nonce, Quoted(nonce + "AAAA")),
                   "MALFORMED");
  v.AddJsonInvalid("J11", "ephemeral is an array",
                   member("ephemeral", eph, "[" + Quoted(eph) + "]"), "MALFORMED");
  v.AddJsonInvalid("J12/D2", "ephemeral of 45 characters",
                   member("ephemeral", eph, Quoted(eph + "AA")), "MALFORMED");
  v.AddJsonInvalid("J12/D4", "ephemeral with a non-zero unused bit",
                   member("ephemeral", eph, Quoted(WithUnusedBit(eph))), "NON_CANONICAL");
  v.AddJsonInvalid("J13", "ephemeral of 31 bytes",
                   member("ephemeral", eph, Quoted(Base64UrlEncode(Bytes(31, 9)))), "MALFORMED");
  v.AddJsonInvalid("K2", "purposes is an object", with_purposes(purpose), "MALFORMED");
  v.AddJsonInvalid("K2", "purposes is a string", with_purposes("\"TREAT\""), "MALFORMED");
  v.AddJsonInvalid("K3", "no purpose", with_purposes("[]"), "MALFORMED");
  {
    std::string many;
    for (int i = 0; i < 17; ++i) many += (i ? "," : "") + purpose;
    v.AddJsonInvalid("K4", "17 purposes (TOO_LARGE before any is read)",
                     with_purposes("[" + many + "]"), "TOO_LARGE");
  }
  v.AddJsonInvalid("K5", "a purpose that is a string", with_purposes("[\"TREAT\"]"), "MALFORMED");
  v.AddJsonInvalid("K5", "a purpose without code", with_purposes("[{\"system\":" + sys + "}]"),
                   "MALFORMED");
  v.AddJsonInvalid(
      "K5", "a purpose with a display member",
      with_purposes("[{\"code\":\"TREAT\",\"display\":\"treatment\",\"system\":" + sys + "}]"),
      "MALFORMED");
  v.AddJsonInvalid("K6", "a system that is a number",
                   with_purposes("[" + p_obj("1", "\"TREAT\"") + "]"), "MALFORMED");
  v.AddJsonInvalid("K6", "a code that is null", with_purposes("[" + p_obj(sys, "null") + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K6", "system is checked first: a numeric system and a code of 65 bytes",
                   with_purposes("[" + p_obj("7", Quoted(std::string(65, 'C'))) + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K7", "a code of 65 bytes",
                   with_purposes("[" + p_obj(sys, Quoted(std::string(65, 'C'))) + "]"),
                   "TOO_LARGE");
  v.AddJsonInvalid("K7", "a system of 256 bytes",
                   with_purposes("[" + p_obj(Quoted(std::string(256, 's')), "\"TREAT\"") + "]"),
                   "TOO_LARGE");
  v.AddJsonInvalid("K7", "a code of 65 bytes with a space (length first)",
                   with_purposes("[" + p_obj(sys, Quoted(std::string(64, 'C') + " ")) + "]"),
                   "TOO_LARGE");
  v.AddJsonInvalid("K8", "an empty code", with_purposes("[" + p_obj(sys, "\"\"") + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K8", "a code with a space", with_purposes("[" + p_obj(sys, "\"TRE AT\"") + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K8", "a code with a non-ASCII character (escaped)",
                   with_purposes("[" + p_obj(sys, "\"TR\\u00c9AT\"") + "]"), "MALFORMED");
  v.AddJsonInvalid("K8", "a system with a tab (escaped)",
                   with_purposes("[" + p_obj("\"urn:\\tx\"", "\"TREAT\"") + "]"), "MALFORMED");
  v.AddJsonInvalid("K9", "purposes not in canonical order",
                   with_purposes("[" + purpose + "," + p_obj(sys, "\"ETREAT\"") + "]"),
                   "NON_CANONICAL");
  v.AddJsonInvalid("K9", "the same purpose twice",
                   with_purposes("[" + purpose + "," + purpose + "]"), "NON_CANONICAL");
  v.AddJsonInvalid("K9", "the same purpose twice, spelled with an escape",
                   with_purposes("[" + purpose + "," + p_obj(sys, "\"TR\\u0045AT\"") + "]"),
                   "NON_CANONICAL");
  v.AddJsonInvalid("K10", "consents is a string", with_consents(Quoted(hash)), "MALFORMED");
  v.AddJsonInvalid("K10", "consents is null", with_consents("null"), "MALFORMED");
  {
    std::string many;
    for (int i = 0; i < 65; ++i) many += (i ? "," : "") + Quoted(hash);
    v.AddJsonInvalid("K11", "65 consent hashes (TOO_LARGE before any is read)",
                     with_consents("[" + many + "]"), "TOO_LARGE");
  }
  v.AddJsonInvalid("K12", "a consent hash that is a number", with_consents("[32]"), "MALFORMED");
  v.AddJsonInvalid("K13/D3", "a consent hash with '=' padding",
                   with_consents("[" + Quoted(hash + "=") + "]"), "NON_CANONICAL");
  v.AddJsonInvalid("K13/D4", "a consent hash with a non-zero unused bit",
                   with_consents("[" + Quoted(WithUnusedBit(hash)) + "]"), "NON_CANONICAL");
  v.AddJsonInvalid("K13/D1", "a consent hash in standard base64 ('+')",
                   with_consents("[" + Quoted("+" + hash.substr(1)) + "]"), "MALFORMED");
  v.AddJsonInvalid("K14", "a consent hash of 31 bytes",
                   with_consents("[" + Quoted(Base64UrlEncode(Bytes(31, 4))) + "]"), "MALFORMED");
  v.AddJsonInvalid("K14", "a consent hash of 64 bytes",
                   with_consents("[" + Quoted(Base64UrlEncode(Bytes(64, 4))) + "]"), "MALFORMED");
  {
    std::string a = Base64UrlEncode(h1), b = Base64UrlEncode(h2);
    if (BytesLess(h1, h2)) std::swap(a, b);  // a sorts after b
    v.AddJsonInvalid("K15", "consent hashes not sorted",
                     with_consents("[" + Quoted(a) + "," + Quoted(b) + "]"), "NON_CANONICAL");
    v.AddJsonInvalid("K15", "the same consent hash twice",
                     with_consents("[" + Quoted(hash) + "," + Quoted(hash) + "]"), "NON_CANONICAL");
  }
  v.AddJsonInvalid("K16", "recipients is an object", with_stanzas(stanza0), "MALFORMED");
  v.AddJsonInvalid("K17", "no recipients", with_stanzas("[]"), "MALFORMED");
  {
    std::string many;
    for (int i = 0; i < 65; ++i) many += (i ? "," : "") + stanza0;
    v.AddJsonInvalid("K18", "65 stanzas (TOO_LARGE before any is read)",
                     with_stanzas("[" + many + "]"), "TOO_LARGE");
  }
  v.AddJsonInvalid("K19", "a stanza that is a string",
                   with_stanzas("[" + stanza0 + "," + Quoted(kid1) + "]"), "MALFORMED");
  v.AddJsonInvalid("K19", "a stanza without type",
                   with_stanzas("[{\"body\":" + Quoted(body0) + ",\"kid\":" + Quoted(kid0) + "}," +
                                stanza1 + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K19", "a version 1 stanza {kid, wrapped}",
                   with_stanzas("[{\"kid\":" + Quoted(kid0) + ",\"wrapped\":" + Quoted(body0) +
                                "}," + stanza1 + "]"),
                   "MALFORMED");
  v.AddJsonInvalid("K19", "a stanza with an extra member",
                   with_stanzas("[{\"body\":" + Quoted(body0) + ",\"kid\":" + Quoted(kid0) +
                                ",\"note\":0,\"type\":1}," + stanza1 + "]"),
                   "MALFORMED");
  auto typed = [&](const std::string& type) {
    return with_stanzas("[{\"body\":" + Quoted(body0) + ",\"kid\":" + Quoted(kid0) +
                        ",\"type\":" + type + "}," + stanza1 + "]");
  };
  v.AddJsonInvalid("K20", "type as a string", typed("\"1\""), "MALFORMED");
  v.AddJsonInvalid("K20", "type 0", typed("0"), "MALFORMED");
  v.AddJsonInvalid("K20", "type 256", typed("256"), "MALFORMED");
  v.AddJsonInvalid("K20", "type -1", typed("-1"), "MALFORMED");
  v.AddJsonInvalid("K20", "type 1.0", typed("1.0"), "MALFORMED");
  v.AddJsonInvalid("K20", "type -0", typed("-0"), "MALFORMED");
  v.AddJsonInvalid("K21", "kid is a number", ReplaceMember(json, "kid", kid0, "16"), "MALFORMED");
  v.AddJsonInvalid("K22/D4", "kid with a non-zero unused bit",
                   ReplaceMember(json, "kid", kid0, Quoted(WithUnusedBit(kid0))), "NON_CANONICAL");
  v.AddJsonInvalid("K22/D3", "kid with '==' padding",
                   ReplaceMember(json, "kid", kid0, Quoted(kid0 + "==")), "NON_CANONICAL");
  v.AddJsonInvalid("K23", "kid of 15 bytes",
                   ReplaceMember(json, "kid", kid0, Quoted(Base64UrlEncode(Bytes(15, 2)))),
                   "MALFORMED");
  v.AddJsonInvalid("K24", "body is null", ReplaceMember(json, "body", body0, "null"), "MALFORMED");
  v.AddJsonInvalid("K25/D1", "body with a '.'",
                   ReplaceMember(json, "body", body0, Quoted(body0 + ".")), "MALFORMED");
  v.AddJsonInvalid("K25/D2", "body of 1 mod 4 characters",
                   ReplaceMember(json, "body", body0, Quoted(body0 + "AAAAA")), "MALFORMED");
  v.AddJsonInvalid("K26", "an unknown type's body of 4097 bytes",
                   with_stanzas("[" + stanza0 + "," + stanza1 +
                                ",{\"body\":" + Quoted(Base64UrlEncode(Bytes(4097, 0x33))) +
                                ",\"kid\":" + Quoted(kid0) + ",\"type\":9}]"),
                   "TOO_LARGE");
  v.AddJsonInvalid("K27", "a vault stanza's body of 47 bytes",
                   ReplaceMember(json, "body", body1, Quoted(Base64UrlEncode(Bytes(47, 3)))),
                   "MALFORMED");
  v.AddJsonInvalid("K27", "an X25519 stanza's body empty",
                   ReplaceMember(json, "body", body0, "\"\""), "MALFORMED");
  v.AddJsonInvalid("K28", "the same stanza twice",
                   with_stanzas("[" + stanza0 + "," + stanza0 + "," + stanza1 + "]"),
                   "DUPLICATE_RECIPIENT");
  v.AddJsonInvalid("K29", "the vault stanza first",
                   with_stanzas("[" + stanza1 + "," + stanza0 + "]"), "NON_CANONICAL");
  v.AddJsonInvalid("J26", "ciphertext is a number", member("ciphertext", ct, "0"), "MALFORMED");
  v.AddJsonInvalid("J27/D3", "ciphertext with '=' padding",
                   member("ciphertext", ct, Quoted(ct + "=")), "NON_CANONICAL");
  v.AddJsonInvalid("J29", "ciphertext of 15 bytes",
                   member("ciphertext", ct, Quoted(Base64UrlEncode(Bytes(15, 7)))),
                   "NON_CANONICAL");
  v.AddJsonInvalid("J30", "signature is a number", member("signature", rsig, "64"), "MALFORMED");
  v.AddJsonInvalid("J31/D4", "signature with a non-zero unused bit",
                   member("signature", rsig, Quoted(WithUnusedBit(rsig))), "NON_CANONICAL");
  v.AddJsonInvalid("J32", "signature of 63 bytes",
                   member("signature", rsig, Quoted(Base64UrlEncode(Bytes(63, 5)))), "MALFORMED");
  {
    Bytes other = base.signature;
    other[0] ^= 1;
    v.AddJsonInvalid("V2", "signature altered (JSON)",
                     member("signature", rsig, Quoted(Base64UrlEncode(other))),
                     "SIGNATURE_INVALID");
    v.AddJsonInvalid("V2", "purpose code changed in JSON, not re-signed",
                     with_purposes("[" + p_obj(sys, "\"TREAU\"") + "]"), "SIGNATURE_INVALID");
  }

  ordered_json vault_keys = ordered_json::object();
  for (const auto& nv : vault_store) {
    ordered_json k{{"keyId", HexEncode(nv->vault.key_id())},
                   {"key", HexEncode(RevealSecret(nv->vault.key()))}};
    if (!nv->rng_seed.empty()) k["rngSeed"] = HexEncode(nv->rng_seed);
    vault_keys[nv->key] = k;
  }
  ordered_json file{
      {"algorithm", "medseal sealed record v2"},
      {"spec", "docs/spec/record.md"},
      {"generator", "native-tests/vectors/generate/generate_vectors.cc"},
      {"notes",
       "For each test: parse `input` (hex of the binary encoding, or JSON text); verify it with "
       "the card of `sender`; open it with `opener` (an identity or a vault key) for the stated "
       "`purpose` (null: none stated). A valid case must open to `payload`, its header must be "
       "`header`, and, when `seal` is given, sealing version 2 from `sender` with "
       "ChaChaRng(`seal.rngSeed`) at time `seal.now` must reproduce `input` exactly (spec §11). "
       "An invalid case must fail at the first failing step with `error`."},
      {"numberOfTests", v.tests.size()},
      {"identities", ordered_json::object()},
      {"vaultKeys", vault_keys},
      {"tests", v.tests}};
  for (auto& n : people) {
    if (n.key.rfind("member-", 0) != 0) file["identities"][n.key] = IdentityJson(n);
  }
  out.Write("record/record_v2.json", file);
}

void GenerateCards(Writer& out, std::vector<Named>& people) {
  ordered_json tests = ordered_json::array();
  int id = 1;
  // `rule`: the spec rule that decides an invalid case (docs/spec/record.md
  // §1.1, §1.2, §2.3), e.g. "C15", or "C9/D3" for a member rule whose code
  // comes from §1.1's D3; none for a valid case.
  auto add = [&](const std::string& rule, const std::string& comment, const std::string& card,
                 const std::string& error) {
    if (error.empty() != rule.empty()) Die("an invalid card case needs a rule, a valid one none");
    ordered_json t{{"tcId", id++},
                   {"comment", comment},
                   {"card", card},
                   {"result", error.empty() ? "valid" : "invalid"}};
    if (!error.empty()) t["error"] = error;
    if (!rule.empty()) t["rule"] = rule;
    tests.push_back(std::move(t));
  };
  auto valid = [&](const std::string& comment, const std::string& card) {
    add("", comment, card, "");
  };
  const Identity& p = people[0].id;
  std::string card = p.card().ToJson();
  for (size_t i = 0; i < 4; ++i) valid("card of " + people[i].key, people[i].id.card().ToJson());
  Identity unicode = Must(
      Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 9)), "Zhang Wei \xe5\xbc\xa0\xe4\xbc\x9f",
                         "patient", kCreated),
      "unicode identity");
  valid("non-ASCII display name", unicode.card().ToJson());
  std::string sig = Base64UrlEncode(p.card().signature());
  std::string kid = Base64UrlEncode(p.key_id());
  std::string bad_sig = sig;
  bad_sig[0] = bad_sig[0] == 'A' ? 'B' : 'A';
  add("C26", "signature altered", ReplaceOnce(card, sig, bad_sig), "SIGNATURE_INVALID");
  add("C26", "name changed after signing", ReplaceOnce(card, "\"Patient P\"", "\"Patient Q\""),
      "SIGNATURE_INVALID");
  add("C26", "role changed after signing",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"clinician\""), "SIGNATURE_INVALID");
  add("C26", "created changed after signing", ReplaceOnce(card, "1700000000000", "1700000000001"),
      "SIGNATURE_INVALID");
  add("C25", "key id of another identity",
      ReplaceOnce(card, kid, Base64UrlEncode(people[1].id.key_id())), "KEY_ID_MISMATCH");
  // Version 2 is a card version since issue #14 (spec §6): the cases that
  // showed an unsupported version use version 3 (same tcIds).
  add("C3", "version 3", ReplaceOnce(card, "\"v\":1", "\"v\":3"), "UNSUPPORTED_VERSION");
  add("C4", "missing signature", ReplaceOnce(card, ",\"sig\":\"" + sig + "\"", ""), "MALFORMED");
  add("C4", "unknown member", ReplaceOnce(card, "\"v\":1", "\"v\":1,\"extra\":true"), "MALFORMED");
  add("G7", "duplicate member", ReplaceOnce(card, "\"v\":1", "\"v\":1,\"v\":1"), "MALFORMED");
  add("C20", "role with an upper-case letter",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"Patient\""), "MALFORMED");
  // Built with append: GCC 12 at -O3 reports a false -Wrestrict for
  // "\"" + std::string(n, 'x') (GCC bug 105329).
  std::string long_name(1, '"');
  long_name.append(129, 'x').push_back('"');
  add("C15", "name over 128 bytes", ReplaceOnce(card, "\"Patient P\"", long_name), "TOO_LARGE");
  add("C16", "control character in the name",
      ReplaceOnce(card, "\"Patient P\"", "\"Patient\\u0001P\""), "MALFORMED");
  add("C21", "negative creation time", ReplaceOnce(card, "1700000000000", "-1"), "MALFORMED");
  add("C23/D3", "signature padded", ReplaceOnce(card, sig, sig + "=="), "NON_CANONICAL");
  add("G5", "not JSON", "{", "MALFORMED");
  add("G1", "over 4096 bytes", std::string(4097, ' '), "TOO_LARGE");

  // --- cases added when the rule order was settled (issue 9); appended so
  // that the earlier cases keep their tcIds ---
  // Valid cards at the edges of what a card can hold; their identities are
  // in `identities` too.
  std::vector<Named> extra;
  auto extra_identity = [&](const std::string& key, uint8_t seed_byte, const std::string& name,
                            const std::string& role, UnixMillis created) -> const Identity& {
    Bytes seed(32, seed_byte);
    Identity ident = Must(Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, created),
                          key.c_str());
    extra.push_back(Named{key, seed, name, role, std::move(ident)});
    return extra.back().id;
  };
  extra.reserve(4);
  // ", \, / and non-ASCII, plus DEL, U+2028 and a 4-byte character: the
  // re-serialised text is the RFC 8785 form (\" and \\ escaped, the rest as is).
  const Identity& escapes = extra_identity(
      "escapes", 0x0a,
      "Dr. \"Q\" O\\Brien / Zo\xc3\xab \xe5\xbc\xa0 \x7f \xe2\x80\xa8 \xf0\x9f\xa9\xba",
      "clinician", kCreated);
  valid("name with \", \\, /, DEL, U+2028 and non-ASCII (JCS escaping)", escapes.card().ToJson());
  const Identity& latest = extra_identity("latest", 0x0b, "Latest L", "patient", kMaxUnixMillis);
  const std::string latest_card = latest.card().ToJson();
  valid("created at 2^53 - 1, the latest time", latest_card);
  std::string name128;
  for (int i = 0; i < 42; ++i) name128 += "\xe2\x82\xac";  // 42 x U+20AC: 126 bytes
  name128 += "ab";
  const Identity& widest = extra_identity("widest", 0x0c, name128, std::string(32, 'r'), 0);
  valid("name of exactly 128 bytes (44 UTF-16 units), role of 32, created 0",
        widest.card().ToJson());

  // General JSON rules (§1.2).
  const std::string v2 = ReplaceOnce(card, "\"v\":1", "\"v\":2");
  const std::string v3 = ReplaceOnce(card, "\"v\":1", "\"v\":3");
  add("G1", "a valid card padded with whitespace to 4097 bytes",
      card + std::string(kMaxCardJsonBytes + 1 - card.size(), ' '), "TOO_LARGE");
  add("G2", "UTF-8 byte order mark before the card", "\xEF\xBB\xBF" + card, "MALFORMED");
  add("G3", "NUL byte and a second object after the card",
      card + std::string(1, '\0') + "{\"name\":\"Mallory\"}", "MALFORMED");
  add("G3", "NUL byte after the card", card + std::string(1, '\0'), "MALFORMED");
  add("G4", "lone high surrogate escape in the name",
      ReplaceOnce(card, "\"Patient P\"", "\"Patient \\ud800\""), "MALFORMED");
  add("G4", "lone low surrogate escape in a version 2 card",
      ReplaceOnce(v2, "\"Patient P\"", "\"\\udc00\""), "MALFORMED");
  add("C3", "version 3 with an extra member nested to depth 16 (the limit)",
      ReplaceOnce(v3, "\"v\":3", "\"v\":3,\"x\":" + NestedArrays(16, false)),
      "UNSUPPORTED_VERSION");
  add("G6", "version 2 with an extra member nested to depth 17 (an empty array)",
      ReplaceOnce(v2, "\"v\":2", "\"v\":2,\"x\":" + NestedArrays(17, true)), "MALFORMED");
  add("G6", "version 2 with an extra member of objects nested to depth 17",
      ReplaceOnce(
          v2, "\"v\":2",
          "\"v\":2,\"x\":" +
              [] {
                std::string o;
                for (int i = 0; i < 16; ++i) o += "{\"a\":";
                o += "{}";
                return o + std::string(16, '}');
              }()),
      "MALFORMED");
  add("G5", "text after the card", card + " x", "MALFORMED");
  add("G7", "kid and k\\u0069d (duplicates after unescaping)",
      ReplaceOnce(card, "\"v\":1", "\"v\":1,\"k\\u0069d\":\"" + kid + "\""), "MALFORMED");
  add("G8", "a JSON array", "[" + card + "]", "MALFORMED");

  // type, version and members.
  add("C1", "type of a record", ReplaceOnce(card, "\"medseal.card\"", "\"medseal.record\""),
      "MALFORMED");
  add("C1", "type missing", ReplaceOnce(card, ",\"type\":\"medseal.card\"", ""), "MALFORMED");
  add("C1", "type missing in a version 2 card", ReplaceOnce(v2, ",\"type\":\"medseal.card\"", ""),
      "MALFORMED");
  for (const char* bad : {"\"1\"", "1.0", "1e0", "-0", "9007199254740993", "true"}) {
    add("C2", std::string("version ") + bad + " (not an integer)",
        ReplaceOnce(card, "\"v\":1", std::string("\"v\":") + bad), "MALFORMED");
  }
  add("C2", "version missing", ReplaceOnce(card, ",\"v\":1", ""), "MALFORMED");
  add("C3", "version 0", ReplaceOnce(card, "\"v\":1", "\"v\":0"), "UNSUPPORTED_VERSION");
  add("C3", "version -1", ReplaceOnce(card, "\"v\":1", "\"v\":-1"), "UNSUPPORTED_VERSION");
  add("C3", "version 3 with a member missing", ReplaceOnce(v3, ",\"sig\":\"" + sig + "\"", ""),
      "UNSUPPORTED_VERSION");
  const std::string sign = Base64UrlEncode(p.card().sign_public_key());
  const std::string kx = Base64UrlEncode(p.card().kx_public_key());
  add("C4", "kx missing", ReplaceOnce(card, ",\"kx\":\"" + kx + "\"", ""), "MALFORMED");

  // Each member in order: JSON type, length limit, character set, decoded length.
  auto member = [&](const std::string& name, const std::string& old, const std::string& value) {
    return ReplaceMember(card, name, old, value);
  };
  add("C5", "kid is a number", member("kid", kid, "16"), "MALFORMED");
  add("C6/D1", "kid with '+'", member("kid", kid, Quoted("+" + kid.substr(1))), "MALFORMED");
  add("C6/D2", "kid of 25 characters (1 mod 4)", member("kid", kid, Quoted(kid + "AAA")),
      "MALFORMED");
  add("C6/D3", "kid with '=='", member("kid", kid, Quoted(kid + "==")), "NON_CANONICAL");
  add("C6/D4", "kid with a non-zero unused bit", member("kid", kid, Quoted(WithUnusedBit(kid))),
      "NON_CANONICAL");
  add("C7", "kid of 19 bytes", member("kid", kid, Quoted("AAAA" + kid)), "MALFORMED");
  add("C8", "sign is null", member("sign", sign, "null"), "MALFORMED");
  add("C9/D3", "sign with '=='", member("sign", sign, Quoted(sign + "==")), "NON_CANONICAL");
  add("C9/D1", "sign with '=' inside",
      member("sign", sign, Quoted(sign.substr(0, 20) + "=" + sign.substr(21))), "MALFORMED");
  add("C10", "sign of 31 bytes", member("sign", sign, Quoted(Base64UrlEncode(Bytes(31, 4)))),
      "MALFORMED");
  add("C11", "kx is true", member("kx", kx, "true"), "MALFORMED");
  add("C12/D3", "kx with one '='", member("kx", kx, Quoted(kx + "=")), "NON_CANONICAL");
  add("C12/D2", "kx of 45 characters", member("kx", kx, Quoted(kx + "AA")), "MALFORMED");
  add("C13", "kx of 33 bytes", member("kx", kx, Quoted(Base64UrlEncode(Bytes(33, 4)))),
      "MALFORMED");
  add("C14", "name is a number", ReplaceOnce(card, "\"Patient P\"", "5"), "MALFORMED");
  add("C14", "name is null", ReplaceOnce(card, "\"Patient P\"", "null"), "MALFORMED");
  {
    std::string euros;
    for (int i = 0; i < 43; ++i) euros += "\xe2\x82\xac";  // 129 bytes, 43 UTF-16 units
    add("C15", "name of 129 bytes in 43 characters (bytes are counted)",
        ReplaceOnce(card, "\"Patient P\"", Quoted(euros)), "TOO_LARGE");
    add("C15", "name of 129 bytes with a control character (length before character set)",
        ReplaceOnce(card, "\"Patient P\"", Quoted("\\n" + std::string(128, 'x'))), "TOO_LARGE");
  }
  add("C16", "escaped NUL (U+0000) in the name",
      ReplaceOnce(card, "\"Patient P\"", "\"Patient\\u0000P\""), "MALFORMED");
  add("C16", "line feed in the name", ReplaceOnce(card, "\"Patient P\"", "\"Patient\\nP\""),
      "MALFORMED");
  add("C16", "U+001F in the name", ReplaceOnce(card, "\"Patient P\"", "\"Patient\\u001fP\""),
      "MALFORMED");
  add("C17", "role is a number", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":7"),
      "MALFORMED");
  add("C18", "empty role", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"\""), "MALFORMED");
  add("C19", "role of 33 bytes",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":" + Quoted(std::string(33, 'r'))),
      "TOO_LARGE");
  add("C19", "role of 33 upper-case bytes (length before character set)",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":" + Quoted(std::string(33, 'R'))),
      "TOO_LARGE");
  {
    std::string e17;
    for (int i = 0; i < 17; ++i) e17 += "\xc3\xa9";  // 34 bytes, 17 UTF-16 units
    add("C19", "role of 34 bytes in 17 characters (bytes are counted)",
        ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":" + Quoted(e17)), "TOO_LARGE");
  }
  add("C20", "role with a space",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"care team\""), "MALFORMED");
  add("C20", "role with a non-ASCII letter",
      ReplaceOnce(card, "\"role\":\"patient\"",
                  "\"role\":\"m\xc3\xa9"
                  "decin\""),
      "MALFORMED");
  for (const char* bad :
       {"-0", "1.7e12", "1700000000000.0", "\"1700000000000\"", "18446744073709551616"}) {
    add("C21", std::string("created ") + bad + " (not an integer)",
        ReplaceOnce(card, "1700000000000", bad), "MALFORMED");
  }
  add("C21", "created 2^53 (one above the latest)",
      ReplaceOnce(latest_card, "9007199254740991", "9007199254740992"), "MALFORMED");
  add("C21", "created 2^63 - 1", ReplaceOnce(card, "1700000000000", "9223372036854775807"),
      "MALFORMED");
  add("C22", "sig is an object", member("sig", sig, "{}"), "MALFORMED");
  add("C23/D1", "sig in the standard base64 alphabet",
      member("sig", sig, Quoted("/" + sig.substr(1))), "MALFORMED");
  add("C23/D4", "sig with a non-zero unused bit", member("sig", sig, Quoted(WithUnusedBit(sig))),
      "NON_CANONICAL");
  add("C24", "sig of 63 bytes", member("sig", sig, Quoted(Base64UrlEncode(Bytes(63, 1)))),
      "MALFORMED");

  // Small-order X25519 keys in properly self-signed cards (internal hook).
  const Bytes order8 =
      HexDecode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800").value();
  const std::string weak_zero = internal::SelfSignedCardWithKxForTesting(p, Bytes(32, 0)).ToJson();
  const std::string weak8 = internal::SelfSignedCardWithKxForTesting(p, order8).ToJson();
  add("C27", "self-signed card with the all-zero X25519 key (small order)", weak_zero, "WEAK_KEY");
  add("C27", "self-signed card with an X25519 key of order 8", weak8, "WEAK_KEY");
  add("C26", "small-order key and a changed name (the signature is checked first)",
      ReplaceOnce(weak8, "\"Patient P\"", "\"Patient Q\""), "SIGNATURE_INVALID");

  ordered_json file{{"algorithm", "medseal public card v1"},
                    {"spec", "docs/spec/record.md"},
                    {"notes",
                     "Parse `card` with full verification; valid cards must re-serialize "
                     "to the same text. `rule` names the spec rule an invalid case breaks."},
                    {"numberOfTests", tests.size()},
                    {"identities", ordered_json::object()},
                    {"tests", tests}};
  for (auto& n : people) {
    if (n.key.rfind("member-", 0) != 0) file["identities"][n.key] = IdentityJson(n);
  }
  for (auto& n : extra) file["identities"][n.key] = IdentityJson(n);
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

// --- consent receipts (docs/spec/receipt.md) ------------------------------

constexpr UnixMillis kReceiptSigned = 1764590400000;  // 2025-12-01T12:00:00Z

// `json` (a receipt's text) with top-level `member` set to `value` (JSON
// text), or removed when `value` is empty; written in JCS form.
std::string WithReceiptMember(const std::string& json, const std::string& member,
                              const std::string& value) {
  nlohmann::json j = nlohmann::json::parse(json);
  if (value.empty()) {
    j.erase(member);
  } else {
    j[member] = nlohmann::json::parse(value);
  }
  return Must(CanonicalizeJson(j), "jcs");
}

void GenerateReceipts(Writer& out, std::vector<Named>& people) {
  using consent::SignedConsent;
  const Named& patient = people.at(0);
  const Named& outsider = people.at(3);
  if (patient.key != "patient" || outsider.key != "outsider") Die("identities moved");
  ordered_json tests = ordered_json::array();
  int id = 1;
  FixedClock clock(kReceiptSigned);

  auto add_valid = [&](const std::string& comment, const std::string& source,
                       const nlohmann::json* consent, fhir::FhirVersion version,
                       const std::string& text) {
    SignedConsent r = Must(consent::ParseReceipt(text), "valid receipt");
    if (!consent::VerifyReceipt(r, patient.id.card()).ok()) Die("valid receipt does not verify");
    ordered_json t{{"tcId", id++}, {"comment", comment}};
    if (!source.empty()) t["source"] = source;
    t["fhirVersion"] = std::string(consent::FhirVersionCode(version));
    t["signer"] = "patient";
    t["signed"] = r.signed_at;
    if (consent != nullptr) t["consent"] = *consent;
    t["receipt"] = text;
    const std::string canonical = Must(r.ToJson(), "receipt json");
    if (canonical != text) t["canonical"] = canonical;
    // The signature input in full for a few cases (it is the label and the
    // canonical receipt without "sig"; the file stays small).
    if (source.empty() || source.find("-basic.json") != std::string::npos) {
      t["signedBytes"] = HexEncode(Must(r.SignedBytes(), "signed bytes"));
    }
    t["sig"] = HexEncode(r.signature);
    t["consentHash"] = HexEncode(Must(consent::ConsentHash(r), "hash"));
    t["kantara"] = Must(CanonicalizeJson(Must(consent::ExportKantaraReceipt(r), "kantara")), "jcs");
    t["result"] = "valid";
    tests.push_back(std::move(t));
  };
  // stage "parse": ParseReceipt fails with `error`; stage "verify": it
  // parses, and VerifyReceipt with the card of `verify_with` fails.
  auto add_invalid = [&](const std::string& rule, const std::string& comment,
                         const std::string& text, const std::string& stage,
                         const std::string& verify_with = "") {
    auto parsed = consent::ParseReceipt(text);
    std::string error;
    if (stage == "parse") {
      if (parsed.ok()) Die("invalid receipt parses: " + comment);
      error = std::string(ErrorCodeName(parsed.status().code()));
    } else {
      if (!parsed.ok()) Die("receipt meant for verification does not parse: " + comment);
      const Named& card = verify_with == "patient" ? patient : outsider;
      const Status s = consent::VerifyReceipt(*parsed, card.id.card());
      if (s.ok()) Die("tampered receipt verifies: " + comment);
      error = std::string(ErrorCodeName(s.code()));
    }
    ordered_json t{
        {"tcId", id++}, {"comment", comment}, {"rule", rule}, {"stage", stage}, {"receipt", text}};
    if (!verify_with.empty()) t["verifyWith"] = verify_with;
    t["result"] = "invalid";
    t["error"] = error;
    tests.push_back(std::move(t));
  };

  const std::vector<std::pair<fhir::FhirVersion, std::vector<std::string>>> examples = {
      {fhir::FhirVersion::kR4,
       {"Emergency", "Out", "basic", "grantor", "notAuthor", "notOrg", "notThem", "notThis",
        "notTime", "pkb", "signature", "smartonfhir"}},
      {fhir::FhirVersion::kR5,
       {"CDA", "Emergency", "Out", "basic", "grantor", "notAuthor", "notOrg", "notThem", "notThis",
        "notTime", "pkb", "smartonfhir"}}};
  std::string basic;  // the R4 basic example's receipt, for the invalid cases
  std::string other;  // another receipt by the same patient
  for (const auto& [version, names] : examples) {
    const std::string dir = version == fhir::FhirVersion::kR4 ? "r4" : "r5";
    for (const auto& name : names) {
      const std::string source = "external/fhir/hl7-" + dir + "-consent" +
                                 "/Consent-consent-example-" + name + ".json";
      nlohmann::json resource = Must(
          ParseJsonObject(testing::ReadVectorFile(source), fhir::kMaxConsentJsonBytes),
          source.c_str());
      SignedConsent r = Must(consent::SignConsent(patient.id, resource, version, clock),
                             source.c_str());
      const std::string text = Must(r.ToJson(), "receipt json");
      add_valid("HL7 " + dir + " example " + name + " signed by the patient", source, &resource,
                version, text);
      if (version == fhir::FhirVersion::kR4 && name == "basic") basic = text;
      if (version == fhir::FhirVersion::kR4 && name == "notThem") other = text;
    }
  }
  // A consent with strings that JCS escapes, astral characters and numbers
  // that JCS rewrites (its receipt holds their canonical forms).
  nlohmann::json odd = nlohmann::json::parse(
      testing::ReadVectorFile("external/fhir/hl7-r4-consent/Consent-consent-example-basic.json"));
  odd["id"] = "odd-\u00e9-\U0001F600";
  odd["text"]["div"] =
      "<div xmlns=\"http://www.w3.org/1999/xhtml\">\"q\" \\ / \u2028 \x7f \x1f\t\n</div>";
  // Numbers in extensions (valueDecimal), as JSON text: JCS rewrites them.
  odd["extension"] = nlohmann::json::parse(
      R"([{"url":"https://medseal.example/x/a","valueDecimal":1.0},)"
      R"({"url":"https://medseal.example/x/b","valueDecimal":1e21},)"
      R"({"url":"https://medseal.example/x/c","valueDecimal":1e-7},)"
      R"({"url":"https://medseal.example/x/d","valueDecimal":-0},)"
      R"({"url":"https://medseal.example/x/e","valueDecimal":9007199254740993},)"
      R"({"url":"https://medseal.example/x/f","valueDecimal":0.1}])");
  {
    SignedConsent r = Must(consent::SignConsent(patient.id, odd, fhir::FhirVersion::kR4, clock),
                           "odd");
    const std::string text = Must(r.ToJson(), "odd json");
    nlohmann::json canonical_odd = nlohmann::json::parse(text)["consent"];
    add_valid("escapes, astral characters and numbers in JCS form", "", &canonical_odd,
              fhir::FhirVersion::kR4, text);
    // The same receipt indented, members in another order: valid, and
    // the same canonical form and hash.
    add_valid("the basic receipt indented and with its members reordered", "", nullptr,
              fhir::FhirVersion::kR4, ordered_json::parse(basic).dump(2));
  }

  // Invalid: the general JSON rules, then the receipt rules in order.
  add_invalid("G5", "a second value after the receipt", basic + "{}", "parse");
  add_invalid("G7", "member v twice", "{\"v\":1," + basic.substr(1), "parse");
  add_invalid("G8", "the receipt inside an array", "[" + basic + "]", "parse");
  {
    nlohmann::json deep = nlohmann::json::parse(basic)["consent"];
    nlohmann::json nested = 0;
    for (int i = 0; i < kMaxJsonDepth; ++i) nested = nlohmann::json::array({std::move(nested)});
    deep["extension"] = nested;  // 16 arrays inside the Consent: depth 18 in the receipt
    add_invalid("G6", "an array at depth 18", WithReceiptMember(basic, "consent", deep.dump()),
                "parse");
  }
  add_invalid("R1", "type is medseal.card", WithReceiptMember(basic, "type", "\"medseal.card\""),
              "parse");
  add_invalid("R1", "type missing", WithReceiptMember(basic, "type", ""), "parse");
  add_invalid("R2", "v is a string", WithReceiptMember(basic, "v", "\"1\""), "parse");
  add_invalid("R2", "v is 1.0", ReplaceOnce(basic, "\"v\":1", "\"v\":1.0"), "parse");
  add_invalid("R3", "v is 2", WithReceiptMember(basic, "v", "2"), "parse");
  add_invalid("R3", "v is 2 and sig is missing (R3 before R4)",
              WithReceiptMember(WithReceiptMember(basic, "v", "2"), "sig", ""), "parse");
  add_invalid("R4", "sig missing", WithReceiptMember(basic, "sig", ""), "parse");
  add_invalid("R4", "an unknown member", WithReceiptMember(basic, "note", "\"x\""), "parse");
  add_invalid("R5", "fhirVersion is a number", WithReceiptMember(basic, "fhirVersion", "4"),
              "parse");
  add_invalid("R6", "fhirVersion R4 (not a version code)",
              WithReceiptMember(basic, "fhirVersion", "\"R4\""), "parse");
  add_invalid("R6", "fhirVersion 4.3.0 (R4B)", WithReceiptMember(basic, "fhirVersion", "\"4.3.0\""),
              "parse");
  add_invalid("R7", "consent is an array", WithReceiptMember(basic, "consent", "[]"), "parse");
  add_invalid(
      "R8", "consent is a Patient",
      WithReceiptMember(basic, "consent", R"({"resourceType":"Patient","status":"active"})"),
      "parse");
  add_invalid("R8", "consent without resourceType",
              WithReceiptMember(basic, "consent", R"({"status":"active"})"), "parse");
  add_invalid("R10", "a Consent the FHIR model refuses (no status)",
              WithReceiptMember(basic, "consent", R"({"resourceType":"Consent"})"), "parse");
  const std::string signer = nlohmann::json::parse(basic)["signer"];
  const std::string sig = nlohmann::json::parse(basic)["sig"];
  add_invalid("R11", "signer is null", WithReceiptMember(basic, "signer", "null"), "parse");
  add_invalid("R12/D3", "signer with padding",
              WithReceiptMember(basic, "signer", Quoted(signer + "==")), "parse");
  add_invalid("R12/D1", "signer in base64 (not base64url)",
              WithReceiptMember(basic, "signer", Quoted("+" + signer.substr(1))), "parse");
  add_invalid("R12/D4", "signer with an unused bit set",
              WithReceiptMember(basic, "signer", Quoted(WithUnusedBit(signer))), "parse");
  add_invalid("R13", "signer of 15 bytes",
              WithReceiptMember(basic, "signer", Quoted(Base64UrlEncode(Bytes(15, 7)))), "parse");
  add_invalid("R14", "signed is negative", WithReceiptMember(basic, "signed", "-1"), "parse");
  add_invalid("R14", "signed is a fraction", WithReceiptMember(basic, "signed", "1.5"), "parse");
  add_invalid("R14", "signed is 2^53",
              ReplaceOnce(basic, "\"signed\":1764590400000", "\"signed\":9007199254740992"),
              "parse");
  add_invalid("R14", "signed is a string", WithReceiptMember(basic, "signed", "\"1764590400000\""),
              "parse");
  add_invalid("R15", "sig is a number", WithReceiptMember(basic, "sig", "64"), "parse");
  add_invalid("R16/D3", "sig with padding", WithReceiptMember(basic, "sig", Quoted(sig + "==")),
              "parse");
  add_invalid("R16/D4", "sig with an unused bit set",
              WithReceiptMember(basic, "sig", Quoted(WithUnusedBit(sig))), "parse");
  add_invalid("R17", "sig of 63 bytes",
              WithReceiptMember(basic, "sig", Quoted(Base64UrlEncode(Bytes(63, 1)))), "parse");
  // Verification against a card.
  add_invalid("V1", "verified with another patient's card", basic, "verify", "outsider");
  add_invalid("V1", "signer names the outsider; verified with the patient's card",
              WithReceiptMember(basic, "signer", Quoted(Base64UrlEncode(outsider.id.key_id()))),
              "verify", "patient");
  add_invalid("V2", "signer names the outsider, signed by the patient",
              WithReceiptMember(basic, "signer", Quoted(Base64UrlEncode(outsider.id.key_id()))),
              "verify", "outsider");
  {
    nlohmann::json changed = nlohmann::json::parse(basic)["consent"];
    changed["status"] = "inactive";
    add_invalid("V2", "consent status changed after signing",
                WithReceiptMember(basic, "consent", changed.dump()), "verify", "patient");
  }
  add_invalid("V2", "signing time changed", WithReceiptMember(basic, "signed", "1764590400001"),
              "verify", "patient");
  {
    Bytes bad_sig = Must(Base64UrlDecode(sig), "sig");
    bad_sig[0] ^= 0x01;
    add_invalid("V2", "one bit of the signature flipped",
                WithReceiptMember(basic, "sig", Quoted(Base64UrlEncode(bad_sig))), "verify",
                "patient");
  }
  add_invalid("V2", "the signature of another receipt",
              WithReceiptMember(basic, "sig", nlohmann::json::parse(other)["sig"].dump()), "verify",
              "patient");

  ordered_json file{
      {"algorithm", "medseal consent receipt v1"},
      {"spec", "docs/spec/receipt.md"},
      {"notes",
       "Valid: ParseReceipt(receipt) succeeds, VerifyReceipt with the card of `signer` "
       "succeeds, and SignedBytes, sig, ConsentHash, ToJson (`canonical`) and the JCS form "
       "of ExportKantaraReceipt (`kantara`) are as given; where `consent` is given, "
       "SignConsent(signer, consent, fhirVersion) at `signed` (ms) gives `receipt` again. "
       "Invalid: stage parse: ParseReceipt fails with `error`; stage verify: it parses and "
       "VerifyReceipt with the card of `verifyWith` fails with `error`. `rule` names the "
       "spec rule that decides (R12/D3: rule R12, whose code comes from D3)."},
      {"numberOfTests", tests.size()},
      {"identities",
       ordered_json{{"patient", IdentityJson(patient)}, {"outsider", IdentityJson(outsider)}}},
      {"tests", tests}};
  out.Write("consent/receipt_v1.json", file);
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
  GenerateRecordsV2(out, people);
  medseal::testing::GenerateRecordPqVectors(argv[1]);
  GenerateCards(out, people);
  medseal::testing::GenerateCardV2Vectors(argv[1]);
  GenerateAccumulated(out);
  medseal::testing::GenerateErasureVectors(argv[1]);
  medseal::testing::GenerateShareVectors(argv[1]);
  GenerateReceipts(out, people);
  medseal::testing::GenerateAttachmentVectors(argv[1]);
  medseal::testing::GenerateLogEventVectors(argv[1]);
  medseal::testing::GenerateLogTilesVectors(argv[1]);
  medseal::testing::GenerateSafetyVectors(argv[1]);
  medseal::testing::GenerateClientVectors(argv[1]);
  medseal::testing::GenerateLogCheckpointVectors(argv[1]);
  medseal::testing::GenerateKeystoreVectors(argv[1]);
  medseal::testing::GenerateLogAuditVectors(argv[1]);
  medseal::testing::GenerateGroupVectors(argv[1]);
  return 0;
}
