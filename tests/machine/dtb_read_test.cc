#include "ptsim/machine/dtb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"

namespace ptsim::machine {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::compile_dts;

Machine two_cell_board() { return read_dtb(compile_dts("two_cell_board"), "two_cell_board.dtb"); }
Machine one_cell_board() { return read_dtb(compile_dts("one_cell_board"), "one_cell_board.dtb"); }

TEST(DtbRead, RootModelCompatibleAndCells) {
  const Machine m = two_cell_board();
  EXPECT_EQ(m.model, "ptsim test board");
  EXPECT_THAT(m.compatible, ElementsAre("ptsim,two-cell-board", "ptsim,test"));
  EXPECT_EQ(m.address_cells, 2u);
  EXPECT_EQ(m.size_cells, 2u);
  EXPECT_EQ(one_cell_board().address_cells, 1u);
}

TEST(DtbRead, MemoryBanksInBlobOrderSkippingEmptyAndDisabled) {
  const Machine m = two_cell_board();
  EXPECT_THAT(m.memory, ElementsAre(MemoryBank{0x80000000, 0x40000000, "/memory@80000000", false},
                                    MemoryBank{0x880000000, 0x80000000, "/memory@80000000", false},
                                    MemoryBank{0x100000000, 0x20000000, "/memory@100000000", true}));
  EXPECT_EQ(m.ram_size(), 0xe0000000u);
}

TEST(DtbRead, OneCellMemoryHoldsSeveralBanksInOneReg) {
  const Machine m = one_cell_board();
  EXPECT_THAT(m.memory, ElementsAre(MemoryBank{0x60000000, 0x20000000, "/memory@60000000", false},
                                    MemoryBank{0x80000000, 0x20000000, "/memory@60000000", false}));
}

TEST(DtbRead, MemreserveBlock) {
  EXPECT_THAT(two_cell_board().memreserve, ElementsAre(Range{0x80000000, 0x10000}, Range{0x9fff0000, 0x1000}));
  EXPECT_TRUE(one_cell_board().memreserve.empty());
}

TEST(DtbRead, ReservedMemoryStaticWithEveryRegPairAndNoMap) {
  const Machine m = two_cell_board();
  ASSERT_GE(m.reserved.size(), 1u);
  const ReservedRegion& r = m.reserved[0];
  EXPECT_EQ(r.name, "secure@80100000");
  EXPECT_THAT(r.reg, ElementsAre(Range{0x80100000, 0x100000}, Range{0x80400000, 0x200000}));
  EXPECT_TRUE(r.no_map);
  EXPECT_FALSE(r.reusable);
  EXPECT_FALSE(r.is_dynamic());
  EXPECT_TRUE(r.linux_error.empty());
}

TEST(DtbRead, ReservedMemoryDynamicWithAlignmentAndAllocRanges) {
  const Machine m = two_cell_board();
  ASSERT_GE(m.reserved.size(), 2u);
  const ReservedRegion& r = m.reserved[1];
  EXPECT_EQ(r.name, "linux,cma");
  EXPECT_TRUE(r.is_dynamic());
  EXPECT_EQ(r.size, 0x4000000u);
  EXPECT_EQ(r.alignment, 0x400000u);
  EXPECT_THAT(r.alloc_ranges, ElementsAre(Range{0x80000000, 0x40000000}));
  EXPECT_TRUE(r.reusable);
  EXPECT_TRUE(r.linux_cma_default);
  EXPECT_THAT(r.compatible, ElementsAre("shared-dma-pool"));
}

TEST(DtbRead, ReservedMemoryNodesLinuxSkipsCarryLinuxMessage) {
  const Machine m = two_cell_board();
  ASSERT_EQ(m.reserved.size(), 4u);  // the disabled node is not listed at all
  EXPECT_EQ(m.reserved[2].name, "bad-size");
  EXPECT_EQ(m.reserved[2].linux_error, "invalid size property in 'bad-size' node.");
  EXPECT_FALSE(m.reserved[2].size.has_value());
  EXPECT_EQ(m.reserved[3].name, "both");
  EXPECT_THAT(m.reserved[3].linux_error, HasSubstr("can't use reusable and no-map together"));
}

TEST(DtbRead, ReservedMemoryWithOtherCellsThanRootIsIgnoredAsLinuxDoes) {
  const Machine m = one_cell_board();
  EXPECT_TRUE(m.reserved.empty());
  EXPECT_THAT(m.reserved_memory_error, HasSubstr("Reserved memory: unsupported node format, ignoring"));
}

TEST(DtbRead, ChosenWithTwoCellInitrdAndEverything) {
  const Chosen c = two_cell_board().chosen;
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.bootargs, "console=ttyS0 mem=3G nokaslr");
  ASSERT_TRUE(c.initrd.has_value());
  EXPECT_EQ(*c.initrd, (Initrd{0x88000000, 0x88800000, 2}));
  EXPECT_THAT(c.usable_memory, ElementsAre(Range{0x90000000, 0x10000000}));
  EXPECT_EQ(c.kaslr_seed, 0x123456789abcdef0u);
  EXPECT_EQ(c.stdout_path, "serial0:115200n8");
}

TEST(DtbRead, ChosenWithOneCellInitrd) {
  const Chosen c = one_cell_board().chosen;
  ASSERT_TRUE(c.initrd.has_value());
  EXPECT_EQ(*c.initrd, (Initrd{0x62000000, 0x62400000, 1}));
  EXPECT_FALSE(c.bootargs.has_value());
  EXPECT_FALSE(c.kaslr_seed.has_value());
}

TEST(DtbRead, UartThroughAliasIsTranslatedByBusRanges) {
  const Machine m = two_cell_board();
  ASSERT_TRUE(m.uart.has_value());
  EXPECT_EQ(m.uart->node, "/soc/serial@1c28000");
  EXPECT_THAT(m.uart->compatible, ElementsAre("snps,dw-apb-uart"));
  // soc's ranges map child 0x1000000.. to parent 0x41000000..
  EXPECT_EQ(m.uart->reg, (Range{0x41c28000, 0x400}));
}

TEST(DtbRead, UartByPathAtTheRoot) {
  const Machine m = one_cell_board();
  ASSERT_TRUE(m.uart.has_value());
  EXPECT_EQ(m.uart->node, "/uart@10009000");
  EXPECT_EQ(m.uart->reg, (Range{0x10009000, 0x1000}));
}

}  // namespace
}  // namespace ptsim::machine
