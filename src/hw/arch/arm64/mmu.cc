#include "ptsim/hw/arch/arm64/mmu.h"

#include "hw/arch/arm64/leaf_access.h"
#include "hw/arch/arm64/walk_core.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {
Mmu::Mmu(PhysMem& mem, const Regime& regime, const TlbConfig& config)
    : mem_(mem),
      reader_(mem),
      regime_(regime),
      walkers_{Walker(walk_request(regime, 0, {})), Walker(walk_request(regime, ~uint64_t{0}, {}))},
      config_(config) {
  config_.validate();
  main_ = TlbArray(config_.entries, config_.ways);
  if (config_.micro_entries != 0) {
    micro_ = TlbArray(config_.micro_entries, config_.micro_entries);
  }
  walk_cache_ = WalkCache(config_.walk_cache_entries, config_.walk_cache_ways);
  inline_hits_ = micro_.empty() && regime_.mmu_enabled();
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

namespace {

// Keeps each table descriptor a walk follows in the walk cache, with the
// table attributes accumulated down to it.
struct WalkCacheFill {
  WalkCache& cache;
  const detail::WalkPlan& plan;
  uint64_t va56;
  uint16_t asid;
  TableAttributes acc;

  void step(int, uint64_t, uint64_t, uint64_t, DescriptorKind) {}
  void table(int level, uint64_t raw, uint64_t next) {
    acc = detail::merge_table_bits(acc, raw);
    WalkCacheEntry w;
    w.level = static_cast<int8_t>(level);
    w.shift = static_cast<uint8_t>(plan.shift_of(level));
    w.vpn = va56 >> w.shift;
    w.table = next;
    w.attrs = acc;
    w.asid = asid;
    cache.insert(w);
  }
};

}  // namespace

MmuResult Mmu::miss(uint64_t va, Access access) {
  ++stats_.misses;
  const VaRange& range = regime_.range(Regime::selects_upper(va));
  if (range.epd) {
    return fault(FaultKind::translation, 0, false);
  }
  const Walker& walker = walkers_[range.upper ? 1 : 0];
  const detail::WalkPlan& plan = walker.plan();
  const uint64_t va56 = va & kVaMask;
  const uint16_t asid = regime_.asid();
  // Resume below the deepest table descriptor the walk cache holds.
  int level = plan.start;
  uint64_t table = walker.request().table_base.value();
  TableAttributes inherited;
  bool resumed = false;
  if (walk_cache_.enabled()) {
    for (int l = 2; l >= plan.start && !resumed; --l) {
      if (const WalkCacheEntry* w = walk_cache_.lookup(l, plan.shift_of(l), va56, asid)) {
        ++stats_.walk_cache_hits;
        inherited = w->attrs;
        level = l + 1;
        table = w->table;
        resumed = true;
      }
    }
  }
  ++stats_.walks;
  // access_slow() checked the VA against the range (with the TBI of this
  // access), so of the walk's entry faults only the TTBR base's is left.
  if (!resumed && walker.base_too_large()) {
    return fault(FaultKind::address_size, 0, false);
  }
  detail::WalkEnd end;
  if (walk_cache_.enabled()) {
    WalkCacheFill fill{walk_cache_, plan, va56, asid, inherited};
    end = detail::with_format(plan, [&](const auto& format) {
      return detail::walk_levels(reader_, format, va, level, table, fill);
    });
  } else {
    detail::NoRecord none;
    end = detail::with_format(plan, [&](const auto& format) {
      return detail::walk_levels(reader_, format, va, level, table, none);
    });
  }
  stats_.descriptor_reads += end.reads;
  if (end.fault != FaultKind::none) {
    return fault(end.fault, end.level, false);
  }
  if (detail::access_flag_fault(plan, end.raw)) {
    return fault(FaultKind::access_flag, end.level, false);
  }
  const detail::LeafAccess a =
      detail::access_leaf(&mem_, regime_, range, access, end.raw, PhysAddr(end.entry),
                          detail::merge_table_bits(inherited, end.table_bits));
  if (a.fault != FaultKind::none) {
    return fault(a.fault, end.level, false);
  }
  stats_.af_updates += a.af_updated ? 1 : 0;
  stats_.dirty_updates += a.dirty_updated ? 1 : 0;
  // The permissions are worked out once, here: a hit is then one bit test.
  const uint64_t size = uint64_t{1} << end.shift;
  const uint64_t pa = end.base + (va & (size - 1));
  const uint64_t tlb_size = desc::kContiguous.get(a.desc) != 0
                                ? size * contiguous_entries(range.format.granule, end.level)
                                : size;
  TlbEntry e;
  e.shift = static_cast<uint8_t>(__builtin_ctzll(tlb_size));
  e.vpn = va56 >> e.shift;
  e.pa_base = align_down(pa, tlb_size);
  e.asid = asid;
  e.global = desc::kNG.get(a.desc) == 0;
  e.perms = pack_permissions(a.perms);
  e.allowed = allowed_accesses(a.perms, regime_.pan());
  e.mair_attr = regime_.mair_attr(static_cast<unsigned>(desc::kAttrIndx.get(a.desc)));
  e.level = static_cast<int8_t>(end.level);
  e.writable_clean = detail::writable_clean(regime_, a.desc);
  main_.insert(e);
  if (!micro_.empty()) {
    micro_.insert(e);
  }
  return MmuResult{FaultKind::none, end.level, false, PhysAddr(pa)};
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
