// ptdump of raw arm64 tables: level names as Linux folds them, holes at
// their real depth, runs merged by note_page(), markers splitting runs.
#include "ptsim/report/ptdump_arm64.h"

#include <gtest/gtest.h>

#include "ptsim/hw/arch/arm64/descriptor.h"

namespace ptsim::report {
namespace {

using hw::PhysAddr;
using namespace hw::arm64;

LeafAttributes kernel_data() {
  LeafAttributes a;
  a.af = true;
  a.sh = 3;
  a.pxn = true;
  a.uxn = true;
  return a;
}

TEST(PtdumpArm64, ThreeLevelsName39BitBlocksPgd) {
  // 4K pages, VA_BITS=39: CONFIG_PGTABLE_LEVELS=3, the pud folds into the
  // pgd, so a 1G block noted by pud_entry is printed "PGD".
  hw::PhysMem mem;
  mem.add_ram(PhysAddr(0x40000000), 0x100000);
  const DescriptorFormat f{Granule::k4K, OaFormat::pa48};
  mem.store64(PhysAddr(0x40000000), make_block(f, 1, PhysAddr(0x40000000), kernel_data()));
  mem.store64(PhysAddr(0x40000008), make_table(f, 1, PhysAddr(0x40001000)));
  LeafAttributes ro = kernel_data();
  ro.ap = 0b10;
  ro.contiguous = true;
  for (int i = 0; i < 16; ++i) {
    mem.store64(PhysAddr(0x40001000 + 8 * i),
                make_block(f, 2, PhysAddr(0x80000000 + (i << 21)), ro));
  }
  PtdumpArm64Input in;
  in.format = f;
  in.va_bits = 39;
  in.pgd = PhysAddr(0x40000000);
  in.start = 0xffffff8000000000;
  in.markers = arm64_linear_map_markers(39);
  EXPECT_EQ(ptdump_arm64(mem, in),
            "---[ Linear Mapping start ]---\n"
            "0xffffff8000000000-0xffffff8040000000           1G PGD       RW NX SHD AF        BLK "
            "UXN    MEM/NORMAL\n"
            "0xffffff8040000000-0xffffff8042000000          32M PMD       ro NX SHD AF    CON BLK "
            "UXN    MEM/NORMAL\n"
            "0xffffff8042000000-0xffffff8080000000         992M PMD\n"
            "0xffffff8080000000-0xffffffc000000000         254G PGD\n"
            "---[ Linear Mapping end ]---\n"
            "0xffffffc000000000-0x0000000000000000         256G PGD\n");
}

TEST(PtdumpArm64, TwoLevels64KNameBlocksPgdAndWalkPtes) {
  // 64K pages, VA_BITS=42: two levels; pmd_entry notes 512M blocks as
  // "PGD", the pte table's entries are each noted at level 4.
  hw::PhysMem mem;
  mem.add_ram(PhysAddr(0x40000000), 0x100000);
  const DescriptorFormat f{Granule::k64K, OaFormat::pa48};
  LeafAttributes dev = kernel_data();
  dev.attr_indx = 4;  // MT_DEVICE_nGnRE
  dev.ng = true;
  mem.store64(PhysAddr(0x40000000), make_block(f, 2, PhysAddr(0x0), dev));
  mem.store64(PhysAddr(0x40000008), make_table(f, 2, PhysAddr(0x40010000)));
  LeafAttributes user;
  user.af = true;
  user.ap = 0b01;
  user.pxn = true;
  mem.store64(PhysAddr(0x40010000), make_page(f, PhysAddr(0x50000000), user));
  mem.store64(PhysAddr(0x40010008), make_page(f, PhysAddr(0x50010000), user));
  PtdumpArm64Input in;
  in.format = f;
  in.va_bits = 42;
  in.pgd = PhysAddr(0x40000000);
  in.start = 0xfffffc0000000000;
  in.markers = {{0xfffffc0000000000, "start"}, {0xfffffc0020010000, "split"}};
  EXPECT_EQ(ptdump_arm64(mem, in),
            "---[ start ]---\n"
            "0xfffffc0000000000-0xfffffc0020000000         512M PGD       RW NX SHD AF NG     BLK "
            "UXN    DEVICE/nGnRE\n"
            "0xfffffc0020000000-0xfffffc0020010000          64K PTE   USR RW NX     AF             "
            "      MEM/NORMAL\n"
            "---[ split ]---\n"
            "0xfffffc0020010000-0xfffffc0020020000          64K PTE   USR RW NX     AF             "
            "      MEM/NORMAL\n"
            "0xfffffc0020020000-0xfffffc0040000000      524160K PTE\n"
            "0xfffffc0040000000-0x0000000000000000        4095G PGD\n");
}

}  // namespace
}  // namespace ptsim::report
