// SPDX-License-Identifier: Apache-2.0
// identity/card_v2.json (docs/spec/record.md §3, §6): see card_v2_vectors.h.
// The cases follow §6.3's order: the general JSON rules, type and version,
// the member set, the members in order with `keys` after `kx`, then the key
// id, the signature and the keys' checks.
#include "native-tests/vectors/generate/card_v2_vectors.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64url.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/mlkem.h"
#include "core/crypto/xwing.h"
#include "core/identity/identity.h"
#include "core/identity/internal/card_internal.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
constexpr UnixMillis kCreated = 1700000000000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (card v2): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

std::string ReplaceOnce(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  if (pos == std::string::npos) Die("pattern not found: " + from);
  return s.replace(pos, from.size(), to);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// The same base64url text with one unused trailing bit set (rule D4).
std::string WithUnusedBit(const std::string& b64) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (b64.size() % 4 == 0) Die("no unused bits in a whole group");
  std::string alt = b64;
  alt.back() = kAlphabet[kAlphabet.find(alt.back()) | 1];
  if (alt == b64) Die("unused bit already set");
  return alt;
}

struct Person {
  std::string key;
  Bytes seed;
  std::string name, role;
  UnixMillis created;
  Identity id;
};

Person MakePerson(const std::string& key, uint8_t seed_byte, const std::string& name,
                  const std::string& role, UnixMillis created) {
  Bytes seed(32, seed_byte);
  Identity id = Must(
      Identity::FromSeed(SecretBytes::CopyFrom(seed), name, role, created, CardKeys::kPostQuantum),
      key.c_str());
  return Person{key, seed, name, role, created, std::move(id)};
}

ordered_json PersonJson(const Person& p) {
  return ordered_json{{"seed", HexEncode(p.seed)},
                      {"name", p.name},
                      {"role", p.role},
                      {"created", p.created},
                      {"cardKeys", "postQuantum"},
                      {"xwingSeed", HexEncode(RevealSecret(p.id.xwing_key()->seed()))},
                      {"keyId", HexEncode(p.id.key_id())},
                      {"card", p.id.card().ToJson()}};
}

// The JSON text of one "keys" element as medseal writes it.
std::string KeyJson(uint8_t type, const std::string& key_b64) {
  return "{\"key\":" + Quoted(key_b64) + ",\"type\":" + std::to_string(type) + "}";
}

}  // namespace

void GenerateCardV2Vectors(const std::string& dir) {
  std::vector<Person> people;
  people.reserve(6);
  // The four people of the record files (same seeds), with post-quantum cards.
  people.push_back(MakePerson("patient", 0x01, "Patient P", "patient", kCreated));
  people.push_back(MakePerson("clinician", 0x02, "Dr. C", "clinician", kCreated));
  people.push_back(MakePerson("nurse", 0x03, "Nurse N", "nurse", kCreated));
  people.push_back(MakePerson("outsider", 0x04, "Outsider O", "clinician", kCreated));
  // The largest text a version 2 card with one X-Wing key has as medseal
  // writes it: 128 '"' (each written \"), a 32-byte role, the latest time.
  people.push_back(
      MakePerson("widest", 0x0d, std::string(128, '"'), std::string(32, 'r'), kMaxUnixMillis));

  ordered_json tests = ordered_json::array();
  int id = 1;
  auto add = [&](const std::string& rule, const std::string& comment, const std::string& card,
                 const std::string& error) {
    if (error.empty() != rule.empty()) Die("an invalid card case needs a rule, a valid one none");
    if (error.empty()) Die("valid cases go through `valid`");
    tests.push_back(ordered_json{{"tcId", id++},
                                 {"comment", comment},
                                 {"card", card},
                                 {"result", "invalid"},
                                 {"error", error},
                                 {"rule", rule}});
  };
  // A valid case also states what the parsed card holds.
  auto valid = [&](const std::string& comment, const std::string& card) {
    const PublicCard c = Must(PublicCard::ParseJson(card), comment.c_str());
    if (c.ToJson() != card) Die("a valid card does not round-trip: " + comment);
    ordered_json types = ordered_json::array();
    for (const CardKey& k : c.keys()) types.push_back(k.type);
    tests.push_back(ordered_json{{"tcId", id++},
                                 {"comment", comment},
                                 {"card", card},
                                 {"result", "valid"},
                                 {"version", c.version()},
                                 {"keyTypes", types},
                                 {"postQuantum", c.has_post_quantum_key()}});
  };

  const Identity& p = people[0].id;
  const std::string card = p.card().ToJson();
  const Bytes xwing = p.card().keys().at(0).key;
  const Bytes kx_pk = p.card().kx_public_key();
  const std::string xw = Base64UrlEncode(xwing);
  const std::string kid = Base64UrlEncode(p.key_id());
  const std::string sign = Base64UrlEncode(p.card().sign_public_key());
  const std::string kx = Base64UrlEncode(kx_pk);
  const std::string sig = Base64UrlEncode(p.card().signature());
  const std::string key_list = "[" + KeyJson(3, xw) + "]";
  // `card` with its "keys" value replaced (JSON text).
  auto with_keys = [&](const std::string& value) {
    return ReplaceOnce(card, "\"keys\":" + key_list, "\"keys\":" + value);
  };
  auto signed_with = [&](const Bytes& kx_key, std::vector<CardKey> keys) {
    return internal::SelfSignedCardV2ForTesting(p, kx_key, std::move(keys)).ToJson();
  };

  // --- valid cards ---
  for (const Person& person : people) {
    valid("post-quantum card of " + person.key, person.id.card().ToJson());
  }
  valid("X-Wing key and keys of the unknown types 4 and 255 (kept, re-serialised)",
        signed_with(kx_pk, {{3, xwing}, {4, Bytes{0x04}}, {255, Bytes(300, 0xff)}}));
  valid("only a key of the unknown type 200: a version 2 card without a post-quantum key",
        signed_with(kx_pk, {{200, Bytes(64, 0xc8)}}));
  const Identity classic = Must(
      Identity::FromSeed(SecretBytes::CopyFrom(people[0].seed), "Patient P", "patient", kCreated),
      "classic identity");
  const std::string v1_card = classic.card().ToJson();
  valid("the version 1 card of the same seed (identity/card_v1.json) still parses", v1_card);

  // --- general JSON rules (§1.2), one limit for every card version ---
  add("G1", "a valid version 2 card padded with whitespace to 4097 bytes",
      card + std::string(kMaxCardJsonBytes + 1 - card.size(), ' '), "TOO_LARGE");
  add("G2", "UTF-8 byte order mark before the card", "\xEF\xBB\xBF" + card, "MALFORMED");
  add("G3", "NUL byte after the card", card + std::string(1, '\0'), "MALFORMED");
  add("G4", "lone high surrogate escape in the name",
      ReplaceOnce(card, "\"Patient P\"", "\"Patient \\ud800\""), "MALFORMED");
  add("G5", "text after the card", card + " x", "MALFORMED");
  add("G6", "keys nested to depth 17", with_keys(std::string(16, '[') + std::string(16, ']')),
      "MALFORMED");
  add("G7", "keys twice", ReplaceOnce(card, "\"keys\":", "\"keys\":[],\"keys\":"), "MALFORMED");
  add("G8", "a JSON array", "[" + card + "]", "MALFORMED");

  // --- type, version, member set ---
  add("C1", "type of a record", ReplaceOnce(card, "\"medseal.card\"", "\"medseal.record\""),
      "MALFORMED");
  add("C2", "version \"2\" (a string)", ReplaceOnce(card, "\"v\":2", "\"v\":\"2\""), "MALFORMED");
  add("C2", "version 2.0", ReplaceOnce(card, "\"v\":2", "\"v\":2.0"), "MALFORMED");
  add("C3", "version 3", ReplaceOnce(card, "\"v\":2", "\"v\":3"), "UNSUPPORTED_VERSION");
  add("C3", "version 3 without keys (C3 before the member set)",
      ReplaceOnce(v1_card, "\"v\":1", "\"v\":3"), "UNSUPPORTED_VERSION");
  add("C4", "a version 2 card relabelled version 1 (keys is not a version 1 member)",
      ReplaceOnce(card, "\"v\":2", "\"v\":1"), "MALFORMED");
  add("E1", "a version 1 card relabelled version 2 (keys missing)",
      ReplaceOnce(v1_card, "\"v\":1", "\"v\":2"), "MALFORMED");
  add("E1", "an unknown member", ReplaceOnce(card, "\"v\":2", "\"v\":2,\"xwing\":\"\""),
      "MALFORMED");
  add("E1", "sig missing", ReplaceOnce(card, ",\"sig\":\"" + sig + "\"", ""), "MALFORMED");

  // --- kid, sign, kx: C5-C13 as in version 1 ---
  auto member = [&](const std::string& name, const std::string& old, const std::string& value) {
    return ReplaceOnce(card, "\"" + name + "\":\"" + old + "\"", "\"" + name + "\":" + value);
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
  add("C10", "sign of 31 bytes", member("sign", sign, Quoted(Base64UrlEncode(Bytes(31, 4)))),
      "MALFORMED");
  add("C11", "kx is true", member("kx", kx, "true"), "MALFORMED");
  add("C12/D2", "kx of 45 characters", member("kx", kx, Quoted(kx + "AA")), "MALFORMED");
  add("C13", "kx of 33 bytes", member("kx", kx, Quoted(Base64UrlEncode(Bytes(33, 4)))),
      "MALFORMED");
  add("C13", "kx of 33 bytes and keys empty (kx before keys)",
      ReplaceOnce(with_keys("[]"), "\"kx\":\"" + kx + "\"",
                  "\"kx\":" + Quoted(Base64UrlEncode(Bytes(33, 4)))),
      "MALFORMED");

  // --- keys: E2-E12 ---
  add("E2", "keys is an object", with_keys("{\"type\":3,\"key\":" + Quoted(xw) + "}"), "MALFORMED");
  add("E2", "keys is a string", with_keys(Quoted(xw)), "MALFORMED");
  add("E3", "keys is empty", with_keys("[]"), "MALFORMED");
  add("E3", "keys empty and the name too long (keys before name)",
      ReplaceOnce(with_keys("[]"), "\"Patient P\"", Quoted(std::string(129, 'x'))), "MALFORMED");
  add("E4", "an element is a number", with_keys("[3]"), "MALFORMED");
  add("E4", "an element is an array", with_keys("[[3," + Quoted(xw) + "]]"), "MALFORMED");
  add("E4", "an element without key", with_keys("[{\"type\":3}]"), "MALFORMED");
  add("E4", "an element with a third member",
      with_keys("[{\"key\":" + Quoted(xw) + ",\"type\":3,\"use\":\"kem\"}]"), "MALFORMED");
  add("E5", "type \"3\" (a string)", with_keys("[{\"key\":" + Quoted(xw) + ",\"type\":\"3\"}]"),
      "MALFORMED");
  add("E5", "type 3.0", with_keys("[{\"key\":" + Quoted(xw) + ",\"type\":3.0}]"), "MALFORMED");
  add("E5", "type 256", with_keys("[{\"key\":\"AQ\",\"type\":256}]"), "MALFORMED");
  add("E5", "type -1", with_keys("[{\"key\":\"AQ\",\"type\":-1}]"), "MALFORMED");
  add("E5", "type 259 (3 + 256)", with_keys("[{\"key\":" + Quoted(xw) + ",\"type\":259}]"),
      "MALFORMED");
  add("E6", "type 0 (reserved)", with_keys("[" + KeyJson(0, "AQ") + "]"), "MALFORMED");
  add("E6", "type 1 (X25519 is kx, never in the list)",
      with_keys("[" + KeyJson(1, kx) + "," + KeyJson(3, xw) + "]"), "MALFORMED");
  add("E6", "type 2 (vault keys are never card keys)",
      with_keys("[" + KeyJson(2, kx) + "," + KeyJson(3, xw) + "]"), "MALFORMED");
  add("E7", "key is null", with_keys("[{\"key\":null,\"type\":3}]"), "MALFORMED");
  add("E7", "key is an array of bytes", with_keys("[{\"key\":[1,2],\"type\":7}]"), "MALFORMED");
  add("E8/D1", "X-Wing key with '+'", with_keys("[" + KeyJson(3, "+" + xw.substr(1)) + "]"),
      "MALFORMED");
  add("E8/D1", "X-Wing key in the standard alphabet ('/')",
      with_keys("[" + KeyJson(3, xw.substr(0, 100) + "/" + xw.substr(101)) + "]"), "MALFORMED");
  add("E8/D2", "X-Wing key of 1625 characters (1 mod 4)",
      with_keys("[" + KeyJson(3, xw + "AAA") + "]"), "MALFORMED");
  add("E8/D3", "X-Wing key with '=='", with_keys("[" + KeyJson(3, xw + "==") + "]"),
      "NON_CANONICAL");
  add("E8/D4", "X-Wing key with a non-zero unused bit",
      with_keys("[" + KeyJson(3, WithUnusedBit(xw)) + "]"), "NON_CANONICAL");
  add("E9", "a key of the unknown type 7 of 0 bytes",
      with_keys("[" + KeyJson(3, xw) + "," + KeyJson(7, "") + "]"), "MALFORMED");
  add("E10", "X-Wing key of 1215 bytes",
      with_keys("[" + KeyJson(3, Base64UrlEncode(ByteView(xwing).first(1215))) + "]"), "MALFORMED");
  {
    Bytes longer = xwing;
    longer.push_back(0);
    add("E10", "X-Wing key of 1217 bytes",
        with_keys("[" + KeyJson(3, Base64UrlEncode(longer)) + "]"), "MALFORMED");
  }
  add("E10", "X-Wing key of 32 bytes (an X25519 key alone)", with_keys("[" + KeyJson(3, kx) + "]"),
      "MALFORMED");
  add("E11", "type 3 twice", with_keys("[" + KeyJson(3, xw) + "," + KeyJson(3, xw) + "]"),
      "MALFORMED");
  add("E11", "types 3, 4, 3 (listed twice, also out of order: E11 before E12)",
      with_keys("[" + KeyJson(3, xw) + "," + KeyJson(4, "BA") + "," + KeyJson(3, xw) + "]"),
      "MALFORMED");
  add("E5", "type 3 twice, then a type 300 (every element is read before E11)",
      with_keys("[" + KeyJson(3, xw) + "," + KeyJson(3, xw) + ",{\"key\":\"AQ\",\"type\":300}]"),
      "MALFORMED");
  add("E12", "types 4, 3", with_keys("[" + KeyJson(4, "BA") + "," + KeyJson(3, xw) + "]"),
      "NON_CANONICAL");
  add("E12", "types 3, 9, 5",
      with_keys("[" + KeyJson(3, xw) + "," + KeyJson(9, "CQ") + "," + KeyJson(5, "BQ") + "]"),
      "NON_CANONICAL");

  // --- name, role, created, sig: C14-C24 as in version 1 ---
  add("C14", "name is a number", ReplaceOnce(card, "\"Patient P\"", "5"), "MALFORMED");
  add("C15", "name over 128 bytes",
      ReplaceOnce(card, "\"Patient P\"", Quoted(std::string(129, 'x'))), "TOO_LARGE");
  add("C16", "line feed in the name", ReplaceOnce(card, "\"Patient P\"", "\"Patient\\nP\""),
      "MALFORMED");
  add("C17", "role is a number", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":7"),
      "MALFORMED");
  add("C18", "empty role", ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"\""), "MALFORMED");
  add("C19", "role of 33 bytes",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":" + Quoted(std::string(33, 'r'))),
      "TOO_LARGE");
  add("C20", "role with an upper-case letter",
      ReplaceOnce(card, "\"role\":\"patient\"", "\"role\":\"Patient\""), "MALFORMED");
  add("C21", "negative creation time", ReplaceOnce(card, "1700000000000", "-1"), "MALFORMED");
  add("C21", "created 2^53", ReplaceOnce(card, "1700000000000", "9007199254740992"), "MALFORMED");
  add("C22", "sig is an object", member("sig", sig, "{}"), "MALFORMED");
  add("C23/D1", "sig in the standard base64 alphabet",
      member("sig", sig, Quoted("/" + sig.substr(1))), "MALFORMED");
  add("C23/D3", "sig padded", member("sig", sig, Quoted(sig + "==")), "NON_CANONICAL");
  add("C24", "sig of 63 bytes", member("sig", sig, Quoted(Base64UrlEncode(Bytes(63, 1)))),
      "MALFORMED");

  // --- key id, signature, keys' checks: E13-E17 ---
  add("E13", "kid of the version 1 card of the same two keys (key id v1, not v2)",
      ReplaceOnce(card, kid, Base64UrlEncode(classic.key_id())), "KEY_ID_MISMATCH");
  add("E13", "kid of another identity",
      ReplaceOnce(card, kid, Base64UrlEncode(people[1].id.key_id())), "KEY_ID_MISMATCH");
  {
    Bytes other = xwing;
    other[100] ^= 0x01;
    add("E13", "X-Wing key changed, kid kept (the key id covers every key)",
        ReplaceOnce(card, xw, Base64UrlEncode(other)), "KEY_ID_MISMATCH");
    const Bytes other_kid = DeriveKeyIdV2(p.card().sign_public_key(), kx_pk, {{3, other}});
    add("E14", "X-Wing key changed after signing, kid recomputed",
        ReplaceOnce(ReplaceOnce(card, xw, Base64UrlEncode(other)), kid, Base64UrlEncode(other_kid)),
        "SIGNATURE_INVALID");
  }
  {
    std::string bad_sig = sig;
    bad_sig[0] = bad_sig[0] == 'A' ? 'B' : 'A';
    add("E14", "signature altered", ReplaceOnce(card, sig, bad_sig), "SIGNATURE_INVALID");
  }
  add("E14", "name changed after signing", ReplaceOnce(card, "\"Patient P\"", "\"Patient Q\""),
      "SIGNATURE_INVALID");
  add("E14", "created changed after signing", ReplaceOnce(card, "1700000000000", "1700000000001"),
      "SIGNATURE_INVALID");
  {
    // The version 1 signed bytes of the same fields, signed by the card's
    // key: the labels keep a signature from moving between versions.
    Bytes v1_signed;
    ByteWriter w(v1_signed);
    w.Label("medseal/v1/card");
    w.Raw(p.card().sign_public_key());
    w.Raw(kx_pk);
    w.Str8(p.card().name());
    w.Str8(p.card().role());
    w.U64(static_cast<uint64_t>(p.card().created()));
    add("E14", "signed over the version 1 layout (medseal/v1/card, no key list)",
        ReplaceOnce(card, sig, Base64UrlEncode(p.Sign(v1_signed))), "SIGNATURE_INVALID");
  }
  {
    const std::string with_unknown = signed_with(kx_pk, {{3, xwing}, {4, Bytes{0x04}}});
    const Bytes changed_kid = DeriveKeyIdV2(p.card().sign_public_key(), kx_pk,
                                            {{3, xwing}, {4, Bytes{0x05}}});
    const PublicCard uc = Must(PublicCard::ParseJson(with_unknown), "card with unknown key");
    add("E14", "a key of the unknown type 4 changed after signing, kid recomputed",
        ReplaceOnce(ReplaceOnce(with_unknown, KeyJson(4, "BA"), KeyJson(4, "BQ")),
                    Base64UrlEncode(uc.key_id()), Base64UrlEncode(changed_kid)),
        "SIGNATURE_INVALID");
  }
  // Properly self-signed cards with bad keys (internal hook).
  const Bytes order8 =
      HexDecode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800").value();
  Bytes bad_mlkem = xwing;  // first 12-bit coefficient 0xfff >= q = 3329
  bad_mlkem[0] = 0xff;
  bad_mlkem[1] = static_cast<uint8_t>(bad_mlkem[1] | 0x0f);
  if (CheckMlKem768PublicKey(ByteView(bad_mlkem).first(kMlKem768PublicKeySize)).code() !=
      ErrorCode::kInvalidKey) {
    Die("the altered ML-KEM key passes the modulus check");
  }
  Bytes zero_x = xwing;
  std::fill(zero_x.begin() + kMlKem768PublicKeySize, zero_x.end(), 0);
  Bytes order8_x = xwing;
  std::copy(order8.begin(), order8.end(), order8_x.begin() + kMlKem768PublicKeySize);
  Bytes both = bad_mlkem;
  std::fill(both.begin() + kMlKem768PublicKeySize, both.end(), 0);
  add("E15", "kx all zero (small order) on a self-signed version 2 card",
      signed_with(Bytes(32, 0), {{3, xwing}}), "WEAK_KEY");
  add("E15", "kx of order 8 and an invalid ML-KEM key (E15 before E16)",
      signed_with(order8, {{3, bad_mlkem}}), "WEAK_KEY");
  const std::string invalid_mlkem = signed_with(kx_pk, {{3, bad_mlkem}});
  add("E16", "X-Wing key whose first ML-KEM coefficient is 4095 (>= q, FIPS 203 7.2)",
      invalid_mlkem, "INVALID_KEY");
  add("E14", "an invalid ML-KEM key and a changed name (the signature is checked first)",
      ReplaceOnce(invalid_mlkem, "\"Patient P\"", "\"Patient Q\""), "SIGNATURE_INVALID");
  add("E16", "X-Wing key with an invalid ML-KEM part and an all-zero X25519 part (E16 first)",
      signed_with(kx_pk, {{3, both}}), "INVALID_KEY");
  add("E17", "X-Wing key whose X25519 part is all zero", signed_with(kx_pk, {{3, zero_x}}),
      "WEAK_KEY");
  add("E17", "X-Wing key whose X25519 part has order 8", signed_with(kx_pk, {{3, order8_x}}),
      "WEAK_KEY");
  add("E14", "X25519 part of order 8 and a changed role (the signature is checked first)",
      ReplaceOnce(signed_with(kx_pk, {{3, order8_x}}), "\"role\":\"patient\"",
                  "\"role\":\"nurse\""),
      "SIGNATURE_INVALID");

  ordered_json file{{"algorithm", "medseal public card v2"},
                    {"spec", "docs/spec/record.md"},
                    {"notes",
                     "Parse `card` with full verification. A valid card must re-serialize to the "
                     "same text and have `version`, the key types `keyTypes` (in order) and "
                     "`postQuantum` (it has an X-Wing key); an invalid one must fail with "
                     "`error`. `rule` names the spec rule an invalid case breaks. Each identity "
                     "is Identity.FromSeed(seed, name, role, created, post-quantum): its X-Wing "
                     "seed is `xwingSeed` (spec section 3) and its card `card`."},
                    {"numberOfTests", tests.size()},
                    {"identities", ordered_json::object()},
                    {"tests", tests}};
  for (const Person& person : people) file["identities"][person.key] = PersonJson(person);
  const std::string path = dir + "/identity/card_v2.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
