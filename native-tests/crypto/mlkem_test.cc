// SPDX-License-Identifier: Apache-2.0
// ML-KEM-768 (core/crypto/mlkem.h) against every case of the four
// Wycheproof ML-KEM-768 files and the NIST ACVP ML-KEM-768 keyGen and
// encapDecap samples (external/pq/acvp-mlkem768, SOURCE.md there), plus
// the input checks that core adds to PQClean (FIPS 203 §7.2 and §7.3) and
// the randomness it draws from the injected Rng.
// Wycheproof: external/wycheproof/ (commit and SHA-256 in its README.md).
#include "core/crypto/mlkem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "core/crypto/sha3.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

// ML-KEM's implicit-rejection key J(z || c) = SHAKE256(z || c, 32)
// (FIPS 203 Algorithm 18), computed here from the 64-byte seed d || z
// independently of PQClean, to tell a rejection from a real decapsulation.
std::string Rejection(ByteView seed, ByteView c) {
  return HexEncode(Shake256(Concat(seed.subspan(32, 32), c), 32));
}

// mlkem_768_test.json: the decapsulation key is given as its 64-byte seed
// d || z ("seed"), not as the 2400-byte expanded dk: each case derives the
// key pair from the seed (checking ek), then decapsulates c. "valid"
// covers the real decapsulations and the implicit rejections (K = J(z || c),
// checked independently); "invalid" is a seed of the
// wrong length (kInvalidArgument from the key derivation) or a ciphertext
// of the wrong length (kInvalidArgument from the decapsulation).
TEST(Wycheproof, MlKem768Decapsulation) {
  Json file = LoadVectorJson("external/wycheproof/mlkem_768_test.json");
  size_t decapsulated = 0, rejected_implicitly = 0, bad_seed = 0, bad_ciphertext = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-KEM", "mlkem_test_schema.json", [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("parameterSet", ""), "ML-KEM-768");
        const Bytes seed = Hex(t, "seed");
        const Bytes c = Hex(t, "c");
        const std::string result = Str(t, "result");
        const std::string comment = t.value("comment", "");
        Result<MlKem768KeyPair> pair = MlKem768KeyPairFromSeed(seed);
        if (seed.size() != kMlKem768SeedSize) {
          ++bad_seed;
          EXPECT_EQ(result, "invalid");
          EXPECT_CODE(pair, ErrorCode::kInvalidArgument);
          return;
        }
        ASSERT_OK(pair);
        EXPECT_EQ(HexEncode(pair->public_key), Str(t, "ek"));
        Result<SecretBytes> k = MlKem768Decapsulate(RevealSecret(pair->secret_key), c);
        if (c.size() != kMlKem768CiphertextSize) {
          ++bad_ciphertext;
          EXPECT_EQ(result, "invalid");
          EXPECT_CODE(k, ErrorCode::kInvalidArgument);
          return;
        }
        EXPECT_EQ(result, "valid");
        ASSERT_OK(k);
        EXPECT_EQ(HexEncode(RevealSecret(*k)), Str(t, "K"));
        // Which valid cases are implicit rejections, told by K = J(z || c):
        // the random and bit-flipped ciphertexts, the Strcmp case (a
        // ciphertext that differs from the re-encryption only where a
        // strcmp-style comparison would stop) and the all-zero
        // secret-and-error ciphertext must be; the round-3 KAT
        // ciphertexts, which were made for this key, must not be.
        const bool rejection = Str(t, "K") == Rejection(seed, c);
        if (comment == "Random ciphertext" || comment == "Bit flipped ciphertext" ||
            HasFlag(t, "Strcmp") || comment == "ciphertext secret and error zero") {
          EXPECT_TRUE(rejection) << "expected an implicit rejection";
        }
        if (comment.rfind("Test vector based on official round 3", 0) == 0) {
          EXPECT_FALSE(rejection) << "a real decapsulation expected";
        }
        ++(rejection ? rejected_implicitly : decapsulated);
      });
  EXPECT_EQ(total, 193u);
  EXPECT_EQ(decapsulated, 131u);
  EXPECT_EQ(rejected_implicitly, 22u);
  EXPECT_EQ(bad_seed, 20u);
  EXPECT_EQ(bad_ciphertext, 20u);
}

// mlkem_768_encaps_test.json: every valid (ek, m) gives exactly (c, K);
// every invalid ek is refused before any encapsulation: the 112 keys of
// the right length with a coefficient >= q (100 "Public key not reduced",
// 12 ModulusOverflow, the §7.2 check PQClean lacks) with kInvalidKey, the
// 20 keys of a wrong length with kInvalidArgument.
TEST(Wycheproof, MlKem768Encapsulation) {
  Json file = LoadVectorJson("external/wycheproof/mlkem_768_encaps_test.json");
  size_t valid = 0, not_reduced = 0, bad_length = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-KEM", "mlkem_encaps_test_schema.json", [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("parameterSet", ""), "ML-KEM-768");
        const Bytes ek = Hex(t, "ek");
        const Bytes m = Hex(t, "m");
        const std::string result = Str(t, "result");
        Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(ek, m);
        if (result == "valid") {
          ++valid;
          EXPECT_OK(CheckMlKem768PublicKey(ek));
          ASSERT_OK(enc);
          EXPECT_EQ(HexEncode(enc->ciphertext), Str(t, "c"));
          EXPECT_EQ(HexEncode(RevealSecret(enc->shared_secret)), Str(t, "K"));
          return;
        }
        ASSERT_EQ(result, "invalid");
        EXPECT_EQ(Str(t, "c"), "");
        if (ek.size() == kMlKem768PublicKeySize) {
          ++not_reduced;
          EXPECT_TRUE(HasFlag(t, "ModulusOverflow") ||
                      t.value("comment", "") == "Public key not reduced");
          EXPECT_CODE(enc, ErrorCode::kInvalidKey);
          EXPECT_CODE(CheckMlKem768PublicKey(ek), ErrorCode::kInvalidKey);
        } else {
          ++bad_length;
          EXPECT_CODE(enc, ErrorCode::kInvalidArgument);
          EXPECT_CODE(CheckMlKem768PublicKey(ek), ErrorCode::kInvalidArgument);
        }
      });
  EXPECT_EQ(total, 265u);
  EXPECT_EQ(valid, 133u);
  EXPECT_EQ(not_reduced, 112u);
  EXPECT_EQ(bad_length, 20u);
}

// mlkem_768_keygen_seed_test.json: KeyGen_internal(d, z) from the 64-byte
// seed gives exactly ek and the 2400-byte expanded dk, which pass both
// key checks.
TEST(Wycheproof, MlKem768KeyGenFromSeed) {
  Json file = LoadVectorJson("external/wycheproof/mlkem_768_keygen_seed_test.json");
  const size_t total = ForEachWycheproofTest(
      file, "ML-KEM", "mlkem_keygen_seed_test_schema.json", [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("parameterSet", ""), "ML-KEM-768");
        EXPECT_EQ(Str(t, "result"), "valid");
        Result<MlKem768KeyPair> pair = MlKem768KeyPairFromSeed(Hex(t, "seed"));
        ASSERT_OK(pair);
        EXPECT_EQ(HexEncode(pair->public_key), Str(t, "ek"));
        EXPECT_EQ(HexEncode(RevealSecret(pair->secret_key)), Str(t, "dk"));
        EXPECT_OK(CheckMlKem768PublicKey(pair->public_key));
        EXPECT_OK(CheckMlKem768SecretKey(RevealSecret(pair->secret_key)));
      });
  EXPECT_EQ(total, 100u);
}

// mlkem_768_semi_expanded_decaps_test.json: decapsulation with the given
// 2400-byte dk. Wrong lengths of dk or c: kInvalidArgument; a dk whose
// embedded H(ek) does not match its embedded ek (a corrupted hash, or a
// corrupted ek): kInvalidKey (§7.3, the check PQClean lacks); the valid
// ones (including two malleable-ciphertext cases) give K.
TEST(Wycheproof, MlKem768SemiExpandedDecapsulation) {
  Json file = LoadVectorJson("external/wycheproof/mlkem_768_semi_expanded_decaps_test.json");
  size_t valid = 0, bad_length = 0, bad_key = 0;
  const size_t total = ForEachWycheproofTest(
      file, "ML-KEM", "mlkem_semi_expanded_decaps_test_schema.json",
      [&](const Json& group, const Json& t) {
        EXPECT_EQ(group.value("parameterSet", ""), "ML-KEM-768");
        const Bytes dk = Hex(t, "dk");
        const Bytes c = Hex(t, "c");
        Result<SecretBytes> k = MlKem768Decapsulate(dk, c);
        if (Str(t, "result") == "valid") {
          ++valid;
          EXPECT_OK(CheckMlKem768SecretKey(dk));
          ASSERT_OK(k);
          EXPECT_EQ(HexEncode(RevealSecret(*k)), Str(t, "K"));
        } else if (HasFlag(t, "IncorrectCiphertextLength") ||
                   HasFlag(t, "IncorrectDecapsulationKeyLength")) {
          ++bad_length;
          EXPECT_CODE(k, ErrorCode::kInvalidArgument);
        } else {
          ++bad_key;
          EXPECT_TRUE(HasFlag(t, "InvalidDecapsulationKey"));
          EXPECT_CODE(k, ErrorCode::kInvalidKey);
          EXPECT_CODE(CheckMlKem768SecretKey(dk), ErrorCode::kInvalidKey);
        }
      });
  EXPECT_EQ(total, 9u);
  EXPECT_EQ(valid, 3u);
  EXPECT_EQ(bad_length, 4u);
  EXPECT_EQ(bad_key, 2u);
}

// --- NIST ACVP (hex there is upper case) --------------------------------------

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return s;
}
Bytes AcvpHex(const Json& obj, const char* key) { return HexOrDie(Lower(Str(obj, key))); }

// tcId -> test object of one group of an ACVP file, checked to be the
// only group with that tgId.
std::map<int, Json> AcvpTests(const Json& file, int tg_id) {
  std::map<int, Json> out;
  int groups = 0;
  for (const Json& g : file.at("testGroups")) {
    if (g.at("tgId").get<int>() != tg_id) continue;
    ++groups;
    for (const Json& t : g.at("tests")) out.emplace(t.at("tcId").get<int>(), t);
  }
  EXPECT_EQ(groups, 1) << "tgId " << tg_id;
  return out;
}

const Json& AcvpGroup(const Json& file, int tg_id) {
  for (const Json& g : file.at("testGroups")) {
    if (g.at("tgId").get<int>() == tg_id) return g;
  }
  ADD_FAILURE() << "no tgId " << tg_id;
  static const Json kNone = Json::object();
  return kNone;
}

TEST(AcvpMlKem768, KeyGen) {
  const std::string dir = "external/pq/acvp-mlkem768/";
  Json prompt = LoadVectorJson(dir + "ML-KEM-keyGen-FIPS203.prompt.ML-KEM-768.json");
  Json expected = LoadVectorJson(dir + "ML-KEM-keyGen-FIPS203.expectedResults.ML-KEM-768.json");
  EXPECT_EQ(Str(prompt, "mode"), "keyGen");
  EXPECT_EQ(Str(AcvpGroup(prompt, 2), "parameterSet"), "ML-KEM-768");
  const std::map<int, Json> in = AcvpTests(prompt, 2);
  const std::map<int, Json> out = AcvpTests(expected, 2);
  ASSERT_EQ(in.size(), 25u);
  ASSERT_EQ(out.size(), 25u);
  for (const auto& [tc_id, t] : in) {
    SCOPED_TRACE(::testing::Message() << "tcId " << tc_id);
    ASSERT_EQ(out.count(tc_id), 1u);
    // ACVP gives d and z separately; the seed is d || z.
    Result<MlKem768KeyPair> pair =
        MlKem768KeyPairFromSeed(Concat(AcvpHex(t, "d"), AcvpHex(t, "z")));
    ASSERT_OK(pair);
    EXPECT_EQ(HexEncode(pair->public_key), Lower(Str(out.at(tc_id), "ek")));
    EXPECT_EQ(HexEncode(RevealSecret(pair->secret_key)), Lower(Str(out.at(tc_id), "dk")));
  }
}

TEST(AcvpMlKem768, EncapsulationAndDecapsulation) {
  const std::string dir = "external/pq/acvp-mlkem768/";
  Json prompt = LoadVectorJson(dir + "ML-KEM-encapDecap-FIPS203.prompt.ML-KEM-768.json");
  Json expected = LoadVectorJson(dir + "ML-KEM-encapDecap-FIPS203.expectedResults.ML-KEM-768.json");
  EXPECT_EQ(Str(prompt, "mode"), "encapDecap");
  EXPECT_EQ(Str(AcvpGroup(prompt, 2), "function"), "encapsulation");
  EXPECT_EQ(Str(AcvpGroup(prompt, 5), "function"), "decapsulation");
  const std::map<int, Json> enc_in = AcvpTests(prompt, 2);
  const std::map<int, Json> enc_out = AcvpTests(expected, 2);
  ASSERT_EQ(enc_in.size(), 25u);
  ASSERT_EQ(enc_out.size(), 25u);
  for (const auto& [tc_id, t] : enc_in) {
    SCOPED_TRACE(::testing::Message() << "encapsulation tcId " << tc_id);
    ASSERT_EQ(enc_out.count(tc_id), 1u);
    Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(AcvpHex(t, "ek"),
                                                                  AcvpHex(t, "m"));
    ASSERT_OK(enc);
    EXPECT_EQ(HexEncode(enc->ciphertext), Lower(Str(enc_out.at(tc_id), "c")));
    EXPECT_EQ(HexEncode(RevealSecret(enc->shared_secret)), Lower(Str(enc_out.at(tc_id), "k")));
  }
  const Bytes dk = AcvpHex(AcvpGroup(prompt, 5), "dk");
  ASSERT_EQ(dk.size(), kMlKem768SecretKeySize);
  EXPECT_OK(CheckMlKem768SecretKey(dk));
  const std::map<int, Json> dec_in = AcvpTests(prompt, 5);
  const std::map<int, Json> dec_out = AcvpTests(expected, 5);
  ASSERT_EQ(dec_in.size(), 10u);
  ASSERT_EQ(dec_out.size(), 10u);
  for (const auto& [tc_id, t] : dec_in) {
    SCOPED_TRACE(::testing::Message() << "decapsulation tcId " << tc_id);
    ASSERT_EQ(dec_out.count(tc_id), 1u);
    Result<SecretBytes> k = MlKem768Decapsulate(dk, AcvpHex(t, "c"));
    ASSERT_OK(k);
    EXPECT_EQ(HexEncode(RevealSecret(*k)), Lower(Str(dec_out.at(tc_id), "k")));
  }
}

// draft-ietf-hpke-pq's ML-KEM-768 vector (KEM 0x0041, external/pq/hpke-pq):
// skRm is the 64-byte seed d || z, ikmE the encapsulation randomness m.
// Only the KEM part is checked here (the key schedule is HPKE's).
TEST(HpkePq, MlKem768Kem) {
  Json v = LoadVectorJson("external/pq/hpke-pq/test-vectors.json");
  ASSERT_TRUE(v.is_array());
  ASSERT_EQ(v.size(), 13u);
  size_t n = 0;
  for (const Json& t : v) {
    if (t.at("kem_id").get<int>() != 0x0041) continue;
    ++n;
    Result<MlKem768KeyPair> pair = MlKem768KeyPairFromSeed(Hex(t, "skRm"));
    ASSERT_OK(pair);
    EXPECT_EQ(HexEncode(pair->public_key), Str(t, "pkRm"));
    Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(Hex(t, "pkRm"), Hex(t, "ikmE"));
    ASSERT_OK(enc);
    EXPECT_EQ(HexEncode(enc->ciphertext), Str(t, "enc"));
    EXPECT_EQ(HexEncode(RevealSecret(enc->shared_secret)), Str(t, "shared_secret"));
    Result<SecretBytes> k = MlKem768Decapsulate(RevealSecret(pair->secret_key), Hex(t, "enc"));
    ASSERT_OK(k);
    EXPECT_EQ(HexEncode(RevealSecret(*k)), Str(t, "shared_secret"));
  }
  EXPECT_EQ(n, 1u);
}

// --- The checks core adds, on their own ----------------------------------------

MlKem768KeyPair FixedPair() {
  Result<MlKem768KeyPair> pair = MlKem768KeyPairFromSeed(Bytes(kMlKem768SeedSize, 0x42));
  EXPECT_TRUE(pair.ok());
  return std::move(*pair);
}

// Sets the twelve-bit coefficient `index` (0..767) of an encoded ek.
void SetCoefficient(Bytes& ek, size_t index, uint16_t value) {
  const size_t at = (index / 2) * 3;
  if (index % 2 == 0) {
    ek[at] = static_cast<uint8_t>(value);
    ek[at + 1] = static_cast<uint8_t>((ek[at + 1] & 0xf0) | (value >> 8));
  } else {
    ek[at + 1] = static_cast<uint8_t>((ek[at + 1] & 0x0f) | ((value & 0x0f) << 4));
    ek[at + 2] = static_cast<uint8_t>(value >> 4);
  }
}

TEST(MlKem768, PublicKeyModulusCheckAtEveryPositionKind) {
  const Bytes ek = FixedPair().public_key;
  EXPECT_OK(CheckMlKem768PublicKey(ek));
  // The first, an odd, a polynomial-boundary and the last coefficient.
  for (size_t index : {0u, 1u, 255u, 256u, 511u, 767u}) {
    for (uint16_t value : {uint16_t{3329}, uint16_t{3330}, uint16_t{4095}}) {
      Bytes bad = ek;
      SetCoefficient(bad, index, value);
      EXPECT_CODE(CheckMlKem768PublicKey(bad), ErrorCode::kInvalidKey) << index << " " << value;
      EXPECT_CODE(MlKem768EncapsulateDerand(bad, Bytes(32, 1)), ErrorCode::kInvalidKey);
    }
    Bytes edge = ek;
    SetCoefficient(edge, index, 3328);  // q - 1: still reduced
    EXPECT_TRUE(CheckMlKem768PublicKey(edge).ok()) << index;
  }
  // The last 32 bytes are rho, any value is allowed.
  Bytes rho = ek;
  std::fill(rho.end() - 32, rho.end(), 0xff);
  EXPECT_OK(CheckMlKem768PublicKey(rho));
}

TEST(MlKem768, SecretKeyHashCheck) {
  const MlKem768KeyPair pair = FixedPair();
  const ByteView dk = RevealSecret(pair.secret_key);
  EXPECT_OK(CheckMlKem768SecretKey(dk));
  // dk = dk_PKE (0..1151) || ek (1152..2335) || H(ek) (2336..2367) || z.
  EXPECT_EQ(HexEncode(dk.subspan(1152, 1184)), HexEncode(pair.public_key));
  EXPECT_EQ(HexEncode(dk.subspan(2336, 32)), HexEncode(Sha3_256(pair.public_key)));
  for (size_t at : {1152u, 2000u, 2335u, 2336u, 2367u}) {
    Bytes bad(dk.begin(), dk.end());
    bad[at] ^= 0x01;
    EXPECT_CODE(CheckMlKem768SecretKey(bad), ErrorCode::kInvalidKey) << at;
    EXPECT_CODE(MlKem768Decapsulate(bad, Bytes(kMlKem768CiphertextSize, 0)),
                ErrorCode::kInvalidKey);
  }
  // FIPS 203 §7.3 checks only the hash: dk_PKE and z are not covered.
  for (size_t at : {0u, 1151u, 2368u, 2399u}) {
    Bytes other(dk.begin(), dk.end());
    other[at] ^= 0x01;
    EXPECT_TRUE(CheckMlKem768SecretKey(other).ok()) << at;
  }
}

TEST(MlKem768, RejectsWrongSizes) {
  const MlKem768KeyPair pair = FixedPair();
  const ByteView dk = RevealSecret(pair.secret_key);
  for (size_t n : {0u, 63u, 65u}) {
    EXPECT_CODE(MlKem768KeyPairFromSeed(Bytes(n, 1)), ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 1183u, 1185u}) {
    EXPECT_CODE(CheckMlKem768PublicKey(Bytes(n, 0)), ErrorCode::kInvalidArgument);
    EXPECT_CODE(MlKem768EncapsulateDerand(Bytes(n, 0), Bytes(32, 1)), ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 31u, 33u}) {
    EXPECT_CODE(MlKem768EncapsulateDerand(pair.public_key, Bytes(n, 1)),
                ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 2399u, 2401u}) {
    EXPECT_CODE(CheckMlKem768SecretKey(Bytes(n, 0)), ErrorCode::kInvalidArgument);
    EXPECT_CODE(MlKem768Decapsulate(Bytes(n, 0), Bytes(kMlKem768CiphertextSize, 0)),
                ErrorCode::kInvalidArgument);
  }
  for (size_t n : {0u, 1087u, 1089u}) {
    EXPECT_CODE(MlKem768Decapsulate(dk, Bytes(n, 0)), ErrorCode::kInvalidArgument);
  }
}

TEST(MlKem768, RoundTripAndImplicitRejection) {
  const MlKem768KeyPair pair = FixedPair();
  const Bytes seed(kMlKem768SeedSize, 0x42);
  Result<MlKem768Encapsulation> enc = MlKem768EncapsulateDerand(pair.public_key, Bytes(32, 7));
  ASSERT_OK(enc);
  Result<SecretBytes> k = MlKem768Decapsulate(RevealSecret(pair.secret_key), enc->ciphertext);
  ASSERT_OK(k);
  EXPECT_EQ(HexEncode(RevealSecret(*k)), HexEncode(RevealSecret(enc->shared_secret)));
  Bytes tampered = enc->ciphertext;
  tampered[500] ^= 0x80;
  Result<SecretBytes> rejected = MlKem768Decapsulate(RevealSecret(pair.secret_key), tampered);
  ASSERT_OK(rejected);
  EXPECT_EQ(HexEncode(RevealSecret(*rejected)), Rejection(seed, tampered));
}

TEST(MlKem768, DrawsExactlyTheSeedAndMFromTheRng) {
  CountingRng rng;
  Result<MlKem768KeyPair> pair = MlKem768Generate(rng);
  ASSERT_OK(pair);
  EXPECT_EQ(rng.calls(), 1u);
  EXPECT_EQ(rng.bytes(), kMlKem768SeedSize);
  Result<MlKem768KeyPair> same = MlKem768KeyPairFromSeed(Counting(0, 64));
  ASSERT_OK(same);
  EXPECT_EQ(pair->public_key, same->public_key);

  Result<MlKem768Encapsulation> enc = MlKem768Encapsulate(pair->public_key, rng);
  ASSERT_OK(enc);
  EXPECT_EQ(rng.calls(), 2u);
  EXPECT_EQ(rng.bytes(), kMlKem768SeedSize + kMlKem768EncapsSeedSize);
  Result<MlKem768Encapsulation> derand = MlKem768EncapsulateDerand(pair->public_key,
                                                                   Counting(64, 32));
  ASSERT_OK(derand);
  EXPECT_EQ(enc->ciphertext, derand->ciphertext);

  // A refused key draws nothing.
  Bytes bad = pair->public_key;
  SetCoefficient(bad, 3, 4095);
  EXPECT_CODE(MlKem768Encapsulate(bad, rng), ErrorCode::kInvalidKey);
  EXPECT_CODE(MlKem768Encapsulate(Bytes(10, 0), rng), ErrorCode::kInvalidArgument);
  EXPECT_EQ(rng.calls(), 2u);
}

}  // namespace
}  // namespace medseal
