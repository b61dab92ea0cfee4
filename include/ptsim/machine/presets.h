// Built-in machines, usable with no file: each is the Machine its real
// device tree gives Linux (what QEMU generates, or the Linux dts after the
// firmware's fix-ups), plus the kernel configuration the board usually runs.
//
//   const MachinePreset& p = machine_preset("virt");
//   Machine m = p.machine();                          // 1 GiB at 0x40000000
//   Machine big = with_ram(p, 4ULL << 30);            // --ram 4G
//   std::vector<uint8_t> dtb = write_dtb(m);          // the same machine as a blob
//   auto img = kernel_image_preset(p.kernel_image);   // its default kernel layout
//
// Names: "virt" (QEMU virt, arm64), "virt-arm" (QEMU virt, arm),
// "vexpress-a9", "rpi2".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ptsim/machine/machine.h"

namespace ptsim::machine {

struct MachinePreset {
  std::string_view name;
  Arch arch;
  std::string_view description;
  std::string_view kernel_image;  // name of the default kernel_image_preset
  // arm: PAGE_OFFSET of the VMSPLIT the board's kernels use (0xc0000000
  // for 3G/1G, 0x80000000 for 2G/2G).  The image presets are linked for
  // 0xc0000000; a boot model moves them by (arm_page_offset - 0xc0000000).
  // 0 for arm64.
  uint64_t arm_page_offset;
  uint64_t max_ram;  // the most RAM the board's first bank can hold
  Machine (*build)();

  Machine machine() const { return build(); }
};

const std::vector<MachinePreset>& machine_presets();
// bad_input listing the names when `name` is unknown.
const MachinePreset& machine_preset(std::string_view name);

// The preset with its first RAM bank resized to `ram` bytes (QEMU -m);
// bad_input when `ram` is 0, not a multiple of 1 MiB, or above max_ram.
Machine with_ram(const MachinePreset& preset, uint64_t ram);

}  // namespace ptsim::machine
