// ptsim diff: boot the arm64 model (or with --arch arm the arm one) twice,
// with two quoted sets of `ptsim boot` options, and show what differs
// (report/boot_diff.h).
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/boot_arm64_options.h"
#include "cli/boot_arm_options.h"
#include "cli/command.h"
#include "ptsim/error.h"
#include "ptsim/report/boot_diff.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  std::string a;
  std::string b;
  bool json = false;
};

std::unique_ptr<kernel::arm64::Arm64Kernel> boot_side(const std::string& text,
                                                      const std::string& what) {
  auto k = make_arm64_kernel(parse_boot_arm64_options(text, what));
  k->set_tracing(false);
  k->boot(kernel::arm64::BootStage::final);
  return k;
}

kernel::arm::ArmBoot boot_arm_side(const std::string& text, const std::string& what) {
  report::BootArmOptions options = parse_boot_arm_options(text, what);
  options.stage = "final";
  return kernel::arm::run_arm_boot(report::arm_boot_input(options));
}

nlohmann::ordered_json diff_of(const Options& o) {
  if (o.arch == "arm") {
    const kernel::arm::ArmBoot a = boot_arm_side(o.a, "A");
    const kernel::arm::ArmBoot b = boot_arm_side(o.b, "B");
    return report::arm_boot_diff_json(a, o.a, b, o.b);
  }
  const auto a = boot_side(o.a, "A");
  const auto b = boot_side(o.b, "B");
  return report::arm64_boot_diff_json(*a, o.a, *b, o.b);
}

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "Boot twice with two sets of options (ptsim diff A B) and show what differs");
  cmd->footer(
      "A and B are each one quoted set of `ptsim boot` options for arm64 (--machine, --dtb, "
      "--ram,\n"
      "--page-size, --va-bits, --cmdline, --kernel-symbols, --load-address, --dtb-address, "
      "--kaslr-seed,\n"
      "--kconfig); an empty string is the default boot.  Both boot to the end (--stage final).\n"
      "With --arch arm, A and B are sets of `ptsim boot --arch arm` options (--profile, --lpae,\n"
      "--vmsplit, --machine, --ram, --cmdline 'vmalloc=... mem=...', ...).\n"
      "Shown: layout constants that differ, swapper_pg_dir's table pages per level, table memory,\n"
      "block/page/contiguous counts, and the VA ranges mapped differently.\n"
      "Examples:\n"
      "  ptsim diff \"--page-size 4K\" \"--page-size 64K\"\n"
      "  ptsim diff \"--cmdline 'nokaslr rodata=full'\" \"--cmdline 'nokaslr rodata=on'\"\n"
      "  ptsim diff \"\" \"--ram 4G --va-bits 39\" --json\n"
      "  ptsim diff --arch arm \"--profile 4.14\" \"--profile 6.1\"\n"
      "  ptsim diff --arch arm \"\" \"--lpae\"\n"
      "  ptsim diff --arch arm \"--cmdline vmalloc=240M\" \"--cmdline 'vmalloc=512M mem=512M'\"");
  // A and B begin with "--", so CLI11 would take them for unknown options:
  // they are collected as extras instead, in order.
  cmd->allow_extras();
  cmd->add_option("--arch", o->arch, "arm64 (default) or arm (32-bit)")
      ->check(CLI::IsMember({"arm64", "arm"}));
  cmd->add_flag("--json", o->json,
                "the difference as JSON (schema ptsim.diff.arm64/1 or ptsim.diff.arm/1)");
  cmd->callback([o, cmd] {
    const std::vector<std::string> sides = cmd->remaining();
    if (sides.size() != 2) {
      throw usage_error(
          fmt::format("diff takes two quoted sets of boot options, A and B; got {}", sides.size()));
    }
    o->a = sides[0];
    o->b = sides[1];
    const auto diff = diff_of(*o);
    if (o->json) {
      std::cout << diff.dump(1) << "\n";
      return;
    }
    std::cout << report::boot_diff_text(diff);
  });
});

}  // namespace
}  // namespace ptsim::cli
