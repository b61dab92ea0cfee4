// The reports of `ptsim boot --arch arm64`: a summary, the memory layout as
// Documentation/arm64/memory.rst tabulates it, memblock in debugfs format,
// ptdump in Linux's format, the boot trace, and JSON holding all of them
// plus every table root's mappings.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::report {

// Linux 6.1's address_markers[] (arch/arm64/mm/ptdump.c) for the layout.
std::vector<AddrMarker> arm64_address_markers(const kernel::arm64::Layout& layout);

std::string arm64_boot_summary(const kernel::arm64::Arm64Kernel& k);
std::string arm64_layout_text(const kernel::arm64::Arm64Kernel& k);
// /sys/kernel/debug/memblock/memory and reserved.
std::string memblock_debugfs_text(const kernel::Memblock& mb);
// /sys/kernel/debug/kernel_page_tables of swapper_pg_dir.
std::string arm64_boot_ptdump(const kernel::arm64::Arm64Kernel& k);
std::string arm64_boot_trace(const kernel::arm64::Arm64Kernel& k);

// How the MMU walks `root` (granule, output-address format, VA width, half).
hw::arm64::WalkRequest arm64_root_walk_request(const kernel::arm64::Arm64Kernel& k,
                                               const kernel::arm64::TableRoot& root);

// Runs of a root's leaves merged while level, ptdump attribute words and
// physical contiguity hold: {"va_start","va_end","pa_start","level","attrs"}.
nlohmann::json arm64_root_mappings(const kernel::arm64::Arm64Kernel& k, const kernel::arm64::TableRoot& root);
// The layout constants (memory.rst's names) and memstart_addr, high_memory,
// kimage_voffset, as hex strings: the "layout" member of arm64_boot_json.
nlohmann::json arm64_layout_json(const kernel::arm64::Arm64Kernel& k);
nlohmann::json arm64_boot_json(const kernel::arm64::Arm64Kernel& k);

}  // namespace ptsim::report
