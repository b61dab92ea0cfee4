// Builds the arm64 linear map of 256 MiB of RAM with 4K pages and 48-bit VAs,
// as map_mem() would with rodata=on (blocks allowed), then walks one address
// of it and prints the walk, level by level.
//   walk_example [VA]   (default: 1 MiB + 0x234 into the linear map)
#include <cstdint>
#include <exception>
#include <iostream>
#include <string>

#include "ptsim/error.h"
#include "ptsim/kernel/arch/arm64/linear_map.h"
#include "ptsim/parse.h"
#include "ptsim/report/linear_map_report.h"

int main(int argc, char** argv) {
  try {
    ptsim::kernel::arm64::LinearMapSpec spec;
    spec.ram_size = uint64_t{256} << 20;
    spec.rodata_full = false;
    const ptsim::kernel::arm64::LinearMap lm = ptsim::kernel::arm64::build_linear_map(spec);
    const uint64_t va = argc > 1 ? ptsim::parse_u64(argv[1], "VA") : lm.virt_start + 0x100234;
    std::cout << ptsim::report::linear_map_summary(spec, lm) << "\n";
    std::cout << ptsim::report::linear_map_walk(lm, va);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "walk_example: " << e.what() << "\n";
    return 1;
  }
}
