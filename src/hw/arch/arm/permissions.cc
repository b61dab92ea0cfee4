#include "ptsim/hw/arch/arm/permissions.h"

namespace ptsim::hw::arm {
namespace {

namespace sd = short_descriptor;

// B3.7.2: execute needs read permission at the PL, no XN, and at PL1 no PXN;
// WXN and UWXN take execution from writable memory.
Permissions with_execute(Permissions p, bool xn, bool pxn, bool wxn, bool uwxn) {
  p.el0_exec = p.el0_read && !xn && !(wxn && p.el0_write);
  p.el1_exec = p.el1_read && !xn && !pxn && !(wxn && p.el1_write) && !(uwxn && p.el0_write);
  return p;
}

}  // namespace

Permissions short_permissions(const ShortPermissionInputs& in) {
  if (in.domain == sd::DomainAccess::manager) {
    return {true, true, true, true, true, true};
  }
  if (in.domain != sd::DomainAccess::client) {
    return {};
  }
  sd::RegionAttributes attrs;
  attrs.apx = (in.ap & 0b100) != 0;
  attrs.ap = in.ap & 0b11;
  // AP[2:0] == 0b100 is reserved: no access, as QEMU's ap_to_rw_prot and
  // ARMv8's AArch32 CONSTRAINED UNPREDICTABLE choice make it.
  const auto ap = sd::access_permissions(attrs, in.afe).value_or(sd::AccessPermissions{});
  Permissions p;
  p.el1_read = ap.pl1_read;
  p.el1_write = ap.pl1_write;
  p.el0_read = ap.pl0_read;
  p.el0_write = ap.pl0_write;
  return with_execute(p, in.xn, in.pxn, in.wxn, in.uwxn);
}

Permissions long_permissions(const LongPermissionInputs& in) {
  // AP[2] read-only, AP[1] PL0 access; APTable[1] read-only, APTable[0] no
  // PL0 access below the table.
  const bool read_only = (in.ap & 0b10) != 0 || (in.ap_table & 0b10) != 0;
  const bool pl0 = (in.ap & 0b01) != 0 && (in.ap_table & 0b01) == 0;
  Permissions p;
  p.el1_read = true;
  p.el1_write = !read_only;
  p.el0_read = pl0;
  p.el0_write = pl0 && !read_only;
  return with_execute(p, in.xn, in.pxn, in.wxn, in.uwxn);
}

}  // namespace ptsim::hw::arm
