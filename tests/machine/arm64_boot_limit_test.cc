// The boot refuses, before paging_init allocates a table, a machine whose
// tables could take more than Arm64Kernel::max_table_bytes(), and boots one
// just inside the limit (docs/limits.md).  No huge boot runs here: the
// largest machine is refused, the accepted one has 4 GiB.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "ptsim/error.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/machine/inputs.h"
#include "ptsim/machine/presets.h"

namespace ptsim::kernel::arm64 {
namespace {

constexpr uint64_t GiB = uint64_t{1} << 30;
constexpr uint64_t TiB = uint64_t{1} << 40;

std::unique_ptr<Arm64Kernel> kernel(uint64_t ram, unsigned page_shift, unsigned va_bits,
                                    const std::string& cmdline = "nokaslr", bool pa_52 = false) {
  KernelConfig config;
  config.page_shift = page_shift;
  config.va_bits = va_bits;
  CpuFeatures cpu;
  if (pa_52) {
    // CONFIG_ARM64_PA_BITS_52 on a CPU with FEAT_LVA and FEAT_LPA: all of
    // 256 TiB fits the 2^51-byte linear map and the physical address space.
    config.pa_bits = 52;
    cpu.parange_bits = 52;
    cpu.lva = true;
  }
  machine::Arm64BootRequest req;
  // QEMU virt's --ram stops at 255 GiB: a larger machine is a DTB.
  machine::Machine m = machine::machine_preset("virt").machine();
  m.memory.front().size = ram;
  // The blob's file is this process's own: ctest runs the tests of this
  // file in parallel, and one reading the blob while another rewrites it
  // would see it cut short.
  const std::string dtb = fmt::format("{}arm64_boot_limit_test_{}.dtb", testing::TempDir(),
                                      static_cast<long>(::getpid()));
  machine::write_dtb_file(m, dtb);
  req.machine.dtb = dtb;
  req.cmdline = cmdline;
  req.page_shift = page_shift;
  req.va_bits = va_bits;
  auto k = std::make_unique<Arm64Kernel>(config, cpu, machine::prepare_arm64_boot(req));
  std::remove(dtb.c_str());
  k->set_tracing(false);
  return k;
}

TEST(Arm64BootLimit, TheLargestMachineIsRefusedBeforeAnyTableIsAllocated) {
  // 256 TiB at 0x40000000, 64K pages, 52-bit VA, rodata=full: 32 GiB of tables.
  auto k = kernel(256 * TiB, 16, 52, "nokaslr", /*pa_52=*/true);
  try {
    k->boot(BootStage::final);
    FAIL() << "a boot needing 32 GiB of tables ran";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_NE(what.find("machine too large for ptsim's table memory limit"), std::string::npos)
        << what;
    EXPECT_NE(what.find("mapping 256 TiB of RAM page by page (rodata=full)"), std::string::npos)
        << what;
    EXPECT_NE(what.find("more than the limit of 1 GiB"), std::string::npos) << what;
    EXPECT_NE(what.find("(fix: give --max-table-memory 33G"), std::string::npos) << what;
  }
  EXPECT_EQ(k->table_pages(), 0u);
  EXPECT_LT(k->mem().backed_bytes(),
            16 * (uint64_t{1} << 20));  // the DTB and the image's own tables
}

TEST(Arm64BootLimit, AMachineJustInsideTheLimitBootsAndJustOutsideIsRefused) {
  auto probe = kernel(4 * GiB, 12, 48);
  probe->set_max_table_bytes(0);
  EXPECT_THROW(probe->boot(BootStage::final), Error);
  const uint64_t need = probe->table_estimate().pages() * 4096;

  auto outside = kernel(4 * GiB, 12, 48);
  outside->set_max_table_bytes(need - 1);
  EXPECT_THROW(outside->boot(BootStage::final), Error);
  EXPECT_EQ(outside->table_pages(), 0u);

  auto inside = kernel(4 * GiB, 12, 48);
  inside->set_max_table_bytes(need);
  inside->boot(BootStage::final);
  EXPECT_GT(inside->table_pages(), 2048u);  // 4 GiB page by page: 2048 pte tables
  EXPECT_LE(inside->table_pages(), inside->table_estimate().pages());
}

// The estimate is an upper bound of what the boot allocates, and not a loose
// one, for every configuration Linux allows, with and without rodata=full.
TEST(Arm64BootLimit, TheEstimateBoundsEveryConfigurationsTablePagesClosely) {
  for (const Arm64Config& c : arm64_valid_configs()) {
    for (const char* cmdline : {"nokaslr", "nokaslr rodata=on"}) {
      auto k = kernel(2 * GiB, c.page_shift, c.va_bits, cmdline);
      k->boot(BootStage::final);
      const uint64_t estimate = k->table_estimate().pages();
      const std::string what = k->geometry().describe() + ", " + cmdline;
      EXPECT_GE(estimate, k->table_pages()) << what;
      EXPECT_LE(estimate, 2 * k->table_pages() + 32) << what;
    }
  }
}

}  // namespace
}  // namespace ptsim::kernel::arm64
