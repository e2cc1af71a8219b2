// SPDX-License-Identifier: Apache-2.0
// keystore/keystore_v1.json (docs/spec/keystore.md): see keystore_vectors.h.
// Two keystores made from fixed ChaCha20 RNG seeds with the minimal Argon2id
// parameters (8 KiB, 1 pass): A has a passphrase, a recovery and a
// passkey-only slot; B a passphrase + passkey slot and a recovery slot; A2
// is A after a passphrase change. Then one failure per rule, with the code's
// NAME. The intermediates of A's passphrase slot are recomputed here from
// the primitives, as the spec writes them, not taken from the keystore code.
#include "native-tests/vectors/generate/keystore_vectors.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/random.h"
#include "core/codec/byte_io.h"
#include "core/codec/hex.h"
#include "core/crypto/aead.h"
#include "core/crypto/argon2.h"
#include "core/crypto/blake2b.h"
#include "core/crypto/sha2.h"
#include "core/keystore/keystore.h"
#include "core/keystore/recovery.h"

namespace medseal::testing {
namespace {

using nlohmann::ordered_json;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "generate_vectors (keystore): %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.status().ToString());
  return std::move(r).value();
}

void MustOk(const Status& s, const char* what) {
  if (!s.ok()) Die(std::string(what) + ": " + s.ToString());
}

constexpr KdfPolicy kTestPolicy{{8, 1}, {16, 1}, {64, 2}};
constexpr KdfParams kMin{8, 1};
const char* kPassA = "correct horse battery staple";
const char* kPassA2 = "a new passphrase";
const char* kPassB = "two factors";

std::vector<KeystoreItem> Items() {
  std::vector<KeystoreItem> items;
  items.push_back(
      {ItemType::kIdentitySeed, 1700000000000, "patient", SecretBytes::CopyFrom(Bytes(32, 0x01))});
  items.push_back({ItemType::kGroupKey, 1700000000001, "cardiology/nurse",
                   SecretBytes::CopyFrom(Bytes(48, 0x02))});
  return items;
}

ordered_json ItemsJson() {
  ordered_json a = ordered_json::array();
  for (const auto& it : Items()) {
    a.push_back({{"type", static_cast<int>(it.type)},
                 {"created", it.created},
                 {"name", it.name},
                 {"secret", HexEncode(RevealSecret(it.secret))}});
  }
  return a;
}

ordered_json PolicyJson(const KdfPolicy& p) {
  auto params = [](KdfParams k) {
    return ordered_json{{"memoryKib", k.memory_kib}, {"passes", k.passes}};
  };
  return {{"floor", params(p.floor)}, {"defaults", params(p.defaults)}, {"cap", params(p.cap)}};
}

std::string Text(const SecretBytes& s) { return std::string(AsText(RevealSecret(s))); }

void PutU32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

struct Cases {
  ordered_json tests = ordered_json::array();
  int next = 1;
  ordered_json& Add(const std::string& comment, const std::string& blob_name, const Bytes& blob,
                    const std::string& unlock, const std::string& error, const std::string& rule) {
    ordered_json t{{"tcId", next++},          {"comment", comment}, {"keystore", blob_name},
                   {"blob", HexEncode(blob)}, {"unlock", unlock},   {"policy", "test"}};
    if (error.empty()) {
      t["result"] = "valid";
    } else {
      t["result"] = "invalid";
      t["error"] = error;
      t["rule"] = rule;
    }
    tests.push_back(std::move(t));
    return tests.back();
  }
};

}  // namespace

void GenerateKeystoreVectors(const std::string& dir) {
  const Bytes cred_a = ToBytes("credential-A");
  const Bytes cred_b = ToBytes("credential-B");
  const Bytes prf_salt_a(32, 0x50), prf_a(32, 0x51);
  const Bytes prf_salt_b(32, 0x60), prf_b(32, 0x61), wrong_prf(32, 0x77);
  const Bytes seed_a(32, 0xa0), seed_b(32, 0xb0), seed_a2(32, 0xa2);

  // Keystore A.
  ChaChaRng rng_a(seed_a);
  Keystore a = Must(Keystore::Create(Items(), kMin, rng_a), "create A");
  MustOk(a.SetPassphrase(AsBytes(kPassA), kMin, rng_a, kTestPolicy), "A passphrase");
  const std::string recovery_a = Text(Must(a.SetRecoveryKey(rng_a), "A recovery"));
  MustOk(a.AddPasskeyOnlySlot(cred_a, prf_salt_a, prf_a, prf_a, rng_a), "A passkey");
  const Bytes blob_a = Must(a.Serialize(rng_a), "A blob");

  // Keystore B.
  ChaChaRng rng_b(seed_b);
  Keystore b = Must(Keystore::Create(Items(), kMin, rng_b), "create B");
  MustOk(b.SetPassphrase(AsBytes(kPassB), kMin, rng_b, kTestPolicy), "B passphrase");
  MustOk(
      b.EnrollPasskey(AsBytes(kPassB), kMin, cred_b, prf_salt_b, prf_b, prf_b, rng_b, kTestPolicy),
      "B enrol");
  const std::string recovery_b = Text(Must(b.SetRecoveryKey(rng_b), "B recovery"));
  const Bytes blob_b = Must(b.Serialize(rng_b), "B blob");

  // A2: A with a new passphrase.
  ChaChaRng rng_a2(seed_a2);
  Keystore a2 = Must(Keystore::UnlockWithPassphrase(blob_a, AsBytes(kPassA), kTestPolicy), "A2");
  MustOk(a2.SetPassphrase(AsBytes(kPassA2), kMin, rng_a2, kTestPolicy), "A2 passphrase");
  const Bytes blob_a2 = Must(a2.Serialize(rng_a2), "A2 blob");
  // The items box: nonce 24 || length 4 || 2 + (12 + 7 + 32) + (12 + 16 + 48) + 16.
  constexpr std::ptrdiff_t kItemsBox = 24 + 4 + 2 + 51 + 76 + 16;
  if (!std::equal(blob_a.end() - kItemsBox, blob_a.end(), blob_a2.end() - kItemsBox)) {
    Die("A2's items box differs from A's");
  }

  // Layout of A (checked): header 30, passphrase slot 30..127, recovery
  // slot 127..200, passkey slot 200..335 (a 12-byte credential id), MAC
  // 335..367, items box from 367.
  constexpr size_t kPasskeyEnd = 335, kItemsStart = 367;
  if (blob_a.size() != kItemsStart + static_cast<size_t>(kItemsBox)) Die("size of A");
  {
    KeystoreInfo info = Must(InspectKeystore(blob_a), "inspect A");
    if (info.slots.size() != 3 || blob_a[30] != 1 || blob_a[127] != 4 || blob_a[200] != 3) {
      Die("unexpected layout of A");
    }
  }

  // Intermediates of A's passphrase slot, from the primitives (spec §2.3).
  ordered_json intermediates;
  {
    ChaChaRng replay(seed_a);
    Bytes id(16);
    replay.Fill(id.data(), id.size());
    SecretBytes master = replay.Secret(32);
    Bytes salt(blob_a.begin() + 31, blob_a.begin() + 47);
    SecretBytes argon = Must(Argon2id(AsBytes(kPassA), salt, 1, 8, 32), "argon2id");
    Bytes msg = LabelBytes("medseal/v1/keystore/kek/passphrase");
    ByteWriter(msg).Raw(id);
    SecretBytes kek = Must(Blake2bDeriveKey(32, RevealSecret(argon), msg), "kek");
    Bytes aad = LabelBytes("medseal/v1/keystore/slot");
    ByteWriter w(aad);
    w.Raw(std::string_view("MSKS"));
    w.U8(1);
    w.Raw(id);
    w.Raw(ByteView(blob_a).subspan(30, 25));
    Bytes wrapped(blob_a.begin() + 79, blob_a.begin() + 127);
    Bytes opened = Must(
        XChaCha20Poly1305Open(RevealSecret(kek), ByteView(blob_a).subspan(55, 24), aad, wrapped),
        "open A's passphrase slot from the spec");
    if (HexEncode(opened) != HexEncode(RevealSecret(master))) Die("master key mismatch");
    Bytes items_msg = LabelBytes("medseal/v1/keystore/items-key");
    ByteWriter(items_msg).Raw(id);
    SecretBytes items_key = Must(Blake2bDeriveKey(32, RevealSecret(master), items_msg), "items");
    intermediates = {{"keystoreId", HexEncode(id)},
                     {"masterKey", HexEncode(RevealSecret(master))},
                     {"passphraseSalt", HexEncode(salt)},
                     {"argon2id", HexEncode(RevealSecret(argon))},
                     {"passphraseKek", HexEncode(RevealSecret(kek))},
                     {"slotAad", HexEncode(aad)},
                     {"itemsKey", HexEncode(RevealSecret(items_key))}};
  }

  Cases c;
  auto pass = [](ordered_json& t, const std::string& p) -> ordered_json& {
    t["passphrase"] = p;
    return t;
  };
  auto passkey = [](ordered_json& t, const Bytes& cred, const Bytes& prf) -> ordered_json& {
    t["credentialId"] = HexEncode(cred);
    t["prf"] = HexEncode(prf);
    return t;
  };
  // --- valid ---
  pass(c.Add("A: passphrase slot", "A", blob_a, "passphrase", "", ""), kPassA);
  c.Add("A: recovery key", "A", blob_a, "recovery", "", "")["recoveryKey"] = recovery_a;
  {
    std::string typed;
    for (char ch : recovery_a) {
      if (ch == '-') {
        typed += ' ';
      } else if (ch == '0') {
        typed += 'o';
      } else if (ch == '1') {
        typed += 'l';
      } else {
        typed += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
    }
    c.Add("A: recovery key typed in lower case, spaces, o for 0 and l for 1", "A", blob_a,
          "recovery", "", "")["recoveryKey"] = typed;
  }
  passkey(c.Add("A: passkey-only slot", "A", blob_a, "passkey", "", ""), cred_a, prf_a);
  passkey(pass(c.Add("B: passphrase + passkey", "B", blob_b, "passphrase+passkey", "", ""), kPassB),
          cred_b, prf_b);
  c.Add("B: recovery key", "B", blob_b, "recovery", "", "")["recoveryKey"] = recovery_b;
  pass(c.Add("A2: the new passphrase (items box unchanged from A)", "A2", blob_a2, "passphrase", "",
             ""),
       kPassA2);
  // --- unlock failures ---
  pass(c.Add("A: wrong passphrase", "A", blob_a, "passphrase", "WRONG_PASSPHRASE", "KU4"),
       "correct horse battery stapler");
  pass(c.Add("A2: the old passphrase", "A2", blob_a2, "passphrase", "WRONG_PASSPHRASE", "KU4"),
       kPassA);
  pass(c.Add("B: passphrase alone", "B", blob_b, "passphrase", "NO_UNLOCK_SLOT", "KU1"), kPassB);
  passkey(c.Add("B: passkey alone", "B", blob_b, "passkey", "NO_UNLOCK_SLOT", "KU1"), cred_b,
          prf_b);
  passkey(pass(c.Add("B: right passphrase, wrong PRF output", "B", blob_b, "passphrase+passkey",
                     "WRONG_SECOND_FACTOR", "KU3"),
               kPassB),
          cred_b, wrong_prf);
  passkey(pass(c.Add("B: wrong passphrase, right PRF output", "B", blob_b, "passphrase+passkey",
                     "WRONG_PASSPHRASE", "KU4"),
               "two factorz"),
          cred_b, prf_b);
  passkey(pass(c.Add("B: a credential that was never enrolled", "B", blob_b, "passphrase+passkey",
                     "NO_UNLOCK_SLOT", "KU1"),
               kPassB),
          cred_a, prf_b);
  passkey(c.Add("A: passkey-only slot, wrong PRF output", "A", blob_a, "passkey",
                "WRONG_SECOND_FACTOR", "KU3"),
          cred_a, wrong_prf);
  c.Add("A: B's recovery key", "A", blob_a, "recovery", "WRONG_RECOVERY_KEY",
        "KU4")["recoveryKey"] = recovery_b;
  {
    std::string typo = recovery_a;
    typo[10] = typo[10] == 'X' ? 'Y' : 'X';
    auto& t = c.Add("A: recovery key with a typing error in group 1", "A", blob_a, "recovery",
                    "RECOVERY_KEY_CHECKSUM", "RK3");
    t["recoveryKey"] = typo;
    t["badGroups"] = {1};
    std::string swapped = recovery_a.substr(9, 8) + "-" + recovery_a.substr(0, 8) +
                          recovery_a.substr(17);
    auto& s = c.Add("A: recovery key with groups 0 and 1 swapped", "A", blob_a, "recovery",
                    "RECOVERY_KEY_CHECKSUM", "RK3");
    s["recoveryKey"] = swapped;
    s["badGroups"] = {0, 1};
    c.Add("A: recovery key with a U", "A", blob_a, "recovery", "MALFORMED",
          "RK2")["recoveryKey"] = "U" + recovery_a.substr(1);
    c.Add("A: recovery key one character short", "A", blob_a, "recovery", "MALFORMED",
          "RK2")["recoveryKey"] = recovery_a.substr(0, recovery_a.size() - 1);
  }
  // --- parameters ---
  pass(c.Add("A under the default policy (floor 19 MiB, 2 passes)", "A", blob_a, "passphrase",
             "KDF_DOWNGRADED", "KU2"),
       kPassA)["policy"] = "default";
  {
    Bytes m = blob_a;
    PutU32(m, 21, 16);  // the keystore's floor raised to 16 KiB: the slot is below it
    pass(c.Add("A: slot below the keystore's own floor", "A'", m, "passphrase", "KDF_DOWNGRADED",
               "KU2"),
         kPassA);
  }
  {
    Bytes m = blob_a;
    PutU32(m, 51, 3);  // passes 3, above the test cap of 2
    pass(c.Add("A: slot passes above the policy cap", "A'", m, "passphrase", "TOO_LARGE", "KU2"),
         kPassA);
  }
  {
    Bytes m = blob_a;
    PutU32(m, 47, 16);  // memory 16 KiB: within every floor, but not what was used
    pass(c.Add("A: slot memory changed (the KEK differs)", "A'", m, "passphrase",
               "WRONG_PASSPHRASE", "KU4"),
         kPassA);
  }
  // --- integrity after unlock ---
  {
    Bytes m = blob_a;
    m[127 + 5] ^= 0x01;  // the recovery slot's nonce
    pass(c.Add("A: another slot modified (header MAC)", "A'", m, "passphrase", "KEYSTORE_CORRUPTED",
               "KU5"),
         kPassA);
  }
  {
    Bytes m(blob_a.begin(), blob_a.begin() + 200);  // the passkey slot removed
    m[29] = 2;
    m.insert(m.end(), blob_a.begin() + kPasskeyEnd, blob_a.end());
    pass(
        c.Add("A: a slot removed (header MAC)", "A'", m, "passphrase", "KEYSTORE_CORRUPTED", "KU5"),
        kPassA);
  }
  {
    Bytes m = blob_a;
    m[m.size() - 3] ^= 0x80;
    pass(c.Add("A: items ciphertext modified", "A'", m, "passphrase", "KEYSTORE_CORRUPTED", "KU6"),
         kPassA);
  }
  // --- parse rules ---
  auto parse = [&](const std::string& comment, Bytes m, const std::string& error,
                   const std::string& rule) {
    pass(c.Add(comment, "A'", m, "passphrase", error, rule), kPassA);
  };
  parse("empty input", {}, "TRUNCATED", "KS2");
  {
    Bytes m = blob_a;
    m[0] = 'X';
    parse("bad magic", m, "MALFORMED", "KS2");
  }
  {
    Bytes m = blob_a;
    m[4] = 2;
    parse("version 2, from the future", m, "UNSUPPORTED_VERSION", "KS3");
  }
  {
    Bytes m = blob_a;
    m[4] = 0;
    parse("version 0", m, "UNSUPPORTED_VERSION", "KS3");
  }
  parse("truncated in the header", Bytes(blob_a.begin(), blob_a.begin() + 20), "TRUNCATED", "KS4");
  {
    Bytes m = blob_a;
    PutU32(m, 25, 0);
    parse("keystore floor of 0 passes", m, "MALFORMED", "KS5");
  }
  {
    Bytes m = blob_a;
    m[29] = 0;
    parse("no slots", m, "MALFORMED", "KS6");
  }
  {
    Bytes m = blob_a;
    m[29] = 17;
    parse("17 slots", m, "TOO_LARGE", "KS6");
  }
  {
    Bytes m = blob_a;
    m[30] = 9;
    parse("unknown slot kind 9", m, "UNSUPPORTED_VERSION", "KS7");
  }
  {
    Bytes m = blob_a;
    PutU32(m, 47, 7);
    parse("slot memory of 7 KiB", m, "MALFORMED", "KS7");
  }
  {
    Bytes m = blob_a;
    m[201] = 0;
    m[202] = 0;
    parse("empty credential id", m, "MALFORMED", "KS7");
  }
  {
    Bytes m = blob_a;
    m[201] = 0x00;
    m[202] = 0x04;  // 1024
    parse("credential id of 1024 bytes", m, "TOO_LARGE", "KS7");
  }
  parse("truncated in a slot", Bytes(blob_a.begin(), blob_a.begin() + 150), "TRUNCATED", "KS7");
  {
    Bytes m(blob_a.begin(), blob_a.begin() + 30);
    m[29] = 4;
    m.insert(m.end(), blob_a.begin() + 30, blob_a.begin() + 127);
    m.insert(m.end(), blob_a.begin() + 30, blob_a.end());
    parse("two passphrase slots", m, "MALFORMED", "KS8");
  }
  parse("truncated in the MAC", Bytes(blob_a.begin(), blob_a.begin() + kPasskeyEnd + 10),
        "TRUNCATED", "KS9");
  {
    Bytes m = blob_a;
    PutU32(m, kItemsStart + 24, 17);
    parse("items length 17", m, "MALFORMED", "KS9");
  }
  parse("last byte missing", Bytes(blob_a.begin(), blob_a.end() - 1), "TRUNCATED", "KS9");
  {
    Bytes m = blob_a;
    m.push_back(0);
    parse("one trailing byte", m, "TRAILING_DATA", "KS10");
  }
  // --- enrolment ---
  {
    auto& t = c.Add("B: enrolling a passkey whose two PRF outputs differ", "B", blob_b, "enroll",
                    "PRF_MISMATCH", "KE1");
    passkey(pass(t, kPassB), cred_b, prf_b);
    t["enroll"] = {{"passphrase", kPassB},
                   {"credentialId", HexEncode(cred_a)},
                   {"prfSalt", HexEncode(prf_salt_a)},
                   {"prfFirst", HexEncode(prf_a)},
                   {"prfSecond", HexEncode(wrong_prf)}};
  }

  ordered_json file{
      {"algorithm", "medseal keystore v1"},
      {"spec", "docs/spec/keystore.md"},
      {"notes",
       "Each test unlocks `blob` (hex) as `unlock` says: passphrase (UnlockWithPassphrase), "
       "passphrase+passkey (with credentialId and prf, hex), passkey (credentialId, prf), "
       "recovery (recoveryKey, text), or enroll (unlock with passphrase and passkey, then "
       "EnrollPasskey with the `enroll` inputs and Argon2id 8 KiB / 1 pass), under the named "
       "policy. valid: the keystore opens and holds `items`. invalid: the call fails with "
       "`error` (a code NAME, docs/errors.md); `rule` is the spec rule that decides; "
       "badGroups is what DiagnoseRecoveryKey reports. A, B and A2 are made with ChaCha20 "
       "RNG seeds (rngSeeds); A' marks a modified copy of A. `intermediates` are A's "
       "passphrase slot computed from the spec's formulas."},
      {"numberOfTests", c.tests.size()},
      {"policies", {{"test", PolicyJson(kTestPolicy)}, {"default", PolicyJson(kDefaultKdfPolicy)}}},
      {"rngSeeds",
       {{"A", HexEncode(seed_a)}, {"B", HexEncode(seed_b)}, {"A2", HexEncode(seed_a2)}}},
      {"items", ItemsJson()},
      {"intermediates", intermediates},
      {"tests", c.tests}};
  std::filesystem::create_directories(dir + "/keystore");
  const std::string path = dir + "/keystore/keystore_v1.json";
  std::ofstream out(path, std::ios::binary);
  if (!out) Die("cannot write " + path);
  out << file.dump(1) << "\n";
}

}  // namespace medseal::testing
