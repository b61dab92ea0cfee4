// ptdump_arm over a memory image against the running arm kernel's own
// kernel_page_tables: Debian's armmp 6.1 kernel printed its ptdump through
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

const std::string kDir = std::string(PTSIM_GOLDEN_DIR) + "/arm/live_ptdump/";

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

// markers.txt: "0xADDR NAME" per line, as the module printed them.
std::vector<AddrMarker> markers() {
  std::vector<AddrMarker> out;
  for (const std::string& line : lines_of(kDir + "markers.txt")) {
    const auto space = line.find(' ');
    out.push_back({std::stoull(line.substr(0, space), nullptr, 16), line.substr(space + 1)});
  }
  return out;
}

// pgd.txt: a comment, then "VA PA" of swapper_pg_dir.
uint64_t pgd_pa() {
  const std::vector<std::string> l = lines_of(kDir + "pgd.txt");
  std::istringstream in(l.at(1));
  std::string va, pa;
  in >> va >> pa;
  return std::stoull(pa, nullptr, 16);
}

TEST(PtdumpArmLive, MemoryImageGivesTheKernelsOwnText) {
  hw::PhysMem mem;
  hw::load_elf_core(mem, kDir + "tables.core");
  ArmPtdumpInput in;
  in.pgd = pgd_pa();
  in.markers = markers();
  ASSERT_EQ(in.markers.size(), 7u);
  const std::vector<std::string> want = lines_of(kDir + "kernel_page_tables.txt");
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

}  // namespace
}  // namespace ptsim::report
