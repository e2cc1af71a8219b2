// SPDX-License-Identifier: Apache-2.0
// docs/spec/consent.md against native-tests/vectors/consent/decisions.json:
// every row of the decision table (§6) is the rule of at least one vector,
// every vector's rule is a row, and every open point of §8 is shown by at
// least one vector (its `points`).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using nlohmann::json;

struct ConsentSpec {
  std::map<std::string, std::string> rows;  // "D4" -> effect
  std::set<int> points;                     // §8's numbered points
};

ConsentSpec ReadConsentSpec() {
  const std::string text = testing::ReadVectorFile("../../docs/spec/consent.md");
  ConsentSpec spec;
  const std::regex row(R"(^\| (D[0-9]+) \| ([0-9]+) \| .+ \| (permit|deny) \| .+ \|$)");
  const std::regex point(R"(^([0-9]+)\. \*\*.+)");
  std::istringstream in(text);
  std::string line;
  std::string section;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) section = line;
    std::smatch m;
    if (section.find("Decision table") != std::string::npos && std::regex_match(line, m, row)) {
      EXPECT_TRUE(spec.rows.emplace(m[1].str(), m[3].str()).second) << m[1] << " twice";
    } else if (section.find("open points") != std::string::npos &&
               std::regex_match(line, m, point)) {
      spec.points.insert(std::stoi(m[1].str()));
    }
  }
  return spec;
}

TEST(ConsentSpecRows, TableIsReadInFull) {
  const ConsentSpec spec = ReadConsentSpec();
  EXPECT_EQ(spec.rows.size(), 6u);
  for (int i = 1; i <= 6; ++i) EXPECT_TRUE(spec.rows.count("D" + std::to_string(i))) << i;
  EXPECT_EQ(spec.rows.at("D4"), "permit");
  EXPECT_EQ(spec.rows.at("D3"), "deny");
  EXPECT_EQ(spec.points, (std::set<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
}

TEST(ConsentSpecRows, EveryRowAndPointHasAVectorAndEveryVectorARow) {
  const ConsentSpec spec = ReadConsentSpec();
  ASSERT_FALSE(spec.rows.empty());
  const json file = testing::LoadVectorJson("consent/decisions.json");
  std::set<std::string> rules;
  std::set<int> points;
  size_t decided = 0;
  for (const json& t : file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
    ASSERT_TRUE(t.contains("points") && t["points"].is_array());
    for (const json& p : t["points"]) {
      EXPECT_TRUE(spec.points.count(p.get<int>())) << "point " << p << " is not in §8";
      points.insert(p.get<int>());
    }
    if (t.contains("error")) continue;
    ++decided;
    const std::string rule = t["expect"]["reason"]["rule"].get<std::string>();
    ASSERT_TRUE(spec.rows.count(rule)) << "rule " << rule << " is not a row of §6";
    EXPECT_EQ(spec.rows.at(rule), t["expect"]["effect"].get<std::string>()) << rule;
    rules.insert(rule);
  }
  EXPECT_GT(decided, 0u);
  for (const auto& [id, effect] : spec.rows) {
    EXPECT_TRUE(rules.count(id)) << "row " << id << " has no vector";
  }
  for (int p : spec.points) EXPECT_TRUE(points.count(p)) << "open point " << p << " has no vector";
}

}  // namespace
}  // namespace medseal
