// `ptsim boot --arch arm`: from a machine (built-in preset or DTB), a kernel
// image layout and a command line to the arm boot model, and its reports:
// the summary, the "Virtual kernel memory layout" print, memblock in debugfs
// format, the arm ptdump, the trace of allocations and create_mapping
// calls, and JSON holding all of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/machine.h"

namespace ptsim::report {

struct BootArmOptions {
  std::string machine;                // --machine (presets; "virt" means "virt-arm")
  std::string dtb;                    // --dtb FILE
  std::optional<uint64_t> ram;        // --ram
  std::optional<std::string> cmdline; // --cmdline (else /chosen bootargs)
  std::string profile = "6.1";        // --profile
  std::string kernel_symbols;         // --kernel-symbols System.map|kallsyms
  std::string kernel_image;           // --kernel-image NAME (a built-in layout)
  std::string vmsplit;                // --vmsplit 3G|2G|1G (else the machine's usual)
  bool lpae = false;                  // --lpae
  std::optional<bool> smp;            // --smp / --up (else the machine's: QEMU vexpress-a9 is UP)
  std::optional<uint32_t> xip_exiprom;  // --xip-exiprom: CONFIG_XIP_KERNEL's _exiprom
  std::string stage = "paging_init";  // --stage paging_init|final
  bool layout = false;
  bool memblock = false;
  bool ptdump = false;
  bool trace = false;
  bool json = false;
};

// The boot model's input for a machine and an image layout linked at
// 0xc0000000 (moved to the split's PAGE_OFFSET).
kernel::arm::ArmBootInput arm_boot_input(const machine::Machine& m,
                                         const machine::ArmImageLayout& image,
                                         const kernel::arm::ArmConfig& config,
                                         uint64_t dtb_size);

// The boot model's input the options describe (machine, image layout,
// configuration, command line, stage); the report flags are not read.
kernel::arm::ArmBootInput arm_boot_input(const BootArmOptions& options);

// Runs the model as the options say.
kernel::arm::ArmBoot boot_arm(const BootArmOptions& options);
// What `ptsim boot --arch arm` prints for a finished boot.
std::string arm_boot_text(const kernel::arm::ArmBoot& boot, const BootArmOptions& options);
// Both: runs the model and returns what `ptsim boot --arch arm` prints.
std::string run_boot_arm(const BootArmOptions& options);

// The reports, each on a finished boot.
std::string arm_boot_summary(const kernel::arm::ArmBoot& boot);
std::string arm_layout_text(const kernel::arm::ArmBoot& boot);
std::string arm_memblock_text(const kernel::arm::ArmBoot& boot);
std::string arm_trace_text(const kernel::arm::ArmBoot& boot);
nlohmann::json arm_boot_json(const kernel::arm::ArmBoot& boot);

}  // namespace ptsim::report
