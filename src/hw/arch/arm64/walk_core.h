// The inner loop of the VMSAv8-64 stage 1 walk (Arm ARM DDI 0487, D8.2,
// D8.3), shared by walk(), which records every descriptor it reads, and the
// MMU's miss path, which keeps only what a TLB fill and the walk cache need.
// It is a template over the descriptor reader and over a recorder, so the
// path that records pays for recording and the one that does not pays
// nothing: no step array written, no attributes decoded on the way.
//
// What depends only on the request (the granule's geometry, where the output
// address sits in a descriptor for the OA format, which address bits fault
// with 48-bit output addresses, which levels may hold blocks) is worked out
// once, in a WalkPlan; a level then costs a load, a few masks and compares.
#pragma once

#include <cstdint>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64::detail {

// start_level() with a constant divisor, which compiles to a multiply
// rather than a division of tens of cycles.
template <Granule G>
constexpr int start_level_const(unsigned ia_bits) {
  constexpr unsigned kBits = bits_per_level(G);
  return 4 - static_cast<int>((ia_bits - granule_shift(G) + kBits - 1) / kBits);
}
static_assert(start_level_const<Granule::k4K>(48) == start_level(Granule::k4K, 48));
static_assert(start_level_const<Granule::k16K>(36) == start_level(Granule::k16K, 36));
static_assert(start_level_const<Granule::k64K>(42) == start_level(Granule::k64K, 42));

inline int start_level_of(Granule g, unsigned ia_bits) {
  switch (g) {
    case Granule::k4K:
      return start_level_const<Granule::k4K>(ia_bits);
    case Granule::k16K:
      return start_level_const<Granule::k16K>(ia_bits);
    case Granule::k64K:
      return start_level_const<Granule::k64K>(ia_bits);
  }
  return start_level(g, ia_bits);
}

struct WalkPlan {
  // The address field of a table or page descriptor: [47:granule], or
  // [49:granule] with FEAT_LPA2 (D8.3.1).  A block masks further, to its size.
  uint64_t addr_mask = 0;
  // OA[51:48] (FEAT_LPA, bits [15:12]) or OA[51:50] (FEAT_LPA2, bits [9:8]):
  // ((raw & ext_mask) >> ext_from) << ext_to; ext_mask is 0 for 48-bit OAs.
  uint64_t ext_mask = 0;
  unsigned ext_from = 0;
  unsigned ext_to = 0;
  // Address bits a descriptor may not set with 48-bit output addresses:
  // [51:48] of a table address, [49:48] of a block or page (51 and 50 are
  // DBM and GP there), and [15:12] with the 64K granule.
  uint64_t bad_table = 0;
  uint64_t bad_leaf = 0;
  unsigned granule_shift = 12;
  unsigned bits = 9;  // input-address bits a full table resolves
  unsigned ia_bits = 48;
  unsigned pa_bits = 48;
  int start = 0;
  unsigned blocks = 0;  // bit level+1 set: AArch64.BlockDescSupported at `level`
  bool hardware_af = false;

  WalkPlan() = default;
  explicit WalkPlan(const WalkRequest& req)
      : granule_shift(arm64::granule_shift(req.format.granule)),
        bits(bits_per_level(req.format.granule)),
        ia_bits(req.ia_bits),
        pa_bits(req.pa_bits),
        start(start_level_of(req.format.granule, req.ia_bits)),
        hardware_af(req.hardware_af) {
    const DescriptorFormat& f = req.format;
    addr_mask = genmask(f.oa == OaFormat::lpa2 ? 49 : 47, granule_shift);
    if (f.oa == OaFormat::lpa) {
      ext_from = desc::kOA51_48.lo;
      ext_mask = desc::kOA51_48.mask();
      ext_to = 48;
    } else if (f.oa == OaFormat::lpa2) {
      ext_from = desc::kOA51_50.lo;
      ext_mask = desc::kOA51_50.mask();
      ext_to = 50;
    } else {
      const uint64_t low = f.granule == Granule::k64K ? genmask(15, 12) : 0;
      bad_table = genmask(51, 48) | low;
      bad_leaf = genmask(49, 48) | low;
    }
    // block_allowed() at levels 0-2 (never at -1 or 3).
    for (int level = 0; level <= 2; ++level) {
      blocks |= block_allowed(f, level) ? 1u << (level + 1) : 0u;
    }
  }

  unsigned shift_of(int level) const {
    return granule_shift + static_cast<unsigned>(3 - level) * bits;
  }
};

// How a walk ended: at a leaf (fault none or access_flag) or at a fault.
struct WalkEnd {
  FaultKind fault = FaultKind::none;
  int level = 0;            // of the leaf or the fault
  unsigned reads = 0;       // descriptors read
  uint64_t raw = 0;         // the leaf descriptor
  uint64_t entry = 0;       // its address
  uint64_t base = 0;        // the output address of the leaf's first byte
  unsigned shift = 0;       // log2 of the bytes the leaf maps
  uint64_t table_bits = 0;  // OR of the table descriptors read on the way
};

// A recorder that keeps nothing.
struct NoRecord {
  void step(int, uint64_t, uint64_t, uint64_t, DescriptorKind) {}
  void table(int, uint64_t, uint64_t) {}
};

// Walks from the table at `table`, `level`, reading through `reader` (its
// load(PhysAddr) returns TableReader::Read).  The recorder sees every
// descriptor read, step(level, index, entry address, raw, kind), and each
// table descriptor followed, table(level, raw, next table address).  The
// Access flag is the caller's to check.  A walk reads at most five
// descriptors: level 3 holds no tables.
template <class Reader, class Recorder>
[[gnu::always_inline]] inline WalkEnd walk_levels(Reader& reader, const WalkPlan& p, uint64_t va,
                                                  int level, uint64_t table, Recorder& rec) {
  const int first = level;
  const auto end_at = [&](FaultKind fault) {
    WalkEnd end;
    end.fault = fault;
    end.level = level;
    end.reads = static_cast<unsigned>(level - first + 1);
    return end;
  };
  if (level > 3 || level < -1 || p.shift_of(level) > 63) {
    // Not a level of this granule (a resumed walk given a wrong one).
    WalkEnd end = end_at(FaultKind::translation);
    end.reads = 0;
    return end;
  }
  uint64_t table_bits = 0;
  unsigned shift = p.shift_of(level);
  // The start level may index fewer bits than a full table.
  uint64_t index_mask = (uint64_t{1} << (level == p.start ? p.ia_bits - shift : p.bits)) - 1;
  for (;;) {
    const uint64_t index = (va >> shift) & index_mask;
    const uint64_t entry = table + index * 8;
    const TableReader::Read read = reader.load(PhysAddr(entry));
    if (!read.ok) {
      rec.step(level, index, entry, 0, DescriptorKind::invalid);
      return end_at(FaultKind::external_abort);
    }
    const uint64_t raw = read.value;
    if (!desc::kValid.get(raw)) {
      rec.step(level, index, entry, raw, DescriptorKind::invalid);
      return end_at(FaultKind::translation);
    }
    // output_address(): the address field, and OA[51:48] or OA[51:50].
    uint64_t address = (raw & p.addr_mask) | (((raw & p.ext_mask) >> p.ext_from) << p.ext_to);
    if (desc::kTableOrPage.get(raw) && level != 3) {
      rec.step(level, index, entry, raw, DescriptorKind::table);
      if (((raw & p.bad_table) | (address >> p.pa_bits)) != 0) {
        return end_at(FaultKind::address_size);
      }
      // D8.4.2: the table attributes apply as the OR over the tables walked.
      rec.table(level, raw, address);
      table_bits |= raw;
      table = address;
      ++level;
      shift -= p.bits;
      index_mask = (uint64_t{1} << p.bits) - 1;
      continue;
    }
    // classify(): bit 1 clear is a block where the level allows one, and
    // reserved at level 3 or where it does not.
    DescriptorKind kind = DescriptorKind::page;
    if (!desc::kTableOrPage.get(raw)) {
      kind = (p.blocks >> (level + 1) & 1) != 0 ? DescriptorKind::block : DescriptorKind::reserved;
    }
    rec.step(level, index, entry, raw, kind);
    if (kind == DescriptorKind::reserved) {
      return end_at(FaultKind::translation);
    }
    if (kind == DescriptorKind::block) {
      address &= ~((uint64_t{1} << shift) - 1);  // a block is aligned to its size
    }
    if (((raw & p.bad_leaf) | (address >> p.pa_bits)) != 0) {
      return end_at(FaultKind::address_size);
    }
    WalkEnd end = end_at(FaultKind::none);
    end.raw = raw;
    end.entry = entry;
    end.base = address;
    end.shift = shift;
    end.table_bits = table_bits;
    return end;
  }
}

// `attrs` with the table attributes of the descriptor bits `table_bits`
// ORed in (D8.4.2).
inline TableAttributes merge_table_bits(TableAttributes attrs, uint64_t table_bits) {
  attrs.pxn_table |= desc::kPXNTable.get(table_bits) != 0;
  attrs.uxn_table |= desc::kUXNTable.get(table_bits) != 0;
  attrs.ap_table |= static_cast<unsigned>(desc::kAPTable.get(table_bits));
  attrs.ns_table |= desc::kNSTable.get(table_bits) != 0;
  return attrs;
}

// AF=0 with hardware Access flag management off is an Access flag fault
// (D8.4.5); with it on, the MMU sets the flag instead.
inline bool access_flag_fault(const WalkPlan& p, uint64_t leaf) {
  return !p.hardware_af && !desc::kAF.get(leaf);
}

}  // namespace ptsim::hw::arm64::detail
