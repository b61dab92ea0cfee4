// The ARMv7 MMU front end: a TLB of leaf translations tagged by ASID
// (CONTEXTIDR.ASID, or TTBR0/TTBR1.ASID with LPAE as TTBCR.A1 chooses) unless
// global (nG=0), held at their size (4 KiB and 64 KiB pages, 1 MiB sections,
// 16 MiB supersections, 2 MiB and 1 GiB LPAE blocks), walking on a miss.
// As the AArch64 model's, whose arrays it shares (hw/arch/arm64/tlb.h), it
// may have a fully associative micro-TLB in front of the main TLB and a walk
// cache of table descriptors: a short-descriptor first-level page-table
// entry, or an LPAE level 1 or 2 table entry with the APTable, XNTable and
// PXNTable gathered down to it.
//
// TLB maintenance (Arm ARM DDI 0406C, B4.2.2 "TLB maintenance operations"):
//   TLBIALL    every entry
//   TLBIMVA    one MVA, one ASID (and global entries)
//   TLBIASID   one ASID, non-global entries only
//   TLBIMVAA   one MVA, every ASID
// The Inner Shareable forms (TLBIALLIS, TLBIMVAIS, TLBIASIDIS, TLBIMVAAIS)
// act alike on a single-processor model.  Each removes walk cache entries
// of the addresses and ASIDs it names too.
//
// Domains: an entry keeps the leaf's domain and what it allows a client;
// a hit looks the domain up in the current DACR (B3.7.3: no access is a
// domain fault, a manager may make every access, a client what the entry
// allows).  So a DACR write takes effect at the next access with no TLB
// maintenance, which Linux's set_domain() (arch/arm/include/asm/domain.h:
// the DACR write and an ISB, no TLB flush) relies on.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/hw/arch/arm64/tlb.h"
#include "ptsim/hw/mmu_counts.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm {

inline constexpr unsigned kFaultKinds = kFaultKindsOf<FaultKind>;

enum class TlbiOp { tlbiall, tlbimva, tlbiasid, tlbimvaa };
std::optional<TlbiOp> parse_tlbi_op(std::string_view name);  // "tlbimva", "TLBIMVAIS", ...
std::string tlbi_op_name(TlbiOp op);

struct MmuStats : MmuCounts<FaultKind> {
  uint64_t dacr_writes = 0;
};

using MmuResult = MmuAnswer<FaultKind, unsigned>;

class Mmu {
 public:
  Mmu(const PhysMem& mem, const Regime& regime, const arm64::TlbConfig& config = {});

  MmuResult access(uint32_t va, Access access) {
    // The common case inline, as the AArch64 model's: the MMU on, no
    // micro-TLB, a main TLB hit that the domain and permissions allow; a
    // miss goes straight to the walk.  Everything else takes the full path.
    if (inline_hits_) {
      const arm64::TlbEntry* e = main_.lookup(va, regime_.asid());
      if (e == nullptr) {
        ++stats_.accesses;
        return miss(va, access);
      }
      if (const std::optional<uint8_t> allowed = allowed_now(*e);
          allowed && (*allowed >> arm64::access_index(access) & 1) != 0) {
        ++stats_.accesses;
        ++stats_.main_hits;
        return {FaultKind::none, static_cast<unsigned>(e->level), true,
                PhysAddr(e->pa_base + (va & ((uint64_t{1} << e->shift) - 1)))};
      }
    }
    return access_slow(va, access);
  }
  void set_asid(uint8_t asid);
  // Writes DACR; refused (bad_input) as Regime::set_dacr refuses it.
  void set_dacr(uint32_t dacr);
  // `mva` for the by-MVA forms, `asid` for TLBIMVA and TLBIASID (the current
  // ASID when not given).
  void tlbi(TlbiOp op, uint32_t mva = 0, std::optional<uint8_t> asid = std::nullopt);

  const MmuStats& stats() const { return stats_; }
  const Regime& regime() const { return regime_; }
  const arm64::TlbConfig& config() const { return config_; }
  unsigned tlb_valid_entries() const { return main_.valid_entries(); }

 private:
  // What entry `e` allows under the DACR of now (B3.7.3): everything in a
  // manager domain, its client permissions in a client domain; nullopt, a
  // domain fault, in a no-access (or reserved) domain.  LPAE has no domains.
  std::optional<uint8_t> allowed_now(const arm64::TlbEntry& e) const {
    if (regime_.lpae()) {
      return e.allowed;
    }
    // An entry's domain is a descriptor's 4-bit field: DACR.D<domain> is
    // read directly, without domain_access()'s range check and call.
    const auto d = static_cast<short_descriptor::DomainAccess>(
        short_descriptor::dacr::d(e.domain & 15u).get(regime_.registers().dacr));
    switch (d) {
      case short_descriptor::DomainAccess::client:
        return e.allowed;
      case short_descriptor::DomainAccess::manager:
        return uint8_t{0x3f};  // every access_index()
      case short_descriptor::DomainAccess::no_access:
      case short_descriptor::DomainAccess::reserved:
        break;
    }
    return std::nullopt;
  }
  MmuResult access_slow(uint32_t va, Access access);
  MmuResult hit(const arm64::TlbEntry& e, uint32_t va, Access access);
  MmuResult miss(uint32_t va, Access access);
  MmuResult fault(FaultKind kind, unsigned level, bool hit);
  // The deepest table descriptor the walk cache holds for `va`, if any.
  std::optional<TableStep> cached_table(uint32_t va);
  void fill_walk_cache(uint32_t va, const Translation& t);

  const PhysMem& mem_;
  Regime regime_;
  arm64::TlbConfig config_;
  bool inline_hits_ = false;  // the MMU on and no micro-TLB: access() may answer a hit itself
  arm64::TlbArray micro_;
  arm64::TlbArray main_;
  arm64::WalkCache walk_cache_;
  MmuStats stats_;
};

}  // namespace ptsim::hw::arm
