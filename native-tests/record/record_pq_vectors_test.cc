// SPDX-License-Identifier: Apache-2.0
// The shared vectors of post-quantum records,
// native-tests/vectors/record/record_v2_pq.json (docs/spec/record.md §11):
// every case through parse, verify and open; the encrypt direction
// (sealing reproduces every case that has a `seal`, and the recorded
// eseeds are the X-Wing encapsulations' randomness); the identities
// reproduce their cards from their seeds. Then the API with post-quantum
// identities: which stanza each card gets, opening, version 1, and bad
// input (every truncation, bit flips).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/codec/hex.h"
#include "core/crypto/xwing.h"
#include "core/record/internal/record_internal.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using nlohmann::json;
using testing::HexOrDie;
using testing::PayloadData;

struct PqFile {
  json file;
  std::map<std::string, std::unique_ptr<Identity>> ids;
  std::map<std::string, std::unique_ptr<VaultKey>> vaults;
};

PqFile LoadPq() {
  PqFile f;
  f.file = testing::LoadVectorJson("record/record_v2_pq.json");
  for (const auto &[key, v] : f.file["identities"].items()) {
    const CardKeys keys = v["cardKeys"] == "postQuantum" ? CardKeys::kPostQuantum
                                                         : CardKeys::kClassic;
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>(), keys);
    EXPECT_TRUE(id.ok()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
    EXPECT_EQ(HexEncode(id->key_id()), v["keyId"].get<std::string>()) << key;
    EXPECT_EQ(id->card().has_post_quantum_key(), keys == CardKeys::kPostQuantum) << key;
    f.ids[key] = std::make_unique<Identity>(std::move(id).value());
  }
  for (const auto &[key, v] : f.file["vaultKeys"].items()) {
    ChaChaRng rng(HexOrDie(v["rngSeed"]));
    auto k = VaultKey::Generate(rng);
    EXPECT_TRUE(k.ok()) << key;
    EXPECT_EQ(HexEncode(k->key_id()), v["keyId"].get<std::string>()) << key;
    f.vaults[key] = std::make_unique<VaultKey>(std::move(k).value());
  }
  return f;
}

RecordPurpose PurposeOf(const json &p) {
  return RecordPurpose{p["system"].get<std::string>(), p["code"].get<std::string>()};
}

PayloadData PayloadOf(const json &p) {
  return PayloadData{p["contentType"], p["recordId"], p["resourceType"], HexOrDie(p["body"])};
}

Result<SealedRecord> ParseCase(const json &t) {
  const std::string input = t["input"];
  return t["encoding"] == "binary" ? ParseRecordBinary(HexOrDie(input)) : ParseRecordJson(input);
}

Result<OpenedPayload> RunCase(const json &t, const PqFile &f) {
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord parsed, ParseCase(t));
  const PublicCard &sender = f.ids.at(t["sender"])->card();
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(parsed, sender));
  const json &opener = t["opener"];
  if (opener.contains("vaultKey")) {
    return OpenRecordWithVaultKey(parsed, *f.vaults.at(opener["vaultKey"]), sender,
                                  PurposeOf(t["purpose"]));
  }
  return OpenRecord(parsed, *f.ids.at(opener["identity"]), sender, PurposeOf(t["purpose"]));
}

// The header with postQuantum, from core's own inspection JSON
// (RecordHeaderJson, what inspectRecord returns).
json HeaderOf(const SealedRecord &r) {
  const json inspected = json::parse(RecordHeaderJson(r));
  json stanzas = json::array();
  for (size_t i = 0; i < r.recipients.size(); ++i) {
    stanzas.push_back({{"type", r.recipients[i].type},
                       {"keyId", HexEncode(r.recipients[i].key_id)},
                       {"postQuantum", inspected["recipients"][i]["postQuantum"]}});
  }
  json purposes = json::array(), hashes = json::array();
  for (const auto &p : r.purposes) purposes.push_back({{"system", p.system}, {"code", p.code}});
  for (const auto &h : r.consent_hashes) hashes.push_back(HexEncode(h));
  return json{{"version", r.version},
              {"postQuantum", inspected["postQuantum"]},
              {"purposes", purposes},
              {"consentHashes", hashes},
              {"stanzas", stanzas}};
}

TEST(RecordPqVectors, EveryCase) {
  PqFile f = LoadPq();
  ASSERT_EQ(f.file["tests"].size(), f.file["numberOfTests"].get<size_t>());
  ASSERT_GT(f.file["tests"].size(), 30u);
  std::map<std::string, int> rules_seen;
  size_t pq_opened = 0, records_pq = 0, records_classic = 0;
  for (const auto &t : f.file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto opened = RunCase(t, f);
    if (t["result"] == "valid") {
      ASSERT_OK(opened);
      EXPECT_TRUE(testing::SamePayload(*opened, PayloadOf(t["payload"])));
      EXPECT_EQ(opened->created(), t["payload"]["created"].get<int64_t>());
      auto parsed = ParseCase(t);
      ASSERT_OK(parsed);
      EXPECT_EQ(HeaderOf(*parsed), t["header"]);
      (t["header"]["postQuantum"] == true ? records_pq : records_classic)++;
      const json &opener = t["opener"];
      if (opener.contains("identity") &&
          f.ids.at(opener["identity"])->card().has_post_quantum_key()) {
        ++pq_opened;
      }
    } else {
      ASSERT_FALSE(opened.ok());
      EXPECT_EQ(ErrorCodeName(opened.status().code()), t["error"].get<std::string>())
          << opened.status().ToString();
      rules_seen[t["rule"]]++;
    }
  }
  EXPECT_GT(pq_opened, 5u);
  EXPECT_GT(records_pq, 1u);
  EXPECT_GT(records_classic, 1u);
  for (const char *rule : {"H1", "H2", "O1", "O4", "W19", "W20", "W21", "K27", "K28", "K29"}) {
    EXPECT_GT(rules_seen[rule], 0) << "no vector for " << rule;
  }
}

// The encrypt direction: sealing with the recorded inputs reproduces every
// case that has a `seal`, and each type 3 stanza's ciphertext is the X-Wing
// encapsulation to the card's key with the recorded eseed (the RNG order of
// spec §5.4, checked independently of SealRecordV2).
TEST(RecordPqVectors, SealReproducesInputAndTheEseeds) {
  PqFile f = LoadPq();
  size_t reproduced = 0, stanzas_checked = 0;
  for (const auto &t : f.file["tests"]) {
    if (!t.contains("seal")) continue;
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
    const json &s = t["seal"];
    std::vector<const PublicCard *> cards;
    for (const auto &n : s["recipients"]) cards.push_back(&f.ids.at(n)->card());
    std::vector<const VaultKey *> vaults;
    for (const auto &n : s["vaultKeys"]) vaults.push_back(f.vaults.at(n).get());
    RecordContext context;
    for (const auto &p : s["purposes"]) context.purposes.push_back(PurposeOf(p));
    for (const auto &h : s["consentHashes"]) context.consent_hashes.push_back(HexOrDie(h));
    const PayloadData payload = PayloadOf(s["payload"]);
    ChaChaRng rng(HexOrDie(s["rngSeed"]));
    FixedClock clock(s["now"].get<int64_t>());
    Result<SealedRecord> sealed = Error(ErrorCode::kInternal, "unset");
    std::vector<RecipientStanza> extra;
    if (s.contains("extraStanzas")) {
      for (const auto &e : s["extraStanzas"]) {
        extra.push_back(
            RecipientStanza{HexOrDie(e["keyId"]), HexOrDie(e["body"]), e["type"].get<uint8_t>()});
      }
      RecordContext sorted;
      ASSERT_OK(internal::CheckRecordContext(context, &sorted));
      Bytes padded = internal::EncodePayloadForTesting(payload, s["now"].get<int64_t>());
      sealed = internal::SealPaddedPayloadV2(*f.ids.at(t["sender"]), cards, vaults, padded, sorted,
                                             rng, extra);
    } else {
      sealed = SealRecordV2(*f.ids.at(t["sender"]), cards, vaults, payload, context, rng, clock);
    }
    ASSERT_OK(sealed);
    if (t["encoding"] == "binary") {
      EXPECT_EQ(HexEncode(EncodeRecordBinary(*sealed)), t["input"].get<std::string>());
    } else {
      EXPECT_EQ(EncodeRecordJson(*sealed), t["input"].get<std::string>());
    }
    ++reproduced;
    // Each sealed card with an X-Wing key has exactly one stanza, type 3,
    // made with the next eseed.
    size_t k = 0;
    for (const auto &st : sealed->recipients) {
      if (st.type != kStanzaXWing) continue;
      const PublicCard *card = nullptr;
      for (const PublicCard *c : cards) {
        if (c->key_id() == st.key_id) card = c;
      }
      ASSERT_NE(card, nullptr);
      ASSERT_TRUE(card->has_post_quantum_key());
      ASSERT_LT(k, s["eseeds"].size());
      auto enc = XWingEncapsulateDerand(card->xwing_public_key(), HexOrDie(s["eseeds"][k++]));
      ASSERT_OK(enc);
      EXPECT_EQ(Bytes(st.wrapped_key.begin(), st.wrapped_key.begin() + 1120), enc->ciphertext);
      ++stanzas_checked;
    }
    EXPECT_EQ(k, s["eseeds"].size());
    for (const PublicCard *c : cards) {
      size_t classic = 0;
      for (const auto &st : sealed->recipients) {
        if (st.type == kStanzaX25519 && st.key_id == c->key_id()) ++classic;
      }
      size_t from_extra = 0;
      for (const auto &e : extra) from_extra += e.type == kStanzaX25519 && e.key_id == c->key_id();
      EXPECT_EQ(classic - from_extra, c->has_post_quantum_key() ? 0u : 1u);
    }
  }
  EXPECT_GE(reproduced, 10u);
  EXPECT_GE(stanzas_checked, 6u);
}

// ---- the API with post-quantum identities ----

constexpr UnixMillis kCreated = 1700000000000;
const RecordPurpose kTreat{"http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT"};

Identity Make(uint8_t seed, const char *name, CardKeys keys) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, "clinician", kCreated,
                               keys);
  EXPECT_TRUE(id.ok());
  return std::move(id).value();
}

class RecordPq : public ::testing::Test {
 protected:
  Identity sender_ = Make(0x01, "Patient P", CardKeys::kClassic);
  Identity pq_ = Make(0x02, "Dr. C", CardKeys::kPostQuantum);
  Identity pq2_ = Make(0x05, "Dr. Q", CardKeys::kPostQuantum);
  Identity classic_ = Make(0x03, "Nurse N", CardKeys::kClassic);
  PayloadData obs_{"application/fhir+json", "obs-1", "Observation", ToBytes(R"({"a":1})")};

  SealedRecord Seal(std::vector<const PublicCard *> cards, uint8_t rng_byte = 0x50) {
    ChaChaRng rng(Bytes(32, rng_byte));
    FixedClock clock(kCreated);
    RecordContext context{{kTreat}, {}};
    auto r = SealRecordV2(sender_, cards, {}, obs_, context, rng, clock);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }
};

TEST_F(RecordPq, EachCardGetsOneStanzaOfItsStrongestType) {
  ASSERT_TRUE(pq_.card().has_post_quantum_key());
  ASSERT_NE(pq_.xwing_key(), nullptr);
  ASSERT_EQ(classic_.xwing_key(), nullptr);
  const SealedRecord r = Seal({&pq2_.card(), &classic_.card(), &pq_.card()});
  ASSERT_EQ(r.recipients.size(), 3u);
  EXPECT_EQ(r.recipients[0].type, kStanzaX25519);
  EXPECT_EQ(r.recipients[0].key_id, classic_.key_id());
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(r.recipients[i].type, kStanzaXWing);
    EXPECT_EQ(r.recipients[i].wrapped_key.size(), kXWingStanzaBodySize);
  }
  EXPECT_TRUE(BytesLess(r.recipients[1].key_id, r.recipients[2].key_id));
  for (const Identity *who : {&pq_, &pq2_, &classic_}) {
    auto opened = OpenRecord(r, *who, sender_.card(), kTreat);
    ASSERT_OK(opened);
    EXPECT_TRUE(testing::SamePayload(*opened, obs_));
  }
  EXPECT_CODE(OpenRecord(r, sender_, sender_.card(), kTreat), ErrorCode::kNoMatchingRecipient);
  // The eseeds are requests 3 and 4 of the RNG, in stanza order.
  ChaChaRng replay(Bytes(32, 0x50));
  for (size_t n : {32, 24, 32}) (void)replay.Secret(n);
  for (size_t i = 1; i < 3; ++i) {
    const SecretBytes eseed = replay.Secret(64);
    const Identity &owner = r.recipients[i].key_id == pq_.key_id() ? pq_ : pq2_;
    auto enc = XWingEncapsulateDerand(owner.card().xwing_public_key(), RevealSecret(eseed));
    ASSERT_OK(enc);
    EXPECT_EQ(
        Bytes(r.recipients[i].wrapped_key.begin(), r.recipients[i].wrapped_key.begin() + 1120),
        enc->ciphertext);
  }
}

TEST_F(RecordPq, AVersion1RecordToAPostQuantumCardIsX25519AndOpens) {
  ChaChaRng rng(Bytes(32, 0x51));
  FixedClock clock(kCreated);
  std::vector<PublicCard> to{pq_.card()};
  auto v1 = SealRecord(sender_, to, obs_, rng, clock);
  ASSERT_OK(v1);
  ASSERT_EQ(v1->recipients.size(), 1u);
  EXPECT_EQ(v1->recipients[0].type, kStanzaX25519);
  EXPECT_EQ(json::parse(RecordHeaderJson(*v1))["postQuantum"], false);
  auto opened = OpenRecord(*v1, pq_, sender_.card());
  ASSERT_OK(opened);
  EXPECT_TRUE(testing::SamePayload(*opened, obs_));
}

TEST_F(RecordPq, EveryTruncationAndBitFlipFailsCleanly) {
  const Bytes bin = EncodeRecordBinary(Seal({&pq_.card()}));
  for (size_t n = 0; n < bin.size(); ++n) {
    auto r = ParseRecordBinary(ByteView(bin).first(n));
    ASSERT_FALSE(r.ok()) << n;
    if (n >= 5) EXPECT_EQ(r.status().code(), ErrorCode::kTruncated) << n;
  }
  // A flipped bit anywhere: a parse error or, once parsed, verification
  // (the sender key id: SENDER_MISMATCH; anything else: the signature).
  size_t verified_fails = 0;
  for (size_t i = 0; i < bin.size(); i += 13) {
    Bytes b = bin;
    b[i] ^= 0x04;
    auto parsed = ParseRecordBinary(b);
    if (!parsed.ok()) continue;
    auto opened = OpenRecord(*parsed, pq_, sender_.card(), kTreat);
    ASSERT_FALSE(opened.ok()) << i;
    const ErrorCode want = (i >= 5 && i < 21) ? ErrorCode::kSenderMismatch
                                              : ErrorCode::kSignatureInvalid;
    EXPECT_EQ(opened.status().code(), want) << i;
    ++verified_fails;
  }
  EXPECT_GT(verified_fails, 80u);
}

}  // namespace
}  // namespace medseal
