// The geometry table `ptsim geometry` prints: every derived constant with
// Linux's name, the levels with their Arm level or where they fold, and the
// VA bits each level indexes (the decomposition pictured in seed 001).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ptsim/kernel/include/pgtable_geometry.h"

namespace ptsim::report {

std::string geometry_text(const kernel::Geometry& g);
nlohmann::json geometry_json(const kernel::Geometry& g);

}  // namespace ptsim::report
