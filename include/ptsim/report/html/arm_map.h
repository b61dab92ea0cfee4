// The HTML map's model of a booted arm (32-bit) kernel: the regions of
// arch/arm's layout (user, modules, pkmap, lowmem, vmalloc, fixmap,
// vectors), swapper_pg_dir's mappings with their short- or long-descriptor
// walks, memblock and the table pages.
#pragma once

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/report/html/map_model.h"
#include "ptsim/report/ptdump_arm.h"

namespace ptsim::report::html {

MapModel arm_map_model(const kernel::arm::ArmBoot& boot);

// The same for tables read from a memory image (`ptsim ptdump --arch armv7
// --mem`): regions from the dump's markers, the memory banks, the
// mappings and table pages under `dump.pgd`.
MapModel arm_image_map_model(const hw::PhysMem& mem, const ArmPtdumpInput& dump);

// The hardware walk of `va` from the first-level table at `ttbr`: the
// short-descriptor format (B3.5) or, with `lpae`, the long-descriptor
// format from level 1 (B3.6), as TTBCR.N = 0 / T0SZ = 0 configure it.
std::vector<WalkEntry> arm_walk(const hw::PhysMem& mem, uint64_t ttbr, uint32_t va, bool lpae);

}  // namespace ptsim::report::html
