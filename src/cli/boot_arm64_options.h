// The boot options of the arm64 model, shared by `ptsim boot` (boot_cmd.cc)
// and `ptsim diff` (diff_cmd.cc), which reads two sets of them from quoted
// strings.  --machine, --dtb, --ram, --cmdline and --kernel-symbols serve the
// arm boot too; the rest are arm64's.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "ptsim/kernel/arch/arm64/boot.h"

namespace ptsim::cli {

struct BootArm64Options {
  std::string machine;
  std::string dtb;
  std::string ram;
  std::string cmdline;
  bool cmdline_given = false;
  std::string symbols;
  std::string page_size = "4K";
  unsigned va_bits = 48;
  std::string load_address;
  std::string dtb_address;
  std::string kaslr_seed;
  std::vector<std::string> kconfig;
  std::string max_table_memory;  // --max-table-memory (default Arm64Kernel::kDefaultMaxTableBytes)
};

// Adds --machine, --dtb, --ram, --page-size, --va-bits, --cmdline,
// --kernel-symbols, --load-address, --dtb-address, --kaslr-seed, --kconfig,
// --max-table-memory.
// `o` must outlive the parse.
void add_boot_arm64_options(CLI::App* cmd, BootArm64Options& o);

// Parses one quoted set of those options, e.g. "--page-size 64K --cmdline
// 'nokaslr rodata=on'"; `what` names the set in errors.
BootArm64Options parse_boot_arm64_options(const std::string& text, const std::string& what);

// The kernel the options describe, not yet booted.
std::unique_ptr<kernel::arm64::Arm64Kernel> make_arm64_kernel(const BootArm64Options& o);

}  // namespace ptsim::cli
