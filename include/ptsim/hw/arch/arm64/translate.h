// One stage 1 EL1&0 translation as the MMU performs it (Arm ARM DDI 0487,
// D8 "The AArch64 Virtual Memory System Architecture"; AArch64.S1Translate
// in the pseudocode): range selection, the walk, the permission check, and
// the hardware updates of the Access flag and dirty state written back to
// memory.
//
// Order of checks, as the pseudocode makes them: VA range and EPDn
// (translation fault, level 0), the walk (translation, address size,
// external abort, then the Access flag with TCR.HA=0), then permissions
// (permission fault at the leaf's level).  Only an access that does not
// fault updates the descriptor: the AF update on a permission fault is
// CONSTRAINED UNPREDICTABLE (AArch64.FaultAllowsSetAccessFlag) and ptsim
// takes the choice of not updating.
#pragma once

#include <cstdint>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/permissions.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

struct Translation {
  FaultKind fault = FaultKind::none;
  int level = 0;  // of the leaf, or of the fault

  PhysAddr pa;
  uint64_t size = 0;      // bytes the leaf descriptor maps
  uint64_t tlb_size = 0;  // bytes one TLB entry may cover (the contiguous run, if the hint is set)
  LeafAttributes leaf;    // after any hardware update
  Permissions perms;      // of the final descriptor, before PAN
  uint8_t mair_attr = 0;  // MAIR_EL1.Attr<AttrIndx>
  unsigned sh = 0;        // shareability as PAR reports it
  bool ns = true;         // a Non-secure regime
  bool global = true;     // nG=0
  bool af_updated = false;     // the MMU set AF
  bool dirty_updated = false;  // the MMU cleared AP[2] of a DBM=1 entry
  uint64_t descriptor = 0;     // the leaf descriptor after updates
  PhysAddr descriptor_addr;
  WalkResult walk;

  bool ok() const { return fault == FaultKind::none; }
};

// The walk the regime makes for `va` (the range chosen by bit 55).
WalkRequest walk_request(const Regime& regime, uint64_t va, Access access);

// Translates one access.  With `mem` writable the hardware updates are
// written back; `translate_no_update` is the same check without them, as
// an AT instruction is allowed to make it.
Translation translate(PhysMem& mem, const Regime& regime, uint64_t va, Access access);
Translation translate_no_update(const PhysMem& mem, const Regime& regime, uint64_t va,
                                Access access);

// The part after the walk: permission check, attributes, and (with `mem`
// non-null) the hardware updates.  Exposed for the TLB front end, which
// walks through its walk cache and, not reporting the walk, passes
// `record_walk` false to skip copying it.
Translation complete_translation(PhysMem* mem, const Regime& regime, uint64_t va, Access access,
                                 const WalkResult& walk, bool record_walk = true);

}  // namespace ptsim::hw::arm64
