// SPDX-License-Identifier: Apache-2.0
// The C2SP CCTV age test kit (native-tests/vectors/external/age-cctv/), every
// file: its textual header parsed, the file inflated when "compressed: zlib",
// the armor removed when "armored: yes", then AgeDecryptor fed in odd-sized
// pieces with the file's identities and passphrases. The verdict must be one
// of the codes that native-tests/vectors/age/cctv_expectations.json allows
// for the file's class, and the SHA-256 of ALL the plaintext released must
// equal the file's "payload" (also for payload failures, per the kit's
// README). The same expectations file drives the wasm runner.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/age/armor.h"
#include "core/age/keys.h"
#include "core/age/stream.h"
#include "core/codec/hex.h"
#include "core/crypto/sha2.h"
#include "native-tests/age/cctv_files.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

using Json = nlohmann::json;

Bytes Inflate(ByteView in, bool* ok) {
  Bytes out;
  z_stream zs{};
  *ok = inflateInit(&zs) == Z_OK;
  if (!*ok) return out;
  zs.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  uint8_t buf[1 << 16];
  while (rc == Z_OK) {
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.insert(out.end(), buf, buf + (sizeof buf - zs.avail_out));
  }
  *ok = rc == Z_STREAM_END && zs.avail_in == 0;
  inflateEnd(&zs);
  return out;
}

// An X25519 identity for no stanza of the kit: used for a file that names
// no identity (one that fails before any stanza is tried, e.g. armor_empty).
AgeIdentity NobodyIdentity() {
  SecretBytes key(32);
  for (size_t i = 0; i < 32; ++i) RevealMutableSecret(key)[i] = static_cast<uint8_t>(0x55 ^ i);
  auto id = AgeIdentity::X25519(std::move(key));
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

struct Outcome {
  ErrorCode code = ErrorCode::kOk;
  Bytes released;
};

// Odd piece sizes, cycling: 1, 2, 3, 5, 8, ... up to 96 KiB and back.
const std::vector<size_t>& Pieces() {
  static const std::vector<size_t> pieces = [] {
    std::vector<size_t> p;
    for (size_t a = 1, b = 2; a < 96 * 1024; b = a + b, a = b - a) p.push_back(a);
    p.push_back(kAgeSealedChunkSize + 1);
    p.push_back(kAgeSealedChunkSize - 1);
    return p;
  }();
  return pieces;
}

Outcome DecryptStreaming(ByteView file, const std::vector<AgeIdentity>& ids, size_t phase) {
  Outcome o;
  auto dec = AgeDecryptor::Create(ids);
  if (!dec.ok()) {
    o.code = dec.status().code();
    return o;
  }
  Status s;
  size_t off = 0;
  size_t i = phase;
  while (off < file.size() && s.ok()) {
    const size_t n = std::min(Pieces()[i++ % Pieces().size()], file.size() - off);
    s = dec->Push(file.subspan(off, n), o.released);
    EXPECT_LE(dec->buffer_capacity(), kAgeMaxHeaderBytes + 1 + kAgeSealedChunkSize);
    off += n;
  }
  if (s.ok()) s = dec->Finish(o.released);
  EXPECT_EQ(dec->plaintext_bytes(), o.released.size());
  o.code = s.code();
  return o;
}

std::set<std::string> Codes(const Json& list) {
  std::set<std::string> out;
  for (const Json& c : list) out.insert(c.get<std::string>());
  return out;
}

TEST(AgeCctv, EveryFileOfTheKit) {
  const Json expectations = testing::LoadVectorJson("age/cctv_expectations.json");
  ASSERT_EQ(expectations.at("testdata").get<std::string>(), testing::kCctvDir);
  std::vector<testing::CctvCase> cases = testing::LoadCctvCases();
  ASSERT_EQ(cases.size(), expectations.at("count").get<size_t>()) << "files missing or added";
  ASSERT_EQ(cases.size(), testing::kCctvFileCount);

  const Json& classes = expectations.at("classes");
  EXPECT_FALSE(expectations.contains("unsupported"))
      << "every recipient type of the kit is implemented";
  const Json& overrides = expectations.at("files");
  std::set<std::string> seen_classes;
  size_t successes = 0;
  size_t hybrid_files = 0;
  size_t compressed = 0;
  size_t armored = 0;
  size_t payload_checked = 0;

  for (size_t index = 0; index < cases.size(); ++index) {
    testing::CctvCase& v = cases[index];
    const std::string& name = v.name;
    SCOPED_TRACE(name);
    ASSERT_FALSE(v.expect.empty()) << "no expect line";
    if (v.compressed) {
      bool inflated = false;
      v.file = Inflate(v.file, &inflated);
      ASSERT_TRUE(inflated) << "bad zlib data";
    }
    ASSERT_TRUE(classes.contains(v.expect)) << "unknown class " << v.expect;
    seen_classes.insert(v.expect);
    compressed += v.compressed ? 1 : 0;

    std::vector<AgeIdentity> ids;
    bool has_hybrid = false;
    for (const std::string& text : v.identities) {
      auto id = AgeIdentity::Parse(text);
      ASSERT_TRUE(id.ok()) << "identity: " << id.status().ToString();
      has_hybrid = has_hybrid || id->kind() == AgeIdentity::Kind::kHybrid;
      ids.push_back(std::move(id).value());
    }
    for (const std::string& pass : v.passphrases) {
      auto id = AgeIdentity::Scrypt(SecretBytes::CopyFrom(AsBytes(pass)));
      ASSERT_TRUE(id.ok()) << id.status().ToString();
      ids.push_back(std::move(id).value());
    }
    if (ids.empty()) ids.push_back(NobodyIdentity());
    hybrid_files += has_hybrid ? 1 : 0;

    std::set<std::string> allowed = Codes(classes.at(v.expect));
    if (overrides.contains(name)) allowed = Codes(overrides.at(name).at("codes"));

    Outcome o;
    ByteView binary = v.file;
    Bytes dearmored;
    if (v.armored) {
      ++armored;
      auto d = ArmorDecode(v.file);
      if (!d.ok()) o.code = d.status().code();
      if (d.ok()) dearmored = std::move(d).value();
      binary = dearmored;
    }
    if (o.code == ErrorCode::kOk) o = DecryptStreaming(binary, ids, index);
    const std::string got(ErrorCodeName(o.code));
    EXPECT_TRUE(allowed.count(got) == 1) << "class \"" << v.expect << "\" got " << got;

    // All the plaintext released must hash to "payload"; nothing may be
    // released where the file has none.
    if (!v.payload_hex.empty()) {
      EXPECT_EQ(HexEncode(Sha256(o.released)), v.payload_hex);
      ++payload_checked;
    } else {
      EXPECT_TRUE(o.released.empty()) << o.released.size() << " bytes released";
    }
    successes += (o.code == ErrorCode::kOk) ? 1 : 0;

    // The one-shot API agrees (it detects the armor itself: only where the
    // kit's "armored" agrees with what LooksArmored sees).
    if (LooksArmored(v.file) == v.armored) {
      auto one = AgeDecrypt(v.file, ids);
      EXPECT_EQ(ErrorCodeName(testing::CodeOf(one)), got) << "AgeDecrypt";
      if (one.ok()) EXPECT_EQ(HexEncode(Sha256(RevealSecret(*one))), v.payload_hex);
    }
  }
  // Every class occurs, and the counts of the kit as copied (a file that
  // silently stopped being read would change them).
  EXPECT_EQ(seen_classes.size(), classes.size());
  EXPECT_GE(compressed, 1U);
  EXPECT_GE(armored, 1U);
  EXPECT_EQ(hybrid_files, 19U);  // every hybrid* file and armor_hybrid
  EXPECT_GE(successes, 1U);
  EXPECT_GE(payload_checked, successes);
}

}  // namespace
}  // namespace medseal
