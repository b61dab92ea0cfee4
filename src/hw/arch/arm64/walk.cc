#include "ptsim/hw/arch/arm64/walk.h"

#include <optional>

#include "hw/arch/arm64/walk_core.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

std::string fault_kind_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::none:
      return "none";
    case FaultKind::translation:
      return "translation";
    case FaultKind::access_flag:
      return "access_flag";
    case FaultKind::permission:
      return "permission";
    case FaultKind::address_size:
      return "address_size";
    case FaultKind::external_abort:
      return "external_abort";
  }
  return "?";
}

int walk_start_level(const WalkRequest& request) {
  return detail::start_level_of(request.format.granule, request.ia_bits);
}

namespace {

// Descriptor reads straight from PhysMem.
struct DirectReader {
  const PhysMem& mem;
  TableReader::Read load(PhysAddr pa) const {
    const std::optional<uint64_t> v = mem.try_load64(pa);
    return {v.value_or(0), v.has_value()};
  }
};

// Keeps every descriptor read as a WalkStep.
struct StepRecorder {
  WalkStep* steps;
  unsigned count = 0;
  void step(int level, uint64_t index, uint64_t entry, uint64_t raw, DescriptorKind kind) {
    steps[count++] = WalkStep{level, index, PhysAddr(entry), raw, kind};
  }
  void table(int, uint64_t, uint64_t) {}
};

template <class Reader>
WalkResult walk_from_impl(Reader& reader, const WalkRequest& request, const detail::WalkPlan& plan,
                          uint64_t va, int level, PhysAddr table, TableAttributes inherited) {
  WalkResult r;
  r.table = inherited;
  StepRecorder rec{r.steps.data()};
  const detail::WalkEnd end = detail::walk_levels(reader, plan, va, level, table.value(), rec);
  r.step_count = rec.count;
  r.level = end.level;
  r.fault = end.fault;
  if (end.fault != FaultKind::none) {
    return r;
  }
  r.table = detail::merge_table_bits(inherited, end.table_bits);
  r.block_size = uint64_t{1} << end.shift;
  r.output = PhysAddr(end.base + (va & (r.block_size - 1)));
  r.leaf = LeafAttributes::decode(request.format, end.raw);
  if (detail::access_flag_fault(plan, end.raw)) {
    r.fault = FaultKind::access_flag;
  }
  return r;
}

template <class Reader>
WalkResult walk_impl(Reader& reader, const WalkRequest& request, uint64_t va) {
  if (const FaultKind f = walk_entry_fault(request, va); f != FaultKind::none) {
    WalkResult r;
    r.fault = f;
    r.level = 0;
    return r;
  }
  const detail::WalkPlan plan(request);
  return walk_from_impl(reader, request, plan, va, plan.start, request.table_base,
                        TableAttributes{});
}

}  // namespace

FaultKind walk_entry_fault(const WalkRequest& request, uint64_t va) {
  // D8.1.2 / AArch64.VAIsOutOfRange: the VA bits from AddrTop (55 with TBI,
  // 63 without) down to the input size must all equal the range's bit.
  const unsigned top = request.tbi ? 55 : 63;
  if (request.ia_bits <= top) {
    const uint64_t above = (va & genmask(top, request.ia_bits)) >> request.ia_bits;
    const uint64_t expected =
        request.upper_half ? (genmask(top, request.ia_bits) >> request.ia_bits) : 0;
    if (above != expected) {
      return FaultKind::translation;
    }
  }
  // The TTBR base is the first address the walk uses; above the output
  // address size it is an Address size fault, reported at level 0.
  if ((request.table_base.value() >> request.pa_bits) != 0) {
    return FaultKind::address_size;
  }
  return FaultKind::none;
}

WalkResult walk(const PhysMem& mem, const WalkRequest& request, uint64_t va) {
  DirectReader reader{mem};
  return walk_impl(reader, request, va);
}

WalkResult walk(TableReader& reader, const WalkRequest& request, uint64_t va) {
  return walk_impl(reader, request, va);
}

WalkResult walk_from(const PhysMem& mem, const WalkRequest& request, uint64_t va, int level,
                     PhysAddr table, TableAttributes inherited) {
  DirectReader reader{mem};
  return walk_from_impl(reader, request, detail::WalkPlan(request), va, level, table, inherited);
}

WalkResult walk_from(TableReader& reader, const WalkRequest& request, uint64_t va, int level,
                     PhysAddr table, TableAttributes inherited) {
  return walk_from_impl(reader, request, detail::WalkPlan(request), va, level, table, inherited);
}

}  // namespace ptsim::hw::arm64
