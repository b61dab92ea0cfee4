// Progress of long runs on standard error: only when it is a terminal, and
// only once a second has passed, so piped output and quick runs stay clean.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <string>

namespace ptsim::cli {

// A callback that prints "\rptsim: WHAT: N UNIT" as it is called, or an
// empty function when standard error is not a terminal.
inline std::function<void(uint64_t)> progress_on_terminal(std::string what, std::string unit) {
  if (::isatty(STDERR_FILENO) == 0) {
    return {};
  }
  const auto start = std::chrono::steady_clock::now();
  return [start, what = std::move(what), unit = std::move(unit)](uint64_t count) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(1)) {
      std::cerr << "\rptsim: " << what << ": " << count << " " << unit << std::flush;
    }
  };
}

}  // namespace ptsim::cli
