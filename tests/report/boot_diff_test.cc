// ptsim diff's report on small boots: a boot against itself differs in
// nothing; rodata=full against rodata=on differs in the linear map's level;
// 4K against 64K pages in the constants and the levels of tables.
#include "ptsim/report/boot_diff.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "report/small_arm64_boot.h"

namespace ptsim::report {
namespace {

using kernel::arm64::Arm64Kernel;

std::unique_ptr<Arm64Kernel> boot(const std::string& cmdline, unsigned page_shift = 12) {
  return small_arm64_boot(cmdline, page_shift);
}

uint64_t hex_of(const nlohmann::ordered_json& v) {
  return std::stoull(v.get<std::string>(), nullptr, 16);
}

TEST(BootDiff, SameBootDiffersInNothing) {
  const auto a = boot("nokaslr");
  const auto b = boot("nokaslr");
  const auto d = arm64_boot_diff_json(*a, "A", *b, "B");
  EXPECT_EQ(d["schema"], "ptsim.diff.arm64/1");
  EXPECT_TRUE(d["constants"].empty()) << d["constants"].dump();
  EXPECT_TRUE(d["ranges"].empty()) << d["ranges"].dump();
  EXPECT_EQ(d["swapper_pg_dir"]["a"], d["swapper_pg_dir"]["b"]);
}

TEST(BootDiff, RodataFullMapsTheLinearMapWithPagesRodataOnWithBlocks) {
  const auto full = boot("nokaslr rodata=full");
  const auto on = boot("nokaslr rodata=on");
  const auto d = arm64_boot_diff_json(*full, "rodata=full", *on, "rodata=on");
  EXPECT_TRUE(d["constants"].empty()) << d["constants"].dump();

  const auto& sa = d["swapper_pg_dir"]["a"];
  const auto& sb = d["swapper_pg_dir"]["b"];
  // 256 MiB page by page is up to 65536 pages in 128 PTE tables (less the
  // kernel image's alias); with blocks most of it is 2 MiB PMD entries and
  // those PTE tables are not needed.
  EXPECT_GT(sa["pages"].get<uint64_t>(), 60000u);
  EXPECT_LT(sb["pages"].get<uint64_t>() * 10, sa["pages"].get<uint64_t>());
  EXPECT_GE(sa["table_pages"]["pte"].get<uint64_t>(),
            sb["table_pages"]["pte"].get<uint64_t>() + 100);
  EXPECT_GT(sb["blocks"].get<uint64_t>(), sa["blocks"].get<uint64_t>() + 100);
  EXPECT_GT(sa["table_bytes"].get<uint64_t>(), sb["table_bytes"].get<uint64_t>());
  EXPECT_EQ(sa["table_bytes"].get<uint64_t>() % 4096, 0u);

  // Some linear-map range is PTE-mapped in A and PMD-mapped in B, to the same RAM.
  const uint64_t page_offset = full->layout().page_offset;
  bool found = false;
  for (const auto& r : d["ranges"]) {
    EXPECT_LT(hex_of(r["va_start"]), hex_of(r["va_end"]));
    if (hex_of(r["va_start"]) >= page_offset &&
        hex_of(r["va_start"]) < page_offset + (uint64_t{256} << 20) && !r["a"].is_null() &&
        !r["b"].is_null() && r["a"]["level"] == "PTE" && r["b"]["level"] == "PMD") {
      EXPECT_EQ(r["a"]["pa_start"], r["b"]["pa_start"]);
      found = true;
    }
  }
  EXPECT_TRUE(found) << d["ranges"].dump(1);

  const std::string text = arm64_boot_diff_text(d);
  EXPECT_NE(text.find("Layout constants that differ: 0"), std::string::npos) << text;
  EXPECT_NE(text.find("A: PTE pa "), std::string::npos) << text;
  EXPECT_NE(text.find("B: PMD pa "), std::string::npos) << text;
}

TEST(BootDiff, PageSizeChangesConstantsAndLevels) {
  const auto k4 = boot("nokaslr", 12);
  const auto k64 = boot("nokaslr", 16);
  const auto d = arm64_boot_diff_json(*k4, "--page-size 4K", *k64, "--page-size 64K");
  bool page_size = false;
  bool levels = false;
  for (const auto& c : d["constants"]) {
    if (c["name"] == "PAGE_SIZE") {
      EXPECT_EQ(c["a"], "0x1000");
      EXPECT_EQ(c["b"], "0x10000");
      page_size = true;
    }
    if (c["name"] == "CONFIG_PGTABLE_LEVELS") {
      EXPECT_EQ(c["a"], 4);
      EXPECT_EQ(c["b"], 3);
      levels = true;
    }
    EXPECT_NE(c["name"], "PAGE_OFFSET");  // 48-bit VA either way
  }
  EXPECT_TRUE(page_size && levels) << d["constants"].dump();
  EXPECT_TRUE(d["swapper_pg_dir"]["a"]["table_pages"].contains("pud"));
  EXPECT_FALSE(d["swapper_pg_dir"]["b"]["table_pages"].contains("pud"));
  EXPECT_FALSE(d["ranges"].empty());
  const std::string text = arm64_boot_diff_text(d);
  const auto pud_row = text.find("  pud table pages");
  ASSERT_NE(pud_row, std::string::npos) << text;
  EXPECT_NE(text.substr(pud_row, text.find('\n', pud_row) - pud_row).find("folded"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace ptsim::report
