// The synthetic access trace the replay benchmarks share: mostly accesses
// near a point that moves now and then through a working set of `span`
// bytes, one in sixteen anywhere in it, a write in four.  A xorshift
// generator makes it the same on every run.
#pragma once

#include <cstdint>

namespace ptsim::bench {

class SyntheticTrace {
 public:
  explicit SyntheticTrace(uint64_t span) : span_(span) {}

  struct Access {
    uint64_t offset;  // into the working set
    bool write;
  };

  Access next() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 7;
    x_ ^= x_ << 17;
    if ((x_ & 0xff) == 0) {
      hot_ = x_ % span_;
    }
    const uint64_t offset =
        (x_ & 0xf) == 0 ? (x_ >> 8) % span_ : (hot_ + ((x_ >> 8) & 0x3ffff)) % span_;
    return {offset, (x_ & 0x30) == 0};
  }

 private:
  uint64_t span_;
  uint64_t x_ = 88172645463325252ull;
  uint64_t hot_ = 0;
};

}  // namespace ptsim::bench
