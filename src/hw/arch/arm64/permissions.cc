#include "ptsim/hw/arch/arm64/permissions.h"

#include <array>

namespace ptsim::hw::arm64 {
namespace {

struct AccessName {
  Access access;
  std::string_view name;
};

constexpr std::array<AccessName, 6> kAccessNames = {{
    {{false, AccessType::read}, "el1r"},
    {{false, AccessType::write}, "el1w"},
    {{false, AccessType::execute}, "el1x"},
    {{true, AccessType::read}, "el0r"},
    {{true, AccessType::write}, "el0w"},
    {{true, AccessType::execute}, "el0x"},
}};

}  // namespace

std::string access_name(Access a) {
  for (const AccessName& n : kAccessNames) {
    if (n.access == a) {
      return std::string(n.name);
    }
  }
  return "?";
}

std::optional<Access> parse_access(std::string_view name) {
  for (const AccessName& n : kAccessNames) {
    if (n.name == name) {
      return n.access;
    }
  }
  return std::nullopt;
}

Permissions stage1_permissions(const PermissionInputs& in) {
  // Leaf AP[2:1]: AP[2] makes it read-only, AP[1] gives EL0 access.
  const bool ro = (in.ap & 0b10) != 0;
  const bool user = (in.ap & 0b01) != 0;
  bool pr = true;
  bool pw = !ro;
  bool ur = user;
  bool uw = user && !ro;
  bool pxn = in.pxn;
  bool uxn = in.uxn;
  if (!in.hpd) {
    // APTable[0] removes EL0 access, APTable[1] removes write access.
    if ((in.table.ap_table & 0b01) != 0) {
      ur = false;
      uw = false;
    }
    if ((in.table.ap_table & 0b10) != 0) {
      pw = false;
      uw = false;
    }
    pxn = pxn || in.table.pxn_table;
    uxn = uxn || in.table.uxn_table;
  }
  Permissions p;
  p.el1_read = pr;
  p.el1_write = pw;
  p.el0_read = ur;
  p.el0_write = uw;
  // Memory EL0 can write is never executable at EL1.
  p.el1_exec = !pxn && !uw;
  p.el0_exec = !uxn;
  if (in.wxn) {
    p.el1_exec = p.el1_exec && !pw;
    p.el0_exec = p.el0_exec && !uw;
  }
  return p;
}

bool permits(const Permissions& perms, Access access, bool pan) {
  if (access.el0) {
    switch (access.type) {
      case AccessType::read:
        return perms.el0_read;
      case AccessType::write:
        return perms.el0_write;
      case AccessType::execute:
        return perms.el0_exec;
    }
    return false;
  }
  const bool pan_blocks = pan && (perms.el0_read || perms.el0_write);
  switch (access.type) {
    case AccessType::read:
      return perms.el1_read && !pan_blocks;
    case AccessType::write:
      return perms.el1_write && !pan_blocks;
    case AccessType::execute:
      return perms.el1_exec;
  }
  return false;
}

}  // namespace ptsim::hw::arm64
