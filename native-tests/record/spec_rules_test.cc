// SPDX-License-Identifier: Apache-2.0
// docs/spec/record.md against its vectors: every MUST-reject rule of the
// spec's tables has a vector in each file it applies to, or a row in §11's
// table naming the native test that covers it instead; every invalid vector
// names a rule of the spec, and fails with that rule's code.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using nlohmann::json;

struct Rule {
  std::string code;        // e.g. "TOO_LARGE"; empty when delegated
  bool delegated = false;  // "D1–D4": the code comes from the §1.1 rule broken
};

struct Exception {
  std::string rule, file, test, source;
};

struct Spec {
  std::map<std::string, Rule> rules;  // "B11" -> its code
  std::vector<Exception> exceptions;  // §11's "covered by" rows
};

std::string ReadRepoFile(const std::string& path_from_repo_root) {
  // The vectors folder is native-tests/vectors: the repository root is two up.
  return testing::ReadVectorFile("../../" + path_from_repo_root);
}

Spec ReadSpec() {
  const std::string text = ReadRepoFile("docs/spec/record.md");
  Spec spec;
  const std::regex rule_row(R"(^\| ([A-Z])([0-9]+) \| .+ \| (`([A-Z_]+)`|D1–D4) \|$)");
  const std::regex exception_row(
      R"(^\| ([A-Z][0-9]+) \| (cards|cards-v2|records|records-v2) \| `([A-Za-z0-9_]+\.[A-Za-z0-9_]+)` in `native-tests/([a-z0-9_/]+\.cc)`.*\|$)");
  std::istringstream in(text);
  std::string line;
  bool in_section_9 = false;  // the test vectors section, §11
  while (std::getline(in, line)) {
    if (line.rfind("## 11. Test vectors", 0) == 0) in_section_9 = true;
    std::smatch m;
    if (!in_section_9 && std::regex_match(line, m, rule_row)) {
      const std::string id = m[1].str() + m[2].str();
      Rule r;
      r.delegated = m[3].str() == "D1–D4";
      r.code = r.delegated ? "" : m[4].str();
      EXPECT_TRUE(spec.rules.emplace(id, r).second) << "rule " << id << " appears twice";
    } else if (in_section_9 && std::regex_match(line, m, exception_row)) {
      spec.exceptions.push_back({m[1].str(), m[2].str(), m[3].str(), m[4].str()});
    } else if (in_section_9 && std::regex_match(line, std::regex(R"(^\| [A-Z][0-9]+ \|.*)"))) {
      ADD_FAILURE() << "unreadable row in §11: " << line;
    }
  }
  return spec;
}

// The rule families a vector file answers to (spec §11).
std::set<char> FamiliesOf(const std::string& file) {
  if (file == "cards") return {'D', 'G', 'C'};
  if (file == "cards-v2") return {'D', 'G', 'C', 'E'};
  if (file == "records") return {'D', 'G', 'B', 'J', 'V', 'O', 'P'};
  if (file == "records-v2-pq") return {'W', 'K', 'O', 'H'};
  return {'D', 'G', 'B', 'J', 'V', 'O', 'W', 'K', 'U', 'Q'};  // records-v2
}

// Whether rule `id` applies to `file` (spec §11, Coverage): version 2
// shares B1-B3, J1-J3, J5-J13 and J26-J32 with version 1; P1-P9 are
// covered by the version 1 file. Version 2 cards share C1-C24 with
// version 1 (§6.3); E13-E17 take the place of C25-C27. The post-quantum
// record file answers to H1-H2 and, for type 3 stanzas, to W19-W21,
// K27-K29, O1 and O4.
bool AppliesTo(const std::string& id, const std::string& file) {
  if (!FamiliesOf(file).count(id[0])) return false;
  if (file == "cards-v2") return id[0] != 'C' || std::stoi(id.substr(1)) <= 24;
  if (file == "records-v2-pq") {
    const int n = std::stoi(id.substr(1));
    if (id[0] == 'W') return n >= 19 && n <= 21;
    if (id[0] == 'K') return n >= 27 && n <= 29;
    if (id[0] == 'O') return n == 1 || n == 4;
    return true;  // H
  }
  if (file != "records-v2") return true;
  const int n = std::stoi(id.substr(1));
  if (id[0] == 'B') return n <= 3;
  if (id[0] == 'J') return n <= 3 || (n >= 5 && n <= 13) || n >= 26;
  return true;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  return parts;
}

// The spec's tables are read in full: each family numbered 1..n without a
// gap, with the sizes the spec has (a table the regular expression misread
// would show up here, not as a vacuous pass below).
TEST(SpecRules, TablesAreReadInFull) {
  const Spec spec = ReadSpec();
  const std::map<char, int> expected{{'D', 4}, {'G', 8}, {'C', 27}, {'B', 14}, {'J', 32},
                                     {'V', 2}, {'O', 4}, {'P', 9},  {'W', 26}, {'K', 29},
                                     {'U', 1}, {'Q', 2}, {'E', 17}, {'H', 2}};
  std::map<char, int> seen;
  for (const auto& [id, rule] : spec.rules) seen[id[0]]++;
  EXPECT_EQ(seen, expected);
  for (const auto& [family, n] : expected) {
    for (int i = 1; i <= n; ++i) {
      EXPECT_TRUE(spec.rules.count(std::string(1, family) + std::to_string(i)))
          << family << i << " missing";
    }
  }
  EXPECT_EQ(spec.rules.at("B11").code, "TOO_LARGE");
  EXPECT_EQ(spec.rules.at("C27").code, "WEAK_KEY");
  EXPECT_TRUE(spec.rules.at("J9").delegated);
  EXPECT_EQ(spec.rules.at("U1").code, "PURPOSE_MISMATCH");
  EXPECT_EQ(spec.rules.at("W20").code, "DUPLICATE_RECIPIENT");
  EXPECT_EQ(spec.rules.at("H1").code, "WEAK_KEY");
  EXPECT_EQ(spec.rules.at("H2").code, "DECRYPT_FAILED");
  EXPECT_TRUE(spec.rules.at("K13").delegated);
  EXPECT_EQ(spec.exceptions.size(), 5u);
}

TEST(SpecRules, EveryRuleHasAVectorOrANamedTest) {
  const Spec spec = ReadSpec();
  ASSERT_FALSE(spec.rules.empty());
  const std::map<std::string, std::string> files{{"cards", "identity/card_v1.json"},
                                                 {"cards-v2", "identity/card_v2.json"},
                                                 {"records", "record/record_v1.json"},
                                                 {"records-v2", "record/record_v2.json"},
                                                 {"records-v2-pq", "record/record_v2_pq.json"}};
  for (const auto& [file, path] : files) {
    SCOPED_TRACE(path);
    const json vectors = testing::LoadVectorJson(path);
    std::set<std::string> covered;
    size_t invalid = 0;
    for (const json& t : vectors["tests"]) {
      SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
      if (t["result"] == "valid") {
        EXPECT_FALSE(t.contains("rule")) << "a valid case names a rule";
        continue;
      }
      ++invalid;
      ASSERT_TRUE(t.contains("rule") && t["rule"].is_string()) << "an invalid case without a rule";
      const std::vector<std::string> parts = Split(t["rule"].get<std::string>(), '/');
      ASSERT_FALSE(parts.empty());
      for (const std::string& id : parts) {
        ASSERT_TRUE(spec.rules.count(id)) << "unknown rule " << id;
        EXPECT_TRUE(AppliesTo(id, file)) << id << " does not apply to " << file;
        covered.insert(id);
      }
      const Rule& first = spec.rules.at(parts[0]);
      // A delegating rule names the §1.1 rule that decides the code; others
      // stand alone.
      ASSERT_EQ(parts.size(), first.delegated ? 2u : 1u) << t["rule"];
      if (first.delegated) EXPECT_EQ(parts[1][0], 'D') << t["rule"];
      EXPECT_EQ(spec.rules.at(parts.back()).code, t["error"].get<std::string>()) << t["rule"];
    }
    EXPECT_GT(invalid, 0u);
    std::set<std::string> excepted;
    for (const Exception& e : spec.exceptions) {
      if (e.file != file) continue;
      excepted.insert(e.rule);
      EXPECT_TRUE(spec.rules.count(e.rule)) << "§11 names unknown rule " << e.rule;
      EXPECT_FALSE(covered.count(e.rule)) << "§11 says " << e.rule << " has no vector, but it has";
      const std::string source = ReadRepoFile("native-tests/" + e.source);
      const std::string suite = e.test.substr(0, e.test.find('.'));
      const std::string name = e.test.substr(e.test.find('.') + 1);
      EXPECT_TRUE(source.find("TEST(" + suite + ", " + name + ")") != std::string::npos ||
                  source.find("TEST_F(" + suite + ", " + name + ")") != std::string::npos)
          << e.test << " not found in native-tests/" << e.source;
    }
    for (const auto& [id, rule] : spec.rules) {
      if (!AppliesTo(id, file)) continue;
      EXPECT_TRUE(covered.count(id) || excepted.count(id))
          << "rule " << id << " has no vector in " << path << " and no test named in §11";
    }
  }
}

}  // namespace
}  // namespace medseal
