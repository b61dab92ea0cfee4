// Reading a whole input file with a size limit, so a wrong path (a disk
// image, /dev/zero) is refused instead of exhausting memory.
#pragma once

#include <cstdint>
#include <string>

namespace ptsim::machine {

// The file's bytes; bad_input naming `what` and the path when it cannot be
// opened or read, or is larger than `max_bytes`.
std::string read_input_file(const std::string& path, const char* what, uint64_t max_bytes);

}  // namespace ptsim::machine
