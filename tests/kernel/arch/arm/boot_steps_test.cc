// The steps the arm boot records for `ptsim explain`, checked against the
// seed notes' worked numbers (seed 002: VMALLOC_START = (0xef800000 +
// 0x800000) & ~0x7fffff = 0xf0000000; seed 001: arm_lowmem_limit 0x8f800000,
// the third clearing loop 0xef800000-0xf0000000).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "kernel/arch/arm/seed_boot.h"
#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {
namespace {

ArmBoot narrated(ArmVersion v) {
  ArmBootInput in = seed_vexpress(v);
  in.record_steps = true;
  return run_arm_boot(in);
}

const BootStep* find_compute(const ArmBoot& b, const std::string& name) {
  for (const BootStep& s : b.steps.steps()) {
    if (s.kind == StepKind::compute && s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

std::vector<const BootStep*> of_kind(const ArmBoot& b, StepKind kind, const std::string& function) {
  std::vector<const BootStep*> out;
  for (const BootStep& s : b.steps.steps()) {
    if (s.kind == kind && s.function == function) {
      out.push_back(&s);
    }
  }
  return out;
}

TEST(ArmBootSteps, NothingIsRecordedUnlessAsked) {
  const ArmBoot b = run_arm_boot(seed_vexpress(ArmVersion::v4_3));
  EXPECT_TRUE(b.steps.steps().empty());
}

TEST(ArmBootSteps, VmallocStartWithTheSeedNumbersFilledIn) {
  for (ArmVersion v : {ArmVersion::v3_18, ArmVersion::v4_3}) {
    const ArmBoot b = narrated(v);
    const BootStep* start = find_compute(b, "VMALLOC_START");
    ASSERT_NE(start, nullptr) << to_string(v);
    EXPECT_EQ(start->formula, "(high_memory + VMALLOC_OFFSET) & ~(VMALLOC_OFFSET-1)");
    EXPECT_EQ(start->worked, "(0xef800000 + 0x800000) & ~0x7fffff");
    EXPECT_EQ(start->value, 0xf0000000u);
    EXPECT_EQ(start->function, "adjust_lowmem_bounds");

    const BootStep* vmalloc_min = find_compute(b, "vmalloc_min");
    ASSERT_NE(vmalloc_min, nullptr);
    EXPECT_EQ(vmalloc_min->worked, "0xff000000 - 0xf000000 - 0x800000");
    EXPECT_EQ(vmalloc_min->value, 0xef800000u);

    const BootStep* limit = find_compute(b, "arm_lowmem_limit");
    ASSERT_NE(limit, nullptr);
    EXPECT_EQ(limit->worked, "min(0x8f800000, 0xa0000000)");
    EXPECT_EQ(limit->value, 0x8f800000u);
    EXPECT_EQ(find_compute(b, "high_memory")->value, 0xef800000u);
    EXPECT_EQ(find_compute(b, "PHYS_OFFSET")->value, 0x60000000u);
    EXPECT_EQ(find_compute(b, "PAGE_OFFSET")->value, 0xc0000000u);
  }
}

TEST(ArmBootSteps, PreparePageTableClearsTheSeedsThreeRanges) {
  const ArmBoot b = narrated(ArmVersion::v4_3);
  const auto clears = of_kind(b, StepKind::clear, "prepare_page_table");
  ASSERT_EQ(clears.size(), 2u);  // [0, MODULES_VADDR) and [MODULES_VADDR, PAGE_OFFSET) merge
  EXPECT_EQ(clears[0]->va, 0u);
  EXPECT_EQ(clears[0]->va + clears[0]->size, 0xc0000000u);
  EXPECT_EQ(clears[0]->count, 0xc0000000u >> 21);
  EXPECT_EQ(clears[1]->va, 0xef800000u);
  EXPECT_EQ(clears[1]->va + clears[1]->size, 0xf0000000u);
  EXPECT_EQ(clears[1]->count, 4u);
  EXPECT_EQ(find_compute(b, "end")->value, 0x8f800000u);
}

TEST(ArmBootSteps, MapLowmemMapsTheKernelRwxThenTheRestRwInSections) {
  const ArmBoot b = narrated(ArmVersion::v4_3);
  EXPECT_EQ(find_compute(b, "kernel_x_start")->value, 0x60000000u);
  EXPECT_EQ(find_compute(b, "kernel_x_end")->value, 0x61100000u);
  const auto maps = of_kind(b, StepKind::map, "__map_init_section");
  ASSERT_GE(maps.size(), 2u);
  EXPECT_EQ(maps[0]->name, "section");
  EXPECT_EQ(maps[0]->text, "MT_MEMORY_RWX");
  EXPECT_EQ(maps[0]->va, 0xc0000000u);
  EXPECT_EQ(maps[0]->pa, 0x60000000u);
  EXPECT_EQ(maps[0]->count, 17u);  // 0x60000000-0x61100000 in 1 MiB sections
  EXPECT_EQ(maps[1]->text, "MT_MEMORY_RW");
  EXPECT_EQ(maps[1]->va, 0xc1100000u);
  EXPECT_EQ(maps[1]->va + maps[1]->size, 0xef800000u);
  // The steps sit under the create_mapping call that made them.
  EXPECT_GT(maps[0]->depth, 0u);
}

TEST(ArmBootSteps, PteTablesComeFromMemblockForTheirPmd) {
  const ArmBoot b = narrated(ArmVersion::v4_3);
  const auto tables = of_kind(b, StepKind::table, "early_pte_alloc");
  const auto pkmap = std::find_if(tables.begin(), tables.end(), [&](const BootStep* s) {
    return s->va == b.state.layout.PKMAP_BASE;
  });
  ASSERT_NE(pkmap, tables.end());
  EXPECT_EQ((*pkmap)->name, "pte");
  EXPECT_EQ((*pkmap)->value, b.state.pkmap_page_table & ~uint64_t{0xfff});
  EXPECT_EQ((*pkmap)->size, 4096u);
  // The vectors page is memory, not a table.
  const auto allocs = of_kind(b, StepKind::alloc, "early_alloc");
  ASSERT_FALSE(allocs.empty());
  EXPECT_EQ(allocs[0]->value, b.state.vectors);
}

TEST(ArmBootSteps, LpaeMapsLowmemWithTwoMegabyteBlocks) {
  ArmBootInput in = seed_vexpress(ArmVersion::v6_1);
  in.config.lpae = true;
  in.record_steps = true;
  const ArmBoot b = run_arm_boot(in);
  const auto maps = of_kind(b, StepKind::map, "__map_init_section");
  ASSERT_FALSE(maps.empty());
  EXPECT_EQ(maps[0]->name, "block");
  EXPECT_EQ(maps[0]->size / maps[0]->count, 2u << 20);
  const BootStep* size = find_compute(b, "vmalloc_size");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(size->value, 240u << 20);
}

}  // namespace
}  // namespace ptsim::kernel::arm
