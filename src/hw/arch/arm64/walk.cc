#include "ptsim/hw/arch/arm64/walk.h"

#include <optional>

#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

std::string fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::none:
      return "none";
    case FaultKind::translation:
      return "translation";
    case FaultKind::access_flag:
      return "access_flag";
    case FaultKind::permission:
      return "permission";
    case FaultKind::address_size:
      return "address_size";
    case FaultKind::external_abort:
      return "external_abort";
  }
  return "?";
}

int walk_start_level(const WalkRequest& request) {
  return start_level(request.format.granule, request.ia_bits);
}

namespace {

// Address bits a descriptor may not set when the output address is 48 bits
// wide: [51:48] of a table address, [49:48] of a block or page (bits 51 and
// 50 are DBM and GP there), and [15:12] with the 64K granule.
bool address_bits_above_48(const DescriptorFormat& fmt, DescriptorKind kind, uint64_t raw) {
  if (fmt.oa != OaFormat::pa48) {
    return false;
  }
  const uint64_t high = kind == DescriptorKind::table ? genmask(51, 48) : genmask(49, 48);
  const uint64_t low = fmt.granule == Granule::k64K ? genmask(15, 12) : 0;
  return (raw & (high | low)) != 0;
}

// Descriptor reads straight from PhysMem.
struct DirectReader {
  const PhysMem& mem;
  TableReader::Read load(PhysAddr pa) const {
    const std::optional<uint64_t> v = mem.try_load64(pa);
    return {v.value_or(0), v.has_value()};
  }
};

template <class Reader>
WalkResult walk_from_impl(Reader& reader, const WalkRequest& request, uint64_t va, int level, PhysAddr table,
                          TableAttributes inherited);

template <class Reader>
WalkResult walk_impl(Reader& reader, const WalkRequest& request, uint64_t va) {
  // D8.1.2 / AArch64.VAIsOutOfRange: the VA bits from AddrTop (55 with TBI,
  // 63 without) down to the input size must all equal the range's bit.
  const unsigned top = request.tbi ? 55 : 63;
  if (request.ia_bits <= top) {
    const uint64_t above = (va & genmask(top, request.ia_bits)) >> request.ia_bits;
    const uint64_t expected = request.upper_half ? (genmask(top, request.ia_bits) >> request.ia_bits) : 0;
    if (above != expected) {
      WalkResult r;
      r.fault = FaultKind::translation;
      r.level = 0;
      return r;
    }
  }
  // The TTBR base is the first address the walk uses; above the output
  // address size it is an Address size fault, reported at level 0.
  if ((request.table_base.value() >> request.pa_bits) != 0) {
    WalkResult r;
    r.fault = FaultKind::address_size;
    r.level = 0;
    return r;
  }
  return walk_from_impl(reader, request, va, walk_start_level(request), request.table_base, TableAttributes{});
}

template <class Reader>
WalkResult walk_from_impl(Reader& reader, const WalkRequest& request, uint64_t va, int level, PhysAddr table,
                          TableAttributes inherited) {
  WalkResult r;
  r.table = inherited;
  r.level = level;
  const DescriptorFormat& fmt = request.format;
  const int start = walk_start_level(request);
  const unsigned bits = bits_per_level(fmt.granule);
  uint64_t table_bits = 0;  // OR of the table descriptors read
  for (; level <= 3; ++level) {
    const unsigned shift = level_shift(fmt.granule, level);
    // The start level may index fewer bits than a full table.
    const unsigned top = (level == start) ? request.ia_bits : shift + bits;
    const uint64_t index = (va >> shift) & ((uint64_t{1} << (top - shift)) - 1);
    const PhysAddr entry = table + index * 8;
    WalkStep& step = r.steps[r.step_count++];
    step.level = level;
    step.index = index;
    step.entry_addr = entry;
    r.level = level;

    const TableReader::Read read = reader.load(entry);
    if (!read.ok) {
      r.fault = FaultKind::external_abort;
      return r;
    }
    const uint64_t raw = read.value;
    step.raw = raw;
    step.kind = classify(fmt, level, raw);
    if (step.kind == DescriptorKind::invalid || step.kind == DescriptorKind::reserved) {
      r.fault = FaultKind::translation;
      return r;
    }
    const PhysAddr address = output_address(fmt, level, step.kind, raw);
    if (address_bits_above_48(fmt, step.kind, raw) || (address.value() >> request.pa_bits) != 0) {
      r.fault = FaultKind::address_size;
      return r;
    }
    if (step.kind == DescriptorKind::table) {
      // D8.4.2: the table attributes apply as the OR over the tables walked.
      table_bits |= raw;
      table = address;
      continue;
    }
    if (table_bits != 0) {
      const TableAttributes t = TableAttributes::decode(table_bits);
      r.table.pxn_table |= t.pxn_table;
      r.table.uxn_table |= t.uxn_table;
      r.table.ap_table |= t.ap_table;
      r.table.ns_table |= t.ns_table;
    }
    r.block_size = uint64_t{1} << shift;
    r.output = address + (va & (r.block_size - 1));
    r.leaf = LeafAttributes::decode(fmt, raw);
    if (!r.leaf.af && !request.hardware_af) {
      // With hardware Access flag management off, AF=0 is an Access flag
      // fault (D8.4.5); with it on, the MMU sets the flag instead.
      r.fault = FaultKind::access_flag;
    }
    return r;
  }
  r.fault = FaultKind::translation;  // not reached: level 3 never holds a table
  return r;
}

}  // namespace

WalkResult walk(const PhysMem& mem, const WalkRequest& request, uint64_t va) {
  DirectReader reader{mem};
  return walk_impl(reader, request, va);
}

WalkResult walk(TableReader& reader, const WalkRequest& request, uint64_t va) {
  return walk_impl(reader, request, va);
}

WalkResult walk_from(const PhysMem& mem, const WalkRequest& request, uint64_t va, int level, PhysAddr table,
                     TableAttributes inherited) {
  DirectReader reader{mem};
  return walk_from_impl(reader, request, va, level, table, inherited);
}

WalkResult walk_from(TableReader& reader, const WalkRequest& request, uint64_t va, int level, PhysAddr table,
                     TableAttributes inherited) {
  return walk_from_impl(reader, request, va, level, table, inherited);
}

}  // namespace ptsim::hw::arm64
