#include "cli/html_output.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "ptsim/error.h"

namespace ptsim::cli {

void add_html_option(CLI::App* cmd, std::string& path) {
  cmd->add_option("--html", path,
                  "also write an interactive HTML memory map to FILE (one self-contained page)")
      ->type_name("FILE");
}

void write_html_file(const std::string& path, const std::string& page) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << page;
    out.flush();
    if (!out) {
      const int err = errno;
      std::remove(tmp.c_str());
      throw bad_input(
          fmt::format("--html '{}': cannot write the file ({})", path, std::strerror(err)));
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    throw bad_input(
        fmt::format("--html '{}': cannot write the file ({})", path, std::strerror(err)));
  }
  std::cerr << fmt::format("ptsim: wrote {} ({} bytes)\n", path, page.size());
}

}  // namespace ptsim::cli
