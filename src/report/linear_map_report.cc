#include "ptsim/report/linear_map_report.h"

#include <map>

#include <fmt/format.h>

#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/report/format.h"
#include "ptsim/report/walk_report.h"

namespace ptsim::report {

std::string linear_map_summary(const kernel::arm64::LinearMapSpec& spec, const kernel::arm64::LinearMap& lm) {
  std::string out = fmt::format(
      "Linear map of a {} RAM bank at {:#x}, as Linux 6.1's map_mem() builds it\n"
      "  {}; {}\n",
      human_size(spec.ram_size), spec.ram_base, lm.geometry.describe(),
      spec.rodata_full ? "rodata=full: NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS, PAGE_KERNEL"
                       : "rodata=on: block and contiguous entries where aligned, PAGE_KERNEL");
  out += fmt::format("  memstart_addr {:#x}; VA [{:#018x}-{:#018x}] -> PA [{:#x}-{:#x}]\n", lm.memstart_addr,
                     lm.virt_start, lm.virt_start + spec.ram_size - 1, spec.ram_base,
                     spec.ram_base + spec.ram_size - 1);
  // Count table pages per level from the pgtable_alloc shifts.
  std::map<int, unsigned> per_shift;
  for (const auto& t : lm.tables) {
    ++per_shift[t.shift];
  }
  out += "  table pages:";
  for (kernel::PgLevel l : lm.geometry.hw_levels()) {
    const int shift = static_cast<int>(lm.geometry.level_shift(l));
    out += fmt::format(" {} {}", kernel::pg_level_name(l), per_shift[shift]);
  }
  out += fmt::format(" ({} in all, top-down from the end of RAM)\n",
                     human_size(lm.tables.size() * lm.geometry.page_size()));
  return out;
}

std::string linear_map_walk(const kernel::arm64::LinearMap& lm, uint64_t va) {
  const hw::arm64::WalkRequest request = kernel::arm64::hw_walk_request(lm.geometry, lm.pgdir, va);
  return walk_text(lm.geometry, request, va, hw::arm64::walk(lm.mem, request, va));
}

}  // namespace ptsim::report
