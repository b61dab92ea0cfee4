#include "cli/boot_arm_options.h"

#include <fmt/format.h>

#include <iostream>

#include "cli/html_output.h"
#include "ptsim/error.h"
#include "ptsim/parse.h"
#include "ptsim/report/html/arm_map.h"
#include "ptsim/report/html/page.h"

namespace ptsim::cli {

void add_boot_arm_options(CLI::App* cmd, BootArmExtra& x) {
  cmd->add_option("--profile", x.profile, "arm: kernel version 6.1, 4.14, 4.3 or 3.18")
      ->capture_default_str();
  cmd->add_option("--kernel-image", x.kernel_image,
                  "arm: built-in image layout (debian-6.1-armmp, debian-6.1-armmp-lpae, "
                  "seed-vexpress)");
  cmd->add_option("--vmsplit", x.vmsplit, "arm: 3G, 2G or 1G (default: the machine's usual)");
  cmd->add_flag("--lpae", x.lpae, "arm: LPAE kernel (3-level long-descriptor tables)");
  cmd->add_flag("--smp", x.smp, "arm: the CPU runs the kernel as SMP (write-alloc, shared)");
  cmd->add_flag("--up", x.up, "arm: the CPU runs the kernel as a uniprocessor (write-back)");
  cmd->add_option("--xip-exiprom", x.xip_exiprom,
                  "arm: an XIP kernel whose ROM image ends at this virtual address (_exiprom)");
}

namespace {

// Fills in arm's own options.
void apply_arm_extra(report::BootArmOptions& a, const BootArmExtra& x) {
  if (x.smp && x.up) {
    throw usage_error(
        "--smp and --up contradict each other (fix: give one, or neither for the machine's usual)");
  }
  a.profile = x.profile;
  a.kernel_image = x.kernel_image;
  a.vmsplit = x.vmsplit;
  a.lpae = x.lpae;
  if (!x.xip_exiprom.empty()) {
    a.xip_exiprom = static_cast<uint32_t>(parse_u64(x.xip_exiprom, "--xip-exiprom"));
  }
  if (x.smp || x.up) {
    a.smp = x.smp;
  }
}

}  // namespace

report::BootArmOptions arm_boot_options(const BootArm64Options& o, const BootArmExtra& x) {
  report::BootArmOptions a;
  a.machine = o.machine;
  a.dtb = o.dtb;
  if (!o.ram.empty()) {
    a.ram = parse_size(o.ram, "--ram");
  }
  if (o.cmdline_given) {
    a.cmdline = o.cmdline;
  }
  a.kernel_symbols = o.symbols;
  apply_arm_extra(a, x);
  return a;
}

report::BootArmOptions parse_boot_arm_options(const std::string& text, const std::string& what) {
  BootArm64Options common;
  BootArmExtra extra;
  CLI::App app(what);
  add_boot_arm64_options(&app, common);
  add_boot_arm_options(&app, extra);
  try {
    app.parse(text, false);  // split as a shell would, quotes included
  } catch (const CLI::ParseError& e) {
    throw usage_error(fmt::format("{} \"{}\": {}", what, text, e.what()));
  }
  return arm_boot_options(common, extra);
}

void run_boot_arm_command(report::BootArmOptions a, const BootArmExtra& x,
                          const std::string& html_file) {
  apply_arm_extra(a, x);
  const kernel::arm::ArmBoot boot = report::boot_arm(a);
  std::cout << report::arm_boot_text(boot, a);
  if (!html_file.empty()) {
    write_html_file(html_file, report::html::map_html(report::html::arm_map_model(boot)));
  }
}

}  // namespace ptsim::cli
