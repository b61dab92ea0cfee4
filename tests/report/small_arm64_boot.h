// A booted arm64 model of a small QEMU virt machine (256 MiB), for report
// tests: the given command line and page size, to the end of boot.
#pragma once

#include <memory>
#include <string>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"

namespace ptsim::report {

inline std::unique_ptr<kernel::arm64::Arm64Kernel> small_arm64_boot(const std::string& cmdline,
                                                                    unsigned page_shift = 12) {
  machine::Arm64BootRequest req;
  req.machine.ram = uint64_t{256} << 20;
  req.cmdline = cmdline;
  req.page_shift = page_shift;
  kernel::arm64::KernelConfig config;
  config.page_shift = page_shift;
  auto k = std::make_unique<kernel::arm64::Arm64Kernel>(config, kernel::arm64::CpuFeatures{},
                                                        machine::prepare_arm64_boot(req));
  k->set_tracing(false);
  k->boot(kernel::arm64::BootStage::final);
  return k;
}

}  // namespace ptsim::report
