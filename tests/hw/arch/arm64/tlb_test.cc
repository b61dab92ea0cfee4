// The TLB model through the MMU front end: tagging by ASID and nG, every
// TLBI operation, entries at block and contiguous size, micro-TLB and walk
// cache.  Stale entries are the evidence of caching: a table changed
// without a TLBI still translates the old way until invalidated.
#include "ptsim/hw/arch/arm64/tlb.h"

#include <gtest/gtest.h>

#include "mmu_fixture.h"
#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/mmu.h"

namespace ptsim::hw::arm64 {
namespace {

using testing::Machine;

constexpr Access kR{false, AccessType::read};
constexpr uint64_t kUserVa = 0x400000;
constexpr uint64_t kKernelVa = 0xffff000000400000;

LeafAttributes not_global() {
  LeafAttributes a = testing::normal();
  a.ng = true;
  return a;
}

// Remaps `va` to a new PA in memory only; the TLB is not told.
void remap(Machine& m, uint64_t va, uint64_t pa, LeafAttributes a, int level = 3) {
  m.map(va, pa, a, level);
}

TEST(Tlb, SecondAccessHits) {
  Machine m;
  m.map(kKernelVa, 0x80000000, testing::normal());
  Mmu mmu(m.mem, m.regime());
  EXPECT_FALSE(mmu.access(kKernelVa, kR).tlb_hit);
  const MmuResult r = mmu.access(kKernelVa + 8, kR);
  EXPECT_TRUE(r.tlb_hit);
  EXPECT_EQ(r.pa.value(), 0x80000008u);
  EXPECT_EQ(mmu.stats().walks, 1u);
  EXPECT_EQ(mmu.stats().descriptor_reads, 4u);
  EXPECT_EQ(mmu.stats().main_hits, 1u);
}

TEST(Tlb, NonGlobalEntriesAreTaggedByAsidAndGlobalOnesAreNot) {
  Machine m;
  m.map(kUserVa, 0x80000000, not_global());
  m.map(kKernelVa, 0x90000000, testing::normal());
  Mmu mmu(m.mem, m.regime());
  mmu.set_asid(1);
  mmu.access(kUserVa, kR);
  mmu.access(kKernelVa, kR);
  remap(m, kUserVa, 0x81000000, not_global());
  remap(m, kKernelVa, 0x91000000, testing::normal());
  mmu.set_asid(2);
  // ASID 2 misses the nG entry and walks the new table; the global entry hits.
  EXPECT_EQ(mmu.access(kUserVa, kR).pa.value(), 0x81000000u);
  const MmuResult k = mmu.access(kKernelVa, kR);
  EXPECT_TRUE(k.tlb_hit);
  EXPECT_EQ(k.pa.value(), 0x90000000u);
  // Back in ASID 1 its own entry is still there.
  mmu.set_asid(1);
  EXPECT_EQ(mmu.access(kUserVa, kR).pa.value(), 0x80000000u);
}

TEST(Tlb, EightBitAsidsMatchOnTheLowByte) {
  Machine m;
  m.map(kUserVa, 0x80000000, not_global());
  Mmu mmu(m.mem, m.regime());  // TCR.AS = 0
  mmu.set_asid(0x101);
  mmu.access(kUserVa, kR);
  mmu.set_asid(0x201);
  EXPECT_TRUE(mmu.access(kUserVa, kR).tlb_hit);
}

struct TlbiCase {
  TlbiOp op;
  bool by_other_asid;   // the operation names ASID 2, the entries are ASID 1's
  bool drops_ng;        // the ASID 1 nG entry for the VA is gone
  bool drops_global;    // the global entry for the VA is gone
  bool drops_other_va;  // the nG entry of another VA is gone
};

class TlbiTest : public ::testing::TestWithParam<TlbiCase> {};

TEST_P(TlbiTest, InvalidatesWhatTheArmArmSays) {
  const TlbiCase c = GetParam();
  Machine m;
  const uint64_t other = kUserVa + 0x200000;
  m.map(kUserVa, 0x80000000, not_global());
  m.map(other, 0x80200000, not_global());
  m.map(kKernelVa, 0x90000000, testing::normal());
  Mmu mmu(m.mem, m.regime());
  mmu.set_asid(1);
  for (uint64_t va : {kUserVa, other, kKernelVa}) {
    mmu.access(va, kR);
  }
  remap(m, kUserVa, 0x81000000, not_global());
  remap(m, other, 0x81200000, not_global());
  remap(m, kKernelVa, 0x91000000, testing::normal());
  const uint16_t asid = c.by_other_asid ? 2 : 1;
  switch (c.op) {
    case TlbiOp::aside1:
      mmu.tlbi(c.op, 0, asid);
      break;
    case TlbiOp::vmalle1:
      mmu.tlbi(c.op);
      break;
    default:
      mmu.tlbi(c.op, kUserVa, asid);
      mmu.tlbi(c.op, kKernelVa, asid);
  }
  EXPECT_EQ(mmu.access(kUserVa, kR).pa.value(), c.drops_ng ? 0x81000000u : 0x80000000u);
  EXPECT_EQ(mmu.access(other, kR).pa.value(), c.drops_other_va ? 0x81200000u : 0x80200000u);
  EXPECT_EQ(mmu.access(kKernelVa, kR).pa.value(), c.drops_global ? 0x91000000u : 0x90000000u);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, TlbiTest,
    ::testing::Values(TlbiCase{TlbiOp::vmalle1, false, true, true, true},
                      TlbiCase{TlbiOp::vae1, false, true, true, false},
                      TlbiCase{TlbiOp::vae1, true, false, true,
                               false},  // other ASID: globals still go
                      TlbiCase{TlbiOp::vale1, false, true, true, false},
                      TlbiCase{TlbiOp::vale1, true, false, true, false},
                      TlbiCase{TlbiOp::vaae1, true, true, true, false},  // every ASID
                      TlbiCase{TlbiOp::vaale1, true, true, true, false},
                      TlbiCase{TlbiOp::aside1, false, true, false, true},  // globals stay
                      TlbiCase{TlbiOp::aside1, true, false, false, false}));

TEST(Tlb, BlockEntriesCoverTheBlock) {
  Machine m;
  m.map(kKernelVa & ~0x1fffffull, 0x80000000, testing::normal(), 2);
  Mmu mmu(m.mem, m.regime());
  mmu.access(kKernelVa & ~0x1fffffull, kR);
  const MmuResult r = mmu.access((kKernelVa & ~0x1fffffull) + 0x1ff000, kR);
  EXPECT_TRUE(r.tlb_hit);
  EXPECT_EQ(r.pa.value(), 0x801ff000u);
  EXPECT_EQ(r.level, 2);
  EXPECT_EQ(mmu.stats().walks, 1u);
  // TLBI by any VA inside the block removes it.
  mmu.tlbi(TlbiOp::vaae1, (kKernelVa & ~0x1fffffull) + 0x123000);
  EXPECT_FALSE(mmu.access(kKernelVa & ~0x1fffffull, kR).tlb_hit);
}

TEST(Tlb, ContiguousRunIsOneEntry) {
  Machine m;
  LeafAttributes a = testing::normal();
  a.contiguous = true;
  for (uint64_t i = 0; i < 16; ++i) {
    m.map(kKernelVa + i * 0x1000, 0x80000000 + i * 0x1000, a);
  }
  Mmu mmu(m.mem, m.regime());
  mmu.access(kKernelVa, kR);
  const MmuResult r = mmu.access(kKernelVa + 0xf123, kR);
  EXPECT_TRUE(r.tlb_hit);
  EXPECT_EQ(r.pa.value(), 0x8000f123u);
  EXPECT_EQ(mmu.tlb_valid_entries(), 1u);
}

TEST(Tlb, PermissionFaultsComeFromTheEntry) {
  Machine m;
  m.map(kKernelVa, 0x80000000, testing::normal(0b10));  // read-only
  Mmu mmu(m.mem, m.regime());
  mmu.access(kKernelVa, kR);
  const MmuResult w = mmu.access(kKernelVa, {false, AccessType::write});
  EXPECT_TRUE(w.tlb_hit);
  EXPECT_EQ(w.fault, FaultKind::permission);
  EXPECT_EQ(mmu.stats().fault_count(FaultKind::permission), 1u);
}

TEST(Tlb, WriteToCleanEntryWalksToMarkItDirty) {
  Machine m;
  m.regs.tcr_el1 = tcr::kHD.set(tcr::kHA.set(m.regs.tcr_el1, 1), 1);
  LeafAttributes a = testing::normal(0b10);
  a.dbm = true;
  m.map(kKernelVa, 0x80000000, a);
  Mmu mmu(m.mem, m.regime());
  mmu.access(kKernelVa, kR);
  EXPECT_FALSE(mmu.access(kKernelVa, {false, AccessType::write}).tlb_hit);
  EXPECT_EQ(desc::kAP.get(m.desc(kKernelVa)), 0u);
  EXPECT_EQ(mmu.stats().dirty_updates, 1u);
  EXPECT_TRUE(mmu.access(kKernelVa, {false, AccessType::write}).tlb_hit);
}

TEST(Tlb, MicroTlbHitsFirst) {
  Machine m;
  m.map(kKernelVa, 0x80000000, testing::normal());
  TlbConfig c;
  c.micro_entries = 8;
  Mmu mmu(m.mem, m.regime(), c);
  mmu.access(kKernelVa, kR);
  mmu.access(kKernelVa, kR);
  EXPECT_EQ(mmu.stats().micro_hits, 1u);
  EXPECT_EQ(mmu.stats().main_hits, 0u);
}

TEST(Tlb, WalkCacheShortensWalksAndVale1KeepsIt) {
  Machine m;
  m.map(kKernelVa, 0x80000000, testing::normal());
  m.map(kKernelVa + 0x1000, 0x80001000, testing::normal());
  TlbConfig c;
  c.walk_cache_entries = 16;
  Mmu mmu(m.mem, m.regime(), c);
  mmu.access(kKernelVa, kR);
  EXPECT_EQ(mmu.stats().descriptor_reads, 4u);
  mmu.access(kKernelVa + 0x1000, kR);  // the level 2 table entry is cached: one read
  EXPECT_EQ(mmu.stats().descriptor_reads, 5u);
  EXPECT_EQ(mmu.stats().walk_cache_hits, 1u);
  mmu.tlbi(TlbiOp::vale1, kKernelVa);
  mmu.access(kKernelVa, kR);
  EXPECT_EQ(mmu.stats().descriptor_reads, 6u);
  mmu.tlbi(TlbiOp::vae1, kKernelVa);  // all levels: the walk starts over
  mmu.access(kKernelVa, kR);
  EXPECT_EQ(mmu.stats().descriptor_reads, 10u);
}

TEST(Tlb, ReplacementEvictsTheLeastRecentlyUsed) {
  Machine m;
  for (uint64_t i = 0; i < 3; ++i) {
    m.map(kKernelVa + i * 0x1000, 0x80000000 + i * 0x1000, testing::normal());
  }
  TlbConfig c;
  c.entries = 2;
  c.ways = 2;
  Mmu mmu(m.mem, m.regime(), c);
  mmu.access(kKernelVa, kR);
  mmu.access(kKernelVa + 0x1000, kR);
  mmu.access(kKernelVa, kR);           // page 0 is now the most recent
  mmu.access(kKernelVa + 0x2000, kR);  // evicts page 1
  EXPECT_TRUE(mmu.access(kKernelVa, kR).tlb_hit);
  EXPECT_FALSE(mmu.access(kKernelVa + 0x1000, kR).tlb_hit);
}

TEST(Tlb, ConfigurationIsChecked) {
  TlbConfig c;
  c.entries = 24;
  c.ways = 4;  // 6 sets
  EXPECT_THROW(c.validate(), Error);
  c.entries = 0;
  EXPECT_THROW(c.validate(), Error);
}

// The bit set a TLB fill stores is permits() for each access, over every
// combination of the six permissions and PSTATE.PAN.
TEST(Tlb, AllowedAccessesArePermitsForEveryAccess) {
  for (unsigned bits = 0; bits < 64; ++bits) {
    const Permissions p{(bits & 1) != 0, (bits & 2) != 0,  (bits & 4) != 0,
                        (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0};
    for (bool pan : {false, true}) {
      const uint8_t allowed = allowed_accesses(p, pan);
      for (bool el0 : {false, true}) {
        for (AccessType t : {AccessType::read, AccessType::write, AccessType::execute}) {
          const Access a{el0, t};
          EXPECT_EQ((allowed >> access_index(a) & 1) != 0, permits(p, a, pan))
              << "permissions " << bits << " PAN " << pan << " " << access_name(a);
          EXPECT_EQ(packed_permits(pack_permissions(p), a, pan), permits(p, a, pan))
              << "permissions " << bits << " PAN " << pan << " " << access_name(a);
        }
      }
    }
  }
}

TEST(Tlb, TlbiNamesParse) {
  EXPECT_EQ(parse_tlbi_op("VAE1"), TlbiOp::vae1);
  EXPECT_EQ(parse_tlbi_op("vale1is"), TlbiOp::vale1);
  EXPECT_EQ(parse_tlbi_op("aside1"), TlbiOp::aside1);
  EXPECT_FALSE(parse_tlbi_op("alle2").has_value());
  EXPECT_EQ(tlbi_op_name(TlbiOp::vmalle1), "VMALLE1");
}

}  // namespace
}  // namespace ptsim::hw::arm64
