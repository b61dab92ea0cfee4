// The arm ptdump's JSON runs: merged only while level, attributes, domain
// and virtual and physical contiguity hold.
#include "ptsim/report/ptdump_arm.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ptsim::report {
namespace {

using kernel::arm::ArmBootInput;
using kernel::arm::map_desc;

ArmBootInput vexpress() {
  ArmBootInput in;
  in.image.text = 0xc0008000;
  in.image.stext = 0xc0008280;
  in.image.etext = 0xc0a00000;
  in.image.init_begin = 0xc1000000;
  in.image.init_end = 0xc10d8000;
  in.image.sdata = in.image.edata = in.image.bss_start = 0xc10d8000;
  in.image.end = in.image.bss_stop = 0xc1200000;
  in.memory = {{0x60000000, 0x40000000}};
  return in;
}

const ArmMappingRun* run_at(const ArmPtdump& d, uint64_t va) {
  const auto it = std::find_if(d.runs.begin(), d.runs.end(),
                               [&](const ArmMappingRun& r) { return r.va_start == va; });
  return it == d.runs.end() ? nullptr : &*it;
}

TEST(PtdumpArmRuns, LowmemSectionsMergeIntoTwoRuns) {
  const ArmPtdump d = ptdump_arm(kernel::arm::run_arm_boot(vexpress()));
  const ArmMappingRun* rwx = run_at(d, 0xc0000000);
  ASSERT_NE(rwx, nullptr);
  EXPECT_EQ(*rwx, (ArmMappingRun{0xc0000000, 0xc1100000, 0x60000000, "PGD",
                                 {"RW", "x", "SHD"}, "KERNEL"}));
  const ArmMappingRun* rw = run_at(d, 0xc1100000);
  ASSERT_NE(rw, nullptr);
  EXPECT_EQ(rw->va_end, 0xf0000000u);
  EXPECT_EQ(rw->pa_start, 0x61100000u);
  EXPECT_EQ(rw->attrs, (std::vector<std::string>{"RW", "NX", "SHD"}));
}

TEST(PtdumpArmRuns, PhysicalDiscontinuitySplitsARun) {
  ArmBootInput in = vexpress();
  // Two device sections next to each other in the vmalloc area, from
  // physical addresses that are not next to each other.
  in.io_desc = {map_desc{0xf8000000, 0x10000, 0x100000, kernel::arm::MT_DEVICE},
                map_desc{0xf8100000, 0x20000, 0x100000, kernel::arm::MT_DEVICE}};
  const ArmPtdump d = ptdump_arm(kernel::arm::run_arm_boot(in));
  const ArmMappingRun* a = run_at(d, 0xf8000000);
  const ArmMappingRun* b = run_at(d, 0xf8100000);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->va_end, 0xf8100000u);
  EXPECT_EQ(a->pa_start, 0x10000000u);
  EXPECT_EQ(b->pa_start, 0x20000000u);
  EXPECT_EQ(a->attrs, b->attrs);
  EXPECT_EQ(a->domain, "IO");
  // The text dump, which knows nothing of physical addresses, shows one line.
  EXPECT_NE(std::find(d.lines.begin(), d.lines.end(),
                      "0xf8000000-0xf8200000           2M PGD IO          RW NX SHD"),
            d.lines.end());
}

TEST(PtdumpArmRuns, VectorsPagesDifferInAttributes) {
  const ArmPtdump d = ptdump_arm(kernel::arm::run_arm_boot(vexpress()));
  const ArmMappingRun* hi = run_at(d, 0xffff0000);
  const ArmMappingRun* lo = run_at(d, 0xffff1000);
  ASSERT_NE(hi, nullptr);
  ASSERT_NE(lo, nullptr);
  EXPECT_EQ(hi->level, "PTE");
  EXPECT_EQ(hi->attrs.front(), "USR");
  EXPECT_EQ(lo->attrs.front(), "ro");
  EXPECT_EQ(lo->pa_start, hi->pa_start + 0x1000);
}

}  // namespace
}  // namespace ptsim::report
