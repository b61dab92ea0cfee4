// ptsim's ATS1C* answers against QEMU's: tests/golden/mmu-armv7/cases.txt
// holds the tables and queries (scripts/golden/mmu-armv7/gen_cases.py),
// qemu_par.txt the PAR values qemu-system-arm -cpu cortex-a15 gave for them
// in Non-secure PL1 (run_qemu.sh).  known_differences.txt lists the cases
// where QEMU 7.2 departs from the Arm ARM, with the PAR the architecture
// gives and the reason; those are checked against that value instead.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/par.h"
#include "support/golden_values.h"

namespace ptsim::hw::arm {
namespace {

using testing::golden_number;
using testing::read_id_values;

struct Case {
  std::string id;
  Registers regs;
  AtsOp op = AtsOp::ats1cpr;
  uint32_t va = 0;
};

// True if a DACR field holds the reserved 0b10, which ptsim refuses (ARMv7
// makes any access through it UNPREDICTABLE; QEMU treats it as no access).
bool has_reserved_domain(uint32_t dacr) {
  for (unsigned d = 0; d < 16; ++d) {
    if (((dacr >> (2 * d)) & 3) == 2) {
      return true;
    }
  }
  return false;
}

// The register columns of a "case" line, in order.
constexpr const char* kRegisterColumns[] = {"TTBR0", "TTBR1", "TTBCR", "DACR",  "SCTLR",
                                            "PRRR",  "NMRR",  "MAIR0", "MAIR1", "CONTEXTIDR"};

// Loads the "mem" words into `mem` (8 hex digits: a 32-bit word, 16: a
// 64-bit one) and returns the cases.
std::vector<Case> read_cases(std::istream& in, PhysMem& mem) {
  std::vector<Case> cases;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string kind;
    f >> kind;
    if (kind == "mem") {
      std::string pa, value;
      f >> pa >> value;
      if (value.size() == 2 + 8) {
        mem.store32(PhysAddr(golden_number(pa)), static_cast<uint32_t>(golden_number(value)));
      } else {
        mem.store64(PhysAddr(golden_number(pa)), golden_number(value));
      }
    } else if (kind == "case") {
      Case c;
      f >> c.id;
      for (const char* name : kRegisterColumns) {
        std::string value;
        f >> value;
        c.regs.set(name, golden_number(value));
      }
      std::string op, va;
      f >> op >> va;
      c.op = parse_ats_op(op).value();
      c.va = static_cast<uint32_t>(golden_number(va));
      cases.push_back(c);
    }
  }
  return cases;
}

TEST(GoldenQemuArmv7, AtsAnswersMatchQemuOrTheArmArm) {
  const std::string dir = std::string(PTSIM_GOLDEN_DIR) + "/mmu-armv7/";
  std::ifstream cases_in(dir + "cases.txt");
  std::ifstream par_in(dir + "qemu_par.txt");
  std::ifstream known_in(dir + "known_differences.txt");
  ASSERT_TRUE(cases_in && par_in && known_in) << "missing golden files in " << dir;
  PhysMem mem;
  mem.add_ram(PhysAddr(0x40000000), 0x40000000);  // -m 1G
  const std::vector<Case> cases = read_cases(cases_in, mem);
  const std::map<std::string, uint64_t> qemu = read_id_values(par_in);
  const std::map<std::string, uint64_t> known = read_id_values(known_in);
  ASSERT_GT(cases.size(), 300u);
  ASSERT_EQ(qemu.size(), cases.size());
  unsigned faults = 0;
  unsigned lpae = 0;
  unsigned refused = 0;
  for (const Case& c : cases) {
    const bool long_format = (c.regs.ttbcr >> 31) != 0;  // TTBCR.EAE
    if (!long_format && has_reserved_domain(c.regs.dacr)) {
      EXPECT_THROW(ats1c(mem, c.regs, c.op, c.va), Error) << c.id;
      ++refused;
      continue;
    }
    const uint64_t got = ats1c(mem, c.regs, c.op, c.va);
    const uint64_t qemu_par = qemu.at(c.id);
    const auto k = known.find(c.id);
    if (k != known.end()) {
      EXPECT_NE(qemu_par, k->second)
          << c.id << " now agrees with QEMU: drop it from known_differences.txt";
    }
    const uint64_t want = k != known.end() ? k->second : qemu_par;
    EXPECT_EQ(got, want) << c.id << " " << ats_op_name(c.op) << fmt::format(" {:#x}", c.va)
                         << ": ptsim " << describe_par(got, long_format) << ", expected "
                         << describe_par(want, long_format);
    faults += (want & 1) != 0;
    lpae += long_format;
  }
  EXPECT_GT(faults, 80u);
  EXPECT_GT(lpae, 100u);
  EXPECT_GT(refused, 0u);
}

}  // namespace
}  // namespace ptsim::hw::arm
