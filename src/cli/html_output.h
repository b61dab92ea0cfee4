// Writing the page of --html FILE (report/html/page.h), shared by boot,
// ptdump and diff.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace ptsim::cli {

// Adds --html FILE to `cmd`, storing the path in `path`.
void add_html_option(CLI::App* cmd, std::string& path);

// Writes `page` to `path` whole or not at all (a temporary file renamed
// into place), and says so on stderr.  A file that cannot be written is
// a bad_input error naming it.
void write_html_file(const std::string& path, const std::string& page);

}  // namespace ptsim::cli
