// Register set + memory image -> translate, whole-table walk and ptdump.
// The input's first 48 bytes are TCR_EL1, TTBR0_EL1, TTBR1_EL1, MAIR_EL1,
// SCTLR_EL1 and a VA (little-endian); the rest is RAM at 0x40000000.  The
// TTBRs are XORed with that base so that a zero field points into the
// image: random descriptors, every granule (TCR.TG0/TG1), tables pointing
// outside RAM and tables pointing back at themselves all come from here.
#include <string>

#include "fuzz_support.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "ptsim/report/ptdump_arm64.h"

namespace {
using namespace ptsim::hw;
using namespace ptsim::hw::arm64;
constexpr uint64_t kRamBase = 0x40000000;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Registers regs;
  regs.tcr_el1 = ptsim::fuzz::take_u64(data, size);
  regs.ttbr0_el1 = ptsim::fuzz::take_u64(data, size) ^ kRamBase;
  regs.ttbr1_el1 = ptsim::fuzz::take_u64(data, size) ^ kRamBase;
  regs.mair_el1 = ptsim::fuzz::take_u64(data, size);
  regs.sctlr_el1 = ptsim::fuzz::take_u64(data, size) | sctlr::kM.set(0, 1);
  const uint64_t va = ptsim::fuzz::take_u64(data, size);
  if (size == 0) {
    return 0;
  }
  PhysMem mem;
  mem.add_ram(PhysAddr(kRamBase), size);
  mem.load_image(PhysAddr(kRamBase), {reinterpret_cast<const std::byte*>(data), size});

  return ptsim::fuzz::refusals_allowed([&] {
    const Regime regime = Regime::from_registers(regs);
    for (const Access access : {Access{false, AccessType::read}, Access{true, AccessType::write},
                                Access{false, AccessType::execute}}) {
      (void)translate(mem, regime, va, access);
      (void)translate_no_update(mem, regime, va ^ (uint64_t{1} << 63), access);
    }
    for (const bool upper : {false, true}) {
      const VaRange& range = regime.range(upper);
      const uint64_t base = upper ? ~uint64_t{0} << range.ia_bits : 0;
      const WalkRequest request = walk_request(regime, base, Access{});
      uint64_t leaves = 0;
      for_each_leaf(mem, request, {.leaf = [&](const Leaf&) { ++leaves; }});
      ptsim::report::PtdumpArm64Input in;
      in.format = range.format;
      in.va_bits = range.ia_bits;
      in.upper = upper;
      in.pgd = range.table_base;
      in.start = base;
      (void)ptsim::report::ptdump_arm64(mem, in);
    }
  });
}
