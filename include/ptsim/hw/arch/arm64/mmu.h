// The MMU's front end: translation through the TLB, walking on a miss
// (through the walk cache when there is one), filling the TLB from
// successful walks, and counting what happened.  It holds the regime's
// registers, so an ASID switch or a TLBI is a call on it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/arch/arm64/tlb.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/mmu_counts.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

inline constexpr unsigned kFaultKinds = kFaultKindsOf<FaultKind>;

struct MmuStats : MmuCounts<FaultKind> {
  uint64_t af_updates = 0;
  uint64_t dirty_updates = 0;
};

using MmuResult = MmuAnswer<FaultKind, int>;

class Mmu {
 public:
  // In-range VAs are fully described by bits [55:0]: the bits above repeat
  // bit 55 or are the ignored top byte.
  static constexpr uint64_t kVaMask = (uint64_t{1} << 56) - 1;

  Mmu(PhysMem& mem, const Regime& regime, const TlbConfig& config = {});

  MmuResult access(uint64_t va, Access access) {
    // The common case inline: the MMU on, no micro-TLB, a main TLB hit
    // that permits the access; a miss goes straight to the walk.
    // Everything else takes the full path.
    if (inline_hits_ && regime_.va_in_range(va, access.type == AccessType::execute)) {
      const uint64_t va56 = va & kVaMask;
      const TlbEntry* e = main_.lookup(va56, regime_.asid());
      if (e == nullptr) {
        ++stats_.accesses;
        return miss(va, access);
      }
      if ((e->allowed >> access_index(access) & 1) != 0 &&
          !(access.type == AccessType::write && e->writable_clean)) {
        ++stats_.accesses;
        ++stats_.main_hits;
        return MmuResult{FaultKind::none, e->level, true,
                         PhysAddr(e->pa_base + (va56 & ((uint64_t{1} << e->shift) - 1)))};
      }
    }
    return access_slow(va, access);
  }

  void set_asid(uint16_t asid);
  // A TLBI operation; `va` for the by-VA forms, `asid` for the ASID forms
  // and the by-VA forms that take one (the current ASID when not given).
  void tlbi(TlbiOp op, uint64_t va = 0, std::optional<uint16_t> asid = std::nullopt);

  const MmuStats& stats() const { return stats_; }
  const Regime& regime() const { return regime_; }
  const TlbConfig& config() const { return config_; }
  unsigned tlb_valid_entries() const { return main_.valid_entries(); }

 private:
  MmuResult access_slow(uint64_t va, Access access);
  MmuResult miss(uint64_t va, Access access);
  MmuResult fault(FaultKind kind, int level, bool hit);

  PhysMem& mem_;
  TableReader reader_;
  Regime regime_;
  // The walks of the lower (TTBR0) and upper (TTBR1) range, planned once:
  // an ASID switch, the only register change an Mmu takes, leaves them be.
  std::array<Walker, 2> walkers_;
  TlbConfig config_;
  bool inline_hits_ = false;  // the MMU on and no micro-TLB: access() may answer a hit itself
  TlbArray micro_;
  TlbArray main_;
  WalkCache walk_cache_;
  MmuStats stats_;
};

}  // namespace ptsim::hw::arm64
