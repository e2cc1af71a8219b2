// SPDX-License-Identifier: Apache-2.0
// consent/share_v1.json (docs/spec/share.md §2, §3): see consent_vectors.h.
// Every case goes through the JSON forms the package uses (ShareFromJson,
// WithdrawFromJson, ResealFromJson), so that the Node suite can replay the
// same inputs with the same deterministic RNG and compare the outputs byte
// for byte.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/codec/base64url.h"
#include "core/codec/hex.h"
#include "core/consent/share.h"
#include "core/consent/withdraw.h"
#include "native-tests/consent/share_fixtures.h"
#include "native-tests/vectors/generate/consent_vectors.h"

namespace medseal::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (share): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().ToString());
  return std::move(r).value();
}

struct Person {
  std::string key;
  uint8_t fill;
  std::string name, role, reference;
};

const Person kPeople[] = {{"patient", 1, "Pat", "patient", "Patient/p1"},
                          {"a", 40, "Dr A", "doctor", "Practitioner/a"},
                          {"b", 80, "Dr B", "doctor", "Practitioner/b"},
                          {"c", 120, "Researcher C", "researcher", "Practitioner/c"}};

json ActorJson(const Person& p) {
  return json{
      {"references", {{{"reference", p.reference}}}},
      {"roles", {{{"system", std::string(fhir::kParticipationTypeSystem)}, {"code", "PRCP"}}}}};
}

// Candidates a, b, c (cards 0, 1, 2).
json Request(const std::vector<std::string>& consents, const std::string& purpose = "TREAT") {
  json candidates = json::array();
  for (int i = 1; i < 4; ++i)
    candidates.push_back({{"card", i - 1}, {"actor", ActorJson(kPeople[i])}});
  return json{{"purpose", {{"system", std::string(fhir::kActReasonSystem)}, {"code", purpose}}},
              {"candidates", candidates},
              {"consents", consents}};
}

}  // namespace

void GenerateShareVectors(const std::string& dir) {
  using namespace medseal::consent;  // NOLINT(google-build-using-namespace)
  std::filesystem::create_directories(dir + "/consent");
  std::vector<Identity> ids;
  ordered_json identities = ordered_json::object();
  for (const Person& p : kPeople) {
    ids.push_back(FixtureIdentity(p.fill, p.name.c_str(), p.role.c_str()));
    Bytes seed(32);
    for (size_t i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(p.fill + i);
    identities[p.key] = ordered_json{
        {"seed", HexEncode(seed)},  {"name", p.name},
        {"role", p.role},           {"created", ids.back().card().created()},
        {"reference", p.reference}, {"card", ids.back().card().ToJson()}};
  }
  const Identity& patient = ids[0];
  const PublicCard* cards[] = {&ids[1].card(), &ids[2].card(), &ids[3].card()};

  // Signed consents.
  const SignedConsent c1 = SignFixture(
      patient, R4Consent("c1", {"Practitioner/a", "Practitioner/b"}, "TREAT"));
  const SignedConsent c2 = SignFixture(patient,
                                       R4Consent("c2", {"Practitioner/a"}, "TREAT", {"PSY"}));
  const std::string c1_json = Must(c1.ToJson(), "c1");
  const std::string c2_json = Must(c2.ToJson(), "c2");
  ordered_json consents{
      {"c1", {{"receipt", c1_json}, {"hash", HexEncode(Must(ConsentHash(c1), "hash"))}}},
      {"c2", {{"receipt", c2_json}, {"hash", HexEncode(Must(ConsentHash(c2), "hash"))}}}};

  // Withdrawals (deterministic: Ed25519 and a fixed clock).
  FixedClock clock(kShareNow);
  ordered_json withdrawals = ordered_json::array();
  auto withdraw = [&](const std::string& comment, const std::string& receipt, const json& what) {
    const std::string out = Must(WithdrawFromJson(patient, receipt, what.dump(), clock),
                                 "withdraw " + comment);
    withdrawals.push_back(ordered_json{{"comment", comment},
                                       {"receipt", receipt},
                                       {"withdrawal", what.dump()},
                                       {"now", kShareNow},
                                       {"result", out}});
    return out;
  };
  const std::string c1_without_b = withdraw(
      "c1 without Practitioner/b", c1_json,
      json{{"scope", "actor"}, {"actor", {{"reference", {{"reference", "Practitioner/b"}}}}}});
  const std::string c2_inactive = withdraw("c2 withdrawn whole", c2_json, json{{"scope", "whole"}});
  auto withdraw_error = [&](const std::string& comment, const std::string& receipt,
                            const std::string& what, ErrorCode expected) {
    auto r = WithdrawFromJson(patient, receipt, what, clock);
    if (r.ok() || r.status().code() != expected) Die("withdraw error case " + comment);
    withdrawals.push_back(ordered_json{{"comment", comment},
                                       {"receipt", receipt},
                                       {"withdrawal", what},
                                       {"now", kShareNow},
                                       {"error", std::string(ErrorCodeName(expected))}});
  };
  withdraw_error("an inactive consent", c2_inactive, R"({"scope":"whole"})",
                 ErrorCode::kConsentInactive);
  withdraw_error("nothing permits Practitioner/zz", c1_json,
                 R"({"scope":"actor","actor":{"reference":{"reference":"Practitioner/zz"}}})",
                 ErrorCode::kInvalidArgument);
  withdraw_error("an unknown scope", c1_json, R"({"scope":"some"})", ErrorCode::kMalformed);
  withdraw_error("not a receipt", "{}", R"({"scope":"whole"})", ErrorCode::kMalformed);

  // Shares: each with its own RNG seed.
  const std::string bundle = FixtureBundle().dump();
  ordered_json shares = ordered_json::array();
  std::vector<std::string> outputs;
  auto share = [&](const std::string& comment, const json& request, uint8_t seed_byte) {
    const Bytes seed(32, seed_byte);
    ChaChaRng rng(seed);
    const std::string out = Must(
        ShareFromJson(patient, bundle, request.dump(), cards, nullptr, rng, clock),
        "share " + comment);
    shares.push_back(ordered_json{{"comment", comment},
                                  {"resource", bundle},
                                  {"request", request.dump()},
                                  {"rngSeed", HexEncode(seed)},
                                  {"now", kShareNow},
                                  {"result", out}});
    outputs.push_back(out);
  };
  share("treatment consent: glucose to A and B, the PSY condition withheld", Request({c1_json}),
        0x31);
  share("with a consent naming PSY for A", Request({c1_json, c2_json}), 0x32);
  share("after B's withdrawal (both versions given)", Request({c1_json, c1_without_b, c2_json}),
        0x33);
  share("after the PSY consent's withdrawal", Request({c1_json, c2_json, c2_inactive}), 0x34);
  share("a purpose no consent permits", Request({c1_json, c2_json}, "HRESCH"), 0x35);
  auto share_error = [&](const std::string& comment, const std::string& resource,
                         const std::string& request, ErrorCode expected) {
    ChaChaRng rng(Bytes(32, 0x36));
    auto r = ShareFromJson(patient, resource, request, cards, nullptr, rng, clock);
    if (r.ok() || r.status().code() != expected) {
      Die("share error case " + comment + ": " + (r.ok() ? "ok" : r.status().ToString()));
    }
    shares.push_back(ordered_json{{"comment", comment},
                                  {"resource", resource},
                                  {"request", request},
                                  {"rngSeed", HexEncode(Bytes(32, 0x36))},
                                  {"now", kShareNow},
                                  {"error", std::string(ErrorCodeName(expected))}});
  };
  json twice = Request({c1_json});
  twice["candidates"][1] = twice["candidates"][0];
  share_error("one card twice", bundle, twice.dump(), ErrorCode::kDuplicateRecipient);
  json no_candidates = Request({c1_json});
  no_candidates["candidates"] = json::array();
  share_error("no candidate", bundle, no_candidates.dump(), ErrorCode::kInvalidArgument);
  json card_out_of_range = Request({c1_json});
  card_out_of_range["candidates"][0]["card"] = 3;
  share_error("a card index out of range", bundle, card_out_of_range.dump(),
              ErrorCode::kInvalidArgument);
  share_error("an unknown purpose", bundle, Request({c1_json}, "NOT-A-PURPOSE").dump(),
              ErrorCode::kUnknownCode);
  share_error("a Bundle entry without a resource", R"({"resourceType":"Bundle","entry":[{}]})",
              Request({c1_json}).dump(), ErrorCode::kMalformed);
  share_error("a bad date", R"({"resourceType":"Observation","issued":"2026-13-01"})",
              Request({c1_json}).dump(), ErrorCode::kMalformed);
  share_error("a resource that is not JSON", "{", Request({c1_json}).dump(), ErrorCode::kMalformed);
  {
    // A consent signed by A, not by the patient.
    const SignedConsent foreign = SignFixture(ids[1], R4Consent("c9", {"Practitioner/a"}, "TREAT"));
    share_error("a consent the patient did not sign", bundle,
                Request({Must(foreign.ToJson(), "foreign")}).dump(), ErrorCode::kSenderMismatch);
  }

  // Reseal the first share's glucose record (opened by A) after B's
  // withdrawal.
  const json first = json::parse(outputs[0]);
  const std::string glucose = first["resources"][0]["record"].get<std::string>();
  const json records{{"records", {glucose}}};
  const json reseal_request = Request({c1_json, c1_without_b});
  const Bytes reseal_seed(32, 0x37);
  ChaChaRng reseal_rng(reseal_seed);
  const ResealOpener opener{nullptr, &ids[1]};
  const std::string resealed = Must(
      ResealFromJson(patient, records.dump(), patient.card(), opener, reseal_request.dump(), cards,
                     nullptr, reseal_rng, clock),
      "reseal");
  ordered_json reseal{{"comment", "the glucose record re-sealed after B's withdrawal, opened as A"},
                      {"records", records.dump()},
                      {"opener", "a"},
                      {"originalSender", "patient"},
                      {"request", reseal_request.dump()},
                      {"rngSeed", HexEncode(reseal_seed)},
                      {"now", kShareNow},
                      {"result", resealed},
                      {"cannotOpen", "b"},
                      {"canOpen", "a"}};

  ordered_json file{{"algorithm", "medseal consent-gated sharing and withdrawal v1"},
                    {"spec", "docs/spec/share.md, sections 2, 3 and 6"},
                    {"candidates", "cards [a, b, c] of identities"},
                    {"sender", "patient"},
                    {"identities", identities},
                    {"consents", consents},
                    {"numberOfShareTests", shares.size()},
                    {"shareTests", shares},
                    {"numberOfWithdrawalTests", withdrawals.size()},
                    {"withdrawalTests", withdrawals},
                    {"reseal", reseal}};
  std::ofstream out(dir + "/consent/share_v1.json", std::ios::binary);
  if (!out) Die("cannot write share_v1.json");
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
