// Writing a descriptor field with a check that the value fits, shared by the
// ARMv7 descriptor formats.  Private to src/hw/arch/arm.
#pragma once

#include <fmt/format.h>

#include <cstdint>

#include "ptsim/error.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm {

// Stores `value` in field `f` of `word`; a value wider than the field is bad
// input, named as "<what> <name> <value>" with the field and `section`.
inline uint64_t put_checked(uint64_t word, BitField f, uint64_t value, const char* what,
                            const char* name, const char* section) {
  if (!f.fits(value)) {
    throw bad_input(fmt::format("{} {} {:#x} does not fit its {}-bit field [{}:{}] (Arm ARM {})",
                                what, name, value, f.hi - f.lo + 1, f.hi, f.lo, section));
  }
  return f.set(word, value);
}

}  // namespace ptsim::hw::arm
