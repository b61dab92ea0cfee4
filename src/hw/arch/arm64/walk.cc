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
WalkResult walk_impl(Reader& reader, const WalkRequest& request, const detail::WalkPlan& plan,
                     uint64_t va) {
  WalkResult r;
  StepRecorder rec{r.steps.data()};
  const detail::WalkEnd end = detail::with_format(plan, [&](const auto& format) {
    return detail::walk_levels(reader, format, va, format.start(), request.table_base.value(), rec);
  });
  r.step_count = rec.count;
  r.level = end.level;
  r.fault = end.fault;
  if (end.fault != FaultKind::none) {
    return r;
  }
  r.table = detail::merge_table_bits(TableAttributes{}, end.table_bits);
  r.block_size = uint64_t{1} << end.shift;
  r.output = PhysAddr(end.base + (va & (r.block_size - 1)));
  r.leaf_raw = end.raw;
  r.format = request.format;
  if (detail::access_flag_fault(plan, end.raw)) {
    r.fault = FaultKind::access_flag;
  }
  return r;
}

WalkResult entry_fault_result(FaultKind f) {
  WalkResult r;
  r.fault = f;
  r.level = 0;
  return r;
}

}  // namespace

namespace detail {

WalkPlan::WalkPlan(const WalkRequest& req)
    : granule_shift(arm64::granule_shift(req.format.granule)),
      bits(bits_per_level(req.format.granule)),
      ia_bits(req.ia_bits),
      pa_bits(req.pa_bits),
      start(start_level_of(req.format.granule, req.ia_bits)),
      hardware_af(req.hardware_af) {
  const DescriptorFormat& f = req.format;
  addr_mask = genmask(f.oa == OaFormat::lpa2 ? 49 : 47, granule_shift);
  if (f.oa == OaFormat::lpa) {
    ext_mask = desc::kOA51_48.mask();
    ext_shift = 48 - desc::kOA51_48.lo;
  } else if (f.oa == OaFormat::lpa2) {
    ext_mask = desc::kOA51_50.mask();
    ext_shift = 50 - desc::kOA51_50.lo;
  } else {
    const uint64_t low = f.granule == Granule::k64K ? genmask(15, 12) : 0;
    bad_table = genmask(51, 48) | low;
    bad_leaf = genmask(49, 48) | low;
  }
  // block_allowed() at levels 0-2 (never at -1 or 3).
  for (int level = 0; level <= 2; ++level) {
    blocks |= block_allowed(f, level) ? 1u << (level + 1) : 0u;
  }
  format_4k48 = Format4K48::describes(*this);
}

}  // namespace detail

Walker::Walker(const WalkRequest& request) : request_(request), plan_(request) {
  // D8.1.2 / AArch64.VAIsOutOfRange: the VA bits from AddrTop (55 with TBI,
  // 63 without) down to the input size must all equal the range's bit.
  const unsigned top = request.tbi ? 55 : 63;
  if (request.ia_bits <= top) {
    range_mask_ = genmask(top, request.ia_bits);
    range_bits_ = request.upper_half ? range_mask_ : 0;
  }
  // The TTBR base is the first address the walk uses; above the output
  // address size it is an Address size fault, reported at level 0.
  base_too_large_ = (request.table_base.value() >> request.pa_bits) != 0;
}

WalkResult Walker::walk(const PhysMem& mem, uint64_t va) const {
  if (const FaultKind f = entry_fault(va); f != FaultKind::none) {
    return entry_fault_result(f);
  }
  DirectReader reader{mem};
  return walk_impl(reader, request_, plan_, va);
}

WalkResult Walker::walk(TableReader& reader, uint64_t va) const {
  if (const FaultKind f = entry_fault(va); f != FaultKind::none) {
    return entry_fault_result(f);
  }
  return walk_impl(reader, request_, plan_, va);
}

WalkResult walk(const PhysMem& mem, const WalkRequest& request, uint64_t va) {
  return Walker(request).walk(mem, va);
}

WalkResult walk(TableReader& reader, const WalkRequest& request, uint64_t va) {
  return Walker(request).walk(reader, va);
}

}  // namespace ptsim::hw::arm64
