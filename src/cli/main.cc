// ptsim: the command-line entry point.  Exit codes: 0 success, 2 usage error,
// 3 bad input, 4 Linux would panic/BUG, 5 internal error.
#include <cstdio>
#include <exception>
#include <vector>

#include <fmt/format.h>

#include "cli/command.h"
#include "ptsim/error.h"

namespace ptsim::cli {
namespace {

std::vector<CommandSetup>& setups() {
  static std::vector<CommandSetup> all;
  return all;
}

std::function<void()>& default_job() {
  static std::function<void()> job;
  return job;
}

}  // namespace

bool register_command(CommandSetup setup) {
  setups().push_back(std::move(setup));
  return true;
}

bool register_default_job(std::function<void()> job) {
  default_job() = std::move(job);
  return true;
}

}  // namespace ptsim::cli

int main(int argc, char** argv) {
  using namespace ptsim;
  CLI::App app{
      "ptsim: how Linux builds and uses page tables on ARM and ARM64.\n"
      "Run with no command for the built-in default job.\n"
      "Exit codes: 0 ok, 2 usage error, 3 bad input, 4 Linux would panic/BUG, 5 internal error."};
  app.footer(
      "Run `ptsim COMMAND --help` for a command's options and examples, `man ptsim` (or\n"
      "man -l docs/ptsim.1) for all of them; docs/tutorial/index.md walks through examples.");
  app.set_version_flag("--version", "ptsim 0.1.0");
  app.require_subcommand(0, 1);
  for (const auto& setup : cli::setups()) {
    setup(app);
  }
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty() && cli::default_job()) {
      cli::default_job()();
    }
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ErrorKind::usage);
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "ptsim: error: {}\n", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "ptsim: internal error: {}\n", e.what());
    return static_cast<int>(ErrorKind::internal);
  }
  return 0;
}
