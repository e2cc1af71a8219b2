// SPDX-License-Identifier: Apache-2.0
// core/fhir/consent_resource.h: FHIR R4 / R5 Consent <-> the model
// (docs/spec/fhir-consent.md). The HL7 examples (all 12 R4, all 12 R5, and
// IHE BALP's) are read through native-tests/vectors/fhir/consent_examples.json,
// which also gives the unsupported paths and provision types each must yield.
#include "core/fhir/consent_resource.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "native-tests/support/test_util.h"

namespace medseal::fhir {
namespace {

using testing::LoadVectorJson;
using testing::ReadVectorFile;

FhirVersion VersionOf(const std::string& name) {
  return name == "R5" ? FhirVersion::kR5 : FhirVersion::kR4;
}
FhirVersion Other(FhirVersion v) {
  return v == FhirVersion::kR4 ? FhirVersion::kR5 : FhirVersion::kR4;
}

// Removes one path ("provision.provision[1].extension", "meta.tag") from a
// document; false if it is not there.
bool RemovePath(Json* doc, const std::string& path) {
  std::vector<std::string> keys;
  std::vector<std::vector<size_t>> indices;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string tok = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    std::vector<size_t> idx;
    size_t br;
    while ((br = tok.rfind('[')) != std::string::npos && tok.back() == ']') {
      idx.insert(idx.begin(), std::stoul(tok.substr(br + 1, tok.size() - br - 2)));
      tok = tok.substr(0, br);
    }
    keys.push_back(tok);
    indices.push_back(idx);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  Json* cur = doc;
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool last = i + 1 == keys.size();
    if (!cur->is_object() || !cur->contains(keys[i])) return false;
    if (last && indices[i].empty()) {
      cur->erase(keys[i]);
      return true;
    }
    cur = &(*cur)[keys[i]];
    for (size_t k = 0; k < indices[i].size(); ++k) {
      if (!cur->is_array() || indices[i][k] >= cur->size()) return false;
      if (last && k + 1 == indices[i].size()) {
        cur->erase(indices[i][k]);
        return true;
      }
      cur = &(*cur)[indices[i][k]];
    }
  }
  return false;
}

// Drops the objects and arrays that removing paths left empty.
void Prune(Json* j) {
  if (j->is_object()) {
    for (auto it = j->begin(); it != j->end();) {
      Prune(&it.value());
      if (it.value().is_structured() && it.value().empty()) {
        it = j->erase(it);
      } else {
        ++it;
      }
    }
  } else if (j->is_array()) {
    for (auto& e : *j) Prune(&e);
  }
}

void CollectTypes(const Provision& p, std::vector<std::string>* out) {
  out->push_back(p.type == ProvisionType::kPermit ? "permit" : "deny");
  for (const Provision& c : p.provision) CollectTypes(c, out);
}

struct Example {
  std::string file;
  FhirVersion version;
  std::vector<std::string> unsupported;
  std::vector<std::string> types;
  std::optional<std::string> base;
  std::string text;
};

std::vector<Example> LoadExamples() {
  Json doc = LoadVectorJson("fhir/consent_examples.json");
  std::vector<Example> out;
  for (const Json& e : doc.at("examples")) {
    Example x;
    x.file = e.at("file").get<std::string>();
    x.version = VersionOf(e.at("fhirVersion").get<std::string>());
    x.unsupported = e.at("unsupportedPaths").get<std::vector<std::string>>();
    x.types = e.at("provisionTypes").get<std::vector<std::string>>();
    if (!e.at("base").is_null()) x.base = e.at("base").get<std::string>();
    x.text = ReadVectorFile(x.file);
    out.push_back(std::move(x));
  }
  return out;
}

TEST(ConsentExamples, EveryFolderHoldsExactlyTheListedFiles) {
  Json doc = LoadVectorJson("fhir/consent_examples.json");
  std::set<std::string> listed;
  for (const Json& e : doc.at("examples")) listed.insert(e.at("file").get<std::string>());
  size_t total = 0;
  ASSERT_EQ(doc.at("folders").size(), 3u);
  for (auto it = doc.at("folders").begin(); it != doc.at("folders").end(); ++it) {
    const std::filesystem::path dir = std::filesystem::path(MEDSEAL_VECTORS_DIR) / it.key();
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    size_t count = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir)) {
      const std::string name = f.path().filename().string();
      if (name.rfind("Consent-", 0) != 0) continue;
      ++count;
      EXPECT_TRUE(listed.count(it.key() + "/" + name)) << name << " is not listed";
    }
    EXPECT_EQ(count, it.value().get<size_t>()) << it.key();
    total += count;
  }
  EXPECT_EQ(total, listed.size());
  EXPECT_EQ(total, 25u);  // 12 R4 + 12 R5 + 1 IHE BALP
}

TEST(ConsentExamples, ParseWithTheExpectedUnsupportedPathsAndTypes) {
  for (const Example& x : LoadExamples()) {
    SCOPED_TRACE(x.file);
    auto parsed = ParseConsent(x.text, x.version);
    ASSERT_OK(parsed);
    EXPECT_EQ(parsed->version, x.version);
    EXPECT_EQ(parsed->unsupported_paths, x.unsupported);
    std::vector<std::string> types;
    if (parsed->consent.provision) CollectTypes(*parsed->consent.provision, &types);
    EXPECT_EQ(types, x.types);
    std::optional<std::string> base;
    if (parsed->consent.base)
      base = *parsed->consent.base == ProvisionType::kPermit ? "permit" : "deny";
    EXPECT_EQ(base, x.base);
    // Detection reads every example as the version it is.
    auto any = ParseConsentAnyVersion(x.text);
    ASSERT_OK(any);
    EXPECT_EQ(any->version, x.version);
    EXPECT_EQ(any->consent, parsed->consent);
    EXPECT_EQ(any->unsupported_paths, parsed->unsupported_paths);
    // The other version's reader refuses it (members of the wrong version).
    EXPECT_CODE(ParseConsent(x.text, Other(x.version)), ErrorCode::kMalformed);
  }
}

// Write(Parse(x)) == x once exactly the reported paths are removed: a field
// the reader or the writer dropped makes the two differ.
TEST(ConsentExamples, SameVersionRoundTripKeepsEveryModeledField) {
  for (const Example& x : LoadExamples()) {
    SCOPED_TRACE(x.file);
    auto parsed = ParseConsent(x.text, x.version);
    ASSERT_OK(parsed);
    Json original = Json::parse(x.text);
    for (auto it = parsed->unsupported_paths.rbegin(); it != parsed->unsupported_paths.rend();
         ++it) {
      ASSERT_TRUE(RemovePath(&original, *it)) << *it;
    }
    Prune(&original);
    auto written = WriteConsent(parsed->consent, x.version);
    ASSERT_OK(written);
    EXPECT_EQ(*written, original) << written->dump() << "\n" << original.dump();
    // The text form is the same JSON, and reads back to the same model.
    auto text = WriteConsentText(parsed->consent, x.version);
    ASSERT_OK(text);
    EXPECT_EQ(Json::parse(*text), *written);
    auto again = ParseConsent(*text, x.version);
    ASSERT_OK(again);
    EXPECT_EQ(again->consent, parsed->consent);
    EXPECT_TRUE(again->unsupported_paths.empty());
  }
}

// R4 -> R5 -> R4 and R5 -> R4 -> R5: the other version's text carries every
// modeled field (natively or in the cross-version extensions, which the
// reader then models: no unsupported path), and comes back the same.
TEST(ConsentExamples, CrossVersionRoundTripsLoseNothing) {
  for (const Example& x : LoadExamples()) {
    SCOPED_TRACE(x.file);
    auto parsed = ParseConsent(x.text, x.version);
    ASSERT_OK(parsed);
    auto direct = WriteConsentText(parsed->consent, x.version);
    ASSERT_OK(direct);
    auto other_text = WriteConsentText(parsed->consent, Other(x.version));
    ASSERT_OK(other_text);
    auto other = ParseConsent(*other_text, Other(x.version));
    ASSERT_OK(other);
    EXPECT_TRUE(other->unsupported_paths.empty()) << *other_text;
    auto back = WriteConsentText(other->consent, x.version);
    ASSERT_OK(back);
    EXPECT_EQ(*back, *direct) << *other_text;
    auto reread = ParseConsent(*back, x.version);
    ASSERT_OK(reread);
    EXPECT_EQ(reread->consent, parsed->consent);
    // Every provision keeps its type across the versions.
    std::vector<std::string> a, b;
    if (parsed->consent.provision) CollectTypes(*parsed->consent.provision, &a);
    if (other->consent.provision) CollectTypes(*other->consent.provision, &b);
    if (!b.empty()) {
      EXPECT_EQ(a, b);
    }
  }
}

// Known answers for the writer: the exact text of every example written in
// both versions (the Node suite checks the same bytes from wasm).
TEST(ConsentExamples, WrittenTextIsTheKnownAnswer) {
  Json doc = LoadVectorJson("fhir/consent_written.json");
  const std::vector<Example> examples = LoadExamples();
  ASSERT_EQ(doc.at("cases").size(), 2 * examples.size());
  std::set<std::pair<std::string, std::string>> seen;
  for (const Json& c : doc.at("cases")) {
    const std::string file = c.at("file").get<std::string>();
    SCOPED_TRACE(file);
    const FhirVersion from = VersionOf(c.at("from").get<std::string>());
    const FhirVersion to = VersionOf(c.at("to").get<std::string>());
    seen.insert({file, c.at("to").get<std::string>()});
    auto parsed = ParseConsent(ReadVectorFile(file), from);
    ASSERT_OK(parsed);
    auto text = WriteConsentText(parsed->consent, to);
    ASSERT_OK(text);
    EXPECT_EQ(*text, c.at("json").get<std::string>());
  }
  EXPECT_EQ(seen.size(), 2 * examples.size());  // every example, both versions
}

TEST(ConsentMapping, R5ElementsLandInTheModel) {
  auto p = ParseConsent(
      ReadVectorFile("external/fhir/hl7-r5-consent/Consent-consent-example-CDA.json"),
      FhirVersion::kR5);
  ASSERT_OK(p);
  const Consent& c = p->consent;
  EXPECT_EQ(c.id, "consent-example-CDA");
  ASSERT_EQ(c.identifier.size(), 1u);
  EXPECT_EQ(c.identifier[0].value, "494e0c7a-a69e-4fb4-9d02-6aae747790d7");
  EXPECT_EQ(c.status, "active");
  ASSERT_TRUE(c.patient);
  EXPECT_EQ(c.patient->reference, "Patient/pat2");
  ASSERT_TRUE(c.date_time);
  EXPECT_EQ(c.date_time->text, "2018-12-28");
  ASSERT_EQ(c.grantee.size(), 1u);
  EXPECT_EQ(c.grantee[0].reference, "Patient/pat2");
  ASSERT_EQ(c.organization.size(), 1u);  // controller
  EXPECT_EQ(c.organization[0].reference, "Organization/f001");
  ASSERT_EQ(c.policy_rule.size(), 1u);  // regulatoryBasis
  EXPECT_EQ(c.policy_rule[0].coding[0].code, "INFA");
  ASSERT_TRUE(c.provision);
  const Provision& root = *c.provision;
  EXPECT_EQ(root.type, ProvisionType::kPermit);  // decision
  EXPECT_TRUE(root.type_written);
  EXPECT_TRUE(root.actor.empty());
  ASSERT_EQ(root.provision.size(), 1u);
  const Provision& top = root.provision[0];
  EXPECT_EQ(top.type, ProvisionType::kDeny);  // decision 2: negation of decision
  EXPECT_FALSE(top.type_written);
  ASSERT_TRUE(top.period);
  EXPECT_EQ(top.period->start->text, "2018-10-10");
  ASSERT_EQ(top.actor.size(), 1u);
  EXPECT_EQ(top.actor[0].role->coding[0].code, "PRCP");
  ASSERT_EQ(top.provision.size(), 1u);
  const Provision& inner = top.provision[0];
  EXPECT_EQ(inner.type, ProvisionType::kPermit);
  ASSERT_EQ(inner.klass.size(), 1u);  // documentType
  EXPECT_EQ(inner.klass[0].code, "application/hl7-cda+xml");
  ASSERT_EQ(inner.code.size(), 2u);
  EXPECT_EQ(inner.code[1].coding[0].code, "18842-5");
}

TEST(ConsentMapping, R4ElementsLandInTheModel) {
  auto p = ParseConsent(
      ReadVectorFile("external/fhir/hl7-r4-consent/Consent-consent-example-signature.json"),
      FhirVersion::kR4);
  ASSERT_OK(p);
  const Consent& c = p->consent;
  ASSERT_TRUE(c.scope);
  EXPECT_EQ(c.scope->coding[0].code, "patient-privacy");
  ASSERT_TRUE(c.period);  // root provision.period is the consent's period
  EXPECT_EQ(c.period->start->text, "2015-10-10");
  ASSERT_TRUE(c.provision);
  EXPECT_FALSE(c.provision->period);
  // Decision 1: OPTIN gives a base permit, and the root (it names an actor)
  // is an exception to it.
  EXPECT_EQ(c.base, ProvisionType::kPermit);
  EXPECT_EQ(c.provision->type, ProvisionType::kDeny);
  EXPECT_FALSE(c.provision->type_written);
  ASSERT_EQ(c.provision->actor.size(), 1u);
  ASSERT_EQ(c.provision->provision.size(), 1u);
  const Provision& child = c.provision->provision[0];
  EXPECT_TRUE(child.type_written);
  EXPECT_EQ(child.type, ProvisionType::kPermit);
  ASSERT_EQ(child.klass.size(), 1u);
  EXPECT_EQ(child.klass[0].system, "urn:ietf:bcp:13");
  ASSERT_EQ(child.code.size(), 2u);
  EXPECT_EQ(child.code[0].coding[0].code, "34133-9");

  auto balp = ParseConsent(ReadVectorFile("external/fhir/ihe-balp-consent/Consent-ex-consent.json"),
                           FhirVersion::kR4);
  ASSERT_OK(balp);
  ASSERT_EQ(balp->consent.policy.size(), 1u);
  EXPECT_FALSE(balp->consent.policy[0].uri.empty());
  EXPECT_FALSE(balp->consent.provision);
}

// ---- decision 1 and decision 2 on small consents ----

std::string R4(const std::string& rest) {
  return R"({"resourceType":"Consent","status":"active")" + rest + "}";
}

constexpr const char* kOptIn =
    R"(,"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]})";
constexpr const char* kOptOut =
    R"(,"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]})";

// The root's type and the consent's base decision (decision 1).
struct RootReading {
  ProvisionType type = ProvisionType::kPermit;
  std::optional<ProvisionType> base;
  bool operator==(const RootReading&) const = default;
};
RootReading ReadRoot(const std::string& json, FhirVersion v) {
  auto p = ParseConsent(json, v);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok() || !p->consent.provision) return {};
  return {p->consent.provision->type, p->consent.base};
}
constexpr ProvisionType kP = ProvisionType::kPermit;
constexpr ProvisionType kD = ProvisionType::kDeny;

TEST(ConsentDecision1, R4RootType) {
  const std::string prov = R"(,"provision":{"purpose":[{"code":"TREAT"}]})";
  const std::string bare_root = R"(,"provision":{"provision":[{"type":"deny"}]})";
  // 1: a written type wins, and the root is the base itself.
  EXPECT_EQ(ReadRoot(R4(std::string(kOptIn) +
                        R"(,"provision":{"type":"deny","purpose":[{"code":"TREAT"}]})"),
                     FhirVersion::kR4),
            (RootReading{kD, std::nullopt}));
  // 2: none written, criteria: the base comes from policyRule (OPTIN/OPTINR
  // permit, OPTOUT/OPTOUTE deny) and the root is an exception to it.
  EXPECT_EQ(ReadRoot(R4(kOptIn + prov), FhirVersion::kR4), (RootReading{kD, kP}));
  EXPECT_EQ(ReadRoot(R4(kOptOut + prov), FhirVersion::kR4), (RootReading{kP, kD}));
  EXPECT_EQ(
      ReadRoot(
          R4(std::string(
                 R"(,"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTINR"}]})") +
             prov),
          FhirVersion::kR4),
      (RootReading{kD, kP}));
  // Neither, another system, or both kinds: base deny, root permit.
  EXPECT_EQ(ReadRoot(R4(prov), FhirVersion::kR4), (RootReading{kP, kD}));
  EXPECT_EQ(ReadRoot(R4(std::string(R"(,"policyRule":{"coding":[{"code":"OPTIN"}]})") + prov),
                     FhirVersion::kR4),
            (RootReading{kP, kD}));
  EXPECT_EQ(
      ReadRoot(
          R4(std::string(
                 R"(,"policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"},{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTOUT"}]})") +
             prov),
          FhirVersion::kR4),
      (RootReading{kP, kD}));
  // 3: none written, no criteria (period and children only): the root is the
  // base itself.
  EXPECT_EQ(ReadRoot(R4(kOptIn + bare_root), FhirVersion::kR4), (RootReading{kP, std::nullopt}));
  EXPECT_EQ(ReadRoot(R4(kOptOut + bare_root), FhirVersion::kR4), (RootReading{kD, std::nullopt}));
  EXPECT_EQ(ReadRoot(R4(std::string(kOptIn) + R"(,"provision":{"period":{"start":"2020-01-01"}})"),
                     FhirVersion::kR4),
            (RootReading{kP, std::nullopt}));
  // R5 without decision: the same rule on regulatoryBasis; its root has no
  // criteria.
  EXPECT_EQ(
      ReadRoot(
          R4(R"(,"regulatoryBasis":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]}],"provision":[{"purpose":[{"code":"TREAT"}]}])"),
          FhirVersion::kR5),
      (RootReading{kP, std::nullopt}));
}

TEST(ConsentDecision1, TheBaseSurvivesBothVersions) {
  auto r4 = ParseConsent(
      R4(std::string(kOptIn) +
         R"(,"provision":{"actor":[{"reference":{"reference":"Practitioner/x"}}],)"
         R"("provision":[{"purpose":[{"code":"ETREAT"}]}]})"),
      FhirVersion::kR4);
  ASSERT_OK(r4);
  EXPECT_EQ(r4->consent.base, kP);
  EXPECT_EQ(r4->consent.provision->type, kD);
  EXPECT_EQ(r4->consent.provision->provision[0].type, kP);  // decision 2
  // R4 writes the root without a type again.
  auto again = WriteConsentText(r4->consent, FhirVersion::kR4);
  ASSERT_OK(again);
  EXPECT_EQ(again->find(R"("type")"), std::string::npos) << *again;
  // R5: no decision, the root criteria in extensions; read back the same.
  auto r5 = WriteConsentText(r4->consent, FhirVersion::kR5);
  ASSERT_OK(r5);
  EXPECT_EQ(r5->find(R"("decision")"), std::string::npos) << *r5;
  auto back = ParseConsent(*r5, FhirVersion::kR5);
  ASSERT_OK(back);
  EXPECT_EQ(back->consent, r4->consent);
  // A model whose root type disagrees with the base it carries, or a base
  // on a root that writes its type, has no FHIR form.
  Consent bad = r4->consent;
  bad.provision->type = kP;
  EXPECT_EQ(WriteConsent(bad, FhirVersion::kR4).status().code(), ErrorCode::kInvalidArgument);
  bad = r4->consent;
  bad.provision->type_written = true;
  EXPECT_EQ(WriteConsent(bad, FhirVersion::kR5).status().code(), ErrorCode::kInvalidArgument);
  // A model without a base whose root has criteria writes the root's type
  // (else the reader would derive a base).
  Consent no_base = r4->consent;
  no_base.base.reset();
  auto written = WriteConsentText(no_base, FhirVersion::kR4);
  ASSERT_OK(written);
  EXPECT_NE(written->find(R"("type":"deny")"), std::string::npos) << *written;
  auto reread = ParseConsent(*written, FhirVersion::kR4);
  ASSERT_OK(reread);
  EXPECT_FALSE(reread->consent.base.has_value());
}

TEST(ConsentDecision2, NestedTypesNegateTheirParent) {
  auto p = ParseConsent(
      R4(R"(,"decision":"deny","provision":[{"purpose":[{"code":"TREAT"}],"provision":[{"purpose":[{"code":"ETREAT"}]}]}])"),
      FhirVersion::kR5);
  ASSERT_OK(p);
  std::vector<std::string> types;
  CollectTypes(*p->consent.provision, &types);
  EXPECT_EQ(types, (std::vector<std::string>{"deny", "permit", "deny"}));
  // R4: a nested rule without a type is an exception to its parent too.
  auto r4 = ParseConsent(
      R4(std::string(kOptOut) +
         R"(,"provision":{"provision":[{"purpose":[{"code":"TREAT"}]},{"type":"deny","purpose":[{"code":"HRESCH"}]}]})"),
      FhirVersion::kR4);
  ASSERT_OK(r4);
  types.clear();
  CollectTypes(*r4->consent.provision, &types);
  EXPECT_EQ(types, (std::vector<std::string>{"deny", "permit", "deny"}));
  // ... and the R4 rule that repeats its parent's type survives R5 in the
  // 4.0 provision.type extension.
  auto r5 = WriteConsentText(r4->consent, FhirVersion::kR5);
  ASSERT_OK(r5);
  EXPECT_NE(
      r5->find("http://hl7.org/fhir/4.0/StructureDefinition/extension-Consent.provision.type"),
      std::string::npos);
  auto back = ParseConsent(*r5, FhirVersion::kR5);
  ASSERT_OK(back);
  types.clear();
  CollectTypes(*back->consent.provision, &types);
  EXPECT_EQ(types, (std::vector<std::string>{"deny", "permit", "deny"}));
}

// ---- cross-version extensions ----

TEST(ConsentExtensions, WhatTheOtherVersionLacksTravelsInExtensions) {
  Consent c;
  c.id = "x";
  c.version_id = "3";
  c.last_updated = *ParseFhirDateTime("2026-12-01T10:00:00Z");
  c.status = "not-done";  // R5 only
  c.patient = Reference{"Patient/p", std::nullopt, ""};
  c.date_time = *ParseFhirDateTime("2026-12-01");
  c.period = Period{*ParseFhirDateTime("2026-01-01"), *ParseFhirDateTime("2026-12-31")};
  c.grantee.push_back(Reference{"Practitioner/a", std::nullopt, "A"});
  c.manager.push_back(Reference{"Organization/m", std::nullopt, ""});
  c.policy_rule.push_back(CodeableConcept{{Coding{std::string(kActCodeSystem), "OPTIN", ""}}, ""});
  c.policy_rule.push_back(CodeableConcept{{Coding{"urn:x", "law", ""}}, "a law"});
  c.policy.push_back(
      PolicyRef{"https://authority", "https://policy", Reference{"Contract/c", {}, ""}});
  Provision root;
  root.type = ProvisionType::kPermit;
  root.type_written = true;
  Provision child;
  child.type = ProvisionType::kDeny;
  child.actor.push_back(ProvisionActor{std::nullopt, Reference{"Practitioner/b", {}, ""}});
  child.klass = {Coding{std::string(kResourceTypesSystem), "Observation", ""},
                 Coding{"urn:ietf:bcp:13", "text/plain", ""}};  // not in R5's split order
  child.data.push_back(ProvisionData{"related", Reference{"Observation/o", {}, ""}});
  root.provision.push_back(child);
  c.provision = root;

  for (FhirVersion v : {FhirVersion::kR4, FhirVersion::kR5}) {
    SCOPED_TRACE(FhirVersionName(v));
    auto text = WriteConsentText(c, v);
    ASSERT_OK(text);
    auto p = ParseConsent(*text, v);
    ASSERT_OK(p);
    EXPECT_TRUE(p->unsupported_paths.empty()) << *text;
    EXPECT_EQ(p->consent, c) << *text;
  }
  auto r4 = WriteConsent(c, FhirVersion::kR4);
  ASSERT_OK(r4);
  EXPECT_EQ((*r4)["status"], "rejected");  // the nearest R4 code; the extension has the real one
  EXPECT_EQ((*r4)["extension"][0]["url"],
            "http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.status");
  EXPECT_EQ((*r4)["provision"]["period"]["start"], "2026-01-01");
  auto r5 = WriteConsent(c, FhirVersion::kR5);
  ASSERT_OK(r5);
  EXPECT_EQ((*r5)["status"], "not-done");
  EXPECT_EQ((*r5)["policyBasis"][0]["extension"][0]["url"],
            "http://hl7.org/fhir/4.0/StructureDefinition/extension-Consent.policy.authority");

  // R4-only elements in R5: scope, a dateTime with a time, root criteria.
  Consent d;
  d.status = "proposed";
  d.scope = CodeableConcept{{Coding{std::string(kConsentScopeSystem), "patient-privacy", ""}}, ""};
  d.date_time = *ParseFhirDateTime("2026-12-01T10:30:00+01:00");
  // No policy rule: the base is deny, and the root with criteria that
  // writes no type is a permit exception to it (decision 1).
  d.base = ProvisionType::kDeny;
  Provision r;
  r.type = ProvisionType::kPermit;
  r.actor.push_back(ProvisionActor{CodeableConcept{{Coding{"s", "PRCP", ""}}, ""},
                                   Reference{"Practitioner/z", {}, ""}});
  r.action.push_back(
      CodeableConcept{{Coding{std::string(kConsentActionSystem), "access", ""}}, ""});
  r.security_label.push_back(Coding{std::string(kActCodeSystem), "PSY", ""});
  r.purpose.push_back(Coding{std::string(kActReasonSystem), "TREAT", ""});
  r.klass.push_back(Coding{std::string(kResourceTypesSystem), "Condition", ""});
  r.code.push_back(CodeableConcept{{Coding{"http://loinc.org", "1-8", ""}}, ""});
  r.data_period = Period{*ParseFhirDateTime("2020"), std::nullopt};
  r.data.push_back(ProvisionData{"instance", Reference{"Condition/c", {}, ""}});
  d.provision = r;
  auto d5 = WriteConsentText(d, FhirVersion::kR5);
  ASSERT_OK(d5);
  auto p5 = ParseConsent(*d5, FhirVersion::kR5);
  ASSERT_OK(p5);
  EXPECT_TRUE(p5->unsupported_paths.empty()) << *d5;
  EXPECT_EQ(p5->consent, d) << *d5;
  auto d4 = WriteConsentText(d, FhirVersion::kR4);
  ASSERT_OK(d4);
  auto p4 = ParseConsent(*d4, FhirVersion::kR4);
  ASSERT_OK(p4);
  EXPECT_EQ(p4->consent, d);
}

TEST(ConsentExtensions, UnknownExtensionsAreReportedNotDropped) {
  auto p = ParseConsent(
      R4(R"(,"extension":[{"url":"http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.grantee","valueReference":{"reference":"Practitioner/a"}},{"url":"urn:other","valueString":"x"}],"provision":{"provision":[{"type":"permit"},{"type":"deny","extension":[{"url":"urn:y","valueBoolean":true}]}]},"_status":{"extension":[{"url":"urn:z","valueString":"q"}]})"),
      FhirVersion::kR4);
  ASSERT_OK(p);
  EXPECT_EQ(
      p->unsupported_paths,
      (std::vector<std::string>{"extension[1]", "provision.provision[1].extension", "_status"}));
  ASSERT_EQ(p->consent.grantee.size(), 1u);
}

// An element holding nothing the model covers is reported whole and left
// out; a provision holding nothing still counts (it is a rule) and keeps its
// type through every write.
TEST(ConsentExtensions, ElementsWithNothingModeledAreReportedWhole) {
  auto p = ParseConsent(
      R4(R"(,"category":[{"coding":[{"id":"c1"}]},{"text":"kept"}],"patient":{"extension":[{"url":"urn:a","valueString":"x"}]},"provision":{"provision":[{"id":"bare"}]})"),
      FhirVersion::kR4);
  ASSERT_OK(p);
  EXPECT_EQ(p->unsupported_paths,
            (std::vector<std::string>{"category[0]", "patient", "provision.provision[0].id"}));
  ASSERT_EQ(p->consent.category.size(), 1u);
  EXPECT_EQ(p->consent.category[0].text, "kept");
  EXPECT_FALSE(p->consent.patient);
  ASSERT_TRUE(p->consent.provision);
  ASSERT_EQ(p->consent.provision->provision.size(), 1u);
  const Provision& bare = p->consent.provision->provision[0];
  EXPECT_EQ(bare.type, ProvisionType::kPermit);  // negation of the derived deny root
  EXPECT_TRUE(bare.type_written);
  for (FhirVersion v : {FhirVersion::kR4, FhirVersion::kR5}) {
    auto text = WriteConsentText(p->consent, v);
    ASSERT_OK(text);
    auto again = ParseConsent(*text, v);
    ASSERT_OK(again);
    EXPECT_EQ(again->consent, p->consent) << *text;
  }
}

// ---- MUST-reject rules (docs/spec/fhir-consent.md §7), in order ----

std::string Deep(int levels) {
  std::string s = R"({"resourceType":"Consent","status":"active","provision":)";
  for (int i = 0; i < levels; ++i)
    s += i + 1 < levels ? R"({"type":"permit","provision":[)" : R"({"type":"permit"})";
  for (int i = 1; i < levels; ++i) s += "]}";
  return s + "}";
}

TEST(ConsentRejects, FC1ToFC3TheJsonLayer) {
  std::string big = R4(R"(,"id":")" + std::string(kMaxConsentJsonBytes, 'a') + "\"");
  EXPECT_CODE(ParseConsent(big, FhirVersion::kR4), ErrorCode::kTooLarge);   // FC1
  EXPECT_CODE(ParseConsent("{", FhirVersion::kR4), ErrorCode::kMalformed);  // FC2
  EXPECT_CODE(ParseConsent("[]", FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent("\xEF\xBB\xBF{}", FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"id":"a","id":"b")"), FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"id":"\ud800")"), FhirVersion::kR4), ErrorCode::kMalformed);
  std::string deep_json = R"({"resourceType":"Consent","status":"active","text":)";
  for (int i = 0; i < kMaxConsentJsonDepth; ++i) deep_json += "[";
  for (int i = 0; i < kMaxConsentJsonDepth; ++i) deep_json += "]";
  deep_json += "}";
  EXPECT_CODE(ParseConsent(deep_json, FhirVersion::kR4), ErrorCode::kTooDeep);  // FC3
  std::string deep_huge = R"({"resourceType":"Consent","status":"active","text":)" +
                          std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_CODE(ParseConsent(deep_huge, FhirVersion::kR4), ErrorCode::kTooDeep);
}

TEST(ConsentRejects, FC4ResourceType) {
  EXPECT_CODE(ParseConsent(R"({"status":"active"})", FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Patient","status":"active"})", FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R"({"resourceType":["Consent"],"status":"active"})", FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsentAnyVersion(R"({"resourceType":"Patient"})"), ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC5ModifiersAnywhere) {
  const std::string mod = R"("modifierExtension":[{"url":"urn:m","valueBoolean":true}])";
  EXPECT_CODE(ParseConsent(R4("," + mod), FhirVersion::kR4), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseConsent(R4(R"(,"provision":{"provision":[{"type":"permit",)" + mod + "}]}"),
                           FhirVersion::kR4),
              ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(
      ParseConsent(R4(R"(,"verification":[{"verified":true,)" + mod + "}]"), FhirVersion::kR4),
      ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(
      ParseConsent(R4(R"(,"decision":"permit","provision":[{)" + mod + "}]"), FhirVersion::kR5),
      ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseConsent(R4(R"(,"implicitRules":"urn:rules")"), FhirVersion::kR4),
              ErrorCode::kUnsupportedVersion);
  // Before any other fault in document order.
  EXPECT_CODE(ParseConsent(R4(R"(,"bogus":1,)" + mod), FhirVersion::kR4),
              ErrorCode::kUnsupportedVersion);
}

TEST(ConsentRejects, FC6UnknownElements) {
  EXPECT_CODE(ParseConsent(R4(R"(,"bogus":1)"), FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"decision":"permit")"), FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"patient":{"reference":"Patient/p"})"), FhirVersion::kR5),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"scope":{"coding":[{"sytem":"x"}]})"), FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"provision":{"expression":{}})"), FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"_bogus":{})"), FhirVersion::kR4), ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC7WrongTypesAndEmptyValues) {
  for (const char* bad : {R"(,"id":5)",
                          R"(,"id":"")",
                          R"(,"id":null)",
                          R"(,"identifier":{"value":"x"})",
                          R"(,"identifier":[])",
                          R"(,"identifier":["x"])",
                          R"(,"category":[{}])",
                          R"(,"patient":"Patient/p")",
                          R"(,"patient":{"reference":["Patient/p"]})",
                          R"(,"dateTime":20160101)",
                          R"(,"dateTime":1e999)",
                          R"(,"performer":[{"reference":123456789012345678901234567890}])",
                          R"(,"policyRule":[{"text":"x"}])",
                          R"(,"provision":[{"type":"permit"}])",
                          R"(,"provision":{"actor":{"role":{"text":"x"}}})",
                          R"(,"provision":{"type":true})",
                          R"(,"provision":{"securityLabel":[{"code":{"c":"R"}}]})",
                          R"(,"meta":{"versionId":1})",
                          R"(,"provision":{"provision":{"type":"deny"}})",
                          R"(,"scope":{"text":false})"}) {
    EXPECT_CODE(ParseConsent(R4(bad), FhirVersion::kR4), ErrorCode::kMalformed) << bad;
  }
  EXPECT_CODE(ParseConsent(R4(R"(,"status":"active")"), FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"provision":{"type":"permit"})"), FhirVersion::kR5),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"grantee":{"reference":"x"})"), FhirVersion::kR5),
              ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC8ListSizes) {
  std::string many = R"(,"category":[)";
  for (size_t i = 0; i <= kMaxConsentListEntries; ++i)
    many += std::string(i ? "," : "") + R"({"text":"c"})";
  many += "]";
  EXPECT_CODE(ParseConsent(R4(many), FhirVersion::kR4), ErrorCode::kTooLarge);
  std::string ok = R"(,"category":[)";
  for (size_t i = 0; i < kMaxConsentListEntries; ++i)
    ok += std::string(i ? "," : "") + R"({"text":"c"})";
  ok += "]";
  EXPECT_OK(ParseConsent(R4(ok), FhirVersion::kR4));
}

TEST(ConsentRejects, FC9UnknownCodes) {
  for (const char* bad :
       {R"(,"provision":{"type":"allow"})",
        R"(,"provision":{"data":[{"meaning":"all","reference":{"reference":"x"}}]})"}) {
    EXPECT_CODE(ParseConsent(R4(bad), FhirVersion::kR4), ErrorCode::kMalformed) << bad;
  }
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Consent","status":"not-done"})", FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Consent","status":"proposed"})", FhirVersion::kR5),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Consent","status":"ACTIVE"})", FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"decision":"maybe")"), FhirVersion::kR5), ErrorCode::kMalformed);
  EXPECT_OK(ParseConsent(R"({"resourceType":"Consent","status":"proposed"})", FhirVersion::kR4));
  EXPECT_OK(ParseConsent(R"({"resourceType":"Consent","status":"unknown"})", FhirVersion::kR5));
}

TEST(ConsentRejects, FC10Dates) {
  for (const char* bad : {R"(,"dateTime":"2016-13-01")", R"(,"dateTime":"2016-01-01T10:00:00")",
                          R"(,"provision":{"period":{"start":"2017","end":"2016"}})",
                          R"(,"provision":{"dataPeriod":{"start":"yesterday"}})",
                          R"(,"meta":{"lastUpdated":"2016-01-01"})"}) {
    EXPECT_CODE(ParseConsent(R4(bad), FhirVersion::kR4), ErrorCode::kMalformed) << bad;
  }
  EXPECT_CODE(ParseConsent(R4(R"(,"date":"2016-01-01T10:00:00Z")"), FhirVersion::kR5),
              ErrorCode::kMalformed);
  // Same-day start and end: allowed (start.lo <= end.hi).
  EXPECT_OK(ParseConsent(
      R4(R"(,"provision":{"period":{"start":"2016-01-01T10:00:00Z","end":"2016-01-01"}})"),
      FhirVersion::kR4));
}

TEST(ConsentRejects, FC11ProvisionDepthAndCount) {
  EXPECT_OK(ParseConsent(Deep(kMaxProvisionDepth), FhirVersion::kR4));
  EXPECT_CODE(ParseConsent(Deep(kMaxProvisionDepth + 1), FhirVersion::kR4), ErrorCode::kTooDeep);
  EXPECT_CODE(ParseConsent(Deep(30), FhirVersion::kR4), ErrorCode::kTooDeep);
  // R5: the model root is depth 1, so 7 levels of R5 provisions fit.
  auto r5 = [](int levels) {
    std::string s =
        R"({"resourceType":"Consent","status":"active","decision":"deny","provision":[)";
    for (int i = 0; i < levels; ++i)
      s += i + 1 < levels ? R"({"purpose":[{"code":"T"}],"provision":[)"
                          : R"({"purpose":[{"code":"T"}]})";
    for (int i = 1; i < levels; ++i) s += "]}";
    return s + "]}";
  };
  EXPECT_OK(ParseConsent(r5(kMaxProvisionDepth - 1), FhirVersion::kR5));
  EXPECT_CODE(ParseConsent(r5(kMaxProvisionDepth), FhirVersion::kR5), ErrorCode::kTooDeep);
  // More than kMaxConsentProvisions in all: 3 lists of 200 under the root.
  std::string wide = R"({"resourceType":"Consent","status":"active","provision":{"provision":[)";
  for (int a = 0; a < 3; ++a) {
    wide += std::string(a ? "," : "") + R"({"type":"permit","provision":[)";
    for (int i = 0; i < 200; ++i) wide += std::string(i ? "," : "") + R"({"type":"deny"})";
    wide += "]}";
  }
  wide += "]}}";
  EXPECT_CODE(ParseConsent(wide, FhirVersion::kR4), ErrorCode::kTooLarge);
}

TEST(ConsentRejects, FC12DataNeedsMeaningAndReference) {
  EXPECT_CODE(
      ParseConsent(R4(R"(,"provision":{"data":[{"meaning":"related"}]})"), FhirVersion::kR4),
      ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"provision":{"data":[{"reference":{"reference":"x"}}]})"),
                           FhirVersion::kR4),
              ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC13R5ClassSplit) {
  EXPECT_CODE(
      ParseConsent(
          R4(R"(,"provision":[{"documentType":[{"system":"http://hl7.org/fhir/resource-types","code":"Observation"}]}])"),
          FhirVersion::kR5),
      ErrorCode::kMalformed);
  EXPECT_CODE(
      ParseConsent(
          R4(R"(,"provision":[{"resourceType":[{"system":"urn:ietf:bcp:13","code":"text/plain"}]}])"),
          FhirVersion::kR5),
      ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC14UnderstoodExtensionsWithTheWrongShape) {
  const std::string g = "http://hl7.org/fhir/5.0/StructureDefinition/extension-Consent.grantee";
  for (const std::string& bad :
       {R"(,"extension":[{"url":")" + g + R"(","valueString":"x"}])",
        R"(,"extension":[{"url":")" + g + R"(","valueReference":{"reference":"a"},"id":"1"}])",
        std::string(R"(,"extension":[{"valueString":"x"}])"),
        std::string(R"(,"extension":[{"url":5}])"), std::string(R"(,"extension":["x"])")}) {
    EXPECT_CODE(ParseConsent(R4(bad), FhirVersion::kR4), ErrorCode::kMalformed) << bad;
  }
  const std::string a =
      "http://hl7.org/fhir/4.0/StructureDefinition/extension-Consent.provision.actor";
  EXPECT_CODE(
      ParseConsent(
          R4(R"(,"extension":[{"url":")" + a +
             R"(","extension":[{"url":"role","valueCodeableConcept":{"text":"r"}},{"url":"role","valueCodeableConcept":{"text":"r"}}]}])"),
          FhirVersion::kR5),
      ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R4(R"(,"extension":[{"url":")" + a +
                              R"(","extension":[{"url":"who","valueString":"r"}]}])"),
                           FhirVersion::kR5),
              ErrorCode::kMalformed);
  EXPECT_CODE(
      ParseConsent(
          R4(R"(,"decision":"deny","provision":[{"extension":[{"url":"http://hl7.org/fhir/4.0/StructureDefinition/extension-Consent.provision.type","valueCode":"allow"}]}])"),
          FhirVersion::kR5),
      ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC15StatusRequired) {
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Consent"})", FhirVersion::kR4),
              ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent(R"({"resourceType":"Consent","id":"x"})", FhirVersion::kR5),
              ErrorCode::kMalformed);
}

TEST(ConsentRejects, FC16DetectionRefusesMixedVersions) {
  EXPECT_CODE(ParseConsentAnyVersion(R4(R"(,"patient":{"reference":"a"},"decision":"deny")")),
              ErrorCode::kMalformed);
  auto r4 = ParseConsentAnyVersion(R"({"resourceType":"Consent","status":"active"})");
  ASSERT_OK(r4);
  EXPECT_EQ(r4->version, FhirVersion::kR4);  // either: read as R4
  auto r5 = ParseConsentAnyVersion(R4(R"(,"provision":[{"purpose":[{"code":"T"}]}])"));
  ASSERT_OK(r5);
  EXPECT_EQ(r5->version, FhirVersion::kR5);
}

TEST(ConsentJson, ParseConsentJsonReadsInMemberNameOrder) {
  Json j = Json::parse(
      ReadVectorFile("external/fhir/hl7-r4-consent/Consent-consent-example-basic.json"));
  auto p = ParseConsentJson(j, FhirVersion::kR4);
  ASSERT_OK(p);
  auto t = ParseConsent(
      ReadVectorFile("external/fhir/hl7-r4-consent/Consent-consent-example-basic.json"),
      FhirVersion::kR4);
  ASSERT_OK(t);
  EXPECT_EQ(p->consent, t->consent);
  // nlohmann::json keeps names sorted: "sourceAttachment" before "text".
  EXPECT_EQ(p->unsupported_paths, (std::vector<std::string>{"sourceAttachment", "text"}));
  EXPECT_CODE(ParseConsentJson(Json::array(), FhirVersion::kR4), ErrorCode::kMalformed);
  EXPECT_CODE(ParseConsent("{}", static_cast<FhirVersion>(6)), ErrorCode::kInvalidArgument);
}

TEST(ConsentConvert, NumbersNameVersions) {
  const std::string r4 =
      ReadVectorFile("external/fhir/hl7-r4-consent/Consent-consent-example-notThis.json");
  auto same = ConvertConsent(r4, 0, 0);
  ASSERT_OK(same);
  EXPECT_EQ(same->from, FhirVersion::kR4);
  EXPECT_EQ(same->to, FhirVersion::kR4);
  EXPECT_EQ(same->unsupported_paths_json, R"(["text","sourceAttachment"])");
  auto parsed = ParseConsent(r4, FhirVersion::kR4);
  ASSERT_OK(parsed);
  EXPECT_EQ(same->json, *WriteConsentText(parsed->consent, FhirVersion::kR4));
  auto to5 = ConvertConsent(r4, 4, 5);
  ASSERT_OK(to5);
  EXPECT_EQ(to5->to, FhirVersion::kR5);
  EXPECT_EQ(to5->json, *WriteConsentText(parsed->consent, FhirVersion::kR5));
  EXPECT_CODE(ConvertConsent(r4, 5, 0), ErrorCode::kMalformed);
  EXPECT_CODE(ConvertConsent(r4, 3, 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(ConvertConsent(r4, 0, 6), ErrorCode::kInvalidArgument);
}

TEST(ConsentWrite, RefusesWhatNoVersionCanHold) {
  Consent c;
  c.status = "maybe";
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR4), ErrorCode::kInvalidArgument);
  c.status = "active";
  EXPECT_OK(WriteConsent(c, FhirVersion::kR4));
  c.category.push_back(CodeableConcept{});  // an empty CodeableConcept
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR5), ErrorCode::kInvalidArgument);
  c.category.clear();
  c.date_time = DateTime{"yesterday", 0, 0};
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR4), ErrorCode::kInvalidArgument);
  c.date_time.reset();
  c.id = "\xff";
  EXPECT_CODE(WriteConsentText(c, FhirVersion::kR4), ErrorCode::kInvalidArgument);
  c.id.clear();
  Provision root;
  root.period = Period{*ParseFhirDateTime("2020"), std::nullopt};
  c.provision = root;
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR4), ErrorCode::kInvalidArgument);
  root.period.reset();
  Provision* p = &root;
  for (int i = 1; i < kMaxProvisionDepth + 1; ++i) {
    p->provision.emplace_back();
    p->provision.back().purpose.push_back(Coding{"", "T", ""});
    p = &p->provision.back();
  }
  c.provision = root;
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR4), ErrorCode::kTooDeep);
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR5), ErrorCode::kTooDeep);
  ProvisionData bad_data{"everything", Reference{"x", {}, ""}};
  Provision with_data;
  with_data.data.push_back(bad_data);
  c.provision = with_data;
  EXPECT_CODE(WriteConsent(c, FhirVersion::kR4), ErrorCode::kInvalidArgument);
  EXPECT_CODE(WriteConsent(c, static_cast<FhirVersion>(3)), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal::fhir
