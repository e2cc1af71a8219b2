// SPDX-License-Identifier: Apache-2.0
// core/age/session.h: the glue the wasm bindings use (copies of key lists,
// a generated identity, whole-call results of the streaming objects with
// nothing released on failure, JS numbers as byte counts, Locate's words).
#include "core/age/session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/base/random.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

Bytes Pattern(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(i * 31 + 7);
  return b;
}

void Append(Bytes& to, const Bytes& more) { to.insert(to.end(), more.begin(), more.end()); }

TEST(AgeSession, GeneratedIdentitiesAreFreshAndRoundTrip) {
  ChaChaRng rng(Bytes(32, 1));
  auto a = GenerateAgeIdentity(rng);
  auto b = GenerateAgeIdentity(rng);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->kind(), AgeIdentity::Kind::kX25519);
  auto ra = a->Recipient();
  auto rb = b->Recipient();
  ASSERT_OK(ra);
  ASSERT_OK(rb);
  EXPECT_NE(ra->ToString(), rb->ToString());
  EXPECT_EQ(ra->ToString().rfind("age1", 0), 0u);
}

TEST(AgeSession, GeneratedHybridIdentitiesAreFreshAndEncryptBothWays) {
  ChaChaRng rng(Bytes(32, 3));
  auto a = GenerateAgeHybridIdentity(rng);
  auto b = GenerateAgeHybridIdentity(rng);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->kind(), AgeIdentity::Kind::kHybrid);
  auto ra = a->Recipient();
  auto rb = b->Recipient();
  ASSERT_OK(ra);
  ASSERT_OK(rb);
  EXPECT_NE(ra->ToString(), rb->ToString());
  EXPECT_EQ(ra->ToString().rfind("age1pq1", 0), 0u);
  // The seed is the rng's next 32 bytes: the identity is reproducible.
  ChaChaRng again(Bytes(32, 3));
  auto a2 = GenerateAgeHybridIdentity(again);
  ASSERT_OK(a2);
  auto ra2 = a2->Recipient();
  ASSERT_OK(ra2);
  EXPECT_EQ(ra2->ToString(), ra->ToString());
  // A whole file to the hybrid and an X25519 recipient opens with either.
  auto x = GenerateAgeIdentity(rng);
  ASSERT_OK(x);
  auto rx = x->Recipient();
  ASSERT_OK(rx);
  const std::vector<AgeRecipient> recipients = {*ra, *rx};
  const Bytes plain = Pattern(1000);
  auto file = AgeEncrypt(plain, recipients, rng, false);
  ASSERT_OK(file);
  for (const AgeIdentity* id : {&*a, &*x}) {
    auto back = AgeDecrypt(*file, std::span<const AgeIdentity>(id, 1));
    ASSERT_OK(back);
    EXPECT_EQ(Bytes(RevealSecret(*back).begin(), RevealSecret(*back).end()), plain);
  }
  EXPECT_CODE(AgeDecrypt(*file, std::span<const AgeIdentity>(&*b, 1)),
              ErrorCode::kNoMatchingRecipient);
}

TEST(AgeSession, CopiedListsWorkAndPushFinishRoundTrip) {
  ChaChaRng rng(Bytes(32, 2));
  auto id = GenerateAgeIdentity(rng);
  ASSERT_OK(id);
  auto recipient = id->Recipient();
  ASSERT_OK(recipient);
  const AgeRecipient* rp = &*recipient;
  std::vector<AgeRecipient> recipients = CopyAgeRecipients(std::span(&rp, 1));
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(recipients[0].ToString(), recipient->ToString());

  auto enc = AgeEncryptor::Create(recipients, rng);
  ASSERT_OK(enc);
  const Bytes plain = Pattern(3 * kAgeChunkSize + 100);
  Bytes file;
  // Uneven pieces, as a stream delivers them.
  for (size_t at = 0; at < plain.size(); at += 50000) {
    size_t n = std::min<size_t>(50000, plain.size() - at);
    auto out = AgePush(*enc, ByteView(plain.data() + at, n));
    ASSERT_OK(out);
    Append(file, *out);
  }
  auto last = AgeFinish(*enc);
  ASSERT_OK(last);
  Append(file, *last);
  EXPECT_EQ(file.size(),
            enc->header().size() + kAgePayloadNonceSize + plain.size() + 4 * kAgeTagSize);

  const AgeIdentity* ip = &*id;
  std::vector<AgeIdentity> identities = CopyAgeIdentities(std::span(&ip, 1));
  auto dec = AgeDecryptor::Create(identities);
  ASSERT_OK(dec);
  Bytes got;
  for (size_t at = 0; at < file.size(); at += 70001) {
    size_t n = std::min<size_t>(70001, file.size() - at);
    AgeReleased out = AgePush(*dec, ByteView(file.data() + at, n));
    ASSERT_OK(out.status);
    Append(got, out.plaintext);
  }
  AgeReleased tail = AgeFinish(*dec);
  ASSERT_OK(tail.status);
  Append(got, tail.plaintext);
  EXPECT_EQ(got, plain);
}

TEST(AgeSession, AFailingCallReleasesTheGoodChunksAndReportsTheError) {
  ChaChaRng rng(Bytes(32, 3));
  auto id = GenerateAgeIdentity(rng);
  ASSERT_OK(id);
  auto recipient = id->Recipient();
  ASSERT_OK(recipient);
  std::vector<AgeRecipient> recipients{*recipient};
  auto file = AgeEncrypt(Pattern(4 * kAgeChunkSize), recipients, rng);
  ASSERT_OK(file);
  Bytes bad = *file;
  // A byte in the third chunk's ciphertext: the first two authenticate in
  // the same call as the bad one.
  const size_t header = bad.size() - (kAgePayloadNonceSize + 4 * kAgeSealedChunkSize);
  const size_t third = header + kAgePayloadNonceSize + 2 * kAgeSealedChunkSize;
  bad[third + 5] ^= 1;
  std::vector<AgeIdentity> identities{*id};
  auto dec = AgeDecryptor::Create(identities);
  ASSERT_OK(dec);
  AgeReleased first = AgePush(*dec, bad);
  EXPECT_CODE(first.status, ErrorCode::kDecryptFailed);
  EXPECT_EQ(first.plaintext, Pattern(2 * kAgeChunkSize))
      << "the two good chunks, nothing of the third";
  // The error sticks; nothing more is released.
  AgeReleased again = AgePush(*dec, ByteView());
  EXPECT_CODE(again.status, ErrorCode::kDecryptFailed);
  EXPECT_TRUE(again.plaintext.empty());
  AgeReleased last = AgeFinish(*dec);
  EXPECT_CODE(last.status, ErrorCode::kDecryptFailed);
  EXPECT_TRUE(last.plaintext.empty());

  // The encryptor's results are all or nothing: Push after Finish fails.
  auto enc = AgeEncryptor::Create(recipients, rng);
  ASSERT_OK(enc);
  ASSERT_OK(AgeFinish(*enc));
  EXPECT_CODE(AgePush(*enc, Pattern(3)), ErrorCode::kInvalidArgument);
}

TEST(AgeSession, ByteCounts) {
  auto zero = AgeByteCount(0, "x");
  ASSERT_OK(zero);
  EXPECT_EQ(*zero, 0u);
  auto max = AgeByteCount(9007199254740991.0, "x");
  ASSERT_OK(max);
  EXPECT_EQ(*max, 9007199254740991u);
  for (double bad : {-1.0, 0.5, 9007199254740992.0, std::nan(""),
                     std::numeric_limits<double>::infinity(), -0.25}) {
    EXPECT_CODE(AgeByteCount(bad, "offset"), ErrorCode::kInvalidArgument);
  }
}

TEST(AgeSession, LocateWords) {
  ChaChaRng rng(Bytes(32, 4));
  auto id = GenerateAgeIdentity(rng);
  ASSERT_OK(id);
  auto recipient = id->Recipient();
  ASSERT_OK(recipient);
  std::vector<AgeRecipient> recipients{*recipient};
  auto file = AgeEncrypt(Pattern(2 * kAgeChunkSize + 10), recipients, rng);
  ASSERT_OK(file);
  std::vector<AgeIdentity> identities{*id};
  auto ra = AgeRandomAccess::Open(*file, file->size(), identities);
  ASSERT_OK(ra);
  auto span = ra->Locate(kAgeChunkSize + 1, 20);
  ASSERT_OK(span);
  auto words = AgeLocateWords(*ra, kAgeChunkSize + 1, 20);
  ASSERT_OK(words);
  ASSERT_EQ(words->size(), 16u);
  uint64_t offset = 0, length = 0;
  for (size_t b = 0; b < 8; ++b) {
    offset |= static_cast<uint64_t>((*words)[b]) << (8 * b);
    length |= static_cast<uint64_t>((*words)[8 + b]) << (8 * b);
  }
  EXPECT_EQ(offset, span->offset);
  EXPECT_EQ(length, span->length);
  EXPECT_CODE(AgeLocateWords(*ra, ra->plaintext_size(), 1), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal
