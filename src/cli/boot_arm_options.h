// The arm (32-bit) part of `ptsim boot`: the options only arm has, and the
// run.  `ptsim boot` (boot_cmd.cc) owns the options arm and arm64 share
// (--machine, --dtb, --ram, --cmdline, --kernel-symbols, --stage and the
// report flags), fills a report::BootArmOptions with them and calls
// run_boot_arm_command for --arch arm.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

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

// Runs the arm boot model and prints what the options ask for; with
// `html_file` also writes the HTML memory map there.
void run_boot_arm_command(report::BootArmOptions options, const BootArmExtra& extra,
                          const std::string& html_file = "");

}  // namespace ptsim::cli
