// mem_init's "Virtual kernel memory layout" against real boot logs
// (tests/golden/arm/layout/*.txt): the same RAM, split, HIGHMEM choice,
// command line and section symbols must give the same lines.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {
namespace {

struct Golden {
  std::map<std::string, std::string> header;
  std::vector<std::string> lines;
};

Golden read_golden(const std::filesystem::path& path) {
  std::ifstream in(path);
  Golden g;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# ", 0) == 0) {
      const size_t colon = line.find(": ");
      g.header[line.substr(2, colon - 2)] = line.substr(colon + 2);
      continue;
    }
    g.lines.push_back(line);
  }
  return g;
}

ArmBootInput input_for(const Golden& g) {
  ArmBootInput in;
  in.config.version = parse_arm_version(g.header.at("profile"));
  in.config.vmsplit_user_gib = parse_vmsplit(g.header.at("vmsplit"));
  in.config.highmem = g.header.at("highmem") == "yes";
  std::istringstream ram(g.header.at("ram"));
  std::string base, size;
  ram >> base >> size;
  in.memory = {{std::stoull(base, nullptr, 16), std::stoull(size, nullptr, 16)}};
  in.cmdline = g.header.at("cmdline");
  std::map<std::string, uint32_t> sym;
  std::istringstream syms(g.header.at("symbols"));
  for (std::string kv; syms >> kv;) {
    const size_t eq = kv.find('=');
    sym[kv.substr(0, eq)] = static_cast<uint32_t>(std::stoul(kv.substr(eq + 1), nullptr, 16));
  }
  ArmKernelImage& img = in.image;
  img.text = sym.at("_text");
  img.stext = img.text;  // not in the print; only the tables depend on it
  img.etext = sym.at("_etext");
  img.init_begin = sym.at("__init_begin");
  img.init_end = sym.at("__init_end");
  img.sdata = sym.at("_sdata");
  img.edata = sym.at("_edata");
  img.bss_start = sym.at("__bss_start");
  img.bss_stop = sym.at("__bss_stop");
  img.end = img.bss_stop;
  return in;
}

class LayoutGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutGolden, ReproducesTheRealPrintLineForLine) {
  const std::filesystem::path path =
      std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm" / "layout" / GetParam();
  const Golden g = read_golden(path);
  ASSERT_FALSE(g.lines.empty()) << path;
  const ArmBoot b = run_arm_boot(input_for(g));
  EXPECT_EQ(mem_init_layout_lines(b), g.lines) << g.header.at("source");
}

INSTANTIATE_TEST_SUITE_P(RealBootLogs, LayoutGolden,
                         ::testing::Values("novena-imx6q-3.17.txt", "vexpress-ca9-2g2g-512m.txt",
                                           "jornada720-3.16.81-mem32m.txt", "rpi1-3.x-192m.txt",
                                           "nokia-n9-4.9.txt", "rpi2-4.x-nohighmem.txt"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find(".txt"));
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) {
                               c = '_';
                             }
                           }
                           return name;
                         });

}  // namespace
}  // namespace ptsim::kernel::arm
