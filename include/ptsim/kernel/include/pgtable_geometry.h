// The page-table geometry of a kernel configuration, derived exactly as Linux
// derives it, with Linux's level folding.
//
// Linux always speaks of five levels, pgd -> p4d -> pud -> pmd -> pte.  A
// configuration with fewer hardware levels folds the missing ones
// (include/asm-generic/pgtable-nop4d.h, -nopud.h, -nopmd.h): a folded level
// has one entry, its shift equals the shift of the level above, its offset
// function returns the entry of the level above, and its addr_end returns
// `end`.  Folding always goes from p4d downwards, so the hardware levels are
// pgd followed by the unfolded ones.
//
//   arm64 4K/48: pgd=L0 p4d=(pgd) pud=L1 pmd=L2 pte=L3
//   arm64 4K/39: pgd=L1 p4d=(pgd) pud=(pgd) pmd=L2 pte=L3
//   arm64 64K/42: pgd=L2 p4d=(pgd) pud=(pgd) pmd=(pgd) pte=L3
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim::kernel {

enum class PgLevel { pgd = 0, p4d = 1, pud = 2, pmd = 3, pte = 4 };
inline constexpr std::array<PgLevel, 5> kAllPgLevels = {PgLevel::pgd, PgLevel::p4d, PgLevel::pud,
                                                        PgLevel::pmd, PgLevel::pte};
std::string_view pg_level_name(PgLevel level);  // "pgd", "p4d", ...

enum class Arch { arm64, arm, arm_lpae };
std::string_view arch_name(Arch arch);

struct Geometry {
  Arch arch = Arch::arm64;
  unsigned page_shift = 12;  // PAGE_SHIFT
  unsigned va_bits = 48;     // VA_BITS (32 on arm)
  unsigned pgtable_levels = 4;  // CONFIG_PGTABLE_LEVELS

  // Shift of the address bits each level indexes (PGDIR_SHIFT ... PAGE_SHIFT).
  std::array<unsigned, 5> shift{};
  // Entries per table at each level (PTRS_PER_PGD ... PTRS_PER_PTE).
  std::array<uint64_t, 5> ptrs{};
  // Whether the level is folded into the one above (always false for pgd/pte).
  std::array<bool, 5> folded{};
  unsigned entry_bytes = 8;  // sizeof(pte_t); a Linux arm pgd_t holds two 4-byte entries

  // arm64 contiguous hint sizes (CONT_PTE_SHIFT, CONT_PMD_SHIFT); 0 elsewhere.
  unsigned cont_pte_shift = 0;
  unsigned cont_pmd_shift = 0;

  uint64_t page_size() const { return uint64_t{1} << page_shift; }
  uint64_t level_shift(PgLevel l) const { return shift[static_cast<int>(l)]; }
  uint64_t level_size(PgLevel l) const { return uint64_t{1} << level_shift(l); }  // PGDIR_SIZE...
  uint64_t level_mask(PgLevel l) const { return ~(level_size(l) - 1); }           // PGDIR_MASK...
  uint64_t ptrs_per(PgLevel l) const { return ptrs[static_cast<int>(l)]; }
  bool is_folded(PgLevel l) const { return folded[static_cast<int>(l)]; }

  // pgd_index(), p4d_index(), ...: 0 for a folded level.
  uint64_t index(PgLevel l, uint64_t va) const {
    return (va >> level_shift(l)) & (ptrs_per(l) - 1);
  }
  // pgd_addr_end(), p4d_addr_end(), ...: the next boundary of the level or
  // `end`, whichever comes first, compared minus one as Linux does so that a
  // range ending at the top of the address space works.  A folded level has
  // its parent's size, so its boundary is never before the caller's `end`.
  uint64_t addr_end(PgLevel l, uint64_t addr, uint64_t end) const {
    const uint64_t boundary = (addr + level_size(l)) & level_mask(l);
    return (boundary - 1 < end - 1) ? boundary : end;
  }
  // Bytes of one table at the level (PTRS_PER_x * sizeof(entry)) and its page order.
  uint64_t table_bytes(PgLevel l) const;
  unsigned table_order(PgLevel l) const;  // get_order(table_bytes)

  // The Arm translation level (0..3) a kernel level is walked at, or nullopt
  // for a folded level.  On arm (short-descriptor) pgd is level 1 and pte level 2.
  std::optional<int> hw_level(PgLevel l) const;
  // The kernel level whose entries the hardware reads at Arm level `hw`.
  std::optional<PgLevel> kernel_level(int hw) const;
  // The hardware levels from the root down, in walk order.
  std::vector<PgLevel> hw_levels() const;

  std::string describe() const;  // "arm64 4K pages, 48-bit VA, 4 levels"
};

// One arm64 configuration Linux 6.1's Kconfig accepts.
struct Arm64Config {
  unsigned page_shift;
  unsigned va_bits;
};

// The configurations arch/arm64/Kconfig (v6.1) allows: ARM64_VA_BITS_* with
// their `depends on` page sizes.
const std::vector<Arm64Config>& arm64_valid_configs();

// Derives the arm64 geometry as arch/arm64/include/asm/pgtable-hwdef.h (v6.1)
// does.  Throws ptsim::Error (usage) for a configuration Kconfig does not
// offer, listing the valid ones.
Geometry arm64_geometry(unsigned page_shift, unsigned va_bits);

// arm: the classic two-level layout (pgtable-2level.h) or LPAE's three levels
// (pgtable-3level.h).
Geometry arm_geometry(bool lpae);

// Parses "4K"/"16K"/"64K" (or 4096...) into a page shift; throws usage error.
unsigned parse_page_size(std::string_view text);

}  // namespace ptsim::kernel
