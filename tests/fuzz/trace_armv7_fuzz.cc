// ARMv7 access trace -> replayed through the ARMv7 MMU (micro-TLB, walk
// cache, DACR writes) over tables in one small RAM bank.  The first byte
// picks the configuration (bit 0 LPAE, bit 1 a micro-TLB and walk cache,
// bit 2 SCTLR.AFE, bit 3 SCTLR.TRE); the next 16 KiB are the memory: the
// short format's TTBR0 table (TTBCR.N = 2, 4 KiB) and TTBR1's (16 KiB), or
// LPAE's TTBR0 and TTBR1 tables; the rest is the trace.
#include <algorithm>
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm/trace.h"

namespace {
using namespace ptsim::hw;
using namespace ptsim::hw::arm;

constexpr uint64_t kRamBase = 0x40000000;
constexpr uint64_t kRamSize = 0x10000;
constexpr size_t kImage = 0x4000;

Regime regime_for(uint8_t config) {
  Registers r;
  r.dacr = 0x55555555;
  r.sctlr = static_cast<uint32_t>(sctlr::m.mask());
  if ((config & 4) != 0) {
    r.sctlr |= static_cast<uint32_t>(sctlr::afe.mask());
  }
  if ((config & 8) != 0) {
    r.sctlr |= static_cast<uint32_t>(sctlr::tre.mask());
  }
  r.prrr = 0xff0a81a8;
  r.nmrr = 0x40e040e0;
  r.mair0 = 0xeeaa4400;
  r.mair1 = 0xff000004;
  r.ttbr0 = kRamBase;
  if ((config & 1) != 0) {
    r.ttbcr = static_cast<uint32_t>(ttbcr::eae.mask() | ttbcr::t1sz.set(0, 2));
    r.ttbr1 = kRamBase + 0x1000;
  } else {
    r.ttbcr = 2;  // N = 2: TTBR0 translates the low gigabyte with a 4 KiB table
    r.ttbr1 = kRamBase;
  }
  return Regime::from_registers(r);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const uint8_t config = data[0];
  ++data;
  --size;
  const size_t image = std::min(size, kImage);
  PhysMem mem;
  mem.add_ram(PhysAddr(kRamBase), kRamSize);
  mem.load_image(PhysAddr(kRamBase), {reinterpret_cast<const std::byte*>(data), image});
  return ptsim::fuzz::refusals_allowed([&] {
    arm64::TlbConfig tlb;
    tlb.entries = 16;
    if ((config & 2) != 0) {
      tlb.micro_entries = 4;
      tlb.walk_cache_entries = 8;
      tlb.walk_cache_ways = 2;
    }
    Mmu mmu(mem, regime_for(config), tlb);
    std::istringstream in{std::string(ptsim::fuzz::as_text(data + image, size - image))};
    (void)replay_trace(mmu, in);
  });
}
