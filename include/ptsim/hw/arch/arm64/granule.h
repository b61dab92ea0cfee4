// VMSAv8-64 translation granules and the level arithmetic that follows from
// them (Arm ARM DDI 0487, D8.2 "Translation table walk": each level resolves
// granule_shift - 3 bits of the input address; the last level is 3).
#pragma once

#include <cstdint>
#include <string_view>

namespace ptsim::hw::arm64 {

// The encoding is log2 of the granule size.
enum class Granule : unsigned { k4K = 12, k16K = 14, k64K = 16 };

constexpr unsigned granule_shift(Granule g) { return static_cast<unsigned>(g); }
constexpr uint64_t granule_size(Granule g) { return uint64_t{1} << granule_shift(g); }
// Bits of input address one table resolves (9, 11 or 13).
constexpr unsigned bits_per_level(Granule g) { return granule_shift(g) - 3; }
constexpr uint64_t entries_per_table(Granule g) { return uint64_t{1} << bits_per_level(g); }

// The lowest input-address bit a level indexes: the size one entry maps.
constexpr unsigned level_shift(Granule g, int level) {
  return granule_shift(g) + static_cast<unsigned>(3 - level) * bits_per_level(g);
}

// The level a walk of an `ia_bits`-wide input address starts at (0..3, or
// -1 for 52-bit inputs with 4K granules and FEAT_LPA2).
constexpr int start_level(Granule g, unsigned ia_bits) {
  const unsigned levels = (ia_bits - granule_shift(g) + bits_per_level(g) - 1) / bits_per_level(g);
  return 4 - static_cast<int>(levels);
}

// How many adjacent entries one Contiguous-bit run spans at a level
// (D8.6.1 "The Contiguous bit"): 4K: 16 at every level; 16K: 128 at level 3
// and 32 at level 2; 64K: 32 at levels 2 and 3.  1 where the bit has no use.
constexpr unsigned contiguous_entries(Granule g, int level) {
  switch (g) {
    case Granule::k4K:
      return (level >= 1 && level <= 3) ? 16 : 1;
    case Granule::k16K:
      return level == 3 ? 128 : level == 2 ? 32 : 1;
    case Granule::k64K:
      return (level == 2 || level == 3) ? 32 : 1;
  }
  return 1;
}

std::string_view granule_name(Granule g);  // "4K", "16K", "64K"
Granule granule_from_shift(unsigned shift);  // throws on anything but 12/14/16

static_assert(level_shift(Granule::k4K, 0) == 39);
static_assert(level_shift(Granule::k16K, 2) == 25);
static_assert(level_shift(Granule::k64K, 1) == 42);
static_assert(start_level(Granule::k4K, 48) == 0);
static_assert(start_level(Granule::k16K, 48) == 0);
static_assert(start_level(Granule::k64K, 48) == 1);
static_assert(start_level(Granule::k64K, 42) == 2);
static_assert(start_level(Granule::k16K, 36) == 2);

}  // namespace ptsim::hw::arm64
