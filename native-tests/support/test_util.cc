// SPDX-License-Identifier: Apache-2.0
#include "native-tests/support/test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace medseal::testing {

std::string ReadVectorFile(const std::string& relative_path) {
  std::string path = std::string(MEDSEAL_VECTORS_DIR) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "missing vector file %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json LoadVectorJson(const std::string& relative_path) {
  auto j = nlohmann::json::parse(ReadVectorFile(relative_path), nullptr, false);
  if (j.is_discarded()) {
    std::fprintf(stderr, "bad JSON in %s\n", relative_path.c_str());
    std::abort();
  }
  return j;
}

Bytes HexOrDie(const std::string& hex) {
  auto r = HexDecode(hex);
  if (!r.ok()) {
    std::fprintf(stderr, "bad hex in a vector file: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  return std::move(r).value();
}

}  // namespace medseal::testing
