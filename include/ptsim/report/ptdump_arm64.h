// arm64 page tables in the format of Linux's /sys/kernel/debug/kernel_page_tables
// (arch/arm64/mm/ptdump.c and mm/ptdump.c, v6.1), read from raw descriptors
// in physical memory.
//
//   ---[ Linear Mapping start ]---
//   0xffff000000000000-0xffff000000200000           2M PMD       RW NX SHD AF            BLK UXN
//   MEM/NORMAL
//
// The walk visits entries as Linux's generic page walker does for ptdump
// (mm/pagewalk.c walk_pgd_range and below): holes reported at their real
// level, leaves at the level of the entry callback, folded levels named as
// pg_level[] names them; runs merge as note_page() merges them.  Address
// markers are an input: from a memory image only the tables are known, so
// the caller gives the markers it knows (the boot model gives Linux's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/report/addr_marker.h"

namespace ptsim::report {

struct PtdumpArm64Input {
  hw::arm64::DescriptorFormat format;  // granule and output-address format
  unsigned va_bits = 48;               // the range the table covers: 64 - TxSZ
  bool upper = true;                   // TTBR1 (kernel) or TTBR0 range
  hw::PhysAddr pgd;                    // physical address of the top table
  uint64_t start = 0;                  // first VA dumped (PAGE_OFFSET for the kernel)
  std::vector<AddrMarker> markers;     // in address order; a final {-1, NULL} is implied
};

// Linux 6.1's first two markers, which follow from VA_BITS alone:
// PAGE_OFFSET "Linear Mapping start" and PAGE_END "Linear Mapping end".
std::vector<AddrMarker> arm64_linear_map_markers(unsigned va_bits);

// The attribute words ptdump prints for a leaf descriptor, blank ones
// dropped ("RW", "NX", "SHD", "AF", "BLK", "UXN", "MEM/NORMAL", ...).
std::vector<std::string> ptdump_arm64_attr_words(uint64_t desc);
// The descriptor bits those words depend on: equal bits, equal words.
uint64_t ptdump_arm64_prot_bits(uint64_t desc);

// The dump text.  Descriptors outside every memory bank read as zero.
// Shared tables are dumped at each reference; cyclic tables, or sharing that
// would repeat more work than the memory justifies, are a bad_input error
// (hw::arm64::TableVisitLimit).
std::string ptdump_arm64(const hw::PhysMem& mem, const PtdumpArm64Input& in);

}  // namespace ptsim::report
