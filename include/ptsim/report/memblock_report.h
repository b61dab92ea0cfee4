// memblock's region arrays as JSON, for the boot reports and `ptsim memblock
// --json` (docs/json.md).
#pragma once

#include <nlohmann/json.hpp>

#include "ptsim/kernel/mm/memblock.h"

namespace ptsim::report {

// The regions in use, [{"base": "0x…", "size": "0x…", "flags": N[, "nid": N]}],
// skipping the empty dummy entry of an empty type; "nid" only when asked
// (arm builds memblock without NUMA).
nlohmann::json memblock_regions_json(const kernel::memblock_type& type, bool with_nid);

}  // namespace ptsim::report
