// The ARMv7 walker against the tables the arm boot model writes: every
// mapping run the model's ptdump reports translates, through hw::arm
// translate() with the register values Linux 6.1 programs, to the same
// physical address, with the permissions ptdump's attribute words name.
// Page-level runs also keep their memory type (TEX remap or MAIR).
// Short-descriptor and LPAE boots of the Debian 6.1 QEMU machines, at
// paging_init and at the end of boot.
//
// Registers: kernel::arm::linux_mmu_registers, the values Linux 6.1
// programs (checked against a running kernel's in explain_va_arm_test.cc),
// but with every domain a client: DACR_INIT makes the user domain
// no-access for the kernel, which would hide the USR bits.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/kernel/arch/arm/mmu_registers.h"
#include "ptsim/report/ptdump_arm.h"
#include "report/arm_qemu_cases.h"

namespace ptsim::report {
namespace {

namespace arm = hw::arm;

constexpr uint32_t kAllClient = 0x55555555;

// Linux's registers (kernel/arch/arm/mmu_registers.h) with every domain a
// client, so that AP alone decides.
arm::Registers linux_registers(const kernel::arm::ArmBoot& b) {
  arm::Registers r = kernel::arm::linux_mmu_registers(b);
  r.dacr = kAllClient;
  return r;
}

bool has(const ArmMappingRun& run, const char* word) {
  return std::find(run.attrs.begin(), run.attrs.end(), word) != run.attrs.end();
}

// Checks one VA of a run: the PA, and the permissions the words name.
void check_va(const hw::PhysMem& mem, const arm::Regime& regime, const ArmMappingRun& run,
              uint32_t va) {
  const std::string where = fmt::format("VA {:#010x} of run {:#x}-{:#x} ({} {})", va, run.va_start,
                                        run.va_end, run.level, fmt::join(run.attrs, " "));
  const arm::Translation t = arm::translate(mem, regime, va, {false, arm::AccessType::read});
  ASSERT_TRUE(t.ok()) << where << ": " << arm::fault_kind_name(t.fault) << " at level " << t.level;
  EXPECT_EQ(t.pa.value(), run.pa_start + (va - run.va_start)) << where;
  const bool writable = has(run, "RW");
  EXPECT_EQ(t.perms.el1_write, writable) << where;
  EXPECT_EQ(t.perms.el1_exec, !has(run, "NX") && !(regime.wxn() && writable)) << where;
  EXPECT_EQ(t.perms.el0_read, has(run, "USR")) << where;
  // The memory type words of a page-level run (dump.c pte_bits), through
  // TEX remap or MAIR as Linux programs them.
  const struct {
    const char* word;
    arm::MemoryType type;
    arm::CacheAttribute inner;
  } kTypes[] = {
      {"MEM/CACHED/WBWA", arm::MemoryType::normal, arm::CacheAttribute::write_back_write_allocate},
      {"MEM/BUFFERABLE/WC", arm::MemoryType::normal, arm::CacheAttribute::non_cacheable},
      {"DEV/SHARED", arm::MemoryType::device, arm::CacheAttribute::non_cacheable},
      {"SO/UNCACHED", arm::MemoryType::strongly_ordered, arm::CacheAttribute::non_cacheable},
  };
  for (const auto& k : kTypes) {
    if (has(run, k.word)) {
      EXPECT_EQ(t.memattrs.type, k.type) << where;
      EXPECT_EQ(t.memattrs.inner, k.inner) << where;
    }
  }
}

class WalkerAgainstBoot : public ::testing::TestWithParam<std::tuple<testing::QemuCase, bool>> {};

TEST_P(WalkerAgainstBoot, EveryPtdumpRunTranslatesToItsPhysicalAddress) {
  const auto& [c, final_stage] = GetParam();
  const kernel::arm::ArmBoot b = testing::boot_qemu_case(c, final_stage);
  const arm::Regime regime = arm::Regime::from_registers(linux_registers(b));
  ASSERT_EQ(regime.lpae(), c.lpae);
  const ArmPtdump dump = ptdump_arm(b);
  ASSERT_FALSE(dump.runs.empty());
  uint64_t checked = 0;
  for (const ArmMappingRun& run : dump.runs) {
    // Every page of a page-mapped run, every section or block of the others,
    // and the last byte.
    const uint64_t step = run.level == "PTE" ? 4096 : (c.lpae ? 2u << 20 : 1u << 20);
    for (uint64_t va = run.va_start; va < run.va_end; va += step) {
      check_va(*b.mem, regime, run, static_cast<uint32_t>(va));
      ++checked;
    }
    check_va(*b.mem, regime, run, static_cast<uint32_t>(run.va_end - 1));
    if (::testing::Test::HasFailure()) {
      return;
    }
  }
  EXPECT_GT(checked, 256u);
}

INSTANTIATE_TEST_SUITE_P(
    Debian61, WalkerAgainstBoot,
    ::testing::Combine(::testing::Values(testing::QemuCase{"vexpress-a9-1g-armmp", false, false},
                                         testing::QemuCase{"virt-2g-armmp", false, true},
                                         testing::QemuCase{"virt-3g-armmp-lpae", true, true}),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<testing::QemuCase, bool>>& p) {
      return testing::test_name(std::get<0>(p.param).dir) +
             (std::get<1>(p.param) ? "_final" : "_paging_init");
    });

}  // namespace
}  // namespace ptsim::report

namespace ptsim::report {
namespace {

// ptdump from a memory image and a pgd address alone (what `ptsim ptdump
// --arch armv7 --mem` does) prints what the boot model's own dump prints,
// markers included: VMALLOC_START is found from the end of the linear map.
class PtdumpFromMemory : public ::testing::TestWithParam<testing::QemuCase> {};

TEST_P(PtdumpFromMemory, MatchesTheBootModelsDump) {
  const testing::QemuCase& c = GetParam();
  const kernel::arm::ArmBoot b = testing::boot_qemu_case(c, true);
  const ArmPtdump want = ptdump_arm(b);
  const ArmPtdump got = ptdump_arm_from_memory(*b.mem, b.pgd(), c.lpae);
  EXPECT_EQ(got.lines, want.lines);
  EXPECT_EQ(got.runs, want.runs);
}

INSTANTIATE_TEST_SUITE_P(Debian61, PtdumpFromMemory,
                         ::testing::Values(testing::QemuCase{"vexpress-a9-1g-armmp", false, false},
                                           testing::QemuCase{"virt-1g-vmalloc512m-armmp", false,
                                                             true},
                                           testing::QemuCase{"virt-3g-armmp-lpae", true, true}),
                         [](const ::testing::TestParamInfo<testing::QemuCase>& param_info) {
                           return testing::test_name(param_info.param.dir);
                         });

}  // namespace
}  // namespace ptsim::report
