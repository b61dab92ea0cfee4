// The inner loop of the VMSAv8-64 stage 1 walk (Arm ARM DDI 0487, D8.2,
// D8.3), shared by walk(), which records every descriptor it reads, and the
// MMU's miss path, which keeps only what a TLB fill and the walk cache need.
// It is a template over the descriptor reader and over a recorder, so the
// path that records pays for recording and the one that does not pays
// nothing: no step array written, no attributes decoded on the way.
//
// What depends only on the request is worked out once, in a WalkPlan
// (walk_plan.h); a level then costs a load, a few masks and compares.
#pragma once

#include <cstdint>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/arch/arm64/walk_plan.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64::detail {

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

// What walk_levels() knows of the descriptor format, from one of two
// sources.  RuntimeFormat reads the plan.  Format4K48 is the format nearly
// every arm64 kernel runs with (4K granule, 48-bit input and output
// addresses: levels 0 to 3, 512 entries each), whose shifts and masks are
// constants: they become immediates and the four levels unroll, which
// takes about a quarter of a walk's instructions away.  A plan is walked
// with Format4K48 only when its own values are exactly these.
struct RuntimeFormat {
  const WalkPlan& plan;
  int start() const { return plan.start; }
  unsigned bits() const { return plan.bits; }
  unsigned shift_of(int level) const { return plan.shift_of(level); }
  // The start level may index fewer bits than a full table.
  uint64_t index_mask(int level) const {
    const unsigned width = level == plan.start ? plan.ia_bits - shift_of(level) : plan.bits;
    return (uint64_t{1} << width) - 1;
  }
  // output_address(): the address field, and OA[51:48] or OA[51:50].
  uint64_t address(uint64_t raw) const {
    return (raw & plan.addr_mask) | ((raw & plan.ext_mask) << plan.ext_shift);
  }
  uint64_t bad_table() const { return plan.bad_table; }
  uint64_t bad_leaf() const { return plan.bad_leaf; }
  bool block_at(int level) const { return (plan.blocks >> (level + 1) & 1) != 0; }
};

struct Format4K48 {
  const WalkPlan& plan;  // for pa_bits (TCR_EL1.IPS), which stays a register's
  static constexpr int start() { return 0; }
  static constexpr unsigned bits() { return 9; }
  static constexpr unsigned shift_of(int level) {
    return 12 + 9 * static_cast<unsigned>(3 - level);
  }
  static constexpr uint64_t index_mask(int) { return 511; }
  static constexpr uint64_t address(uint64_t raw) { return raw & genmask(47, 12); }
  static constexpr uint64_t bad_table() { return genmask(51, 48); }
  static constexpr uint64_t bad_leaf() { return genmask(49, 48); }
  static constexpr bool block_at(int level) { return level == 1 || level == 2; }

  static bool describes(const WalkPlan& p) {
    return p.granule_shift == 12 && p.ia_bits == 48 && p.start == start() &&
           p.addr_mask == genmask(47, 12) && p.ext_mask == 0 && p.bad_table == bad_table() &&
           p.bad_leaf == bad_leaf() && p.blocks == ((1u << 2) | (1u << 3));
  }
};

// Calls `f` with the plan's format: Format4K48 when it describes the plan.
template <class F>
[[gnu::always_inline]] inline auto with_format(const WalkPlan& plan, F&& f) {
  return plan.format_4k48 ? f(Format4K48{plan}) : f(RuntimeFormat{plan});
}

// Walks from the table at `table`, `level`, reading through `reader`, with
// the constants of `format`.  The recorder sees every descriptor read,
// step(level, index, entry address, raw, kind), and each table descriptor
// followed, table(level, raw, next table address).  The Access flag is the
// caller's to check.  A walk reads at most five descriptors: level 3 holds
// no tables.
template <class Format, class Reader, class Recorder>
[[gnu::always_inline]] inline WalkEnd walk_levels(Reader& reader, const Format& format, uint64_t va,
                                                  int level, uint64_t table, Recorder& rec) {
  const WalkPlan& p = format.plan;
  const int first = level;
  const auto end_at = [&](FaultKind fault) {
    WalkEnd end;
    end.fault = fault;
    end.level = level;
    end.reads = static_cast<unsigned>(level - first + 1);
    return end;
  };
  if (level > 3 || level < -1 || format.shift_of(level) > 63) {
    // Not a level of this granule (a resumed walk given a wrong one).
    WalkEnd end = end_at(FaultKind::translation);
    end.reads = 0;
    return end;
  }
  uint64_t table_bits = 0;
#pragma GCC unroll 5
  for (; level <= 3; ++level) {
    const unsigned shift = format.shift_of(level);
    const uint64_t index = (va >> shift) & format.index_mask(level);
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
    uint64_t address = format.address(raw);
    if (desc::kTableOrPage.get(raw) && level != 3) {
      rec.step(level, index, entry, raw, DescriptorKind::table);
      if (((raw & format.bad_table()) | (address >> p.pa_bits)) != 0) {
        return end_at(FaultKind::address_size);
      }
      // D8.4.2: the table attributes apply as the OR over the tables walked.
      rec.table(level, raw, address);
      table_bits |= raw;
      table = address;
      continue;
    }
    // classify(): bit 1 clear is a block where the level allows one, and
    // reserved at level 3 or where it does not.
    DescriptorKind kind = DescriptorKind::page;
    if (!desc::kTableOrPage.get(raw)) {
      kind = format.block_at(level) ? DescriptorKind::block : DescriptorKind::reserved;
    }
    rec.step(level, index, entry, raw, kind);
    if (kind == DescriptorKind::reserved) {
      return end_at(FaultKind::translation);
    }
    if (kind == DescriptorKind::block) {
      address &= ~((uint64_t{1} << shift) - 1);  // a block is aligned to its size
    }
    if (((raw & format.bad_leaf()) | (address >> p.pa_bits)) != 0) {
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
  return end_at(FaultKind::translation);  // not reached: level 3 ends every walk
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
