// Bit-field helpers: every hardware field is declared once as a BitField with
// its position from the Arm ARM, and read or written only through it.
#pragma once

#include <cstdint>

namespace ptsim::hw {

// Mask of bits [hi:lo] inclusive, as the Arm ARM writes ranges.
constexpr uint64_t genmask(unsigned hi, unsigned lo) {
  return ((hi >= 63) ? ~uint64_t{0} : ((uint64_t{1} << (hi + 1)) - 1)) & ~((uint64_t{1} << lo) - 1);
}

constexpr uint64_t bit(unsigned n) { return uint64_t{1} << n; }

// A named field occupying bits [hi:lo] of a 64-bit word.
struct BitField {
  unsigned hi;
  unsigned lo;

  constexpr uint64_t mask() const { return genmask(hi, lo); }
  constexpr uint64_t get(uint64_t word) const { return (word & mask()) >> lo; }
  constexpr uint64_t set(uint64_t word, uint64_t value) const {
    return (word & ~mask()) | ((value << lo) & mask());
  }
  // Whether a value fits in the field without truncation.
  constexpr bool fits(uint64_t value) const { return (value << lo >> lo) == value && ((value << lo) & ~mask()) == 0; }
};

constexpr BitField field(unsigned hi, unsigned lo) { return BitField{hi, lo}; }
constexpr BitField flag(unsigned n) { return BitField{n, n}; }

constexpr uint64_t align_down(uint64_t x, uint64_t a) { return x & ~(a - 1); }
constexpr uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) & ~(a - 1); }
constexpr bool is_aligned(uint64_t x, uint64_t a) { return (x & (a - 1)) == 0; }
constexpr bool is_power_of_two(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

static_assert(genmask(47, 12) == 0x0000fffffffff000);
static_assert(genmask(63, 0) == ~uint64_t{0});
static_assert(field(4, 2).set(0, 7) == 0x1c);

}  // namespace ptsim::hw
