// The Debian 6.1 QEMU captures under tests/golden/arm/<case>/ and how to
// boot the model on the same machine, shared by the golden tests.
#pragma once

#include <cctype>
#include <filesystem>
#include <string>

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/report/arm_boot_report.h"

namespace ptsim::testing {

struct QemuCase {
  const char* dir;
  bool lpae;
  bool smp;  // QEMU's single Cortex-A9 of vexpress-a9 runs the kernel UP
};

inline std::filesystem::path qemu_case_dir(const QemuCase& c) {
  return std::filesystem::path(PTSIM_GOLDEN_DIR) / "arm" / c.dir;
}

// The model booted on the capture's own DTB with Debian's image layout
// (CONFIG_CMA_SIZE_MBYTES 16).
inline kernel::arm::ArmBoot boot_qemu_case(const QemuCase& c, bool final_stage = false) {
  const std::filesystem::path dtb = qemu_case_dir(c) / "machine.dtb";
  const machine::Machine m = machine::read_dtb_file(dtb.string());
  const auto image = machine::arm_image_layout(
      machine::kernel_image_preset(c.lpae ? "debian-6.1-armmp-lpae" : "debian-6.1-armmp")
          .symbols());
  kernel::arm::ArmConfig config;
  config.lpae = c.lpae;
  config.smp = c.smp;
  config.cma_size_mbytes = 16;
  kernel::arm::ArmBootInput in =
      report::arm_boot_input(m, image, config, std::filesystem::file_size(dtb));
  if (final_stage) {
    in.stage = kernel::arm::ArmBootInput::Stage::final;
  }
  return kernel::arm::run_arm_boot(in);
}

// A GoogleTest parameter name from a directory or file name.
inline std::string test_name(std::string name) {
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      ch = '_';
    }
  }
  return name;
}

}  // namespace ptsim::testing
