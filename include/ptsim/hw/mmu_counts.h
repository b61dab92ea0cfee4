// What both MMU front ends (hw/arch/arm64/mmu.h, hw/arch/arm/mmu.h) count
// and answer, over each architecture's own fault kinds (an enum ending in
// external_abort).
#pragma once

#include <array>
#include <cstdint>

#include "ptsim/hw/addr.h"

namespace ptsim::hw {

template <class FaultKind>
inline constexpr unsigned kFaultKindsOf = static_cast<unsigned>(FaultKind::external_abort) + 1;

template <class FaultKind>
struct MmuCounts {
  uint64_t accesses = 0;
  uint64_t micro_hits = 0;
  uint64_t main_hits = 0;
  uint64_t misses = 0;
  uint64_t walks = 0;
  uint64_t descriptor_reads = 0;
  uint64_t walk_cache_hits = 0;
  uint64_t tlbis = 0;
  uint64_t asid_switches = 0;
  std::array<uint64_t, kFaultKindsOf<FaultKind>> faults{};  // indexed by FaultKind

  uint64_t hits() const { return micro_hits + main_hits; }
  uint64_t fault_count(FaultKind k) const { return faults[static_cast<unsigned>(k)]; }
};

// One access's answer: the fault (or none) and the level of the leaf or the
// fault, whether the TLB answered, and the physical address.
template <class FaultKind, class Level>
struct MmuAnswer {
  FaultKind fault = FaultKind::none;
  Level level = 0;
  bool tlb_hit = false;
  PhysAddr pa;

  bool ok() const { return fault == FaultKind::none; }
};

}  // namespace ptsim::hw
