// The --layout table against Documentation/arm64/memory.rst (v6.1), "4KB
// pages + 4 levels (48-bit)" (the kasan row does not apply: no KASAN).
#include <gtest/gtest.h>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/report/arm64_boot_report.h"

namespace ptsim::report {
namespace {

TEST(Arm64Layout, MatchesMemoryRstFor4KPages48BitVa) {
  kernel::arm64::Arm64Kernel k({}, {}, machine::prepare_arm64_boot({}));
  k.set_tracing(false);
  k.boot(kernel::arm64::BootStage::paging_init);
  const std::string text = arm64_layout_text(k);
  for (const char* row : {
           "  0000000000000000\t0000ffffffffffff\t 256TB\t\tuser\n",
           "  ffff000000000000\tffff7fffffffffff\t 128TB\t\tkernel logical memory map\n",
           "  ffff800000000000\tffff800007ffffff\t 128MB\t\tmodules\n",
           "  ffff800008000000\tfffffbffefffffff\t 124TB\t\tvmalloc\n",
           "  fffffbfff0000000\tfffffbfffdffffff\t 224MB\t\tfixed mappings (top down)\n",
           "  fffffbfffe000000\tfffffbfffe7fffff\t   8MB\t\t[guard region]\n",
           "  fffffbfffe800000\tfffffbffff7fffff\t  16MB\t\tPCI I/O space\n",
           "  fffffbffff800000\tfffffbffffffffff\t   8MB\t\t[guard region]\n",
           "  fffffc0000000000\tfffffdffffffffff\t   2TB\t\tvmemmap\n",
           "  fffffe0000000000\tffffffffffffffff\t   2TB\t\t[guard region]\n",
       }) {
    EXPECT_NE(text.find(row), std::string::npos) << row << "\nin:\n" << text;
  }
  // FIXADDR_START from enum fixed_addresses: 0x40b slots below FIXADDR_TOP,
  // as the vmlinux DWARF of Debian's kernel gives (tests/golden/arm64/README.md).
  EXPECT_EQ(k.layout().fixaddr_start, 0xfffffbfffdbf5000u);
  EXPECT_EQ(k.layout().fix.end_of_permanent_fixed_addresses, 0x40b);
}

}  // namespace
}  // namespace ptsim::report
