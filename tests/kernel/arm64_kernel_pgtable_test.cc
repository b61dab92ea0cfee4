// INIT_DIR_SIZE and INIT_IDMAP_DIR_SIZE (arch/arm64/include/asm/kernel-pgtable.h,
// v6.1) against sizes worked out by hand from the macros.
#include <gtest/gtest.h>

#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"

namespace ptsim::kernel::arm64 {
namespace {

TEST(KernelPgtable, FourKMatchesTheRealImage) {
  // Debian's 4K/48-bit image: KIMAGE_VADDR 0xffff800008000000, _end
  // 0xffff80000a010000.  SWAPPER_PGTABLE_LEVELS 3 (PMD maps): EARLY_PAGES =
  // 1 + PGDS (0 + 1 + 1 KASLR) + PMDS at PUD_SHIFT 30 (0 + 1 + 1) = 5; its
  // System.map has init_pg_end - init_pg_dir = 0x5000 and
  // init_idmap_pg_end - init_idmap_pg_dir = 0x5000.
  const Geometry g = arm64_geometry(12, 48);
  EXPECT_EQ(init_dir_size(g, 0xffff800008000000, 0xffff80000a010000, true), 0x5000u);
  EXPECT_EQ(init_idmap_dir_size(g, 0xffff800008000000, 0xffff80000a010000), 0x5000u);
  // Without EARLY_KASLR each level needs one page fewer: 1 + 1 + 1.
  EXPECT_EQ(init_dir_size(g, 0xffff800008000000, 0xffff80000a010000, false), 0x3000u);
  EXPECT_EQ(swapper_block_size(g), 2u << 20);
}

TEST(KernelPgtable, SixtyFourKFortyTwoBits) {
  // Two levels, PGDIR_SHIFT 29, SWAPPER_PGTABLE_LEVELS 2: EARLY_PAGES =
  // 1 + PGDS.  [0xfffffe0008000000, 0xfffffe000a100000) lies in one 512 MiB
  // pgd entry: 1 + (1 + 1) = 3 pages of 64K.  The ID map's end adds
  // MAX_FDT_SIZE + SWAPPER_BLOCK_SIZE (PAGE_SIZE), still one entry: 3 pages,
  // + 2 for VA_BITS < 48.
  const Geometry g = arm64_geometry(16, 42);
  EXPECT_EQ(swapper_block_size(g), 0x10000u);
  EXPECT_EQ(init_dir_size(g, 0xfffffe0008000000, 0xfffffe000a100000, true), 3 * 0x10000u);
  EXPECT_EQ(init_idmap_dir_size(g, 0xfffffe0008000000, 0xfffffe000a100000), 5 * 0x10000u);
}

TEST(KernelPgtable, SixteenKFortySevenBits) {
  // Three levels: PGDIR_SHIFT 36, PMD_SHIFT 25 (SWAPPER_TABLE_SHIFT, no PMD
  // maps).  [0xffff800008000000, 0xffff80000a060000): one pgd entry
  // (1 + 1), pmd indices 4..5 (2 + 1): 1 + 2 + 3 = 6 pages of 16K.  The ID
  // map's end 0xffff80000a274000 is still in pmd entry 5: 6 + 2 pages.
  const Geometry g = arm64_geometry(14, 47);
  EXPECT_EQ(init_dir_size(g, 0xffff800008000000, 0xffff80000a060000, true), 6 * 0x4000u);
  EXPECT_EQ(init_idmap_dir_size(g, 0xffff800008000000, 0xffff80000a060000), 8 * 0x4000u);
}

TEST(KernelPgtable, AnEndCrossingAnEntryNeedsAnotherPage) {
  // 64K/48: PGDIR_SHIFT 42, PMD_SHIFT 29.  An image ending past 512 MiB
  // needs two pmd entries: 1 + (1 + 1) + (2 + 1) = 6 pages.
  const Geometry g = arm64_geometry(16, 48);
  EXPECT_EQ(init_dir_size(g, 0xffff800008000000, 0xffff800020010000, true), 6 * 0x10000u);
  EXPECT_EQ(init_dir_size(g, 0xffff800008000000, 0xffff800020000000, true), 5 * 0x10000u);
}

}  // namespace
}  // namespace ptsim::kernel::arm64
