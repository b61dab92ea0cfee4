#include "ptsim/kernel/arch/arm64/mm/table_estimate.h"

#include <fmt/format.h>

#include <algorithm>

namespace ptsim::kernel::arm64 {
namespace {

// Spans of `span` bytes (a power of two) that [start, end) touches.
uint64_t spans_touched(uint64_t start, uint64_t end, uint64_t span) {
  if (start >= end) {
    return 0;
  }
  const uint64_t mask = ~(span - 1);
  return (((end - 1) & mask) - (start & mask)) / span + 1;
}

// Whether entries of `level` may be blocks: arch/arm64/mm/mmu.c (v6.1)
// init_pmd() always, alloc_init_pud() when pud_sect_supported() (4K only).
// A folded level's entries are its parent's, and still blocks: with two
// levels of 16K pages the pgd entries are the pmd entries, 32 MiB blocks.
bool holds_blocks(const Geometry& g, PgLevel level) {
  return level == PgLevel::pmd || (level == PgLevel::pud && g.page_shift == 12);
}

}  // namespace

uint64_t TableEstimate::pages() const {
  uint64_t n = 0;
  for (const uint64_t t : tables) {
    n += t;
  }
  return n;
}

std::string TableEstimate::describe(const Geometry& g) const {
  std::string out;
  for (const PgLevel l : kAllPgLevels) {
    if (l == PgLevel::pgd || g.is_folded(l)) {
      continue;
    }
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", pg_level_name(l),
                       tables[static_cast<int>(l)]);
  }
  return out;
}

TableEstimate estimate_mapping_tables(const Geometry& g,
                                      const std::vector<std::pair<uint64_t, uint64_t>>& ranges,
                                      bool page_granular) {
  TableEstimate e;
  for (const PgLevel level : kAllPgLevels) {
    if (level == PgLevel::pgd || g.is_folded(level)) {
      continue;
    }
    // A level-L table holds PTRS_PER_L entries: it spans one entry of its parent.
    const uint64_t span = g.level_size(level) * g.ptrs_per(level);
    uint64_t& count = e.tables[static_cast<int>(level)];
    // The entry pointing at a level-L table is an entry of the level above L.
    const auto above = static_cast<PgLevel>(static_cast<int>(level) - 1);
    for (const auto& [start, end] : ranges) {
      if (page_granular || !holds_blocks(g, above)) {
        count += spans_touched(start, end, span);
        continue;
      }
      const uint64_t head_end = std::min(end, (start + span - 1) & ~(span - 1));
      const uint64_t tail_start = std::max(head_end, end & ~(span - 1));
      count += spans_touched(start, head_end, span) + spans_touched(tail_start, end, span);
    }
  }
  return e;
}

}  // namespace ptsim::kernel::arm64
