// The ptsim command is a set of subcommands, one file each.  A file adds its
// subcommand to the application through a static registration, so main()
// needs no list of them.  Subcommands parse options and call the library;
// they hold no logic of their own.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace ptsim::cli {

using CommandSetup = std::function<void(CLI::App& app)>;

// Adds a subcommand set-up; returns true so it can initialise a static.
bool register_command(CommandSetup setup);

// The job `ptsim` runs with no subcommand (`make run`).
bool register_default_job(std::function<void()> job);

}  // namespace ptsim::cli
