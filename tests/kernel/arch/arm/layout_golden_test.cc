// mem_init's "Virtual kernel memory layout" against real boot logs
// (tests/golden/arm/layout/*.txt): the same RAM, split, HIGHMEM/LPAE
// choice, command line and section symbols must give the same lines.  The
// section symbols are read back from the print itself (.text is
// _text.._etext, .init __init_begin..__init_end, .data _sdata.._edata, .bss
// __bss_start..__bss_stop); the rest of each boot is in the table below,
// taken from the files' headers.  sun8i-1g-3.4bsp and versatilepb-3.10.0-rc3
// print the pre-3.15 fixmap (0xfff00000-0xfffe0000), which no profile models.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {
namespace {

struct LayoutCase {
  const char* file;
  const char* profile;
  std::vector<ArmMemoryBank> ram;
  unsigned vmsplit;
  bool highmem;
  bool lpae;
  const char* cmdline;
};

const std::vector<LayoutCase>& cases() {
  static const std::vector<LayoutCase> all = {
      {"novena-imx6q-3.17.txt",
       "3.18",
       {{0x10000000, 0xf0000000}},
       3,
       true,
       false,
       "console=ttymxc1,115200 rootwait rw console=tty0"},
      {"vexpress-ca9-2g2g-512m.txt",
       "3.18",
       {{0x60000000, 0x20000000}},
       2,
       false,
       false,
       "root=/dev/mmcblk0 console=ttyAMA0"},
      {"jornada720-3.16.81.txt",
       "3.18",
       {{0xc0000000, 0x04000000}},
       3,
       false,
       false,
       "root=/dev/hda2 mem=32m rootdelay=2 console=ttySA0,115200n8"},
      {"rpi1-3.x-192m.txt",
       "3.18",
       {{0x00000000, 0x0c000000}},
       3,
       false,
       false,
       "console=ttyAMA0,115200"},
      {"imx6ull-4.1.15-vmsplit2g.txt",
       "4.3",
       {{0x80000000, 0x20000000}},
       2,
       true,
       false,
       "noinitrd console=ttymxc0,115200"},
      {"nokia-n9-4.9.txt",
       "4.14",
       {{0x80000000, 0x3fe00000}},
       3,
       true,
       false,
       "root=/dev/nfs rootdelay=5 rw console=tty0 console=ttyS0,115200n8 loglevel=8"},
      {"rpi2-4.x-nohighmem.txt",
       "4.14",
       {{0x00000000, 0x3b000000}},
       3,
       false,
       false,
       "console=ttyAMA0,115200"},
      {"kzm9d-4.6.0.txt",
       "4.14",
       {{0x40000000, 0x08000000}},
       3,
       true,
       false,
       "console=ttyS1,115200n81 ignore_loglevel root=/dev/nfs ip=dhcp"},
      {"iwg20m-4.4.69-cip4-vmalloc384m.txt",
       "4.14",
       {{0x40000000, 0x20000000}, {0x200000000, 0x20000000}},
       3,
       true,
       true,
       "console=ttySC0,115200n8 ignore_loglevel vmalloc=384M root=/dev/mmcblk0p2 rw rootwait"},
  };
  return all;
}

std::vector<std::string> read_print(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') {
      lines.push_back(line);
    }
  }
  return lines;
}

// "      .text : 0xc0008000 - 0xc0a05394   (10229 kB)" -> the two addresses.
std::pair<uint32_t, uint32_t> section(const std::vector<std::string>& lines, const char* name) {
  for (const std::string& l : lines) {
    const size_t at = l.find(std::string(name) + " : 0x");
    if (at == std::string::npos) {
      continue;
    }
    const size_t a = l.find("0x", at);
    const size_t b = l.find("0x", a + 2);
    return {static_cast<uint32_t>(std::stoul(l.substr(a), nullptr, 16)),
            static_cast<uint32_t>(std::stoul(l.substr(b), nullptr, 16))};
  }
  ADD_FAILURE() << "no " << name << " line";
  return {0, 0};
}

class LayoutGolden : public ::testing::TestWithParam<size_t> {};

TEST_P(LayoutGolden, ReproducesTheRealPrintLineForLine) {
  const LayoutCase& c = cases()[GetParam()];
  const std::vector<std::string> want =
      read_print(std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm" / "layout" / c.file);
  ASSERT_FALSE(want.empty()) << c.file;
  ArmBootInput in;
  in.config.version = parse_arm_version(c.profile);
  in.config.vmsplit_user_gib = c.vmsplit;
  in.config.highmem = c.highmem;
  in.config.lpae = c.lpae;
  in.memory = c.ram;
  in.cmdline = c.cmdline;
  std::tie(in.image.text, in.image.etext) = section(want, ".text");
  std::tie(in.image.init_begin, in.image.init_end) = section(want, ".init");
  std::tie(in.image.sdata, in.image.edata) = section(want, ".data");
  std::tie(in.image.bss_start, in.image.bss_stop) = section(want, ".bss");
  in.image.stext = in.image.text;  // not in the print; only the tables depend on it
  in.image.end = in.image.bss_stop;
  const ArmBoot b = run_arm_boot(in);
  EXPECT_EQ(mem_init_layout_lines(b), want) << c.file;
}

INSTANTIATE_TEST_SUITE_P(RealBootLogs, LayoutGolden, ::testing::Range<size_t>(0, 9),
                         [](const ::testing::TestParamInfo<size_t>& param_info) {
                           std::string name = cases()[param_info.param].file;
                           name = name.substr(0, name.find(".txt"));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) {
                               ch = '_';
                             }
                           }
                           return name;
                         });

// Every print in the directory is either reproduced or named above as one
// no profile can give.
TEST(LayoutGoldenTable, CoversEveryFileInTheDirectory) {
  const std::vector<std::string> unreproducible = {"sun8i-1g-3.4bsp.txt",
                                                   "versatilepb-3.10.0-rc3.txt"};
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm" / "layout")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".txt") {
      continue;
    }
    const bool listed =
        std::any_of(cases().begin(), cases().end(),
                    [&](const LayoutCase& c) { return name == c.file; }) ||
        std::find(unreproducible.begin(), unreproducible.end(), name) != unreproducible.end();
    EXPECT_TRUE(listed) << name << " is neither tested nor listed as unreproducible";
  }
}

}  // namespace
}  // namespace ptsim::kernel::arm
