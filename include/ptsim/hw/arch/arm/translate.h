// One VMSAv7 PL1&0 stage 1 translation, short-descriptor or long-descriptor
// (LPAE) as TTBCR.EAE selects (Arm ARM DDI 0406C, B3.5 and B3.6 the formats,
// B3.12.3 "The MMU fault-checking sequence"; TranslationTableWalkSD,
// TranslationTableWalkLD, CheckDomain and CheckPermission in the B3.15
// pseudocode).  The regime is Non-secure; no hardware updates are made
// (ARMv7 has no hardware Access flag with LPAE, and ptsim refuses
// SCTLR.HA=1 for the short format).
//
// Order of checks, short-descriptor:
//   TTBCR.PDn                      translation fault, level 1 (no read)
//   first-level descriptor fault   translation fault, level 1
//   second-level descriptor fault  translation fault, level 2
//   SCTLR.AFE and AP[0] == 0       access flag fault at the leaf's level
//   DACR.Dn no access              domain fault at the leaf's level
//   client: AP, XN, PXN, WXN       permission fault at the leaf's level
// Long-descriptor:
//   VA between the ranges, EPDn    translation fault, level 1
//   TTBR bits [47:40]              address size fault, level 0
//   invalid, reserved descriptor   translation fault at its level
//   address bits [47:40]           address size fault at its level
//   AF == 0                        access flag fault at the leaf's level
//   AP/APTable, XN, PXN, WXN       permission fault at the leaf's level
// A descriptor read outside every memory bank is a synchronous external
// abort on the walk at that level.  Alignment faults are out of scope: a
// query carries no access size (SCTLR.A is decoded, not applied).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/memory_attributes.h"
#include "ptsim/hw/arch/arm/permissions.h"
#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm {

enum class FaultKind : uint8_t {
  none,
  translation,
  access_flag,
  domain,
  permission,
  address_size,
  external_abort,
};
std::string fault_kind_name(FaultKind kind);  // "translation", "domain", ...

// One descriptor read.
struct WalkStep {
  unsigned level = 0;
  PhysAddr addr;
  uint64_t raw = 0;  // 32-bit descriptors in the low half
};

// A table descriptor a walk followed, with what it passes down to the
// levels below: what a walk cache keeps, and where a walk may resume.
struct TableStep {
  unsigned level = 1;  // of the table descriptor
  PhysAddr next_table;
  unsigned domain = 0;    // short format: the page table's domain
  bool pxn = false;       // short: the page table's PXN; long: PXNTable ORed down to here
  bool xn_table = false;  // long: XNTable ORed down to here
  unsigned ap_table = 0;  // long: APTable ORed down to here
  bool operator==(const TableStep&) const = default;
};

struct Translation {
  FaultKind fault = FaultKind::none;
  unsigned level = 0;  // of the leaf, or of the fault
  bool lpae = false;   // long-descriptor format (TTBCR.EAE)
  bool mmu_off = false;

  PhysAddr pa;
  uint64_t size = 0;          // bytes the leaf maps
  bool supersection = false;  // short format: a 16 MiB supersection
  bool upper = false;         // walked from TTBR1
  unsigned domain = 0;        // short format (supersections: 0)
  MemoryAttributes memattrs;
  uint8_t mair_attr = 0;  // long format: MAIR0/MAIR1 Attr<AttrIndx>
  Permissions perms;      // what the leaf allows, domain included
  // Short format: what the leaf allows a client of its domain, before DACR
  // is applied: what a TLB entry keeps, so that a hit can apply the DACR of
  // its own moment.  The long format has no domains: perms.
  Permissions client_perms;
  bool global = true;  // nG == 0
  bool ns = true;      // a Non-secure regime: every output is Non-secure
  uint64_t descriptor = 0;
  // Long format: the table attributes gathered on the way (B3.6.1).
  unsigned ap_table = 0;
  bool xn_table = false;
  bool pxn_table = false;

  std::array<WalkStep, 3> steps{};
  unsigned step_count = 0;
  std::array<TableStep, 2> tables{};  // the table descriptors followed
  unsigned table_count = 0;

  bool ok() const { return fault == FaultKind::none; }
};

// A VA as the command line gives it, checked to fit the 32-bit virtual
// address space: a larger value is bad input naming the value.
uint32_t checked_va(uint64_t va);

// Translates one access.  Never throws for anything the tables contain.
Translation translate(const PhysMem& mem, const Regime& regime, uint32_t va, Access access);

// The same walk resumed below `from`, a table descriptor an earlier walk of
// a VA it covers followed in this regime: the levels above are not read
// again.  The MMU must be on; the VA in range of the table's TTBR.
Translation translate_from(const PhysMem& mem, const Regime& regime, uint32_t va, Access access,
                           const TableStep& from);

}  // namespace ptsim::hw::arm
