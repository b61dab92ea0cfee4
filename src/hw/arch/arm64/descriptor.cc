#include "ptsim/hw/arch/arm64/descriptor.h"

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::hw::arm64 {

std::string descriptor_kind_name(DescriptorKind kind) {
  switch (kind) {
    case DescriptorKind::invalid:
      return "invalid";
    case DescriptorKind::table:
      return "table";
    case DescriptorKind::block:
      return "block";
    case DescriptorKind::page:
      return "page";
    case DescriptorKind::reserved:
      return "reserved";
  }
  return "?";
}

uint64_t encode_address(const DescriptorFormat& fmt, PhysAddr pa, unsigned align_shift) {
  const uint64_t a = pa.value();
  if (!is_aligned(a, uint64_t{1} << align_shift)) {
    throw bad_input(fmt::format("output address {:#x} is not aligned to {:#x} as the descriptor requires",
                                a, uint64_t{1} << align_shift));
  }
  if ((a >> fmt.oa_bits()) != 0) {
    throw bad_input(fmt::format("output address {:#x} does not fit in {} bits{}", a, fmt.oa_bits(),
                                fmt.oa == OaFormat::pa48 ? " (52-bit addresses need FEAT_LPA or FEAT_LPA2)" : ""));
  }
  switch (fmt.oa) {
    case OaFormat::pa48:
      return a;
    case OaFormat::lpa:
      return (a & genmask(47, align_shift)) | desc::kOA51_48.set(0, a >> 48);
    case OaFormat::lpa2:
      return (a & genmask(49, align_shift)) | desc::kOA51_50.set(0, a >> 50);
  }
  return 0;
}

uint64_t LeafAttributes::encode(const DescriptorFormat& fmt) const {
  uint64_t v = 0;
  v = desc::kAttrIndx.set(v, attr_indx);
  v = desc::kNS.set(v, ns);
  v = desc::kAP.set(v, ap);
  if (fmt.oa != OaFormat::lpa2) {
    v = desc::kSH.set(v, sh);  // with TCR.DS=1 shareability comes from TCR
  }
  v = desc::kAF.set(v, af);
  v = desc::kNG.set(v, ng);
  v = desc::kGP.set(v, gp);
  v = desc::kDBM.set(v, dbm);
  v = desc::kContiguous.set(v, contiguous);
  v = desc::kPXN.set(v, pxn);
  v = desc::kUXN.set(v, uxn);
  v = desc::kSoftware.set(v, software);
  v = desc::kPBHA.set(v, pbha);
  return v;
}

LeafAttributes LeafAttributes::decode(const DescriptorFormat& fmt, uint64_t raw) {
  LeafAttributes a;
  a.attr_indx = static_cast<unsigned>(desc::kAttrIndx.get(raw));
  a.ns = desc::kNS.get(raw) != 0;
  a.ap = static_cast<unsigned>(desc::kAP.get(raw));
  a.sh = fmt.oa == OaFormat::lpa2 ? 0 : static_cast<unsigned>(desc::kSH.get(raw));
  a.af = desc::kAF.get(raw) != 0;
  a.ng = desc::kNG.get(raw) != 0;
  a.gp = desc::kGP.get(raw) != 0;
  a.dbm = desc::kDBM.get(raw) != 0;
  a.contiguous = desc::kContiguous.get(raw) != 0;
  a.pxn = desc::kPXN.get(raw) != 0;
  a.uxn = desc::kUXN.get(raw) != 0;
  a.software = static_cast<unsigned>(desc::kSoftware.get(raw));
  a.pbha = static_cast<unsigned>(desc::kPBHA.get(raw));
  return a;
}

uint64_t TableAttributes::encode() const {
  uint64_t v = 0;
  v = desc::kPXNTable.set(v, pxn_table);
  v = desc::kUXNTable.set(v, uxn_table);
  v = desc::kAPTable.set(v, ap_table);
  v = desc::kNSTable.set(v, ns_table);
  return v;
}

TableAttributes TableAttributes::decode(uint64_t raw) {
  TableAttributes a;
  a.pxn_table = desc::kPXNTable.get(raw) != 0;
  a.uxn_table = desc::kUXNTable.get(raw) != 0;
  a.ap_table = static_cast<unsigned>(desc::kAPTable.get(raw));
  a.ns_table = desc::kNSTable.get(raw) != 0;
  return a;
}

uint64_t make_table(const DescriptorFormat& fmt, int level, PhysAddr next_table, TableAttributes attrs) {
  if (level < -1 || level > 2) {
    throw bad_input(fmt::format("a table descriptor cannot sit at level {} (levels -1 to 2 hold tables)", level));
  }
  return encode_address(fmt, next_table, granule_shift(fmt.granule)) | attrs.encode() | 0b11;
}

uint64_t make_block(const DescriptorFormat& fmt, int level, PhysAddr oa, LeafAttributes attrs) {
  if (!block_allowed(fmt, level)) {
    throw bad_input(fmt::format("a {} granule with {}-bit output addresses has no block descriptors at level {}",
                                granule_name(fmt.granule), fmt.oa_bits(), level));
  }
  return encode_address(fmt, oa, level_shift(fmt.granule, level)) | attrs.encode(fmt) | 0b01;
}

uint64_t make_page(const DescriptorFormat& fmt, PhysAddr oa, LeafAttributes attrs) {
  return encode_address(fmt, oa, granule_shift(fmt.granule)) | attrs.encode(fmt) | 0b11;
}

std::string describe(const DescriptorFormat& fmt, int level, uint64_t raw) {
  const DescriptorKind kind = classify(fmt, level, raw);
  if (kind == DescriptorKind::invalid || kind == DescriptorKind::reserved) {
    return descriptor_kind_name(kind);
  }
  const PhysAddr pa = output_address(fmt, level, kind, raw);
  if (kind == DescriptorKind::table) {
    const TableAttributes t = TableAttributes::decode(raw);
    std::string s = fmt::format("table -> {:x}", pa);
    if (t.pxn_table) {
      s += " PXNTable";
    }
    if (t.uxn_table) {
      s += " UXNTable";
    }
    if (t.ap_table != 0) {
      s += fmt::format(" APTable={}", t.ap_table);
    }
    if (t.ns_table) {
      s += " NSTable";
    }
    return s;
  }
  const LeafAttributes a = LeafAttributes::decode(fmt, raw);
  std::string s = fmt::format("{} {:x} AttrIndx={} SH={} AP={}", descriptor_kind_name(kind), pa,
                              a.attr_indx, a.sh, a.ap);
  const std::pair<bool, const char*> flags[] = {{a.ns, "NS"},   {a.af, "AF"},       {a.ng, "nG"},
                                                {a.gp, "GP"},   {a.dbm, "DBM"},     {a.contiguous, "Cont"},
                                                {a.pxn, "PXN"}, {a.uxn, "UXN"}};
  for (const auto& [on, name] : flags) {
    if (on) {
      s += ' ';
      s += name;
    }
  }
  if (a.software != 0) {
    s += fmt::format(" SW={:#x}", a.software);
  }
  return s;
}

}  // namespace ptsim::hw::arm64
