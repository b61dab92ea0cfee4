// Stage 1 permissions end to end (a page mapped, an access translated),
// exhaustive over AP[2:1] x UXN x PXN x PSTATE.PAN x SCTLR.WXN x EL x access,
// and over the table attributes, against the Arm ARM's tables (D8.4).
#include "ptsim/hw/arch/arm64/permissions.h"

#include <gtest/gtest.h>

#include "mmu_fixture.h"
#include "ptsim/hw/arch/arm64/translate.h"

namespace ptsim::hw::arm64 {
namespace {

using testing::Machine;

// D8.4.1, "Data access permissions for stage 1 of the EL1&0 regime":
// [AP][EL0?][write?].
constexpr bool kDataAllowed[4][2][2] = {
    /* 00 */ {{true, true}, {false, false}},
    /* 01 */ {{true, true}, {true, true}},
    /* 10 */ {{true, false}, {false, false}},
    /* 11 */ {{true, false}, {true, false}},
};

bool expected(unsigned ap, bool uxn, bool pxn, bool pan, bool wxn, bool el0, AccessType type) {
  const bool el0_accessible = ap == 0b01 || ap == 0b11;
  if (type == AccessType::execute) {
    const bool writable_here = kDataAllowed[ap][el0][1];
    if (wxn && writable_here) {
      return false;
    }
    if (el0) {
      return !uxn;
    }
    // D8.4.2: memory writable at EL0 is never executable at EL1.
    return !pxn && ap != 0b01;
  }
  if (!el0 && pan && el0_accessible) {
    return false;
  }
  return kDataAllowed[ap][el0][type == AccessType::write];
}

TEST(Permissions, ExhaustiveOverApXnPanWxnElAndAccess) {
  Machine m;
  const uint64_t va = 0xffff000000400000;
  int checked = 0;
  for (unsigned ap = 0; ap < 4; ++ap) {
    for (int bits = 0; bits < 16; ++bits) {
      const bool uxn = bits & 1, pxn = bits & 2, pan = bits & 4, wxn = bits & 8;
      LeafAttributes a = testing::normal(ap);
      a.uxn = uxn;
      a.pxn = pxn;
      m.map(va, 0x80000000, a);
      m.regs.pstate_pan = pan;
      m.regs.sctlr_el1 = sctlr::kWXN.set(sctlr::kM.set(0, 1), wxn);
      const Regime regime = m.regime();
      for (bool el0 : {false, true}) {
        for (AccessType type : {AccessType::read, AccessType::write, AccessType::execute}) {
          const Access access{el0, type};
          const Translation t = translate(m.mem, regime, va + 0x10, access);
          const bool want = expected(ap, uxn, pxn, pan, wxn, el0, type);
          EXPECT_EQ(t.ok(), want) << "AP=" << ap << " UXN=" << uxn << " PXN=" << pxn
                                  << " PAN=" << pan << " WXN=" << wxn << " " << access_name(access);
          if (!want) {
            EXPECT_EQ(t.fault, FaultKind::permission);
            EXPECT_EQ(t.level, 3);
          }
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 4 * 16 * 6);
}

// D8.4.3 "Hierarchical permissions": APTable[0] removes EL0 access,
// APTable[1] removes write access; UXNTable/PXNTable add execute-never;
// TCR_EL1.HPD1=1 disables all of them.
TEST(Permissions, TableAttributesRestrictAndHpdDisablesThem) {
  for (unsigned ap_table = 0; ap_table < 4; ++ap_table) {
    for (int xn = 0; xn < 4; ++xn) {
      for (bool hpd : {false, true}) {
        Machine m;
        TableAttributes t;
        t.ap_table = ap_table;
        t.uxn_table = xn & 1;
        t.pxn_table = xn & 2;
        const uint64_t va = 0xffff000000400000;
        m.map(va, 0x80000000, testing::normal(0b01), 3, t);  // EL0 RW, executable at EL0
        LeafAttributes ro = testing::normal(0b11);
        m.map(va + 0x1000, 0x80001000, ro, 3, t);  // read-only at both, executable at both
        m.regs.tcr_el1 = tcr::kHPD1.set(m.regs.tcr_el1, hpd);
        const Regime r = m.regime();
        const bool no_el0 = !hpd && (ap_table & 1);
        const bool no_write = !hpd && (ap_table & 2);
        const std::string ctx = "APTable=" + std::to_string(ap_table) +
                                " xn=" + std::to_string(xn) + " HPD=" + std::to_string(hpd);
        EXPECT_EQ(translate(m.mem, r, va, {true, AccessType::read}).ok(), !no_el0) << ctx;
        EXPECT_EQ(translate(m.mem, r, va, {true, AccessType::write}).ok(), !no_el0 && !no_write)
            << ctx;
        EXPECT_EQ(translate(m.mem, r, va, {false, AccessType::write}).ok(), !no_write) << ctx;
        // EL0 execution depends on UXN alone: execute-only memory is allowed.
        EXPECT_EQ(translate(m.mem, r, va + 0x1000, {true, AccessType::execute}).ok(),
                  !(!hpd && (xn & 1)))
            << ctx;
        EXPECT_EQ(translate(m.mem, r, va + 0x1000, {false, AccessType::execute}).ok(),
                  !(!hpd && (xn & 2)))
            << ctx;
      }
    }
  }
}

TEST(Permissions, ApTableRemovingEl0WriteMakesTheRegionExecutableAtEl1) {
  // PXN-by-EL0-writability follows the effective permissions: with
  // APTable[0]=1, EL0 cannot write, so EL1 may execute.
  PermissionInputs in;
  in.ap = 0b01;
  EXPECT_FALSE(stage1_permissions(in).el1_exec);
  in.table.ap_table = 0b01;
  EXPECT_TRUE(stage1_permissions(in).el1_exec);
}

TEST(Permissions, PanDoesNotAffectInstructionFetchOrEl0) {
  PermissionInputs in;
  in.ap = 0b11;
  const Permissions p = stage1_permissions(in);
  EXPECT_FALSE(permits(p, {false, AccessType::read}, true));
  EXPECT_TRUE(permits(p, {false, AccessType::read}, false));
  EXPECT_TRUE(permits(p, {false, AccessType::execute}, true));
  EXPECT_TRUE(permits(p, {true, AccessType::read}, true));
}

TEST(Permissions, AccessNamesRoundTrip) {
  for (const char* n : {"el1r", "el1w", "el1x", "el0r", "el0w", "el0x"}) {
    const auto a = parse_access(n);
    ASSERT_TRUE(a.has_value()) << n;
    EXPECT_EQ(access_name(*a), n);
  }
  EXPECT_FALSE(parse_access("el2r").has_value());
}

}  // namespace
}  // namespace ptsim::hw::arm64
