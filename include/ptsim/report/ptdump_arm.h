// The arm kernel page tables as /sys/kernel/debug/kernel_page_tables shows
// them (arch/arm/mm/dump.c), and as merged mapping runs for JSON.
//
// The dump follows dump.c's walk and note_page() exactly: one line per run
// of entries at the same level with the same protection bits (and domain),
// the address markers of the version, the KiB/MiB unit reduction, and its
// quirks (a section whose second half is empty runs on until the next
// noted entry).  The attribute words come from tables of {mask, value,
// set-name, clear-name} as dump.c has them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/report/addr_marker.h"

namespace ptsim::report {

// A run of valid leaf entries merged while level, attributes, domain and
// virtual and physical contiguity all hold.
struct ArmMappingRun {
  uint64_t va_start = 0;
  uint64_t va_end = 0;  // exclusive
  uint64_t pa_start = 0;
  std::string level;               // "PGD" (classic sections), "PMD" (LPAE blocks), "PTE"
  std::vector<std::string> attrs;  // the ptdump attribute words
  std::string domain;              // classic MMU: KERNEL, USER, IO, VECTORS; else empty
  bool operator==(const ArmMappingRun&) const = default;
};

struct ArmPtdump {
  std::vector<std::string> lines;  // the kernel_page_tables text, one line each
  std::vector<ArmMappingRun> runs;
};

// What dump.c needs besides the tables: where init_mm.pgd is, the table
// format, and the address markers.
struct ArmPtdumpInput {
  uint64_t pgd = 0;                 // physical address of swapper_pg_dir
  bool lpae = false;                // pgtable-3level (LPAE) or pgtable-2level
  bool names_and_domains = true;    // false for 4.3 and 3.18, which print neither
  std::vector<AddrMarker> markers;  // in address order; the final {-1, NULL} is implied
};

// dump.c's address_markers[] for a layout: Modules, Kernel Mapping,
// vmalloc() Area, FDT Area (6.1) or vmalloc() End (older), Fixmap Area,
// Vectors, Vectors End.
std::vector<AddrMarker> arm_ptdump_markers(const kernel::arm::ArmLayout& layout,
                                           uint64_t vmalloc_start, kernel::arm::ArmVersion version);

// Models: arch/arm/mm/dump.c ptdump_walk_pgd (v6.1; v4.14 markers end the
// vmalloc area with "vmalloc() End"; 4.3 and 3.18 are given neither level
// names nor domains, which came later)
ArmPtdump ptdump_arm(const hw::PhysMem& mem, const ArmPtdumpInput& in);
ArmPtdump ptdump_arm(const kernel::arm::ArmBoot& boot);

// A dump of tables found in a memory image, with the markers of Linux 6.1's
// VMSPLIT_3G layout (arm_layout of a default ArmConfig); VMALLOC_START,
// which follows from high_memory, is taken as Linux computes it from the
// end of the linear map at PAGE_OFFSET that the tables show:
// ALIGN(high_memory + VMALLOC_OFFSET, VMALLOC_OFFSET).
ArmPtdump ptdump_arm_from_memory(const hw::PhysMem& mem, uint64_t pgd, bool lpae);
// Its input: the pgd, the format and those markers.
ArmPtdumpInput arm_ptdump_input_from_memory(const hw::PhysMem& mem, uint64_t pgd, bool lpae);

}  // namespace ptsim::report
