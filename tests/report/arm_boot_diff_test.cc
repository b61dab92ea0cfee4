// ptsim diff --arch arm: profiles, vmalloc=, LPAE against the classic MMU,
// mem=, on the vexpress machine of the seed notes (1 GiB at 0x60000000).
#include <gtest/gtest.h>

#include <string>

#include "ptsim/report/arm_boot_report.h"
#include "ptsim/report/boot_diff.h"

namespace ptsim::report {
namespace {

kernel::arm::ArmBoot boot(const std::string& profile, const std::string& cmdline = "",
                          bool lpae = false) {
  BootArmOptions o;
  o.machine = "vexpress-a9";
  o.profile = profile;
  o.cmdline = cmdline;
  o.lpae = lpae;
  o.stage = "final";
  return kernel::arm::run_arm_boot(arm_boot_input(o));
}

nlohmann::ordered_json constant(const nlohmann::ordered_json& d, const std::string& name) {
  for (const auto& c : d["constants"]) {
    if (c["name"] == name) {
      return c;
    }
  }
  return nullptr;
}

TEST(ArmBootDiff, SameBootDiffersInNothing) {
  const auto a = boot("6.1");
  const auto b = boot("6.1");
  const auto d = arm_boot_diff_json(a, "A", b, "B");
  EXPECT_EQ(d["schema"], "ptsim.diff.arm/1");
  EXPECT_TRUE(d["constants"].empty()) << d["constants"].dump();
  EXPECT_TRUE(d["ranges"].empty()) << d["ranges"].dump();
  EXPECT_EQ(d["swapper_pg_dir"]["a"], d["swapper_pg_dir"]["b"]);
}

TEST(ArmBootDiff, OldProfileMovesVmallocEndAndTheLowmemLimit) {
  const auto a = boot("4.3");
  const auto b = boot("6.1");
  const auto d = arm_boot_diff_json(a, "--profile 4.3", b, "--profile 6.1");
  EXPECT_EQ(constant(d, "profile")["a"], "4.3");
  EXPECT_EQ(constant(d, "VMALLOC_END")["a"], "0xff000000");
  EXPECT_EQ(constant(d, "VMALLOC_END")["b"], "0xff800000");
  EXPECT_EQ(constant(d, "arm_lowmem_limit")["a"], "0x8f800000");
  EXPECT_EQ(constant(d, "arm_lowmem_limit")["b"], "0x90000000");
  EXPECT_FALSE(d["ranges"].empty());
  const std::string text = boot_diff_text(d);
  EXPECT_NE(
      text.find(
          "A: --profile 4.3  (Linux 4.3 arm, VMSPLIT_3G, classic MMU (2 levels), stage final)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("  supersection entries"), std::string::npos) << text;
}

TEST(ArmBootDiff, VmallocReservationShrinksLowmem) {
  const auto a = boot("6.1");
  const auto b = boot("6.1", "vmalloc=512M");
  const auto d = arm_boot_diff_json(a, "", b, "--cmdline vmalloc=512M");
  const auto start = constant(d, "VMALLOC_START");
  ASSERT_FALSE(start.is_null()) << d["constants"].dump();
  EXPECT_LT(std::stoull(start["b"].get<std::string>(), nullptr, 16),
            std::stoull(start["a"].get<std::string>(), nullptr, 16));
  // Lowmem past the new limit is no longer linearly mapped on B.
  bool unmapped_on_b = false;
  for (const auto& r : d["ranges"]) {
    unmapped_on_b |= !r["a"].is_null() && r["b"].is_null();
  }
  EXPECT_TRUE(unmapped_on_b);
}

TEST(ArmBootDiff, LpaeHasPmdTablesAndTwoMegabyteBlocks) {
  const auto a = boot("6.1");
  const auto b = boot("6.1", "", true);
  const auto d = arm_boot_diff_json(a, "", b, "--lpae");
  const auto& sa = d["swapper_pg_dir"]["a"];
  const auto& sb = d["swapper_pg_dir"]["b"];
  EXPECT_FALSE(sa["table_pages"].contains("pmd"));
  EXPECT_EQ(sb["table_pages"]["pmd"], 4u);
  EXPECT_EQ(sa["table_pages"]["pgd"], 4u);  // 16K of first-level entries
  EXPECT_EQ(sa["block_size"], 1u << 20);
  EXPECT_EQ(sb["block_size"], 2u << 20);
  // The same lowmem in sections of half the size: about twice as many.
  EXPECT_GT(sa["blocks"].get<uint64_t>(), sb["blocks"].get<uint64_t>() * 3 / 2);
  EXPECT_EQ(constant(d, "lpae")["b"], true);
}

TEST(ArmBootDiff, MemLimitMapsLessLowmem) {
  const auto a = boot("4.14");
  const auto b = boot("4.14", "mem=256M");
  const auto d = arm_boot_diff_json(a, "", b, "--cmdline mem=256M");
  EXPECT_EQ(constant(d, "arm_lowmem_limit")["b"], "0x70000000");
  EXPECT_LT(d["swapper_pg_dir"]["b"]["blocks"].get<uint64_t>(),
            d["swapper_pg_dir"]["a"]["blocks"].get<uint64_t>());
}

}  // namespace
}  // namespace ptsim::report
