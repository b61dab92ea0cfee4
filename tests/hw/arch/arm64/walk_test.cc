// The stage 1 walk over hand-built tables: outputs, recorded descriptors and
// every way a walk can stop.
#include "ptsim/hw/arch/arm64/walk.h"

#include <gtest/gtest.h>

#include <random>
#include <tuple>
#include <vector>

#include "hw/arch/arm64/walk_core.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {
namespace {

struct World {
  PhysMem mem;
  WalkRequest req;
  World(Granule g, unsigned ia_bits) {
    mem.add_ram(PhysAddr(0x40000000), 0x10000000);
    req.format = {g, OaFormat::pa48};
    req.table_base = PhysAddr(0x40000000);
    req.ia_bits = ia_bits;
  }
  void set(uint64_t pa, uint64_t v) { mem.store64(PhysAddr(pa), v); }
};

LeafAttributes kernel_rw() {
  LeafAttributes a;
  a.af = true;
  a.sh = 3;
  a.pxn = true;
  a.uxn = true;
  return a;
}

TEST(Walk, FourLevelsTo4KPage) {
  World w(Granule::k4K, 48);
  const DescriptorFormat& f = w.req.format;
  // VA 0x0000_0080_4020_3123: L0 index 1, L1 index 1, L2 index 1, L3 index 3.
  const uint64_t va = (1ull << 39) | (1ull << 30) | (1ull << 21) | (3ull << 12) | 0x123;
  w.set(0x40000000 + 8, make_table(f, 0, PhysAddr(0x40001000)));
  w.set(0x40001000 + 8, make_table(f, 1, PhysAddr(0x40002000)));
  w.set(0x40002000 + 8, make_table(f, 2, PhysAddr(0x40003000)));
  w.set(0x40003000 + 24, make_page(f, PhysAddr(0x12345000), kernel_rw()));
  const WalkResult r = walk(w.mem, w.req, va);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output.value(), 0x12345123u);
  EXPECT_EQ(r.level, 3);
  EXPECT_EQ(r.block_size, 4096u);
  ASSERT_EQ(r.step_count, 4u);
  EXPECT_EQ(r.steps[0].entry_addr.value(), 0x40000008u);
  EXPECT_EQ(r.steps[3].entry_addr.value(), 0x40003018u);
  EXPECT_EQ(r.steps[3].kind, DescriptorKind::page);
  EXPECT_EQ(r.leaf_raw, r.steps[3].raw);
  EXPECT_EQ(r.leaf(), kernel_rw());
}

TEST(Walk, StartLevelFollowsGranuleAndInputSize) {
  // 64K, 42 bits: starts at level 2, whose table indexes bits [41:29].
  World w(Granule::k64K, 42);
  const DescriptorFormat& f = w.req.format;
  const uint64_t va = (5ull << 29) | 0x1234567;
  w.set(0x40000000 + 5 * 8, make_block(f, 2, PhysAddr(0x60000000), kernel_rw()));
  const WalkResult r = walk(w.mem, w.req, va);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.steps[0].level, 2);
  EXPECT_EQ(r.output.value(), 0x61234567u);
  EXPECT_EQ(r.block_size, 512ull << 20);
}

TEST(Walk, UpperHalfUsesTheTopBitsAsOnes) {
  World w(Granule::k4K, 39);
  w.req.upper_half = true;
  const DescriptorFormat& f = w.req.format;
  const uint64_t va = 0xffffff8000000000 | (2ull << 30) | 0x123;
  w.set(0x40000000 + 2 * 8, make_block(f, 1, PhysAddr(0x80000000), kernel_rw()));
  const WalkResult r = walk(w.mem, w.req, va);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.output.value(), 0x80000123u);
  // A lower-half address with the upper-half table is out of range.
  const WalkResult out = walk(w.mem, w.req, 0x0000000080000000);
  EXPECT_EQ(out.fault, FaultKind::translation);
  EXPECT_EQ(out.step_count, 0u);
}

TEST(Walk, FaultsStopWithTheirLevel) {
  World w(Granule::k4K, 48);
  const DescriptorFormat& f = w.req.format;
  // Invalid at level 0.
  EXPECT_EQ(walk(w.mem, w.req, 0x1000).fault, FaultKind::translation);
  EXPECT_EQ(walk(w.mem, w.req, 0x1000).level, 0);
  // Reserved: a block at level 0.
  w.set(0x40000000, 0x1);
  EXPECT_EQ(walk(w.mem, w.req, 0x1000).fault, FaultKind::translation);
  // Table pointing outside every bank: external abort at the next level.
  w.set(0x40000000, make_table(f, 0, PhysAddr(0x1000)));
  const WalkResult ext = walk(w.mem, w.req, 0x1000);
  EXPECT_EQ(ext.fault, FaultKind::external_abort);
  EXPECT_EQ(ext.level, 1);
  // Table address with bits above 48 set: address size fault.
  w.set(0x40000000, make_table(f, 0, PhysAddr(0x40001000)) | (1ull << 48));
  EXPECT_EQ(walk(w.mem, w.req, 0x1000).fault, FaultKind::address_size);
  // Output address above the configured PA size (40 bits).
  w.req.pa_bits = 40;
  w.set(0x40000000, make_table(f, 0, PhysAddr(0x40001000)));
  w.set(0x40001000, make_block(f, 1, PhysAddr(0x10000000000), kernel_rw()));
  EXPECT_EQ(walk(w.mem, w.req, 0x1000).fault, FaultKind::address_size);
  // Access flag clear.
  LeafAttributes old = kernel_rw();
  old.af = false;
  w.set(0x40001000, make_block(f, 1, PhysAddr(0x80000000), old));
  const WalkResult af = walk(w.mem, w.req, 0x1000);
  EXPECT_EQ(af.fault, FaultKind::access_flag);
  EXPECT_EQ(af.level, 1);
}

TEST(Walk, SelfReferencingTableEndsAfterTheLastLevel) {
  World w(Granule::k4K, 48);
  const DescriptorFormat& f = w.req.format;
  w.set(0x40000000, make_table(f, 0, PhysAddr(0x40000000)));  // points at itself
  const WalkResult r = walk(w.mem, w.req, 0x0);
  // Levels 0-2 read the same entry as a table; level 3 reads it as a page
  // whose Access flag is clear.
  EXPECT_EQ(r.step_count, 4u);
  EXPECT_EQ(r.fault, FaultKind::access_flag);
  EXPECT_EQ(r.level, 3);
  EXPECT_EQ(r.output.value(), 0x40000000u);
}

TEST(Walk, HierarchicalAttributesAccumulate) {
  World w(Granule::k16K, 47);
  const DescriptorFormat& f = w.req.format;
  TableAttributes t;
  t.pxn_table = true;
  w.set(0x40000000, make_table(f, 1, PhysAddr(0x40004000), t));
  TableAttributes u;
  u.uxn_table = true;
  w.set(0x40004000, make_table(f, 2, PhysAddr(0x40008000), u));
  w.set(0x40008000, make_page(f, PhysAddr(0x50000000), kernel_rw()));
  const WalkResult r = walk(w.mem, w.req, 0x0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.table.pxn_table);
  EXPECT_TRUE(r.table.uxn_table);
  EXPECT_EQ(r.steps[0].level, 1);
}

TEST(Walker, OnePlanServesEveryAddressAndSeesTableWrites) {
  World w(Granule::k4K, 48);
  const DescriptorFormat& f = w.req.format;
  w.set(0x40000000, make_table(f, 0, PhysAddr(0x40001000)));
  w.set(0x40001000, make_table(f, 1, PhysAddr(0x40002000)));
  w.set(0x40002000, make_table(f, 2, PhysAddr(0x40003000)));
  for (uint64_t i = 0; i < 512; ++i) {
    w.set(0x40003000 + i * 8, make_page(f, PhysAddr(0x50000000 + i * 4096), kernel_rw()));
  }
  const Walker walker(w.req);
  TableReader reader(w.mem);
  for (uint64_t i = 0; i < 512; ++i) {
    const uint64_t va = i * 4096 + 0x10;
    const WalkResult cached = walker.walk(reader, va);
    const WalkResult direct = walker.walk(w.mem, va);
    ASSERT_TRUE(cached.ok() && direct.ok()) << i;
    EXPECT_EQ(cached.output.value(), 0x50000010 + i * 4096);
    EXPECT_EQ(direct.output.value(), cached.output.value());
    EXPECT_EQ(cached.step_count, 4u);
  }
  // The reader remembers where frames are, not what they hold: a table
  // written after it was read is seen by the next walk.
  w.set(0x40003000 + 7 * 8, 0);
  EXPECT_EQ(walker.walk(reader, 7 * 4096).fault, FaultKind::translation);
  w.set(0x40003000 + 7 * 8, make_page(f, PhysAddr(0x60000000), kernel_rw()));
  EXPECT_EQ(walker.walk(reader, 7 * 4096 + 1).output.value(), 0x60000001u);
}

// Walker::entry_fault against AArch64.VAIsOutOfRange written out bit by bit:
// every VA bit from AddrTop down to the input size equals the range's.
TEST(Walker, EntryFaultIsTheArchitecturesRangeCheck) {
  World w(Granule::k4K, 48);
  unsigned checked = 0;
  for (unsigned ia_bits = 25; ia_bits <= 52; ++ia_bits) {
    for (const bool upper : {false, true}) {
      for (const bool tbi : {false, true}) {
        w.req.ia_bits = ia_bits;
        w.req.upper_half = upper;
        w.req.tbi = tbi;
        const Walker walker(w.req);
        const unsigned top = tbi ? 55 : 63;
        for (const uint64_t va :
             {uint64_t{0}, ~uint64_t{0}, (uint64_t{1} << ia_bits) - 1, uint64_t{1} << ia_bits,
              ~uint64_t{0} << ia_bits, (~uint64_t{0} << ia_bits) ^ (uint64_t{1} << 60),
              uint64_t{0x5a} << 56, (~uint64_t{0} << ia_bits) & genmask(55, 0)}) {
          bool in_range = true;
          for (unsigned b = ia_bits; b <= top; ++b) {
            in_range = in_range && (((va >> b) & 1) == (upper ? 1u : 0u));
          }
          EXPECT_EQ(walker.entry_fault(va) == FaultKind::none, in_range)
              << std::hex << "va " << va << std::dec << " ia " << ia_bits << " upper " << upper
              << " tbi " << tbi;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 28u * 4u * 8u);
  // A TTBR base above the output-address size faults at entry, in range.
  w.req.ia_bits = 48;
  w.req.upper_half = false;
  w.req.tbi = false;
  w.req.pa_bits = 40;
  w.req.table_base = PhysAddr(uint64_t{1} << 40);
  EXPECT_EQ(Walker(w.req).entry_fault(0x1000), FaultKind::address_size);
  EXPECT_EQ(Walker(w.req).walk(w.mem, 0x1000).fault, FaultKind::address_size);
}

// Records every descriptor the core walk reads.
struct StepLog {
  std::vector<std::tuple<int, uint64_t, uint64_t, uint64_t, DescriptorKind>> steps;
  std::vector<std::tuple<int, uint64_t, uint64_t>> tables;
  void step(int level, uint64_t index, uint64_t entry, uint64_t raw, DescriptorKind kind) {
    steps.emplace_back(level, index, entry, raw, kind);
  }
  void table(int level, uint64_t raw, uint64_t next) { tables.emplace_back(level, raw, next); }
};

// The walk with 4K/48-bit constants compiled in (walk_core.h's Format4K48)
// and the walk reading them from the plan agree on every outcome over
// random descriptors: tables, blocks, pages, reserved entries, address bits
// above 48, addresses outside RAM; also when resumed at a lower level.
TEST(Walker, FixedFormatWalksAsThePlanDoes) {
  World w(Granule::k4K, 48);
  std::mt19937_64 rng(48);
  for (uint64_t a = 0x40000000; a < 0x40000000 + 16 * 4096; a += 8) {
    uint64_t d = (0x40000000 + (rng() % 16) * 4096) | (rng() & 0xfff) | ((rng() & 0x7) << 48);
    if (rng() % 8 == 0) {
      d = rng();  // anything, mostly address size faults
    } else if (rng() % 8 == 0) {
      d = rng() & genmask(47, 0);  // an address anywhere in 48 bits
    }
    w.set(a, d);
  }
  w.req.pa_bits = 48;
  const detail::WalkPlan plan(w.req);
  ASSERT_TRUE(plan.format_4k48);
  TableReader reader(w.mem);
  unsigned leaves = 0;
  for (int i = 0; i < 4000; ++i) {
    const uint64_t va = rng() & genmask(47, 0);
    const int level = i % 4;
    const uint64_t table = 0x40000000 + (rng() % 16) * 4096;
    StepLog fixed_log, plan_log;
    const detail::WalkEnd fixed =
        detail::walk_levels(reader, detail::Format4K48{plan}, va, level, table, fixed_log);
    const detail::WalkEnd planned =
        detail::walk_levels(reader, detail::RuntimeFormat{plan}, va, level, table, plan_log);
    ASSERT_EQ(fixed.fault, planned.fault) << std::hex << va;
    ASSERT_EQ(fixed.level, planned.level);
    ASSERT_EQ(fixed.reads, planned.reads);
    ASSERT_EQ(fixed.raw, planned.raw);
    ASSERT_EQ(fixed.base, planned.base);
    ASSERT_EQ(fixed.shift, planned.shift);
    ASSERT_EQ(fixed.table_bits, planned.table_bits);
    ASSERT_EQ(fixed_log.steps, plan_log.steps);
    ASSERT_EQ(fixed_log.tables, plan_log.tables);
    leaves += fixed.fault == FaultKind::none ? 1 : 0;
  }
  EXPECT_GT(leaves, 100u);
  // Any other geometry is walked with the plan's own values.
  w.req.ia_bits = 47;
  EXPECT_FALSE(detail::WalkPlan(w.req).format_4k48);
  w.req.ia_bits = 48;
  w.req.format.oa = OaFormat::lpa2;
  EXPECT_FALSE(detail::WalkPlan(w.req).format_4k48);
}

}  // namespace
}  // namespace ptsim::hw::arm64
