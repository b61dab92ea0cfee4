// Physical memory images: a raw dump placed at a given address, or an ELF
// core file as QEMU's dump-guest-memory writes it, whose PT_LOAD program
// headers give each RAM block's physical address (p_paddr) and its bytes
// in the file (p_offset, p_filesz).
//
// Every size and offset the file claims is checked against the file's own
// size before anything is read or allocated, so a truncated or forged
// header is an error, never a large allocation or a read past the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::hw {

// One loadable segment of an ELF core.
struct CoreSegment {
  PhysAddr paddr;
  uint64_t vaddr = 0;
  uint64_t offset = 0;  // in the file
  uint64_t filesz = 0;
  uint64_t memsz = 0;
};

// Whether the file starts with the ELF magic.
bool is_elf_file(const std::string& path);

// The PT_LOAD segments of an ELF64 little-endian core file, validated.
std::vector<CoreSegment> read_core_segments(const std::string& path);

// Declares a RAM bank per segment and loads its bytes (the part past
// p_filesz reads as zero).
void load_elf_core(PhysMem& mem, const std::string& path);

// A `--mem` argument: "FILE@PA" for a raw image (a RAM bank of the file's
// size at PA), or "FILE" for an ELF core.
void load_memory_spec(PhysMem& mem, const std::string& spec);
// Loads FILE@PA, a raw image, as a RAM bank of the file's size at PA.
void load_raw_image_spec(PhysMem& mem, const std::string& spec);

}  // namespace ptsim::hw
