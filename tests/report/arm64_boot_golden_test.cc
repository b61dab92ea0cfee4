// The arm64 boot model against Debian's 6.1 kernel booted under QEMU virt
// (tests/golden/arm64, captured by scripts/golden/arm64): the memblock=debug
// trace up to the end of paging_init, and every mapping of the tables at
// that moment, must be the same.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/machine/cmdline.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/report/arm64_boot_report.h"

namespace ptsim {
namespace {

using kernel::arm64::Arm64Kernel;
using kernel::arm64::BootStage;

const std::string kGolden = std::string(PTSIM_GOLDEN_DIR) + "/arm64/";

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The boot of a captured case, stopped where the capture stopped.
std::unique_ptr<Arm64Kernel> boot_case(const std::string& name, BootStage stage) {
  const std::string dir = kGolden + name + "/";
  const std::vector<uint8_t> dtb = read_bytes(dir + "virt.dtb");
  const machine::Machine m = machine::read_dtb(dtb, "virt.dtb");
  std::string cmdline = read_text(dir + "cmdline.txt");
  while (!cmdline.empty() && (cmdline.back() == '\n' || cmdline.back() == ' ')) {
    cmdline.pop_back();
  }
  // The subset keeps System.map's lines under a header of '#' comments.
  std::string map_text;
  for (const std::string& l : read_lines(kGolden + "System.map.subset")) {
    if (!l.empty() && l[0] != '#') {
      map_text += l + "\n";
    }
  }
  const auto symbols = machine::SymbolTable::parse(map_text, "System.map.subset");
  // QEMU loads the Image 2 MiB into RAM and the DTB after the initrd
  // (tests/golden/arm64/README.md).
  auto inputs = machine::arm64_boot_inputs(m, dtb, 0x48200000, machine::parse_command_line(cmdline),
                                           symbols, 0x40200000);
  auto k = std::make_unique<Arm64Kernel>(kernel::arm64::KernelConfig{},
                                         kernel::arm64::CpuFeatures{}, std::move(inputs));
  k->boot(stage);
  return k;
}

// memblock=debug lines of the serial log printed before the paging_init
// stop, without the timestamp and with callers as bare function names.
std::vector<std::string> golden_memblock_trace(const std::string& name) {
  const std::vector<std::string> stop =
      read_lines(kGolden + name + "/paging_init/serial-lines.txt");
  const size_t n = std::stoul(stop.back());
  const std::vector<std::string> serial = read_lines(kGolden + name + "/serial.log");
  const std::regex line(
      R"(^\[ *[0-9.]+\] (memblock_[a-z_]+: .*) ([A-Za-z0-9_.]+)\+0x[0-9a-f]+/0x[0-9a-f]+$)");
  std::vector<std::string> out;
  for (size_t i = 0; i < n && i < serial.size(); ++i) {
    std::smatch match;
    if (std::regex_match(serial[i], match, line)) {
      out.push_back(match[1].str() + " " + match[2].str());
    }
  }
  return out;
}

// Arm ARM words for a leaf, in the order the golden walker prints them.
std::string arm_words(const hw::arm64::Leaf& leaf) {
  const uint64_t d = leaf.desc;
  static constexpr const char* sh[] = {"NSH", "SH?", "OSH", "ISH"};
  std::string w = fmt::format("AP={}{} AttrIndx={} SH={} {}", (d >> 7) & 1, (d >> 6) & 1,
                              (d >> 2) & 7, sh[(d >> 8) & 3], (d & (1ull << 10)) ? "AF" : "noAF");
  const std::pair<int, const char*> bits[] = {{11, "nG"}, {52, "CONT"}, {53, "PXN"}, {54, "UXN"},
                                              {50, "GP"}, {51, "DBM"},  {5, "NS"}};
  for (const auto& [bit, name] : bits) {
    if (d & (1ull << bit)) {
      w += fmt::format(" {}", name);
    }
  }
  if (const uint64_t sw = (d >> 55) & 0xf) {
    w += fmt::format(" SW={:#x}", sw);
  }
  if (leaf.table_bits != 0) {
    std::vector<std::string> t;
    if (leaf.table_bits & (1ull << 59))
      t.push_back("PXNTable");
    if (leaf.table_bits & (1ull << 60))
      t.push_back("UXNTable");
    if (const uint64_t apt = (leaf.table_bits >> 61) & 3)
      t.push_back(fmt::format("APTable={}{}", apt >> 1, apt & 1));
    if (leaf.table_bits & (1ull << 63))
      t.push_back("NSTable");
    w += " table:" + fmt::format("{}", fmt::join(t, ","));
  }
  return w;
}

// Runs as the golden walker merges them: same level and non-address bits,
// same table bits, physically contiguous.
std::vector<std::string> runs_of(const Arm64Kernel& k, const std::string& root_name) {
  const auto roots = k.roots();
  const auto root =
      std::find_if(roots.begin(), roots.end(), [&](const auto& r) { return r.name == root_name; });
  EXPECT_NE(root, roots.end()) << root_name;
  hw::arm64::WalkRequest req;
  req.format.granule = hw::arm64::Granule::k4K;
  req.table_base = hw::PhysAddr(root->pa);
  req.ia_bits = root->ia_bits;
  req.upper_half = root->upper_half;
  const uint64_t oa_mask = hw::genmask(47, 12);
  std::vector<std::string> out;
  struct Run {
    hw::arm64::Leaf first;
    uint64_t end;
    uint64_t pa_next;
  };
  std::optional<Run> run;
  const auto flush = [&] {
    if (run) {
      static constexpr const char* levels[] = {"PGD", "PUD", "PMD", "PTE"};
      out.push_back(fmt::format("{:#018x} {:#018x} {:#012x} {} {}", run->first.va, run->end,
                                run->first.oa.value(), levels[run->first.level],
                                arm_words(run->first)));
    }
  };
  hw::arm64::for_each_leaf(k.mem(), req,
                           {[&](const hw::arm64::Leaf& l) {
                              if (run && run->end == l.va && run->first.level == l.level &&
                                  (run->first.desc & ~oa_mask) == (l.desc & ~oa_mask) &&
                                  run->first.table_bits == l.table_bits &&
                                  run->pa_next == l.oa.value()) {
                                run->end += l.size;
                                run->pa_next += l.size;
                                return;
                              }
                              flush();
                              run = Run{l, l.va + l.size, l.oa.value() + l.size};
                            },
                            {},
                            {}});
  flush();
  return out;
}

std::vector<std::string> golden_runs(const std::string& path) {
  std::vector<std::string> out;
  const std::regex line(R"(^(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (\w+) +\S+ (.*)$)");
  for (const std::string& l : read_lines(path)) {
    std::smatch m;
    if (!l.empty() && l[0] != '#' && std::regex_match(l, m, line)) {
      out.push_back(fmt::format("{} {} {:#012x} {} {}", m[1].str(), m[2].str(),
                                std::stoull(m[3].str(), nullptr, 16), m[4].str(), m[5].str()));
    }
  }
  return out;
}

void expect_same(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  const size_t n = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < n; ++i) {
    ASSERT_EQ(expected[i], actual[i]) << "line " << i;
  }
  EXPECT_EQ(expected.size(), actual.size());
}

class Arm64Golden : public testing::TestWithParam<std::string> {};

TEST_P(Arm64Golden, MemblockTraceUpToPagingInitMatchesTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  expect_same(golden_memblock_trace(GetParam()), k->memblock_debug_lines());
}

TEST_P(Arm64Golden, SwapperPgDirAtPagingInitMatchesTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  expect_same(golden_runs(kGolden + GetParam() + "/paging_init/swapper_pg_dir.runs.txt"),
              runs_of(*k, "swapper_pg_dir"));
}

TEST_P(Arm64Golden, IdmapAtPagingInitMatchesTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  expect_same(golden_runs(kGolden + GetParam() + "/paging_init/idmap_pg_dir.runs.txt"),
              runs_of(*k, "idmap_pg_dir"));
  expect_same(golden_runs(kGolden + GetParam() + "/paging_init/init_idmap_pg_dir.runs.txt"),
              runs_of(*k, "init_idmap_pg_dir"));
  expect_same(golden_runs(kGolden + GetParam() + "/paging_init/init_pg_dir.runs.txt"),
              runs_of(*k, "init_pg_dir"));
}

// memblock's arrays as the kernel's own struct memblock held them at the
// paging_init stop: "   0: 0x..0x.. flags=0x0 nid=16" per region.
std::vector<std::string> golden_memblock(const std::string& name) {
  std::vector<std::string> out;
  bool in_detail = false;
  for (const std::string& l : read_lines(kGolden + name + "/paging_init/memblock.txt")) {
    if (l.rfind("=====", 0) == 0) {
      in_detail = false;
      out.push_back(l.substr(0, l.find(" regions=")));
      continue;
    }
    if (l.rfind("-----", 0) == 0) {
      in_detail = true;
      continue;
    }
    if (in_detail) {
      out.push_back(l);
    }
  }
  return out;
}

std::vector<std::string> memblock_of(const Arm64Kernel& k) {
  std::vector<std::string> out;
  for (const kernel::memblock_type* t : {&k.memblock().memory(), &k.memblock().reserved()}) {
    out.push_back(fmt::format("===== {} (cnt={} max={} total_size={:#x}", t->name, t->cnt, t->max,
                              t->total_size));
    for (unsigned long i = 0; i < t->cnt; ++i) {
      const kernel::memblock_region& r = t->regions[i];
      out.push_back(fmt::format("{:4}: {:#018x}..{:#018x} flags={:#x} nid={}", i, r.base,
                                r.base + r.size - 1, r.flags, r.nid));
    }
  }
  return out;
}

TEST_P(Arm64Golden, MemblockArraysAtPagingInitMatchTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  expect_same(golden_memblock(GetParam()), memblock_of(*k));
}

// The final tables in the ranges the late-boot model covers: the kernel
// image and the linear map (tests/golden/arm64/README.md lists what else
// changes after paging_init and why it is out of scope).
std::vector<std::string> in_range(const std::vector<std::string>& runs, uint64_t lo, uint64_t hi) {
  std::vector<std::string> out;
  for (const std::string& r : runs) {
    const uint64_t va = std::stoull(r.substr(0, 18), nullptr, 16);
    if (va >= lo && va < hi) {
      out.push_back(r);
    }
  }
  return out;
}

TEST_P(Arm64Golden, KernelImageAtTheEndOfBootMatchesTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::final);
  const uint64_t lo = k->va_symbol("_stext");
  const uint64_t hi = k->va_symbol("_end");
  expect_same(
      in_range(golden_runs(kGolden + GetParam() + "/final/swapper_pg_dir.runs.txt"), lo, hi),
      in_range(runs_of(*k, "swapper_pg_dir"), lo, hi));
}

// The linear map at the end of boot: mark_linear_text_alias_ro made the
// kernel's alias read-only.  The running kernel later made single pages of
// vmalloc'd memory read-only with set_memory_ro(), which with rodata_full
// reaches their linear alias (README: out of scope).  Such a page splits a
// run of the capture into three; those triples are joined back before the
// comparison, and nothing else is forgiven.
std::vector<std::string> without_later_set_memory_ro(const std::vector<std::string>& runs) {
  const std::regex run(R"(^(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (\w+) (.*)$)");
  std::vector<std::smatch> m(runs.size());
  for (size_t i = 0; i < runs.size(); ++i) {
    std::regex_match(runs[i], m[i], run);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < runs.size(); ++i) {
    const bool lone_ro_page =
        i > 0 && i + 1 < runs.size() &&
        std::stoull(m[i][2].str(), nullptr, 16) - std::stoull(m[i][1].str(), nullptr, 16) == 4096 &&
        m[i][5].str().rfind("AP=10 AttrIndx=1", 0) == 0 && m[i - 1][5] == m[i + 1][5];
    if (lone_ro_page) {
      out.back() = fmt::format("{} {} {} {} {}", m[i - 1][1].str(), m[i + 1][2].str(),
                               m[i - 1][3].str(), m[i - 1][4].str(), m[i - 1][5].str());
      ++i;
      continue;
    }
    out.push_back(runs[i]);
  }
  return out;
}

TEST_P(Arm64Golden, LinearMapAtTheEndOfBootMatchesTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::final);
  const uint64_t lo = k->layout().page_offset;
  const uint64_t hi = k->layout().page_end;
  expect_same(without_later_set_memory_ro(in_range(
                  golden_runs(kGolden + GetParam() + "/final/swapper_pg_dir.runs.txt"), lo, hi)),
              in_range(runs_of(*k, "swapper_pg_dir"), lo, hi));
}

// ptdump of swapper_pg_dir at the paging_init stop: the text Linux's
// arch/arm64/mm/ptdump.c would print, line for line.
TEST_P(Arm64Golden, PtdumpAtPagingInitMatchesTheRealKernelsTables) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  std::vector<std::string> actual;
  std::istringstream text(report::arm64_boot_ptdump(*k));
  for (std::string line; std::getline(text, line);) {
    actual.push_back(line);
  }
  expect_same(read_lines(kGolden + GetParam() + "/paging_init/swapper_pg_dir.ptdump.txt"), actual);
}

// --json's tables.<root>.mappings against the capture's, for every root.
TEST_P(Arm64Golden, JsonMappingsAtPagingInitMatchTheRealKernel) {
  const auto k = boot_case(GetParam(), BootStage::paging_init);
  for (const auto& root : k->roots()) {
    std::ifstream in(kGolden + GetParam() + "/paging_init/" + root.name + ".mappings.json");
    ASSERT_TRUE(in) << root.name;
    const nlohmann::json expected = nlohmann::json::parse(in);
    const nlohmann::json actual = report::arm64_root_mappings(*k, root);
    ASSERT_EQ(expected["mappings"].size(), actual["mappings"].size()) << root.name;
    for (size_t i = 0; i < expected["mappings"].size(); ++i) {
      ASSERT_EQ(expected["mappings"][i], actual["mappings"][i]) << root.name << " run " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Qemu, Arm64Golden,
                         testing::Values("virt-1g", "virt-1g-rodata-on", "virt-2g",
                                         "virt-2g-mem768m", "virt-5g", "virt-1g-kaslr"),
                         [](const auto& param_info) {
                           std::string n = param_info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace ptsim
