// memblock's memory and reserved regions as physical ranges of the HTML map:
// "ram", "reserved", and "nomap" for MEMBLOCK_NOMAP memory.
#pragma once

#include <vector>

#include "ptsim/kernel/mm/memblock.h"
#include "ptsim/report/html/map_model.h"

namespace ptsim::report::html {

std::vector<PhysRange> memblock_ranges(const kernel::Memblock& mb);

}  // namespace ptsim::report::html
