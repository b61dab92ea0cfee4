// ptsim explain's boot narration: the arm64 default boot and the seed
// notes' arm boot, as text, Markdown and JSON, with the numbers the boot
// code recorded.
#include "ptsim/report/explain_boot.h"

#include <gtest/gtest.h>

#include <string>

#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/report/arm_boot_report.h"

namespace ptsim::report {
namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

kernel::arm::ArmBoot arm_boot(const std::string& profile, bool lpae = false) {
  BootArmOptions o;
  o.machine = "vexpress-a9";
  o.ram = uint64_t{1} << 30;
  o.profile = profile;
  o.lpae = lpae;
  kernel::arm::ArmBootInput in = arm_boot_input(o);
  in.record_steps = true;
  return kernel::arm::run_arm_boot(in);
}

class ExplainArm64Boot : public ::testing::Test {
 protected:
  void SetUp() override { k_.boot(kernel::arm64::BootStage::final); }
  kernel::arm64::Arm64Kernel k_{{}, {}, machine::prepare_arm64_boot({})};
};

TEST_F(ExplainArm64Boot, TellsTheLinearMapFormulasWithTheNumbers) {
  const std::string text = explain_boot_text(arm64_boot_narration(k_), ExplainStyle::text);
  EXPECT_TRUE(has(text, "Boot of Linux 6.1 arm64 4K pages, 48-bit VA, 4 levels, step by step"))
      << text;
  EXPECT_TRUE(has(text,
                  "memstart_addr = round_down(memblock_start_of_DRAM(), ARM64_MEMSTART_ALIGN) = "
                  "round_down(0x40000000, 0x40000000) = 0x40000000"))
      << text;
  EXPECT_TRUE(has(text,
                  "high_memory = __va(memblock_end_of_DRAM() - 1) + 1 = "
                  "((0x80000000 - 1 - 0x40000000) | 0xffff000000000000) + 1 = 0xffff000040000000"))
      << text;
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST_F(ExplainArm64Boot, FunctionsComeInBootOrderAndNest) {
  std::vector<std::string> calls;
  unsigned map_mem_depth = 0;
  for (const kernel::BootStep& s : k_.steps()) {
    if (s.kind == kernel::StepKind::call && s.depth == 0) {
      calls.push_back(s.function);
    }
    if (s.kind == kernel::StepKind::call && s.function == "map_mem") {
      map_mem_depth = s.depth;
    }
  }
  const std::vector<std::string> head = {"create_idmap", "__enable_mmu", "create_kernel_mapping",
                                         "early_fdt_map", "setup_arch"};
  ASSERT_GE(calls.size(), head.size());
  EXPECT_EQ(std::vector<std::string>(calls.begin(), calls.begin() + head.size()), head);
  EXPECT_EQ(map_mem_depth, 2u);  // setup_arch > paging_init > map_mem
}

TEST_F(ExplainArm64Boot, RodataFullMapsTheLinearMapWithPagesFromMemblockTables) {
  bool pte_table = false;
  bool linear_pages = false;
  for (const kernel::BootStep& s : k_.steps()) {
    if (s.kind == kernel::StepKind::table && s.name == "pte" &&
        s.text == "early_pgtable_alloc (memblock) for __map_memblock") {
      pte_table = true;
      EXPECT_EQ(s.va & 0x1fffff, 0u);  // a pte table serves one 2 MiB pmd entry
    }
    if (s.kind == kernel::StepKind::map && s.function == "init_pte" && s.va == 0xffff000000000000) {
      linear_pages = true;
      EXPECT_EQ(s.name, "page");
      EXPECT_EQ(s.pa, 0x40000000u);
      EXPECT_EQ(s.text, "PAGE_KERNEL (pgprot_tagged: MT_NORMAL_TAGGED)");
    }
  }
  EXPECT_TRUE(pte_table);
  EXPECT_TRUE(linear_pages);
}

TEST(ExplainArm64BootRodataOn, LinearMapGetsBlocksAndContiguousPages) {
  machine::Arm64BootRequest req;
  req.cmdline = "nokaslr rodata=on";
  kernel::arm64::Arm64Kernel k({}, {}, machine::prepare_arm64_boot(req));
  k.boot(kernel::arm64::BootStage::paging_init);
  bool block = false;
  for (const kernel::BootStep& s : k.steps()) {
    if (s.kind == kernel::StepKind::map && s.function == "init_pmd" && s.va >= 0xffff000000000000 &&
        s.va < 0xffff800000000000) {
      block = true;
      EXPECT_EQ(s.size / s.count, 2u << 20) << s.name;
    }
  }
  EXPECT_TRUE(block);
}

TEST_F(ExplainArm64Boot, TracingOffRecordsNoSteps) {
  kernel::arm64::Arm64Kernel quiet({}, {}, machine::prepare_arm64_boot({}));
  quiet.set_tracing(false);
  quiet.boot(kernel::arm64::BootStage::final);
  EXPECT_TRUE(quiet.steps().empty());
  EXPECT_FALSE(k_.steps().empty());
}

TEST(ExplainArmBoot, SeedVmallocStartLineAsSeed002WritesIt) {
  const kernel::arm::ArmBoot b = arm_boot("4.3");
  const std::string text = explain_boot_text(arm_boot_narration(b), ExplainStyle::text);
  EXPECT_TRUE(has(text,
                  "VMALLOC_START = (high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET-1) = "
                  "(0xef800000 + 0x800000) & ~0x7fffff = 0xf0000000"))
      << text;
  EXPECT_TRUE(
      has(text,
          "arm_lowmem_limit = min(vmalloc_limit, end of the highest memblock block starting "
          "below it) = min(0x8f800000, 0xa0000000) = 0x8f800000"))
      << text;
  EXPECT_TRUE(has(text, "prepare_page_table: pmd_clear 0xef800000-0xf0000000 (4 entries)")) << text;
  EXPECT_TRUE(
      has(text,
          "__map_init_section: map 0xc0000000-0xc1100000 -> 0x60000000 as 17 x section (1M), "
          "MT_MEMORY_RWX"))
      << text;
}

TEST(ExplainArmBoot, MarkdownIsANestedListWithCodeSpans) {
  const kernel::arm::ArmBoot b = arm_boot("4.14");
  const std::string md = explain_boot_text(arm_boot_narration(b), ExplainStyle::markdown);
  EXPECT_EQ(
      md.rfind("# Boot of Linux 4.14 arm, VMSPLIT_3G, classic MMU (2 levels, short descriptors)",
               0),
      0u)
      << md;
  EXPECT_TRUE(has(md, "\n- **`setup_arch()`**")) << md;
  EXPECT_TRUE(has(md, "\n  - **`paging_init()`**")) << md;
  EXPECT_TRUE(has(md, "- `VMALLOC_START` = (high_memory")) << md;
}

TEST(ExplainArmBoot, ColourOnlyInColourStyle) {
  const kernel::arm::ArmBoot b = arm_boot("6.1");
  EXPECT_TRUE(has(explain_boot_text(arm_boot_narration(b), ExplainStyle::colour), "\033[1;36m"));
  EXPECT_FALSE(has(explain_boot_text(arm_boot_narration(b), ExplainStyle::text), "\033"));
}

TEST(ExplainArmBoot, JsonListsTypedSteps) {
  const kernel::arm::ArmBoot b = arm_boot("6.1", true);
  const auto j = explain_boot_json(arm_boot_narration(b));
  EXPECT_EQ(j["schema"], "ptsim.explain.boot/1");
  EXPECT_EQ(j["arch"], "arm");
  bool block = false;
  bool compute = false;
  for (const auto& s : j["steps"]) {
    if (s["kind"] == "map" && s["type"] == "block") {
      block = true;
      EXPECT_EQ(s["entry_size"], 2u << 20);
      EXPECT_TRUE(s.contains("va_start") && s.contains("pa_start") && s.contains("desc"));
    }
    if (s["kind"] == "compute" && s["name"] == "VMALLOC_START") {
      compute = true;
      EXPECT_EQ(s["formula"], "(high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET-1)");
    }
  }
  EXPECT_TRUE(block);
  EXPECT_TRUE(compute);
}

}  // namespace
}  // namespace ptsim::report
