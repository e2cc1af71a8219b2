// SPDX-License-Identifier: Apache-2.0
// log/safety_v1.json (docs/spec/log.md §10): see safety_vectors.h. Fixed
// cards (version 1 and version 2), each card's key encoding, fingerprint and
// digits, the safety number of pairs of them, their QR payloads, and QR
// payloads that a scanner must reject (rules Q1-Q6, V1-V2), each with the
// code NAME it gets.
#include "native-tests/vectors/generate/safety_vectors.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "core/log/safety.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;
constexpr UnixMillis kCreated = 1700000000000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (safety): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

struct Person {
  std::string key;
  uint8_t seed_byte;
  std::string name, role;
  CardKeys keys;
};

}  // namespace

void GenerateSafetyVectors(const std::string& dir) {
  const std::vector<Person> people = {
      {"patient", 0x01, "Patient P", "patient", CardKeys::kClassic},
      {"clinician", 0x02, "Dr. C", "clinician", CardKeys::kClassic},
      {"nurse", 0x03, "Nurse N", "nurse", CardKeys::kClassic},
      // What a dishonest server would hand out as the patient's card: the
      // same name and role, other keys.
      {"fake-patient", 0x09, "Patient P", "patient", CardKeys::kClassic},
      {"patient-pq", 0x01, "Patient P", "patient", CardKeys::kPostQuantum},
      {"clinician-pq", 0x02, "Dr. C", "clinician", CardKeys::kPostQuantum},
  };
  std::map<std::string, PublicCard> cards;
  ordered_json cards_json = ordered_json::object();
  for (const Person& p : people) {
    Identity id = Must(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, p.seed_byte)), p.name,
                                          p.role, kCreated, p.keys),
                       p.key.c_str());
    const PublicCard& c = id.card();
    cards_json[p.key] = ordered_json{
        {"seed", HexEncode(Bytes(32, p.seed_byte))},
        {"name", p.name},
        {"role", p.role},
        {"created", kCreated},
        {"cardKeys", p.keys == CardKeys::kClassic ? "classic" : "postQuantum"},
        {"card", c.ToJson()},
        {"keyId", HexEncode(c.key_id())},
        {"safetyCardKeys", HexEncode(tlog::SafetyCardKeys(c))},
        {"fingerprint", HexEncode(tlog::SafetyFingerprint(c))},
        {"digits", tlog::SafetyDigits(c)}};
    cards.emplace(p.key, c);
  }

  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"patient", "clinician"},      {"clinician", "patient"},       {"patient", "nurse"},
      {"fake-patient", "clinician"}, {"patient-pq", "clinician-pq"}, {"patient", "clinician-pq"},
      {"patient", "patient-pq"},
  };
  ordered_json pairs_json = ordered_json::array();
  for (const auto& [a, b] : pairs) {
    const std::string number = Must(tlog::SafetyNumber(cards.at(a), cards.at(b)), "number");
    pairs_json.push_back(ordered_json{
        {"a", a},
        {"b", b},
        {"safetyNumber", number},
        {"formatted", Must(tlog::FormatSafetyNumber(number), "format")},
        {"qrAB", HexEncode(Must(tlog::SafetyQrPayload(cards.at(a), cards.at(b)), "qr"))},
        {"qrBA", HexEncode(Must(tlog::SafetyQrPayload(cards.at(b), cards.at(a)), "qr"))}});
  }

  // QR cases: `payload` scanned by the device whose card is `scanner`, which
  // holds `shown` as the card of the person whose screen it scans.
  ordered_json tests = ordered_json::array();
  int tc = 1;
  auto add = [&](const std::string& rule, const std::string& comment, const Bytes& payload,
                 const std::string& scanner, const std::string& shown) {
    const Status s = tlog::VerifySafetyQr(payload, cards.at(scanner), cards.at(shown));
    if (rule.empty() != s.ok()) Die("case outcome does not match its rule: " + comment);
    ordered_json t{
        {"tcId", tc++},       {"comment", comment}, {"payload", HexEncode(payload)},
        {"scanner", scanner}, {"shown", shown},     {"result", s.ok() ? "valid" : "invalid"}};
    if (!s.ok()) {
      t["error"] = std::string(ErrorCodeName(s.code()));
      t["rule"] = rule;
    }
    tests.push_back(std::move(t));
  };
  const Bytes good = Must(tlog::SafetyQrPayload(cards.at("patient"), cards.at("clinician")), "qr");
  const Bytes good_pq = Must(
      tlog::SafetyQrPayload(cards.at("patient-pq"), cards.at("clinician-pq")), "qr");
  add("", "the patient's QR scanned by the clinician", good, "clinician", "patient");
  add("", "version 2 cards", good_pq, "clinician-pq", "patient-pq");
  add("Q2", "empty", Bytes{}, "clinician", "patient");
  add("Q1", "another magic", Bytes{'M', 'S', 'S', 'X', 1}, "clinician", "patient");
  {
    Bytes b = good;
    b[0] = 'm';
    add("Q1", "magic in lower case", b, "clinician", "patient");
  }
  add("Q1", "a wrong first byte alone", Bytes{'X'}, "clinician", "patient");
  add("Q2", "the magic's first two bytes", Bytes{'M', 'S'}, "clinician", "patient");
  add("Q2", "the magic without a version", Bytes{'M', 'S', 'S', 'N'}, "clinician", "patient");
  {
    Bytes b = good;
    b[4] = 2;
    add("Q3", "version 2", b, "clinician", "patient");
    b[4] = 0;
    add("Q3", "version 0", b, "clinician", "patient");
    b.resize(5);
    add("Q3", "version 0 and nothing after it (Q3 before Q4)", b, "clinician", "patient");
  }
  add("Q4", "the magic and version only", Bytes(good.begin(), good.begin() + 5), "clinician",
      "patient");
  add("Q4", "one byte short", Bytes(good.begin(), good.end() - 1), "clinician", "patient");
  {
    Bytes b = good;
    b.push_back(0);
    add("Q5", "one byte more", b, "clinician", "patient");
  }
  {
    Bytes b = good;
    std::copy(b.begin() + 5, b.begin() + 5 + 48, b.begin() + 5 + 48);
    add("Q6", "the same card as self and peer", b, "clinician", "patient");
  }
  add("V1", "the patient's QR for the clinician, scanned by the nurse", good, "nurse", "patient");
  {
    Bytes b = good;
    b.back() ^= 0x01;
    add("V1", "the peer fingerprint's last bit flipped", b, "clinician", "patient");
  }
  add("V1", "the clinician's device holds the fake patient card and shows it; the patient scans",
      Must(tlog::SafetyQrPayload(cards.at("clinician"), cards.at("fake-patient")), "qr"), "patient",
      "clinician");
  add("V2", "the clinician holds the fake patient card and scans the patient's QR", good,
      "clinician", "fake-patient");
  {
    Bytes b = good;
    b[5 + 16] ^= 0x80;
    add("V2", "the self fingerprint's first bit flipped", b, "clinician", "patient");
  }
  add("V2", "the clinician holds the patient's version 1 card; the patient shows version 2",
      Must(tlog::SafetyQrPayload(cards.at("patient-pq"), cards.at("clinician")), "qr"), "clinician",
      "patient");

  ordered_json file{
      {"algorithm", "medseal safety numbers v1"},
      {"spec", "docs/spec/log.md §10"},
      {"notes",
       "cards: Identity::FromSeed(seed, name, role, created, cardKeys) gives `card`; "
       "SafetyCardKeys, SafetyFingerprint (hex) and SafetyDigits are as given. pairs: "
       "SafetyNumber(a, b) is `safetyNumber` (the same for (b, a)), FormatSafetyNumber gives "
       "`formatted`, SafetyQrPayload(a, b) is `qrAB` and SafetyQrPayload(b, a) `qrBA`. tests: "
       "VerifySafetyQr(payload, card of `scanner`, card of `shown`) succeeds (valid) or fails "
       "with `error`; `rule` names the spec rule that decides."},
      {"iterations", tlog::kSafetyIterations},
      {"cards", cards_json},
      {"pairs", pairs_json},
      {"numberOfTests", tests.size()},
      {"tests", tests}};
  std::filesystem::create_directories(dir + "/log");
  const std::string path = dir + "/log/safety_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
