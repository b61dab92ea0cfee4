#include "ptsim/kernel/arch/arm/mm/proc_v7_2level.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "expected_memory_types.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"

namespace ptsim::kernel::arm::pgtable_2level {
namespace {

namespace sd = hw::arm::short_descriptor;
using hw::arm::CacheAttribute;
using hw::arm::MemoryType;
using hw::arm::Shareability;
using testing::kSharedDevice;
using testing::kStronglyOrdered;
using testing::shared_normal;

struct SetPteCase {
  const char* what;
  pte_t pte;
  unsigned int ext;
  pteval_t hw;
};

// Each hardware value is worked out by hand from cpu_v7_set_pte_ext in
// arch/arm/mm/proc-v7-2level.S (v6.1):
//   hw = (pte & ~0x3f3) | ext | AP0 (0x10) | small (0x2)
//        | TEX(1) (0x40) if pte bit 4 | APX (0x200) if RDONLY or !DIRTY
//        | AP1 (0x20) if USER | XN (0x1) if L_PTE_XN;
//   hw = 0 if !YOUNG or !PRESENT or NONE.
constexpr pte_t kPfn = 0x60000000;
constexpr pte_t kPY = L_PTE_PRESENT | L_PTE_YOUNG;
constexpr pte_t kPYD = kPY | L_PTE_DIRTY;

const SetPteCase kCases[] = {
    // Kernel RW memory on SMP: PRESENT|YOUNG|DIRTY|XN|SHARED|MT_WRITEALLOC.
    {"kernel rw", kPfn | kPYD | L_PTE_XN | L_PTE_SHARED | L_PTE_MT_WRITEALLOC, 0, 0x6000045f},
    {"not young", kPfn | L_PTE_PRESENT | L_PTE_DIRTY | L_PTE_MT_WRITEALLOC, 0, 0},
    {"not present", kPfn | L_PTE_YOUNG | L_PTE_DIRTY | L_PTE_MT_WRITEALLOC, 0, 0},
    {"PROT_NONE", kPfn | kPY | L_PTE_RDONLY | L_PTE_XN | L_PTE_NONE, 0, 0},
    {"PROT_NONE user", kPfn | kPY | L_PTE_USER | L_PTE_NONE, PTE_EXT_NG, 0},
    {"cleared", 0, 0, 0},
    {"rdonly", kPfn | kPYD | L_PTE_RDONLY | L_PTE_MT_WRITEALLOC, 0, 0x6000025e},
    {"clean is read-only", kPfn | kPY | L_PTE_MT_WRITEALLOC, 0, 0x6000025e},
    {"dirty is writable", kPfn | kPYD | L_PTE_MT_WRITEALLOC, 0, 0x6000005e},
    {"user rw", kPfn | kPYD | L_PTE_USER | L_PTE_SHARED | L_PTE_MT_WRITEALLOC, PTE_EXT_NG,
     0x60000c7e},
    {"user clean", kPfn | kPY | L_PTE_USER | L_PTE_MT_WRITEALLOC, PTE_EXT_NG, 0x60000a7e},
    {"user rdonly dirty", kPfn | kPYD | L_PTE_USER | L_PTE_RDONLY | L_PTE_MT_WRITEALLOC, PTE_EXT_NG,
     0x60000a7e},
    {"xn from ext", kPfn | kPYD | L_PTE_MT_WRITEALLOC, PTE_EXT_XN, 0x6000005f},
    {"xn from pte", kPfn | kPYD | L_PTE_XN, 0, 0x60000013},
    {"shared", kPfn | kPYD | L_PTE_SHARED, 0, 0x60000412},
    // Each memory type: L_PTE_MT bits 0-1 stay as B and C, bit 2 becomes
    // TEX[0], bit 3 is dropped.
    {"MT_UNCACHED", kPfn | kPYD | L_PTE_MT_UNCACHED, 0, 0x60000012},
    {"MT_BUFFERABLE", kPfn | kPYD | L_PTE_MT_BUFFERABLE, 0, 0x60000016},
    {"MT_WRITETHROUGH", kPfn | kPYD | L_PTE_MT_WRITETHROUGH, 0, 0x6000001a},
    {"MT_WRITEBACK", kPfn | kPYD | L_PTE_MT_WRITEBACK, 0, 0x6000001e},
    {"MT_MINICACHE", kPfn | kPYD | L_PTE_MT_MINICACHE, 0, 0x6000005a},
    {"MT_WRITEALLOC", kPfn | kPYD | L_PTE_MT_WRITEALLOC, 0, 0x6000005e},
    {"MT_DEV_SHARED", kPfn | kPYD | L_PTE_MT_DEV_SHARED, 0, 0x60000052},
    {"MT_DEV_NONSHARED", kPfn | kPYD | L_PTE_MT_DEV_NONSHARED, 0, 0x60000052},
    {"MT_DEV_WC", kPfn | kPYD | L_PTE_MT_DEV_WC, 0, 0x60000016},
    {"MT_DEV_CACHED", kPfn | kPYD | L_PTE_MT_DEV_CACHED, 0, 0x6000001e},
    {"MT_VECTORS", kPfn | kPYD | L_PTE_MT_VECTORS, 0, 0x6000005e},
    // Pairs printed by real ARMv7 kernels' fault reports as "*pte=..., *ppte=...":
    // a device mapping (5.14, i.MX), an uncached mapping (6.14) and a user
    // page at 0x01039034, so ext = PTE_EXT_NG (set_pte_at in arch/arm/mm/mmu.c).
    {"real device", 0x308a0653, 0, 0x308a0453},
    {"real uncached", 0xf8050243, 0, 0xf8050013},
    {"real user", 0x615d275f, PTE_EXT_NG, 0x615d2c7f},
};

TEST(CpuV7SetPteExt, MatchesTheAssemblyCaseByCase) {
  for (const SetPteCase& c : kCases) {
    EXPECT_EQ(cpu_v7_set_pte_ext(c.pte, c.ext), c.hw)
        << fmt::format("{}: pte {:#010x} ext {:#x} gave {:#010x}, want {:#010x}", c.what, c.pte,
                       c.ext, cpu_v7_set_pte_ext(c.pte, c.ext), c.hw);
  }
}

TEST(CpuV7SetPteExt, ResultIsASmallPageOrAFault) {
  // Over every combination of the low twelve Linux bits.
  for (pte_t low = 0; low < 4096; ++low) {
    const pteval_t hw = cpu_v7_set_pte_ext(kPfn | low, 0);
    if (hw == 0) {
      EXPECT_TRUE((low & L_PTE_YOUNG) == 0 || (low & L_PTE_PRESENT) == 0 || (low & L_PTE_NONE) != 0)
          << fmt::format("{:#x}", low);
      continue;
    }
    ASSERT_EQ(sd::second_level_kind(hw), sd::SecondLevelKind::small_page)
        << fmt::format("{:#x}", low);
    const sd::SmallPage page = sd::decode_small_page(hw);
    EXPECT_EQ(page.base, hw::PhysAddr(kPfn));
    // AP[0] always set; AP[1] is USER; AP[2] unless writable and dirty.
    EXPECT_EQ(page.attrs.ap & 1, 1u);
    EXPECT_EQ((page.attrs.ap & 2) != 0, (low & L_PTE_USER) != 0);
    EXPECT_EQ(page.attrs.apx, (low & L_PTE_RDONLY) != 0 || (low & L_PTE_DIRTY) == 0);
    EXPECT_EQ(page.attrs.xn, (low & L_PTE_XN) != 0);
    EXPECT_EQ(page.attrs.s, (low & L_PTE_SHARED) != 0);
    EXPECT_FALSE(page.attrs.ng);
  }
}

// Linux runs ARMv7 with SCTLR.AFE clear (v7_crval in proc-v7-2level.S), so
// the hardware reads AP[2:0] in the full access-permission model.
TEST(CpuV7SetPteExt, PermissionsFollowUserRdonlyAndDirty) {
  using P = sd::AccessPermissions;
  auto perms = [](pte_t bits) {
    const pteval_t hw = cpu_v7_set_pte_ext(kPfn | kPY | L_PTE_MT_WRITEALLOC | bits, 0);
    return sd::access_permissions(sd::decode_small_page(hw).attrs, false);
  };
  EXPECT_EQ(perms(L_PTE_DIRTY), (P{true, true, false, false}));
  EXPECT_EQ(perms(0), (P{true, false, false, false}));  // clean: write faults
  EXPECT_EQ(perms(L_PTE_DIRTY | L_PTE_RDONLY), (P{true, false, false, false}));
  EXPECT_EQ(perms(L_PTE_USER | L_PTE_DIRTY), (P{true, true, true, true}));
  EXPECT_EQ(perms(L_PTE_USER), (P{true, false, true, false}));
  EXPECT_EQ(perms(L_PTE_USER | L_PTE_DIRTY | L_PTE_RDONLY), (P{true, false, true, false}));
}

struct MemoryTypeCase {
  const char* name;
  pte_t mt;
  hw::arm::MemoryAttributes want;  // with L_PTE_SHARED set
};

// The table in proc-v7-2level.S's PRRR/NMRR comment, resolved through the
// hardware model: L_PTE_SHARED sets S, NS1/DS1 make it shareable and NOSn
// makes Normal memory Inner Shareable.
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

TEST(CpuV7SetPteExt, MemoryTypesMeanWhatThePrrrNmrrTableSays) {
  for (const MemoryTypeCase& c : kMemoryTypes) {
    const pteval_t hw = cpu_v7_set_pte_ext(kPfn | kPYD | L_PTE_SHARED | c.mt, 0);
    const sd::SmallPage page = sd::decode_small_page(hw);
    EXPECT_EQ(sd::memory_attributes(page.attrs, true, PRRR, NMRR), c.want) << c.name;
  }
  // Without L_PTE_SHARED, NS0 = 0 and DS0 = 0: not shareable.
  const sd::SmallPage private_page =
      sd::decode_small_page(cpu_v7_set_pte_ext(kPfn | kPYD | L_PTE_MT_WRITEALLOC, 0));
  EXPECT_EQ(sd::memory_attributes(private_page.attrs, true, PRRR, NMRR).shareability,
            Shareability::non_shareable);
}

TEST(ProcV7TwoLevel, SectionFlagsGiveTheValuesRealKernelsPrint) {
  // Kernel lowmem sections as fault reports print them ("*pgd=...(bad)"):
  // MT_MEMORY_RW on SMP (0x6e21141e), MT_MEMORY_RWX on SMP (0x80e1140e, 4.3)
  // and MT_MEMORY_RW on a uniprocessor ARMv7 (0x4000041e, 5.7).
  const pmdval_t rw_smp = PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_FLAGS_SMP | PMD_SECT_XN;
  const pmdval_t rwx_smp = PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_FLAGS_SMP;
  const pmdval_t rw_up = PMD_TYPE_SECT | PMD_SECT_AP_WRITE | PMD_FLAGS_UP | PMD_SECT_XN;
  EXPECT_EQ(0x6e200000 | rw_smp, 0x6e21141eu);
  EXPECT_EQ(0x80e00000 | rwx_smp, 0x80e1140eu);
  EXPECT_EQ(0x40000000 | rw_up, 0x4000041eu);
  // What the hardware makes of them with Linux's remap registers.
  const sd::Section smp = sd::decode_section(0x6e21141e);
  EXPECT_EQ(sd::memory_attributes(smp.attrs, true, PRRR, NMRR),
            (hw::arm::MemoryAttributes{
                MemoryType::normal, CacheAttribute::write_back_write_allocate,
                CacheAttribute::write_back_write_allocate, Shareability::inner_shareable}));
  const sd::Section up = sd::decode_section(0x4000041e);
  EXPECT_EQ(sd::memory_attributes(up.attrs, true, PRRR, NMRR),
            (hw::arm::MemoryAttributes{MemoryType::normal, CacheAttribute::write_back,
                                       CacheAttribute::write_back, Shareability::non_shareable}));
  EXPECT_EQ(up.attrs.ap_2_0(), 0b001u);  // kernel read/write, no user access
  EXPECT_TRUE(up.attrs.xn);
}

}  // namespace
}  // namespace ptsim::kernel::arm::pgtable_2level
