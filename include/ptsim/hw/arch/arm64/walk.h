// A VMSAv8-64 stage 1 translation table walk over simulated physical memory
// (Arm ARM DDI 0487, D8.2 "Translation table walk", D8.3 descriptors).
//
// The walk records every descriptor it reads and ends in an output address,
// or in a fault with its level: a translation fault (invalid or reserved
// descriptor, address out of the configured range), an address size fault
// (a table or output address above the output-address size), or a
// synchronous external abort when a descriptor read misses every memory
// bank.  A walk reads at most five descriptors, so a cyclic table cannot
// make it loop.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/walk_plan.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

enum class FaultKind { none, translation, access_flag, permission, address_size, external_abort };
std::string fault_kind_name(FaultKind kind);  // "translation", "address_size", ...

struct WalkRequest {
  DescriptorFormat format;
  PhysAddr table_base;       // TTBRn_EL1.BADDR: the start-level table
  unsigned ia_bits = 48;     // 64 - TnSZ
  bool upper_half = false;   // TTBR1 (VA bits above ia_bits all ones) or TTBR0 (all zeros)
  unsigned pa_bits = 48;     // output address size (TCR_EL1.IPS, at most the format's)
  bool tbi = false;          // VA[63:56] ignored (TCR_EL1.TBIn for this access)
  bool hardware_af = false;  // TCR_EL1.HA: AF=0 is not a fault, the MMU sets it
};

// One descriptor read.  Only the first step_count steps of a result are
// meaningful; the rest are left unset, since clearing them costs a walk a
// fifth of its time.
struct WalkStep {
  int level;
  uint64_t index;
  PhysAddr entry_addr;
  uint64_t raw;
  DescriptorKind kind;
};

struct WalkResult {
  std::array<WalkStep, 5> steps;
  unsigned step_count = 0;

  FaultKind fault = FaultKind::none;
  int level = 0;  // the level of the leaf, or of the fault

  PhysAddr output;          // the translated address (block/page base + offset)
  uint64_t block_size = 0;  // bytes the leaf maps
  uint64_t leaf_raw = 0;    // the leaf descriptor (0 when the walk found none)
  DescriptorFormat format;  // the request's, to read leaf_raw with
  // Hierarchical attributes gathered from the table descriptors on the way
  // to a leaf (D8.4.2: each is the OR over the tables walked).
  TableAttributes table;

  bool ok() const { return fault == FaultKind::none; }
  // The leaf's attributes, decoded when asked for: most walks (the MMU's,
  // a dump's) need only a few bits of them, and decoding them all cost a
  // walk a third of its time.
  LeafAttributes leaf() const { return LeafAttributes::decode(format, leaf_raw); }
};

// Which level a walk of `ia_bits` starts at for the request's granule.
int walk_start_level(const WalkRequest& request);

class TableReader;

// A walk request with everything that depends only on it worked out once:
// what the regime's registers fix until they are written again.  Walking
// many addresses of one regime through one Walker spares each walk the
// plan; the MMU keeps one per VA range.
class Walker {
 public:
  explicit Walker(const WalkRequest& request);

  const WalkRequest& request() const { return request_; }
  const detail::WalkPlan& plan() const { return plan_; }

  // The faults a walk takes before reading a descriptor, both at level 0: a
  // VA outside the range (translation) and a TTBR base above the
  // output-address size (address size).  FaultKind::none when the walk may
  // start.
  FaultKind entry_fault(uint64_t va) const {
    if ((va & range_mask_) != range_bits_) {
      return FaultKind::translation;
    }
    return base_too_large_ ? FaultKind::address_size : FaultKind::none;
  }

  bool base_too_large() const { return base_too_large_; }

  // Walks `va`; never throws for anything the tables or the address
  // contain.  A VA outside the range and a TTBR base above the
  // output-address size fault at level 0, as AArch64.S1Walk reports them.
  WalkResult walk(const PhysMem& mem, uint64_t va) const;
  // The same, reading descriptors through a TableReader's frame cache.
  WalkResult walk(TableReader& reader, uint64_t va) const;

 private:
  WalkRequest request_;
  detail::WalkPlan plan_;
  // VA bits from AddrTop down to ia_bits, and the value they must have.
  uint64_t range_mask_ = 0;
  uint64_t range_bits_ = 0;
  bool base_too_large_ = false;
};

// One walk of `va` for `request`: Walker(request).walk(...).
WalkResult walk(const PhysMem& mem, const WalkRequest& request, uint64_t va);
WalkResult walk(TableReader& reader, const WalkRequest& request, uint64_t va);

}  // namespace ptsim::hw::arm64
