// Every leaf reachable from a translation table root, in address order: the
// whole-table counterpart of walk(), for dumps and comparisons.  Table
// descriptors outside every memory bank are reported, not followed; shared
// tables are walked at each reference, cyclic tables are refused, and
// TableVisitLimit keeps the walk's work linear in the size of the memory.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <unordered_set>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw::arm64 {

struct Leaf {
  uint64_t va = 0;          // first address the leaf maps
  uint64_t size = 0;        // bytes it maps
  int level = 0;            // Arm level of the descriptor
  uint64_t desc = 0;        // the raw block or page descriptor
  PhysAddr oa;              // output address of va
  uint64_t table_bits = 0;  // OR of the hierarchical bits [63:59] of the tables above
};

struct TableVisit {
  int level = 0;
  PhysAddr table;
  uint64_t va = 0;  // first address the table covers
  unsigned valid_entries = 0;
};

struct TableWalkCallbacks {
  std::function<void(const Leaf&)> leaf = {};
  std::function<void(const TableVisit&)> table =
      {};  // optional: each table page, before its leaves
  std::function<void(int level, PhysAddr entry)> unreadable =
      {};  // optional: a table outside memory
};

// Bounds the work of a whole-table walk over tables nobody vouches for.
//
// A table page reached again from another parent is shared, not cyclic, and
// is walked again at each reference: Linux shares tables on purpose (KASAN's
// early shadow tables back whole shadow ranges, see docs/shared-tables.md).
// A table that is its own ancestor on the path being walked (an entry
// pointing back at its own table or at a table above it) is a cycle, and
// the walk stops there with a bad_input error naming both tables.  Sharing
// is bounded by work: walks of tables already walked once may read at most
// as many entries again as the memory holds entries in granule-sized pages
// (and at least kMinRepeatEntries), so a chain of tables whose every entry
// points at the next one cannot make the walk run for 512^4 entries.
// First visits need no bound: distinct table pages fit in the memory.
class TableVisitLimit {
 public:
  // Entries that repeated visits may read however small the memory: enough
  // for a few thousand shared 4K tables.
  static constexpr uint64_t kMinRepeatEntries = uint64_t{1} << 21;

  TableVisitLimit(const PhysMem& mem, Granule granule);

  // The table at `table`, hardware level `level`, is on the walk's path from
  // construction until destruction (leave the table before its siblings).
  class Scope {
   public:
    explicit Scope(TableVisitLimit* limit) : limit_(limit) {}
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() {
      if (limit_ != nullptr) {
        limit_->leave();
      }
    }

   private:
    TableVisitLimit* limit_;
  };

  // Counts entering the table; throws bad_input on a cycle or past the
  // repeat budget.  A table outside every memory bank reads as zeros, has
  // no children and is not counted.
  [[nodiscard]] Scope enter(int level, PhysAddr table);

  uint64_t repeat_entries() const { return repeated_; }
  uint64_t repeat_entry_limit() const { return limit_; }

 private:
  void leave() { --depth_; }

  struct PathEntry {
    int level = 0;
    uint64_t table = 0;
  };

  const PhysMem& mem_;
  Granule granule_;
  uint64_t pages_ = 0;     // granule-sized pages the memory holds
  uint64_t limit_ = 0;     // entries repeated visits may read
  uint64_t repeated_ = 0;  // entries read by repeated visits so far
  std::unordered_set<uint64_t> seen_;
  std::array<PathEntry, 8> path_{};  // levels -1..3, with room to spare
  unsigned depth_ = 0;
};

// Visits every valid leaf of the tables rooted at request.table_base.
// Throws bad_input on cyclic tables or past the TableVisitLimit.
void for_each_leaf(const PhysMem& mem, const WalkRequest& request,
                   const TableWalkCallbacks& callbacks);

}  // namespace ptsim::hw::arm64
