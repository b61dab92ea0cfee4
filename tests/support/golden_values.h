// Reading the golden files of QEMU's AT answers (tests/golden/mmu*/):
// "ID VALUE [comment]" lines, '#' starting a comment line.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <sstream>
#include <string>

namespace ptsim::testing {

// A number as the golden files write it: 0x hex, or decimal.
inline uint64_t golden_number(const std::string& s) {
  return std::stoull(s, nullptr, 0);
}

inline std::map<std::string, uint64_t> read_id_values(std::istream& in) {
  std::map<std::string, uint64_t> values;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, value;
    if (line.empty() || line[0] == '#' || !(f >> id >> value)) {
      continue;
    }
    values[id] = golden_number(value);
  }
  return values;
}

}  // namespace ptsim::testing
