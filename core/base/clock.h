// Time is injected: core never reads the wall clock itself.
#ifndef MEDSEAL_CORE_BASE_CLOCK_H_
#define MEDSEAL_CORE_BASE_CLOCK_H_

#include <cstdint>

namespace medseal {

// Milliseconds since 1970-01-01T00:00:00Z (UTC), ignoring leap seconds.
using UnixMillis = int64_t;

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
