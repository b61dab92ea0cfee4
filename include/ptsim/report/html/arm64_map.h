// The HTML map's model of arm64 tables: from a booted kernel (its layout,
// memblock, swapper_pg_dir and idmap) or from a memory image and the
// registers that locate its tables (`ptsim ptdump --mem`).
#pragma once

#include <string>
#include <vector>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/report/html/map_model.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::report::html {

// The virtual regions of memory.rst (user, linear map, modules, vmalloc,
// fixmap, PCI I/O, vmemmap), the kernel image, the idmap; swapper_pg_dir's
// and the idmap's mappings; memblock and the table pages.
MapModel arm64_map_model(const kernel::arm64::Arm64Kernel& k);

// A table root of a memory image: its name ("TTBR1_EL1") and how to walk it.
struct Arm64ImageRoot {
  std::string name;
  hw::arm64::WalkRequest request;
};

// Regions from the markers (each runs to the next) and each root's VA
// range; the memory banks as RAM; the tables found by walking the roots.
MapModel arm64_image_map_model(const hw::PhysMem& mem, const std::vector<Arm64ImageRoot>& roots,
                               const std::vector<AddrMarker>& markers);

}  // namespace ptsim::report::html
