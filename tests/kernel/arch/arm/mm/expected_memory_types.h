// Memory attributes the arm proc-v7 tables promise for Linux's memory types,
// as the hardware model should resolve them for a pte with L_PTE_SHARED set.
#pragma once

#include "ptsim/hw/arch/arm/memory_attributes.h"

namespace ptsim::kernel::arm::testing {

using hw::arm::CacheAttribute;
using hw::arm::MemoryAttributes;
using hw::arm::MemoryType;
using hw::arm::Shareability;

inline constexpr MemoryAttributes kStronglyOrdered{
    MemoryType::strongly_ordered, CacheAttribute::non_cacheable, CacheAttribute::non_cacheable,
    Shareability::outer_shareable};
inline constexpr MemoryAttributes kSharedDevice{MemoryType::device, CacheAttribute::non_cacheable,
                                                CacheAttribute::non_cacheable,
                                                Shareability::outer_shareable};

// Normal memory, the same cacheability inside and out, Inner Shareable.
constexpr MemoryAttributes shared_normal(CacheAttribute cache) {
  return MemoryAttributes{MemoryType::normal, cache, cache, Shareability::inner_shareable};
}

}  // namespace ptsim::kernel::arm::testing
