// What ptsim read from a machine's inputs, for `ptsim machine`: the memory
// banks, reserved memory, /chosen, the UART, the parsed kernel command line
// and, when given, the kernel image layout.  Text for people, JSON for tools
// (addresses as "0x..." strings, sizes as numbers).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ptsim/machine/cmdline.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/machine.h"

namespace ptsim::report {

struct MachineInputs {
  machine::Machine machine;
  std::optional<machine::CommandLine> cmdline;
  std::string cmdline_origin;  // "--cmdline", "/chosen bootargs"
  std::optional<machine::Arm64ImageLayout> arm64_image;
  std::optional<machine::ArmImageLayout> arm_image;
};

std::string machine_text(const MachineInputs& in);
nlohmann::json machine_json(const MachineInputs& in);

}  // namespace ptsim::report
