// The arm (32-bit) part of `ptsim boot`: the options only arm has, and the
// run.  `ptsim boot` (boot_cmd.cc) owns the options arm and arm64 share
// (--machine, --dtb, --ram, --cmdline, --kernel-symbols, --stage and the
// report flags), fills a report::BootArmOptions with them and calls
// run_boot_arm_command for --arch arm.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "cli/boot_arm64_options.h"
#include "ptsim/report/arm_boot_report.h"

namespace ptsim::cli {

struct BootArmExtra {
  std::string profile = "6.1";
  std::string kernel_image;
  std::string vmsplit;
  bool lpae = false;
  bool smp = false;
  bool up = false;
  std::string xip_exiprom;
};

// Adds --profile, --kernel-image, --vmsplit, --lpae, --smp and --up.
void add_boot_arm_options(CLI::App* cmd, BootArmExtra& extra);

// The arm boot's options from the ones arm shares with arm64 (--machine,
// --dtb, --ram, --cmdline, --kernel-symbols) and arm's own.
report::BootArmOptions arm_boot_options(const BootArm64Options& common, const BootArmExtra& extra);

// Parses one quoted set of arm boot options (the shared ones and arm's), e.g.
// "--profile 4.14 --ram 2G --cmdline 'vmalloc=512M'"; `what` names the set in errors.
report::BootArmOptions parse_boot_arm_options(const std::string& text, const std::string& what);

// Runs the arm boot model and prints what the options ask for; with
// `html_file` also writes the HTML memory map there.
void run_boot_arm_command(report::BootArmOptions options, const BootArmExtra& extra,
                          const std::string& html_file = "");

}  // namespace ptsim::cli
