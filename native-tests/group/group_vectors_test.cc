// SPDX-License-Identifier: Apache-2.0
// group/group_v1.json (made by vectors/generate/group_vectors.cc; the Node
// test wasm/package/test/group.test.js reads the same file): every case of
// docs/spec/group.md, valid ones checked field by field, invalid ones by
// their code's name. The file is read with LoadVectorJson, which fails the
// binary when it is absent.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/group/group.h"
#include "core/group/key_chain.h"
#include "core/record/record.h"
#include "native-tests/support/test_util.h"
#include "native-tests/support/vector_files.h"

namespace medseal::group {
namespace {

using namespace ::medseal::testing;  // NOLINT(google-build-using-namespace): vector helpers

class Vectors {
 public:
  explicit Vectors(const Json& file) : file_(file) {}
  Identity Person(const std::string& key) const {
    const Json& j = file_.at("identities").at(key);
    return std::move(Identity::FromSeed(SecretBytes::CopyFrom(Hex(j, "seed")), Str(j, "name"),
                                        Str(j, "role"), j.at("created").get<UnixMillis>()))
        .value();
  }
  PublicCard Card(const std::string& key) const { return Person(key).card(); }

 private:
  const Json& file_;
};

std::vector<KeyLink> Links(const Json& t) {
  std::vector<KeyLink> out;
  for (const Json& h : t.at("links")) out.push_back(ParseKeyLink(HexOrDie(h)).value());
  return out;
}

Status RunKeyLink(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(KeyLink link, ParseKeyLink(Hex(t, "link")));
  const PublicCard prev = v.Card(Str(t, "previous"));
  MEDSEAL_RETURN_IF_ERROR(VerifyKeyLink(link, prev));
  if (Str(t, "result") == "valid") {
    EXPECT_EQ(HexEncode(link.previous_key_id), Str(t, "previousKeyId"));
    EXPECT_EQ(link.next_card.ToJson(), Str(t, "nextCard"));
    EXPECT_EQ(link.issued, t.at("issued").get<UnixMillis>());
    EXPECT_EQ(HexEncode(link.SignedBytes(prev)), Str(t, "signedBytes"));
    EXPECT_EQ(HexEncode(link.signature), Str(t, "signature"));
    EXPECT_EQ(HexEncode(EncodeKeyLink(link)), Str(t, "link"));
  }
  return Status::Ok();
}

Status RunChain(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(KeyChain chain, KeyChain::Verify(v.Card(Str(t, "root")), Links(t)));
  if (Str(t, "result") == "valid") {
    std::vector<std::string> ids;
    for (const PublicCard& c : chain.cards()) ids.push_back(HexEncode(c.key_id()));
    EXPECT_EQ(ids, t.at("keyIds").get<std::vector<std::string>>());
  }
  return Status::Ok();
}

Status RunRevocation(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(KeyRevocation r, ParseKeyRevocation(Hex(t, "revocation")));
  const KeyChain chain = KeyChain::Verify(v.Card(Str(t, "root")), Links(t)).value();
  MEDSEAL_RETURN_IF_ERROR(VerifyKeyRevocation(r, chain));
  if (Str(t, "result") == "valid") {
    EXPECT_EQ(HexEncode(r.revoked_key_id), Str(t, "revokedKeyId"));
    EXPECT_EQ(HexEncode(r.signer_key_id), Str(t, "signerKeyId"));
    EXPECT_EQ(r.revoked, t.at("revoked").get<UnixMillis>());
    EXPECT_EQ(static_cast<int>(r.reason), t.at("reason").get<int>());
    EXPECT_EQ(HexEncode(r.SignedBytes()), Str(t, "signedBytes"));
    EXPECT_EQ(HexEncode(EncodeKeyRevocation(r)), Str(t, "revocation"));
  }
  return Status::Ok();
}

Status RunState(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(MembershipState s, ParseMembershipState(Hex(t, "state")));
  MEDSEAL_RETURN_IF_ERROR(VerifyMembershipState(s, v.Card(Str(t, "admin"))));
  if (Str(t, "result") == "valid") {
    EXPECT_EQ(HexEncode(s.group_id), Str(t, "groupId"));
    EXPECT_EQ(s.seq, t.at("seq").get<uint32_t>());
    EXPECT_EQ(s.epoch, t.at("epoch").get<uint32_t>());
    EXPECT_EQ(HexEncode(s.previous_hash), Str(t, "previousHash"));
    EXPECT_EQ(HexEncode(s.admin_key_id), Str(t, "adminKeyId"));
    EXPECT_EQ(s.group_card.ToJson(), Str(t, "groupCard"));
    std::vector<std::string> members;
    for (const Bytes& m : s.members) members.push_back(HexEncode(m));
    EXPECT_EQ(members, t.at("members").get<std::vector<std::string>>());
    EXPECT_EQ(s.time, t.at("time").get<UnixMillis>());
    EXPECT_EQ(HexEncode(s.SignedBytes()), Str(t, "signedBytes"));
    EXPECT_EQ(HexEncode(StateHash(s)), Str(t, "stateHash"));
    EXPECT_EQ(HexEncode(EncodeMembershipState(s)), Str(t, "state"));
  }
  return Status::Ok();
}

Status RunHistory(const Vectors& v, const Json& t) {
  std::vector<MembershipState> states;
  for (const Json& h : t.at("states")) {
    MEDSEAL_ASSIGN_OR_RETURN(MembershipState s, ParseMembershipState(HexOrDie(h)));
    states.push_back(std::move(s));
  }
  return VerifyMembershipHistory(states, v.Card(Str(t, "admin")));
}

Result<Identity> OpenKey(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord wrap, ParseRecordBinary(Hex(t, "wrap")));
  MEDSEAL_ASSIGN_OR_RETURN(MembershipState s, ParseMembershipState(Hex(t, "state")));
  return OpenEpochKey(EpochKeyWrap{t.at("epoch").get<uint32_t>(), std::move(wrap)},
                      v.Person(Str(t, "member")), v.Card(Str(t, "admin")), s);
}

Status RunEpochKey(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(Identity g, OpenKey(v, t));
  if (Str(t, "result") == "valid") {
    EXPECT_EQ(HexEncode(RevealSecret(g.seed())), Str(t, "groupSeed"));
    EXPECT_EQ(g.card().ToJson(), Str(t, "groupCard"));
  }
  return Status::Ok();
}

Status RunGroupRecord(const Vectors& v, const Json& t) {
  MEDSEAL_ASSIGN_OR_RETURN(Identity g, OpenKey(v, t));
  MEDSEAL_ASSIGN_OR_RETURN(SealedRecord rec, ParseRecordBinary(Hex(t, "record")));
  MEDSEAL_ASSIGN_OR_RETURN(OpenedPayload opened, OpenRecord(rec, g, v.Card(Str(t, "sender"))));
  if (Str(t, "result") == "valid") EXPECT_EQ(HexEncode(opened.body()), Str(t, "body"));
  return Status::Ok();
}

Status RunReseal(const Json& t) {
  std::vector<SealedRecord> records;
  for (const Json& h : t.at("records")) records.push_back(ParseRecordBinary(HexOrDie(h)).value());
  MEDSEAL_ASSIGN_OR_RETURN(std::vector<size_t> idx,
                           RecordsToReseal(Hex(t, "revokedKeyId"), records));
  if (Str(t, "result") == "valid") EXPECT_EQ(idx, t.at("indices").get<std::vector<size_t>>());
  return Status::Ok();
}

Status RunCase(const Vectors& v, const Json& t) {
  const std::string kind = Str(t, "kind");
  if (kind == "keyLink") return RunKeyLink(v, t);
  if (kind == "chain") return RunChain(v, t);
  if (kind == "revocation") return RunRevocation(v, t);
  if (kind == "state") return RunState(v, t);
  if (kind == "history") return RunHistory(v, t);
  if (kind == "epochKey") return RunEpochKey(v, t);
  if (kind == "groupRecord") return RunGroupRecord(v, t);
  if (kind == "reseal") return RunReseal(t);
  ADD_FAILURE() << "unknown kind " << kind;
  return Error(ErrorCode::kInternal, "unknown kind");
}

TEST(GroupVectors, EveryCase) {
  const Json file = LoadVectorJson("group/group_v1.json");
  ASSERT_EQ(file.at("tests").size(), file.at("numberOfTests").get<size_t>());
  const Vectors v(file);
  std::map<std::string, int> valid, invalid;
  for (const Json& t : file.at("tests")) {
    SCOPED_TRACE(::testing::Message() << "tcId " << t.at("tcId") << ": " << Str(t, "comment"));
    const Status s = RunCase(v, t);
    if (Str(t, "result") == "valid") {
      EXPECT_TRUE(s.ok()) << s.ToString();
      ++valid[Str(t, "kind")];
    } else {
      EXPECT_EQ(ErrorCodeName(s.code()), Str(t, "error")) << s.ToString();
      EXPECT_FALSE(Str(t, "rule").empty());
      ++invalid[Str(t, "kind")];
    }
  }
  // Every kind has valid and invalid cases; the totals are pinned so that a
  // shortened file fails.
  const std::map<std::string, int> want_valid = {
      {"chain", 2},   {"epochKey", 7}, {"groupRecord", 3}, {"history", 2},
      {"keyLink", 2}, {"reseal", 1},   {"revocation", 2},  {"state", 4}};
  const std::map<std::string, int> want_invalid = {
      {"chain", 2},    {"epochKey", 12}, {"groupRecord", 2}, {"history", 11},
      {"keyLink", 15}, {"reseal", 1},    {"revocation", 11}, {"state", 20}};
  EXPECT_EQ(valid, want_valid);
  EXPECT_EQ(invalid, want_invalid);
}

}  // namespace
}  // namespace medseal::group
