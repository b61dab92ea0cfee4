#include "ptsim/hw/arch/arm64/mmu.h"

#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {
Mmu::Mmu(PhysMem& mem, const Regime& regime, const TlbConfig& config)
    : mem_(mem), reader_(mem), regime_(regime), config_(config) {
  config_.validate();
  main_ = TlbArray(config_.entries, config_.ways);
  if (config_.micro_entries != 0) {
    micro_ = TlbArray(config_.micro_entries, config_.micro_entries);
  }
  walk_cache_ = WalkCache(config_.walk_cache_entries, config_.walk_cache_ways);
}

MmuResult Mmu::fault(FaultKind kind, int level, bool hit) {
  ++stats_.faults[static_cast<unsigned>(kind)];
  MmuResult r;
  r.fault = kind;
  r.level = level;
  r.tlb_hit = hit;
  return r;
}

MmuResult Mmu::access_slow(uint64_t va, Access access) {
  ++stats_.accesses;
  if (!regime_.mmu_enabled()) {
    const Translation t = translate(mem_, regime_, va, access);
    return t.ok() ? MmuResult{FaultKind::none, t.level, false, t.pa}
                  : fault(t.fault, t.level, false);
  }
  if (!regime_.va_in_range(va, access.type == AccessType::execute)) {
    return fault(FaultKind::translation, 0, false);
  }
  const uint64_t va56 = va & kVaMask;
  const uint16_t asid = regime_.asid();
  const TlbEntry* e = micro_.empty() ? nullptr : micro_.lookup(va56, asid);
  uint64_t* hit_counter = &stats_.micro_hits;
  if (e == nullptr) {
    e = main_.lookup(va56, asid);
    if (e == nullptr) {
      return miss(va, access);
    }
    hit_counter = &stats_.main_hits;
    if (!micro_.empty()) {
      micro_.insert(*e);
    }
  }
  if (access.type == AccessType::write && e->writable_clean) {
    // The entry caches the clean state; the write must walk to mark the
    // descriptor dirty, and the TLB then holds the dirty entry.
    return miss(va, access);
  }
  ++*hit_counter;
  if ((e->allowed >> access_index(access) & 1) == 0) {
    return fault(FaultKind::permission, e->level, true);
  }
  return MmuResult{FaultKind::none, e->level, true,
                   PhysAddr(e->pa_base + (va56 & ((uint64_t{1} << e->shift) - 1)))};
}

WalkResult Mmu::walk_through_cache(const WalkRequest& req, uint64_t va) {
  const uint64_t va56 = va & kVaMask;
  const uint16_t asid = regime_.asid();
  const Granule g = req.format.granule;
  const int start = walk_start_level(req);
  WalkResult r;
  TableAttributes inherited;
  bool resumed = false;
  if (walk_cache_.enabled()) {
    for (int level = 2; level >= start && !resumed; --level) {
      if (const WalkCacheEntry* w = walk_cache_.lookup(level, level_shift(g, level), va56, asid)) {
        ++stats_.walk_cache_hits;
        inherited = w->attrs;
        r = walk_from(reader_, req, va, level + 1, PhysAddr(w->table), w->attrs);
        resumed = true;
      }
    }
  }
  if (!resumed) {
    r = walk(reader_, req, va);
  }
  ++stats_.walks;
  stats_.descriptor_reads += r.step_count;
  if (walk_cache_.enabled()) {
    TableAttributes acc = inherited;
    for (unsigned i = 0; i < r.step_count; ++i) {
      const WalkStep& s = r.steps[i];
      if (s.kind != DescriptorKind::table || (i + 1 == r.step_count && !r.ok())) {
        continue;
      }
      const TableAttributes t = TableAttributes::decode(s.raw);
      acc.pxn_table |= t.pxn_table;
      acc.uxn_table |= t.uxn_table;
      acc.ap_table |= t.ap_table;
      acc.ns_table |= t.ns_table;
      WalkCacheEntry w;
      w.level = static_cast<int8_t>(s.level);
      w.shift = static_cast<uint8_t>(level_shift(g, s.level));
      w.vpn = va56 >> w.shift;
      w.table = output_address(req.format, s.level, s.kind, s.raw).value();
      w.attrs = acc;
      w.asid = asid;
      walk_cache_.insert(w);
    }
  }
  return r;
}

MmuResult Mmu::miss(uint64_t va, Access access) {
  ++stats_.misses;
  const VaRange& range = regime_.range(Regime::selects_upper(va));
  if (range.epd) {
    return fault(FaultKind::translation, 0, false);
  }
  const WalkRequest req = walk_request(regime_, va, access);
  const WalkResult w = walk_through_cache(req, va);
  const Translation t = complete_translation(&mem_, regime_, va, access, w, false);
  if (!t.ok()) {
    return fault(t.fault, t.level, false);
  }
  stats_.af_updates += t.af_updated ? 1 : 0;
  stats_.dirty_updates += t.dirty_updated ? 1 : 0;
  TlbEntry e;
  e.shift = static_cast<uint8_t>(__builtin_ctzll(t.tlb_size));
  e.vpn = (va & kVaMask) >> e.shift;
  e.pa_base = align_down(t.pa.value(), t.tlb_size);
  e.asid = regime_.asid();
  e.global = t.global;
  e.perms = pack_permissions(t.perms);
  e.allowed = allowed_accesses(t.perms, regime_.pan());
  e.mair_attr = t.mair_attr;
  e.level = static_cast<int8_t>(t.level);
  e.writable_clean = regime_.hardware_dirty() && t.leaf.dbm && (t.leaf.ap & 0b10) != 0;
  main_.insert(e);
  if (!micro_.empty()) {
    micro_.insert(e);
  }
  return MmuResult{FaultKind::none, t.level, false, t.pa};
}

void Mmu::set_asid(uint16_t asid) {
  ++stats_.asid_switches;
  regime_.set_asid(asid);
}

void Mmu::tlbi(TlbiOp op, uint64_t va, std::optional<uint16_t> asid_arg) {
  ++stats_.tlbis;
  const uint16_t asid = asid_arg.value_or(regime_.asid());
  const uint64_t va56 = va & kVaMask;
  const auto leaf_has_va = [va56](const TlbEntry& e) { return (va56 >> e.shift) == e.vpn; };
  const auto table_has_va = [va56](const WalkCacheEntry& e) { return (va56 >> e.shift) == e.vpn; };
  const auto for_leaves = [this](auto match) {
    main_.invalidate_if(match);
    micro_.invalidate_if(match);
  };
  switch (op) {
    case TlbiOp::vmalle1:
      for_leaves([](const TlbEntry&) { return true; });
      walk_cache_.invalidate_if([](const WalkCacheEntry&) { return true; });
      return;
    case TlbiOp::aside1:
      for_leaves([asid](const TlbEntry& e) { return !e.global && e.asid == asid; });
      walk_cache_.invalidate_if([asid](const WalkCacheEntry& e) { return e.asid == asid; });
      return;
    case TlbiOp::vae1:
    case TlbiOp::vale1:
      for_leaves([&](const TlbEntry& e) { return leaf_has_va(e) && (e.global || e.asid == asid); });
      if (op == TlbiOp::vae1) {
        walk_cache_.invalidate_if(
            [&](const WalkCacheEntry& e) { return table_has_va(e) && e.asid == asid; });
      }
      return;
    case TlbiOp::vaae1:
    case TlbiOp::vaale1:
      for_leaves(leaf_has_va);
      if (op == TlbiOp::vaae1) {
        walk_cache_.invalidate_if(table_has_va);
      }
      return;
  }
}

}  // namespace ptsim::hw::arm64
