// Linux's folding rules on arm64 tables in simulated memory
// (include/asm-generic/pgtable-nop4d.h, -nopud.h, -nopmd.h).
#include "ptsim/kernel/arch/arm64/pgtable.h"

#include <gtest/gtest.h>

namespace ptsim::kernel::arm64 {
namespace {

struct Tables {
  hw::PhysMem mem;
  Geometry g;
  explicit Tables(unsigned shift, unsigned va) : g(arm64_geometry(shift, va)) {
    mem.add_ram(hw::PhysAddr(0x40000000), 0x1000000);
  }
};

TEST(PgTable, FoldedLevelOffsetReturnsTheEntryAbove) {
  // 64K/42: p4d, pud and pmd all fold into the pgd (seed 001's pmd_offset).
  Tables t(16, 42);
  const PgTable pt(t.g, t.mem);
  const EntryPtr pgdp = pt.pgd_offset_pgd(0x40000000, 0xfffffc0020000000);
  EXPECT_EQ(pgdp.pa.value(), 0x40000008u);  // index 1: bits [41:29]
  EXPECT_EQ(pt.p4d_offset(pgdp, 0), pgdp);
  EXPECT_EQ(pt.pud_offset(pgdp, 0), pgdp);
  EXPECT_EQ(pt.pmd_offset(pgdp, 0), pgdp);
  // The folded levels' predicates are constant; pmd's are real.
  EXPECT_FALSE(pt.none(PgLevel::pgd, 0));
  EXPECT_FALSE(pt.none(PgLevel::pud, 0));
  EXPECT_TRUE(pt.present(PgLevel::pud, 0));
  EXPECT_FALSE(pt.bad(PgLevel::pud, 0x1));
  EXPECT_TRUE(pt.none(PgLevel::pmd, 0));
  EXPECT_TRUE(pt.bad(PgLevel::pmd, 0x1));
  EXPECT_TRUE(pt.sect(PgLevel::pmd, 0x1));
  EXPECT_FALSE(pt.sect(PgLevel::pud, 0x1));
}

TEST(PgTable, FourLevelOffsetsFollowTableAddresses) {
  Tables t(12, 48);
  const PgTable pt(t.g, t.mem);
  const uint64_t va = 0xffff000040201000;
  const EntryPtr pgdp = pt.pgd_offset_pgd(0x40000000, va);
  EXPECT_EQ(pt.p4d_offset(pgdp, va), pgdp);  // p4d always folded on arm64 6.1
  pt.populate(PgLevel::p4d, pgdp, 0x40001000, P4D_TYPE_TABLE);
  const EntryPtr pudp = pt.pud_offset(pgdp, va);
  EXPECT_EQ(pudp.pa.value(), 0x40001000u + 1 * 8);
  EXPECT_TRUE(pt.none(PgLevel::pud, pt.read(pudp)));
  pt.populate(PgLevel::pud, pudp, 0x40002000, PUD_TYPE_TABLE);
  const EntryPtr pmdp = pt.pmd_offset(pudp, va);
  EXPECT_EQ(pmdp.pa.value(), 0x40002000u + 1 * 8);
  pt.populate(PgLevel::pmd, pmdp, 0x40003000, PMD_TYPE_TABLE);
  const EntryPtr ptep = pt.pte_offset_kernel(pmdp, va);
  EXPECT_EQ(ptep.pa.value(), 0x40003000u + 1 * 8);
  pt.set(ptep, pt.pfn_pte(0x12345, PAGE_KERNEL));
  EXPECT_EQ(pt.pte_pfn(pt.read(ptep)), 0x12345u);
  pt.clear(PgLevel::pte, ptep);
  EXPECT_TRUE(pte_none(pt.read(ptep)));
  // pgd_clear() is a no-op with nop4d.
  pt.clear(PgLevel::pgd, pgdp);
  EXPECT_NE(pt.read(pgdp), 0u);
}

TEST(PgTable, FiftyTwoBitPhysicalAddressesUseTheHighField) {
  Tables t(16, 52);
  const PgTable pt(t.g, t.mem, true);
  const phys_addr_t pa = 0xa000012340000;  // PA[51:48] = 0xa
  const pteval_t v = pt.phys_to_pte_val(pa);
  EXPECT_EQ(v & 0xf000, 0xa000u);
  EXPECT_EQ(pt.pte_to_phys(v), pa);
}

TEST(PteHelpers, DirtyAndWriteFollowLinux) {
  const pteval_t k = PAGE_KERNEL.val;
  EXPECT_TRUE(pte_write(k));
  EXPECT_TRUE(pte_dirty(k));  // PTE_DIRTY is part of PAGE_KERNEL in 6.1.192
  const pteval_t ro = pte_wrprotect(k);
  EXPECT_FALSE(pte_write(ro));
  EXPECT_TRUE(pte_rdonly(ro));
  EXPECT_TRUE(pte_sw_dirty(ro));
  const pteval_t clean = pte_mkclean(pte_mkwrite(PAGE_KERNEL_RO.val & ~PTE_DIRTY));
  EXPECT_FALSE(pte_dirty(clean));
  EXPECT_TRUE(pte_hw_dirty(pte_mkdirty(clean)));
  EXPECT_FALSE(pte_young(pte_mkold(k)));
  EXPECT_TRUE(pte_young(pte_mkyoung(pte_mkold(k))));
}

TEST(Protections, MatchLinuxValues) {
  // arch/arm64/include/asm/pgtable-prot.h (6.1.192): PROT_NORMAL =
  // PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_PXN | PTE_UXN | PTE_WRITE |
  // PTE_ATTRINDX(MT_NORMAL) = 0x0068000000000703.
  EXPECT_EQ(PROT_NORMAL, 0x0068000000000703u);
  EXPECT_EQ(PAGE_KERNEL.val, 0x00e8000000000703u);
  EXPECT_EQ(PAGE_KERNEL_RO.val, 0x00e0000000000783u);
  EXPECT_EQ(PAGE_KERNEL_ROX.val, 0x00c0000000000783u);
  EXPECT_EQ(PAGE_KERNEL_EXEC.val, 0x00c8000000000703u);
  EXPECT_EQ(PAGE_KERNEL_EXEC_CONT.val, 0x00d8000000000703u);
  EXPECT_EQ(PROT_DEVICE_nGnRE, 0x0068000000000713u);
  EXPECT_EQ(PROT_DEVICE_nGnRnE, 0x006800000000070fu);
  EXPECT_EQ(PROT_NORMAL_NC, 0x006800000000070bu);
  EXPECT_EQ(PROT_NORMAL_TAGGED, 0x0068000000000707u);
}

}  // namespace
}  // namespace ptsim::kernel::arm64
