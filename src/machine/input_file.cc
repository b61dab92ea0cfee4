#include "machine/input_file.h"

#include <fmt/format.h>

#include <fstream>

#include "ptsim/error.h"
#include "ptsim/error_context.h"

namespace ptsim::machine {

std::string read_input_file(const std::string& path, const char* what, uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw cannot_open(what, path);
  }
  // Read in chunks rather than trusting a size: pipes and /proc files have none.
  std::string data;
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    data.append(chunk, static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) {
      throw bad_input(fmt::format("{} '{}' is larger than {} MiB, more than any real one", what,
                                  path, max_bytes >> 20));
    }
  }
  if (in.bad()) {
    throw bad_input(fmt::format("cannot read {} '{}'", what, path));
  }
  return data;
}

}  // namespace ptsim::machine
