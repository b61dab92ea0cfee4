// The ARMv7 MMU front end: a TLB of leaf translations tagged by ASID
// (CONTEXTIDR.ASID, or TTBR0/TTBR1.ASID with LPAE as TTBCR.A1 chooses) unless
// global (nG=0), held at their size (4 KiB and 64 KiB pages, 1 MiB sections,
// 16 MiB supersections, 2 MiB and 1 GiB LPAE blocks), walking on a miss.
// The set-associative array, its replacement and its ASID matching are the
// AArch64 model's (hw/arch/arm64/tlb.h), shared.
//
// TLB maintenance (Arm ARM DDI 0406C, B4.2.2 "TLB maintenance operations"):
//   TLBIALL    every entry
//   TLBIMVA    one MVA, one ASID (and global entries)
//   TLBIASID   one ASID, non-global entries only
//   TLBIMVAA   one MVA, every ASID
// The Inner Shareable forms (TLBIALLIS, TLBIMVAIS, TLBIASIDIS, TLBIMVAAIS)
// act alike on a single-processor model.
//
// An entry holds the permissions the walk found with the domain applied;
// DACR is fixed for the life of an Mmu, so a hit needs no domain check.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/hw/arch/arm64/tlb.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm {

inline constexpr unsigned kFaultKinds = static_cast<unsigned>(FaultKind::external_abort) + 1;

enum class TlbiOp { tlbiall, tlbimva, tlbiasid, tlbimvaa };
std::optional<TlbiOp> parse_tlbi_op(std::string_view name);  // "tlbimva", "TLBIMVAIS", ...
std::string tlbi_op_name(TlbiOp op);

struct MmuStats {
  uint64_t accesses = 0;
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t walks = 0;
  uint64_t descriptor_reads = 0;
  uint64_t tlbis = 0;
  uint64_t asid_switches = 0;
  std::array<uint64_t, kFaultKinds> faults{};  // indexed by FaultKind

  uint64_t fault_count(FaultKind k) const { return faults[static_cast<unsigned>(k)]; }
};

struct MmuResult {
  FaultKind fault = FaultKind::none;
  unsigned level = 0;
  bool tlb_hit = false;
  PhysAddr pa;

  bool ok() const { return fault == FaultKind::none; }
};

class Mmu {
 public:
  Mmu(const PhysMem& mem, const Regime& regime, const arm64::TlbConfig& config = {});

  MmuResult access(uint32_t va, Access access);
  void set_asid(uint8_t asid);
  // `mva` for the by-MVA forms, `asid` for TLBIMVA and TLBIASID (the current
  // ASID when not given).
  void tlbi(TlbiOp op, uint32_t mva = 0, std::optional<uint8_t> asid = std::nullopt);

  const MmuStats& stats() const { return stats_; }
  const Regime& regime() const { return regime_; }
  unsigned tlb_valid_entries() const { return tlb_.valid_entries(); }

 private:
  const PhysMem& mem_;
  Regime regime_;
  arm64::TlbArray tlb_;
  MmuStats stats_;
};

}  // namespace ptsim::hw::arm
