// SPDX-License-Identifier: Apache-2.0
// core/log/entry.h: log entries (docs/spec/log.md §7): the kind byte, both
// kinds round-trip, every parse rule with its code, the leaf hash.
#include "core/log/entry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <variant>

#include "core/crypto/sha2.h"
#include "core/log/merkle.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

Identity MakeIdentity(uint8_t seed_byte) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed_byte)), "Dr E",
                                      "clinician", 1700000000000))
      .value();
}

SignedEvent AnEvent(const Identity& id) {
  Event e;
  e.type = EventType::kOpen;
  e.author = id.key_id();
  e.prev = Bytes(32, 0);
  e.time = 1764590400000;
  e.purpose = "TREAT";
  e.subjects = {{SubjectKind::kRecord, Bytes(32, 0xab)}};
  return std::move(SignEvent(id, e)).value();
}

TEST(LogEntry, EventEntryRoundTrips) {
  const Identity id = MakeIdentity(0x31);
  const SignedEvent s = AnEvent(id);
  const Bytes entry = EventEntry(s);
  ASSERT_EQ(entry.size(), 1 + s.encoded.size());
  EXPECT_EQ(entry[0], 0x01);
  EXPECT_TRUE(std::equal(s.encoded.begin(), s.encoded.end(), entry.begin() + 1));
  auto parsed = ParseEntry(entry);
  ASSERT_OK(parsed);
  ASSERT_TRUE(std::holds_alternative<SignedEvent>(*parsed));
  const auto& e = std::get<SignedEvent>(*parsed);
  EXPECT_EQ(e.event, s.event);
  EXPECT_EQ(e.encoded, s.encoded);
  EXPECT_OK(VerifyEvent(e, id.card()));
  // The leaf is RFC 9162's hash of the whole entry, kind byte included.
  Bytes leaf_input{0x00};
  leaf_input.insert(leaf_input.end(), entry.begin(), entry.end());
  EXPECT_EQ(LeafHash(entry), Sha256(leaf_input));
}

TEST(LogEntry, CardEntryRoundTrips) {
  const Identity id = MakeIdentity(0x32);
  const Bytes entry = CardEntry(id.card());
  EXPECT_EQ(entry[0], 0x02);
  EXPECT_EQ(std::string(AsText(ByteView(entry).subspan(1))), id.card().ToJson());
  auto parsed = ParseEntry(entry);
  ASSERT_OK(parsed);
  ASSERT_TRUE(std::holds_alternative<PublicCard>(*parsed));
  EXPECT_EQ(std::get<PublicCard>(*parsed).key_id(), id.key_id());
  // A post-quantum (version 2) card too.
  auto pq = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, 0x33)), "P", "patient",
                               1700000000000, CardKeys::kPostQuantum);
  ASSERT_OK(pq);
  auto parsed_pq = ParseEntry(CardEntry(pq->card()));
  ASSERT_OK(parsed_pq);
  EXPECT_EQ(std::get<PublicCard>(*parsed_pq).version(), kCardVersion2);
}

TEST(LogEntry, ParseRulesInOrder) {
  const Identity id = MakeIdentity(0x34);
  EXPECT_CODE(ParseEntry(Bytes{}), ErrorCode::kTruncated);               // Y1
  EXPECT_CODE(ParseEntry(Bytes{0x00}), ErrorCode::kUnsupportedVersion);  // Y2
  EXPECT_CODE(ParseEntry(Bytes{0x03, '{', '}'}), ErrorCode::kUnsupportedVersion);
  EXPECT_CODE(ParseEntry(Bytes{0xff}), ErrorCode::kUnsupportedVersion);
  // Y3: the event's own codes.
  EXPECT_CODE(ParseEntry(Bytes{0x01}), ErrorCode::kMalformed);
  Bytes event_entry = EventEntry(AnEvent(id));
  event_entry.push_back('\n');
  EXPECT_CODE(ParseEntry(event_entry), ErrorCode::kNonCanonical);
  // Y4: the card's own codes.
  EXPECT_CODE(ParseEntry(Bytes{0x02}), ErrorCode::kMalformed);
  std::string card = id.card().ToJson();
  std::string bad_sig = card;
  const size_t sig_at = bad_sig.find("\"sig\":\"") + 7;
  bad_sig[sig_at] = bad_sig[sig_at] == 'A' ? 'B' : 'A';
  Bytes bad{0x02};
  bad.insert(bad.end(), bad_sig.begin(), bad_sig.end());
  EXPECT_CODE(ParseEntry(bad), ErrorCode::kSignatureInvalid);
  // Y5: a valid card in another spelling.
  Bytes spaced{0x02};
  const std::string spaced_card = " " + card;
  spaced.insert(spaced.end(), spaced_card.begin(), spaced_card.end());
  EXPECT_CODE(ParseEntry(spaced), ErrorCode::kNonCanonical);
  // An event entry whose body is a card and the reverse: each kind's parser refuses.
  Bytes swapped{0x01};
  swapped.insert(swapped.end(), card.begin(), card.end());
  EXPECT_FALSE(ParseEntry(swapped).ok());
  Bytes swapped2 = EventEntry(AnEvent(id));
  swapped2[0] = 0x02;
  EXPECT_CODE(ParseEntry(swapped2), ErrorCode::kMalformed);
}

TEST(LogEntryVectors, EntriesAndInvalidEntries) {
  const nlohmann::json doc = testing::LoadVectorJson("log/event_v1.json");
  size_t n = 0;
  for (const auto& v : doc.at("history")) {
    const Bytes entry = testing::HexOrDie(v.at("entry").get<std::string>());
    auto parsed = ParseEntry(entry);
    ASSERT_OK(parsed);
    ASSERT_TRUE(std::holds_alternative<SignedEvent>(*parsed));
    EXPECT_EQ(EventEntry(std::get<SignedEvent>(*parsed)), entry);
    EXPECT_EQ(LeafHash(entry), testing::HexOrDie(v.at("leafHash").get<std::string>()));
    ++n;
  }
  EXPECT_EQ(n, 9u);
  bool card_seen = false;
  for (const auto& v : doc.at("entries")) {
    const Bytes entry = testing::HexOrDie(v.at("entry").get<std::string>());
    auto parsed = ParseEntry(entry);
    ASSERT_OK(parsed);
    EXPECT_EQ(LeafHash(entry), testing::HexOrDie(v.at("leafHash").get<std::string>()));
    if (v.at("kind") == "card") {
      ASSERT_TRUE(std::holds_alternative<PublicCard>(*parsed));
      const auto& card = std::get<PublicCard>(*parsed);
      EXPECT_EQ(
          card.ToJson(),
          doc.at("identities").at(v.at("card").get<std::string>()).at("card").get<std::string>());
      EXPECT_EQ(CardEntry(card), entry);
      card_seen = true;
    } else {
      ASSERT_TRUE(std::holds_alternative<SignedEvent>(*parsed));
    }
  }
  EXPECT_TRUE(card_seen);
  size_t invalid = 0;
  for (const auto& t : doc.at("invalidEntries")) {
    auto r = ParseEntry(testing::HexOrDie(t.at("entry").get<std::string>()));
    EXPECT_EQ(ErrorCodeName(testing::CodeOf(r)), t.at("error").get<std::string>())
        << t.at("rule") << " " << t.at("comment");
    ++invalid;
  }
  EXPECT_GE(invalid, 6u);
}

}  // namespace
}  // namespace medseal::tlog
