// ptsim explain: boot with `ptsim boot`'s options and tell the whole boot step
// by step (report/explain_boot.h), or with --va one address's walk through
// the booted arm64 swapper_pg_dir (report/explain_va.h).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "cli/boot_arm64_options.h"
#include "cli/boot_arm_options.h"
#include "cli/command.h"
#include "ptsim/error.h"
#include "ptsim/hw/arch/arm/translate.h"
#include "ptsim/parse.h"
#include "ptsim/report/explain_boot.h"
#include "ptsim/report/explain_va.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  BootArm64Options boot;
  BootArmExtra arm;
  std::string stage;  // default: final on arm64, paging_init on arm
  std::string va;
  bool markdown = false;
  bool json = false;
};

report::ExplainStyle style_of(const Options& o) {
  if (o.markdown) {
    return report::ExplainStyle::markdown;
  }
  return ::isatty(STDOUT_FILENO) != 0 ? report::ExplainStyle::colour : report::ExplainStyle::text;
}

void print(const report::BootNarration& n, const Options& o) {
  if (o.json) {
    std::cout << report::explain_boot_json(n).dump(1) << "\n";
    return;
  }
  std::cout << report::explain_boot_text(n, style_of(o));
}

// The explanation of one VA's walk has text and Markdown forms only.
void check_va_output(const Options& o) {
  if (o.json) {
    throw usage_error(
        "explain --va has text and --markdown output; for JSON use ptsim translate --json");
  }
}

void run_arm(const Options& o) {
  report::BootArmOptions a = arm_boot_options(o.boot, o.arm);
  a.stage = o.stage.empty() ? "paging_init" : o.stage;
  kernel::arm::ArmBootInput in = report::arm_boot_input(a);
  in.record_steps = o.va.empty();
  const kernel::arm::ArmBoot boot = kernel::arm::run_arm_boot(in);
  if (o.va.empty()) {
    print(report::arm_boot_narration(boot), o);
    return;
  }
  check_va_output(o);
  std::cout << report::explain_va(boot, hw::arm::checked_va(parse_u64(o.va, "--va")), style_of(o));
}

void run_arm64(const Options& o) {
  const auto k = make_arm64_kernel(o.boot);
  k->set_tracing(o.va.empty());  // the narration is the recorded steps
  k->boot(o.stage == "paging_init" ? kernel::arm64::BootStage::paging_init
                                   : kernel::arm64::BootStage::final);
  if (o.va.empty()) {
    print(report::arm64_boot_narration(*k), o);
    return;
  }
  check_va_output(o);
  std::cout << report::explain_va(*k, parse_u64(o.va, "--va"), style_of(o));
}

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Tell a boot step by step, or how the MMU walks one address (--va)");
  cmd->footer(
      "Boots as `ptsim boot` does with the same options and tells, in order, each Linux function\n"
      "as it runs, what it computed (the formula, the formula with this boot's numbers, the "
      "result),\n"
      "each table page taken from memblock and for which VA, and each range mapped with its\n"
      "descriptor type (section, supersection, block, page, contiguous) and protection.\n"
      "With --va: walks that address through swapper_pg_dir, the VA in binary cut into the bits\n"
      "each level indexes with (arm: by the ARMv7 walker with the registers Linux programs, and\n"
      "the run of Linux's ptdump that covers it).  Colour when stdout is a terminal; Markdown\n"
      "with --markdown;\n"
      "JSON with --json (schema ptsim.explain.boot/1, docs/json.md).\n"
      "Examples:\n"
      "  ptsim explain\n"
      "  ptsim explain --page-size 64K --va-bits 42 --cmdline 'nokaslr rodata=on' --markdown\n"
      "  ptsim explain --arch arm --profile 4.3 --machine vexpress-a9 --ram 1G\n"
      "  ptsim explain --arch arm --lpae --cmdline 'vmalloc=512M' --json\n"
      "  ptsim explain --va 0xffff000000200000\n"
      "  ptsim explain --va 0xffff800008000000 --page-size 64K --va-bits 42\n"
      "  ptsim explain --arch arm --lpae --va 0xc0008000");
  cmd->add_option("--arch", o->arch, "arm64 (default) or arm (32-bit)")
      ->check(CLI::IsMember({"arm64", "arm"}));
  cmd->add_option("--va", o->va, "tell this virtual address's walk instead of the boot");
  cmd->add_option("--stage", o->stage,
                  "paging_init or final (default: final on arm64, paging_init on arm)")
      ->check(CLI::IsMember({"paging_init", "final"}));
  cmd->add_flag("--markdown", o->markdown, "Markdown instead of text");
  cmd->add_flag("--json", o->json, "the boot's steps as JSON");
  add_boot_arm64_options(cmd, o->boot);
  add_boot_arm_options(cmd, o->arm);
  cmd->callback([o] {
    if (o->markdown && o->json) {
      throw usage_error("--markdown and --json: choose one");
    }
    if (o->arch == "arm") {
      run_arm(*o);
      return;
    }
    run_arm64(*o);
  });
});

}  // namespace
}  // namespace ptsim::cli
