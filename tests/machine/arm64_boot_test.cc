// The arm64 boot model's pieces not covered by the QEMU captures: the
// early_ioremap slots and their checks, other page sizes, the 52-bit VA
// adjustment, and what the model refuses.
#include <gtest/gtest.h>

#include "ptsim/error.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"

namespace ptsim::kernel::arm64 {
namespace {

std::unique_ptr<Arm64Kernel> booted(unsigned page_shift = 12, unsigned va_bits = 48, BootStage stage = BootStage::paging_init) {
  KernelConfig config;
  config.page_shift = page_shift;
  config.va_bits = va_bits;
  machine::Arm64BootRequest req;
  req.page_shift = page_shift;
  req.va_bits = va_bits;
  auto k = std::make_unique<Arm64Kernel>(config, CpuFeatures{}, machine::prepare_arm64_boot(req));
  k->boot(stage);
  return k;
}

TEST(EarlyIoremap, MapsIntoTheFirstFreeSlotAndRefusesWhatLinuxRefuses) {
  auto k = booted();
  const Layout& l = k->layout();
  // Slot 0 starts at FIX_BTMAP_BEGIN; the offset in the page is kept.
  const uint64_t va = k->early_ioremap(0x9000010, 0x100);
  EXPECT_EQ(va, l.fix_to_virt(l.fix.fix_btmap_begin) + 0x10);
  // The next mapping takes slot 1, NR_FIX_BTMAPS pages further down.
  const uint64_t va2 = k->early_ioremap(0x9010000, 0x2000);
  EXPECT_EQ(va2, l.fix_to_virt(l.fix.fix_btmap_begin - l.fix.nr_fix_btmaps));
  // More pages than a slot holds: WARN_ON(nrpages > NR_FIX_BTMAPS).
  const uint64_t too_big = (l.fix.nr_fix_btmaps + 1) * 4096;
  EXPECT_EQ(k->early_ioremap(0x10000000, too_big), 0u);
  // Zero size or wrap-around: WARN_ON(!size || last_addr < phys_addr).
  EXPECT_EQ(k->early_ioremap(0x10000000, 0), 0u);
  EXPECT_EQ(k->early_ioremap(~uint64_t{0} - 10, 100), 0u);
  // Unmapping with the wrong size is refused with Linux's warning.
  k->early_iounmap(va, 0x200);
  bool size_warned = false;
  for (const auto& m : k->log().messages()) {
    size_warned |= m.text.find("size not consistent") != std::string::npos;
  }
  EXPECT_TRUE(size_warned);
  k->early_iounmap(va, 0x100);
  // All seven slots in use, then one more: WARN "not found slot".
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(k->early_ioremap(0x20000000 + i * 0x1000, 0x100), 0u);
  }
  EXPECT_EQ(k->early_ioremap(0x30000000, 0x100), 0u);
  EXPECT_GE(k->log().warning_count(), 4u);
}

TEST(Arm64Boot, EveryConfigurationLinuxAllowsBoots) {
  for (const Arm64Config& c : arm64_valid_configs()) {
    auto k = booted(c.page_shift, c.va_bits, BootStage::final);
    EXPECT_EQ(k->registers().ttbr1_el1, k->pa_symbol("swapper_pg_dir")) << k->geometry().describe();
    // The linear map starts at PAGE_OFFSET + (RAM base - memstart_addr).
    EXPECT_EQ(k->high_memory(), (0x80000000 - k->memstart_addr()) | k->layout().page_offset) << k->geometry().describe();
  }
}

TEST(Arm64Boot, FiftyTwoBitVaOnA48BitCpuMovesMemstartAddr) {
  auto k = booted(16, 52);
  // arm64_memblock_init: memstart_addr -= _PAGE_OFFSET(48) - _PAGE_OFFSET(52),
  // so RAM at 0x40000000 appears at 0xffff000000000000, in the 48-bit half.
  EXPECT_EQ(k->memstart_addr(), 0x40000000 - ((uint64_t{1} << 52) - (uint64_t{1} << 48)));
  EXPECT_EQ(k->high_memory(), 0xffff000040000000u);
  EXPECT_EQ((k->registers().tcr_el1 >> 16) & 0x3f, 16u);  // T1SZ from vabits_actual 48
}

TEST(Arm64Boot, KconfigOptionsAreNamedAndChecked) {
  KernelConfig c;
  apply_kconfig(c, "CONFIG_UNMAP_KERNEL_AT_EL0=n");
  EXPECT_FALSE(c.layout.unmap_kernel_at_el0);
  EXPECT_THROW(apply_kconfig(c, "KASAN=y"), Error);
  EXPECT_THROW(apply_kconfig(c, "ARM64_MTE"), Error);
}

TEST(Arm64Boot, ImageOutsideRamAndForeignSymbolsAreRefused) {
  machine::Arm64BootRequest req;
  req.text_pa = 0x10000000;  // below the RAM at 0x40000000
  EXPECT_THROW(Arm64Kernel({}, {}, machine::prepare_arm64_boot(req)), Error);
  req.text_pa = 0x40201000;  // page aligned, not 2 MiB aligned: a relocatable kernel still boots
  EXPECT_NO_THROW(Arm64Kernel({}, {}, machine::prepare_arm64_boot(req)));
  req.text_pa = 0x40200800;
  EXPECT_THROW(Arm64Kernel({}, {}, machine::prepare_arm64_boot(req)), Error);
  // Symbols linked for VA_BITS=48 refused by a 39-bit kernel configuration.
  KernelConfig c39;
  c39.va_bits = 39;
  EXPECT_THROW(Arm64Kernel(c39, {}, machine::prepare_arm64_boot({})), Error);
}

TEST(Arm64Boot, AnFdtLinuxCannotMapIsItsPanicMessage) {
  machine::Arm64BootRequest req;
  req.dtb_pa = 0x48000004;  // not MIN_FDT_ALIGN (8) aligned
  Arm64Kernel k({}, {}, machine::prepare_arm64_boot(req));
  try {
    k.boot(BootStage::paging_init);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::linux_panic);
    EXPECT_NE(std::string(e.what()).find("invalid device tree blob at physical address 0x0000000048000004"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace ptsim::kernel::arm64
