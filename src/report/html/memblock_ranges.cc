#include "ptsim/report/html/memblock_ranges.h"

namespace ptsim::report::html {

std::vector<PhysRange> memblock_ranges(const kernel::Memblock& mb) {
  std::vector<PhysRange> out;
  const auto add = [&](const kernel::memblock_type& t, const char* kind, const char* label) {
    for (unsigned long i = 0; i < t.cnt; ++i) {
      const kernel::memblock_region& r = t.regions[i];
      if (r.size == 0) {
        continue;
      }
      const bool nomap = (r.flags & kernel::MEMBLOCK_NOMAP) != 0;
      out.push_back({nomap ? "nomap" : kind, r.base, r.size, nomap ? "no-map" : label});
    }
  };
  add(mb.memory(), "ram", "memblock.memory");
  add(mb.reserved(), "reserved", "memblock.reserved");
  return out;
}

}  // namespace ptsim::report::html
