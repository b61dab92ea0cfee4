#include "ptsim/kernel/include/pgtable_geometry.h"

#include <algorithm>

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

constexpr int idx(PgLevel l) { return static_cast<int>(l); }

// Folds levels as include/asm-generic/pgtable-nop4d.h, -nopud.h and
// -nopmd.h do: a folded level takes the shift of the level above and has a
// single entry.
void fold(Geometry& g, PgLevel level) {
  const int i = idx(level);
  g.folded[i] = true;
  g.shift[i] = g.shift[i - 1];
  g.ptrs[i] = 1;
}

}  // namespace

std::string_view pg_level_name(PgLevel level) {
  static constexpr std::array<std::string_view, 5> names = {"pgd", "p4d", "pud", "pmd", "pte"};
  return names[idx(level)];
}

std::string_view arch_name(Arch arch) {
  switch (arch) {
    case Arch::arm64:
      return "arm64";
    case Arch::arm:
      return "arm";
    case Arch::arm_lpae:
      return "arm (LPAE)";
  }
  return "?";
}

uint64_t Geometry::table_bytes(PgLevel l) const {
  // Linux arm (pgtable-2level.h): a pgd_t is a pair of 1 MiB hardware
  // entries, and a pte page holds the PTRS_PER_PTE Linux entries followed
  // by as many hardware ones.
  if (arch == Arch::arm && (l == PgLevel::pgd || l == PgLevel::pte)) {
    return 2 * ptrs_per(l) * entry_bytes;
  }
  return ptrs_per(l) * entry_bytes;
}

unsigned Geometry::table_order(PgLevel l) const {
  // get_order(): the smallest order whose 2^order pages hold the table.
  const uint64_t bytes = table_bytes(l);
  unsigned order = 0;
  while ((page_size() << order) < bytes) {
    ++order;
  }
  return order;
}

std::optional<int> Geometry::hw_level(PgLevel l) const {
  if (is_folded(l)) {
    return std::nullopt;
  }
  const std::vector<PgLevel> levels = hw_levels();
  const auto pos = std::find(levels.begin(), levels.end(), l) - levels.begin();
  // The last hardware level is 3 on arm64 and LPAE, 2 on the short-descriptor format.
  const int last = (arch == Arch::arm) ? 2 : 3;
  return last - static_cast<int>(levels.size() - 1) + static_cast<int>(pos);
}

std::optional<PgLevel> Geometry::kernel_level(int hw) const {
  for (PgLevel l : hw_levels()) {
    if (hw_level(l) == hw) {
      return l;
    }
  }
  return std::nullopt;
}

std::vector<PgLevel> Geometry::hw_levels() const {
  std::vector<PgLevel> out;
  for (PgLevel l : kAllPgLevels) {
    if (!is_folded(l)) {
      out.push_back(l);
    }
  }
  return out;
}

std::string Geometry::describe() const {
  if (arch != Arch::arm64) {
    return fmt::format("{} {}K pages, {}-bit VA, {} levels", arch_name(arch), page_size() / 1024,
                       va_bits, pgtable_levels);
  }
  return fmt::format("arm64 {}K pages, {}-bit VA, {} levels", page_size() / 1024, va_bits,
                     pgtable_levels);
}

const std::vector<Arm64Config>& arm64_valid_configs() {
  // arch/arm64/Kconfig (v6.1): ARM64_VA_BITS_36 depends on 16K (EXPERT),
  // _39 on 4K, _42 on 64K, _47 on 16K, _48 on any, _52 on 64K only (52-bit
  // VA with 4K/16K pages, LPA2, arrived in v6.9).
  static const std::vector<Arm64Config> configs = {
      {12, 39}, {12, 48}, {14, 36}, {14, 47}, {14, 48}, {16, 42}, {16, 48}, {16, 52},
  };
  return configs;
}

Geometry arm64_geometry(unsigned page_shift, unsigned va_bits) {
  const auto& valid = arm64_valid_configs();
  const bool ok = std::any_of(valid.begin(), valid.end(), [&](const Arm64Config& c) {
    return c.page_shift == page_shift && c.va_bits == va_bits;
  });
  if (!ok) {
    std::string list;
    for (const auto& c : valid) {
      list += fmt::format("{}{}K/{}", list.empty() ? "" : ", ", (1u << c.page_shift) / 1024, c.va_bits);
    }
    throw usage_error(fmt::format(
        "arm64 Linux 6.1 has no configuration with {} pages and VA_BITS={} (arch/arm64/Kconfig "
        "ARM64_VA_BITS_* choices); valid page size/VA_BITS pairs: {}",
        page_shift >= 10 && page_shift < 40 ? fmt::format("{}K", (uint64_t{1} << page_shift) / 1024)
                                            : fmt::format("2^{}-byte", page_shift),
        va_bits, list));
  }

  Geometry g;
  g.arch = Arch::arm64;
  g.page_shift = page_shift;
  g.va_bits = va_bits;
  g.entry_bytes = 8;
  // ARM64_HW_PGTABLE_LEVELS(va_bits) = (va_bits - 4) / (PAGE_SHIFT - 3); the
  // Kconfig PGTABLE_LEVELS defaults agree with it for every valid pair.
  g.pgtable_levels = (va_bits - 4) / (page_shift - 3);
  // ARM64_HW_PGTABLE_LEVEL_SHIFT(n) = (PAGE_SHIFT - 3) * (4 - n) + 3
  const auto level_shift = [&](unsigned n) { return (page_shift - 3) * (4 - n) + 3; };
  const uint64_t per_table = uint64_t{1} << (page_shift - 3);

  g.shift[idx(PgLevel::pgd)] = level_shift(4 - g.pgtable_levels);  // PGDIR_SHIFT
  g.ptrs[idx(PgLevel::pgd)] = uint64_t{1} << (va_bits - g.shift[idx(PgLevel::pgd)]);
  g.shift[idx(PgLevel::pud)] = level_shift(1);  // PUD_SHIFT when PGTABLE_LEVELS > 3
  g.ptrs[idx(PgLevel::pud)] = per_table;
  g.shift[idx(PgLevel::pmd)] = level_shift(2);  // PMD_SHIFT when PGTABLE_LEVELS > 2
  g.ptrs[idx(PgLevel::pmd)] = per_table;
  g.shift[idx(PgLevel::pte)] = page_shift;
  g.ptrs[idx(PgLevel::pte)] = per_table;  // PTRS_PER_PTE

  fold(g, PgLevel::p4d);  // arm64 in v6.1 never has five levels
  if (g.pgtable_levels <= 3) {
    fold(g, PgLevel::pud);
  }
  if (g.pgtable_levels <= 2) {
    fold(g, PgLevel::pmd);
  }
  // CONFIG_ARM64_CONT_PTE_SHIFT: 5 (64K), 7 (16K), 4 (4K);
  // CONFIG_ARM64_CONT_PMD_SHIFT: 5 (64K), 5 (16K), 4 (4K).
  const unsigned cont_pte = page_shift == 16 ? 5 : page_shift == 14 ? 7 : 4;
  const unsigned cont_pmd = page_shift == 12 ? 4 : 5;
  g.cont_pte_shift = cont_pte + page_shift;
  g.cont_pmd_shift = cont_pmd + g.shift[idx(PgLevel::pmd)];
  return g;
}

Geometry arm_geometry(bool lpae) {
  Geometry g;
  g.page_shift = 12;
  g.va_bits = 32;
  if (!lpae) {
    // arch/arm/include/asm/pgtable-2level.h: PGDIR_SHIFT 21, PTRS_PER_PGD
    // 2048, PTRS_PER_PTE 512; pgd_t is a pair of 1 MiB hardware entries.
    g.arch = Arch::arm;
    g.pgtable_levels = 2;
    g.entry_bytes = 4;
    g.shift[idx(PgLevel::pgd)] = 21;
    g.ptrs[idx(PgLevel::pgd)] = 2048;
    g.shift[idx(PgLevel::pte)] = 12;
    g.ptrs[idx(PgLevel::pte)] = 512;
    fold(g, PgLevel::p4d);
    fold(g, PgLevel::pud);
    fold(g, PgLevel::pmd);
    return g;
  }
  // arch/arm/include/asm/pgtable-3level.h: PGDIR_SHIFT 30, PTRS_PER_PGD 4,
  // PMD_SHIFT 21, PTRS_PER_PMD 512, PTRS_PER_PTE 512; 64-bit descriptors.
  g.arch = Arch::arm_lpae;
  g.pgtable_levels = 3;
  g.entry_bytes = 8;
  g.shift[idx(PgLevel::pgd)] = 30;
  g.ptrs[idx(PgLevel::pgd)] = 4;
  g.shift[idx(PgLevel::pmd)] = 21;
  g.ptrs[idx(PgLevel::pmd)] = 512;
  g.shift[idx(PgLevel::pte)] = 12;
  g.ptrs[idx(PgLevel::pte)] = 512;
  fold(g, PgLevel::p4d);
  fold(g, PgLevel::pud);
  return g;
}

unsigned parse_page_size(std::string_view text) {
  if (text == "4K" || text == "4k" || text == "4096") {
    return 12;
  }
  if (text == "16K" || text == "16k" || text == "16384") {
    return 14;
  }
  if (text == "64K" || text == "64k" || text == "65536") {
    return 16;
  }
  throw usage_error(fmt::format("page size '{}' is not one of 4K, 16K, 64K", text));
}

}  // namespace ptsim::kernel
