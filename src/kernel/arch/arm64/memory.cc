#include "ptsim/kernel/arch/arm64/memory.h"

#include <algorithm>

namespace ptsim::kernel::arm64 {

uint64_t memstart_align(const Geometry& g) {
  unsigned shift = g.page_shift == 12   ? static_cast<unsigned>(g.level_shift(PgLevel::pud))
                   : g.page_shift == 14 ? g.cont_pmd_shift
                                        : static_cast<unsigned>(g.level_shift(PgLevel::pmd));
  const unsigned section_size_bits = g.page_shift == 16 ? 29 : 27;
  shift = std::max(shift, section_size_bits);
  return uint64_t{1} << shift;
}

}  // namespace ptsim::kernel::arm64
