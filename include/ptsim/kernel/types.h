// Linux's integer vocabulary for the kernel model.  Linux-modelled code in
// kernel/ uses these, as the kernel does, and converts to hw::PhysAddr only
// where it touches simulated memory.
#pragma once

#include <cstdint>

namespace ptsim::kernel {

using phys_addr_t = uint64_t;  // 64-bit on arm64 and arm LPAE; values fit 32 bits on classic arm
using pteval_t = uint64_t;

// pgprot_t: the protection bits of an entry (arch/arm64/include/asm/pgtable-types.h).
struct pgprot_t {
  pteval_t val = 0;
  bool operator==(const pgprot_t&) const = default;
};
constexpr pteval_t pgprot_val(pgprot_t p) { return p.val; }
constexpr pgprot_t __pgprot(pteval_t v) { return pgprot_t{v}; }

}  // namespace ptsim::kernel
