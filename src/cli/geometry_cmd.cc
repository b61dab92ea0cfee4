// ptsim geometry: the page-table geometry of a configuration.
#include <iostream>

#include "cli/command.h"
#include "ptsim/kernel/include/pgtable_geometry.h"
#include "ptsim/report/geometry_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  std::string arch = "arm64";
  std::string page_size = "4K";
  unsigned va_bits = 48;
  bool lpae = false;
  bool json = false;
};

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("geometry", "Print the page-table geometry Linux derives for a configuration");
  cmd->footer(
      "Examples:\n"
      "  ptsim geometry --arch arm64 --page-size 16K --va-bits 47\n"
      "  ptsim geometry --arch arm --lpae --json\n"
      "arm64 accepts the pairs Linux 6.1's Kconfig offers: 4K/39, 4K/48, 16K/36, 16K/47, 16K/48,\n"
      "64K/42, 64K/48, 64K/52.");
  cmd->add_option("--arch", opts->arch, "arm64 or arm")->check(CLI::IsMember({"arm64", "arm"}));
  cmd->add_option("--page-size", opts->page_size, "arm64 page size: 4K, 16K or 64K");
  cmd->add_option("--va-bits", opts->va_bits, "arm64 VA_BITS: 36, 39, 42, 47, 48 or 52");
  cmd->add_flag("--lpae", opts->lpae, "arm: the LPAE (3-level) layout");
  cmd->add_flag("--json", opts->json, "JSON output");
  cmd->callback([opts] {
    const kernel::Geometry g = opts->arch == "arm"
                                   ? kernel::arm_geometry(opts->lpae)
                                   : kernel::arm64_geometry(kernel::parse_page_size(opts->page_size), opts->va_bits);
    if (opts->json) {
      std::cout << report::geometry_json(g).dump(2) << "\n";
      return;
    }
    std::cout << report::geometry_text(g);
  });
});

}  // namespace
}  // namespace ptsim::cli
