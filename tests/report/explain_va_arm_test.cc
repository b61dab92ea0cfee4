// ptsim explain --va on arm boots: the registers the walk uses are those a
// running Debian 6.1 kernel holds, a lowmem address goes through the
// linear map, a page shows Linux's own pte beside the hardware one.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "ptsim/kernel/arch/arm/mmu_registers.h"
#include "ptsim/report/arm_boot_report.h"
#include "ptsim/report/explain_va.h"
#include "report/arm_qemu_cases.h"

namespace ptsim::report {
namespace {

using testing::QemuCase;

// "NAME value" lines of a capture's regs.txt (QEMU names PRRR and NMRR
// MAIR0 and MAIR1, the same registers).
std::map<std::string, uint64_t> captured_registers(const char* dir) {
  std::ifstream in(std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm" / dir / "regs.txt");
  std::map<std::string, uint64_t> regs;
  std::string name, value;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    if (line.empty() || line[0] == '#' || !(words >> name >> value)) {
      continue;
    }
    regs[name] = std::stoull(value, nullptr, 0);
  }
  return regs;
}

TEST(ExplainVaArm, RegistersAreThoseOfTheRunningKernel) {
  const auto short_regs = captured_registers("live_ptdump");
  ASSERT_FALSE(short_regs.empty());
  const kernel::arm::ArmBoot s = testing::boot_qemu_case({"virt-1g-armmp", false, true});
  const hw::arm::Registers r = kernel::arm::linux_mmu_registers(s);
  EXPECT_EQ(r.sctlr, short_regs.at("SCTLR"));
  EXPECT_EQ(r.dacr, short_regs.at("DACR"));
  EXPECT_EQ(r.prrr, short_regs.at("MAIR0"));
  EXPECT_EQ(r.nmrr, short_regs.at("MAIR1"));
  EXPECT_EQ(r.ttbcr, short_regs.at("TTBCR"));

  const auto lpae_regs = captured_registers("live_ptdump-lpae");
  const kernel::arm::ArmBoot l = testing::boot_qemu_case({"virt-3g-armmp-lpae", true, true});
  const hw::arm::Registers rl = kernel::arm::linux_mmu_registers(l);
  EXPECT_EQ(rl.sctlr, lpae_regs.at("SCTLR"));
  EXPECT_EQ(rl.mair0, lpae_regs.at("MAIR0"));
  EXPECT_EQ(rl.mair1, lpae_regs.at("MAIR1"));
  EXPECT_EQ(rl.ttbcr, lpae_regs.at("TTBCR"));
  // TTBR1 sits where the running kernel's does relative to swapper_pg_dir
  // (pgd.txt: its PA from System.map): at the pmd table of the top gigabyte.
  std::ifstream pgd_file(std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm/live_ptdump-lpae/pgd.txt");
  std::string line;
  uint64_t swapper_va = 0, swapper_pa = 0;
  while (std::getline(pgd_file, line)) {
    if (!line.empty() && line[0] != '#') {
      std::istringstream(line) >> std::hex >> swapper_va >> swapper_pa;
    }
  }
  ASSERT_NE(swapper_pa, 0u);
  EXPECT_EQ(rl.ttbr1 - rl.ttbr0, lpae_regs.at("TTBR1") - swapper_pa);
}

// v7_ttb_setup's split follows PAGE_OFFSET (pgtable-3level-hwdef.h): 3G
// TTBR1 at the top gigabyte's pmd table, 2G at the pgd's entry 2 with
// T1SZ = 1, 1G no split; each walks the kernel's first address to PA
// PHYS_OFFSET.
TEST(ExplainVaArm, LpaeSplitFollowsPageOffset) {
  const struct {
    const char* split;
    uint32_t t1sz;
    uint64_t ttbr1_offset;
  } kSplits[] = {{"3G", 2, 0x4000}, {"2G", 1, 16}, {"1G", 0, 0}};
  for (const auto& c : kSplits) {
    BootArmOptions o;
    o.machine = "virt";
    o.lpae = true;
    o.vmsplit = c.split;
    const kernel::arm::ArmBoot b = boot_arm(o);
    const hw::arm::Registers r = kernel::arm::linux_mmu_registers(b);
    EXPECT_EQ(hw::arm::ttbcr::t1sz.get(r.ttbcr), c.t1sz) << c.split;
    EXPECT_EQ(r.ttbr1 - b.pgd(), c.ttbr1_offset) << c.split;
    const uint32_t va = b.state.layout.PAGE_OFFSET;
    const std::string text = explain_va(b, va, ExplainStyle::text);
    EXPECT_NE(text.find(fmt::format("=> PA {:#x} ", b.state.PHYS_OFFSET)), std::string::npos)
        << c.split << "\n"
        << text;
    EXPECT_NE(text.find(c.t1sz != 0 ? "TTBR1 covers it" : "TTBR0 covers it"), std::string::npos)
        << c.split << "\n"
        << text;
  }
}

class ExplainVaArmCase : public ::testing::TestWithParam<QemuCase> {};

TEST_P(ExplainVaArmCase, LowmemGoesThroughTheLinearMap) {
  const kernel::arm::ArmBoot b = testing::boot_qemu_case(GetParam());
  const uint32_t va = b.state.layout.PAGE_OFFSET + 0x123456;
  const std::string text = explain_va(b, va, ExplainStyle::text);
  const uint64_t pa = b.state.PHYS_OFFSET + 0x123456;
  EXPECT_NE(text.find(fmt::format("=> PA {:#x}", pa)), std::string::npos) << text;
  EXPECT_NE(text.find("Linux's ptdump shows: 0xc0000000-"), std::string::npos) << text;
  EXPECT_NE(text.find(GetParam().lpae ? "top[31:30] | pmd[29:21]" : "pgd[31:20] | offset[19:0]"),
            std::string::npos)
      << text;
}

TEST_P(ExplainVaArmCase, UserAddressFaults) {
  const kernel::arm::ArmBoot b = testing::boot_qemu_case(GetParam());
  const std::string md = explain_va(b, 0x1000, ExplainStyle::markdown);
  // LPAE: Linux fills all four pgd entries with pmd tables, so the walk
  // reaches an empty pmd entry; the short format faults at once.
  EXPECT_NE(md.find(fmt::format("Result: translation fault at level {}.", GetParam().lpae ? 2 : 1)),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("Linux's ptdump shows: no mapping."), std::string::npos) << md;
}

INSTANTIATE_TEST_SUITE_P(Debian61, ExplainVaArmCase,
                         ::testing::Values(QemuCase{"vexpress-a9-1g-armmp", false, false},
                                           QemuCase{"virt-3g-armmp-lpae", true, true}),
                         [](const auto& param_info) {
                           return testing::test_name(param_info.param.dir);
                         });

TEST(ExplainVaArm, VectorsPageShowsLinuxsOwnPte) {
  const kernel::arm::ArmBoot b = testing::boot_qemu_case({"virt-1g-armmp", false, true});
  const std::string text = explain_va(b, 0xffff0000, ExplainStyle::text);
  EXPECT_NE(text.find("Level 2: index VA[19:12] = 0xf0 ;"), std::string::npos) << text;
  EXPECT_NE(text.find("small page at level 2, domain 3 client"), std::string::npos) << text;
  EXPECT_NE(text.find("Linux's own pte for it, PTE_HWTABLE_OFF (2048) bytes below"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("PTE USR ro x"), std::string::npos) << text;
  EXPECT_NE(text.find("domain VECTORS"), std::string::npos) << text;
}

}  // namespace
}  // namespace ptsim::report
