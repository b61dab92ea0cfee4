// The ptsim(1) manual page in roff (man(7) macros), written from the same
// descriptions, options and footers `ptsim CMD --help` prints, so that the
// page and the help cannot say different things.  cli/ collects the text
// from the command-line definitions; this renders it.
#pragma once

#include <string>
#include <vector>

namespace ptsim::report {

struct ManOption {
  std::string name;  // as the help shows it, e.g. "--arch TEXT:{arm64,arm}"
  std::string description;
};

struct ManCommand {
  std::string name;         // "boot"; empty for the program itself
  std::string description;  // one line
  std::string usage;        // "ptsim boot [OPTIONS]"
  std::vector<ManOption> options;
  std::string footer;  // hard-wrapped prose and indented examples, kept line for line
};

struct ManPage {
  std::string program;  // "ptsim"
  std::string version;  // "ptsim 0.1.0"
  std::string summary;  // NAME line after the dash
  ManCommand top;       // the program's own description, usage and options
  std::vector<ManCommand> commands;
  std::vector<std::string> exit_status;  // "0 success", one per line
  std::vector<std::string> see_also;     // files under docs/
};

// roff source for man -l / groff -man: NAME, SYNOPSIS, DESCRIPTION, OPTIONS,
// COMMANDS (one subsection each, footers as no-fill blocks), EXIT STATUS,
// SEE ALSO.  No date, so the page depends only on the help text.
std::string man_page_roff(const ManPage& page);

// Text made safe for roff: backslashes escaped, '-' as \- (so options stay
// ASCII hyphens), a leading '.' or '\'' guarded with \&.
std::string roff_escape(const std::string& text);

}  // namespace ptsim::report
