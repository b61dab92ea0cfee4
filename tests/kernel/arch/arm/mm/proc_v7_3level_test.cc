#include "ptsim/kernel/arch/arm/mm/proc_v7_3level.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "expected_memory_types.h"
#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::kernel::arm::pgtable_3level {
namespace {

namespace ld = hw::arm::long_descriptor;
using hw::arm::CacheAttribute;
using hw::arm::MemoryType;
using hw::arm::Shareability;
using testing::kSharedDevice;
using testing::kStronglyOrdered;
using testing::shared_normal;

struct SetPteCase {
  const char* what;
  pte_t pte;
  pteval_t stored;
};

// Worked out by hand from cpu_v7_set_pte_ext in arch/arm/mm/proc-v7-3level.S
// (v6.1): invalid -> as is; L_PTE_NONE -> VALID cleared; otherwise AP[2]
// (0x80) set iff RDONLY (bit 58) or !DIRTY (bit 55).
constexpr pte_t kPfn = 0x60000000;
// PAGE_KERNEL on SMP: PRESENT|YOUNG|DIRTY|XN|SHARED|MT_WRITEALLOC:
// low 0x3 | 0x400 | 0x300 | 0x1c = 0x71f, high bits 54 and 55.
constexpr pte_t kKernelRw = 0x00c000006000071f;

const SetPteCase kCases[] = {
    {"kernel rw", kKernelRw, 0x00c000006000071f},
    {"clean", kKernelRw & ~L_PTE_DIRTY, 0x004000006000079f},
    {"rdonly", kKernelRw | L_PTE_RDONLY, 0x04c000006000079f},
    {"AP2 cleared when dirty and writable", kKernelRw | PTE_AP2, 0x00c000006000071f},
    {"invalid kept as is", kKernelRw & ~L_PTE_VALID, 0x00c000006000071e},
    {"invalid keeps AP2 alone", (kKernelRw & ~L_PTE_VALID) | PTE_AP2, 0x00c000006000079e},
    // __PAGE_NONE: PRESENT|YOUNG|RDONLY|XN|NONE = high 0x064, low 0x403.
    {"PROT_NONE", 0x0640000060000403, 0x0640000060000402},
    {"cleared", 0, 0},
    {"old (AF clear) stays valid", kKernelRw & ~L_PTE_YOUNG, 0x00c000006000031f},
    {"user rw", kPfn | L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_USER | L_PTE_MT_WRITEALLOC,
     0x008000006000045f},
};

TEST(CpuV7SetPteExtLpae, MatchesTheAssemblyCaseByCase) {
  for (const SetPteCase& c : kCases) {
    EXPECT_EQ(cpu_v7_set_pte_ext(c.pte), c.stored)
        << fmt::format("{}: pte {:#018x} gave {:#018x}, want {:#018x}", c.what, c.pte,
                       cpu_v7_set_pte_ext(c.pte), c.stored);
  }
}

TEST(CpuV7SetPteExtLpae, LinuxBitsAreTheHardwareFieldsOfAPage) {
  const ld::Page page = ld::decode_page(cpu_v7_set_pte_ext(kKernelRw | PTE_EXT_NG));
  EXPECT_EQ(page.output_address, hw::PhysAddr(kPfn));
  EXPECT_EQ(page.attrs.attr_indx, L_PTE_MT_WRITEALLOC >> 2);
  EXPECT_EQ(page.attrs.sh, Shareability::inner_shareable);  // L_PTE_SHARED
  EXPECT_TRUE(page.attrs.af);                               // L_PTE_YOUNG
  EXPECT_TRUE(page.attrs.xn);                               // L_PTE_XN
  EXPECT_TRUE(page.attrs.ng);                               // PTE_EXT_NG
  EXPECT_EQ(page.attrs.ap, ld::AccessPermission::pl1_read_write);
  // L_PTE_DIRTY is software bit 0 (bit 55).
  EXPECT_EQ(page.attrs.software, 1u);
  EXPECT_EQ(L_PTE_DIRTY | L_PTE_SPECIAL | L_PTE_NONE | L_PTE_RDONLY, ld::leaf::software.mask());
  EXPECT_EQ(L_PTE_USER, ld::leaf::ap.mask() & ~PTE_AP2);  // AP[1]
  EXPECT_EQ(L_PTE_XN, ld::leaf::xn.mask());
  EXPECT_EQ(PMD_SECT_PXN, ld::leaf::pxn.mask());
  EXPECT_EQ(L_PTE_YOUNG, ld::leaf::af.mask());
  EXPECT_EQ(L_PTE_SHARED, ld::leaf::sh.mask());
  EXPECT_EQ(L_PTE_MT_MASK, ld::leaf::attr_indx.mask());
  EXPECT_EQ(PMD_PXNTABLE, ld::table::pxn_table.mask());
  EXPECT_EQ(PMD_APTABLE, ld::table::ap_table.mask());
  EXPECT_EQ(PHYS_MASK, ld::table::address.mask() | 0xfff);
  // Read-only when clean.
  EXPECT_EQ(ld::decode_page(cpu_v7_set_pte_ext(kKernelRw & ~L_PTE_DIRTY)).attrs.ap,
            ld::AccessPermission::pl1_read_only);
}

struct MemoryTypeCase {
  const char* name;
  pte_t mt;
  hw::arm::MemoryAttributes want;  // with L_PTE_SHARED
};

// The MAIR table in proc-v7-3level.S, resolved through the hardware model.
const MemoryTypeCase kMemoryTypes[] = {
    {"UNCACHED", L_PTE_MT_UNCACHED, kStronglyOrdered},
    {"BUFFERABLE", L_PTE_MT_BUFFERABLE, shared_normal(CacheAttribute::non_cacheable)},
    {"WRITETHROUGH", L_PTE_MT_WRITETHROUGH, shared_normal(CacheAttribute::write_through)},
    {"WRITEBACK", L_PTE_MT_WRITEBACK, shared_normal(CacheAttribute::write_back)},
    {"WRITEALLOC", L_PTE_MT_WRITEALLOC, shared_normal(CacheAttribute::write_back_write_allocate)},
    {"DEV_SHARED", L_PTE_MT_DEV_SHARED, kSharedDevice},
    {"DEV_NONSHARED", L_PTE_MT_DEV_NONSHARED, kSharedDevice},
    {"DEV_WC", L_PTE_MT_DEV_WC, shared_normal(CacheAttribute::non_cacheable)},
    {"DEV_CACHED", L_PTE_MT_DEV_CACHED, shared_normal(CacheAttribute::write_back)},
};

TEST(CpuV7SetPteExtLpae, MemoryTypesMeanWhatTheMairTableSays) {
  for (const MemoryTypeCase& c : kMemoryTypes) {
    const ld::Page page = ld::decode_page(
        cpu_v7_set_pte_ext(kPfn | L_PTE_PRESENT | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_SHARED | c.mt));
    EXPECT_EQ(ld::memory_attributes(page.attrs, PRRR, NMRR), c.want) << c.name;
  }
}

TEST(Pgtable3Level, GeometryIsLinuxs) {
  EXPECT_EQ(PTRS_PER_PGD, 4u);
  EXPECT_EQ(PTRS_PER_PMD, 512u);
  EXPECT_EQ(PTRS_PER_PTE, 512u);
  EXPECT_EQ(PGDIR_SIZE, 1u << 30);
  EXPECT_EQ(PMD_SIZE, 2u << 20);
  EXPECT_EQ(SECTION_SIZE, 2u << 20);
  EXPECT_EQ(PTE_HWTABLE_OFF, 0u);
  // The int masks sign-extend against 64-bit entries.
  EXPECT_EQ(static_cast<pmdval_t>(PMD_MASK), 0xffffffffffe00000u);
  EXPECT_EQ(static_cast<uint32_t>(PGDIR_MASK), 0xc0000000u);
  EXPECT_EQ(ld::level_shift(1), PGDIR_SHIFT);
  EXPECT_EQ(ld::level_shift(2), PMD_SHIFT);
  EXPECT_EQ(ld::level_shift(3), PAGE_SHIFT);
  EXPECT_EQ(TTBR1_OFFSET(0xc0000000), 16384u);
  EXPECT_EQ(TTBR1_OFFSET(0x80000000), 16u);
  EXPECT_EQ(TTBR1_SIZE(0xc0000000), 0x20000u);  // T1SZ = 2
  EXPECT_EQ(TTBR1_SIZE(0x80000000), 0x10000u);  // T1SZ = 1
}

TEST(Pgtable3Level, SwapperPgdEntrySeenInARealTable) {
  // "*pgd=80000080004003" from an LPAE kernel's fault report: a table
  // descriptor for the pmd table at 0x80004000 marked L_PGD_SWAPPER.
  EXPECT_EQ(0x80004000 | PMD_TYPE_TABLE | L_PGD_SWAPPER, 0x0080000080004003u);
  const ld::Table t = ld::decode_table(0x0080000080004003, 1);
  EXPECT_EQ(t.next_table, hw::PhysAddr(0x80004000));
  EXPECT_EQ(t.ignored, L_PGD_SWAPPER);
}

TEST(Pgtable3Level, SetPteExtStoresOneAdjustedWord) {
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(0x80000000), 0x10000000);
  const phys_addr_t ptep = 0x80005000 + 17 * sizeof(pte_t);
  set_pte_ext(mem, ptep, kKernelRw & ~L_PTE_DIRTY, PTE_EXT_NG);
  EXPECT_EQ(read_pte(mem, ptep), 0x0040000060000f9fu);
  // Nothing at the classic format's +2048 hardware copy.
  EXPECT_EQ(mem.load64(hw::PhysAddr(ptep + 2048)), 0u);
  set_pud(mem, 0x80004000, 0x80005000 | PMD_TYPE_TABLE);
  EXPECT_EQ(mem.load64(hw::PhysAddr(0x80004000)), 0x80005003u);
  pmd_clear(mem, 0x80004000);
  EXPECT_EQ(mem.load64(hw::PhysAddr(0x80004000)), 0u);
}

}  // namespace
}  // namespace ptsim::kernel::arm::pgtable_3level
