// SPDX-License-Identifier: Apache-2.0
#include "core/group/key_chain.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/base/random.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal::group {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

Identity Make(uint8_t fill, UnixMillis created, const char* name = "Dr A") {
  SecretBytes seed = SecretBytes::CopyFrom(Bytes(32, fill));
  return std::move(Identity::FromSeed(seed, name, "doctor", created)).value();
}

struct Chain {
  Identity k0 = Make(1, kT0), k1 = Make(2, kT0 + 10), k2 = Make(3, kT0 + 20);
  std::vector<KeyLink> links;
  Chain() {
    FixedClock c1(kT0 + 10), c2(kT0 + 20);
    links.push_back(IssueKeyLink(k0, k1.card(), c1).value());
    links.push_back(IssueKeyLink(k1, k2.card(), c2).value());
  }
};

TEST(GroupKeyChain, VerifiesAndRoundTrips) {
  Chain c;
  for (KeyLink& l : c.links) {
    Result<KeyLink> back = ParseKeyLink(EncodeKeyLink(l));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(EncodeKeyLink(*back), EncodeKeyLink(l));
    l = std::move(back).value();
  }
  Result<KeyChain> chain = KeyChain::Verify(c.k0.card(), c.links);
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  EXPECT_EQ(chain->cards().size(), 3u);
  EXPECT_EQ(chain->current().key_id(), c.k2.key_id());
  EXPECT_EQ(chain->IndexOf(c.k1.key_id()), 1);
}

TEST(GroupKeyChain, RejectsALinkNotIssuedByThePreviousKey) {
  Chain c;
  // Link 1 signed by a stranger claiming k1's id.
  Identity stranger = Make(9, kT0);
  FixedClock clock(kT0 + 20);
  KeyLink forged = IssueKeyLink(stranger, c.k2.card(), clock).value();
  forged.previous_key_id = c.k1.key_id();
  std::vector<KeyLink> links{c.links[0], forged};
  EXPECT_EQ(KeyChain::Verify(c.k0.card(), links).status().code(), ErrorCode::kSignatureInvalid);
  // Out of order: link 1 does not follow the root.
  std::vector<KeyLink> swapped{c.links[1], c.links[0]};
  EXPECT_EQ(KeyChain::Verify(c.k0.card(), swapped).status().code(), ErrorCode::kKeyIdMismatch);
  // A flipped bit in the time breaks the signature.
  KeyLink bad = c.links[0];
  bad.issued += 1;
  EXPECT_EQ(VerifyKeyLink(bad, c.k0.card()).code(), ErrorCode::kSignatureInvalid);
  // Issued before the previous key existed.
  FixedClock early(kT0 - 1);
  KeyLink before = IssueKeyLink(c.k0, c.k1.card(), early).value();
  EXPECT_EQ(VerifyKeyLink(before, c.k0.card()).code(), ErrorCode::kMalformed);
  // A chain back to a key already in it.
  FixedClock c3(kT0 + 30);
  std::vector<KeyLink> loop = c.links;
  loop.push_back(IssueKeyLink(c.k2, c.k0.card(), c3).value());
  EXPECT_EQ(KeyChain::Verify(c.k0.card(), loop).status().code(), ErrorCode::kMalformed);
  EXPECT_EQ(IssueKeyLink(c.k0, c.k0.card(), c3).status().code(), ErrorCode::kInvalidArgument);
}

TEST(GroupKeyChain, ParserRejectsBadInputWithStableCodes) {
  Chain c;
  const Bytes good = EncodeKeyLink(c.links[0]);
  EXPECT_EQ(ParseKeyLink(Bytes(kMaxLinkBytes + 1, 0)).status().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(ParseKeyLink({}).status().code(), ErrorCode::kMalformed);
  Bytes b = good;
  b[0] = 'X';
  EXPECT_EQ(ParseKeyLink(b).status().code(), ErrorCode::kMalformed);
  b = good;
  b[4] = 2;
  EXPECT_EQ(ParseKeyLink(b).status().code(), ErrorCode::kUnsupportedVersion);
  for (size_t n : {size_t{5}, size_t{21}, size_t{30}, good.size() - 1}) {
    EXPECT_EQ(ParseKeyLink(ByteView(good).first(n)).status().code(), ErrorCode::kMalformed) << n;
  }
  b = good;
  b.push_back(0);
  EXPECT_EQ(ParseKeyLink(b).status().code(), ErrorCode::kMalformed);
  b = good;
  b[21] = 0xff;
  b[22] = 0xff;  // card length 65535+
  EXPECT_EQ(ParseKeyLink(b).status().code(), ErrorCode::kTooLarge);
  b = good;
  b[25 + 3] ^= 0x01;  // inside the card's JSON
  EXPECT_FALSE(ParseKeyLink(b).ok());
}

TEST(GroupKeyChain, RevocationBySameOrNextKeyOnly) {
  Chain c;
  KeyChain chain = KeyChain::Verify(c.k0.card(), c.links).value();
  FixedClock clock(kT0 + 100);
  for (const Identity* signer : {&c.k1, &c.k2}) {
    KeyRevocation r =
        IssueKeyRevocation(*signer, c.k1.key_id(), RevocationReason::kCompromised, clock).value();
    Result<KeyRevocation> back = ParseKeyRevocation(EncodeKeyRevocation(r));
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(VerifyKeyRevocation(*back, chain).ok());
  }
  // The key before may not revoke its successor.
  KeyRevocation by_old =
      IssueKeyRevocation(c.k0, c.k1.key_id(), RevocationReason::kCompromised, clock).value();
  EXPECT_EQ(VerifyKeyRevocation(by_old, chain).code(), ErrorCode::kNotPermitted);
  Identity stranger = Make(9, kT0);
  KeyRevocation unknown =
      IssueKeyRevocation(c.k1, stranger.key_id(), RevocationReason::kSuperseded, clock).value();
  EXPECT_EQ(VerifyKeyRevocation(unknown, chain).code(), ErrorCode::kNoMatchingRecipient);
  KeyRevocation forged =
      IssueKeyRevocation(c.k1, c.k1.key_id(), RevocationReason::kSuperseded, clock).value();
  forged.reason = RevocationReason::kCompromised;
  EXPECT_EQ(VerifyKeyRevocation(forged, chain).code(), ErrorCode::kSignatureInvalid);
  // Parser codes.
  Bytes enc = EncodeKeyRevocation(forged);
  EXPECT_EQ(ParseKeyRevocation(ByteView(enc).first(enc.size() - 1)).status().code(),
            ErrorCode::kMalformed);
  Bytes longer = enc;
  longer.push_back(0);
  EXPECT_EQ(ParseKeyRevocation(longer).status().code(), ErrorCode::kTooLarge);
  Bytes reason = enc;
  reason[4 + 1 + 32 + 8] = 7;
  EXPECT_EQ(ParseKeyRevocation(reason).status().code(), ErrorCode::kUnsupportedVersion);
  Bytes version = enc;
  version[4] = 0;
  EXPECT_EQ(ParseKeyRevocation(version).status().code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(
      IssueKeyRevocation(c.k1, Bytes(3, 0), RevocationReason::kSuperseded, clock).status().code(),
      ErrorCode::kInvalidArgument);
}

TEST(GroupKeyChain, ListsTheRecordsToReseal) {
  Chain c;
  Identity sender = Make(7, kT0, "Patient");
  Identity other = Make(8, kT0, "Dr B");
  ChaChaRng rng = ChaChaRng::Create(Bytes(32, 5)).value();
  FixedClock clock(kT0 + 50);
  const RecordPayload payload{"text/plain", "r1", "", AsBytes("x")};
  std::vector<SealedRecord> records;
  const PublicCard both[] = {c.k1.card(), other.card()};
  const PublicCard only_other[] = {other.card()};
  const PublicCard only_k2[] = {c.k2.card()};
  records.push_back(SealRecord(sender, both, payload, rng, clock).value());
  records.push_back(SealRecord(sender, only_other, payload, rng, clock).value());
  records.push_back(SealRecord(sender, only_k2, payload, rng, clock).value());
  records.push_back(SealRecord(sender, both, payload, rng, clock).value());
  EXPECT_EQ(RecordsToReseal(c.k1.key_id(), records).value(), (std::vector<size_t>{0, 3}));
  EXPECT_EQ(RecordsToReseal(c.k2.key_id(), records).value(), (std::vector<size_t>{2}));
  EXPECT_TRUE(RecordsToReseal(c.k0.key_id(), records).value().empty());
  EXPECT_EQ(RecordsToReseal(Bytes(15, 0), records).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace medseal::group
