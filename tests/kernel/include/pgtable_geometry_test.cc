// Geometry of every arm64 configuration Linux 6.1 accepts, checked against
// the formulas of arch/arm64/include/asm/pgtable-hwdef.h evaluated by hand:
//   CONFIG_PGTABLE_LEVELS = (VA_BITS - 4) / (PAGE_SHIFT - 3)
//   ARM64_HW_PGTABLE_LEVEL_SHIFT(n) = (PAGE_SHIFT - 3) * (4 - n) + 3
//   PGDIR_SHIFT = LEVEL_SHIFT(4 - levels), PTRS_PER_PGD = 1 << (VA_BITS - PGDIR_SHIFT)
//   CONT_PTE_SHIFT = CONFIG_ARM64_CONT_PTE_SHIFT (4/7/5) + PAGE_SHIFT
//   CONT_PMD_SHIFT = CONFIG_ARM64_CONT_PMD_SHIFT (4/5/5) + PMD_SHIFT
// Folded levels take the shift of the level above and one entry
// (include/asm-generic/pgtable-nopud.h, -nopmd.h).
#include "ptsim/kernel/include/pgtable_geometry.h"

#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

struct Expected {
  unsigned page_shift, va_bits, levels;
  unsigned pgdir_shift, pud_shift, pmd_shift;
  uint64_t ptrs_pgd, ptrs_pud, ptrs_pmd, ptrs_pte;
  bool pud_folded, pmd_folded;
  unsigned cont_pte_shift, cont_pmd_shift;
  int pgd_arm_level;
};

class Arm64Geometry : public testing::TestWithParam<Expected> {};

TEST_P(Arm64Geometry, MatchesLinuxFormulas) {
  const Expected& e = GetParam();
  const Geometry g = arm64_geometry(e.page_shift, e.va_bits);
  EXPECT_EQ(g.pgtable_levels, e.levels);
  EXPECT_EQ(g.level_shift(PgLevel::pgd), e.pgdir_shift);
  EXPECT_EQ(g.level_shift(PgLevel::p4d), e.pgdir_shift);  // nop4d: P4D_SHIFT == PGDIR_SHIFT
  EXPECT_EQ(g.level_shift(PgLevel::pud), e.pud_shift);
  EXPECT_EQ(g.level_shift(PgLevel::pmd), e.pmd_shift);
  EXPECT_EQ(g.level_shift(PgLevel::pte), e.page_shift);
  EXPECT_EQ(g.ptrs_per(PgLevel::pgd), e.ptrs_pgd);
  EXPECT_EQ(g.ptrs_per(PgLevel::p4d), 1u);
  EXPECT_EQ(g.ptrs_per(PgLevel::pud), e.ptrs_pud);
  EXPECT_EQ(g.ptrs_per(PgLevel::pmd), e.ptrs_pmd);
  EXPECT_EQ(g.ptrs_per(PgLevel::pte), e.ptrs_pte);
  EXPECT_TRUE(g.is_folded(PgLevel::p4d));
  EXPECT_EQ(g.is_folded(PgLevel::pud), e.pud_folded);
  EXPECT_EQ(g.is_folded(PgLevel::pmd), e.pmd_folded);
  EXPECT_EQ(g.cont_pte_shift, e.cont_pte_shift);
  EXPECT_EQ(g.cont_pmd_shift, e.cont_pmd_shift);
  EXPECT_EQ(g.hw_level(PgLevel::pgd), e.pgd_arm_level);
  EXPECT_EQ(g.hw_level(PgLevel::pte), 3);
  EXPECT_EQ(g.level_size(PgLevel::pmd), uint64_t{1} << e.pmd_shift);
  EXPECT_EQ(g.level_mask(PgLevel::pgd), ~((uint64_t{1} << e.pgdir_shift) - 1));
  // Every table but the pgd fills one page (order 0); the pgd is smaller or equal.
  EXPECT_EQ(g.table_bytes(PgLevel::pte), uint64_t{1} << e.page_shift);
  EXPECT_EQ(g.table_order(PgLevel::pte), 0u);
  EXPECT_EQ(g.table_bytes(PgLevel::pgd), e.ptrs_pgd * 8);
  // The indexed bits cover VA_BITS exactly.
  unsigned covered = e.page_shift;
  for (PgLevel l : g.hw_levels()) {
    uint64_t n = g.ptrs_per(l);
    while (n > 1) {
      n >>= 1;
      ++covered;
    }
  }
  EXPECT_EQ(covered, e.va_bits);
}

INSTANTIATE_TEST_SUITE_P(
    AllKconfigChoices, Arm64Geometry,
    testing::Values(
        //        page va lv pgdir pud pmd  ptrs pgd/pud/pmd/pte      folded   cont   pgd level
        Expected{12, 39, 3, 30, 30, 21, 512, 1, 512, 512, true, false, 16, 25, 1},
        Expected{12, 48, 4, 39, 30, 21, 512, 512, 512, 512, false, false, 16, 25, 0},
        Expected{14, 36, 2, 25, 25, 25, 2048, 1, 1, 2048, true, true, 21, 30, 2},
        Expected{14, 47, 3, 36, 36, 25, 2048, 1, 2048, 2048, true, false, 21, 30, 1},
        Expected{14, 48, 4, 47, 36, 25, 2, 2048, 2048, 2048, false, false, 21, 30, 0},
        Expected{16, 42, 2, 29, 29, 29, 8192, 1, 1, 8192, true, true, 21, 34, 2},
        Expected{16, 48, 3, 42, 42, 29, 64, 1, 8192, 8192, true, false, 21, 34, 1},
        Expected{16, 52, 3, 42, 42, 29, 1024, 1, 8192, 8192, true, false, 21, 34, 1}));

TEST(Arm64Geometry, RefusesWhatKconfigDoesNotOfferAndListsTheValidPairs) {
  for (auto [shift, va] : {std::pair{12u, 52u}, {14u, 52u}, {12u, 42u}, {16u, 39u}, {14u, 39u}, {13u, 48u}}) {
    try {
      arm64_geometry(shift, va);
      FAIL() << shift << "/" << va;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
      EXPECT_NE(std::string(e.what()).find("4K/39, 4K/48, 16K/36, 16K/47, 16K/48, 64K/42, 64K/48, 64K/52"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(Arm64Geometry, AddrEndStopsAtTheLevelBoundaryOrEnd) {
  const Geometry g = arm64_geometry(12, 48);
  EXPECT_EQ(g.addr_end(PgLevel::pmd, 0x1000, 0x10000000), 0x200000u);
  EXPECT_EQ(g.addr_end(PgLevel::pmd, 0x1000, 0x3000), 0x3000u);
  // An end of 0 (the top of the address space) compares as the largest value.
  EXPECT_EQ(g.addr_end(PgLevel::pgd, 0xffffff8000000000, 0), 0u);
  // A folded level's boundary is its parent's, so it never stops before end.
  const Geometry g3 = arm64_geometry(12, 39);
  EXPECT_EQ(g3.addr_end(PgLevel::pud, 0x40000000, 0x80000000), 0x80000000u);
}

TEST(ArmGeometry, ClassicTwoLevelMatchesPgtable2LevelH) {
  const Geometry g = arm_geometry(false);
  EXPECT_EQ(g.level_shift(PgLevel::pgd), 21u);  // PGDIR_SHIFT
  EXPECT_EQ(g.ptrs_per(PgLevel::pgd), 2048u);    // PTRS_PER_PGD
  EXPECT_EQ(g.level_shift(PgLevel::pmd), 21u);  // PMD_SHIFT, PMD_SIZE 2 MiB
  EXPECT_EQ(g.ptrs_per(PgLevel::pte), 512u);    // PTRS_PER_PTE
  EXPECT_TRUE(g.is_folded(PgLevel::pud));
  EXPECT_TRUE(g.is_folded(PgLevel::pmd));
  EXPECT_EQ(g.table_bytes(PgLevel::pgd), 16384u);  // swapper_pg_dir is 16 KiB
  EXPECT_EQ(g.table_bytes(PgLevel::pte), 4096u);   // two Linux + two hardware tables
  EXPECT_EQ(g.hw_level(PgLevel::pgd), 1);
  EXPECT_EQ(g.hw_level(PgLevel::pte), 2);
}

TEST(ArmGeometry, LpaeThreeLevelsMatchPgtable3LevelH) {
  const Geometry g = arm_geometry(true);
  EXPECT_EQ(g.level_shift(PgLevel::pgd), 30u);
  EXPECT_EQ(g.ptrs_per(PgLevel::pgd), 4u);
  EXPECT_EQ(g.level_shift(PgLevel::pmd), 21u);
  EXPECT_EQ(g.ptrs_per(PgLevel::pmd), 512u);
  EXPECT_EQ(g.ptrs_per(PgLevel::pte), 512u);
  EXPECT_TRUE(g.is_folded(PgLevel::pud));
  EXPECT_FALSE(g.is_folded(PgLevel::pmd));
  EXPECT_EQ(g.hw_level(PgLevel::pgd), 1);
  EXPECT_EQ(g.hw_level(PgLevel::pmd), 2);
  EXPECT_EQ(g.hw_level(PgLevel::pte), 3);
}

TEST(PageSize, ParsesTheThreeGranulesOnly) {
  EXPECT_EQ(parse_page_size("4K"), 12u);
  EXPECT_EQ(parse_page_size("16K"), 14u);
  EXPECT_EQ(parse_page_size("65536"), 16u);
  EXPECT_THROW(parse_page_size("8K"), Error);
}

}  // namespace
}  // namespace ptsim::kernel
