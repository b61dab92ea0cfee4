// The step of a translation after the walk has reached a leaf (Arm ARM DDI
// 0487, AArch64.S1Translate after AArch64.S1Walk): the permission check and
// the hardware Access flag and dirty state updates.  translate() and the
// MMU's miss path both take it, the MMU without building a Translation.
#pragma once

#include <cstdint>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/permissions.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64::detail {

struct LeafAccess {
  FaultKind fault = FaultKind::none;  // none or permission
  uint64_t desc = 0;                  // the descriptor after any hardware update
  Permissions perms;                  // of `desc`, before PAN
  bool af_updated = false;
  bool dirty_updated = false;
};

// Checks `access` against the leaf descriptor `raw` at `entry` with the
// table attributes `table` gathered above it; on success makes the hardware
// updates, writing them back when `mem` is not null.
LeafAccess access_leaf(PhysMem* mem, const Regime& regime, const VaRange& range, Access access,
                       uint64_t raw, PhysAddr entry, const TableAttributes& table);

// Whether a write to this leaf must walk again to mark it dirty: a
// writable-clean entry (DBM=1, AP[2]=1) with TCR.HD=1 (D8.4.6).
inline bool writable_clean(const Regime& regime, uint64_t desc) {
  return regime.hardware_dirty() && desc::kDBM.get(desc) != 0 && (desc::kAP.get(desc) & 0b10) != 0;
}

}  // namespace ptsim::hw::arm64::detail
