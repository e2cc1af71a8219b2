// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the native tests: reading vector files and matchers.
#ifndef MEDSEAL_NATIVE_TESTS_SUPPORT_TEST_UTIL_H_
#define MEDSEAL_NATIVE_TESTS_SUPPORT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/bytes.h"
#include "core/base/random.h"
#include "core/base/status.h"
#include "core/codec/hex.h"

namespace medseal::testing {

// Reads a file below native-tests/vectors; aborts the test binary if absent.
std::string ReadVectorFile(const std::string& relative_path);
// Parses a vector file as JSON (test-only; fails the test on bad JSON).
nlohmann::json LoadVectorJson(const std::string& relative_path);
// Hex to bytes. Bad hex in a vector file is a broken vector file, not a
// test result: prints the reason and aborts the test binary.
Bytes HexOrDie(const std::string& hex);

// An Rng that counts what is drawn from it; its bytes are 0, 1, 2, ...
// (mod 256) across all calls, so a test can predict them (Counting).
class CountingRng final : public Rng {
 public:
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(next_++);
    ++calls_;
    bytes_ += size;
  }
  size_t calls() const { return calls_; }
  size_t bytes() const { return bytes_; }

 private:
  size_t next_ = 0, calls_ = 0, bytes_ = 0;
};

// The `n` bytes a CountingRng hands out after its first `from` bytes.
inline Bytes Counting(size_t from, size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(from + i);
  return b;
}

}  // namespace medseal::testing

#define EXPECT_OK(expr)                                                         \
  do {                                                                          \
    const auto& medseal_s_ = (expr);                                            \
    EXPECT_TRUE(medseal_s_.ok()) << ::medseal::testing::StatusText(medseal_s_); \
  } while (0)
#define ASSERT_OK(expr)                                                         \
  do {                                                                          \
    const auto& medseal_s_ = (expr);                                            \
    ASSERT_TRUE(medseal_s_.ok()) << ::medseal::testing::StatusText(medseal_s_); \
  } while (0)
#define EXPECT_CODE(expr, expected_code)                                \
  EXPECT_EQ(::medseal::ErrorCodeName(::medseal::testing::CodeOf(expr)), \
            ::medseal::ErrorCodeName(expected_code))

namespace medseal::testing {
inline std::string StatusText(const Status& s) { return s.ToString(); }
template <typename T>
std::string StatusText(const Result<T>& r) {
  return r.status().ToString();
}
inline ErrorCode CodeOf(const Status& s) { return s.code(); }
template <typename T>
ErrorCode CodeOf(const Result<T>& r) {
  return r.status().code();
}
}  // namespace medseal::testing

// First statement of a death test: where GoogleTest has no death tests (the
// WebAssembly build of this suite: no fork), the test is reported SKIPPED
// instead of passing with its EXPECT_DEATH_IF_SUPPORTED checks unrun.
#if defined(GTEST_HAS_DEATH_TEST) && GTEST_HAS_DEATH_TEST
#define MEDSEAL_SKIP_WITHOUT_DEATH_TESTS() static_cast<void>(0)
#else
#define MEDSEAL_SKIP_WITHOUT_DEATH_TESTS() \
  GTEST_SKIP() << "death tests need fork(), which this platform lacks"
#endif

#endif  // MEDSEAL_NATIVE_TESTS_SUPPORT_TEST_UTIL_H_
