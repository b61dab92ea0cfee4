// ptsim's AT answers against QEMU's: tests/golden/mmu/cases.txt holds the
// tables and queries (scripts/golden/mmu/gen_cases.py), qemu_par.txt the
// PAR_EL1 values qemu-system-aarch64 gave for them (run_qemu.sh).
// known_differences.txt lists the cases where QEMU 7.2 departs from the
// Arm ARM, with the value ptsim gives instead and the reason; those are
// checked against ptsim's documented value.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/hw/arch/arm64/par.h"
#include "support/golden_values.h"

namespace ptsim::hw::arm64 {
namespace {

using testing::golden_number;
using testing::read_id_values;

struct Case {
  std::string id;
  Registers regs;
  AtOp op = AtOp::s1e1r;
  uint64_t va = 0;
};

TEST(GoldenQemu, AtAnswersMatchQemu) {
  const std::string dir = std::string(PTSIM_GOLDEN_DIR) + "/mmu/";
  std::ifstream cases_in(dir + "cases.txt");
  std::ifstream par_in(dir + "qemu_par.txt");
  ASSERT_TRUE(cases_in && par_in) << "missing golden files in " << dir;
  PhysMem mem;
  mem.add_ram(PhysAddr(0x40000000), 0x40000000);  // -m 1G
  std::vector<Case> cases;
  std::string line;
  while (std::getline(cases_in, line)) {
    std::istringstream f(line);
    std::string kind;
    f >> kind;
    if (kind == "mem") {
      std::string pa, v;
      f >> pa >> v;
      mem.store64(PhysAddr(golden_number(pa)), golden_number(v));
    } else if (kind == "case") {
      Case c;
      std::string t0, t1, tcr, mair, sctlr, op, va;
      f >> c.id >> t0 >> t1 >> tcr >> mair >> sctlr >> op >> va;
      c.regs.ttbr0_el1 = golden_number(t0);
      c.regs.ttbr1_el1 = golden_number(t1);
      c.regs.tcr_el1 = golden_number(tcr);
      c.regs.mair_el1 = golden_number(mair);
      c.regs.sctlr_el1 = golden_number(sctlr);
      static constexpr AtOp kOps[] = {AtOp::s1e1r, AtOp::s1e1w, AtOp::s1e0r, AtOp::s1e0w};
      c.op = kOps[golden_number(op) & 3];
      c.va = golden_number(va);
      cases.push_back(c);
    }
  }
  const std::map<std::string, uint64_t> qemu = read_id_values(par_in);
  std::ifstream known_in(dir + "known_differences.txt");
  const std::map<std::string, uint64_t> known = read_id_values(known_in);
  ASSERT_GT(cases.size(), 200u);
  ASSERT_EQ(qemu.size(), cases.size());
  unsigned faults = 0;
  for (const Case& c : cases) {
    const uint64_t got = at(mem, Regime::from_registers(c.regs), c.op, c.va);
    const uint64_t qemu_par = qemu.at(c.id);
    const auto k = known.find(c.id);
    if (k != known.end()) {
      EXPECT_NE(qemu_par, k->second)
          << c.id << " now agrees with QEMU: drop it from known_differences.txt";
    }
    const uint64_t want = k != known.end() ? k->second : qemu_par;
    EXPECT_EQ(got, want) << c.id << " AT " << at_op_name(c.op) << " " << fmt::format("{:#x}", c.va)
                         << ": ptsim " << describe_par(got) << ", expected " << describe_par(want)
                         << fmt::format("\n{} {:#018x}", c.id, got);
    faults += par::kF.get(want) != 0;
  }
  EXPECT_GT(faults, 50u);
}

}  // namespace
}  // namespace ptsim::hw::arm64
