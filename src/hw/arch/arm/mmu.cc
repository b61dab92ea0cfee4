#include "ptsim/hw/arch/arm/mmu.h"

#include <algorithm>
#include <cctype>

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
    : mem_(mem), regime_(regime) {
  config.validate();
  tlb_ = arm64::TlbArray(config.entries, config.ways);
}

MmuResult Mmu::access(uint32_t va, Access access) {
  ++stats_.accesses;
  if (regime_.mmu_enabled()) {
    const arm64::TlbEntry* e = tlb_.lookup(va, regime_.asid());
    if (e != nullptr && (e->allowed >> arm64::access_index(access) & 1) != 0) {
      ++stats_.hits;
      return {FaultKind::none, static_cast<unsigned>(e->level), true,
              PhysAddr(e->pa_base + (va & ((uint64_t{1} << e->shift) - 1)))};
    }
  }
  ++stats_.misses;
  const Translation t = translate(mem_, regime_, va, access);
  stats_.walks += t.step_count != 0 ? 1 : 0;
  stats_.descriptor_reads += t.step_count;
  if (!t.ok()) {
    ++stats_.faults[static_cast<unsigned>(t.fault)];
    return {t.fault, t.level, false, {}};
  }
  if (regime_.mmu_enabled()) {
    arm64::TlbEntry e;
    e.shift = static_cast<uint8_t>(__builtin_ctzll(t.size));
    e.vpn = va >> e.shift;
    e.pa_base = align_down(t.pa.value(), t.size);
    e.asid = regime_.asid();
    e.global = t.global;
    e.level = static_cast<int8_t>(t.level);
    e.perms = arm64::pack_permissions(t.perms);
    e.allowed = arm64::allowed_accesses(t.perms, false);
    e.mair_attr = t.mair_attr;
    tlb_.insert(e);
  }
  return {FaultKind::none, t.level, false, t.pa};
}

void Mmu::set_asid(uint8_t asid) {
  ++stats_.asid_switches;
  regime_.set_asid(asid);
}

void Mmu::tlbi(TlbiOp op, uint32_t mva, std::optional<uint8_t> asid) {
  ++stats_.tlbis;
  const uint16_t a = asid.value_or(regime_.asid());
  const auto covers = [mva](const arm64::TlbEntry& e) { return e.vpn == (mva >> e.shift); };
  switch (op) {
    case TlbiOp::tlbiall:
      tlb_.invalidate_if([](const arm64::TlbEntry&) { return true; });
      return;
    case TlbiOp::tlbimva:
      tlb_.invalidate_if(
          [&](const arm64::TlbEntry& e) { return covers(e) && (e.global || e.asid == a); });
      return;
    case TlbiOp::tlbiasid:
      tlb_.invalidate_if([&](const arm64::TlbEntry& e) { return !e.global && e.asid == a; });
      return;
    case TlbiOp::tlbimvaa:
      tlb_.invalidate_if(covers);
      return;
  }
}

}  // namespace ptsim::hw::arm
