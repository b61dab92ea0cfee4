// The TLB never answers differently from a walk: over random tables
// (short-descriptor and LPAE, with random attributes, domains and raw
// descriptor values), random register settings and random traces of
// accesses, ASID switches and TLB maintenance, every Mmu::access gives the
// fault kind, level and physical address translate() gives.  The tables do
// not change during a trace, so no TLBI is ever needed for correctness.
#include <gtest/gtest.h>

#include <random>

#include "armv7_fixture.h"
#include "ptsim/hw/arch/arm/mmu.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;
using testing::Machine;

constexpr uint32_t kVaSpan = 64u << 20;  // VAs in [0, 64 MiB) and [0xc0000000, +64 MiB)

uint32_t random_va(std::mt19937& rng) {
  const uint32_t va = rng() % kVaSpan;
  return (rng() & 1) != 0 ? va : 0xc0000000u + va;
}

sd::RegionAttributes random_short_attrs(std::mt19937& rng) {
  sd::RegionAttributes a;
  a.ap = rng() & 3;
  a.apx = (rng() & 1) != 0;
  a.tex = rng() & 7;
  a.c = (rng() & 1) != 0;
  a.b = (rng() & 1) != 0;
  a.s = (rng() & 1) != 0;
  a.ng = (rng() & 1) != 0;
  a.xn = (rng() & 1) != 0;
  return a;
}

ld::LeafAttributes random_long_attrs(std::mt19937& rng) {
  ld::LeafAttributes a = testing::long_attrs(rng() & 3, (rng() % 8) != 0);
  a.attr_indx = rng() & 3;
  a.ng = (rng() & 1) != 0;
  a.xn = (rng() & 1) != 0;
  a.pxn = (rng() & 1) != 0;
  return a;
}

// Tables the architecture gives one meaning: a supersection repeated in its
// 16 first-level entries and a large page in its 16 second-level entries
// (B3.5.1; anything else is UNPREDICTABLE and may differ between TLB and
// walk).  Each 16 MiB zone holds one kind of mapping.
void fill_short(Machine& m, std::mt19937& rng) {
  for (uint32_t base : {0u, 0xc0000000u}) {
    for (uint32_t zone = base; zone < base + kVaSpan; zone += 16u << 20) {
      const auto kind = static_cast<unsigned>(rng() % 3);
      if (kind == 0) {
        const uint64_t pa = (uint64_t{rng() & 0xff000000u}) | (uint64_t{rng() & 0xff} << 32);
        m.supersection(zone, pa, random_short_attrs(rng));
        continue;
      }
      for (uint32_t mib = zone; mib < zone + (16u << 20); mib += 1u << 20) {
        const uint64_t pa = uint64_t{rng() & 0xfff00000u};
        const unsigned what = rng() % 4;
        if (kind == 1 || what == 0) {
          if (what == 1) {
            // A raw value, whatever it decodes to, if not a supersection.
            m.set_l1(mib, static_cast<uint32_t>(rng()) &
                              ~static_cast<uint32_t>(sd::section::supersection.mask()));
          } else {
            m.section(mib, pa, random_short_attrs(rng), rng() & 3, (rng() & 1) != 0);
          }
          continue;
        }
        const unsigned domain = rng() & 3;
        const bool pxn = (rng() & 1) != 0;
        m.page_table(mib, domain, pxn);
        for (uint32_t group = mib; group < mib + (1u << 20); group += 64u << 10) {
          const uint64_t gpa = uint64_t{rng() & 0xffff0000u};
          switch (rng() % 3) {
            case 0:
              m.large_page(group, gpa, random_short_attrs(rng), domain);
              break;
            case 1:
              for (uint32_t page = group; page < group + (64u << 10); page += 4096) {
                if ((rng() & 3) != 0) {
                  m.small_page(page, gpa + (page - group), random_short_attrs(rng), domain, pxn);
                }
              }
              break;
            default:
              break;  // fault entries
          }
        }
      }
    }
  }
}

void fill_long(Machine& m, std::mt19937& rng) {
  for (int i = 0; i < 200; ++i) {
    const uint32_t va = random_va(rng);
    const unsigned level = 2 + (rng() % 2);
    const uint64_t pa = (uint64_t{rng()} << 12) & genmask(39, ld::level_shift(level));
    ld::Table tab;
    tab.ap_table = static_cast<ld::ApTable>(rng() % 8 == 0 ? rng() & 3 : 0);
    tab.xn_table = rng() % 8 == 0;
    tab.pxn_table = rng() % 8 == 0;
    m.long_leaf(va, pa, level, random_long_attrs(rng), tab);
  }
}

constexpr uint32_t kDomainChoices[] = {0b00, 0b01, 0b11};

Registers random_controls(Registers r, std::mt19937& rng) {
  r.dacr = 0;
  for (unsigned d = 0; d < 16; ++d) {
    r.dacr |= kDomainChoices[rng() % 3] << (2 * d);
  }
  r.sctlr = static_cast<uint32_t>(sctlr::m.mask());
  for (const BitField f : {sctlr::afe, sctlr::wxn, sctlr::uwxn, sctlr::tre}) {
    if ((rng() & 1) != 0) {
      r.sctlr |= static_cast<uint32_t>(f.mask());
    }
  }
  r.prrr = 0xff0a81a8;
  r.nmrr = 0x40e040e0;
  r.contextidr = rng() & 0xff;
  return r;
}

constexpr Access kAccesses[] = {
    {false, AccessType::read}, {false, AccessType::write}, {false, AccessType::execute},
    {true, AccessType::read},  {true, AccessType::write},  {true, AccessType::execute},
};

// A TLB of 64 entries, alone or with a micro-TLB and a walk cache.
arm64::TlbConfig random_tlb(std::mt19937& rng) {
  arm64::TlbConfig c{64, 4};
  if ((rng() & 1) != 0) {
    c.micro_entries = 8;
    c.walk_cache_entries = 8;
    c.walk_cache_ways = 2;
  }
  return c;
}

void replay_and_compare(const Machine& m, const Regime& regime, std::mt19937& rng) {
  Mmu mmu(m.mem, regime, random_tlb(rng));
  Regime current = regime;
  // Revisit a small pool of VAs so the TLB hits.
  std::vector<uint32_t> pool;
  for (int i = 0; i < 64; ++i) {
    pool.push_back(random_va(rng));
  }
  for (int i = 0; i < 20000; ++i) {
    const auto what = static_cast<unsigned>(rng() % 100);
    if (what == 0) {
      const auto asid = static_cast<uint8_t>(rng() & 3);
      mmu.set_asid(asid);
      current.set_asid(asid);
      continue;
    }
    if (what == 1) {
      const auto op = static_cast<TlbiOp>(rng() % 4);
      mmu.tlbi(op, pool[rng() % pool.size()], static_cast<uint8_t>(rng() & 3));
      continue;
    }
    if (what == 2) {
      // A DACR write, with no TLB maintenance after it.
      const uint32_t dacr = random_controls(current.registers(), rng).dacr;
      mmu.set_dacr(dacr);
      current.set_dacr(dacr);
      continue;
    }
    const uint32_t va = pool[rng() % pool.size()] + (rng() & 0xfff);
    const Access a = kAccesses[rng() % 6];
    const MmuResult got = mmu.access(va, a);
    const Translation want = translate(m.mem, current, va, a);
    ASSERT_EQ(got.fault, want.fault) << "VA " << std::hex << va << " " << access_name(a);
    ASSERT_EQ(got.level, want.level) << "VA " << std::hex << va;
    if (want.ok()) {
      ASSERT_EQ(got.pa, want.pa) << "VA " << std::hex << va;
    }
  }
  EXPECT_GT(mmu.stats().hits(), 0u);
  EXPECT_GT(mmu.stats().walks, 0u);
  EXPECT_GT(mmu.stats().dacr_writes, 0u);
  if (mmu.config().walk_cache_entries != 0) {
    EXPECT_GT(mmu.stats().walk_cache_hits, 0u);
    EXPECT_GT(mmu.stats().micro_hits, 0u);
  }
}

TEST(ArmMmuDifferential, ShortDescriptorTlbAgreesWithTheWalk) {
  std::mt19937 rng(6);
  for (int round = 0; round < 4; ++round) {
    Machine m;
    fill_short(m, rng);
    m.regs = random_controls(m.regs, rng);
    replay_and_compare(m, m.regime(), rng);
  }
}

TEST(ArmMmuDifferential, LpaeTlbAgreesWithTheWalk) {
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    Machine m;
    m.use_lpae();
    fill_long(m, rng);
    m.regs = random_controls(m.regs, rng);
    m.regs.ttbcr = 0x80000000;
    m.regs.ttbr0 = m.l1 | (uint64_t{rng() & 0xff} << 48);
    replay_and_compare(m, m.regime(), rng);
  }
}

}  // namespace
}  // namespace ptsim::hw::arm
