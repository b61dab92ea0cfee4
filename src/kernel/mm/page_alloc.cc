#include "ptsim/kernel/mm/page_alloc.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/kernel/events.h"

namespace ptsim::kernel {

TopDownPageAllocator::TopDownPageAllocator(hw::PhysMem& mem, phys_addr_t base, phys_addr_t end,
                                           uint64_t page_size)
    : mem_(mem), base_(base), next_end_(end & ~(page_size - 1)), page_size_(page_size) {
  if (end <= base) {
    throw bad_input(fmt::format("page allocator range [{:#x}-{:#x}) is empty", base, end));
  }
}

phys_addr_t TopDownPageAllocator::alloc_page() {
  if (next_end_ < base_ + page_size_) {
    throw KernelPanic("Failed to allocate page table page");
  }
  next_end_ -= page_size_;
  mem_.zero(hw::PhysAddr(next_end_), page_size_);
  return next_end_;
}

phys_addr_t TopDownPageAllocator::alloc_table(int shift) {
  const phys_addr_t pa = alloc_page();
  allocations_.push_back({pa, shift});
  return pa;
}

}  // namespace ptsim::kernel
