// Small formatting helpers shared by the text reports.
#pragma once

#include <cstdint>
#include <string>

namespace ptsim::report {

// A size as the kernel prints it in ptdump: 4K, 2M, 1G, 512G, 256T, or bytes.
std::string human_size(uint64_t bytes);

}  // namespace ptsim::report
