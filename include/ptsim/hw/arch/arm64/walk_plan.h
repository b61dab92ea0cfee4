// What a stage 1 walk needs to know that depends only on its request, not
// on the address walked: the granule's geometry, where the output address
// sits in a descriptor for the OA format, which address bits fault with
// 48-bit output addresses, which levels may hold blocks.  The registers fix
// all of it until they are written again, so it is worked out once per
// request (a Walker keeps it) and a level of the walk then costs a load, a
// few masks and compares.
#pragma once

#include <cstdint>

#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

struct WalkRequest;

namespace detail {

// start_level() with a constant divisor, which compiles to a multiply
// rather than a division of tens of cycles.
template <Granule G>
constexpr int start_level_const(unsigned ia_bits) {
  constexpr unsigned kBits = bits_per_level(G);
  return 4 - static_cast<int>((ia_bits - granule_shift(G) + kBits - 1) / kBits);
}
static_assert(start_level_const<Granule::k4K>(48) == start_level(Granule::k4K, 48));
static_assert(start_level_const<Granule::k16K>(36) == start_level(Granule::k16K, 36));
static_assert(start_level_const<Granule::k64K>(42) == start_level(Granule::k64K, 42));

inline int start_level_of(Granule g, unsigned ia_bits) {
  switch (g) {
    case Granule::k4K:
      return start_level_const<Granule::k4K>(ia_bits);
    case Granule::k16K:
      return start_level_const<Granule::k16K>(ia_bits);
    case Granule::k64K:
      return start_level_const<Granule::k64K>(ia_bits);
  }
  return start_level(g, ia_bits);
}

struct WalkPlan {
  // The address field of a table or page descriptor: [47:granule], or
  // [49:granule] with FEAT_LPA2 (D8.3.1).  A block masks further, to its size.
  uint64_t addr_mask = 0;
  // OA[51:48] (FEAT_LPA, bits [15:12]) or OA[51:50] (FEAT_LPA2, bits [9:8]):
  // (raw & ext_mask) << ext_shift, the bits moved up in one shift so that
  // the output address is two operations after the descriptor's load, not
  // four.  ext_mask is 0 for 48-bit OAs.
  uint64_t ext_mask = 0;
  unsigned ext_shift = 0;
  // Address bits a descriptor may not set with 48-bit output addresses:
  // [51:48] of a table address, [49:48] of a block or page (51 and 50 are
  // DBM and GP there), and [15:12] with the 64K granule.
  uint64_t bad_table = 0;
  uint64_t bad_leaf = 0;
  unsigned granule_shift = 12;
  unsigned bits = 9;  // input-address bits a full table resolves
  unsigned ia_bits = 48;
  unsigned pa_bits = 48;
  int start = 0;
  unsigned blocks = 0;  // bit level+1 set: AArch64.BlockDescSupported at `level`
  bool hardware_af = false;
  bool format_4k48 = false;  // walk_core.h's Format4K48 describes this plan

  WalkPlan() = default;
  explicit WalkPlan(const WalkRequest& req);  // in walk.cc

  unsigned shift_of(int level) const {
    return granule_shift + static_cast<unsigned>(3 - level) * bits;
  }
};

}  // namespace detail
}  // namespace ptsim::hw::arm64
