// The HTML map's models of real boots: the regions of each layout, one
// walk per mapping that ends in the mapping's own leaf, the physical map,
// the table cost, and the diff page.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/report/arm_boot_report.h"
#include "ptsim/report/boot_diff.h"
#include "ptsim/report/html/arm64_map.h"
#include "ptsim/report/html/arm_map.h"
#include "ptsim/report/html/page.h"
#include "ptsim/report/ptdump_arm.h"
#include "report/small_arm64_boot.h"

namespace ptsim::report::html {
namespace {

using kernel::arm64::Arm64Kernel;
using report::small_arm64_boot;

std::unique_ptr<Arm64Kernel> boot_arm64(unsigned page_shift = 12) {
  return small_arm64_boot("nokaslr rodata=full", page_shift);
}

std::set<std::string> region_names(const MapModel& m) {
  std::set<std::string> names;
  for (const Region& r : m.regions) {
    names.insert(r.name);
    EXPECT_LE(r.first, r.last) << r.name;
  }
  return names;
}

const Region& region(const MapModel& m, const std::string& name) {
  const auto it = std::find_if(m.regions.begin(), m.regions.end(),
                               [&](const Region& r) { return r.name == name; });
  EXPECT_NE(it, m.regions.end()) << name;
  return *it;
}

bool has_phys(const MapModel& m, const std::string& kind) {
  return std::any_of(m.phys.begin(), m.phys.end(),
                     [&](const PhysRange& p) { return p.kind == kind; });
}

// Every mapping's walk starts at its root's top table and ends in a leaf
// of the mapping's kind; mappings are in VA order within each root.
void expect_walks_end_in_leaves(const MapModel& m, size_t max_rows) {
  for (const Mapping& x : m.mappings) {
    const std::string where = fmt::format("{} {:#x}-{:#x}", x.root, x.first, x.last);
    ASSERT_FALSE(x.walk.empty()) << where;
    ASSERT_LE(x.walk.size(), max_rows) << where;
    for (size_t i = 0; i + 1 < x.walk.size(); ++i) {
      EXPECT_TRUE(x.walk[i].kind == "table" || x.walk[i].kind == "page table") << where;
    }
    const std::string leaf = x.walk.back().kind;
    if (x.kind == "page") {
      EXPECT_NE(leaf.find("page"), std::string::npos) << where << " ends in " << leaf;
    } else {
      EXPECT_TRUE(leaf == "block" || leaf == "section" || leaf == "supersection")
          << where << " " << leaf;
    }
  }
}

TEST(HtmlBootMap, Arm64HasMemoryRstRegionsTheImageAndTheIdmap) {
  const auto k = boot_arm64();
  const MapModel m = arm64_map_model(*k);
  EXPECT_EQ(region_names(m),
            (std::set<std::string>{"user", "linear map", "modules", "vmalloc", "kernel image",
                                   "fixmap", "PCI I/O", "vmemmap", "idmap"}));
  EXPECT_EQ(region(m, "linear map").first, k->layout().page_offset);
  EXPECT_EQ(region(m, "kernel image").first, k->va_symbol("_text"));
  EXPECT_EQ(region(m, "user").last, 0x0000ffffffffffffu);
  const Region& idmap = region(m, "idmap");
  EXPECT_LE(idmap.first, k->pa_symbol("__idmap_text_start")) << "the idmap maps VA == PA";
  EXPECT_GT(idmap.last, k->pa_symbol("__idmap_text_start"));
}

TEST(HtmlBootMap, Arm64WalksAreTheMmusAndEndInTheMappingsLeaf) {
  const auto k = boot_arm64();
  const MapModel m = arm64_map_model(*k);
  ASSERT_GT(m.mappings.size(), 5u);
  expect_walks_end_in_leaves(m, 4);
  std::set<std::string> kinds;
  for (const Mapping& x : m.mappings) {
    kinds.insert(x.contiguous ? "contiguous" : x.kind);
    if (x.root == "swapper_pg_dir") {
      EXPECT_EQ(x.walk.front().table, k->registers().ttbr1_el1) << "walks start at TTBR1_EL1";
      EXPECT_EQ(x.walk.front().level, "L0 PGD");
      EXPECT_EQ(x.walk.size(), x.level == "PTE" ? 4u : 3u);
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"block", "page", "contiguous"}));
  // The kernel text is read-only and executable, the linear map RW NX.
  const auto at = [&](uint64_t va) {
    return *std::find_if(m.mappings.begin(), m.mappings.end(), [&](const Mapping& x) {
      return x.first <= va && va <= x.last && x.root == "swapper_pg_dir";
    });
  };
  EXPECT_EQ(at(k->va_symbol("_stext")).perm, "RX");
  EXPECT_EQ(at(k->layout().page_offset).perm, "RW");
  EXPECT_EQ(at(k->layout().page_offset).memtype, "tagged");
}

TEST(HtmlBootMap, Arm64PhysicalMapAndTableCost) {
  const auto k = boot_arm64();
  const MapModel m = arm64_map_model(*k);
  EXPECT_TRUE(has_phys(m, "ram"));
  EXPECT_TRUE(has_phys(m, "reserved"));
  EXPECT_TRUE(has_phys(m, "table"));
  const auto stats = arm64_table_stats(*k, k->roots().front());
  ASSERT_EQ(m.table_cost.size(), stats.table_pages.size());
  uint64_t pages = 0;
  for (size_t i = 0; i < m.table_cost.size(); ++i) {
    EXPECT_EQ(m.table_cost[i].level, stats.table_pages[i].first);
    EXPECT_EQ(m.table_cost[i].tables, stats.table_pages[i].second);
    pages += m.table_cost[i].tables;
  }
  EXPECT_GT(pages, 3u);
  // Each table a walk passes through is drawn as a table page.
  for (const Mapping& x : m.mappings) {
    for (const WalkEntry& e : x.walk) {
      EXPECT_TRUE(std::any_of(m.phys.begin(), m.phys.end(), [&](const PhysRange& p) {
        return p.kind == "table" && p.base <= e.table && e.table < p.base + p.size;
      })) << fmt::format("table {:#x} of {:#x}", e.table, x.first);
    }
  }
}

TEST(HtmlBootMap, ArmClassicWalksAreShortDescriptorWalks) {
  BootArmOptions o;  // vexpress-a9, 6.1, classic MMU
  const kernel::arm::ArmBoot b = boot_arm(o);
  const MapModel m = arm_map_model(b);
  EXPECT_EQ(m.va_width, 32u);
  const auto names = region_names(m);
  for (const char* name : {"user", "modules", "pkmap", "lowmem (linear map)", "kernel image",
                           "vmalloc", "fixmap", "vectors"}) {
    EXPECT_TRUE(names.count(name)) << name;
  }
  expect_walks_end_in_leaves(m, 2);
  bool section = false;
  bool page = false;
  for (const Mapping& x : m.mappings) {
    EXPECT_EQ(x.walk.front().table, b.pgd());
    EXPECT_EQ(x.walk.front().index, x.first >> 20);
    section |= x.walk.back().kind == "section";
    page |= x.walk.back().kind == "small page";
    EXPECT_NE(x.memtype, "unknown") << fmt::format("{:#x}", x.first);
  }
  EXPECT_TRUE(section && page);
  ASSERT_EQ(m.table_cost.size(), 2u);
  EXPECT_EQ(m.table_cost[0].bytes, 16384u) << "the 16 KiB first-level table";
  EXPECT_GT(m.table_cost[1].tables, 0u);
  EXPECT_TRUE(has_phys(m, "table"));
}

TEST(HtmlBootMap, ArmLpaeWalksAreLongDescriptorWalks) {
  BootArmOptions o;
  o.machine = "virt";
  o.lpae = true;
  const kernel::arm::ArmBoot b = boot_arm(o);
  const MapModel m = arm_map_model(b);
  expect_walks_end_in_leaves(m, 3);
  ASSERT_EQ(m.table_cost.size(), 3u);
  EXPECT_EQ(m.table_cost[1].level, "PMD");
  for (const Mapping& x : m.mappings) {
    EXPECT_EQ(x.walk.front().level, "L1 PGD");
    EXPECT_EQ(x.walk.size(), x.level == "PTE" ? 3u : 2u);
  }
}

// The map of a boot's tables read back as a memory image (ptdump --arch
// armv7 --mem --html): the same tables, walks and table cost.
TEST(HtmlBootMap, ArmImageMapReadsTheSameTables) {
  for (const bool lpae : {false, true}) {
    BootArmOptions o;
    o.machine = "virt";
    o.lpae = lpae;
    const kernel::arm::ArmBoot b = boot_arm(o);
    const MapModel from_boot = arm_map_model(b);
    const MapModel m =
        arm_image_map_model(*b.mem, arm_ptdump_input_from_memory(*b.mem, b.pgd(), lpae));
    EXPECT_EQ(m.arch, "arm");
    EXPECT_EQ(m.table_cost, from_boot.table_cost) << "lpae " << lpae;
    expect_walks_end_in_leaves(m, lpae ? 3 : 2);
    const auto names = region_names(m);
    for (const char* name : {"Modules", "Kernel Mapping", "vmalloc() Area", "Vectors"}) {
      EXPECT_TRUE(names.count(name)) << name;
    }
    EXPECT_TRUE(has_phys(m, "ram"));
    EXPECT_TRUE(has_phys(m, "table"));
    for (const Mapping& x : m.mappings) {
      EXPECT_NE(x.memtype, "unknown") << fmt::format("{:#x}", x.first);
      EXPECT_FALSE(x.contiguous) << "Linux arm maps no large pages or supersections here";
    }
  }
}

// Large pages and supersections, which the hardware repeats 16 times, are
// drawn as contiguous runs; sections and small pages are not.
TEST(HtmlBootMap, ArmLargePagesAndSupersectionsAreContiguous) {
  namespace sd = hw::arm::short_descriptor;
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(0x40000000), 0x100000);
  const uint64_t pgd = 0x40004000;
  const uint64_t l2 = 0x40008000;
  sd::RegionAttributes a;
  a.ap = 0b01;
  a.tex = 0b001;
  a.c = a.b = true;
  sd::Supersection ss;
  ss.base = hw::PhysAddr(0x80000000);
  ss.attrs = a;
  for (uint32_t i = 0; i < 16; ++i) {
    mem.store32(hw::PhysAddr(pgd + (0xc10 + i) * 4), sd::encode(ss));  // VA 0xc1000000
  }
  sd::Section sec;
  sec.base = hw::PhysAddr(0x40000000);
  sec.attrs = a;
  mem.store32(hw::PhysAddr(pgd + 0xc00 * 4), sd::encode(sec));  // VA 0xc0000000
  sd::PageTable t;
  t.base = hw::PhysAddr(l2 + 2048);  // Linux's layout: the hardware table after its own
  mem.store32(hw::PhysAddr(pgd + 0xc20 * 4), sd::encode(t));  // VA 0xc2000000
  sd::LargePage lp;
  lp.base = hw::PhysAddr(0x90000000);
  lp.attrs = a;
  for (uint32_t i = 0; i < 16; ++i) {
    mem.store32(hw::PhysAddr(l2 + 2048 + i * 4), sd::encode(lp));
    // Linux's own pte, which ptdump reads: present, young, the 4K piece.
    mem.store32(hw::PhysAddr(l2 + i * 4), (0x90000000 + i * 4096) | 0x3);
  }
  ArmPtdumpInput in;
  in.pgd = pgd;
  in.markers = {{0xc0000000, "Kernel Mapping"}};
  const MapModel m = arm_image_map_model(mem, in);
  std::map<uint64_t, bool> contiguous;
  for (const Mapping& x : m.mappings) {
    contiguous[x.first] = x.contiguous;
  }
  EXPECT_EQ(contiguous, (std::map<uint64_t, bool>{
                            {0xc0000000, false}, {0xc1000000, true}, {0xc2000000, true}}));
}

TEST(HtmlBootMap, DiffPageCarriesBothMapsAndTheDifferingRanges) {
  const auto a = boot_arm64(12);
  const auto b = boot_arm64(16);
  const auto diff = arm64_boot_diff_json(*a, "--page-size 4K", *b, "--page-size 64K");
  const std::string page = diff_html(arm64_map_model(*a), arm64_map_model(*b), diff);
  EXPECT_NE(page.find("A: --page-size 4K"), std::string::npos);
  EXPECT_NE(page.find("B: --page-size 64K"), std::string::npos);
  EXPECT_NE(page.find("\"ranges\":[{"), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
}

}  // namespace
}  // namespace ptsim::report::html
