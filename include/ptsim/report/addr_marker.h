// An address marker of Linux's ptdump: the dump prints "---[ name ]---"
// when the walk reaches start_address (struct addr_marker in
// arch/arm64/include/asm/ptdump.h and arch/arm/include/asm/ptdump.h, v6.1).
#pragma once

#include <cstdint>
#include <string>

namespace ptsim::report {

struct AddrMarker {
  uint64_t start_address = 0;
  std::string name;
};

}  // namespace ptsim::report
