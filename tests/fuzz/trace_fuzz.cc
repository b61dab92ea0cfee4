// Access trace -> replayed through an MMU whose tables are one small RAM
// bank: the first page of the input is the memory, the rest is the trace.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/arch/arm64/trace.h"

namespace {
using namespace ptsim::hw;
using namespace ptsim::hw::arm64;

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 0x10000;

Regime regime_4k_48() {
  Registers regs;
  uint64_t tcr = 0;
  tcr = tcr::kT0SZ.set(tcr, 16);
  tcr = tcr::kT1SZ.set(tcr, 16);
  tcr = tcr::kTG0.set(tcr, encode_tg0(Granule::k4K));
  tcr = tcr::kTG1.set(tcr, encode_tg1(Granule::k4K));
  tcr = tcr::kIPS.set(tcr, encode_ips(48));
  regs.tcr_el1 = tcr;
  regs.ttbr0_el1 = kRamBase;
  regs.ttbr1_el1 = kRamBase + 0x1000;
  regs.mair_el1 = 0xff;
  return Regime::from_registers(regs);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Regime regime = regime_4k_48();
  const size_t image = std::min<size_t>(size, 4096);
  PhysMem mem;
  mem.add_ram(PhysAddr(kRamBase), kRamSize);
  mem.load_image(PhysAddr(kRamBase), {reinterpret_cast<const std::byte*>(data), image});
  return ptsim::fuzz::refusals_allowed([&] {
    Mmu mmu(mem, regime);
    std::istringstream in{std::string(ptsim::fuzz::as_text(data + image, size - image))};
    (void)replay_trace(mmu, in);
  });
}
