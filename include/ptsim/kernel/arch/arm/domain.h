// Linux arm's domain numbers and DACR access values.
//
// Models: arch/arm/include/asm/domain.h (v6.1), without CONFIG_IO_36 (the
// XScale3 arrangement that swaps the kernel and I/O domains) and without
// CONFIG_CPU_USE_DOMAINS (ARMv7 kernels check permissions, never domains,
// so "manager" is written as client), with CONFIG_CPU_SW_DOMAIN_PAN as
// Debian's armmp sets it.
#pragma once

namespace ptsim::kernel::arm {

inline constexpr unsigned DOMAIN_KERNEL = 0;
inline constexpr unsigned DOMAIN_USER = 1;
inline constexpr unsigned DOMAIN_IO = 2;
inline constexpr unsigned DOMAIN_VECTORS = 3;

inline constexpr unsigned DOMAIN_NOACCESS = 0;
inline constexpr unsigned DOMAIN_CLIENT = 1;
inline constexpr unsigned DOMAIN_MANAGER = 1;  // 3 only with CONFIG_CPU_USE_DOMAINS

constexpr unsigned domain_val(unsigned dom, unsigned type) {
  return type << (2 * dom);
}

// The DACR a kernel thread runs with: user memory out of reach of the
// kernel except inside uaccess routines (software PAN).  A Debian 6.1
// armmp guest shows 0x51 (tests/golden/arm/live_ptdump/regs.txt).
inline constexpr unsigned DACR_INIT =
    domain_val(DOMAIN_USER, DOMAIN_NOACCESS) | domain_val(DOMAIN_KERNEL, DOMAIN_MANAGER) |
    domain_val(DOMAIN_IO, DOMAIN_CLIENT) | domain_val(DOMAIN_VECTORS, DOMAIN_CLIENT);
static_assert(DACR_INIT == 0x51);

}  // namespace ptsim::kernel::arm
