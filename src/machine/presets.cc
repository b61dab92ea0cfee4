// The built-in machines, as data.
#include "ptsim/machine/presets.h"

#include <fmt/format.h>

#include "machine/find_by_name.h"
#include "ptsim/error.h"

namespace ptsim::machine {
namespace {

constexpr uint64_t kMiB = 1ULL << 20;
constexpr uint64_t kGiB = 1ULL << 30;

// The root, memory and UART QEMU 7.2's hw/arm/virt.c writes for -M virt
// (compared with `-M virt,dumpdtb=`).  QEMU also writes random kaslr-seed
// and rng-seed values at each start; they are left out so runs repeat, and
// with them Linux would randomise only if nokaslr is absent.
Machine qemu_virt(std::string source) {
  Machine m;
  m.source = std::move(source);
  m.model = "linux,dummy-virt";
  m.compatible = {"linux,dummy-virt"};
  m.address_cells = 2;
  m.size_cells = 2;
  m.memory = {MemoryBank{0x40000000, 1 * kGiB, "/memory@40000000", false}};
  m.chosen.present = true;
  m.chosen.stdout_path = "/pl011@9000000";
  m.uart = Uart{"/pl011@9000000", {"arm,pl011", "arm,primecell"}, Range{0x9000000, 0x1000}};
  return m;
}

Machine virt_arm64() { return qemu_virt("preset virt"); }
Machine virt_arm() { return qemu_virt("preset virt-arm"); }

// Linux's arch/arm/boot/dts/vexpress-v2p-ca9.dts (v6.1): one bank of 1 GiB
// at 0x60000000 and a no-map framebuffer carve-out (below RAM, so Linux's
// memblock_mark_nomap finds nothing to mark).  Its /chosen is empty and no
// stdout-path names a UART.
Machine vexpress_a9() {
  Machine m;
  m.source = "preset vexpress-a9";
  m.model = "V2P-CA9";
  m.compatible = {"arm,vexpress,v2p-ca9", "arm,vexpress"};
  m.memory = {MemoryBank{0x60000000, 1 * kGiB, "/memory@60000000", false}};
  ReservedRegion vram;
  vram.name = "vram@4c000000";
  vram.compatible = {"shared-dma-pool"};
  vram.reg = {Range{0x4c000000, 8 * kMiB}};
  vram.no_map = true;
  m.reserved = {vram};
  m.chosen.present = true;
  return m;
}

// Linux's arch/arm/boot/dts/bcm2836-rpi-2-b.dts (v6.1) as the firmware hands
// it over: memory@0 is 1 GiB in the dts, and the firmware rewrites it to
// 1 GiB minus the GPU's share (gpu_mem, 64 MiB by default), so 960 MiB.  The
// memreserve keeps the first page (the firmware's spin tables); CMA is a
// dynamic reusable 64 MiB.  The UART is the PL011 at bus address 0x7e201000,
// CPU physical 0x3f201000 through /soc's ranges.
Machine rpi2() {
  Machine m;
  m.source = "preset rpi2";
  m.model = "Raspberry Pi 2 Model B";
  m.compatible = {"raspberrypi,2-model-b", "brcm,bcm2836"};
  m.memory = {MemoryBank{0, 1 * kGiB - 64 * kMiB, "/memory@0", false}};
  m.memreserve = {Range{0, 0x1000}};
  ReservedRegion cma;
  cma.name = "linux,cma";
  cma.compatible = {"shared-dma-pool"};
  cma.size = 64 * kMiB;
  cma.reusable = true;
  cma.linux_cma_default = true;
  m.reserved = {cma};
  m.chosen.present = true;
  m.chosen.stdout_path = "serial0:115200n8";
  m.uart = Uart{"/soc/serial@7e201000", {"arm,pl011", "arm,primecell"}, Range{0x3f201000, 0x200}};
  return m;
}

}  // namespace

const std::vector<MachinePreset>& machine_presets() {
  // QEMU virt's RAM region runs from 1 GiB to 256 GiB (hw/arm/virt.c
  // VIRT_MEM, below the high PCIe window).
  static const std::vector<MachinePreset> presets = {
      {"virt", Arch::arm64, "QEMU -M virt (arm64): 1 GiB at 0x40000000, PL011 at 0x9000000", "debian-6.1-arm64", 0,
       255 * kGiB, virt_arm64},
      {"virt-arm", Arch::arm, "QEMU -M virt (arm): 1 GiB at 0x40000000, PL011 at 0x9000000, 3G/1G split",
       "debian-6.1-armmp", 0xc0000000, 255 * kGiB, virt_arm},
      {"vexpress-a9", Arch::arm, "Arm Versatile Express CoreTile A9x4 (QEMU -M vexpress-a9): 1 GiB at 0x60000000, "
       "3G/1G split", "seed-vexpress", 0xc0000000, 1 * kGiB, vexpress_a9},
      {"rpi2", Arch::arm, "Raspberry Pi 2 Model B: 960 MiB at 0 (1 GiB less the GPU's 64 MiB), 2G/2G split",
       "debian-6.1-armmp", 0x80000000, 1 * kGiB, rpi2},
  };
  return presets;
}

const MachinePreset& machine_preset(std::string_view name) { return find_by_name(machine_presets(), name, "built-in machine"); }

Machine with_ram(const MachinePreset& preset, uint64_t ram) {
  if (ram == 0 || ram % kMiB != 0 || ram > preset.max_ram) {
    throw bad_input(fmt::format("--ram {:#x} does not fit machine '{}': it must be a non-zero multiple of 1 MiB "
                                "up to {} MiB",
                                ram, preset.name, preset.max_ram / kMiB));
  }
  Machine m = preset.machine();
  m.memory.front().size = ram;
  return m;
}

}  // namespace ptsim::machine
