// Choosing a machine and a kernel image the way the commands offer it
// (--machine NAME | --dtb FILE, --ram SIZE, --kernel-symbols FILE |
// --kernel-image NAME), so every command reads its inputs the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/machine.h"

namespace ptsim::machine {

struct MachineChoice {
  std::string preset;            // --machine; "virt" when neither is given
  std::string dtb;               // --dtb
  std::optional<uint64_t> ram;   // --ram, presets only
};

// The machine chosen; usage error when both a preset and a DTB are given,
// or --ram with a DTB (whose memory nodes say how much RAM there is).
Machine load_machine(const MachineChoice& choice);

// The architecture a symbol table's kernel was built for: arm64 kernels
// link in the upper half (_text has bit 63 set), 32-bit arm below 4 GiB.
Arch image_arch(const SymbolTable& symbols);

using ImageLayout = std::variant<Arm64ImageLayout, ArmImageLayout>;

// --kernel-symbols FILE or --kernel-image NAME (not both; usage error);
// nullopt when neither is given.
std::optional<ImageLayout> load_image_layout(const std::string& symbols_file, const std::string& preset);

// Writes `m` as a DTB file (write_dtb), refusing an unwritable path.
void write_dtb_file(const Machine& m, const std::string& path);

}  // namespace ptsim::machine
