// Descriptor reads for the walker, with a small cache of the host storage of
// recently used 4 KiB frames.  PhysMem finds a frame through a two-level
// radix; a walk touches a handful of table frames again and again, so
// remembering their host addresses makes a descriptor read two dependent
// loads (the slot, the descriptor) instead of three.  Frame storage never moves while the PhysMem
// lives, so a remembered frame stays right; frames not backed (reading as
// zero) are not remembered, so a later first write is seen.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

class TableReader {
 public:
  explicit TableReader(const PhysMem& mem) : mem_(mem) {}

  const PhysMem& mem() const { return mem_; }

  // A descriptor read: its value, or ok=false outside every bank.  Returned
  // by value so the walk keeps it in registers.
  struct Read {
    uint64_t value;
    bool ok;
  };

  Read load(PhysAddr pa) {
    const uint64_t a = pa.value();
    const uint64_t fn = a >> PhysMem::kFrameShift;
    const Slot& s = slots_[fn & (kSlots - 1)];
    if (s.frame == fn && (a & 7) == 0) {
      uint64_t v;
      std::memcpy(&v, s.host + (a & (PhysMem::kFrameSize - 1)), 8);
      return {v, true};
    }
    return load_slow(pa);
  }

 private:
  static constexpr uint64_t kSlots = 64;
  // A slot holds a backed frame only, so a matching frame number is a hit.
  struct Slot {
    uint64_t frame = ~uint64_t{0};
    const std::byte* host = nullptr;
  };
  Read load_slow(PhysAddr pa);

  const PhysMem& mem_;
  std::array<Slot, kSlots> slots_{};
};

}  // namespace ptsim::hw::arm64
