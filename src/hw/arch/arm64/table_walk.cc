#include "ptsim/hw/arch/arm64/table_walk.h"

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

TableVisitLimit::TableVisitLimit(const PhysMem& mem, Granule granule) : mem_(mem), granule_(granule) {
  for (const Bank& bank : mem.banks()) {
    limit_ += bank.size / granule_size(granule) + 1;  // +1: a bank may hold a part page
  }
}

void TableVisitLimit::enter(int level, PhysAddr table) {
  if (mem_.find_bank(table) == nullptr) {
    return;
  }
  if (++entered_ <= limit_) {
    return;
  }
  throw bad_input(fmt::format(
      "whole-table walk: the level {} table at PA {:#x} is table number {}, more than the {} {} pages "
      "the memory holds: table entries share a table or point back at their own table or an ancestor "
      "(cyclic tables), and the walk would repeat them at every reference",
      level, table.value(), entered_, limit_, granule_name(granule_)));
}

namespace {

struct Walker {
  const PhysMem& mem;
  const WalkRequest& req;
  const TableWalkCallbacks& cb;
  uint64_t va_top;  // the sign bits of the half being walked
  TableVisitLimit limit;

  void table(int level, PhysAddr base, uint64_t va_base, unsigned entries, uint64_t table_bits) {
    limit.enter(level, base);
    const unsigned shift = level_shift(req.format.granule, level);
    if (cb.table) {
      unsigned valid = 0;
      for (unsigned i = 0; i < entries; ++i) {
        const auto v = mem.try_load64(base + i * 8ull);
        valid += (v && (*v & 1)) ? 1 : 0;
      }
      cb.table({level, base, va_base, valid});
    }
    for (unsigned i = 0; i < entries; ++i) {
      const PhysAddr entry = base + i * 8ull;
      const std::optional<uint64_t> raw = mem.try_load64(entry);
      if (!raw) {
        if (cb.unreadable) {
          cb.unreadable(level, entry);
        }
        return;
      }
      const uint64_t va = va_base + (uint64_t{i} << shift);
      const DescriptorKind kind = classify(req.format, level, *raw);
      if (kind == DescriptorKind::table) {
        const PhysAddr next = output_address(req.format, level, kind, *raw);
        table(level + 1, next, va, static_cast<unsigned>(entries_per_table(req.format.granule)),
              table_bits | (*raw & genmask(63, 59)));
        continue;
      }
      if (kind != DescriptorKind::block && kind != DescriptorKind::page) {
        continue;
      }
      cb.leaf({va, uint64_t{1} << shift, level, *raw, output_address(req.format, level, kind, *raw), table_bits});
    }
  }
};

}  // namespace

void for_each_leaf(const PhysMem& mem, const WalkRequest& request, const TableWalkCallbacks& callbacks) {
  const int start = walk_start_level(request);
  const unsigned shift = level_shift(request.format.granule, start);
  const unsigned entries = 1u << (request.ia_bits - shift);
  const uint64_t va_base = request.upper_half ? (~uint64_t{0} << request.ia_bits) : 0;
  Walker w{mem, request, callbacks, va_base, TableVisitLimit(mem, request.format.granule)};
  w.table(start, request.table_base, va_base, entries, 0);
}

}  // namespace ptsim::hw::arm64
