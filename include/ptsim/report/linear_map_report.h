// The summary of a linear map built by build_linear_map(): what was mapped,
// with which flags, and the table pages it took per level.
#pragma once

#include <string>

#include "ptsim/kernel/arch/arm64/linear_map.h"

namespace ptsim::report {

std::string linear_map_summary(const kernel::arm64::LinearMapSpec& spec, const kernel::arm64::LinearMap& lm);

// Walks `va` through the linear map's tables and formats it (walk_text).
std::string linear_map_walk(const kernel::arm64::LinearMap& lm, uint64_t va);

}  // namespace ptsim::report
