// The 6.1 arm boot model against Debian's armmp / armmp-lpae kernels booted
// under QEMU (tests/golden/arm/<case>/, captured right after paging_init and
// at the end of boot): the memblock=debug trace up to bootmem_init, the
// kernel page tables as ptdump shows them, and the lowmem variables.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "ptsim/report/ptdump_arm.h"
#include "report/arm_qemu_cases.h"

namespace ptsim::report {
namespace {

using testing::QemuCase;

const QemuCase kCases[] = {
    {"vexpress-a9-1g-armmp", false, false}, {"virt-1g-armmp", false, true},
    {"virt-2g-armmp", false, true},         {"virt-1g-vmalloc512m-armmp", false, true},
    {"virt-3g-armmp-lpae", true, true},
};

std::filesystem::path dir_of(const QemuCase& c) {
  return testing::qemu_case_dir(c);
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

kernel::arm::ArmBoot boot(const QemuCase& c, bool final_stage) {
  return testing::boot_qemu_case(c, final_stage);
}

// "[    0.000000] memblock_reserve: [...] arm_memblock_init+0x30/0x74" ->
// "memblock_reserve: [...] arm_memblock_init".
std::string without_prefix_and_offsets(const std::string& line) {
  static const std::regex stamp(R"(^\[ *[0-9.]+\] )");
  static const std::regex offset(R"(\+0x[0-9a-f]+/0x[0-9a-f]+)");
  return std::regex_replace(std::regex_replace(line, stamp, ""), offset, "");
}

class QemuGolden : public ::testing::TestWithParam<QemuCase> {};

TEST_P(QemuGolden, MemblockTraceUpToBootmemInit) {
  const QemuCase& c = GetParam();
  std::vector<std::string> want;
  for (const std::string& l : read_lines(dir_of(c) / "memblock-debug-until-paging_init.txt")) {
    const std::string s = without_prefix_and_offsets(l);
    // bootmem_init (free_area_init, the memmap and usemaps) is not modelled.
    if (s.find("memblock_alloc_try_nid_raw") != std::string::npos ||
        s.find("setup_usemap") != std::string::npos) {
      break;
    }
    want.push_back(s);
  }
  ASSERT_FALSE(want.empty());
  const kernel::arm::ArmBoot b = boot(c, false);
  std::vector<std::string> got;
  for (const std::string& l : b.dmesg) {
    if (l.rfind("memblock_", 0) == 0 || l.rfind("MEMBLOCK", 0) == 0 || l.rfind(" ", 0) == 0) {
      got.push_back(l);
    }
  }
  EXPECT_EQ(got, want);
}

TEST_P(QemuGolden, PtdumpAfterPagingInit) {
  const QemuCase& c = GetParam();
  const auto want = read_lines(dir_of(c) / "tables-paging_init-ptdump.txt");
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(ptdump_arm(boot(c, false)).lines, want);
}

// At the end of boot the vmalloc area holds what drivers mapped later; the
// kernel mapping is what fix_kernmem_perms and mark_rodata_ro made of it.
TEST_P(QemuGolden, KernelMappingAtTheEnd) {
  const QemuCase& c = GetParam();
  auto section = [](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    bool in = false;
    for (const std::string& l : lines) {
      if (l.rfind("---[", 0) == 0) {
        in = l == "---[ Kernel Mapping ]---";
        continue;
      }
      if (in) {
        out.push_back(l);
      }
    }
    return out;
  };
  const auto want = section(read_lines(dir_of(c) / "tables-final-ptdump.txt"));
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(section(ptdump_arm(boot(c, true)).lines), want);
}

TEST_P(QemuGolden, LowmemVariables) {
  const QemuCase& c = GetParam();
  const kernel::arm::ArmBoot b = boot(c, false);
  for (const std::string& l : read_lines(dir_of(c) / "variables.txt")) {
    if (l.rfind("# read with gdb at the final stop", 0) == 0) {
      break;
    }
    const size_t eq = l.find(" = ");
    if (l.empty() || l[0] == '#' || eq == std::string::npos) {
      continue;
    }
    const std::string name = l.substr(0, eq);
    const uint64_t want = std::stoull(l.substr(eq + 3), nullptr, 16);
    if (name == "arm_lowmem_limit") {
      EXPECT_EQ(b.state.arm_lowmem_limit, want);
    } else if (name == "high_memory") {
      EXPECT_EQ(b.state.high_memory, want);
    } else if (name == "kernel_sec_start") {
      EXPECT_EQ(b.state.kernel_sec_start, want);
    } else if (name == "kernel_sec_end") {
      EXPECT_EQ(b.state.kernel_sec_end, want);
    } else if (name == "memblock.current_limit") {
      EXPECT_EQ(b.memblock->current_limit(), want);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Debian61, QemuGolden, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<QemuCase>& param_info) {
                           return testing::test_name(param_info.param.dir);
                         });

}  // namespace
}  // namespace ptsim::report
