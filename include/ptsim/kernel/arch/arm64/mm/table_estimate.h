// How many table pages __create_pgd_mapping() will take from memblock to
// map a set of ranges, worked out before any is allocated, so that a boot
// of a machine too large for the host is refused up front (a limit of
// ptsim's, not of Linux: see docs/limits.md).
//
// An upper bound, level by level.  A table at level L is needed for every
// span of PTRS_PER_L entries of L that a range touches and that no block
// one level up covers:
//
//   page granular (rodata=full, NO_BLOCK_MAPPINGS): every span of the range
//   with blocks: only the unaligned head and tail of the range, where the
//                level above holds blocks (PMD always; PUD with 4K pages)
//
//   range        |<------------------------------- size ------------------------------->|
//   pte tables   [hd]                       (blocks in between)                       [tl]
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ptsim/kernel/include/pgtable_geometry.h"

namespace ptsim::kernel::arm64 {

struct TableEstimate {
  // Table pages per level (indexed by PgLevel); pgd is 0: swapper_pg_dir is in the image.
  std::array<uint64_t, 5> tables{};
  uint64_t pages() const;
  // "pud 1, pmd 512, pte 262144"
  std::string describe(const Geometry& g) const;
};

// Tables mapping the virtual ranges [first, second) would allocate, at most.
// `page_granular`: NO_BLOCK_MAPPINGS (rodata=full, a deferred crashkernel).
TableEstimate estimate_mapping_tables(const Geometry& g,
                                      const std::vector<std::pair<uint64_t, uint64_t>>& ranges,
                                      bool page_granular);

}  // namespace ptsim::kernel::arm64
