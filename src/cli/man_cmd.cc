// ptsim help-man: prints the ptsim(1) manual page (docs/ptsim.1) in roff,
// collected from every command's description, options and footer, i.e. from
// what `ptsim CMD --help` shows.  Hidden from the command list; the rendering
// is report/man_page.h.
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "ptsim/report/man_page.h"

namespace ptsim::cli {
namespace {

// The text after "Usage: " of the help's usage line.
std::string usage_of(const CLI::Formatter& f, const CLI::App* app, const std::string& name) {
  std::string usage = f.make_usage(app, name);
  const std::string label = "Usage: ";
  if (usage.rfind(label, 0) == 0) {
    usage.erase(0, label.size());
  }
  while (!usage.empty() && usage.back() == '\n') {
    usage.pop_back();
  }
  return usage;
}

report::ManCommand collect(const CLI::App* app, const std::string& usage_name) {
  const CLI::Formatter f;
  report::ManCommand c;
  c.name = app->get_name();
  c.description = app->get_description();
  c.usage = usage_of(f, app, usage_name);
  c.footer = app->get_footer();
  // Options in the order the help lists them; hidden ones (no group) left
  // out, and a command's -h,--help, which OPTIONS already describes.
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_group().empty() || (app->get_parent() != nullptr && opt == app->get_help_ptr())) {
      continue;
    }
    const bool positional = !opt->nonpositional();
    c.options.push_back(
        {f.make_option_name(opt, positional) + f.make_option_opts(opt), opt->get_description()});
  }
  return c;
}

const bool registered = register_command([](CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("help-man", "Print the ptsim(1) manual page (roff)");
  cmd->group("");  // not listed in `ptsim --help`
  const CLI::App* root = &app;
  cmd->callback([root] {
    report::ManPage page;
    page.program = "ptsim";  // the root app is named after argv[0], a path
    page.version = "ptsim 0.1.0";
    page.summary = "how Linux builds and uses page tables on ARM and ARM64";
    page.top = collect(root, page.program);
    std::vector<const CLI::App*> subs =
        root->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
    std::sort(subs.begin(), subs.end(),
              [](const CLI::App* a, const CLI::App* b) { return a->get_name() < b->get_name(); });
    for (const CLI::App* sub : subs) {
      page.commands.push_back(collect(sub, page.program + " " + sub->get_name()));
    }
    page.exit_status = {"0 success", "2 usage error (an unknown option, a missing argument)",
                        "3 bad input (a malformed file, an impossible configuration)",
                        "4 Linux would panic, BUG or refuse to boot", "5 internal error of ptsim"};
    page.see_also = {"docs/tutorial/index.md: the seed notes' worked examples, step by step",
                     "docs/json.md: the --json schemas", "docs/errors.md: every refusal",
                     "docs/design.md: how the model is built"};
    std::cout << report::man_page_roff(page);
  });
});

}  // namespace
}  // namespace ptsim::cli
