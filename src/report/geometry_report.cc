#include "ptsim/report/geometry_report.h"

#include <fmt/format.h>

#include "ptsim/report/format.h"

namespace ptsim::report {
namespace {

using kernel::Geometry;
using kernel::PgLevel;

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Linux's names: PGDIR_SHIFT but P4D_SHIFT, PUD_SHIFT, PMD_SHIFT, PAGE_SHIFT.
std::string shift_name(PgLevel l) {
  if (l == PgLevel::pgd) {
    return "PGDIR";
  }
  if (l == PgLevel::pte) {
    return "PAGE";
  }
  return upper(kernel::pg_level_name(l));
}

// The VA bits [hi:lo] a level indexes, or none for a folded level.
std::pair<unsigned, unsigned> va_bits_of(const Geometry& g, PgLevel l) {
  const unsigned lo = static_cast<unsigned>(g.level_shift(l));
  unsigned width = 0;
  while ((uint64_t{1} << width) < g.ptrs_per(l)) {
    ++width;
  }
  return {lo + width - 1, lo};
}

// Masks in the width of the architecture's unsigned long.
std::string mask_text(const Geometry& g, PgLevel l) {
  if (g.arch == kernel::Arch::arm64) {
    return fmt::format("{:#018x}", g.level_mask(l));
  }
  return fmt::format("{:#010x}", g.level_mask(l) & 0xffffffffu);
}

}  // namespace

std::string geometry_text(const Geometry& g) {
  std::string out = fmt::format("{}\n", g.describe());
  out += fmt::format("PAGE_SHIFT {}  PAGE_SIZE {}  VA_BITS {}  CONFIG_PGTABLE_LEVELS {}\n", g.page_shift,
                     human_size(g.page_size()), g.va_bits, g.pgtable_levels);
  if (g.cont_pte_shift != 0) {
    out += fmt::format("CONT_PTE_SHIFT {} (CONT_PTE_SIZE {})  CONT_PMD_SHIFT {} (CONT_PMD_SIZE {})\n",
                       g.cont_pte_shift, human_size(uint64_t{1} << g.cont_pte_shift), g.cont_pmd_shift,
                       human_size(uint64_t{1} << g.cont_pmd_shift));
  }
  out += "\n";
  out += fmt::format("{:<6}{:<6}{:<16}{:<18}{:<10}{:<22}{:<12}{:<7}{}\n", "level", "Arm", "SHIFT", "PTRS_PER",
                     "SIZE", "MASK", "table", "order", "VA bits");
  for (PgLevel l : kernel::kAllPgLevels) {
    const std::string name(kernel::pg_level_name(l));
    const std::string shift = fmt::format("{}_SHIFT={}", shift_name(l), g.level_shift(l));
    const std::string ptrs = fmt::format("{}", g.ptrs_per(l));
    if (g.is_folded(l)) {
      out += fmt::format("{:<6}{:<6}{:<16}{:<18}{:<10}{:<22}{}\n", name, "-", shift, ptrs,
                         human_size(g.level_size(l)), mask_text(g, l),
                         "folded (entry of the level above)");
      continue;
    }
    const auto [hi, lo] = va_bits_of(g, l);
    out += fmt::format("{:<6}{:<6}{:<16}{:<18}{:<10}{:<22}{:<12}{:<7}[{}:{}]\n", name,
                       fmt::format("L{}", g.hw_level(l).value_or(-9)), shift, ptrs, human_size(g.level_size(l)),
                       mask_text(g, l), human_size(g.table_bytes(l)), g.table_order(l),
                       hi, lo);
  }
  // The picture: | 47..39 pgd | 38..30 pud | ... | 11..0 offset |
  out += "\nVA: ";
  for (PgLevel l : g.hw_levels()) {
    const auto [hi, lo] = va_bits_of(g, l);
    out += fmt::format("| {}..{} {} ", hi, lo, kernel::pg_level_name(l));
  }
  out += fmt::format("| {}..0 offset |\n", g.page_shift - 1);
  return out;
}

nlohmann::json geometry_json(const Geometry& g) {
  nlohmann::json levels = nlohmann::json::array();
  for (PgLevel l : kernel::kAllPgLevels) {
    nlohmann::json level = {
        {"name", kernel::pg_level_name(l)},
        {"folded", g.is_folded(l)},
        {"shift", g.level_shift(l)},
        {"ptrs_per", g.ptrs_per(l)},
        {"size", g.level_size(l)},
        {"mask", mask_text(g, l)},
    };
    if (!g.is_folded(l)) {
      const auto [hi, lo] = va_bits_of(g, l);
      level["arm_level"] = g.hw_level(l).value_or(-9);
      level["table_bytes"] = g.table_bytes(l);
      level["table_order"] = g.table_order(l);
      level["va_bits"] = {hi, lo};
    }
    levels.push_back(level);
  }
  nlohmann::json j = {
      {"schema", "ptsim.geometry/1"}, {"arch", kernel::arch_name(g.arch)}, {"page_shift", g.page_shift}, {"page_size", g.page_size()},
      {"va_bits", g.va_bits},             {"pgtable_levels", g.pgtable_levels}, {"levels", levels},
  };
  if (g.cont_pte_shift != 0) {
    j["cont_pte_shift"] = g.cont_pte_shift;
    j["cont_pmd_shift"] = g.cont_pmd_shift;
  }
  return j;
}

}  // namespace ptsim::report
