// Stage 1 EL1&0 access permissions (Arm ARM DDI 0487, D8.4 "Memory access
// control"; AArch64.S1DirectBasePermissions in the pseudocode).
//
//   AP[2:1]  EL1   EL0         APTable  effect below the table
//   00       RW    none        00       none
//   01       RW    RW          01       no EL0 access
//   10       RO    none        10       no write at any EL
//   11       RO    RO          11       no EL0 access, no write
//
// Execute: UXN/UXNTable forbid EL0 execution, PXN/PXNTable EL1 execution;
// memory EL0 can write is never executable at EL1; with SCTLR_EL1.WXN,
// writable memory is not executable at that EL.  With PSTATE.PAN, an EL1
// data access to memory EL0 can read or write faults.  TCR_EL1.HPDn=1
// disables the table attributes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptsim/hw/arch/arm64/descriptor.h"

namespace ptsim::hw::arm64 {

enum class AccessType : uint8_t { read, write, execute };

// An access as the MMU sees it: the Exception level and its kind.
struct Access {
  bool el0 = false;
  AccessType type = AccessType::read;

  bool operator==(const Access&) const = default;
};

// "el1r", "el1w", "el1x", "el0r", "el0w", "el0x".
std::string access_name(Access a);
std::optional<Access> parse_access(std::string_view name);

// Read/write/execute at EL0 and at EL1, before PAN.
struct Permissions {
  bool el0_read = false;
  bool el0_write = false;
  bool el0_exec = false;
  bool el1_read = false;
  bool el1_write = false;
  bool el1_exec = false;

  bool operator==(const Permissions&) const = default;
};

struct PermissionInputs {
  unsigned ap = 0;  // AP[2:1] of the leaf
  bool pxn = false;
  bool uxn = false;
  TableAttributes table;  // OR of the table attributes on the way
  bool hpd = false;       // TCR_EL1.HPDn: table attributes ignored
  bool wxn = false;       // SCTLR_EL1.WXN
};

Permissions stage1_permissions(const PermissionInputs& in);

// Whether `perms` allow `access`; `pan` is PSTATE.PAN, which removes EL1
// data access to memory EL0 can read or write (instruction fetches are not
// affected, D8.4.2 "Privileged Access Never").
bool permits(const Permissions& perms, Access access, bool pan);

}  // namespace ptsim::hw::arm64
