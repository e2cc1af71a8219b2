// SPDX-License-Identifier: Apache-2.0
// core/log/bindings_support.h: fetched tiles split by path, the JSON forms
// of tile lists, audit reports, card findings and directory keys, the JSON
// inputs (labels, a card watch) with their codes, and the break-glass
// events about a patient among framed encoded events (the vector history).
#include "core/log/bindings_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/codec/base64url.h"
#include "core/codec/json.h"
#include "core/log/entry.h"
#include "native-tests/log/log_fixture.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

using testing::TestLog;

TEST(LogBindingsSupport, FetchedTilesSplitHashTilesFromBundles) {
  const Identity alice = testing::Person(0x41, "Alice", "patient");
  TestLog log;
  for (int i = 0; i < 300; ++i) log.Append(Bytes{0x01, static_cast<uint8_t>(i), 7});
  auto files = TilesForTree(log.tree, log.entries, 0, log.size());
  ASSERT_OK(files);
  FetchedTiles fetched;
  size_t bundles = 0;
  for (const auto& [path, bytes] : *files) {
    ASSERT_OK(fetched.Add(path, bytes));
    bundles += path.rfind("tile/entries/", 0) == 0 ? 1 : 0;
  }
  EXPECT_EQ(fetched.bundles().size(), bundles);
  EXPECT_EQ(bundles, 2u);
  auto root = fetched.hashes().Root(log.size());
  ASSERT_OK(root);
  EXPECT_EQ(*root, *log.tree.Root(log.size()));
  // A bundle is kept as given (parsed by the audit); a hash tile is checked.
  EXPECT_OK(fetched.Add("tile/entries/000.p/5", Bytes{1, 2, 3}));
  EXPECT_CODE(fetched.Add("tile/0/000", Bytes(31, 0)), ErrorCode::kMalformed);
  EXPECT_CODE(fetched.Add("tile/0/0", Bytes(32 * 256, 0)), ErrorCode::kMalformed);
  EXPECT_CODE(fetched.Add("checkpoint", Bytes()), ErrorCode::kMalformed);
  EXPECT_CODE(fetched.Add("tile/8/000", Bytes(32 * 256, 0)), ErrorCode::kInvalidArgument);
}

TEST(LogBindingsSupport, JsonForms) {
  EXPECT_EQ(TilePathsJson(TilesForRoot(0)), "[]");
  EXPECT_EQ(TilePathsJson({TileId{0, 1234067, 256, false}, TileId{0, 0, 5, true}}),
            R"(["tile/0/x001/x234/067","tile/entries/000.p/5"])");
  AuditReport report;
  report.checked = 3;
  report.pending = 1;
  report.findings = {{1, ErrorCode::kLogEntryModified, std::nullopt},
                     {2, ErrorCode::kLogReordered, 9}};
  EXPECT_EQ(AuditReportJson(report),
            R"({"checked":3,"findings":[{"code":"LOG_ENTRY_MODIFIED","index":1},)"
            R"({"code":"LOG_REORDERED","foundAt":9,"index":2}],"pending":1})");
  EXPECT_EQ(CardFindingsJson({{4, Bytes(16, 0xff), ErrorCode::kUnexpectedCard}}),
            R"([{"code":"UNEXPECTED_CARD","index":4,"keyId":"_____________________w"}])");
  EXPECT_EQ(CardFindingsJson({}), "[]");
}

TEST(LogBindingsSupport, DirectoryKeyJsonFollowsRotations) {
  const Identity old_key = testing::Person(0x51, "Dr C", "clinician");
  const Identity new_key = testing::Person(0x52, "Dr C", "clinician");
  AuthorChains chains;
  KeyDirectory dir;
  dir.AddCard(0, old_key.card());
  dir.AddCard(1, new_key.card());
  const SignedEvent rotate = testing::NextEvent(old_key, chains, EventType::kRotate,
                                                {testing::CardSubjectOf(new_key)});
  ASSERT_OK(dir.ApplyEvent(2, rotate));
  auto o = DirectoryKeyJson(dir, old_key.key_id());
  ASSERT_OK(o);
  EXPECT_EQ(*o, R"({"published":0,"rotated":2,"successor":")" + Base64UrlEncode(new_key.key_id()) +
                    R"("})");
  auto n = DirectoryKeyJson(dir, new_key.key_id());
  ASSERT_OK(n);
  EXPECT_EQ(*n, R"({"predecessor":")" + Base64UrlEncode(old_key.key_id()) + R"(","published":1})");
  EXPECT_CODE(DirectoryKeyJson(dir, Bytes(16, 0)), ErrorCode::kLogEntryMissing);
}

TEST(LogBindingsSupport, JsonInputsHaveCodes) {
  auto labels = StringListFromJson(R"(["a|b","c|d"])", 16);
  ASSERT_OK(labels);
  EXPECT_EQ(*labels, (std::vector<std::string>{"a|b", "c|d"}));
  EXPECT_OK(StringListFromJson("[]", 16));
  EXPECT_CODE(StringListFromJson("{}", 16), ErrorCode::kMalformed);
  EXPECT_CODE(StringListFromJson("[1]", 16), ErrorCode::kMalformed);
  EXPECT_CODE(StringListFromJson(R"([""])", 16), ErrorCode::kMalformed);
  EXPECT_CODE(StringListFromJson(R"(["a","b"])", 1), ErrorCode::kTooLarge);
  EXPECT_CODE(StringListFromJson("[", 16), ErrorCode::kMalformed);
  EXPECT_CODE(StringListFromJson(std::string(kMaxSupportJsonBytes + 1, ' '), 16),
              ErrorCode::kTooLarge);

  const Identity alice = testing::Person(0x41, "Alice", "patient");
  const Identity mallory = testing::Person(0x42, "Alice", "patient");
  auto watch = CardWatchFromJson(R"({"names":["Alice"],"roles":[],"ownKeys":[")" +
                                 Base64UrlEncode(alice.key_id()) + R"("]})");
  ASSERT_OK(watch);
  watch->Observe(0, CardEntry(alice.card()));
  watch->Observe(1, CardEntry(mallory.card()));
  ASSERT_EQ(watch->findings().size(), 1u);
  EXPECT_EQ(watch->findings()[0].index, 1u);
  EXPECT_CODE(watch->ToStatus(), ErrorCode::kUnexpectedCard);
  EXPECT_CODE(CardWatchFromJson(R"({"names":[],"roles":[]})"), ErrorCode::kMalformed);
  EXPECT_CODE(CardWatchFromJson(R"({"names":[],"roles":[],"ownKeys":["AAAA"]})"),
              ErrorCode::kMalformed);
  EXPECT_CODE(CardWatchFromJson(R"({"names":[],"roles":[],"ownKeys":["A="]})"),
              ErrorCode::kMalformed);
  EXPECT_CODE(CardWatchFromJson(R"({"names":[],"roles":"x","ownKeys":[]})"), ErrorCode::kMalformed);
  EXPECT_CODE(CardWatchFromJson(R"({"names":[],"roles":[],"ownKeys":[],"x":1})"),
              ErrorCode::kMalformed);
}

TEST(LogBindingsSupport, BreakGlassEventsAboutTheVectorPatient) {
  const nlohmann::json doc = medseal::testing::LoadVectorJson("log/event_v1.json");
  std::vector<Bytes> encoded;
  for (const auto& h : doc.at("history")) {
    const std::string e = h.at("encoded").get<std::string>();
    encoded.emplace_back(e.begin(), e.end());
  }
  ASSERT_EQ(encoded.size(), 9u);
  const Bytes framed = SerializeEntryBundle(encoded);
  const Bytes patient = medseal::testing::HexOrDie(
      doc.at("history").at(0).at("fields").at("patient").get<std::string>());
  auto about = BreakGlassEventsAboutJson(framed, encoded.size(), patient);
  ASSERT_OK(about);
  EXPECT_EQ(*about, "[" + std::to_string(doc.at("breakGlass").at("event").get<int>()) + "]");
  auto none = BreakGlassEventsAboutJson(framed, encoded.size(), Bytes(16, 0));
  ASSERT_OK(none);
  EXPECT_EQ(*none, "[]");
  EXPECT_CODE(BreakGlassEventsAboutJson(framed, encoded.size(), Bytes(15, 0)),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(BreakGlassEventsAboutJson(framed, encoded.size() + 1, patient),
              ErrorCode::kMalformed);
  EXPECT_CODE(BreakGlassEventsAboutJson(framed, encoded.size() - 1, patient),
              ErrorCode::kTrailingData);
  std::vector<Bytes> forged = encoded;
  forged[4][0] = ' ';
  auto bad = BreakGlassEventsAboutJson(SerializeEntryBundle(forged), forged.size(), patient);
  EXPECT_CODE(bad, ErrorCode::kMalformed);
  EXPECT_NE(bad.status().message().find("events[4]"), std::string::npos);
}

}  // namespace
}  // namespace medseal::tlog
