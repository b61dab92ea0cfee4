// The built-in 4K image laid out for 16K and 64K pages, every configuration
// booted and its tables walked, and the refusal of page-table areas too
// small for head.S.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/machine/kernel_image.h"

namespace ptsim::machine {
namespace {

SymbolTable debian_image() {
  return kernel_image_preset("debian-6.1-arm64").symbols();
}

TEST(Arm64ImagePageSize, FourKIsUnchanged) {
  const SymbolTable in = debian_image();
  const SymbolTable out = arm64_image_pgtables_for_page_size(in, 12, 48);
  ASSERT_EQ(out.size(), in.size());
  for (const auto& [name, s] : in.all()) {
    EXPECT_EQ(out.find(name), s.address) << name;
  }
}

TEST(Arm64ImagePageSize, SixtyFourKFortyEightBitsByHand) {
  // vmlinux.lds.S worked by hand over the 4K image (KIMAGE_VADDR is the
  // same for 48 bits).  idmap_pg_dir 0x...9655000 aligned to 64K:
  // 0x9660000; tramp, reserved, swapper one 64K page each; __init_begin =
  // ALIGN(0x96a0000, SEGMENT_ALIGN) = 0x96a0000, 0x40000 above the 4K one.
  // init_idmap_pg_dir 0x9740000 + 0x40000 = 0x9780000.  64K/48 has three
  // levels, no PMD maps: EARLY_PAGES = 1 + (1 + 1) + (1 + 1) = 5 pages, for
  // both areas, as _end stays below 512 MiB: init_idmap_pg_end 0x97d0000.
  // The rest of .init.data (0x9cb0000 - 0x9745000) follows: __initdata_end
  // = ALIGN(0x9d3b000, 64K) = 0x9d40000.  Data moves 0x90000 up: bm_pud
  // 0x9f70000 + 0x90000 = 0xa000000, bm_pmd, bm_pte one page each; the bss
  // grows by 0xa030000 - 0x9f73000 = 0xbd000: __bss_stop 0xa0c7dd8,
  // init_pg_dir = ALIGN(PAGE_SIZE) = 0xa0d0000, + 5 pages = 0xa120000 = _end.
  const SymbolTable out = arm64_image_pgtables_for_page_size(debian_image(), 16, 48);
  const uint64_t base = 0xffff800000000000;
  const std::map<std::string, uint64_t> want = {{"_text", 0x8000000},
                                                {"idmap_pg_dir", 0x9660000},
                                                {"tramp_pg_dir", 0x9670000},
                                                {"reserved_pg_dir", 0x9680000},
                                                {"swapper_pg_dir", 0x9690000},
                                                {"__init_begin", 0x96a0000},
                                                {"init_idmap_pg_dir", 0x9780000},
                                                {"init_idmap_pg_end", 0x97d0000},
                                                {"__initdata_end", 0x9d40000},
                                                {"_data", 0x9d40000},
                                                {"bm_pud", 0xa000000},
                                                {"bm_pmd", 0xa010000},
                                                {"bm_pte", 0xa020000},
                                                {"__bss_stop", 0xa0c7dd8},
                                                {"init_pg_dir", 0xa0d0000},
                                                {"init_pg_end", 0xa120000},
                                                {"_end", 0xa120000}};
  for (const auto& [name, offset] : want) {
    EXPECT_EQ(out.find(name), base + offset) << name;
  }
}

TEST(Arm64ImagePageSize, EveryConfigurationHasItsAreasSizedAndAligned) {
  for (const kernel::Arm64Config& c : kernel::arm64_valid_configs()) {
    if (c.page_shift == 12) {
      continue;
    }
    const kernel::Geometry g = kernel::arm64_geometry(c.page_shift, c.va_bits);
    const std::string what = g.describe();
    const unsigned va_min = std::min(c.va_bits, 48u);
    const SymbolTable in = debian_image();
    SymbolTable moved;
    const uint64_t delta = ((~uint64_t{0} << (va_min - 1)) + (128ull << 20)) - *in.find("_text");
    for (const auto& [name, s] : in.all()) {
      moved.add(Symbol{s.address + delta, s.type, s.name});
    }
    const SymbolTable out = arm64_image_pgtables_for_page_size(moved, c.page_shift, c.va_bits);
    const auto at = [&](const char* name) { return *out.find(name); };
    const uint64_t page = g.page_size();
    for (const char* name : {"idmap_pg_dir", "tramp_pg_dir", "reserved_pg_dir", "swapper_pg_dir",
                             "init_idmap_pg_dir", "init_pg_dir", "bm_pud", "bm_pmd", "bm_pte"}) {
      EXPECT_EQ(at(name) % page, 0u) << what << " " << name;
    }
    EXPECT_EQ(at("swapper_pg_dir") - at("reserved_pg_dir"), page)
        << what;  // RESERVED_SWAPPER_OFFSET
    EXPECT_EQ(at("swapper_pg_dir") - at("tramp_pg_dir"), 2 * page) << what;  // TRAMP_SWAPPER_OFFSET
    EXPECT_LE(at("swapper_pg_dir") + page, at("__init_begin")) << what;
    EXPECT_EQ(at("init_idmap_pg_end") - at("init_idmap_pg_dir"),
              kernel::arm64::init_idmap_dir_size(g, at("_text"), at("_end")))
        << what;
    EXPECT_EQ(at("init_pg_end") - at("init_pg_dir"),
              kernel::arm64::init_dir_size(g, at("_text"), at("_end"), true))
        << what;
    EXPECT_LE(at("init_idmap_pg_end"), at("__initdata_end")) << what;
    EXPECT_LE(at("bm_pte") + page, at("__bss_stop")) << what;
    EXPECT_LE(at("__bss_stop"), at("init_pg_dir")) << what;
    EXPECT_EQ(at("_end") % kernel::arm64::SEGMENT_ALIGN, 0u) << what;
    EXPECT_LE(at("init_pg_end"), at("_end")) << what;
  }
}

using kernel::arm64::Arm64Kernel;
using kernel::arm64::BootStage;
using kernel::arm64::TableRoot;

// Every table page a whole-table walk of `root` visits.
std::set<uint64_t> table_pages(const Arm64Kernel& k, const TableRoot& root) {
  hw::arm64::WalkRequest req;
  req.format.granule = hw::arm64::granule_from_shift(k.geometry().page_shift);
  req.table_base = hw::PhysAddr(root.pa);
  req.ia_bits = root.ia_bits;
  req.upper_half = root.upper_half;
  std::set<uint64_t> pages;
  hw::arm64::for_each_leaf(k.mem(), req,
                           {[](const hw::arm64::Leaf&) {},
                            [&](const hw::arm64::TableVisit& t) { pages.insert(t.table.value()); },
                            {}});
  return pages;
}

TEST(Arm64ImagePageSize, EveryConfigurationBootsWithTablesInTheirOwnAreas) {
  for (const kernel::Arm64Config& c : kernel::arm64_valid_configs()) {
    kernel::arm64::KernelConfig config;
    config.page_shift = c.page_shift;
    config.va_bits = c.va_bits;
    Arm64BootRequest req;
    req.page_shift = c.page_shift;
    req.va_bits = c.va_bits;
    Arm64Kernel k(config, {}, prepare_arm64_boot(req));
    const std::string what = k.geometry().describe();
    ASSERT_NO_THROW(k.boot(BootStage::final)) << what;
    const uint64_t page = k.geometry().page_size();
    // The fixmap's tables: init_pg_dir's pgd entry for them is copied into
    // swapper_pg_dir (map_kernel), so both roots reach them.
    const std::set<uint64_t> fixmap = {k.pa_symbol("bm_pud"), k.pa_symbol("bm_pmd"),
                                       k.pa_symbol("bm_pte")};
    std::map<std::string, std::set<uint64_t>> pages;
    for (const TableRoot& root : k.roots()) {
      ASSERT_NO_THROW(pages[root.name] = table_pages(k, root)) << what << " " << root.name;
      EXPECT_TRUE(pages[root.name].count(root.pa)) << what << " " << root.name;
    }
    // head.S's tables stay inside the areas the image reserved for them.
    for (const auto& [root, end] : {std::pair{"init_idmap_pg_dir", "init_idmap_pg_end"},
                                    std::pair{"init_pg_dir", "init_pg_end"}}) {
      for (uint64_t p : pages[root]) {
        const bool inside = p >= k.pa_symbol(root) && p + page <= k.pa_symbol(end);
        EXPECT_TRUE(inside || fixmap.count(p))
            << what << ": " << root << " table at " << std::hex << p;
      }
    }
    // No table page reached from two roots, but the fixmap's.
    for (const auto& [a, pa] : pages) {
      for (const auto& [b, pb] : pages) {
        if (a >= b) {
          continue;
        }
        for (uint64_t p : pa) {
          EXPECT_TRUE(!pb.count(p) || fixmap.count(p))
              << what << ": " << a << " and " << b << " share " << std::hex << p;
        }
      }
    }
  }
}

TEST(Arm64ImagePageSize, AreasTooSmallForHeadSAreRefused) {
  Arm64BootRequest req;
  kernel::arm64::BootInputs in = prepare_arm64_boot(req);
  // A System.map whose init_pg_dir area is one 4K page: head.S needs five.
  in.symbols.va["init_pg_end"] = in.symbols.va["init_pg_dir"] + 0x1000;
  kernel::arm64::Arm64Kernel k({}, {}, in);
  try {
    k.boot(BootStage::final);
    FAIL() << "booted with a one-page init_pg_dir";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    const std::string msg = e.what();
    EXPECT_NE(msg.find("init_pg_dir..init_pg_end is 0x1000 bytes but head.S needs 0x3000"),
              std::string::npos)
        << msg;
  }
  // The 4K image's areas given to a 64K kernel: init_idmap_pg_dir's area is
  // 0x5000 bytes, less than one 64K table.
  kernel::arm64::KernelConfig config;
  config.page_shift = 16;
  config.va_bits = 48;
  Arm64BootRequest four_k;
  four_k.page_shift = 16;
  kernel::arm64::BootInputs raw = prepare_arm64_boot(four_k);
  const SymbolTable image = debian_image();
  for (const char* name : {"init_idmap_pg_dir", "init_idmap_pg_end"}) {
    raw.symbols.va[name] = *image.find(name);
  }
  kernel::arm64::Arm64Kernel k64(config, {}, raw);
  EXPECT_THROW(k64.boot(BootStage::final), Error);
}

}  // namespace
}  // namespace ptsim::machine
