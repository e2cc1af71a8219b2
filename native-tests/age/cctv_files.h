// SPDX-License-Identifier: Apache-2.0
// The C2SP CCTV age test kit (native-tests/vectors/external/age-cctv/):
// one file per case, a textual header ("key: value" lines), an empty line,
// then the age file (zlib-compressed when "compressed: zlib").
#ifndef MEDSEAL_NATIVE_TESTS_AGE_CCTV_FILES_H_
#define MEDSEAL_NATIVE_TESTS_AGE_CCTV_FILES_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/base/bytes.h"
#include "native-tests/support/test_util.h"

namespace medseal::testing {

inline constexpr std::string_view kCctvDir = "external/age-cctv/testdata";
// The number of files in the kit as copied (SOURCE.md); a test that reads
// fewer fails, so the suite cannot pass with the files missing.
inline constexpr size_t kCctvFileCount = 143;

struct CctvCase {
  std::string name;
  std::string expect;  // "success", "no match", "HMAC failure", "header failure", ...
  std::vector<std::string> identities;
  std::vector<std::string> passphrases;
  std::string file_key_hex;
  std::string payload_hex;
  bool armored = false;
  bool compressed = false;
  Bytes file;  // the bytes after the textual header (compressed if `compressed`)
};

inline CctvCase ParseCctvCase(const std::string& name, const std::string& text) {
  CctvCase c;
  c.name = name;
  const size_t end = text.find("\n\n");
  if (end == std::string::npos) {
    ADD_FAILURE() << name << ": no empty line after the textual header";
    return c;
  }
  size_t pos = 0;
  while (pos < end) {
    size_t lf = text.find('\n', pos);
    if (lf == std::string::npos || lf > end) lf = end;
    const std::string line = text.substr(pos, lf - pos);
    pos = lf + 1;
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      ADD_FAILURE() << name << ": bad header line " << line;
      continue;
    }
    const std::string key = line.substr(0, colon);
    const std::string value = line.substr(colon + 2);
    if (key == "expect") c.expect = value;
    if (key == "identity") c.identities.push_back(value);
    if (key == "passphrase") c.passphrases.push_back(value);
    if (key == "file key") c.file_key_hex = value;
    if (key == "payload") c.payload_hex = value;
    if (key == "armored") c.armored = value == "yes";
    if (key == "compressed") c.compressed = value == "zlib";
  }
  c.file.assign(text.begin() + static_cast<std::ptrdiff_t>(end + 2), text.end());
  return c;
}

// Every case of the kit, sorted by name; fails the test unless all
// kCctvFileCount files are there.
inline std::vector<CctvCase> LoadCctvCases() {
  const std::filesystem::path dir = std::filesystem::path(MEDSEAL_VECTORS_DIR) / kCctvDir;
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
  }
  EXPECT_FALSE(ec) << "cannot list " << dir;
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names.size(), kCctvFileCount) << "CCTV files in " << dir;
  std::vector<CctvCase> cases;
  cases.reserve(names.size());
  for (const std::string& n : names) {
    cases.push_back(ParseCctvCase(n, ReadVectorFile(std::string(kCctvDir) + "/" + n)));
  }
  return cases;
}

}  // namespace medseal::testing

#endif  // MEDSEAL_NATIVE_TESTS_AGE_CCTV_FILES_H_
