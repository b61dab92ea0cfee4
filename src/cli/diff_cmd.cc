// ptsim diff: boot the arm64 model twice, with two quoted sets of `ptsim boot`
// options, and show what differs (report/boot_diff.h).
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/boot_arm64_options.h"
#include "cli/command.h"
#include "cli/html_output.h"
#include "ptsim/error.h"
#include "ptsim/report/boot_diff.h"
#include "ptsim/report/html/arm64_map.h"
#include "ptsim/report/html/page.h"

namespace ptsim::cli {
namespace {

struct Options {
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

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("diff", "Boot arm64 with two sets of options (ptsim diff A B) and show what differs");
  cmd->footer(
      "A and B are each one quoted set of `ptsim boot` options for arm64 (--machine, --dtb, "
      "--ram,\n"
      "--page-size, --va-bits, --cmdline, --kernel-symbols, --load-address, --dtb-address, "
      "--kaslr-seed,\n"
      "--kconfig); an empty string is the default boot.  Both boot to the end (--stage final).\n"
      "Shown: layout constants that differ, swapper_pg_dir's table pages per level, table memory,\n"
      "block/page/contiguous counts, and the VA ranges mapped differently.\n"
      "Examples:\n"
      "  ptsim diff \"--page-size 4K\" \"--page-size 64K\"\n"
      "  ptsim diff \"--cmdline 'nokaslr rodata=full'\" \"--cmdline 'nokaslr rodata=on'\"\n"
      "  ptsim diff \"\" \"--ram 4G --va-bits 39\" --json\n"
      "  ptsim diff \"--page-size 4K\" \"--page-size 64K\" --html diff.html  (both maps)");
  // A and B begin with "--", so CLI11 would take them for unknown options:
  // they are collected as extras instead, in order.
  cmd->allow_extras();
  cmd->add_flag("--json", o->json, "the difference as JSON (schema ptsim.diff.arm64/1)");
  add_html_option(cmd, o->html);
  cmd->callback([o, cmd] {
    const std::vector<std::string> sides = cmd->remaining();
    if (sides.size() != 2) {
      throw usage_error(
          fmt::format("diff takes two quoted sets of boot options, A and B; got {}", sides.size()));
    }
    o->a = sides[0];
    o->b = sides[1];
    const auto a = boot_side(o->a, "A");
    const auto b = boot_side(o->b, "B");
    const auto diff = report::arm64_boot_diff_json(*a, o->a, *b, o->b);
    if (!o->html.empty()) {
      write_html_file(o->html, report::html::diff_html(report::html::arm64_map_model(*a),
                                                       report::html::arm64_map_model(*b), diff));
    }
    if (o->json) {
      std::cout << diff.dump(1) << "\n";
      return;
    }
    std::cout << report::arm64_boot_diff_text(diff);
  });
});

}  // namespace
}  // namespace ptsim::cli
