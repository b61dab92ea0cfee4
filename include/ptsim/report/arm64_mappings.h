// The leaves of arm64 tables as JSON runs, merged as ptdump merges them: the
// "mappings" of `ptsim boot --json` (tables.<root>.mappings) and of `ptsim
// ptdump --json` (docs/json.md).
#pragma once

#include <array>
#include <nlohmann/json.hpp>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::report {

// Linux's name of each Arm level, indexed by level + 1 (-1 to 3), for tables
// whose walk starts at `start_level`: the top table is the pgd and the levels
// below keep their names (PTE at 3, PMD at 2, PUD at 1, P4D at 0), which is
// how asm-generic's folding names a walk of fewer levels.
std::array<const char*, 5> arm64_level_names(int start_level);

// [{"va_start", "va_end", "pa_start", "level", "attrs"}], one per run of
// leaves with the same level and protection, contiguous in VA and PA.
nlohmann::json arm64_mapping_runs(const hw::PhysMem& mem, const hw::arm64::WalkRequest& request,
                                  const std::array<const char*, 5>& level_names);

}  // namespace ptsim::report
