// SPDX-License-Identifier: Apache-2.0
// Helpers for the Project Wycheproof and RFC known-answer files under
// native-tests/vectors/external/ (source, commit, licence and SHA-256 in
// its README.md).
#ifndef MEDSEAL_NATIVE_TESTS_SUPPORT_VECTOR_FILES_H_
#define MEDSEAL_NATIVE_TESTS_SUPPORT_VECTOR_FILES_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/base/bytes.h"
#include "native-tests/support/test_util.h"

namespace medseal::testing {

using Json = nlohmann::json;

// A string member of a vector object; fails the test if absent.
inline std::string Str(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    ADD_FAILURE() << "vector has no string member \"" << key << "\"";
    return "";
  }
  return it->get<std::string>();
}

// A hex member of a vector object, decoded (the binary dies on bad hex).
inline Bytes Hex(const Json& obj, const char* key) { return HexOrDie(Str(obj, key)); }

inline bool HasFlag(const Json& test, std::string_view flag) {
  auto it = test.find("flags");
  if (it == test.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(),
                     [&](const Json& f) { return f.is_string() && f.get<std::string>() == flag; });
}

inline Bytes Concat(ByteView a, ByteView b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

inline Bytes ToVec(ByteView v) { return Bytes(v.begin(), v.end()); }

// Runs `fn(group, test)` for every test of a Wycheproof file and returns the
// number of tests run. Fails when that number is not the file's
// numberOfTests or a tcId repeats, so that a file that is silently empty,
// truncated or of another schema fails instead of passing vacuously.
template <typename Fn>
inline size_t ForEachWycheproofTest(const Json& file, std::string_view expected_algorithm,
                                    std::string_view expected_schema, Fn fn) {
  EXPECT_EQ(Str(file, "algorithm"), expected_algorithm);
  EXPECT_EQ(Str(file, "schema"), expected_schema);
  size_t count = 0;
  std::set<int64_t> ids;
  auto groups = file.find("testGroups");
  if (groups == file.end() || !groups->is_array()) {
    ADD_FAILURE() << "no testGroups";
    return 0;
  }
  for (const Json& group : *groups) {
    auto tests = group.find("tests");
    if (tests == group.end() || !tests->is_array()) {
      ADD_FAILURE() << "group without tests";
      continue;
    }
    for (const Json& test : *tests) {
      int64_t tc_id = test.value("tcId", int64_t{-1});
      EXPECT_TRUE(ids.insert(tc_id).second) << "tcId " << tc_id << " repeats";
      SCOPED_TRACE(::testing::Message()
                   << "tcId " << tc_id << " (" << test.value("comment", "") << ")");
      fn(group, test);
      ++count;
    }
  }
  auto n = file.find("numberOfTests");
  EXPECT_TRUE(n != file.end() && n->is_number_unsigned());
  if (n != file.end() && n->is_number_unsigned()) {
    EXPECT_EQ(count, n->get<size_t>()) << "cases run != numberOfTests";
  }
  return count;
}

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_SUPPORT_VECTOR_FILES_H_
