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
#include "cli/html_output.h"
#include "ptsim/error.h"
#include "ptsim/report/boot_diff.h"
#include "ptsim/report/html/arm64_map.h"
#include "ptsim/report/html/arm_map.h"
#include "ptsim/report/html/page.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  std::string a;
  std::string b;
  bool json = false;
  std::string html;  // --html FILE
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

// Writes the --html page (both maps, differing ranges marked) if asked.
void write_diff_html(const std::string& file, const report::html::MapModel& a,
                     const report::html::MapModel& b, const nlohmann::ordered_json& diff) {
  if (!file.empty()) {
    write_html_file(file, report::html::diff_html(a, b, diff));
  }
}

nlohmann::ordered_json diff_of(const Options& o) {
  if (o.arch == "arm") {
    const kernel::arm::ArmBoot a = boot_arm_side(o.a, "A");
    const kernel::arm::ArmBoot b = boot_arm_side(o.b, "B");
    auto diff = report::arm_boot_diff_json(a, o.a, b, o.b);
    write_diff_html(o.html, report::html::arm_map_model(a), report::html::arm_map_model(b), diff);
    return diff;
  }
  const auto a = boot_side(o.a, "A");
  const auto b = boot_side(o.b, "B");
  auto diff = report::arm64_boot_diff_json(*a, o.a, *b, o.b);
  write_diff_html(o.html, report::html::arm64_map_model(*a), report::html::arm64_map_model(*b),
                  diff);
  return diff;
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
      "  ptsim diff --arch arm \"--cmdline vmalloc=240M\" \"--cmdline 'vmalloc=512M mem=512M'\"\n"
      "  ptsim diff \"--page-size 4K\" \"--page-size 64K\" --html diff.html");
  // A and B begin with "--", so CLI11 would take them for unknown options:
  // they are collected as extras instead, in order.
  cmd->allow_extras();
  cmd->add_option("--arch", o->arch, "arm64 (default) or arm (32-bit)")
      ->check(CLI::IsMember({"arm64", "arm"}));
  cmd->add_flag("--json", o->json,
                "the difference as JSON (schema ptsim.diff.arm64/1 or ptsim.diff.arm/1)");
  add_html_option(cmd, o->html);
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
