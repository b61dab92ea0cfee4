// Every leaf reachable from a translation table root, in address order: the
// whole-table counterpart of walk(), for dumps and comparisons.  Table
// descriptors outside every memory bank are reported, not followed; a table
// that points back at itself is visited again at the next level, so the
// traversal always ends (it is bounded by the number of levels), and
// TableVisitLimit keeps it from taking longer than a walk of a tree of
// tables filling the whole memory would.
#pragma once

#include <cstdint>
#include <functional>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

struct Leaf {
  uint64_t va = 0;       // first address the leaf maps
  uint64_t size = 0;     // bytes it maps
  int level = 0;         // Arm level of the descriptor
  uint64_t desc = 0;     // the raw block or page descriptor
  PhysAddr oa;           // output address of va
  uint64_t table_bits = 0;  // OR of the hierarchical bits [63:59] of the tables above
};

struct TableVisit {
  int level = 0;
  PhysAddr table;
  uint64_t va = 0;  // first address the table covers
  unsigned valid_entries = 0;
};

struct TableWalkCallbacks {
  std::function<void(const Leaf&)> leaf;
  std::function<void(const TableVisit&)> table;  // optional: each table page, before its leaves
  std::function<void(int level, PhysAddr entry)> unreadable;  // optional: a table outside memory
};

// A walk of a tree of tables enters each table page once, so it enters at
// most as many tables as the memory holds granule-sized pages.  Entries that
// share a table or point back at their own table or an ancestor (cyclic
// tables) make a whole-table walk repeat that subtree at every reference,
// up to 512^4 times for 4K pages: past the bound the walk stops with a
// bad_input error naming the table entered once too often.  The work a
// walk may do is thereby linear in the size of the memory.
class TableVisitLimit {
 public:
  TableVisitLimit(const PhysMem& mem, Granule granule);
  // Counts entering the table at `table`, hardware level `level`; a table
  // outside every memory bank reads as zeros and is not counted.
  void enter(int level, PhysAddr table);

 private:
  const PhysMem& mem_;
  Granule granule_;
  uint64_t limit_ = 0;
  uint64_t entered_ = 0;
};

// Visits every valid leaf of the tables rooted at request.table_base.
// Throws bad_input past the TableVisitLimit (shared or cyclic tables).
void for_each_leaf(const PhysMem& mem, const WalkRequest& request, const TableWalkCallbacks& callbacks);

}  // namespace ptsim::hw::arm64
