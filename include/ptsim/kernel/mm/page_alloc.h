// A physical page allocator for table pages, for library users and
// demonstrations that run without the memblock model: it hands out pages
// top-down from the end of a RAM range, as memblock's default top-down
// policy does, and zeroes each in simulated memory.  The boot flows use
// memblock itself.
#pragma once

#include <cstdint>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel {

class TopDownPageAllocator {
 public:
  TopDownPageAllocator(hw::PhysMem& mem, phys_addr_t base, phys_addr_t end, uint64_t page_size);

  // A zeroed page; throws KernelPanic as early_pgtable_alloc() would panic
  // when memory runs out.
  phys_addr_t alloc_page();

  struct Allocation {
    phys_addr_t pa;
    int shift;  // the level the table serves, as pgtable_alloc(shift) gives it
  };
  // Records which level a page was taken for (the pgtable_alloc shift).
  phys_addr_t alloc_table(int shift);
  const std::vector<Allocation>& allocations() const { return allocations_; }

 private:
  hw::PhysMem& mem_;
  phys_addr_t base_;
  phys_addr_t next_end_;
  uint64_t page_size_;
  std::vector<Allocation> allocations_;
};

}  // namespace ptsim::kernel
