// The arm boot path against the worked numbers of the seed notes (vexpress,
// 1 GiB at 0x60000000, 3G/1G, _stext 0xc0008280, __init_end 0xc10d8000) and
// the layout values of real 4.x boot logs.
#include "ptsim/kernel/arch/arm/boot.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kernel/arch/arm/seed_boot.h"
#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "support/error_of.h"

namespace ptsim::kernel::arm {
namespace {

namespace sd = hw::arm::short_descriptor;
namespace ld = hw::arm::long_descriptor;

TEST(ArmBootSeed, OldProfilesLowmemLimitAndThirdClearingLoop) {
  for (ArmVersion v : {ArmVersion::v3_18, ArmVersion::v4_3}) {
    const ArmBoot b = run_arm_boot(seed_vexpress(v));
    EXPECT_EQ(b.state.arm_lowmem_limit, 0x8f800000u) << to_string(v);
    EXPECT_EQ(b.state.high_memory, 0xef800000u) << to_string(v);
    EXPECT_EQ(b.state.VMALLOC_START, 0xf0000000u) << to_string(v);
    ASSERT_EQ(b.state.clear_loops.size(), 3u);
    EXPECT_EQ(b.state.clear_loops[2], std::make_pair(0xef800000u, 0xf0000000u));
    EXPECT_EQ(b.state.clear_loops[0], std::make_pair(0u, 0xbf000000u));
    EXPECT_EQ(b.state.clear_loops[1], std::make_pair(0xbf000000u, 0xc0000000u));
  }
}

TEST(ArmBootSeed, XipKernelSkipsItsRomInTheModuleArea) {
  // An XIP kernel whose ROM image ends at 0xbf4a1234 in the module area: the
  // second clearing loop starts at the next 2 MiB boundary, 0xbf600000.
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.config.xip_exiprom = 0xbf4a1234;
  const ArmBoot b = run_arm_boot(in);
  ASSERT_EQ(b.state.clear_loops.size(), 3u);
  EXPECT_EQ(b.state.clear_loops[0], std::make_pair(0u, 0xbf000000u));
  EXPECT_EQ(b.state.clear_loops[1], std::make_pair(0xbf600000u, 0xc0000000u));
}

TEST(ArmBootSeed, DebugLlUartIsMappedWhenTheMachineHasNoMapIo) {
  // vexpress's DEBUG_LL UART: phys 0x10009000 at 0xf8009000 (debug/vexpress.S).
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.debug_ll = std::make_pair(0x10009000u, 0xf8009000u);
  const ArmBoot b = run_arm_boot(in);
  bool mapped = false;
  for (const auto& call : b.state.mappings) {
    mapped |= call.virtual_ == 0xf8009000u && call.pfn == 0x10009u && call.type == MT_DEVICE;
  }
  EXPECT_TRUE(mapped);
}

TEST(ArmBootSeed, ThreeEighteenMapsLowmemAsOneRwxMapping) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v3_18));
  ASSERT_FALSE(b.state.mappings.empty());
  const map_desc& m = b.state.mappings.front();
  EXPECT_EQ(m, (map_desc{0xc0000000, 0x60000, 0x2f800000, MT_MEMORY_RWX}));
  EXPECT_EQ(b.state.kernel_x_end, 0u);  // no split before 3.19
}

TEST(ArmBootSeed, KernelTextSplitAndModules) {
  for (ArmVersion v : {ArmVersion::v4_3, ArmVersion::v4_14, ArmVersion::v6_1}) {
    const ArmBoot b = run_arm_boot(seed_vexpress(v));
    EXPECT_EQ(b.state.kernel_x_start, 0x60000000u) << to_string(v);
    EXPECT_EQ(b.state.kernel_x_end, 0x61100000u) << to_string(v);
    EXPECT_EQ(b.state.layout.MODULES_VADDR, 0xbf000000u) << to_string(v);
    // The RWX mapping is exactly kernel_x_start..kernel_x_end.
    const auto rwx = std::find_if(b.state.mappings.begin(), b.state.mappings.end(),
                                  [](const map_desc& m) { return m.type == MT_MEMORY_RWX; });
    ASSERT_NE(rwx, b.state.mappings.end()) << to_string(v);
    EXPECT_EQ(rwx->virtual_, 0xc0000000u);
    EXPECT_EQ(rwx->pfn, 0x60000u);
    EXPECT_EQ(rwx->length, 0x01100000u);
  }
}

TEST(ArmBootSeed, SwapperPgDirAndPageOffsetEntry) {
  for (ArmVersion v :
       {ArmVersion::v3_18, ArmVersion::v4_3, ArmVersion::v4_14, ArmVersion::v6_1}) {
    const ArmBoot b = run_arm_boot(seed_vexpress(v));
    EXPECT_EQ(b.state.swapper_pg_dir, 0x60004000u) << to_string(v);
    // The entry for PAGE_OFFSET: 0xc0000000 >> 20 words in.
    const uint64_t entry_pa = b.state.swapper_pg_dir + (0xc0000000u >> 20) * 4;
    EXPECT_EQ(entry_pa, 0x60007000u);
    const auto d = sd::decode_first_level(b.mem->load32(hw::PhysAddr(entry_pa)));
    ASSERT_TRUE(std::holds_alternative<sd::Section>(d)) << to_string(v);
    EXPECT_EQ(std::get<sd::Section>(d).base, hw::PhysAddr(0x60000000));
  }
}

TEST(ArmBootSeed, LargerTextOffsetMovesSwapperFromTheSymbols) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  // Debian's armmp: TEXT_OFFSET 0x208000.
  in.image.text = 0xc0208000;
  in.image.stext = 0xc0300000;
  EXPECT_EQ(run_arm_boot(in).state.swapper_pg_dir, 0x60204000u);
  in.image.swapper_pg_dir = 0xc0204000;
  EXPECT_EQ(run_arm_boot(in).state.swapper_pg_dir, 0x60204000u);
}

TEST(ArmBootSeed, TwoGigSplitModules) {
  ArmBootInput in = seed_vexpress(ArmVersion::v4_14);
  in.config.vmsplit_user_gib = 2;
  in.image = seed_image(0x80000000);
  const ArmBoot b = run_arm_boot(in);
  EXPECT_EQ(b.state.layout.MODULES_VADDR, 0x7f000000u);
  EXPECT_EQ(b.state.layout.PAGE_OFFSET, 0x80000000u);
  // 1 GiB fits the 2G/2G linear map whole.
  EXPECT_EQ(b.state.arm_lowmem_limit, 0xa0000000u);
}

TEST(ArmBootSeed, NewerProfilesLowmemLimit) {
  for (ArmVersion v : {ArmVersion::v4_14, ArmVersion::v6_1}) {
    const ArmBoot b = run_arm_boot(seed_vexpress(v));
    EXPECT_EQ(b.state.arm_lowmem_limit, 0x90000000u) << to_string(v);
    EXPECT_EQ(b.state.high_memory, 0xf0000000u) << to_string(v);
    EXPECT_EQ(b.state.VMALLOC_START, 0xf0800000u) << to_string(v);
    EXPECT_EQ(b.state.clear_loops[2], std::make_pair(0xf0000000u, 0xf0800000u));
  }
}

// Every lowmem pgd pair maps its 2 MiB as two sections with the
// MT_MEMORY_RW/RWX attributes: AP[1:0] 01 (kernel RW), TEX 001 C B
// (write-alloc through TEX remap), S, XN only outside the kernel text.
TEST(ArmBootTables, LowmemSectionsAndAttributes) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v6_1));
  for (uint32_t va = 0xc0000000; va < 0xf0000000; va += 1u << 20) {
    const uint32_t desc = b.mem->load32(hw::PhysAddr(b.pgd() + (va >> 20) * 4));
    const auto d = sd::decode_first_level(desc);
    ASSERT_TRUE(std::holds_alternative<sd::Section>(d)) << std::hex << va << " " << desc;
    const sd::Section& s = std::get<sd::Section>(d);
    EXPECT_EQ(s.base, hw::PhysAddr(va - 0xc0000000u + 0x60000000u));
    EXPECT_EQ(s.attrs.ap, 1u);
    EXPECT_FALSE(s.attrs.apx);
    EXPECT_EQ(s.attrs.tex, 1u);
    EXPECT_TRUE(s.attrs.c && s.attrs.b && s.attrs.s);
    EXPECT_EQ(s.domain, 0u);
    EXPECT_EQ(s.attrs.xn, va >= 0xc1100000u) << std::hex << va;
  }
  // Above lowmem, up to the vmalloc end: nothing but the cleared entries.
  for (uint32_t va = 0xf0000000; va < 0xff800000; va += 1u << 20) {
    EXPECT_EQ(b.mem->load32(hw::PhysAddr(b.pgd() + (va >> 20) * 4)), 0u) << std::hex << va;
  }
  // User space is clear.
  for (uint32_t va = 0; va < 0xbf000000; va += 1u << 20) {
    ASSERT_EQ(b.mem->load32(hw::PhysAddr(b.pgd() + (va >> 20) * 4)), 0u) << std::hex << va;
  }
}

// The vectors page: a pte table allocated from the top of lowmem, hooked
// with the hardware tables at +2048/+3072, a user-readable read-only small
// page at 0xffff0000 and a kernel-only one at 0xffff1000.
TEST(ArmBootTables, VectorsPageTable) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v6_1));
  // Allocations top-down below arm_lowmem_limit 0x90000000: the vectors
  // pair, then its pte page.
  EXPECT_EQ(b.state.vectors, 0x8fffe000u);
  const uint32_t l1 = b.mem->load32(hw::PhysAddr(b.pgd() + (0xffff0000u >> 20) * 4));
  const sd::PageTable t = sd::decode_page_table(l1);
  EXPECT_EQ(t.base, hw::PhysAddr(0x8fffd000 + 2048 + 1024));  // odd MiB: h/w pt 1
  EXPECT_EQ(t.domain, 3u);                                  // DOMAIN_VECTORS
  const uint32_t l1_even = b.mem->load32(hw::PhysAddr(b.pgd() + (0xffe00000u >> 20) * 4));
  EXPECT_EQ(sd::decode_page_table(l1_even).base, hw::PhysAddr(0x8fffd000 + 2048));
  const sd::SmallPage hi =
      sd::decode_small_page(b.mem->load32(hw::PhysAddr(0x8fffd000 + 3072 + 0xf0 * 4)));
  EXPECT_EQ(hi.base, hw::PhysAddr(0x8fffe000));
  EXPECT_TRUE(hi.attrs.apx);
  EXPECT_EQ(hi.attrs.ap, 3u);  // AP[2:0] 111: read-only at PL0 and PL1
  EXPECT_FALSE(hi.attrs.xn);
  const sd::SmallPage lo =
      sd::decode_small_page(b.mem->load32(hw::PhysAddr(0x8fffd000 + 3072 + 0xf1 * 4)));
  EXPECT_EQ(lo.base, hw::PhysAddr(0x8ffff000));
  EXPECT_EQ(lo.attrs.ap, 1u);  // AP[2:0] 101: read-only, PL1 only
  // The Linux view of the same pte sits 2048 bytes lower (Linux pt 1).
  const uint32_t linux_pte = b.mem->load32(hw::PhysAddr(0x8fffd000 + 1024 + 0xf0 * 4));
  EXPECT_EQ(linux_pte & 0xfffff000u, 0x8fffe000u);
  EXPECT_NE(linux_pte & pgtable_2level::L_PTE_USER, 0u);
}

TEST(ArmBootTables, PkmapAndFixmapTables) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v6_1));
  const uint32_t pk = b.mem->load32(hw::PhysAddr(b.pgd() + (0xbfe00000u >> 20) * 4));
  EXPECT_EQ(sd::decode_page_table(pk).base, hw::PhysAddr(b.state.pkmap_page_table + 2048));
  EXPECT_TRUE(sd::decode_page_table(pk).sbz);  // PMD_BIT4 of _PAGE_KERNEL_TABLE
  const uint32_t fx = b.mem->load32(hw::PhysAddr(b.pgd() + (0xffc00000u >> 20) * 4));
  EXPECT_EQ(sd::decode_page_table(fx).base,
            hw::PhysAddr(b.state.fixmap_page_table + 2048));
}

TEST(ArmBootTables, LpaeBlocksAndSwapper) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.config.lpae = true;
  const ArmBoot b = run_arm_boot(in);
  // head.S PG_DIR_SIZE 0x5000 below _text.
  EXPECT_EQ(b.state.swapper_pg_dir, 0x60003000u);
  EXPECT_EQ(b.state.kernel_x_end, 0x61200000u);  // 2 MiB sections
  const uint64_t pgd3 = b.mem->load64(hw::PhysAddr(b.pgd() + 3 * 8));
  const ld::Table t = ld::decode_table(pgd3, 1);
  EXPECT_EQ(t.next_table, hw::PhysAddr(0x60003000 + 0x4000));
  for (uint32_t va = 0xc0000000; va < 0xf0000000; va += 2u << 20) {
    const uint64_t pmd =
        b.mem->load64(hw::PhysAddr(0x60007000 + ((va >> 21) & 511) * 8));
    const ld::Block blk = ld::decode_block(pmd, 2);
    EXPECT_EQ(blk.output_address, hw::PhysAddr(va - 0xc0000000u + 0x60000000u));
    EXPECT_TRUE(blk.attrs.af);
    EXPECT_EQ(blk.attrs.attr_indx, 7u);
    EXPECT_EQ(blk.attrs.xn, va >= 0xc1200000u) << std::hex << va;
  }
}

TEST(ArmBootParams, VmallocAndMemParameters) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.cmdline = "console=ttyAMA0 vmalloc=512M mem=768M";
  const ArmBoot b = run_arm_boot(in);
  // mem=768M: one bank 0x60000000-0x90000000; vmalloc=512M: lowmem ends
  // 512 MiB + 8 MiB below VMALLOC_END.
  EXPECT_EQ(b.state.vmalloc_size, 512u << 20);
  EXPECT_EQ(b.state.arm_lowmem_limit, 0x60000000u + (0xff800000u - (520u << 20) - 0xc0000000u));
  EXPECT_EQ(b.memblock->memblock_end_of_DRAM(), 0x90000000u);

  in.cmdline = "vmalloc=1M";
  const ArmBoot small = run_arm_boot(in);
  EXPECT_EQ(small.state.vmalloc_size, 16u << 20);
  EXPECT_NE(std::find(small.dmesg.begin(), small.dmesg.end(),
                      "vmalloc area is too small, limiting to 16MiB"),
            small.dmesg.end());
  in.config.version = ArmVersion::v4_14;
  const ArmBoot old = run_arm_boot(in);
  EXPECT_NE(std::find(old.dmesg.begin(), old.dmesg.end(),
                      "vmalloc area too small, limiting to 16MB"),
            old.dmesg.end());
}

TEST(ArmBootParams, InitrdAndMemblockDebug) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.cmdline = "memblock=debug initrd=0x68000000,0x123456";
  const ArmBoot b = run_arm_boot(in);
  // reserve_initrd_mem rounds to pages.
  EXPECT_TRUE(b.memblock->memblock_is_region_reserved(0x68000000, 0x124000));
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "memblock_reserve: [0x68000000-0x68123fff] reserve_initrd_mem"),
            b.dmesg.end());
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(), "MEMBLOCK configuration:"), b.dmesg.end());

  in.cmdline = "initrd=0xb0000000,0x1000";  // beyond RAM
  const ArmBoot outside = run_arm_boot(in);
  EXPECT_NE(std::find(outside.dmesg.begin(), outside.dmesg.end(),
                      "INITRD: 0xb0000000+0x00001000 is not a memory region - disabling initrd"),
            outside.dmesg.end());
  EXPECT_EQ(outside.state.phys_initrd_size, 0u);
  // Without memblock=debug no memblock line is printed.
  EXPECT_EQ(std::count_if(outside.dmesg.begin(), outside.dmesg.end(),
                          [](const std::string& l) { return l.rfind("memblock_", 0) == 0; }),
            0);
}

TEST(ArmBootParams, MemBelowPhysOffsetIsIgnored) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.cmdline = "mem=256M@0x50000000 mem=512M";
  const ArmBoot b = run_arm_boot(in);
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "Ignoring memory below PHYS_OFFSET: 0x50000000-0x60000000"),
            b.dmesg.end());
  // 0x50000000+256M ends at PHYS_OFFSET: nothing of it is added; the second
  // mem= adds 512 MiB at PHYS_OFFSET.
  EXPECT_EQ(b.memblock->memblock_start_of_DRAM(), 0x60000000u);
  EXPECT_EQ(b.memblock->memblock_end_of_DRAM(), 0x80000000u);
}

TEST(ArmBootParams, HighmemMachineKeepsLowmemLimitAndPkmap) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.memory = {{0x40000000, 0x80000000}};  // 2 GiB
  in.image = seed_image();
  const ArmBoot b = run_arm_boot(in);
  EXPECT_EQ(b.state.PHYS_OFFSET, 0x40000000u);
  EXPECT_EQ(b.state.arm_lowmem_limit, 0x70000000u);
  EXPECT_EQ(b.memblock->memblock_end_of_DRAM(), 0xc0000000u);
  EXPECT_NE(b.state.pkmap_page_table, 0u);
}

TEST(ArmBootWarnings, MappingInUserRegionIsRefused) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.io_desc = {{0x10000000, 0x10000, 0x1000, MT_DEVICE}, {0xf8000000, 0x10001, 0x1000, MT_DEVICE}};
  const ArmBoot b = run_arm_boot(in);
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "BUG: not creating mapping for 0x10000000 at 0x10000000 in user region"),
            b.dmesg.end());
  // A device page in the vmalloc area is mapped, with a pte table.
  const uint32_t l1 = b.mem->load32(hw::PhysAddr(b.pgd() + (0xf8000000u >> 20) * 4));
  EXPECT_EQ(sd::first_level_kind(l1), sd::FirstLevelKind::page_table);
}

TEST(ArmBootWarnings, SectionOnlyTypeRefusesUnalignedMapping) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  // MT_ROM has no page-table form (prot_l1 0): only whole sections.
  in.io_desc = {{0xf8000000, 0x10008, 0x1000, MT_ROM}};
  const ArmBoot b = run_arm_boot(in);
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "BUG: map for 0x10008000 at 0xf8000000 can not be mapped using pages, "
                      "ignoring."),
            b.dmesg.end());
  EXPECT_EQ(b.mem->load32(hw::PhysAddr(b.pgd() + (0xf8000000u >> 20) * 4)), 0u);
}

TEST(ArmBootReservedMemory, DefaultCmaPoolReplacesTheConfiguredArea) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.config.cma_size_mbytes = 16;
  ArmReservedMemory cma;
  cma.name = "linux,cma";
  cma.dynamic = true;
  cma.size = 64u << 20;
  cma.shared_dma_pool = cma.reusable = cma.cma_default = true;
  in.reserved_memory = {cma};
  const ArmBoot b = run_arm_boot(in);
  // Placed anywhere (top of RAM, above the lowmem limit), 4 MiB aligned.
  EXPECT_EQ(b.state.cma_base, 0x9c000000u);
  EXPECT_EQ(b.state.cma_size, 64u << 20);
  EXPECT_TRUE(b.memblock->memblock_is_region_reserved(0x9c000000, 64u << 20));
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "Reserved memory: created CMA memory pool at 0x9c000000, size 64 MiB"),
            b.dmesg.end());
  // No second, configured area.
  EXPECT_EQ(std::count_if(b.dmesg.begin(), b.dmesg.end(),
                          [](const std::string& l) { return l.rfind("cma: Reserved", 0) == 0; }),
            0);
}

TEST(ArmBootReservedMemory, CmaInLowmemIsRemappedWithPages) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.memory = {{0x60000000, 0x20000000}};  // 512 MiB: all lowmem
  in.config.cma_size_mbytes = 16;
  const ArmBoot b = run_arm_boot(in);
  EXPECT_EQ(b.state.cma_base, 0x7f000000u);
  const uint32_t l1 = b.mem->load32(hw::PhysAddr(b.pgd() + (0xdf000000u >> 20) * 4));
  EXPECT_EQ(sd::first_level_kind(l1), sd::FirstLevelKind::page_table);
  const auto dma = std::find_if(b.state.mappings.begin(), b.state.mappings.end(),
                                [](const map_desc& m) { return m.type == MT_MEMORY_DMA_READY; });
  ASSERT_NE(dma, b.state.mappings.end());
  EXPECT_EQ(dma->virtual_, 0xdf000000u);
  EXPECT_EQ(dma->length, 16u << 20);
}

TEST(ArmBootFinal, StrictKernelRwxMakesTextReadOnly) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.image.text = 0xc0208000;
  in.image.stext = 0xc0300000;
  in.image.etext = 0xc0e00000;
  in.image.start_rodata = 0xc0e00000;
  in.image.init_begin = 0xc1200000;
  in.image.init_end = 0xc1400000;
  in.image.sdata = 0xc1400000;
  in.image.edata = in.image.bss_start = 0xc15a90b4;
  in.image.end = in.image.bss_stop = 0xc1607588;
  in.stage = ArmBootInput::Stage::final;
  const ArmBoot b = run_arm_boot(in);
  auto sect = [&](uint32_t va) {
    return sd::decode_section(b.mem->load32(hw::PhysAddr(b.pgd() + (va >> 20) * 4)));
  };
  EXPECT_TRUE(sect(0xc0000000).attrs.xn);   // pre-text NX
  EXPECT_TRUE(sect(0xc0300000).attrs.apx);  // text RO
  EXPECT_FALSE(sect(0xc0300000).attrs.xn);
  EXPECT_TRUE(sect(0xc0e00000).attrs.xn);   // rodata NX and RO
  EXPECT_TRUE(sect(0xc0e00000).attrs.apx);
  EXPECT_TRUE(sect(0xc1200000).attrs.xn);   // init NX
  EXPECT_FALSE(sect(0xc1200000).attrs.apx);
}

TEST(ArmBootFinal, UnalignedSectionsGetLinuxsError) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.stage = ArmBootInput::Stage::final;
  const ArmBoot b = run_arm_boot(in);
  EXPECT_NE(std::find(b.dmesg.begin(), b.dmesg.end(),
                      "BUG: pre-text NX section c0000000-c0008280 not aligned to 100000"),
            b.dmesg.end());
}

TEST(ArmBootLayout, MemInitPrintOfTheOldProfile) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v3_18));
  const std::vector<std::string> want = {
      "Virtual kernel memory layout:",
      "    vector  : 0xffff0000 - 0xffff1000   (   4 kB)",
      "    fixmap  : 0xffc00000 - 0xffe00000   (2048 kB)",
      "    vmalloc : 0xf0000000 - 0xff000000   ( 240 MB)",
      "    lowmem  : 0xc0000000 - 0xef800000   ( 760 MB)",
      "    pkmap   : 0xbfe00000 - 0xc0000000   (   2 MB)",
      "    modules : 0xbf000000 - 0xbfe00000   (  14 MB)",
      "      .text : 0xc0008000 - 0xc0a00000   (10208 kB)",
      "      .init : 0xc1000000 - 0xc10d8000   ( 864 kB)",
      "      .data : 0xc10d8000 - 0xc1180000   ( 672 kB)",
      "       .bss : 0xc1180000 - 0xc1200000   ( 512 kB)",
  };
  EXPECT_EQ(mem_init_layout_lines(b), want);
}

TEST(ArmBootInputs, ImageOutsideTheSplitIsBadInput) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.config.vmsplit_user_gib = 1;  // PAGE_OFFSET 0x40000000, kernel linked at 0xc0000000: fine
  in.image = seed_image(0x40000000);
  EXPECT_NO_THROW(run_arm_boot(in));
  in.memory.clear();
  EXPECT_NE(ptsim::testing::error_of([&] { run_arm_boot(in); }).find("no memory bank"),
            std::string::npos);
}

}  // namespace
}  // namespace ptsim::kernel::arm
