// The sizes a kernel image reserves for the tables head.S builds, as
// arch/arm64/include/asm/kernel-pgtable.h (v6.1) computes them.
#pragma once

#include <cstdint>

#include "ptsim/kernel/include/pgtable_geometry.h"

namespace ptsim::kernel::arm64 {

// MAX_FDT_SIZE (arch/arm64/include/asm/boot.h): the FDT head.S maps.
inline constexpr uint64_t MAX_FDT_SIZE = 2ull << 20;
// SEGMENT_ALIGN (arch/arm64/include/asm/memory.h): the linker script's
// alignment of the image's segments, whatever the page size.
inline constexpr uint64_t SEGMENT_ALIGN = 64ull << 10;

// SWAPPER_BLOCK_SIZE: PMD_SIZE with 4K pages (ARM64_KERNEL_USES_PMD_MAPS),
// PAGE_SIZE otherwise.
uint64_t swapper_block_size(const Geometry& g);

// EARLY_PAGES(vstart, vend, add): the pgd page plus one page for each pgd,
// pud (four swapper levels) and pmd (three) entry [vstart, vend) needs,
// each count raised by `add` (EARLY_KASLR).
uint64_t early_pages(const Geometry& g, uint64_t vstart, uint64_t vend, uint64_t add);

// INIT_DIR_SIZE: init_pg_dir..init_pg_end for an image linked at
// [kimage_vaddr, end), with CONFIG_RANDOMIZE_BASE giving EARLY_KASLR.
uint64_t init_dir_size(const Geometry& g, uint64_t kimage_vaddr, uint64_t end, bool randomize_base);

// INIT_IDMAP_DIR_SIZE: init_idmap_pg_dir..init_idmap_pg_end, with two extra
// pages when VA_BITS < 48 for the ID map's extra level.
uint64_t init_idmap_dir_size(const Geometry& g, uint64_t kimage_vaddr, uint64_t end);

}  // namespace ptsim::kernel::arm64
