// ptsim boot: run a kernel's boot path to its page tables.  --arch arm runs
// the arm (32-bit) model (report/arm_boot_report.h).
#include <iostream>

#include "cli/command.h"
#include "ptsim/error.h"
#include "ptsim/parse.h"
#include "ptsim/report/arm_boot_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm";
  std::string ram;
  std::string cmdline;
  bool smp = false;
  bool up = false;
  report::BootArmOptions arm;
};

void run(CLI::App* sub, const Options& o) {
  if (o.arch == "arm64") {
    // ARM64 BOOT MODEL: the arm64 boot path replaces this branch.
    throw usage_error("arm64 boot model not built in");
  }
  if (o.arch != "arm") {
    throw usage_error(fmt::format("--arch '{}': ptsim boot knows arm and arm64", o.arch));
  }
  report::BootArmOptions a = o.arm;
  if (!o.ram.empty()) {
    a.ram = parse_size(o.ram, "--ram");
  }
  if (o.smp && o.up) {
    throw usage_error("--smp and --up contradict each other");
  }
  if (o.smp || o.up) {
    a.smp = o.smp;
  }
  if (sub->count("--cmdline") != 0) {
    a.cmdline = o.cmdline;
  }
  std::cout << report::run_boot_arm(a);
}

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(
      "boot", "Run Linux's boot path from a machine and a command line to its page tables");
  sub->add_option("--arch", opts->arch, "arm (32-bit) or arm64")->capture_default_str();
  sub->add_option("--machine", opts->arm.machine,
                  "built-in machine: vexpress-a9 (default), virt, rpi2");
  sub->add_option("--dtb", opts->arm.dtb, "a device-tree blob instead of a built-in machine");
  sub->add_option("--ram", opts->ram, "RAM of a built-in machine, e.g. 2G");
  sub->add_option("--cmdline", opts->cmdline, "kernel command line (default: /chosen bootargs)");
  sub->add_option("--profile", opts->arm.profile, "kernel version: 6.1, 4.14, 4.3 or 3.18")
      ->capture_default_str();
  sub->add_option("--kernel-symbols", opts->arm.kernel_symbols, "System.map or kallsyms file");
  sub->add_option("--kernel-image", opts->arm.kernel_image,
                  "built-in image layout (debian-6.1-armmp, debian-6.1-armmp-lpae, seed-vexpress)");
  sub->add_option("--vmsplit", opts->arm.vmsplit, "3G, 2G or 1G (default: the machine's usual)");
  sub->add_flag("--lpae", opts->arm.lpae, "LPAE kernel (3-level long-descriptor tables)");
  sub->add_flag("--smp", opts->smp, "the CPU runs the kernel as SMP (write-alloc, shared)");
  sub->add_flag("--up", opts->up, "the CPU runs the kernel as a uniprocessor (write-back)");
  sub->add_option("--stage", opts->arm.stage, "paging_init or final")->capture_default_str();
  sub->add_flag("--layout", opts->arm.layout, "print mem_init's Virtual kernel memory layout");
  sub->add_flag("--memblock", opts->arm.memblock, "print memblock in debugfs format");
  sub->add_flag("--ptdump", opts->arm.ptdump, "print kernel_page_tables (arch/arm/mm/dump.c)");
  sub->add_flag("--trace", opts->arm.trace, "every memblock allocation and create_mapping call");
  sub->add_flag("--json", opts->arm.json, "everything as JSON");
  sub->callback([sub, opts] { run(sub, *opts); });
});

}  // namespace
}  // namespace ptsim::cli
