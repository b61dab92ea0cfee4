#include "ptsim/report/walk_report.h"

#include <fmt/format.h>

#include "ptsim/report/format.h"

namespace ptsim::report {
namespace {

using hw::arm64::WalkResult;
using hw::arm64::WalkStep;
using kernel::PgLevel;

const WalkStep* step_at(const WalkResult& r, int hw_level) {
  for (unsigned i = 0; i < r.step_count; ++i) {
    if (r.steps[i].level == hw_level) {
      return &r.steps[i];
    }
  }
  return nullptr;
}

// The unfolded level a folded one shares its entry with.
PgLevel fold_target(const kernel::Geometry& g, PgLevel l) {
  int i = static_cast<int>(l);
  while (g.is_folded(static_cast<PgLevel>(i))) {
    --i;
  }
  return static_cast<PgLevel>(i);
}

std::string fault_reason(const WalkResult& r) {
  using hw::arm64::DescriptorKind;
  using hw::arm64::FaultKind;
  const WalkStep* last = r.step_count > 0 ? &r.steps[r.step_count - 1] : nullptr;
  switch (r.fault) {
    case FaultKind::translation:
      if (last == nullptr) {
        return "the VA is outside the range this table covers";
      }
      return last->kind == DescriptorKind::reserved ? "reserved descriptor" : "invalid descriptor";
    case FaultKind::address_size:
      return "address above the output address size";
    case FaultKind::external_abort:
      return "descriptor address outside every memory bank";
    case FaultKind::access_flag:
      return "Access flag is 0";
    default:
      return hw::arm64::fault_kind_name(r.fault);
  }
}

}  // namespace

std::string walk_text(const kernel::Geometry& g, const hw::arm64::WalkRequest& request, uint64_t va,
                      const WalkResult& r) {
  std::string out = fmt::format("VA {:#018x}  {}  root PA {:#x} ({} half)\n", va, g.describe(),
                                request.table_base.value(), request.upper_half ? "TTBR1" : "TTBR0");
  for (PgLevel l : kernel::kAllPgLevels) {
    const std::string name(kernel::pg_level_name(l));
    if (g.is_folded(l)) {
      const PgLevel target = fold_target(g, l);
      if (step_at(r, g.hw_level(target).value_or(-9)) != nullptr) {
        out += fmt::format("  {:<4} --  folded: the {} entry\n", name, kernel::pg_level_name(target));
      }
      continue;
    }
    const WalkStep* s = step_at(r, g.hw_level(l).value_or(-9));
    if (s == nullptr) {
      continue;
    }
    out += fmt::format("  {:<4} L{}  index {:>4}  entry PA {:#012x}  {:#018x}  {}\n", name, s->level, s->index,
                       s->entry_addr.value(), s->raw, hw::arm64::describe(request.format, s->level, s->raw));
  }
  if (r.fault == hw::arm64::FaultKind::none || r.fault == hw::arm64::FaultKind::access_flag) {
    out += fmt::format("  => PA {:#x}  ({} {} at level {})\n", r.output.value(), human_size(r.block_size),
                       r.level == 3 ? "page" : "block", r.level);
  }
  if (r.fault != hw::arm64::FaultKind::none) {
    out += fmt::format("  => {} fault at level {}: {}\n", hw::arm64::fault_kind_name(r.fault), r.level,
                       fault_reason(r));
  }
  return out;
}

nlohmann::json walk_json(const kernel::Geometry& g, const hw::arm64::WalkRequest& request, uint64_t va,
                         const WalkResult& r) {
  nlohmann::json steps = nlohmann::json::array();
  for (unsigned i = 0; i < r.step_count; ++i) {
    const WalkStep& s = r.steps[i];
    const auto kl = g.kernel_level(s.level);
    steps.push_back({{"level", s.level},
                     {"kernel_level", kl ? std::string(kernel::pg_level_name(*kl)) : ""},
                     {"index", s.index},
                     {"addr", fmt::format("{:#x}", s.entry_addr.value())},
                     {"desc", fmt::format("{:#x}", s.raw)},
                     {"meaning", hw::arm64::describe(request.format, s.level, s.raw)}});
  }
  nlohmann::json j = {{"schema", "ptsim.walk/1"},
                      {"va", fmt::format("{:#x}", va)},
                      {"root", fmt::format("{:#x}", request.table_base.value())},
                      {"ok", r.ok()},
                      {"level", r.level},
                      {"walk", steps}};
  if (r.ok()) {
    j["pa"] = fmt::format("{:#x}", r.output.value());
    j["size"] = r.block_size;
  } else {
    j["fault"] = hw::arm64::fault_kind_name(r.fault);
  }
  return j;
}

}  // namespace ptsim::report
