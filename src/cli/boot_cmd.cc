// ptsim boot: run a Linux boot model and print its reports.  --arch arm runs
// the arm (32-bit) model (cli/boot_arm_options.h, report/arm_boot_report.h).
#include <memory>

#include <fmt/format.h>

#include "cli/boot_arm_options.h"
#include "cli/command.h"
#include "ptsim/error.h"
#include "ptsim/parse.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm";
  std::string machine;
  std::string dtb;
  std::string ram;
  std::string cmdline;
  bool cmdline_given = false;
  std::string symbols;
  std::string stage = "paging_init";
  bool layout = false;
  bool memblock = false;
  bool ptdump = false;
  bool trace = false;
  bool json = false;
  BootArmExtra arm;
};

void run_arm(const Options& o) {
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
  a.stage = o.stage;
  a.layout = o.layout;
  a.memblock = o.memblock;
  a.ptdump = o.ptdump;
  a.trace = o.trace;
  a.json = o.json;
  run_boot_arm_command(a, o.arm);
}

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "boot", "Run Linux's boot path from a machine and a command line to its page tables");
  cmd->footer(
      "Examples:\n"
      "  ptsim boot --arch arm --profile 4.3 --layout\n"
      "  ptsim boot --arch arm --machine virt --ram 2G --ptdump --memblock\n"
      "  ptsim boot --arch arm --dtb board.dtb --kernel-symbols System.map --trace\n"
      "  ptsim boot --arch arm --machine rpi2 --lpae --stage final --json");
  cmd->add_option("--arch", o->arch, "arm (32-bit) or arm64")->capture_default_str();
  cmd->add_option("--machine", o->machine, "built-in machine: vexpress-a9 (default), virt, rpi2");
  cmd->add_option("--dtb", o->dtb, "a device-tree blob instead of a built-in machine");
  cmd->add_option("--ram", o->ram, "RAM of a built-in machine, e.g. 2G");
  cmd->add_option("--cmdline", o->cmdline, "kernel command line (default: /chosen bootargs)")
      ->each([o](const std::string&) { o->cmdline_given = true; });
  cmd->add_option("--kernel-symbols", o->symbols, "System.map or kallsyms file");
  cmd->add_option("--stage", o->stage, "paging_init or final")
      ->check(CLI::IsMember({"paging_init", "final"}))
      ->capture_default_str();
  cmd->add_flag("--layout", o->layout, "print mem_init's Virtual kernel memory layout");
  cmd->add_flag("--memblock", o->memblock, "print memblock in debugfs format");
  cmd->add_flag("--ptdump", o->ptdump, "print kernel_page_tables (arch/arm/mm/dump.c)");
  cmd->add_flag("--trace", o->trace, "every memblock allocation and create_mapping call");
  cmd->add_flag("--json", o->json, "everything as JSON");
  add_boot_arm_options(cmd, o->arm);
  cmd->callback([o] {
    if (o->arch == "arm64") {
      // ARM64 BOOT MODEL: the arm64 boot path replaces this branch.
      throw usage_error("arm64 boot model not built in");
    }
    if (o->arch != "arm") {
      throw usage_error(fmt::format("--arch '{}': ptsim boot knows arm and arm64", o->arch));
    }
    run_arm(*o);
  });
});

}  // namespace
}  // namespace ptsim::cli
