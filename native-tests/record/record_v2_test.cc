// SPDX-License-Identifier: Apache-2.0
// Sealed record v2 (docs/spec/record.md §5): purposes and consent hashes in
// the authenticated header, typed stanzas (X25519, vault, and types this
// build does not know), opening for a stated purpose, v1 records still
// opening, the sealing argument checks, and the tamper and truncation sweeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/record/internal/record_internal.h"
#include "core/record/record.h"
#include "native-tests/support/payload_data.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using testing::PayloadData;

constexpr UnixMillis kCreated = 1700000000000;
constexpr UnixMillis kNow = kCreated + 86400000;
const char* kActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

Identity Make(uint8_t seed, const char* name, const char* role) {
  auto id = Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, seed)), name, role, kCreated);
  EXPECT_TRUE(id.ok());
  return std::move(id).value();
}

RecordPurpose Purpose(const char* code) { return RecordPurpose{kActReason, code}; }

class RecordV2 : public ::testing::Test {
 protected:
  RecordV2()
      : patient_(Make(0x01, "Patient P", "patient")),
        clinician_(Make(0x02, "Dr. C", "clinician")),
        nurse_(Make(0x03, "Nurse N", "nurse")),
        outsider_(Make(0x04, "Outsider O", "clinician")),
        vault_(MakeVault(0x70)),
        other_vault_(MakeVault(0x71)) {
    context_.purposes = {Purpose("TREAT"), Purpose("ETREAT")};
    context_.consent_hashes = {Bytes(32, 0xcc), Bytes(32, 0x0a)};
  }

  static VaultKey MakeVault(uint8_t seed) {
    ChaChaRng rng(Bytes(32, seed));
    auto k = VaultKey::Generate(rng);
    EXPECT_TRUE(k.ok());
    return std::move(k).value();
  }

  Result<SealedRecord> Seal(std::vector<const PublicCard*> cards,
                            std::vector<const VaultKey*> vaults, const RecordContext& context,
                            uint8_t rng_byte = 0x50) {
    ChaChaRng rng(Bytes(32, rng_byte));
    FixedClock clock(kNow);
    return SealRecordV2(patient_, cards, vaults, obs_, context, rng, clock);
  }
  SealedRecord SealDefault() {
    auto r = Seal({&clinician_.card(), &nurse_.card()}, {&vault_}, context_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return std::move(r).value();
  }

  Identity patient_, clinician_, nurse_, outsider_;
  VaultKey vault_, other_vault_;
  RecordContext context_;
  PayloadData obs_{"application/fhir+json", "obs-1", "Observation", ToBytes(R"({"a":1})")};
};

TEST_F(RecordV2, SealsAndOpensForEachPurposeByCardAndVault) {
  SealedRecord r = SealDefault();
  EXPECT_EQ(r.version, kRecordVersion2);
  // Sorted canonically: ETREAT < TREAT; 0x0a.. < 0xcc..
  ASSERT_EQ(r.purposes.size(), 2u);
  EXPECT_EQ(r.purposes[0].code, "ETREAT");
  EXPECT_EQ(r.purposes[1].code, "TREAT");
  ASSERT_EQ(r.consent_hashes.size(), 2u);
  EXPECT_EQ(r.consent_hashes[0], Bytes(32, 0x0a));
  // The X25519 stanzas first (type 1), then the vault stanza (type 2).
  ASSERT_EQ(r.recipients.size(), 3u);
  EXPECT_EQ(r.recipients[0].type, kStanzaX25519);
  EXPECT_EQ(r.recipients[1].type, kStanzaX25519);
  EXPECT_EQ(r.recipients[2].type, kStanzaVault);
  EXPECT_EQ(r.recipients[2].key_id, vault_.key_id());
  for (const char* code : {"TREAT", "ETREAT"}) {
    for (const Identity* who : {&clinician_, &nurse_}) {
      auto opened = OpenRecord(r, *who, patient_.card(), Purpose(code));
      ASSERT_OK(opened);
      EXPECT_TRUE(testing::SamePayload(*opened, obs_));
      EXPECT_EQ(opened->created(), kNow);
    }
    auto by_vault = OpenRecordWithVaultKey(r, vault_, patient_.card(), Purpose(code));
    ASSERT_OK(by_vault);
    EXPECT_TRUE(testing::SamePayload(*by_vault, obs_));
  }
  EXPECT_OK(VerifyRecord(r, patient_.card()));
}

TEST_F(RecordV2, BothEncodingsRoundTripByteForByte) {
  SealedRecord r = SealDefault();
  Bytes bin = EncodeRecordBinary(r);
  std::string json = EncodeRecordJson(r);
  EXPECT_EQ(bin[4], 2);
  EXPECT_NE(json.find("\"v\":2"), std::string::npos);
  EXPECT_EQ(json.rfind("{\"ciphertext\":", 0), 0u) << "members in JCS order";
  auto from_bin = ParseRecordBinary(bin);
  ASSERT_OK(from_bin);
  auto from_json = ParseRecordJson(json);
  ASSERT_OK(from_json);
  EXPECT_EQ(EncodeRecordBinary(*from_json), bin);
  EXPECT_EQ(EncodeRecordJson(*from_bin), json);
  EXPECT_EQ(from_bin->purposes, r.purposes);
  EXPECT_EQ(from_json->consent_hashes, r.consent_hashes);
  ASSERT_OK(OpenRecord(*from_json, clinician_, patient_.card(), Purpose("TREAT")));
}

TEST_F(RecordV2, APurposeTheHeaderDoesNotCarryIsPurposeMismatch) {
  SealedRecord r = SealDefault();
  for (const RecordPurpose& p :
       {Purpose("HPAYMT"), Purpose("treat"), Purpose("BTG"),
        RecordPurpose{"http://terminology.hl7.org/CodeSystem/v3-ActReason/", "TREAT"},
        RecordPurpose{"urn:other", "TREAT"}}) {
    SCOPED_TRACE(p.system + " " + p.code);
    EXPECT_CODE(OpenRecord(r, clinician_, patient_.card(), p), ErrorCode::kPurposeMismatch);
    EXPECT_CODE(OpenRecordWithVaultKey(r, vault_, patient_.card(), p), ErrorCode::kPurposeMismatch);
  }
  // Without a stated purpose, a v2 record does not open.
  EXPECT_CODE(OpenRecord(r, clinician_, patient_.card()), ErrorCode::kPurposeMismatch);
}

TEST_F(RecordV2, OrderOfOpeningChecks) {
  SealedRecord r = SealDefault();
  // A malformed stated purpose first (before any check of the record).
  EXPECT_CODE(OpenRecord(r, clinician_, nurse_.card(), RecordPurpose{"", "TREAT"}),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(OpenRecord(r, clinician_, patient_.card(), RecordPurpose{kActReason, "TRE AT"}),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(
      OpenRecord(r, clinician_, patient_.card(), RecordPurpose{kActReason, std::string(65, 'A')}),
      ErrorCode::kInvalidArgument);
  // V1 before U1, U1 before O1.
  EXPECT_CODE(OpenRecord(r, clinician_, nurse_.card(), Purpose("HPAYMT")),
              ErrorCode::kSenderMismatch);
  EXPECT_CODE(OpenRecord(r, outsider_, patient_.card(), Purpose("HPAYMT")),
              ErrorCode::kPurposeMismatch);
  EXPECT_CODE(OpenRecord(r, outsider_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kNoMatchingRecipient);
  // The vault stanza is not a card's and a card's is not a vault key's.
  EXPECT_CODE(OpenRecordWithVaultKey(r, other_vault_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kNoMatchingRecipient);
  auto sealed_to_vault_only = Seal({}, {&vault_}, context_);
  ASSERT_OK(sealed_to_vault_only);
  EXPECT_CODE(OpenRecord(*sealed_to_vault_only, clinician_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kNoMatchingRecipient);
}

TEST_F(RecordV2, AVaultKeyWithTheRightIdButOtherBytesFails) {
  SealedRecord r = SealDefault();
  auto forged = VaultKey::FromBytes(vault_.key_id(), SecretBytes::CopyFrom(Bytes(32, 0x99)));
  ASSERT_OK(forged);
  EXPECT_CODE(OpenRecordWithVaultKey(r, *forged, patient_.card(), Purpose("TREAT")),
              ErrorCode::kDecryptFailed);
  // The same bytes imported again open it (the keystore's round trip).
  auto again = VaultKey::FromBytes(vault_.key_id(),
                                   SecretBytes::CopyFrom(RevealSecret(vault_.key())));
  ASSERT_OK(again);
  EXPECT_OK(OpenRecordWithVaultKey(r, *again, patient_.card(), Purpose("TREAT")));
}

TEST_F(RecordV2, VaultKeys) {
  // Generate draws the 32-byte key, then the 16-byte id.
  ChaChaRng rng(Bytes(32, 0x70));
  SecretBytes key = rng.Secret(32);
  Bytes id(16);
  rng.Fill(id.data(), id.size());
  EXPECT_EQ(vault_.key_id(), id);
  EXPECT_TRUE(std::equal(RevealSecret(vault_.key()).begin(), RevealSecret(vault_.key()).end(),
                         RevealSecret(key).begin()));
  EXPECT_NE(vault_.key_id(), other_vault_.key_id());
  EXPECT_CODE(VaultKey::FromBytes(Bytes(15, 1), SecretBytes::CopyFrom(Bytes(32, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(VaultKey::FromBytes(Bytes(16, 1), SecretBytes::CopyFrom(Bytes(31, 1))),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(VaultKey::FromBytes(Bytes(16, 1), SecretBytes::CopyFrom(Bytes(33, 1))),
              ErrorCode::kInvalidArgument);
}

TEST_F(RecordV2, V1RecordsStillOpenWithAnyPurpose) {
  ChaChaRng rng(Bytes(32, 0x51));
  FixedClock clock(kNow);
  std::vector<PublicCard> to{clinician_.card()};
  auto v1 = SealRecord(patient_, to, obs_, rng, clock);
  ASSERT_OK(v1);
  EXPECT_EQ(v1->version, kRecordVersion1);
  EXPECT_TRUE(v1->purposes.empty());
  EXPECT_EQ(EncodeRecordBinary(*v1)[4], 1);
  ASSERT_OK(OpenRecord(*v1, clinician_, patient_.card(), Purpose("HPAYMT")));
  ASSERT_OK(OpenRecord(*v1, clinician_, patient_.card()));
  EXPECT_CODE(OpenRecordWithVaultKey(*v1, vault_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kNoMatchingRecipient);
}

TEST_F(RecordV2, SealArgumentChecks) {
  const PublicCard* c = &clinician_.card();
  EXPECT_CODE(Seal({}, {}, context_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Seal({nullptr}, {}, context_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Seal({c}, {nullptr}, context_), ErrorCode::kInvalidArgument);
  EXPECT_CODE(Seal({c, c}, {}, context_), ErrorCode::kDuplicateRecipient);
  EXPECT_CODE(Seal({c}, {&vault_, &vault_}, context_), ErrorCode::kDuplicateRecipient);
  {
    std::vector<const VaultKey*> many(64, &vault_);
    EXPECT_CODE(Seal({c}, many, context_), ErrorCode::kTooLarge);  // 65 in all
  }
  RecordContext ctx = context_;
  ctx.purposes.clear();
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.purposes.assign(17, Purpose("TREAT"));
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kTooLarge);
  ctx.purposes = {Purpose("TREAT"), Purpose("TREAT")};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.purposes = {RecordPurpose{kActReason, ""}};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.purposes = {RecordPurpose{"urn:x y", "TREAT"}};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.purposes = {RecordPurpose{kActReason, std::string(65, 'A')}};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kTooLarge);
  ctx.purposes = {RecordPurpose{std::string(256, 'u'), "TREAT"}};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kTooLarge);
  ctx.purposes = {Purpose("TREAT")};
  ctx.consent_hashes = {Bytes(31, 1)};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.consent_hashes = {Bytes(32, 1), Bytes(32, 1)};
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kInvalidArgument);
  ctx.consent_hashes.assign(65, Bytes(32, 1));
  EXPECT_CODE(Seal({c}, {}, ctx), ErrorCode::kTooLarge);
  ctx.consent_hashes.clear();
  ASSERT_OK(Seal({c}, {}, ctx));  // no consent hash is allowed
  {
    ctx.purposes = {Purpose("TREAT")};
    ChaChaRng rng(Bytes(32, 1));
    FixedClock clock(-1);
    std::vector<const PublicCard*> cards{c};
    EXPECT_CODE(SealRecordV2(patient_, cards, {}, obs_, ctx, rng, clock),
                ErrorCode::kInvalidArgument);
  }
  PayloadData bad = obs_;
  bad.content_type = "";
  ChaChaRng rng(Bytes(32, 1));
  FixedClock clock(kNow);
  std::vector<const PublicCard*> cards{c};
  EXPECT_CODE(SealRecordV2(patient_, cards, {}, bad, context_, rng, clock),
              ErrorCode::kInvalidArgument);
}

TEST_F(RecordV2, SixtyFourRecipientsInAllAreAllowed) {
  std::vector<VaultKey> keys;
  for (int i = 0; i < 63; ++i) keys.push_back(MakeVault(static_cast<uint8_t>(0x80 + i)));
  std::vector<const VaultKey*> ptrs;
  for (const auto& k : keys) ptrs.push_back(&k);
  auto r = Seal({&clinician_.card()}, ptrs, context_);
  ASSERT_OK(r);
  EXPECT_EQ(r->recipients.size(), 64u);
  ASSERT_OK(ParseRecordBinary(EncodeRecordBinary(*r)));
  EXPECT_OK(OpenRecordWithVaultKey(*r, keys[40], patient_.card(), Purpose("TREAT")));
}

// The purposes and consent hashes are bound: changing them breaks the
// signature, and re-signing (the sender's own tampering) breaks the AEAD.
TEST_F(RecordV2, HeaderContextIsAuthenticated) {
  SealedRecord r = SealDefault();
  auto mutate = [&](auto f) {
    SealedRecord m = r;
    f(m);
    EXPECT_CODE(VerifyRecord(m, patient_.card()), ErrorCode::kSignatureInvalid);
    m.signature = patient_.Sign(internal::RecordSignatureMessage(m));
    EXPECT_OK(VerifyRecord(m, patient_.card()));
    EXPECT_CODE(OpenRecord(m, clinician_, patient_.card(), Purpose("TREAT")),
                ErrorCode::kDecryptFailed);
  };
  mutate([](SealedRecord& m) { m.purposes.insert(m.purposes.begin(), Purpose("BTG")); });
  mutate([](SealedRecord& m) { m.consent_hashes.pop_back(); });
  mutate([](SealedRecord& m) { m.consent_hashes[0][5] ^= 1; });
  // A v2 record relabelled as v1 does not verify (the version is signed).
  SealedRecord as_v1 = r;
  as_v1.version = kRecordVersion1;
  as_v1.purposes.clear();
  as_v1.consent_hashes.clear();
  as_v1.recipients.pop_back();  // v1 has no vault stanzas
  EXPECT_CODE(VerifyRecord(as_v1, patient_.card()), ErrorCode::kSignatureInvalid);
}

// A stanza of a type this build does not know is parsed, kept (its bytes are
// signed and in the associated data) and skipped when opening: the opener
// uses the stanza of a type it knows for its key id.
TEST_F(RecordV2, UnknownStanzaTypesAreKeptAndSkipped) {
  const RecipientStanza extra[] = {
      {clinician_.key_id(), Bytes(1200, 0x5a), 200},  // a later type for the same card
      {Bytes(16, 0xee), Bytes(), 255},                // an empty body is allowed
  };
  ChaChaRng rng(Bytes(32, 0x50));
  const PublicCard* cards[] = {&clinician_.card(), &nurse_.card()};
  const VaultKey* vaults[] = {&vault_};
  RecordContext sorted;
  ASSERT_OK(internal::CheckRecordContext(context_, &sorted));
  Bytes padded = internal::EncodePayloadForTesting(obs_, kNow);
  auto sealed = internal::SealPaddedPayloadV2(patient_, cards, vaults, padded, sorted, rng, extra);
  ASSERT_OK(sealed);
  Bytes bin = EncodeRecordBinary(*sealed);
  auto parsed = ParseRecordBinary(bin);
  ASSERT_OK(parsed);
  ASSERT_EQ(parsed->recipients.size(), 5u);
  EXPECT_EQ(parsed->recipients[3].type, 200);
  EXPECT_EQ(parsed->recipients[3].wrapped_key.size(), 1200u);
  EXPECT_EQ(parsed->recipients[4].type, 255);
  EXPECT_EQ(EncodeRecordBinary(*parsed), bin);
  auto json = ParseRecordJson(EncodeRecordJson(*parsed));
  ASSERT_OK(json);
  EXPECT_EQ(EncodeRecordBinary(*json), bin);
  for (const SealedRecord* rec : {&*parsed, &*json}) {
    auto opened = OpenRecord(*rec, clinician_, patient_.card(), Purpose("TREAT"));
    ASSERT_OK(opened);
    EXPECT_TRUE(testing::SamePayload(*opened, obs_));
    EXPECT_OK(OpenRecordWithVaultKey(*rec, vault_, patient_.card(), Purpose("TREAT")));
  }
  // The unknown stanzas are authenticated: dropping one (re-signed) fails
  // the payload AEAD.
  SealedRecord dropped = *parsed;
  dropped.recipients.pop_back();
  dropped.signature = patient_.Sign(internal::RecordSignatureMessage(dropped));
  EXPECT_CODE(OpenRecord(dropped, clinician_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kDecryptFailed);
}

TEST_F(RecordV2, StanzaTypeAndBodyRules) {
  SealedRecord r = SealDefault();
  // Type 0 is refused.
  SealedRecord zero = r;
  zero.recipients.insert(zero.recipients.begin(), RecipientStanza{Bytes(16, 1), Bytes(48, 0), 0});
  EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(zero)), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecordJson(EncodeRecordJson(zero)), ErrorCode::kMalformed);
  EXPECT_CODE(VerifyRecord(zero, patient_.card()), ErrorCode::kMalformed);
  // A body over 4096 bytes.
  SealedRecord big = r;
  big.recipients.push_back(RecipientStanza{Bytes(16, 1), Bytes(4097, 0), 9});
  EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(big)), ErrorCode::kTooLarge);
  EXPECT_CODE(ParseRecordJson(EncodeRecordJson(big)), ErrorCode::kTooLarge);
  big.recipients.back().wrapped_key.pop_back();  // 4096: the limit
  EXPECT_OK(ParseRecordBinary(EncodeRecordBinary(big)));
  // A known type with a body of other than 48 bytes.
  SealedRecord short_known = r;
  short_known.recipients[2].wrapped_key.pop_back();
  EXPECT_CODE(ParseRecordBinary(EncodeRecordBinary(short_known)), ErrorCode::kMalformed);
  EXPECT_CODE(ParseRecordJson(EncodeRecordJson(short_known)), ErrorCode::kMalformed);
  // Relabelling a vault stanza as an unknown type (re-signed): the vault key
  // no longer finds it, and the card's open fails the payload AEAD.
  SealedRecord relabelled = r;
  relabelled.recipients[2].type = 7;
  relabelled.signature = patient_.Sign(internal::RecordSignatureMessage(relabelled));
  EXPECT_OK(VerifyRecord(relabelled, patient_.card()));
  EXPECT_CODE(OpenRecordWithVaultKey(relabelled, vault_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenRecord(relabelled, clinician_, patient_.card(), Purpose("TREAT")),
              ErrorCode::kDecryptFailed);
}

TEST_F(RecordV2, EveryTruncationFailsCleanly) {
  Bytes bin = EncodeRecordBinary(SealDefault());
  for (size_t n = 0; n < bin.size(); ++n) {
    auto r = ParseRecordBinary(ByteView(bin).first(n));
    ASSERT_FALSE(r.ok()) << n;
    if (n >= 5) {
      EXPECT_EQ(r.status().code(), ErrorCode::kTruncated) << n;
    }
  }
  Bytes longer = bin;
  longer.push_back(0);
  EXPECT_CODE(ParseRecordBinary(longer), ErrorCode::kTrailingData);
}

TEST_F(RecordV2, EveryFlippedByteIsRefused) {
  SealedRecord r = SealDefault();
  Bytes bin = EncodeRecordBinary(r);
  for (size_t i = 0; i < bin.size(); ++i) {
    Bytes b = bin;
    b[i] ^= 0x01;
    auto parsed = ParseRecordBinary(b);
    if (!parsed.ok()) continue;
    EXPECT_FALSE(OpenRecord(*parsed, clinician_, patient_.card(), Purpose("TREAT")).ok()) << i;
  }
}

TEST_F(RecordV2, HandBuiltRecordsGetTheStructuralChecks) {
  SealedRecord r = SealDefault();
  auto check = [&](auto f, ErrorCode code) {
    SealedRecord m = r;
    f(m);
    auto s = VerifyRecord(m, patient_.card());
    EXPECT_EQ(s.code(), code) << s.ToString();
  };
  check([](SealedRecord& m) { m.purposes.clear(); }, ErrorCode::kMalformed);
  check([](SealedRecord& m) { std::swap(m.purposes[0], m.purposes[1]); }, ErrorCode::kNonCanonical);
  check([](SealedRecord& m) { m.consent_hashes[1] = m.consent_hashes[0]; },
        ErrorCode::kNonCanonical);
  check([](SealedRecord& m) { m.consent_hashes[0].pop_back(); }, ErrorCode::kMalformed);
  check([](SealedRecord& m) { std::swap(m.recipients[0], m.recipients[2]); },
        ErrorCode::kNonCanonical);
  check([](SealedRecord& m) { m.recipients[1] = m.recipients[0]; }, ErrorCode::kDuplicateRecipient);
  check([](SealedRecord& m) { m.version = 3; }, ErrorCode::kUnsupportedVersion);
  check(
      [](SealedRecord& m) {
        m.version = kRecordVersion1;
        m.purposes.clear();
        m.consent_hashes.clear();
      },
      ErrorCode::kMalformed);  // a vault stanza in a v1 record
}

TEST(RecordContextFromJson, ReadsWhatThePackageWrites) {
  auto c = RecordContextFromJson(
      R"({"consentHashes":["00ff","0a0b"],"purposes":[{"code":"TREAT","system":"urn:s"},)"
      R"({"system":"urn:t","code":"ETREAT"}]})");
  ASSERT_OK(c);
  ASSERT_EQ(c->purposes.size(), 2u);
  EXPECT_EQ(c->purposes[0], (RecordPurpose{"urn:s", "TREAT"}));
  EXPECT_EQ(c->purposes[1], (RecordPurpose{"urn:t", "ETREAT"}));
  ASSERT_EQ(c->consent_hashes.size(), 2u);
  EXPECT_EQ(c->consent_hashes[0], (Bytes{0x00, 0xff}));
  // Values are not judged here (SealRecordV2 does): an empty list is fine.
  ASSERT_OK(RecordContextFromJson(R"({"purposes":[],"consentHashes":[]})"));
  for (const char* bad :
       {"", "[]", "{}", R"({"purposes":[]})", R"({"purposes":{},"consentHashes":[]})",
        R"({"purposes":[1],"consentHashes":[]})",
        R"({"purposes":[{"system":"s"}],"consentHashes":[]})",
        R"({"purposes":[{"system":1,"code":"c"}],"consentHashes":[]})",
        R"({"purposes":[],"consentHashes":["0"]})", R"({"purposes":[],"consentHashes":[7]})",
        R"({"purposes":[],"consentHashes":[],"x":0})"}) {
    EXPECT_CODE(RecordContextFromJson(bad), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_CODE(RecordContextFromJson(std::string((1u << 20) + 1, ' ')), ErrorCode::kTooLarge);
}

TEST_F(RecordV2, HeaderJsonForInspection) {
  SealedRecord r = SealDefault();
  auto j = nlohmann::json::parse(RecordHeaderJson(r));
  EXPECT_EQ(j["version"], 2);
  EXPECT_EQ(j["purposes"].size(), 2u);
  EXPECT_EQ(j["purposes"][0]["code"], "ETREAT");
  EXPECT_EQ(j["consentHashes"].size(), 2u);
  EXPECT_EQ(j["recipients"].size(), 3u);
  EXPECT_EQ(j["recipients"][2]["type"], 2);
  EXPECT_EQ(j["ciphertextBytes"], r.ciphertext.size());
  ChaChaRng rng(Bytes(32, 0x51));
  FixedClock clock(kNow);
  std::vector<PublicCard> to{clinician_.card()};
  auto v1 = SealRecord(patient_, to, obs_, rng, clock);
  ASSERT_OK(v1);
  auto j1 = nlohmann::json::parse(RecordHeaderJson(*v1));
  EXPECT_EQ(j1["version"], 1);
  EXPECT_TRUE(j1["purposes"].empty());
  EXPECT_EQ(j1["recipients"][0]["type"], 1);
}

TEST(RecordPurposeOrder, SystemThenCodeBytewise) {
  EXPECT_TRUE(PurposeLess({"a", "Z"}, {"b", "A"}));
  EXPECT_TRUE(PurposeLess({"a", "A"}, {"a", "B"}));
  EXPECT_TRUE(PurposeLess({"a", "AB"}, {"a", "B"}));
  EXPECT_TRUE(PurposeLess({"a", "A"}, {"a", "AA"}));  // a prefix first
  EXPECT_TRUE(PurposeLess({"B", "x"}, {"a", "x"}));   // bytes, not case-folded
  EXPECT_FALSE(PurposeLess({"a", "A"}, {"a", "A"}));
}

// ---- the shared vectors, native-tests/vectors/record/record_v2.json ----

using nlohmann::json;
using testing::HexOrDie;

struct V2File {
  json file;
  std::map<std::string, std::unique_ptr<Identity>> ids;
  std::map<std::string, std::unique_ptr<VaultKey>> vaults;
};

V2File LoadV2() {
  V2File f;
  f.file = testing::LoadVectorJson("record/record_v2.json");
  for (const auto& [key, v] : f.file["identities"].items()) {
    auto id = Identity::FromSeed(SecretBytes::CopyFrom(HexOrDie(v["seed"])),
                                 v["name"].get<std::string>(), v["role"].get<std::string>(),
                                 v["created"].get<int64_t>());
    EXPECT_TRUE(id.ok()) << key;
    EXPECT_EQ(id->card().ToJson(), v["card"].get<std::string>()) << key;
    f.ids[key] = std::make_unique<Identity>(std::move(id).value());
  }
  for (const auto& [key, v] : f.file["vaultKeys"].items()) {
    auto k = VaultKey::FromBytes(HexOrDie(v["keyId"]), SecretBytes::CopyFrom(HexOrDie(v["key"])));
    EXPECT_TRUE(k.ok()) << key;
    f.vaults[key] = std::make_unique<VaultKey>(std::move(k).value());
  }
  return f;
}

RecordPurpose PurposeFromJson(const json& p) {
  return RecordPurpose{p["system"].get<std::string>(), p["code"].get<std::string>()};
}

PayloadData PayloadFromJson(const json& p) {
  return PayloadData{p["contentType"], p["recordId"], p["resourceType"], HexOrDie(p["body"])};
}

Result<SealedRecord> ParseCase(const json& t) {
  const std::string input = t["input"];
  return t["encoding"] == "binary" ? ParseRecordBinary(HexOrDie(input)) : ParseRecordJson(input);
}

// Parse -> verify -> open with the opener for the stated purpose.
Result<OpenedPayload> RunV2Case(const json& t, const V2File& f) {
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord parsed, ParseCase(t));
  const PublicCard& sender = f.ids.at(t["sender"])->card();
  MEDSEAL_RETURN_IF_ERROR(VerifyRecord(parsed, sender));
  const json& opener = t["opener"];
  if (opener.contains("vaultKey")) {
    return OpenRecordWithVaultKey(parsed, *f.vaults.at(opener["vaultKey"]), sender,
                                  PurposeFromJson(t["purpose"]));
  }
  const Identity& who = *f.ids.at(opener["identity"]);
  if (t["purpose"].is_null()) return OpenRecord(parsed, who, sender);
  return OpenRecord(parsed, who, sender, PurposeFromJson(t["purpose"]));
}

json HeaderOf(const SealedRecord& r) {
  json purposes = json::array(), hashes = json::array(), stanzas = json::array();
  for (const auto& p : r.purposes) purposes.push_back({{"system", p.system}, {"code", p.code}});
  for (const auto& h : r.consent_hashes) hashes.push_back(HexEncode(h));
  for (const auto& s : r.recipients) {
    stanzas.push_back({{"type", s.type}, {"keyId", HexEncode(s.key_id)}});
  }
  return json{{"version", r.version},
              {"purposes", purposes},
              {"consentHashes", hashes},
              {"stanzas", stanzas}};
}

TEST(RecordV2Vectors, EveryCase) {
  V2File f = LoadV2();
  ASSERT_EQ(f.file["tests"].size(), f.file["numberOfTests"].get<size_t>());
  ASSERT_GT(f.file["tests"].size(), 100u);
  std::map<std::string, int> errors_seen;
  size_t vault_opened = 0;
  for (const auto& t : f.file["tests"]) {
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()) + ": " +
                 t["comment"].get<std::string>());
    auto opened = RunV2Case(t, f);
    if (t["result"] == "valid") {
      ASSERT_OK(opened);
      EXPECT_TRUE(testing::SamePayload(*opened, PayloadFromJson(t["payload"])));
      EXPECT_EQ(opened->created(), t["payload"]["created"].get<int64_t>());
      auto parsed = ParseCase(t);
      ASSERT_OK(parsed);
      EXPECT_EQ(HeaderOf(*parsed), t["header"]);
      if (t["opener"].contains("vaultKey")) ++vault_opened;
    } else {
      ASSERT_FALSE(opened.ok());
      EXPECT_EQ(ErrorCodeName(opened.status().code()), t["error"].get<std::string>())
          << opened.status().ToString();
      errors_seen[t["error"]]++;
    }
  }
  EXPECT_GT(vault_opened, 3u);
  for (const char* code :
       {"MALFORMED", "UNSUPPORTED_VERSION", "TRAILING_DATA", "DUPLICATE_RECIPIENT", "NON_CANONICAL",
        "TOO_LARGE", "TRUNCATED", "NO_MATCHING_RECIPIENT", "DECRYPT_FAILED", "SIGNATURE_INVALID",
        "SENDER_MISMATCH", "WEAK_KEY", "PURPOSE_MISMATCH"}) {
    EXPECT_GT(errors_seen[code], 0) << "no vector for " << code;
  }
}

// The encrypt direction: sealing with the recorded inputs reproduces every
// valid version 2 case that has a `seal`, byte for byte.
TEST(RecordV2Vectors, SealReproducesInput) {
  V2File f = LoadV2();
  size_t reproduced = 0;
  for (const auto& t : f.file["tests"]) {
    if (!t.contains("seal")) continue;
    SCOPED_TRACE("tcId " + std::to_string(t["tcId"].get<int>()));
    const json& s = t["seal"];
    std::vector<const PublicCard*> cards;
    for (const auto& n : s["recipients"]) cards.push_back(&f.ids.at(n)->card());
    std::vector<const VaultKey*> vaults;
    for (const auto& n : s["vaultKeys"]) vaults.push_back(f.vaults.at(n).get());
    RecordContext context;
    for (const auto& p : s["purposes"]) context.purposes.push_back(PurposeFromJson(p));
    for (const auto& h : s["consentHashes"]) context.consent_hashes.push_back(HexOrDie(h));
    const PayloadData payload = PayloadFromJson(s["payload"]);
    ChaChaRng rng(HexOrDie(s["rngSeed"]));
    FixedClock clock(s["now"].get<int64_t>());
    Result<SealedRecord> sealed = Error(ErrorCode::kInternal, "unset");
    if (s.contains("extraStanzas")) {
      std::vector<RecipientStanza> extra;
      for (const auto& e : s["extraStanzas"]) {
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
  }
  EXPECT_GE(reproduced, 12u);
}

TEST(RecordV2Vectors, VaultKeysFromTheirSeeds) {
  V2File f = LoadV2();
  size_t generated = 0;
  for (const auto& [key, v] : f.file["vaultKeys"].items()) {
    if (!v.contains("rngSeed")) continue;
    ChaChaRng rng(HexOrDie(v["rngSeed"]));
    auto k = VaultKey::Generate(rng);
    ASSERT_OK(k);
    EXPECT_EQ(HexEncode(k->key_id()), v["keyId"].get<std::string>()) << key;
    EXPECT_EQ(HexEncode(RevealSecret(k->key())), v["key"].get<std::string>()) << key;
    ++generated;
  }
  EXPECT_GT(generated, 60u);
  ASSERT_TRUE(f.file["vaultKeys"].contains("vault-a-forged"));
  EXPECT_EQ(f.file["vaultKeys"]["vault-a-forged"]["keyId"],
            f.file["vaultKeys"]["vault-a"]["keyId"]);
}

// Every valid case re-encodes losslessly into the other encoding.
TEST(RecordV2Vectors, EncodingsConvertLosslessly) {
  V2File f = LoadV2();
  for (const auto& t : f.file["tests"]) {
    if (t["result"] != "valid") continue;
    auto r = ParseCase(t);
    ASSERT_OK(r);
    if (t["encoding"] == "binary") {
      EXPECT_EQ(HexEncode(EncodeRecordBinary(*r)), t["input"].get<std::string>());
      EXPECT_OK(ParseRecordJson(EncodeRecordJson(*r)));
    } else {
      EXPECT_EQ(EncodeRecordJson(*r), t["input"].get<std::string>());
    }
  }
}

}  // namespace
}  // namespace medseal
