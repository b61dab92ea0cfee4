#include "ptsim/hw/arch/arm64/table_reader.h"

namespace ptsim::hw::arm64 {

bool TableReader::load_slow(PhysAddr pa, uint64_t& out) {
  const std::byte* host = mem_.backed_frame(pa);
  if (host != nullptr && (pa.value() & 7) == 0) {
    Slot& s = slots_[(pa.value() >> PhysMem::kFrameShift) & (kSlots - 1)];
    s.frame = pa.value() >> PhysMem::kFrameShift;
    s.host = host;
  }
  const std::optional<uint64_t> v = mem_.try_load64(pa);
  if (!v) {
    return false;
  }
  out = *v;
  return true;
}

}  // namespace ptsim::hw::arm64
