// A table walk as people read it: each level with its Linux name and Arm
// level, index, entry address, raw value and meaning, folded levels shown
// where they fold, then the output address and attributes or the fault.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/kernel/include/pgtable_geometry.h"

namespace ptsim::report {

std::string walk_text(const kernel::Geometry& g, const hw::arm64::WalkRequest& request, uint64_t va,
                      const hw::arm64::WalkResult& result);
nlohmann::json walk_json(const kernel::Geometry& g, const hw::arm64::WalkRequest& request, uint64_t va,
                         const hw::arm64::WalkResult& result);

}  // namespace ptsim::report
