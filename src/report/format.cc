#include "ptsim/report/format.h"

#include <fmt/format.h>

namespace ptsim::report {

std::string human_size(uint64_t bytes) {
  static constexpr const char* units = "KMGTPE";
  if (bytes == 0 || (bytes & 1023) != 0) {
    return fmt::format("{}", bytes);
  }
  int unit = -1;
  while ((bytes & 1023) == 0 && bytes >= 1024 && unit < 5) {
    bytes >>= 10;
    ++unit;
  }
  return fmt::format("{}{}", bytes, units[unit]);
}

}  // namespace ptsim::report
