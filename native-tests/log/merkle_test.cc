// SPDX-License-Identifier: Apache-2.0
// RFC 9162 Merkle hashing against the reference tree of transparency-dev/merkle
// (native-tests/vectors/external/transparency/rfc6962_reference_tree.json).
#include "core/log/merkle.h"

#include <gtest/gtest.h>

#include "core/codec/hex.h"
#include "native-tests/support/test_util.h"

namespace medseal::tlog {
namespace {

TEST(MerkleHasher, ReferenceTreeKnownAnswers) {
  const nlohmann::json doc =
      testing::LoadVectorJson("external/transparency/rfc6962_reference_tree.json");
  size_t checked = 0;
  for (const nlohmann::json& c : doc.at("hasher_vectors")) {
    const std::string op = c.at("op").get<std::string>();
    Bytes got;
    if (op == "empty_root") {
      got = EmptyRoot();
    } else if (op == "leaf") {
      got = LeafHash(testing::HexOrDie(c.at("input_hex").get<std::string>()));
    } else if (op == "node") {
      got = NodeHash(testing::HexOrDie(c.at("left_hex").get<std::string>()),
                     testing::HexOrDie(c.at("right_hex").get<std::string>()));
    } else {
      ADD_FAILURE() << "unknown op " << op;
    }
    EXPECT_EQ(HexEncode(got), c.at("want").get<std::string>()) << c.at("desc");
    ++checked;
  }
  EXPECT_EQ(checked, 4u);
}

}  // namespace
}  // namespace medseal::tlog
