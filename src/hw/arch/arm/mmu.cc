#include "ptsim/hw/arch/arm/mmu.h"

#include <algorithm>
#include <cctype>

#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm {
namespace {

// The operations' names, upper case as the Arm ARM writes them.
constexpr std::pair<TlbiOp, std::string_view> kTlbiNames[] = {{TlbiOp::tlbiall, "TLBIALL"},
                                                              {TlbiOp::tlbimva, "TLBIMVA"},
                                                              {TlbiOp::tlbiasid, "TLBIASID"},
                                                              {TlbiOp::tlbimvaa, "TLBIMVAA"}};

}  // namespace

std::optional<TlbiOp> parse_tlbi_op(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return std::toupper(c); });
  // The Inner Shareable forms end in IS.
  const std::string_view base = upper.ends_with("IS")
                                    ? std::string_view(upper).substr(0, upper.size() - 2)
                                    : std::string_view(upper);
  for (const auto& [op, n] : kTlbiNames) {
    if (base == n) {
      return op;
    }
  }
  return std::nullopt;
}

std::string tlbi_op_name(TlbiOp op) {
  return std::string(kTlbiNames[static_cast<unsigned>(op)].second);
}

Mmu::Mmu(const PhysMem& mem, const Regime& regime, const arm64::TlbConfig& config)
    : mem_(mem), regime_(regime), config_(config) {
  config_.validate();
  main_ = arm64::TlbArray(config_.entries, config_.ways);
  if (config_.micro_entries != 0) {
    micro_ = arm64::TlbArray(config_.micro_entries, config_.micro_entries);
  }
  walk_cache_ = arm64::WalkCache(config_.walk_cache_entries, config_.walk_cache_ways);
  inline_hits_ = micro_.empty() && regime_.mmu_enabled();
}

MmuResult Mmu::fault(FaultKind kind, unsigned level, bool hit) {
  ++stats_.faults[static_cast<unsigned>(kind)];
  return {kind, level, hit, {}};
}

MmuResult Mmu::access_slow(uint32_t va, Access access) {
  ++stats_.accesses;
  if (!regime_.mmu_enabled()) {
    return miss(va, access);
  }
  const uint16_t asid = regime_.asid();
  if (const arm64::TlbEntry* e = micro_.empty() ? nullptr : micro_.lookup(va, asid)) {
    ++stats_.micro_hits;
    return hit(*e, va, access);
  }
  if (const arm64::TlbEntry* e = main_.lookup(va, asid)) {
    ++stats_.main_hits;
    if (!micro_.empty()) {
      micro_.insert(*e);
    }
    return hit(*e, va, access);
  }
  return miss(va, access);
}

// The checks a hit still makes: the domain against the current DACR, then
// the permissions (allowed_now()).
MmuResult Mmu::hit(const arm64::TlbEntry& e, uint32_t va, Access access) {
  const auto level = static_cast<unsigned>(e.level);
  const std::optional<uint8_t> allowed = allowed_now(e);
  if (!allowed) {
    return fault(FaultKind::domain, level, true);
  }
  if ((*allowed >> arm64::access_index(access) & 1) == 0) {
    return fault(FaultKind::permission, level, true);
  }
  return {FaultKind::none, level, true,
          PhysAddr(e.pa_base + (va & ((uint64_t{1} << e.shift) - 1)))};
}

std::optional<TableStep> Mmu::cached_table(uint32_t va) {
  if (!walk_cache_.enabled()) {
    return std::nullopt;
  }
  // The deepest first: an LPAE level 2 table entry covers 2 MiB, a level 1
  // one 1 GiB; a short-descriptor page table entry covers 1 MiB.
  for (unsigned level = regime_.lpae() ? 2 : 1; level >= 1; --level) {
    const unsigned shift =
        regime_.lpae() ? long_descriptor::level_shift(level) : short_descriptor::kSectionShift;
    const arm64::WalkCacheEntry* w =
        walk_cache_.lookup(static_cast<int>(level), shift, va, regime_.asid());
    if (w != nullptr) {
      ++stats_.walk_cache_hits;
      return TableStep{level,
                       PhysAddr(w->table),
                       w->domain,
                       w->attrs.pxn_table,
                       w->attrs.uxn_table,
                       w->attrs.ap_table};
    }
  }
  return std::nullopt;
}

void Mmu::fill_walk_cache(uint32_t va, const Translation& t) {
  if (!walk_cache_.enabled()) {
    return;
  }
  for (unsigned i = 0; i < t.table_count; ++i) {
    const TableStep& step = t.tables[i];
    arm64::WalkCacheEntry w;
    w.level = static_cast<int8_t>(step.level);
    w.shift = static_cast<uint8_t>(t.lpae ? long_descriptor::level_shift(step.level)
                                          : short_descriptor::kSectionShift);
    w.vpn = va >> w.shift;
    w.table = step.next_table.value();
    w.domain = static_cast<uint8_t>(step.domain);
    w.attrs.pxn_table = step.pxn;
    w.attrs.uxn_table = step.xn_table;
    w.attrs.ap_table = step.ap_table;
    w.asid = regime_.asid();
    walk_cache_.insert(w);
  }
}

MmuResult Mmu::miss(uint32_t va, Access access) {
  ++stats_.misses;
  const std::optional<TableStep> from = regime_.mmu_enabled() ? cached_table(va) : std::nullopt;
  const Translation t = from ? translate_from(mem_, regime_, va, access, *from)
                             : translate(mem_, regime_, va, access);
  stats_.walks += t.step_count != 0 || from ? 1 : 0;
  stats_.descriptor_reads += t.step_count;
  if (regime_.mmu_enabled()) {
    fill_walk_cache(va, t);
  }
  if (!t.ok()) {
    return fault(t.fault, t.level, false);
  }
  if (regime_.mmu_enabled()) {
    arm64::TlbEntry e;
    e.shift = static_cast<uint8_t>(__builtin_ctzll(t.size));
    e.vpn = va >> e.shift;
    e.pa_base = align_down(t.pa.value(), t.size);
    e.asid = regime_.asid();
    e.global = t.global;
    e.level = static_cast<int8_t>(t.level);
    e.domain = static_cast<uint8_t>(t.domain);
    e.perms = arm64::pack_permissions(t.client_perms);
    e.allowed = arm64::allowed_accesses(t.client_perms, false);
    e.mair_attr = t.mair_attr;
    main_.insert(e);
    if (!micro_.empty()) {
      micro_.insert(e);
    }
  }
  return {FaultKind::none, t.level, false, t.pa};
}

void Mmu::set_asid(uint8_t asid) {
  ++stats_.asid_switches;
  regime_.set_asid(asid);
}

void Mmu::set_dacr(uint32_t dacr) {
  ++stats_.dacr_writes;
  regime_.set_dacr(dacr);
}

// Each operation removes the leaf entries it names from both TLBs and the
// walk cache entries of the same addresses and ASIDs (walk cache entries
// are never global: a table is looked up under the ASID that walked it).
void Mmu::tlbi(TlbiOp op, uint32_t mva, std::optional<uint8_t> asid) {
  ++stats_.tlbis;
  const uint16_t a = asid.value_or(regime_.asid());
  const auto leaves = [this](auto match) {
    main_.invalidate_if(match);
    micro_.invalidate_if(match);
  };
  const auto covers = [mva](const auto& e) { return e.vpn == (mva >> e.shift); };
  switch (op) {
    case TlbiOp::tlbiall:
      leaves([](const arm64::TlbEntry&) { return true; });
      walk_cache_.invalidate_if([](const arm64::WalkCacheEntry&) { return true; });
      return;
    case TlbiOp::tlbimva:
      leaves([&](const arm64::TlbEntry& e) { return covers(e) && (e.global || e.asid == a); });
      walk_cache_.invalidate_if(
          [&](const arm64::WalkCacheEntry& e) { return covers(e) && e.asid == a; });
      return;
    case TlbiOp::tlbiasid:
      leaves([&](const arm64::TlbEntry& e) { return !e.global && e.asid == a; });
      walk_cache_.invalidate_if([&](const arm64::WalkCacheEntry& e) { return e.asid == a; });
      return;
    case TlbiOp::tlbimvaa:
      leaves(covers);
      walk_cache_.invalidate_if(covers);
      return;
  }
}

}  // namespace ptsim::hw::arm
