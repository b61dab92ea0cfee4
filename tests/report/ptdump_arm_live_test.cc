// ptdump_arm over a memory image against the running arm kernel's own
// kernel_page_tables: Debian's armmp and armmp-lpae 6.1 kernels printed
// their ptdump through
// arch/arm/mm/dump.c ptdump_walk_pgd() (called from a module, see
// tests/golden/arm/README.md "live_ptdump"), then QEMU was stopped and the
// pages dump.c reads (swapper_pg_dir and the page tables it points to) were
// saved as a small ELF core.  The dump of that core must be the kernel's
// text, line for line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/hw/mem_image.h"
#include "ptsim/report/ptdump_arm.h"

namespace ptsim::report {
namespace {

struct LiveCase {
  const char* dir;
  bool lpae;
};

std::string dir_of(const LiveCase& c) {
  return std::string(PTSIM_GOLDEN_DIR) + "/arm/" + c.dir + "/";
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// markers.txt: "0xADDR NAME" per line, as the module printed them.
std::vector<AddrMarker> markers(const std::string& dir) {
  std::vector<AddrMarker> out;
  for (const std::string& line : lines_of(dir + "markers.txt")) {
    const auto space = line.find(' ');
    out.push_back({std::stoull(line.substr(0, space), nullptr, 16), line.substr(space + 1)});
  }
  return out;
}

// pgd.txt: a comment, then "VA PA" of swapper_pg_dir.
uint64_t pgd_pa(const std::string& dir) {
  const std::vector<std::string> l = lines_of(dir + "pgd.txt");
  std::istringstream in(l.at(1));
  std::string va, pa;
  in >> va >> pa;
  return std::stoull(pa, nullptr, 16);
}

class PtdumpArmLive : public ::testing::TestWithParam<LiveCase> {};

TEST_P(PtdumpArmLive, MemoryImageGivesTheKernelsOwnText) {
  const std::string dir = dir_of(GetParam());
  hw::PhysMem mem;
  hw::load_elf_core(mem, dir + "tables.core");
  ArmPtdumpInput in;
  in.pgd = pgd_pa(dir);
  in.lpae = GetParam().lpae;
  in.markers = markers(dir);
  ASSERT_EQ(in.markers.size(), 7u);
  const std::vector<std::string> want = lines_of(dir + "kernel_page_tables.txt");
  ASSERT_GT(want.size(), 50u);
  const std::vector<std::string> got = ptdump_arm(mem, in).lines;
  EXPECT_EQ(got, want);
  for (size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
    if (got[i] != want[i]) {
      ADD_FAILURE() << "first difference at line " << i + 1 << ":\n  ptsim  " << got[i]
                    << "\n  kernel " << want[i];
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Debian61, PtdumpArmLive,
                         ::testing::Values(LiveCase{"live_ptdump", false},
                                           LiveCase{"live_ptdump-lpae", true}),
                         [](const ::testing::TestParamInfo<LiveCase>& param) {
                           return std::string(param.param.lpae ? "armmp_lpae" : "armmp");
                         });

}  // namespace
}  // namespace ptsim::report
