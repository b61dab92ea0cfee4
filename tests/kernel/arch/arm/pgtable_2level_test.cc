#include "ptsim/kernel/arch/arm/pgtable_2level.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"
#include "ptsim/kernel/arch/arm/pgalloc.h"
#include "support/error_of.h"

namespace ptsim::kernel::arm::pgtable_2level {
namespace {

namespace sd = hw::arm::short_descriptor;
using ::ptsim::testing::error_of;
using ::testing::HasSubstr;

constexpr phys_addr_t kRamBase = 0x60000000;
constexpr phys_addr_t kPgd = 0x60004000;      // swapper_pg_dir with TEXT_OFFSET 0x8000
constexpr phys_addr_t kPtePage = 0x61bb7000;  // a pte page

hw::PhysMem ram() {
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(kRamBase), 0x40000000);
  return mem;
}

// The pgd slot (8 bytes, two hardware entries) that covers addr.
constexpr phys_addr_t pmd_slot(uint32_t addr) {
  return kPgd + (addr >> PGDIR_SHIFT) * 8;
}

TEST(Pgtable2Level, GeometryIsLinuxs) {
  EXPECT_EQ(PTRS_PER_PGD, 2048u);
  EXPECT_EQ(PTRS_PER_PTE, 512u);
  EXPECT_EQ(PMD_SIZE, 2u << 20);
  EXPECT_EQ(PGDIR_SIZE, 2u << 20);
  EXPECT_EQ(SECTION_SIZE, 1u << 20);
  EXPECT_EQ(SUPERSECTION_SIZE, 16u << 20);
  EXPECT_EQ(PMD_MASK, 0xffe00000u);
  EXPECT_EQ(SECTION_MASK, 0xfff00000u);
  EXPECT_EQ(PTE_HWTABLE_PTRS, 512u);
  EXPECT_EQ(PTE_HWTABLE_OFF, 2048u);
  EXPECT_EQ(PTE_HWTABLE_SIZE, 2048u);
  // Linux pt 0 at +0, Linux pt 1 at +1024, h/w pt 0 at +2048, h/w pt 1 at +3072.
  EXPECT_EQ(kLinuxPt0Offset, 0u);
  EXPECT_EQ(kLinuxPt1Offset, 1024u);
  EXPECT_EQ(kHwPt0Offset, 2048u);
  EXPECT_EQ(kHwPt1Offset, 3072u);
  // Linux's pgd is the hardware's 16 KiB first-level table seen as pairs.
  EXPECT_EQ(PTRS_PER_PGD * 2 * sizeof(pmd_t), sd::kFirstLevelTableBytes);
  EXPECT_EQ(kHwTableEntries, sd::kSecondLevelEntries);
}

TEST(Pgtable2Level, LinuxBitsHaveTheirValues) {
  EXPECT_EQ(L_PTE_PRESENT, 0x001u);
  EXPECT_EQ(L_PTE_YOUNG, 0x002u);
  EXPECT_EQ(L_PTE_DIRTY, 0x040u);
  EXPECT_EQ(L_PTE_RDONLY, 0x080u);
  EXPECT_EQ(L_PTE_USER, 0x100u);
  EXPECT_EQ(L_PTE_XN, 0x200u);
  EXPECT_EQ(L_PTE_SHARED, 0x400u);
  EXPECT_EQ(L_PTE_NONE, 0x800u);
  EXPECT_EQ(L_PTE_MT_MASK, 0x3cu);
  EXPECT_EQ(L_PTE_MT_WRITEALLOC, 0x1cu);
  EXPECT_EQ(L_PTE_MT_DEV_SHARED, 0x10u);
  EXPECT_EQ(L_PTE_MT_DEV_NONSHARED, 0x30u);
}

// Linux's hardware-definition names agree with the hardware model's fields.
TEST(Pgtable2Level, HwdefNamesMatchTheArmArmFields) {
  EXPECT_EQ(PMD_SECT_BUFFERABLE, sd::section::b.mask());
  EXPECT_EQ(PMD_SECT_CACHEABLE, sd::section::c.mask());
  EXPECT_EQ(PMD_SECT_XN, sd::section::xn.mask());
  EXPECT_EQ(PMD_DOMAIN_MASK, sd::section::domain.mask());
  EXPECT_EQ(PMD_SECT_AP_WRITE | PMD_SECT_AP_READ, sd::section::ap.mask());
  EXPECT_EQ(PMD_SECT_TEX(7), sd::section::tex.mask());
  EXPECT_EQ(PMD_SECT_APX, sd::section::apx.mask());
  EXPECT_EQ(PMD_SECT_S, sd::section::s.mask());
  EXPECT_EQ(PMD_SECT_nG, sd::section::ng.mask());
  EXPECT_EQ(PMD_SECT_SUPER, sd::section::supersection.mask());
  EXPECT_EQ(PMD_SECT_PXN, sd::section::pxn.mask());
  EXPECT_EQ(PMD_PXNTABLE, sd::page_table::pxn.mask());
  EXPECT_EQ(PMD_BIT4, sd::page_table::sbz.mask());
  EXPECT_EQ(PTE_EXT_XN, sd::small_page::xn.mask());
  EXPECT_EQ(PTE_BUFFERABLE, sd::small_page::b.mask());
  EXPECT_EQ(PTE_CACHEABLE, sd::small_page::c.mask());
  EXPECT_EQ(PTE_EXT_AP_MASK, sd::small_page::ap.mask());
  EXPECT_EQ(PTE_EXT_TEX(7), sd::small_page::tex.mask());
  EXPECT_EQ(PTE_EXT_APX, sd::small_page::apx.mask());
  EXPECT_EQ(PTE_EXT_SHARED, sd::small_page::s.mask());
  EXPECT_EQ(PTE_EXT_NG, sd::small_page::ng.mask());
  EXPECT_EQ(PMD_TYPE_SECT, static_cast<pmdval_t>(sd::FirstLevelKind::section));
  EXPECT_EQ(PMD_TYPE_TABLE, static_cast<pmdval_t>(sd::FirstLevelKind::page_table));
  EXPECT_EQ(PTE_TYPE_SMALL, static_cast<pteval_t>(sd::SecondLevelKind::small_page));
  EXPECT_EQ(PTE_TYPE_LARGE, static_cast<pteval_t>(sd::SecondLevelKind::large_page));
}

TEST(Pgtable2Level, PmdPopulatePointsBothHalvesAtTheHardwareTables) {
  hw::PhysMem mem = ram();
  const phys_addr_t pmdp = pmd_slot(0x00100000);
  __pmd_populate(mem, pmdp, kPtePage, _PAGE_USER_TABLE);
  // "*pgd=61bb7831" is what a real kernel printed for such a user table.
  EXPECT_EQ(mem.load32(hw::PhysAddr(pmdp)), 0x61bb7831u);
  EXPECT_EQ(mem.load32(hw::PhysAddr(pmdp + 4)), 0x61bb7c31u);
  __pmd_populate(mem, pmdp, 0x029d6000 + kRamBase, _PAGE_KERNEL_TABLE);
  EXPECT_EQ(mem.load32(hw::PhysAddr(pmdp)), 0x629d6811u);
  EXPECT_EQ(mem.load32(hw::PhysAddr(pmdp + 4)), 0x629d6c11u);
}

TEST(Pgtable2Level, SetPteExtWritesTheLinuxAndTheHardwareEntry) {
  hw::PhysMem mem = ram();
  // Entry 300 of the pte page: in the second 1 MiB, so h/w pt 1, entry 44.
  const phys_addr_t ptep = kPtePage + 300 * sizeof(pte_t);
  const pte_t pte = 0x615d2000 | L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_USER | L_PTE_XN |
                    L_PTE_SHARED | L_PTE_MT_WRITEALLOC;
  set_pte_ext(mem, ptep, pte, PTE_EXT_NG);
  EXPECT_EQ(mem.load32(hw::PhysAddr(kPtePage + 1200)), pte);
  EXPECT_EQ(mem.load32(hw::PhysAddr(kPtePage + kHwPt1Offset + 44 * 4)), 0x615d2c7fu);
  EXPECT_EQ(read_pte(mem, ptep), pte);
  // pte_clear is set_pte_ext(ptep, 0, 0).
  set_pte_ext(mem, ptep, 0, 0);
  EXPECT_EQ(mem.load32(hw::PhysAddr(kPtePage + 1200)), 0u);
  EXPECT_EQ(mem.load32(hw::PhysAddr(kPtePage + 3248)), 0u);
  // An old (not young) pte keeps its Linux bits; the hardware entry faults.
  set_pte_ext(mem, ptep, 0x615d2000 | L_PTE_PRESENT, 0);
  EXPECT_EQ(read_pte(mem, ptep), 0x615d2001u);
  EXPECT_EQ(mem.load32(hw::PhysAddr(hw_ptep(ptep))), 0u);
}

// What Linux writes, the hardware finds: a first-level lookup by VA[31:20]
// and a second-level lookup by VA[19:12] reach the entry set_pte_ext wrote
// for every page of a 2 MiB pgd slot.
TEST(Pgtable2Level, HardwareLookupReachesTheEntriesLinuxWrote) {
  hw::PhysMem mem = ram();
  const uint32_t slot_va = 0xc0200000;
  __pmd_populate(mem, pmd_slot(slot_va), kPtePage, _PAGE_KERNEL_TABLE);
  for (uint32_t i = 0; i < PTRS_PER_PTE; ++i) {
    const uint32_t va = slot_va + (i << PAGE_SHIFT);
    const pte_t pte = (0x70000000 + (i << PAGE_SHIFT)) | L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY |
                      L_PTE_XN | L_PTE_MT_WRITEALLOC;
    set_pte_ext(mem, kPtePage + pte_index(va) * sizeof(pte_t), pte, 0);
  }
  for (uint32_t i = 0; i < PTRS_PER_PTE; ++i) {
    const uint32_t va = slot_va + (i << PAGE_SHIFT);
    const uint32_t l1 = mem.load32(hw::PhysAddr(kPgd + (va >> sd::kSectionShift) * 4));
    const sd::PageTable table = sd::decode_page_table(l1);
    const uint32_t l2_index = (va >> sd::kSmallPageShift) % sd::kSecondLevelEntries;
    const uint32_t l2 = mem.load32(table.base + l2_index * sd::kDescriptorBytes);
    const sd::SmallPage page = sd::decode_small_page(l2);
    ASSERT_EQ(page.base, hw::PhysAddr(0x70000000 + (i << PAGE_SHIFT))) << "page " << i;
    EXPECT_TRUE(page.attrs.xn);
    EXPECT_FALSE(page.attrs.apx);
  }
}

TEST(Pgtable2Level, PmdClearAndCopyPmdTreatThePairAsOne) {
  hw::PhysMem mem = ram();
  const phys_addr_t src = pmd_slot(0xc0000000);
  const phys_addr_t dst = pmd_slot(0xc0200000);
  mem.store32(hw::PhysAddr(src), 0x6001140e);
  mem.store32(hw::PhysAddr(src + 4), 0x6011140e);
  copy_pmd(mem, dst, src);
  EXPECT_EQ(mem.load32(hw::PhysAddr(dst)), 0x6001140eu);
  EXPECT_EQ(mem.load32(hw::PhysAddr(dst + 4)), 0x6011140eu);
  pmd_clear(mem, src);
  EXPECT_EQ(mem.load32(hw::PhysAddr(src)), 0u);
  EXPECT_EQ(mem.load32(hw::PhysAddr(src + 4)), 0u);
}

TEST(Pgtable2Level, BadAddressesAreErrors) {
  hw::PhysMem mem = ram();
  EXPECT_THAT(error_of([&] { __pmd_populate(mem, kPgd, 0x100000000, _PAGE_KERNEL_TABLE); }),
              HasSubstr("pte page at 0x100000000 is above 4 GiB"));
  // A pte pointer outside RAM fails before anything is written.
  EXPECT_THROW(set_pte_ext(mem, 0x10000000, L_PTE_PRESENT, 0), Error);
  // So does one whose hardware twin, 2048 bytes on, would be past the end.
  const phys_addr_t last = kRamBase + 0x40000000 - 4;
  EXPECT_THROW(set_pte_ext(mem, last, L_PTE_PRESENT, 0), Error);
  EXPECT_EQ(mem.load32(hw::PhysAddr(last)), 0u);
}

}  // namespace
}  // namespace ptsim::kernel::arm::pgtable_2level
