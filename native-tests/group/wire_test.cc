// SPDX-License-Identifier: Apache-2.0
// The list form of core/group/wire.h (docs/spec/group.md §11): split and
// join, the parse-each helpers, and the helpers the package's bindings call.
#include "core/group/wire.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/base/random.h"
#include "core/codec/byte_io.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"

namespace medseal::group {
namespace {

constexpr UnixMillis kT0 = 1'700'000'000'000;

Identity Make(uint8_t fill, const char* name, const char* role, UnixMillis created = kT0) {
  return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Bytes(32, fill)), name, role, created))
      .value();
}

TEST(GroupWire, SplitAndJoinAreInverse) {
  const std::vector<Bytes> items = {Bytes{1, 2, 3}, Bytes{}, Bytes(300, 7)};
  const Bytes list = JoinList(items);
  EXPECT_EQ(list.size(), 3u * 4 + 3 + 300);
  Result<std::vector<ByteView>> split = SplitList(list, 10);
  ASSERT_OK(split);
  ASSERT_EQ(split->size(), 3u);
  for (size_t i = 0; i < items.size(); ++i) {
    EXPECT_EQ(Bytes(split.value()[i].begin(), split.value()[i].end()), items[i]);
  }
  EXPECT_TRUE(SplitList({}, 10)->empty());
  EXPECT_CODE(SplitList(list, 2), ErrorCode::kTooLarge);
  EXPECT_CODE(SplitList(ByteView(list).first(2), 10), ErrorCode::kMalformed);
  EXPECT_CODE(SplitList(ByteView(list).first(list.size() - 1), 10), ErrorCode::kMalformed);
}

TEST(GroupWire, ChainsRevocationsAndHistoriesFromLists) {
  Identity k0 = Make(1, "P", "patient"), k1 = Make(2, "P", "patient", kT0 + 1);
  FixedClock clock(kT0 + 100);
  const KeyLink link = IssueKeyLink(k0, k1.card(), clock).value();
  const Bytes links = JoinList(std::vector<Bytes>{EncodeKeyLink(link)});
  Result<KeyChain> chain = VerifyKeyChainList(k0.card(), links);
  ASSERT_OK(chain);
  Bytes ids = k0.key_id();
  ids.insert(ids.end(), k1.key_id().begin(), k1.key_id().end());
  EXPECT_EQ(ChainKeyIds(*chain), ids);
  const Bytes card_list = ChainCards(*chain);
  Result<std::vector<ByteView>> cards = SplitList(card_list, 10);
  ASSERT_EQ(cards->size(), 2u);
  EXPECT_EQ(AsText(cards.value()[1]), k1.card().ToJson());
  EXPECT_CODE(VerifyKeyChainList(k1.card(), links), ErrorCode::kKeyIdMismatch);
  EXPECT_CODE(VerifyKeyChainList(k0.card(), Bytes{1, 0, 0, 0, 9}), ErrorCode::kMalformed);

  const Bytes rev = EncodeKeyRevocation(
      IssueKeyRevocation(k1, k0.key_id(), RevocationReason::kCompromised, clock).value());
  EXPECT_OK(VerifyKeyRevocationList(rev, k0.card(), links));
  EXPECT_CODE(VerifyKeyRevocationList(rev, k0.card(), {}), ErrorCode::kNotPermitted);
  EXPECT_CODE(RevocationReasonFromNumber(2), ErrorCode::kInvalidArgument);
  EXPECT_EQ(RevocationReasonFromNumber(1).value(), RevocationReason::kCompromised);

  Identity admin = Make(3, "Admin", "admin"), a = Make(4, "A", "nurse"), b = Make(5, "B", "nurse");
  ChaChaRng rng(Bytes(32, 1));
  const PublicCard* members[] = {&a.card(), &b.card()};
  auto [g, up] = std::move(CreateGroup(admin, "Ward", "nurse", members, rng, clock)).value();
  const PublicCard* with_null[] = {&a.card(), nullptr};
  EXPECT_CODE(CreateGroup(admin, "Ward", "nurse", with_null, rng, clock),
              ErrorCode::kInvalidArgument);
  GroupUpdate up1 = g.RemoveMember(admin, b.key_id(), rng, clock).value();
  std::vector<Bytes> states;
  for (const MembershipState& s : g.history()) states.push_back(EncodeMembershipState(s));
  EXPECT_OK(VerifyMembershipHistoryList(JoinList(states), admin.card()));
  std::swap(states[0], states[1]);
  EXPECT_CODE(VerifyMembershipHistoryList(JoinList(states), admin.card()), ErrorCode::kMalformed);
  Bytes want_members = a.key_id();
  EXPECT_EQ(MemberKeyIds(up1.state), want_members);

  // Wraps as u32 epoch || record; OpenEpochKeyBytes opens them.
  const Bytes wrap_list = EncodeWrapList(up1.wraps);
  Result<std::vector<ByteView>> wraps = SplitList(wrap_list, 10);
  ASSERT_EQ(wraps->size(), 1u);
  ByteReader r(wraps.value()[0]);
  uint32_t epoch = 0;
  ASSERT_TRUE(r.U32(epoch));
  EXPECT_EQ(epoch, 1u);
  ByteView record;
  ASSERT_TRUE(r.Raw(r.remaining(), record));
  const Bytes state1 = EncodeMembershipState(up1.state);
  Result<Identity> opened = OpenEpochKeyBytes(record, 1, a, admin.card(), state1);
  ASSERT_OK(opened);
  EXPECT_EQ(opened->key_id(), g.identity().key_id());
  EXPECT_CODE(OpenEpochKeyBytes(record, 1, b, admin.card(), state1),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(OpenEpochKeyBytes(Bytes{1, 2}, 1, a, admin.card(), state1), ErrorCode::kMalformed);
}

TEST(GroupWire, RecordsToResealFromAList) {
  Identity k0 = Make(1, "P", "patient"), other = Make(6, "O", "clinician");
  ChaChaRng rng(Bytes(32, 2));
  FixedClock clock(kT0 + 100);
  auto seal = [&](const Identity& to) {
    const PublicCard cards[] = {to.card()};
    const RecordPayload payload{"text/plain", "r", "", AsBytes("x")};
    return EncodeRecordBinary(SealRecord(other, cards, payload, rng, clock).value());
  };
  const Bytes list = JoinList(std::vector<Bytes>{seal(other), seal(k0), seal(k0)});
  Result<Bytes> idx = RecordsToResealList(k0.key_id(), list);
  ASSERT_OK(idx);
  EXPECT_EQ(*idx, IndexWords(std::vector<size_t>{1, 2}));
  EXPECT_EQ(IndexWords(std::vector<size_t>{1, 2}), (Bytes{1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_CODE(RecordsToResealList(Bytes(15, 0), list), ErrorCode::kInvalidArgument);
  EXPECT_CODE(RecordsToResealList(k0.key_id(), JoinList(std::vector<Bytes>{Bytes{9}})),
              ErrorCode::kMalformed);
}

}  // namespace
}  // namespace medseal::group
