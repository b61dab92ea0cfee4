#include "ptsim/machine/inputs.h"

#include <fmt/format.h>

#include <fstream>

#include "ptsim/error.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/presets.h"

namespace ptsim::machine {

Machine load_machine(const MachineChoice& choice) {
  if (!choice.dtb.empty() && !choice.preset.empty()) {
    throw usage_error("--machine and --dtb both describe the machine (fix: give one of them)");
  }
  if (!choice.dtb.empty()) {
    if (choice.ram) {
      throw usage_error(
          "--ram resizes a built-in machine; a DTB's memory nodes say how much RAM it has (fix: "
          "drop --ram, "
          "or change the DTB's /memory reg, or boot with mem= to use less)");
    }
    return read_dtb_file(choice.dtb);
  }
  const MachinePreset& preset = machine_preset(choice.preset.empty() ? "virt" : choice.preset);
  return choice.ram ? with_ram(preset, *choice.ram) : preset.machine();
}

const MachinePreset* chosen_preset(const MachineChoice& choice) {
  if (!choice.dtb.empty()) {
    return nullptr;
  }
  return &machine_preset(choice.preset.empty() ? "virt" : choice.preset);
}

Arch image_arch(const SymbolTable& symbols) {
  const auto text = symbols.find("_text");
  return text && (*text >> 63) != 0 ? Arch::arm64 : Arch::arm;
}

std::optional<ImageLayout> load_image_layout(const std::string& symbols_file,
                                             const std::string& preset) {
  if (!symbols_file.empty() && !preset.empty()) {
    throw usage_error("give either --kernel-symbols or --kernel-image, not both");
  }
  if (symbols_file.empty() && preset.empty()) {
    return std::nullopt;
  }
  const SymbolTable symbols = symbols_file.empty() ? kernel_image_preset(preset).symbols()
                                                   : SymbolTable::read_file(symbols_file);
  if (image_arch(symbols) == Arch::arm64) {
    return arm64_image_layout(symbols);
  }
  return arm_image_layout(symbols);
}

void write_dtb_file(const Machine& m, const std::string& path) {
  const std::vector<uint8_t> blob = write_dtb(m);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob.size()));
  if (!out) {
    throw bad_input(fmt::format("cannot write device tree blob '{}'", path));
  }
}

}  // namespace ptsim::machine
