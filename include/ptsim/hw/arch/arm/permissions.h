// VMSAv7 stage 1 PL1&0 access permissions (Arm ARM DDI 0406C, B3.7.1
// "Access permissions", B3.7.2 "Execute-never restrictions on instruction
// fetching", B3.7.3 "Domains"; B3.6.1 "Hierarchical control of access
// permissions" for the long-descriptor table bits).
//
// Short-descriptor AP[2:0] (SCTLR.AFE == 0):
//   000 none/none  001 RW/none  010 RW/RO  011 RW/RW  100 reserved (no access)
//   101 RO/none    110 RO/RO    111 RO/RO                       (PL1/PL0)
// With SCTLR.AFE == 1 (the simplified model) AP[0] is the Access flag and
// AP[2:1] read as the long-descriptor AP[2:1]:
//   00 RW/none  01 RW/RW  10 RO/none  11 RO/RO
// Long-descriptor APTable[0] removes PL0 access, APTable[1] write access, at
// every level below the table.
//
// Execute, both formats: XN (and XNTable) forbid execution at PL0 and PL1;
// PXN (and PXNTable, or a short page table's PXN) at PL1; memory not
// readable at a PL is not executable there; SCTLR.WXN makes writable memory
// execute-never at the PL that can write it, SCTLR.UWXN makes memory PL0 can
// write execute-never at PL1.
//
// Domains (short format only): no access faults every access, a client is
// checked against the bits above, a manager is not checked at all, so it
// may also execute what XN marks (as QEMU's get_phys_addr_v6 models it).
#pragma once

#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/arch/arm64/permissions.h"

namespace ptsim::hw::arm {

// The access vocabulary is the one the AArch64 model uses: "el0" is PL0,
// "el1" is PL1 (AArch32 PL1 runs at EL1 in ARMv8).
using arm64::Access;
using arm64::access_name;
using arm64::AccessType;
using arm64::parse_access;
using arm64::Permissions;

struct ShortPermissionInputs {
  unsigned ap = 0;  // AP[2:0]
  bool afe = false;
  bool xn = false;
  bool pxn = false;  // section PXN, or the page table's PXN for a page
  short_descriptor::DomainAccess domain = short_descriptor::DomainAccess::client;
  bool wxn = false;
  bool uwxn = false;
};

struct LongPermissionInputs {
  unsigned ap = 0;        // AP[2:1]
  unsigned ap_table = 0;  // APTable of every table above, ORed
  bool xn = false;        // XN or any XNTable above
  bool pxn = false;       // PXN or any PXNTable above
  bool wxn = false;
  bool uwxn = false;
};

Permissions short_permissions(const ShortPermissionInputs& in);
Permissions long_permissions(const LongPermissionInputs& in);

// Whether `perms` allow `access` (AArch32 has no PAN before ARMv8.1).
inline bool permits(const Permissions& perms, Access access) {
  return arm64::permits(perms, access, false);
}

}  // namespace ptsim::hw::arm
