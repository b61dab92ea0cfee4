// Linux arm's domain numbers and DACR access values.
//
// Models: arch/arm/include/asm/domain.h (v6.1), without CONFIG_IO_36 (the
// XScale3 arrangement that swaps the kernel and I/O domains).
#pragma once

namespace ptsim::kernel::arm {

inline constexpr unsigned DOMAIN_KERNEL = 0;
inline constexpr unsigned DOMAIN_USER = 1;
inline constexpr unsigned DOMAIN_IO = 2;
inline constexpr unsigned DOMAIN_VECTORS = 3;

inline constexpr unsigned DOMAIN_NOACCESS = 0;
inline constexpr unsigned DOMAIN_CLIENT = 1;
inline constexpr unsigned DOMAIN_MANAGER = 3;

}  // namespace ptsim::kernel::arm
