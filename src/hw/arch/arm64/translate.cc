#include "ptsim/hw/arch/arm64/translate.h"

#include "hw/arch/arm64/leaf_access.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

WalkRequest walk_request(const Regime& regime, uint64_t va, Access access) {
  const VaRange& r = regime.range(Regime::selects_upper(va));
  WalkRequest req;
  req.format = r.format;
  req.table_base = r.table_base;
  req.ia_bits = r.ia_bits;
  req.upper_half = r.upper;
  req.pa_bits = regime.pa_bits();
  req.tbi = r.tbi && !(access.type == AccessType::execute && r.tbid);
  req.hardware_af = regime.hardware_af();
  return req;
}

namespace {

// D8.2.x with the MMU off: a flat map of the implemented PA space; data is
// Device-nGnRnE, instruction fetches Normal (AArch64.S1DisabledOutput).
Translation translate_mmu_off(const Regime& regime, uint64_t va, Access access) {
  Translation t;
  const unsigned top = regime.range(Regime::selects_upper(va)).tbi ? 55 : 63;
  if ((va & genmask(top, PhysMem::kPhysAddrBits)) != 0) {
    t.fault = FaultKind::address_size;
    t.level = 0;
    return t;
  }
  t.pa = PhysAddr(va & genmask(PhysMem::kPhysAddrBits - 1, 0));
  t.size = t.tlb_size = granule_size(Granule::k4K);
  t.perms = {true, true, true, true, true, true};
  const bool fetch = access.type == AccessType::execute;
  const bool icache = sctlr::kI.get(regime.registers().sctlr_el1) != 0;
  t.mair_attr = fetch ? (icache ? 0xaa : 0x44) : 0x00;
  t.sh = 0b10;
  return t;
}

// Shareability as PAR_EL1.SH reports it: Device and Normal Inner and Outer
// Non-cacheable memory is always Outer Shareable (D19.2.106).
unsigned reported_shareability(uint8_t attr, unsigned sh) {
  if (mair_attr_is_device(attr) || attr == 0x44) {
    return 0b10;
  }
  return sh;
}

}  // namespace

namespace detail {

LeafAccess access_leaf(PhysMem* mem, const Regime& regime, const VaRange& range, Access access,
                       uint64_t raw, PhysAddr entry, const TableAttributes& table) {
  LeafAccess r;
  PermissionInputs in;
  in.ap = static_cast<unsigned>(desc::kAP.get(raw));
  in.pxn = desc::kPXN.get(raw) != 0;
  in.uxn = desc::kUXN.get(raw) != 0;
  in.table = table;
  in.hpd = range.hpd;
  in.wxn = regime.wxn();
  // D8.4.6: with TCR.HD=1 a write to a writable-clean entry (DBM=1, AP[2]=1)
  // is permitted, and the MMU marks it dirty by clearing AP[2].
  const bool make_dirty = access.type == AccessType::write && writable_clean(regime, raw);
  if (make_dirty) {
    in.ap &= 0b01;
  }
  const Permissions check = stage1_permissions(in);
  if (!permits(check, access, regime.pan())) {
    r.fault = FaultKind::permission;
    return r;
  }
  uint64_t desc = raw;
  if (!desc::kAF.get(raw)) {
    desc = desc::kAF.set(desc, 1);  // only reached with TCR.HA=1
    r.af_updated = true;
  }
  if (make_dirty) {
    desc = desc::kAP.set(desc, in.ap);
    r.dirty_updated = true;
  }
  if (mem != nullptr && desc != raw) {
    mem->store64(entry, desc);
  }
  r.desc = desc;
  r.perms = check;  // in.ap is already the AP of `desc`
  return r;
}

}  // namespace detail

Translation complete_translation(PhysMem* mem, const Regime& regime, uint64_t va, Access access,
                                 const WalkResult& walk, bool record_walk) {
  Translation t;
  if (record_walk) {
    t.walk = walk;
  }
  t.fault = walk.fault;
  t.level = walk.level;
  if (!walk.ok()) {
    return t;
  }
  const VaRange& range = regime.range(Regime::selects_upper(va));
  const WalkStep& leaf_step = walk.steps[walk.step_count - 1];
  t.descriptor_addr = leaf_step.entry_addr;
  const detail::LeafAccess a = detail::access_leaf(mem, regime, range, access, leaf_step.raw,
                                                   leaf_step.entry_addr, walk.table);
  if (a.fault != FaultKind::none) {
    t.fault = a.fault;
    return t;
  }
  t.af_updated = a.af_updated;
  t.dirty_updated = a.dirty_updated;
  t.descriptor = a.desc;
  t.leaf = LeafAttributes::decode(range.format, a.desc);
  t.perms = a.perms;
  t.pa = walk.output;
  t.size = walk.block_size;
  t.tlb_size =
      t.leaf.contiguous ? t.size * contiguous_entries(range.format.granule, walk.level) : t.size;
  t.mair_attr = regime.mair_attr(t.leaf.attr_indx);
  t.sh =
      reported_shareability(t.mair_attr, range.format.oa == OaFormat::lpa2 ? range.sh : t.leaf.sh);
  t.global = !t.leaf.ng;
  return t;
}

namespace {

Translation translate_impl(PhysMem* mem, const PhysMem& read, const Regime& regime, uint64_t va,
                           Access access) {
  if (!regime.mmu_enabled()) {
    return translate_mmu_off(regime, va, access);
  }
  const VaRange& range = regime.range(Regime::selects_upper(va));
  const WalkRequest req = walk_request(regime, va, access);
  if (range.epd) {
    // EPDn=1: a TLB miss in this range is a level 0 translation fault.
    Translation t;
    t.fault = FaultKind::translation;
    t.level = 0;
    return t;
  }
  return complete_translation(mem, regime, va, access, walk(read, req, va));
}

}  // namespace

Translation translate(PhysMem& mem, const Regime& regime, uint64_t va, Access access) {
  return translate_impl(&mem, mem, regime, va, access);
}

Translation translate_no_update(const PhysMem& mem, const Regime& regime, uint64_t va,
                                Access access) {
  return translate_impl(nullptr, mem, regime, va, access);
}

}  // namespace ptsim::hw::arm64
