// Permissions end to end (a section, a page or a block mapped, an access
// translated), exhaustive over the bits that decide them, against the
// tables of the Arm ARM written out here independently of the model:
// short-descriptor AP[2:0] x AFE x XN x PXN x WXN x UWXN x domain x PL x
// access, and long-descriptor AP[2:1] x APTable x XN/XNTable x
// PXN/PXNTable x WXN x UWXN x PL x access.
#include "ptsim/hw/arch/arm/permissions.h"

#include <gtest/gtest.h>

#include "armv7_fixture.h"
#include "ptsim/hw/arch/arm/translate.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

using testing::Machine;

// B3.7.1 Table B3-8 "VMSAv7 MMU access permissions", [AP[2:0]][PL0?][write?];
// AP 100 is reserved and treated as no access.
constexpr bool kFullModel[8][2][2] = {
    /* 000 */ {{false, false}, {false, false}},
    /* 001 */ {{true, true}, {false, false}},
    /* 010 */ {{true, true}, {true, false}},
    /* 011 */ {{true, true}, {true, true}},
    /* 100 */ {{false, false}, {false, false}},
    /* 101 */ {{true, false}, {false, false}},
    /* 110 */ {{true, false}, {true, false}},
    /* 111 */ {{true, false}, {true, false}},
};
// B3.7.1 Table B3-9 "VMSAv7 MMU access permissions, simplified model", [AP[2:1]].
constexpr bool kSimplified[4][2][2] = {
    /* 00 */ {{true, true}, {false, false}},
    /* 01 */ {{true, true}, {true, true}},
    /* 10 */ {{true, false}, {false, false}},
    /* 11 */ {{true, false}, {true, false}},
};

// data[pl0][write] from the access model, then B3.7.2 for execution.
bool expected_access(const bool data[2][2], bool xn, bool pxn, bool wxn, bool uwxn, Access a) {
  if (a.type != AccessType::execute) {
    return data[a.el0][a.type == AccessType::write];
  }
  const bool readable = data[a.el0][0];
  const bool writable = data[a.el0][1];
  if (!readable || xn || (wxn && writable)) {
    return false;
  }
  return a.el0 || (!pxn && !(uwxn && data[1][1]));
}

constexpr Access kAccesses[] = {
    {false, AccessType::read}, {false, AccessType::write}, {false, AccessType::execute},
    {true, AccessType::read},  {true, AccessType::write},  {true, AccessType::execute},
};

TEST(ArmPermissions, ShortDescriptorExhaustive) {
  Machine m;
  // Domains: 0 client, 1 manager, 2 no access (testing::kDacr).
  int checked = 0;
  for (unsigned ap = 0; ap < 8; ++ap) {
    for (unsigned bits = 0; bits < 32; ++bits) {
      const bool xn = bits & 1, pxn = bits & 2, wxn = bits & 4, uwxn = bits & 8, afe = bits & 16;
      for (unsigned domain : {0u, 1u, 2u}) {
        for (bool page : {false, true}) {
          const uint32_t va = page ? 0x20001000 : 0x10000000;
          if (page) {
            m.small_page(va, 0x60000000, testing::short_attrs(ap, xn), domain, pxn);
          } else {
            m.section(va, 0x60000000, testing::short_attrs(ap, xn), domain, pxn);
          }
          m.regs.sctlr = static_cast<uint32_t>(sctlr::m.mask() | (afe ? sctlr::afe.mask() : 0) |
                                               (wxn ? sctlr::wxn.mask() : 0) |
                                               (uwxn ? sctlr::uwxn.mask() : 0));
          const Regime regime = m.regime();
          for (const Access a : kAccesses) {
            const Translation t = translate(m.mem, regime, va, a);
            FaultKind want = FaultKind::none;
            if (afe && (ap & 1) == 0) {
              want = FaultKind::access_flag;
            } else if (domain == 2) {
              want = FaultKind::domain;
            } else if (domain == 0) {
              const auto& data = afe ? kSimplified[ap >> 1] : kFullModel[ap];
              if (!expected_access(data, xn, pxn, wxn, uwxn, a)) {
                want = FaultKind::permission;
              }
            }
            ASSERT_EQ(t.fault, want)
                << "AP=" << ap << " XN=" << xn << " PXN=" << pxn << " WXN=" << wxn
                << " UWXN=" << uwxn << " AFE=" << afe << " domain=" << domain << " page=" << page
                << " access=" << access_name(a);
            ASSERT_EQ(t.level, page ? 2u : 1u);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 8 * 32 * 3 * 2 * 6);
}

TEST(ArmPermissions, LongDescriptorExhaustiveWithTableAttributes) {
  Machine m;
  m.use_lpae();
  int checked = 0;
  for (unsigned ap = 0; ap < 4; ++ap) {
    for (unsigned ap_table = 0; ap_table < 4; ++ap_table) {
      for (unsigned bits = 0; bits < 64; ++bits) {
        const bool xn = bits & 1, pxn = bits & 2, xn_table = bits & 4, pxn_table = bits & 8,
                   wxn = bits & 16, uwxn = bits & 32;
        ld::LeafAttributes a = testing::long_attrs(ap);
        a.xn = xn;
        a.pxn = pxn;
        ld::Table tab;
        tab.ap_table = static_cast<ld::ApTable>(ap_table);
        tab.xn_table = xn_table;
        tab.pxn_table = pxn_table;
        m.long_leaf(0x40201000, 0x60000000, 3, a, tab);
        m.regs.sctlr = static_cast<uint32_t>(sctlr::m.mask() | (wxn ? sctlr::wxn.mask() : 0) |
                                             (uwxn ? sctlr::uwxn.mask() : 0));
        const Regime regime = m.regime();
        // B3.6.1 "Hierarchical control of access permissions": APTable[1]
        // removes write, APTable[0] PL0 access.
        const unsigned eff = ap | (ap_table & 0b10);
        bool data[2][2];
        for (bool pl0 : {false, true}) {
          for (bool w : {false, true}) {
            data[pl0][w] = kSimplified[eff][pl0][w] && !(pl0 && (ap_table & 1));
          }
        }
        for (const Access acc : kAccesses) {
          const Translation t = translate(m.mem, regime, 0x40201000, acc);
          const bool want = expected_access(data, xn || xn_table, pxn || pxn_table, wxn, uwxn, acc);
          ASSERT_EQ(t.ok(), want) << "AP=" << ap << " APTable=" << ap_table << " bits=" << bits
                                  << " access=" << access_name(acc);
          if (!want) {
            ASSERT_EQ(t.fault, FaultKind::permission);
            ASSERT_EQ(t.level, 3u);
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 4 * 4 * 64 * 6);
}

}  // namespace
}  // namespace ptsim::hw::arm
