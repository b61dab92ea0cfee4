// Resident set size of this process, read from /proc/self/status, for the
// memory figures the benchmarks report next to their timings.
#pragma once

#include <cstdint>

namespace ptsim::bench {

// Current resident set size in bytes (VmRSS).
uint64_t resident_bytes();

}  // namespace ptsim::bench
