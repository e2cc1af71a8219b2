// SPDX-License-Identifier: Apache-2.0
// Time is injected: core never reads the wall clock itself.
#ifndef MEDSEAL_CORE_BASE_CLOCK_H_
#define MEDSEAL_CORE_BASE_CLOCK_H_

#include <cstdint>

namespace medseal {

// Milliseconds since 1970-01-01T00:00:00Z (UTC), ignoring leap seconds.
using UnixMillis = int64_t;
// The latest time medseal accepts anywhere (card creation, sealing time):
// 2^53 - 1, the largest integer a JavaScript number holds exactly. With the
// earliest, 0, it bounds every time in docs/spec/record.md.
inline constexpr UnixMillis kMaxUnixMillis = (UnixMillis{1} << 53) - 1;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() = 0;
};

// A clock that always reads the same instant: known-answer tests and callers
// that already hold a timestamp (the wasm bindings pass JS's Date.now()).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(UnixMillis now) : now_(now) {}
  UnixMillis Now() override { return now_; }
  void Set(UnixMillis now) { now_ = now; }

 private:
  UnixMillis now_;
};

}  // namespace medseal

#endif  // MEDSEAL_CORE_BASE_CLOCK_H_
