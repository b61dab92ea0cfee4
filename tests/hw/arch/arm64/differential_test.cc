// The fast walker against the reference walker on random tables: random
// descriptors (tables, blocks, pages, garbage), cyclic tables, tables and
// TTBRs outside RAM, every granule, random control registers and accesses.
// Then the TLB front end against plain translation on random access
// sequences over the same tables.
#include <gtest/gtest.h>

#include <random>

#include "mmu_fixture.h"
#include "ptsim/hw/arch/arm64/mmu.h"
#include "ptsim/hw/arch/arm64/par.h"
#include "reference_walker.h"

namespace ptsim::hw::arm64 {
namespace {

constexpr uint64_t kBase = 0x40000000;
constexpr uint64_t kSize = 0x40000;  // 256 KiB: 4 frames of 64K, 64 of 4K

struct World {
  PhysMem mem;
  Registers regs;
  unsigned granule_bits = 12;
};

// One random descriptor for a table of `granule_bits` frames.
uint64_t random_descriptor(std::mt19937_64& rng, unsigned granule_bits) {
  const uint64_t frames = kSize >> granule_bits;
  const uint64_t frame = kBase + (rng() % frames << granule_bits);
  const uint64_t attrs = rng() & (genmask(11, 2) | genmask(54, 50) | genmask(63, 59));
  switch (rng() % 10) {
    case 0:
      return 0;  // invalid
    case 1:
      return rng();  // garbage, often with address bits above 48
    case 2:
      return (rng() & genmask(47, granule_bits)) |
             3;  // a table or page anywhere: often outside RAM
    case 3:
    case 4:
    case 5:
      return frame | (rng() & genmask(63, 59)) | 3;  // a table inside RAM (cycles are likely)
    case 6:
    case 7:
      return (rng() & genmask(39, granule_bits)) | attrs | 1;  // block (or reserved at its level)
    default:
      return (rng() & genmask(39, granule_bits)) | attrs | 3;  // page (or a table above level 3)
  }
}

uint64_t random_tcr(std::mt19937_64& rng, unsigned& granule_bits) {
  static constexpr unsigned kGranules[] = {12, 14, 16};
  granule_bits = kGranules[rng() % 3];
  const Granule g = granule_from_shift(granule_bits);
  const bool ds = g != Granule::k64K && rng() % 4 == 0;
  const unsigned min = (ds || g == Granule::k64K) ? 12 : 16;
  uint64_t t = 0;
  t = tcr::kT0SZ.set(t, min + rng() % (40 - min));
  t = tcr::kT1SZ.set(t, min + rng() % (40 - min));
  t = tcr::kTG0.set(t, encode_tg0(g));
  t = tcr::kTG1.set(t, encode_tg1(g));
  t = tcr::kIPS.set(t, rng() % 7);
  t = tcr::kDS.set(t, ds);
  t = tcr::kSH0.set(t, rng() & 3);
  t = tcr::kSH1.set(t, rng() & 3);
  for (const BitField f : {tcr::kTBI0, tcr::kTBI1, tcr::kTBID0, tcr::kTBID1, tcr::kHPD0, tcr::kHPD1,
                           tcr::kHA, tcr::kHD}) {
    t = f.set(t, rng() % 3 == 0);
  }
  t = tcr::kEPD0.set(t, rng() % 16 == 0);
  return t;
}

uint64_t random_ttbr(std::mt19937_64& rng, unsigned granule_bits) {
  if (rng() % 16 == 0) {
    return rng() & genmask(47, 2);  // anywhere, usually outside RAM
  }
  return kBase + ((rng() % (kSize >> granule_bits)) << granule_bits);
}

uint64_t random_va(std::mt19937_64& rng) {
  uint64_t va = rng();
  switch (rng() % 4) {
    case 0:
      return va;  // mostly out of range
    case 1:
      return va & genmask(47, 0);
    default:
      // Sign-extended from a random width, so both ranges and all sizes appear.
      const auto width = static_cast<unsigned>(25 + rng() % 28);
      va &= genmask(width - 1, 0);
      return (rng() & 1) ? (va | genmask(63, width)) : va;
  }
}

// Without `allow_cont` no descriptor has the Contiguous bit: a random run
// of entries is a misprogrammed one, whose TLB behaviour the architecture
// leaves CONSTRAINED UNPREDICTABLE.
void fill(World& w, std::mt19937_64& rng, bool allow_cont) {
  for (uint64_t a = kBase; a < kBase + kSize; a += 8) {
    uint64_t d = random_descriptor(rng, w.granule_bits);
    if (!allow_cont) {
      d &= ~bit(52);
    }
    w.mem.store64(PhysAddr(a), d);
  }
}

TEST(Differential, FastWalkerAgreesWithTheReference) {
  std::mt19937_64 rng(20261121);
  unsigned compared = 0, ok = 0;
  unsigned by_fault[kFaultKinds] = {};
  for (int world = 0; world < 120; ++world) {
    World w;
    w.mem.add_ram(PhysAddr(kBase), kSize);
    w.regs.tcr_el1 = random_tcr(rng, w.granule_bits);
    fill(w, rng, true);
    w.regs.ttbr0_el1 = random_ttbr(rng, w.granule_bits);
    w.regs.ttbr1_el1 = random_ttbr(rng, w.granule_bits);
    w.regs.mair_el1 = 0x000000440c0804ffull;
    w.regs.sctlr_el1 = sctlr::kWXN.set(sctlr::kM.set(0, 1), rng() & 1);
    w.regs.pstate_pan = rng() & 1;
    const Regime regime = Regime::from_registers(w.regs);
    for (int i = 0; i < 400; ++i) {
      // Half the VAs go through a real table, the rest anywhere.
      const uint64_t va = random_va(rng);
      const bool el0 = rng() & 1;
      const int kind = static_cast<int>(rng() % 3);
      const Access access{el0, static_cast<AccessType>(kind)};
      const reference::Outcome want =
          reference::translate(w.mem, w.regs.ttbr0_el1, w.regs.ttbr1_el1, w.regs.tcr_el1,
                               w.regs.mair_el1, w.regs.sctlr_el1, w.regs.pstate_pan, va, el0, kind);
      const Translation got = translate_no_update(w.mem, regime, va, access);
      const std::string ctx =
          fmt::format("world {} TCR {:#x} TTBR0 {:#x} TTBR1 {:#x} VA {:#x} {}", world,
                      w.regs.tcr_el1, w.regs.ttbr0_el1, w.regs.ttbr1_el1, va, access_name(access));
      ASSERT_EQ(fault_kind_name(got.fault), fault_kind_name(want.fault)) << ctx;
      ASSERT_EQ(got.level, want.level) << ctx;
      if (want.fault == FaultKind::none) {
        ASSERT_EQ(got.pa.value(), want.pa) << ctx;
        ++ok;
      }
      if (kind != 2) {
        ASSERT_EQ(par_for(got), want.par) << ctx;
      }
      ++by_fault[static_cast<unsigned>(want.fault)];
      ++compared;
    }
  }
  // The random worlds must reach every outcome, or the test proves little.
  for (unsigned k = 0; k < kFaultKinds; ++k) {
    EXPECT_GT(by_fault[k], 20u) << fault_kind_name(static_cast<FaultKind>(k));
  }
  EXPECT_EQ(compared, 120u * 400u);
  EXPECT_GT(ok, 300u);
}

TEST(Differential, TlbFrontEndAgreesWithPlainTranslation) {
  std::mt19937_64 rng(7);
  uint64_t hits = 0;
  for (int world = 0; world < 40; ++world) {
    World w;
    w.mem.add_ram(PhysAddr(kBase), kSize);
    w.regs.tcr_el1 = random_tcr(rng, w.granule_bits);
    w.regs.tcr_el1 = tcr::kHA.set(w.regs.tcr_el1, 0);  // no updates: memory stays fixed
    w.regs.tcr_el1 = tcr::kEPD0.set(w.regs.tcr_el1, 0);
    fill(w, rng, false);
    w.regs.ttbr0_el1 = random_ttbr(rng, w.granule_bits);
    w.regs.ttbr1_el1 = random_ttbr(rng, w.granule_bits);
    w.regs.mair_el1 = 0xff;
    const Regime regime = Regime::from_registers(w.regs);
    TlbConfig c;
    c.entries = 16;
    c.ways = 2;
    c.micro_entries = world % 2 ? 4 : 0;
    c.walk_cache_entries = world % 3 ? 8 : 0;
    Mmu mmu(w.mem, regime, c);
    // A small pool of VAs so the TLB hits: some that translate, some not.
    std::vector<uint64_t> pool;
    for (int i = 0; i < 20000 && pool.size() < 16; ++i) {
      const uint64_t va = random_va(rng);
      if (translate_no_update(w.mem, regime, va, {false, AccessType::read}).ok()) {
        pool.push_back(va);
      }
    }
    for (int i = 0; i < 8; ++i) {
      pool.push_back(random_va(rng));
    }
    for (int i = 0; i < 3000; ++i) {
      const uint64_t va = pool[rng() % pool.size()] ^ (rng() % 8 == 0 ? (rng() & 0xfff) : 0);
      const Access access{static_cast<bool>(rng() & 1), static_cast<AccessType>(rng() % 3)};
      const Translation want = translate_no_update(w.mem, regime, va, access);
      const MmuResult got = mmu.access(va, access);
      const std::string ctx = fmt::format("world {} VA {:#x} {}", world, va, access_name(access));
      ASSERT_EQ(fault_kind_name(got.fault), fault_kind_name(want.fault)) << ctx;
      ASSERT_EQ(got.level, want.level) << ctx;
      if (want.ok()) {
        ASSERT_EQ(got.pa.value(), want.pa.value()) << ctx;
      }
    }
    hits += mmu.stats().hits();
  }
  EXPECT_GT(hits, 1000u);
}

}  // namespace
}  // namespace ptsim::hw::arm64
