#include "ptsim/hw/arch/arm64/granule.h"

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim::hw::arm64 {

std::string_view granule_name(Granule g) {
  switch (g) {
    case Granule::k4K:
      return "4K";
    case Granule::k16K:
      return "16K";
    case Granule::k64K:
      return "64K";
  }
  return "?";
}

Granule granule_from_shift(unsigned shift) {
  switch (shift) {
    case 12:
      return Granule::k4K;
    case 14:
      return Granule::k16K;
    case 16:
      return Granule::k64K;
    default:
      throw bad_input(fmt::format("granule shift {} is not 12 (4K), 14 (16K) or 16 (64K)", shift));
  }
}

}  // namespace ptsim::hw::arm64
