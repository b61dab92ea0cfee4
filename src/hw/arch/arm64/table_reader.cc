#include "ptsim/hw/arch/arm64/table_reader.h"

namespace ptsim::hw::arm64 {

TableReader::Read TableReader::load_slow(PhysAddr pa) {
  const std::byte* host = mem_.backed_frame(pa);
  if (host != nullptr && (pa.value() & 7) == 0) {
    Slot& s = slots_[(pa.value() >> PhysMem::kFrameShift) & (kSlots - 1)];
    s.frame = pa.value() >> PhysMem::kFrameShift;
    s.host = host;
  }
  const std::optional<uint64_t> v = mem_.try_load64(pa);
  return {v.value_or(0), v.has_value()};
}

}  // namespace ptsim::hw::arm64
