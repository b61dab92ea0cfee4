// __create_pgd_mapping and friends: where Linux 6.1 puts blocks, contiguous
// runs and pages (arch/arm64/mm/mmu.c), checked by walking the result with
// the hardware walker.
#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"

#include <gtest/gtest.h>

#include <random>

#include "kernel/arch/arm64/mapping_fixture.h"
#include "ptsim/error.h"
#include "ptsim/kernel/events.h"

namespace ptsim::kernel::arm64 {
namespace {

using testing::MappingWorld;
constexpr uint64_t kKernelVa = 0xffff000000000000;  // PAGE_OFFSET for VA_BITS=48
constexpr uint64_t MiB = 1ull << 20;
constexpr uint64_t GiB = 1ull << 30;

void expect_leaf(const MappingWorld& w, uint64_t va, uint64_t pa, int level, bool cont) {
  const auto r = w.walk(va);
  ASSERT_TRUE(r.ok()) << std::hex << va << " fault " << hw::arm64::fault_kind_name(r.fault);
  EXPECT_EQ(r.output.value(), pa) << std::hex << va;
  EXPECT_EQ(r.level, level) << std::hex << va;
  EXPECT_EQ(r.leaf().contiguous, cont) << std::hex << va;
}

TEST(CreatePgdMapping, AlignedGigabyteIsOnePudBlockWith4KPages) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, kKernelVa + GiB, GiB, PAGE_KERNEL, 0);
  expect_leaf(w, kKernelVa + GiB, 0x80000000, 1, false);
  expect_leaf(w, kKernelVa + 2 * GiB - 1, 0xbfffffff, 1, false);
  EXPECT_EQ(w.tables_allocated(), 1u);  // the pud table only
  // The block carries PAGE_KERNEL turned into a section: type bits 01.
  const auto r = w.walk(kKernelVa + GiB);
  EXPECT_EQ(r.steps[1].raw, (PAGE_KERNEL.val & ~PTE_TABLE_BIT) | 0x80000000);
}

TEST(CreatePgdMapping, GigabyteWith16KPagesUsesContiguousPmdBlocks) {
  // 16K: no pud blocks (pud_sect_supported() is 4K only); 32 MiB pmd blocks,
  // contiguous in runs of 32 (CONT_PMD_SIZE 1 GiB).
  MappingWorld w(14, 48);
  w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, kKernelVa + GiB, GiB, PAGE_KERNEL, 0);
  expect_leaf(w, kKernelVa + GiB, 0x80000000, 2, true);
  expect_leaf(w, kKernelVa + GiB + 32 * MiB, 0x82000000, 2, true);
}

TEST(CreatePgdMapping, ContiguousPmdRunNeedsSixteenAlignedBlocks) {
  MappingWorld w;
  // 32 MiB at a 32 MiB boundary: 16 contiguous 2 MiB blocks.
  w.mapper.create_pgd_mapping(w.pgdir, 0x42000000, kKernelVa + 0x2000000, 32 * MiB, PAGE_KERNEL, 0);
  expect_leaf(w, kKernelVa + 0x2000000, 0x42000000, 2, true);
  expect_leaf(w, kKernelVa + 0x3ffffff, 0x43ffffff, 2, true);
  // 30 MiB: blocks but no run.
  MappingWorld v;
  v.mapper.create_pgd_mapping(v.pgdir, 0x42000000, kKernelVa + 0x2000000, 30 * MiB, PAGE_KERNEL, 0);
  expect_leaf(v, kKernelVa + 0x2000000, 0x42000000, 2, false);
}

TEST(CreatePgdMapping, UnalignedStartUsesPagesUpToTheBlockBoundary) {
  MappingWorld w;
  // [2M-64K, 4M+4K): 16 contiguous pages, one block, one page.
  const uint64_t va = kKernelVa + 2 * MiB - 64 * 1024;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000 + 2 * MiB - 64 * 1024, va,
                              2 * MiB + 64 * 1024 + 4096, PAGE_KERNEL, 0);
  expect_leaf(w, va, 0x401f0000, 3, true);
  expect_leaf(w, kKernelVa + 2 * MiB, 0x40200000, 2, false);
  expect_leaf(w, kKernelVa + 4 * MiB, 0x40400000, 3, false);
  EXPECT_FALSE(w.walk(kKernelVa + 4 * MiB + 4096).ok());
}

TEST(CreatePgdMapping, VaAndPaOfDifferentAlignmentGetPages) {
  MappingWorld w;
  // VA 2 MiB aligned, PA only 4K aligned: no block may be used.
  w.mapper.create_pgd_mapping(w.pgdir, 0x40001000, kKernelVa, 2 * MiB, PAGE_KERNEL, 0);
  expect_leaf(w, kKernelVa, 0x40001000, 3, false);
}

TEST(CreatePgdMapping, NoBlockAndNoContFlagsAreHonoured) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, kKernelVa, GiB, PAGE_KERNEL,
                              NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS);
  expect_leaf(w, kKernelVa, 0x80000000, 3, false);
  expect_leaf(w, kKernelVa + GiB - 4096, 0xbffff000, 3, false);
  EXPECT_EQ(w.tables_allocated(), 1u + 1u + 512u);  // pud, pmd, 512 pte tables

  // NO_BLOCK_MAPPINGS alone: Linux still sets PTE_CONT in the prot passed down
  // from a suitably aligned CONT_PMD range, so every pte in it is contiguous.
  MappingWorld v;
  v.mapper.create_pgd_mapping(v.pgdir, 0x80000000, kKernelVa, 32 * MiB, PAGE_KERNEL,
                              NO_BLOCK_MAPPINGS);
  expect_leaf(v, kKernelVa + 5 * 4096, 0x80005000, 3, true);
}

TEST(CreatePgdMapping, NoExecMappingsSetsPxnTableOnNewTables) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 4096, PAGE_KERNEL, NO_EXEC_MAPPINGS);
  const auto r = w.walk(kKernelVa);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.table.pxn_table);
  EXPECT_TRUE(r.table.uxn_table);
}

TEST(CreatePgdMapping, FoldedConfigurationsPutBlocksInTheirPgd) {
  {  // 4K/39: 3 levels, pud folded: a 1 GiB block in the pgd (level 1).
    MappingWorld w(12, 39);
    const uint64_t va = 0xffffff8000000000;
    w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, va, GiB, PAGE_KERNEL, 0);
    expect_leaf(w, va, 0x80000000, 1, false);
    EXPECT_EQ(w.tables_allocated(), 0u);
  }
  {  // 64K/42: 2 levels, pmd folded into pgd: a 512 MiB block at level 2.
    MappingWorld w(16, 42);
    const uint64_t va = 0xfffffc0000000000;
    w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, va, 512 * MiB, PAGE_KERNEL, 0);
    expect_leaf(w, va, 0x80000000, 2, false);
    // and pages below: a pte table hangs directly off the pgd entry.
    w.mapper.create_pgd_mapping(w.pgdir, 0x40010000, va + 512 * MiB, 64 * 1024, PAGE_KERNEL, 0);
    expect_leaf(w, va + 512 * MiB, 0x40010000, 3, false);
    EXPECT_EQ(w.tables_allocated(), 1u);
  }
  {  // 16K/36: 2 levels, 32 MiB blocks in the pgd.
    MappingWorld w(14, 36);
    const uint64_t va = 0xfffffff000000000;
    w.mapper.create_pgd_mapping(w.pgdir, 0x42000000, va, 32 * MiB, PAGE_KERNEL, 0);
    expect_leaf(w, va, 0x42000000, 2, false);
  }
}

TEST(CreatePgdMapping, MisalignedPhysAndVirtIsAWarnAndNothingMapped) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000800, kKernelVa, 4096, PAGE_KERNEL, 0);
  ASSERT_EQ(w.log.warning_count(), 1u);
  EXPECT_EQ(w.log.messages()[0].text, "(phys ^ virt) & ~PAGE_MASK");
  EXPECT_FALSE(w.walk(kKernelVa).ok());
}

TEST(CreatePgdMapping, UnsafeRemapIsLinuxsBugOn) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 4096, PAGE_KERNEL, NO_CONT_MAPPINGS);
  // Read-only is a permission change: allowed.
  EXPECT_NO_THROW(w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 4096, PAGE_KERNEL_RO,
                                              NO_CONT_MAPPINGS));
  // A different output address is not.
  try {
    w.mapper.create_pgd_mapping(w.pgdir, 0x40001000, kKernelVa, 4096, PAGE_KERNEL,
                                NO_CONT_MAPPINGS);
    FAIL();
  } catch (const KernelBug& e) {
    EXPECT_EQ(e.kind(), ErrorKind::linux_panic);
    EXPECT_NE(std::string(e.what()).find("pgattr_change_is_safe"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("init_pte"), std::string::npos) << e.what();
  }
  // Mapping pages under an existing block: BUG_ON(pmd_sect(pmd)).
  MappingWorld v;
  v.mapper.create_pgd_mapping(v.pgdir, 0x40000000, kKernelVa, 2 * MiB, PAGE_KERNEL, 0);
  EXPECT_THROW(v.mapper.create_pgd_mapping(v.pgdir, 0x40000000, kKernelVa, 4096, PAGE_KERNEL, 0),
               KernelBug);
}

TEST(CreatePgdMapping, NoAllocatorMeansBugWhenATableIsNeeded) {
  MappingWorld w;
  PgdMapper noalloc(w.pt, {}, &w.log);
  EXPECT_THROW(noalloc.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 4096, PAGE_KERNEL, 0),
               KernelBug);
}

TEST(CreatePgdMapping, BadRangesAreRefusedBeforeAnyWrite) {
  MappingWorld w;
  EXPECT_THROW(w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 0, PAGE_KERNEL, 0),
               Error);
  EXPECT_THROW(
      w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, 0xfffffffffffff000, 0x2000, PAGE_KERNEL, 0),
      Error);
  // Not in either 48-bit half.
  EXPECT_THROW(
      w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, 0x0001000000000000, 4096, PAGE_KERNEL, 0),
      Error);
  // Crossing from the TTBR0 half into the hole.
  EXPECT_THROW(
      w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, 0x0000fffffffff000, 0x2000, PAGE_KERNEL, 0),
      Error);
  // Physical range past 48 bits.
  EXPECT_THROW(
      w.mapper.create_pgd_mapping(w.pgdir, 0xfffffffff000, kKernelVa, 0x2000, PAGE_KERNEL, 0),
      Error);
  EXPECT_EQ(w.tables_allocated(), 0u);
}

TEST(UnmapHotplugRange, ClearsLeavesKeepsTables) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 4 * MiB, PAGE_KERNEL,
                              NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS);
  w.mapper.unmap_hotplug_range(w.pgdir, kKernelVa + 4096, kKernelVa + 3 * MiB);
  expect_leaf(w, kKernelVa, 0x40000000, 3, false);
  EXPECT_FALSE(w.walk(kKernelVa + 4096).ok());
  EXPECT_FALSE(w.walk(kKernelVa + 3 * MiB - 4096).ok());
  expect_leaf(w, kKernelVa + 3 * MiB, 0x40300000, 3, false);
  EXPECT_EQ(w.log.warning_count(), 0u);
}

TEST(UnmapHotplugRange, ClearsAWholeBlockEvenWhenTheRangeCoversPart) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 2 * MiB, PAGE_KERNEL, 0);
  w.mapper.unmap_hotplug_range(w.pgdir, kKernelVa + 4096, kKernelVa + 8192);
  EXPECT_FALSE(w.walk(kKernelVa).ok());
}

TEST(ChangeProtSplitting, SplitsABlockAndChangesOnlyTheRange) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x80000000, kKernelVa, GiB, PAGE_KERNEL, 0);
  w.mapper.change_prot_splitting(w.pgdir, kKernelVa + 2 * MiB + 4096, 4096, PTE_RDONLY, PTE_WRITE);
  const auto changed = w.walk(kKernelVa + 2 * MiB + 4096);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed.level, 3);
  EXPECT_EQ(changed.output.value(), 0x80201000u);
  EXPECT_EQ(changed.leaf().ap, 2u);  // AP[2] set: read-only
  expect_leaf(w, kKernelVa + 2 * MiB, 0x80200000, 3, false);
  expect_leaf(w, kKernelVa, 0x80000000, 2, false);
  expect_leaf(w, kKernelVa + 512 * MiB, 0xa0000000, 2, false);
  EXPECT_EQ(w.walk(kKernelVa + 2 * MiB).leaf().ap, 0u);
  EXPECT_THROW(w.mapper.change_prot_splitting(w.pgdir, kKernelVa + 2 * GiB, 4096, PTE_RDONLY, 0),
               Error);
}

TEST(ChangeProtSplitting, BreaksAContiguousRunItCoversInPart) {
  MappingWorld w;
  w.mapper.create_pgd_mapping(w.pgdir, 0x40000000, kKernelVa, 64 * 1024, PAGE_KERNEL, 0);
  expect_leaf(w, kKernelVa, 0x40000000, 3, true);
  w.mapper.change_prot_splitting(w.pgdir, kKernelVa, 4096, PTE_RDONLY, PTE_WRITE);
  expect_leaf(w, kKernelVa, 0x40000000, 3, false);
  expect_leaf(w, kKernelVa + 15 * 4096, 0x4000f000, 3, false);
}

// The reference for where Linux puts a leaf of a single mapping call: the
// largest level whose aligned block around `va` lies inside the range with
// the physical address equally aligned, if the flags allow blocks.
struct Reference {
  const Geometry& g;
  uint64_t v0, end, p0;
  int flags;

  bool block_fits(uint64_t va, uint64_t size) const {
    const uint64_t b = va & ~(size - 1);
    const uint64_t pa = b - v0 + p0;
    return b >= v0 && b + size - 1 <= end - 1 && (pa & (size - 1)) == 0;
  }
  int level(uint64_t va) const {
    if ((flags & NO_BLOCK_MAPPINGS) == 0) {
      if (g.page_shift == 12 && block_fits(va, g.level_size(PgLevel::pud))) {
        return *g.hw_level(g.is_folded(PgLevel::pud) ? PgLevel::pgd : PgLevel::pud);
      }
      if (block_fits(va, g.level_size(PgLevel::pmd))) {
        return 2;
      }
    }
    return 3;
  }
  bool cont(uint64_t va) const {
    if ((flags & NO_CONT_MAPPINGS) != 0) {
      return false;
    }
    if (block_fits(va, uint64_t{1} << g.cont_pmd_shift)) {
      return level(va) != 1 && level(va) != 0;
    }
    return level(va) == 3 && block_fits(va, uint64_t{1} << g.cont_pte_shift);
  }
};

// Random ranges in every configuration; every page of each is walked and
// checked against the reference.
TEST(CreatePgdMapping, RandomRangesWalkToTheirPhysicalAddresses) {
  std::mt19937_64 rng(20261121);
  for (const Arm64Config& c : arm64_valid_configs()) {
    for (int round = 0; round < 6; ++round) {
      MappingWorld w(c.page_shift, c.va_bits);
      const Geometry& g = w.geometry;
      const uint64_t page = g.page_size();
      // Sizes from one page to 80 MiB, at offsets that sometimes align.
      const uint64_t pages = 1 + rng() % ((80 * MiB) / page);
      const uint64_t align = uint64_t{1} << (g.page_shift + rng() % 16);
      const uint64_t v0 = (~uint64_t{0} << c.va_bits) + (rng() % 64) * align;
      const uint64_t p0 = 0x100000000ull + (rng() % 64) * align;
      const int flags = static_cast<int>(rng() % 4);  // every mix of NO_BLOCK and NO_CONT
      w.mapper.create_pgd_mapping(w.pgdir, p0, v0, pages * page, PAGE_KERNEL, flags);
      const Reference ref{g, v0, v0 + pages * page, p0, flags};
      const uint64_t step = pages > 4096 ? page * 7 : page;
      for (uint64_t off = 0; off < pages * page; off += step) {
        const auto r = w.walk(v0 + off + 8);
        ASSERT_TRUE(r.ok()) << g.describe() << std::hex << " va " << v0 + off;
        ASSERT_EQ(r.output.value(), p0 + off + 8);
        ASSERT_EQ(r.level, ref.level(v0 + off)) << g.describe() << std::hex << " va " << v0 + off;
        ASSERT_EQ(r.leaf().contiguous, ref.cont(v0 + off))
            << g.describe() << std::hex << " va " << v0 + off;
        ASSERT_TRUE(r.leaf().pxn && r.leaf().uxn && r.leaf().af);
      }
      EXPECT_FALSE(w.walk(v0 + pages * page).ok());
    }
  }
}

TEST(PgattrChangeIsSafe, FollowsLinuxRules) {
  const uint64_t pte = PAGE_KERNEL.val | 0x40000000;
  EXPECT_TRUE(pgattr_change_is_safe(0, pte));
  EXPECT_TRUE(pgattr_change_is_safe(pte, 0));
  EXPECT_TRUE(pgattr_change_is_safe(pte, PAGE_KERNEL_RO.val | 0x40000000));
  EXPECT_TRUE(pgattr_change_is_safe(pte, PAGE_KERNEL_EXEC.val | 0x40000000));  // PXN may change
  EXPECT_FALSE(pgattr_change_is_safe(pte, pte | PTE_CONT));
  EXPECT_FALSE(pgattr_change_is_safe(pte | PTE_NG, pte));
  EXPECT_TRUE(pgattr_change_is_safe(pte, pte | PTE_NG));
  EXPECT_TRUE(
      pgattr_change_is_safe(pte, (pte & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(MT_NORMAL_TAGGED)));
  EXPECT_FALSE(
      pgattr_change_is_safe(pte, (pte & ~PTE_ATTRINDX_MASK) | PTE_ATTRINDX(MT_DEVICE_nGnRE)));
  EXPECT_FALSE(pgattr_change_is_safe(pte, pte + 0x1000));
}

}  // namespace
}  // namespace ptsim::kernel::arm64
