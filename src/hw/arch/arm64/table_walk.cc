#include "ptsim/hw/arch/arm64/table_walk.h"

#include <fmt/format.h>

#include <algorithm>

#include "ptsim/error.h"
#include "ptsim/hw/bits.h"

namespace ptsim::hw::arm64 {

TableVisitLimit::TableVisitLimit(const PhysMem& mem, Granule granule)
    : mem_(mem), granule_(granule) {
  for (const Bank& bank : mem.banks()) {
    pages_ += bank.size / granule_size(granule) + 1;  // +1: a bank may hold a part page
  }
  limit_ = std::max(kMinRepeatEntries, pages_ * entries_per_table(granule));
}

TableVisitLimit::Scope TableVisitLimit::enter(int level, PhysAddr table) {
  if (mem_.find_bank(table) == nullptr) {
    return Scope(nullptr);
  }
  for (unsigned i = 0; i < depth_; ++i) {
    if (path_[i].table != table.value()) {
      continue;
    }
    throw bad_input(fmt::format(
        "whole-table walk: a level {} entry of the table at PA {:#x} points at PA {:#x}, the level "
        "{} table "
        "it was reached from: cyclic tables (an entry pointing back at its own table or an "
        "ancestor) have "
        "no end to walk; a table shared by several parents is walked, a cycle is refused",
        path_[depth_ - 1].level, path_[depth_ - 1].table, table.value(), path_[i].level));
  }
  if (!seen_.insert(table.value()).second) {
    repeated_ += entries_per_table(granule_);
    if (repeated_ > limit_) {
      throw bad_input(fmt::format(
          "whole-table walk: the level {} table at PA {:#x} is reached again, and walks of shared "
          "tables "
          "would read more than {} entries again (as many as the memory's {} {} pages hold, at "
          "least {}): "
          "the tables share subtrees so often that the walk would repeat them at every reference",
          level, table.value(), limit_, pages_, granule_name(granule_), kMinRepeatEntries));
    }
  }
  if (depth_ == path_.size()) {
    throw Error(ErrorKind::internal,
                fmt::format("whole-table walk deeper than {} tables", path_.size()));
  }
  path_[depth_++] = {level, table.value()};
  return Scope(this);
}

namespace {

struct WholeTableWalk {
  const PhysMem& mem;
  const WalkRequest& req;
  const TableWalkCallbacks& cb;
  uint64_t va_top;  // the sign bits of the half being walked
  TableVisitLimit limit;

  void table(int level, PhysAddr base, uint64_t va_base, unsigned entries, uint64_t table_bits) {
    const TableVisitLimit::Scope on_path = limit.enter(level, base);
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
      cb.leaf({va, uint64_t{1} << shift, level, *raw, output_address(req.format, level, kind, *raw),
               table_bits});
    }
  }
};

}  // namespace

void for_each_leaf(const PhysMem& mem, const WalkRequest& request,
                   const TableWalkCallbacks& callbacks) {
  const int start = walk_start_level(request);
  const unsigned shift = level_shift(request.format.granule, start);
  const unsigned entries = 1u << (request.ia_bits - shift);
  const uint64_t va_base = request.upper_half ? (~uint64_t{0} << request.ia_bits) : 0;
  WholeTableWalk w{mem, request, callbacks, va_base, TableVisitLimit(mem, request.format.granule)};
  w.table(start, request.table_base, va_base, entries, 0);
}

}  // namespace ptsim::hw::arm64
