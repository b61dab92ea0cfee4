#include "ptsim/hw/arch/arm/translate.h"

#include <fmt/format.h>

#include <optional>
#include <variant>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/long_descriptor.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"

namespace ptsim::hw::arm {

std::string fault_kind_name(FaultKind kind) {
  static constexpr const char* kNames[] = {"none",       "translation",  "access_flag",   "domain",
                                           "permission", "address_size", "external_abort"};
  return kNames[static_cast<unsigned>(kind)];
}

namespace {

namespace sd = short_descriptor;
namespace ld = long_descriptor;

// A descriptor read: nullopt outside every bank (an external abort).
std::optional<uint64_t> read_descriptor(const PhysMem& mem, PhysAddr pa, unsigned bytes) {
  const Bank* bank = mem.find_bank(pa);
  if (bank == nullptr || !bank->contains(pa, bytes)) {
    return std::nullopt;
  }
  return bytes == 4 ? uint64_t{mem.load32(pa)} : mem.load64(pa);
}

Translation fault(Translation t, FaultKind kind, unsigned level) {
  t.fault = kind;
  t.level = level;
  return t;
}

// Reads one descriptor into the record of the walk.
std::optional<uint64_t> step(const PhysMem& mem, Translation& t, unsigned level, PhysAddr addr,
                             unsigned bytes) {
  const std::optional<uint64_t> v = read_descriptor(mem, addr, bytes);
  t.steps[t.step_count++] = WalkStep{level, addr, v.value_or(0)};
  return v;
}

// The checks after a leaf (B3.12.3): Access flag, domain, permissions.
Translation check_short_leaf(Translation t, const Regime& regime, const sd::RegionAttributes& a,
                             bool pxn, Access access) {
  // TranslationTableWalkSD checks the Access flag (AP[0] with AFE) before
  // CheckDomain, so it faults in every domain.  QEMU checks the domain first.
  if (regime.afe() && (a.ap & 0b01) == 0) {
    return fault(t, FaultKind::access_flag, t.level);
  }
  const sd::DomainAccess dom = regime.domain(t.domain);
  t.memattrs =
      sd::memory_attributes(a, regime.tre(), regime.registers().prrr, regime.registers().nmrr);
  t.global = !a.ng;
  ShortPermissionInputs in{a.ap_2_0(),   regime.afe(), a.xn, pxn, sd::DomainAccess::client,
                           regime.wxn(), regime.uwxn()};
  t.client_perms = short_permissions(in);
  in.domain = dom;
  t.perms = short_permissions(in);
  if (dom == sd::DomainAccess::no_access || dom == sd::DomainAccess::reserved) {
    return fault(t, FaultKind::domain, t.level);
  }
  if (!permits(t.perms, access)) {
    return fault(t, FaultKind::permission, t.level);
  }
  return t;
}

// The second level of a short-descriptor walk, below the page table `table`.
Translation walk_short_page(const PhysMem& mem, const Regime& regime, uint32_t va, Access access,
                            Translation t, const TableStep& table) {
  t.level = 2;
  t.domain = table.domain;
  const uint64_t l2_index =
      (va & genmask(sd::kSectionShift - 1, sd::kSmallPageShift)) >> sd::kSmallPageShift;
  const std::optional<uint64_t> l2 =
      step(mem, t, 2, table.next_table + l2_index * sd::kDescriptorBytes, sd::kDescriptorBytes);
  if (!l2) {
    return fault(t, FaultKind::external_abort, 2);
  }
  const auto d2 = static_cast<uint32_t>(*l2);
  t.descriptor = d2;
  const sd::SecondLevelDescriptor second = sd::decode_second_level(d2);
  if (std::holds_alternative<sd::Fault>(second)) {
    return fault(t, FaultKind::translation, 2);
  }
  if (const auto* lp = std::get_if<sd::LargePage>(&second)) {
    t.size = sd::kLargePageSize;
    t.pa = lp->base + (va & (sd::kLargePageSize - 1));
    return check_short_leaf(t, regime, lp->attrs, table.pxn, access);
  }
  const auto& sp = std::get<sd::SmallPage>(second);
  t.size = sd::kSmallPageSize;
  t.pa = sp.base + (va & (sd::kSmallPageSize - 1));
  return check_short_leaf(t, regime, sp.attrs, table.pxn, access);
}

Translation walk_short(const PhysMem& mem, const Regime& regime, uint32_t va, Access access,
                       const TableStep* from) {
  Translation t;
  const bool upper = regime.selects_upper(va);
  const VaRange& r = regime.range(upper);
  t.upper = upper;
  if (from != nullptr) {
    return walk_short_page(mem, regime, va, access, t, *from);
  }
  if (r.disabled) {
    return fault(t, FaultKind::translation, 1);
  }
  // B3.5.4: TTBR0 indexes with VA[31-N:20], TTBR1 with VA[31:20].
  const unsigned n = upper ? 0 : regime.ttbcr_n();
  const uint64_t index = (uint64_t{va} & genmask(31 - n, sd::kSectionShift)) >> sd::kSectionShift;
  const PhysAddr l1_addr = r.table_base + index * sd::kDescriptorBytes;
  const std::optional<uint64_t> l1 = step(mem, t, 1, l1_addr, sd::kDescriptorBytes);
  if (!l1) {
    return fault(t, FaultKind::external_abort, 1);
  }
  const auto d1 = static_cast<uint32_t>(*l1);
  const sd::FirstLevelDescriptor first = sd::decode_first_level(d1);
  t.level = 1;
  if (std::holds_alternative<sd::Fault>(first)) {
    return fault(t, FaultKind::translation, 1);
  }
  if (const auto* s = std::get_if<sd::Section>(&first)) {
    t.descriptor = d1;
    t.domain = s->domain;
    t.size = sd::kSectionSize;
    t.pa = s->base + (va & (sd::kSectionSize - 1));
    return check_short_leaf(t, regime, s->attrs, s->pxn, access);
  }
  if (const auto* ss = std::get_if<sd::Supersection>(&first)) {
    t.descriptor = d1;
    t.domain = 0;  // B3.7.3: supersections are in domain 0
    t.supersection = true;
    t.size = sd::kSupersectionSize;
    t.pa = ss->base + (va & (sd::kSupersectionSize - 1));
    return check_short_leaf(t, regime, ss->attrs, ss->pxn, access);
  }
  const auto& table = std::get<sd::PageTable>(first);
  const TableStep followed{1, table.base, table.domain, table.pxn, false, 0};
  t.tables[t.table_count++] = followed;
  return walk_short_page(mem, regime, va, access, t, followed);
}

// Output and next-table addresses are 40 bits; bits [47:40] set are an
// address size fault in ARMv8's AArch32 (ARMv7 makes them SBZP).
constexpr uint64_t kAboveOutputAddress = genmask(47, ld::kOutputAddressBits);

Translation check_long_leaf(Translation t, const Regime& regime, const ld::LeafAttributes& a,
                            Access access) {
  if (!a.af) {
    return fault(t, FaultKind::access_flag, t.level);
  }
  t.mair_attr = mair_attr(regime.registers().mair0, regime.registers().mair1, a.attr_indx);
  t.memattrs = memory_attributes_from_mair(t.mair_attr, a.sh);
  t.global = !a.ng;
  t.perms = long_permissions({static_cast<unsigned>(a.ap), t.ap_table, a.xn || t.xn_table,
                              a.pxn || t.pxn_table, regime.wxn(), regime.uwxn()});
  t.client_perms = t.perms;
  if (!permits(t.perms, access)) {
    return fault(t, FaultKind::permission, t.level);
  }
  return t;
}

Translation walk_long(const PhysMem& mem, const Regime& regime, uint32_t va, Access access,
                      const TableStep* from) {
  Translation t;
  t.lpae = true;
  const bool upper = regime.selects_upper(va);
  const VaRange& r = regime.range(upper);
  t.upper = upper;
  PhysAddr table = r.table_base;
  unsigned first = r.start_level;
  if (from != nullptr) {
    table = from->next_table;
    first = from->level + 1;
    t.ap_table = from->ap_table;
    t.xn_table = from->xn_table;
    t.pxn_table = from->pxn;
  } else if (!regime.va_in_range(va) || r.disabled) {
    return fault(t, FaultKind::translation, 1);
  } else if (r.base_above_40) {
    return fault(t, FaultKind::address_size, 0);
  }
  for (unsigned level = first; level <= ld::kLastLevel; ++level) {
    const unsigned shift = ld::level_shift(level);
    const unsigned top = level == r.start_level ? r.ia_bits - 1 : shift + ld::kBitsPerLevel - 1;
    const uint64_t index = (uint64_t{va} & genmask(top, shift)) >> shift;
    const std::optional<uint64_t> v =
        step(mem, t, level, table + index * ld::kDescriptorBytes, ld::kDescriptorBytes);
    t.level = level;
    if (!v) {
      return fault(t, FaultKind::external_abort, level);
    }
    const uint64_t desc = *v;
    const ld::Descriptor d = ld::decode(desc, level);
    if (std::holds_alternative<ld::Invalid>(d)) {
      return fault(t, FaultKind::translation, level);
    }
    if ((desc & kAboveOutputAddress) != 0) {
      return fault(t, FaultKind::address_size, level);
    }
    if (const auto* tab = std::get_if<ld::Table>(&d)) {
      t.ap_table |= static_cast<unsigned>(tab->ap_table);
      t.xn_table = t.xn_table || tab->xn_table;
      t.pxn_table = t.pxn_table || tab->pxn_table;
      table = tab->next_table;
      t.tables[t.table_count++] = TableStep{level, table, 0, t.pxn_table, t.xn_table, t.ap_table};
      continue;
    }
    t.descriptor = desc;
    t.size = ld::level_size(level);
    if (const auto* b = std::get_if<ld::Block>(&d)) {
      t.pa = b->output_address + (va & (t.size - 1));
      return check_long_leaf(t, regime, b->attrs, access);
    }
    const auto& p = std::get<ld::Page>(d);
    t.pa = p.output_address + (va & (t.size - 1));
    return check_long_leaf(t, regime, p.attrs, access);
  }
  return t;  // not reached: level 3 has no table descriptors
}

// SCTLR.M == 0 (B3.2.1): a flat map; data accesses are Strongly-ordered.
Translation translate_mmu_off(const Regime& regime, uint32_t va) {
  Translation t;
  t.lpae = regime.lpae();
  t.mmu_off = true;
  t.pa = PhysAddr(va);
  t.size = sd::kSmallPageSize;
  t.perms = {true, true, true, true, true, true};
  return t;
}

}  // namespace

uint32_t checked_va(uint64_t va) {
  if ((va >> 32) != 0) {
    throw bad_input(fmt::format(
        "virtual address {:#x} is beyond the 32-bit virtual address space of ARMv7", va));
  }
  return static_cast<uint32_t>(va);
}

Translation translate(const PhysMem& mem, const Regime& regime, uint32_t va, Access access) {
  if (!regime.mmu_enabled()) {
    return translate_mmu_off(regime, va);
  }
  return regime.lpae() ? walk_long(mem, regime, va, access, nullptr)
                       : walk_short(mem, regime, va, access, nullptr);
}

Translation translate_from(const PhysMem& mem, const Regime& regime, uint32_t va, Access access,
                           const TableStep& from) {
  return regime.lpae() ? walk_long(mem, regime, va, access, &from)
                       : walk_short(mem, regime, va, access, &from);
}

}  // namespace ptsim::hw::arm
