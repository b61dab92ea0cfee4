// ptsim explain --va ADDR: boot arm64 with `ptsim boot`'s options and tell
// one address's walk through swapper_pg_dir (report/explain_va.h).
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>

#include "cli/boot_arm64_options.h"
#include "cli/command.h"
#include "ptsim/parse.h"
#include "ptsim/report/explain_va.h"

namespace ptsim::cli {
namespace {

struct Options {
  BootArm64Options boot;
  std::string va;
  bool markdown = false;
};

const bool registered = register_command([](CLI::App& app) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "Tell how the MMU walks one address of the booted arm64 kernel");
  cmd->footer(
      "Boots as `ptsim boot` does with the same options, then walks --va through swapper_pg_dir,\n"
      "showing the VA in binary cut into the bits each level indexes with.  Colour when stdout is\n"
      "a terminal; Markdown with --markdown.\n"
      "Examples:\n"
      "  ptsim explain --va 0xffff000000200000\n"
      "  ptsim explain --va 0xffff800008000000 --page-size 64K --va-bits 42\n"
      "  ptsim explain --va 0xffff000000200000 --cmdline 'nokaslr rodata=on' --markdown");
  cmd->add_option("--va", o->va, "the virtual address (hex or decimal)")->required();
  cmd->add_flag("--markdown", o->markdown, "Markdown instead of text");
  add_boot_arm64_options(cmd, o->boot);
  cmd->callback([o] {
    const uint64_t va = parse_u64(o->va, "--va");
    const auto k = make_arm64_kernel(o->boot);
    k->set_tracing(false);
    k->boot(kernel::arm64::BootStage::final);
    report::ExplainStyle style = report::ExplainStyle::text;
    if (o->markdown) {
      style = report::ExplainStyle::markdown;
    } else if (::isatty(STDOUT_FILENO) != 0) {
      style = report::ExplainStyle::colour;
    }
    std::cout << report::explain_va(*k, va, style);
  });
});

}  // namespace
}  // namespace ptsim::cli
