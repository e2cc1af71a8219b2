// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for sealed records (core/record/record.h).
//
// For every input: ParseRecord (binary or JSON). If it parses:
//  - the binary encoding round-trips (parse(encode(r)) re-encodes to the same
//    bytes), a binary input is re-encoded byte for byte (one spelling per
//    record), and the JSON encoding parses back to the same record;
//  - VerifyRecord with the fixed sender card and OpenRecord with the fixed
//    recipient identity run, and must agree with each other;
//  - version 2 (docs/spec/record.md §5): opening for each purpose the header
//    carries gives one same outcome (also for the post-quantum identity of
//    the clinician's seed, whose card has an X-Wing key, so that type 3
//    stanzas reach X-Wing decapsulation), a purpose it does not carry is
//    PURPOSE_MISMATCH once verified, opening without a purpose is
//    PURPOSE_MISMATCH, and the fixed vault key (record_v2.json's "vault-a")
//    opens or fails with a recipient code; a version 1 record opens the same
//    for any purpose.
// The input is also read as RecordContextFromJson's JSON (the bindings'
// purposes argument), which must never fail with another code than
// INVALID_ARGUMENT or TOO_LARGE.
// Any violation aborts: that is a bug, not bad input.
//
// The fixed identities are the ones the record vectors use (seed 32 x 0x02 =
// recipient "Dr. C"/clinician, seed 32 x 0x01 = sender "Patient P"/patient,
// created 1700000000000; and record_v2_pq.json's "clinician-pq", the same
// seed with a post-quantum card), so records from native-tests/vectors reach
// signature verification and decryption.
//
// If MEDSEAL_FUZZ_SEED_DIR is set, LLVMFuzzerInitialize also writes a few
// records sealed from the patient to the clinician (v1, and v2 with the
// vault key and the post-quantum clinician too) into that directory (as .bin and .json), so the
// corpus reaches decryption even without vectors.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/random.h"
#include "core/codec/hex.h"
#include "core/identity/identity.h"
#include "core/record/record.h"

namespace {

using namespace medseal;

constexpr UnixMillis kCreated = 1700000000000;

[[noreturn]] void Bug(const char* what) {
  std::fprintf(stderr, "record_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

Identity MakeIdentity(uint8_t seed_byte, std::string_view name, std::string_view role,
                      CardKeys keys = CardKeys::kClassic) {
  SecretBytes seed(kIdentitySeedSize);
  std::memset(RevealMutableSecret(seed), seed_byte, seed.size());
  auto id = Identity::FromSeed(seed, name, role, kCreated, keys);
  if (!id.ok()) Bug("cannot derive a fixed identity");
  return std::move(id).value();
}

VaultKey MakeVault(uint8_t seed_byte) {
  ChaChaRng rng(Bytes(ChaChaRng::kSeedSize, seed_byte));
  auto k = VaultKey::Generate(rng);
  if (!k.ok()) Bug("cannot make the fixed vault key");
  return std::move(k).value();
}

struct FixedIdentities {
  Identity patient;       // sender
  Identity clinician;     // recipient
  VaultKey vault;         // record_v2.json's vault-a (ChaChaRng seed 32 x 0x70)
  Identity clinician_pq;  // record_v2_pq.json's clinician-pq (an X-Wing key)
};

const FixedIdentities& Fixed() {
  // Never destroyed: libFuzzer may exit from any thread at any time.
  static const FixedIdentities* ids = new FixedIdentities{
      MakeIdentity(0x01, "Patient P", "patient"), MakeIdentity(0x02, "Dr. C", "clinician"),
      MakeVault(0x70), MakeIdentity(0x02, "Dr. C", "clinician", CardKeys::kPostQuantum)};
  return *ids;
}

const RecordPurpose& Treat() {
  static const RecordPurpose* p = new RecordPurpose{
      "http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT"};
  return *p;
}

// What opening may fail with once VerifyRecord passed.
bool IsOpenError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kPurposeMismatch:
    case ErrorCode::kNoMatchingRecipient:
    case ErrorCode::kWeakKey:
    case ErrorCode::kDecryptFailed:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kMalformed: return true;
    default: return false;
  }
}

// Same success, or the same code.
bool SameOutcome(const Result<OpenedPayload>& a, const Result<OpenedPayload>& b) {
  if (a.ok() != b.ok()) return false;
  if (!a.ok()) return a.status().code() == b.status().code();
  return a->created() == b->created() && a->content_type() == b->content_type() &&
         a->body().size() == b->body().size() &&
         std::memcmp(a->body().data(), b->body().data(), a->body().size()) == 0;
}

// A record that opens must carry a payload SealRecord could have produced.
void CheckPayload(const OpenedPayload& p) {
  if (p.content_type().empty() || p.content_type().size() > kMaxContentTypeBytes ||
      p.record_id().size() > kMaxRecordIdBytes ||
      p.resource_type().size() > kMaxResourceTypeBytes || p.body().size() > kMaxBodyBytes ||
      p.created() < 0 || p.created() > kMaxUnixMillis) {
    Bug("opened payload breaks the field limits");
  }
}

// Version 2 opening for stated purposes, and the vault key.
void CheckPurposes(const SealedRecord& record, const Result<OpenedPayload>& opened_v1_style) {
  const FixedIdentities& ids = Fixed();
  const RecordPurpose absent{"urn:medseal:fuzz", "NOT-IN-ANY-HEADER"};
  auto for_absent = OpenRecord(record, ids.clinician, ids.patient.card(), absent);
  if (record.version == kRecordVersion1) {
    // No purpose binding: every stated purpose gives the no-purpose outcome.
    if (!SameOutcome(for_absent, opened_v1_style)) Bug("a v1 record opens differently by purpose");
    auto by_vault = OpenRecordWithVaultKey(record, ids.vault, ids.patient.card(), Treat());
    if (by_vault.ok() || by_vault.status().code() != ErrorCode::kNoMatchingRecipient) {
      Bug("a v1 record has no vault stanza");
    }
    return;
  }
  if (opened_v1_style.ok() || opened_v1_style.status().code() != ErrorCode::kPurposeMismatch) {
    Bug("a v2 record opened without a stated purpose");
  }
  if (for_absent.ok() || for_absent.status().code() != ErrorCode::kPurposeMismatch) {
    Bug("a v2 record opened for a purpose its header does not carry");
  }
  std::optional<Result<OpenedPayload>> first;
  for (const RecordPurpose& p : record.purposes) {
    auto opened = OpenRecord(record, ids.clinician, ids.patient.card(), p);
    if (!opened.ok() && (!IsOpenError(opened.status().code()) ||
                         opened.status().code() == ErrorCode::kPurposeMismatch)) {
      Bug("opening for a carried purpose failed with an unexpected code");
    }
    if (!first.has_value()) {
      first.emplace(std::move(opened));
    } else if (!SameOutcome(*first, opened)) {
      Bug("opening depends on which carried purpose is stated");
    }
    auto by_vault = OpenRecordWithVaultKey(record, ids.vault, ids.patient.card(), p);
    if (!by_vault.ok() && (!IsOpenError(by_vault.status().code()) ||
                           by_vault.status().code() == ErrorCode::kPurposeMismatch)) {
      Bug("opening with the vault key failed with an unexpected code");
    }
    auto by_pq = OpenRecord(record, ids.clinician_pq, ids.patient.card(), p);
    if (!by_pq.ok() && (!IsOpenError(by_pq.status().code()) ||
                        by_pq.status().code() == ErrorCode::kPurposeMismatch)) {
      Bug("opening with the post-quantum identity failed with an unexpected code");
    }
    if (by_pq.ok()) CheckPayload(*by_pq);
  }
}

bool IsParseError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed:
    case ErrorCode::kUnsupportedVersion:
    case ErrorCode::kTrailingData:
    case ErrorCode::kDuplicateRecipient:
    case ErrorCode::kNonCanonical:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTruncated: return true;
    default: return false;
  }
}

void WriteFile(const std::string& path, const void* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return;
  if (size > 0) std::fwrite(data, 1, size, f);
  std::fclose(f);
}

void WriteSeeds(const char* dir) {
  const FixedIdentities& ids = Fixed();
  Bytes rng_seed(ChaChaRng::kSeedSize, 0x03);
  ChaChaRng rng(rng_seed);
  FixedClock clock(kCreated);
  struct Case {
    const char* name;
    RecordPayload payload;
    bool to_both;
  };
  const Bytes observation = ToBytes(R"({"resourceType":"Observation","status":"final"})");
  const Bytes blob(700, 0xab);
  std::vector<Case> cases;
  cases.push_back({"small", {"application/fhir+json", "obs-1", "Observation", observation}, false});
  cases.push_back({"empty", {"text/plain", "", "", {}}, false});
  cases.push_back({"two-recipients", {"application/octet-stream", "blob", "Binary", blob}, true});
  for (const Case& c : cases) {
    std::vector<PublicCard> to{ids.clinician.card()};
    if (c.to_both) to.push_back(ids.patient.card());
    auto sealed = SealRecord(ids.patient, to, c.payload, rng, clock);
    if (!sealed.ok()) Bug("cannot seal a seed record");
    std::vector<const PublicCard*> cards;
    for (const auto& card : to) cards.push_back(&card);
    cards.push_back(&ids.clinician_pq.card());  // a type 3 (X-Wing) stanza
    const VaultKey* vaults[] = {&ids.vault};
    RecordContext context{{Treat(), {"urn:example:purpose", "care-coordination"}},
                          {Bytes(32, 0x11)}};
    auto sealed_v2 = SealRecordV2(ids.patient, cards, vaults, c.payload, context, rng, clock);
    if (!sealed_v2.ok()) Bug("cannot seal a v2 seed record");
    for (const auto& [suffix, r] :
         {std::pair<const char*, const SealedRecord*>{"", &*sealed}, {"-v2", &*sealed_v2}}) {
      Bytes bin = EncodeRecordBinary(*r);
      std::string json = EncodeRecordJson(*r);
      std::string base = std::string(dir) + "/seed-record-" + c.name + suffix;
      WriteFile(base + ".bin", bin.data(), bin.size());
      WriteFile(base + ".json", json.data(), json.size());
    }
  }
  const std::string context_json =
      R"({"purposes":[{"system":"urn:s","code":"TREAT"}],"consentHashes":["00ff"]})";
  WriteFile(std::string(dir) + "/seed-context.json", context_json.data(), context_json.size());
  std::string card = ids.patient.card().ToJson();
  WriteFile(std::string(dir) + "/seed-card-patient.json", card.data(), card.size());
  card = ids.clinician.card().ToJson();
  WriteFile(std::string(dir) + "/seed-card-clinician.json", card.data(), card.size());
  card = ids.clinician_pq.card().ToJson();
  WriteFile(std::string(dir) + "/seed-card-clinician-pq.json", card.data(), card.size());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)Fixed();
  if (const char* dir = std::getenv("MEDSEAL_FUZZ_SEED_DIR"); dir != nullptr && *dir != '\0') {
    WriteSeeds(dir);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView input(data, size);
  auto context = RecordContextFromJson(AsText(input));
  if (!context.ok() && context.status().code() != ErrorCode::kInvalidArgument &&
      context.status().code() != ErrorCode::kTooLarge) {
    Bug("RecordContextFromJson failed with an unexpected code");
  }
  auto parsed = ParseRecord(input);
  if (!parsed.ok()) {
    if (!IsParseError(parsed.status().code())) Bug("parse failed with a non-parse error code");
    return 0;
  }
  const SealedRecord& record = *parsed;

  // Binary round trip.
  Bytes bin = EncodeRecordBinary(record);
  bool input_is_binary = size >= 4 && std::memcmp(data, "msrc", 4) == 0;
  if (input_is_binary && (bin.size() != size || std::memcmp(bin.data(), data, size) != 0)) {
    Bug("binary input accepted but re-encodes differently (a second spelling)");
  }
  auto from_bin = ParseRecordBinary(bin);
  if (!from_bin.ok()) Bug("binary encoding of a parsed record does not parse");
  if (EncodeRecordBinary(*from_bin) != bin) Bug("binary round trip changed the record");
  if (from_bin->HeaderBytes() != record.HeaderBytes()) Bug("header bytes changed");

  // JSON round trip.
  std::string json = EncodeRecordJson(record);
  auto from_json = ParseRecordJson(json);
  if (!from_json.ok()) Bug("JSON encoding of a parsed record does not parse");
  if (EncodeRecordBinary(*from_json) != bin) Bug("JSON round trip changed the record");
  if (EncodeRecordJson(*from_json) != json) Bug("JSON encoding is not stable");
  auto via_dispatch = ParseRecord(AsBytes(json));
  if (!via_dispatch.ok() || EncodeRecordBinary(*via_dispatch) != bin) {
    Bug("ParseRecord does not dispatch JSON correctly");
  }

  // Verification and decryption with the fixed identities.
  const FixedIdentities& ids = Fixed();
  Status verified = VerifyRecord(record, ids.patient.card());
  auto opened = OpenRecord(record, ids.clinician, ids.patient.card());
  if (!verified.ok()) {
    if (verified.code() != ErrorCode::kSenderMismatch &&
        verified.code() != ErrorCode::kSignatureInvalid) {
      Bug("VerifyRecord failed with an unexpected code");
    }
    if (opened.ok() || opened.status().code() != verified.code()) {
      Bug("OpenRecord disagrees with VerifyRecord");
    }
    auto for_purpose = OpenRecord(record, ids.clinician, ids.patient.card(), Treat());
    if (for_purpose.ok() || for_purpose.status().code() != verified.code()) {
      Bug("OpenRecord for a purpose disagrees with VerifyRecord");
    }
    return 0;
  }
  CheckPurposes(record, opened);
  if (record.version != kRecordVersion1) {
    auto v2 = OpenRecord(record, ids.clinician, ids.patient.card(), record.purposes.front());
    if (v2.ok()) CheckPayload(*v2);
    return 0;
  }
  if (!opened.ok()) {
    ErrorCode code = opened.status().code();
    if (code == ErrorCode::kSenderMismatch || code == ErrorCode::kSignatureInvalid ||
        code == ErrorCode::kInternal || code == ErrorCode::kInvalidArgument) {
      Bug("OpenRecord failed with an unexpected code after VerifyRecord passed");
    }
    return 0;
  }
  CheckPayload(*opened);
  return 0;
}
