// Device-tree blobs: read one into a Machine, write a Machine as one, and
// the header checks arm64's fixmap_remap_fdt makes before Linux trusts it.
//
// Reading never trusts the blob: the header and the whole structure block
// are checked with libfdt (fdt_check_header, fdt_check_full) before any
// node is visited, and every property's length is checked before a cell is
// read.  A malformed or truncated blob is an Error of kind bad_input whose
// message names the source, libfdt's reason (fdt_strerror) and the byte
// offset in the blob where the problem is.
//
//   Machine m = machine::read_dtb_file("virt.dtb");
//   std::vector<uint8_t> blob = machine::write_dtb(machine::machine_preset("virt").machine);
//   FdtCheck c = machine::fixmap_fdt_check(blob, 0x48000000);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptsim/machine/machine.h"

namespace ptsim::machine {

// Reads a blob held in memory; `source` names it in messages.
Machine read_dtb(std::span<const uint8_t> blob, std::string_view source);

// Reads a blob from a file (at most 64 MiB, far more than any real DTB).
Machine read_dtb_file(const std::string& path);

// Builds a blob describing `m` with libfdt's sequential-write API: root
// model/compatible/#address-cells/#size-cells, one memory@<base> node per
// bank, the memreserve block, /reserved-memory, /chosen, and the UART at
// its path under buses with identity `ranges` (plus /aliases when
// stdout-path is an alias).  read_dtb(write_dtb(m)) gives back `m`, source
// and notes aside.
std::vector<uint8_t> write_dtb(const Machine& m);

// The checks fixmap_remap_fdt makes on the blob the bootloader passed in x0
// (arch/arm64/mm/mmu.c, asm/boot.h, v6.1).  When one fails Linux maps
// nothing, setup_machine_fdt prints fdt_check_failure_message() and spins.
constexpr uint64_t MIN_FDT_ALIGN = 8;
constexpr uint64_t MAX_FDT_SIZE = 2ULL << 20;  // SZ_2M

struct FdtCheck {
  bool ok = false;
  uint32_t totalsize = 0;  // fdt_totalsize(), when the magic was good
  std::string reason;      // the rule that failed, empty when ok
};

// Models: arch/arm64/mm/mmu.c fixmap_remap_fdt (v6.1), the checks only:
// dt_phys non-zero and MIN_FDT_ALIGN aligned, FDT_MAGIC, totalsize <=
// MAX_FDT_SIZE.  `blob` is the memory at dt_phys (at least its header).
FdtCheck fixmap_fdt_check(std::span<const uint8_t> blob, uint64_t dt_phys);

// Linux's pr_crit text from setup_machine_fdt for a blob that failed, with
// the physical and virtual addresses formatted as %pa and 0x%px print them.
std::string fdt_check_failure_message(uint64_t dt_phys, uint64_t dt_virt);

}  // namespace ptsim::machine
