#include "ptsim/machine/dtb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"
#include "ptsim/machine/presets.h"

namespace ptsim::machine {
namespace {

using ::testing::HasSubstr;
using testing::compile_dts;

class PresetBlob : public ::testing::TestWithParam<std::string> {};

// Writing a preset as a blob and reading it back gives the same machine:
// the writer and the reader agree, and the reader handles the presets'
// every feature (memreserve, dynamic reserved memory, aliases, buses).
TEST_P(PresetBlob, ReadsBackEqual) {
  const Machine m = machine_preset(GetParam()).machine();
  Machine back = read_dtb(write_dtb(m), "written.dtb");
  EXPECT_TRUE(back.notes.empty()) << back.notes.front();
  back.source = m.source;
  EXPECT_EQ(back, m);
}

INSTANTIATE_TEST_SUITE_P(AllPresets, PresetBlob, ::testing::Values("virt", "virt-arm", "vexpress-a9", "rpi2"));

TEST(DtbWrite, ABlobReadFromDtcOutputWritesBackEqual) {
  Machine m = read_dtb(compile_dts("two_cell_board"), "two_cell_board.dtb");
  // The nodes Linux skips are not written; drop them before comparing.
  std::erase_if(m.reserved, [](const ReservedRegion& r) { return !r.linux_error.empty(); });
  m.notes.clear();
  Machine back = read_dtb(write_dtb(m), "written.dtb");
  back.source = m.source;
  // The written memory nodes are one per bank.
  for (size_t i = 0; i < m.memory.size(); ++i) {
    m.memory[i].node = back.memory[i].node;
  }
  EXPECT_EQ(back, m);
}

TEST(FixmapFdtCheck, AcceptsAnAlignedBlobUnder2MiB) {
  const std::vector<uint8_t> blob = write_dtb(machine_preset("virt").machine());
  const FdtCheck c = fixmap_fdt_check(blob, 0x48000000);
  EXPECT_TRUE(c.ok) << c.reason;
  EXPECT_EQ(c.totalsize, blob.size());
}

TEST(FixmapFdtCheck, RefusesWhatFixmapRemapFdtRefuses) {
  std::vector<uint8_t> blob = write_dtb(machine_preset("virt").machine());
  EXPECT_THAT(fixmap_fdt_check(blob, 0).reason, HasSubstr("is 0"));
  EXPECT_THAT(fixmap_fdt_check(blob, 0x48000004).reason, HasSubstr("not 8-byte aligned (MIN_FDT_ALIGN)"));
  EXPECT_TRUE(fixmap_fdt_check(blob, 0x48000008).ok);
  testing::put_be32(blob, 4, 0x200001);
  const FdtCheck big = fixmap_fdt_check(blob, 0x48000000);
  EXPECT_FALSE(big.ok);
  EXPECT_THAT(big.reason, HasSubstr("exceeds MAX_FDT_SIZE 0x200000"));
  testing::put_be32(blob, 4, 0x200000);
  EXPECT_TRUE(fixmap_fdt_check(blob, 0x48000000).ok);
  testing::put_be32(blob, 0, 0);
  EXPECT_THAT(fixmap_fdt_check(blob, 0x48000000).reason, HasSubstr("not FDT_MAGIC"));
  EXPECT_FALSE(fixmap_fdt_check(std::vector<uint8_t>{0xd0, 0x0d}, 0x48000000).ok);
}

TEST(FixmapFdtCheck, FailureMessageIsSetupMachineFdts) {
  EXPECT_EQ(fdt_check_failure_message(0x48000004, 0),
            "\nError: invalid device tree blob at physical address 0x0000000048000004 (virtual address "
            "0x0000000000000000)\nThe dtb must be 8-byte aligned and must not exceed 2 MB in size\n\nPlease check "
            "your bootloader.");
}

}  // namespace
}  // namespace ptsim::machine
