#include "ptsim/report/explain_va.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <vector>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/report/arm64_boot_report.h"
#include "ptsim/report/format.h"
#include "report/explain_va_fields.h"

namespace ptsim::report {
namespace {

using kernel::arm64::Arm64Kernel;

// The fields of `va` from the top: the bits the walk checks but does not
// index with (all ones for TTBR1), one field per level the MMU walks (the
// index width is log2 of PTRS_PER_x), and the offset into the leaf.
std::vector<VaField> fields_of(const kernel::Geometry& g, unsigned ia_bits) {
  std::vector<VaField> out;
  out.push_back(
      {63, ia_bits, "top", fmt::format("must all be 1 (TTBR1_EL1, T1SZ = {})", 64 - ia_bits)});
  for (kernel::PgLevel l : g.hw_levels()) {
    const unsigned lo = static_cast<unsigned>(g.level_shift(l));
    unsigned width = 0;
    while ((uint64_t{1} << width) < g.ptrs_per(l)) {
      ++width;
    }
    const unsigned hi = std::min(lo + width, ia_bits) - 1;
    out.push_back({hi, lo, std::string(kernel::pg_level_name(l)),
                   fmt::format("index into the level {} table ({}_index)",
                               g.hw_level(l).value_or(-1), kernel::pg_level_name(l))});
  }
  out.push_back({g.page_shift - 1, 0, "offset", "byte offset in the page"});
  return out;
}

std::string region_of(const Arm64Kernel& k, uint64_t va) {
  const auto markers = arm64_address_markers(k.layout());
  for (size_t i = 0; i + 1 < markers.size(); i += 2) {
    if (va >= markers[i].start_address && va < markers[i + 1].start_address) {
      std::string name = markers[i].name;
      const auto cut = name.rfind(" start");
      return cut == std::string::npos ? name : name.substr(0, cut);
    }
  }
  return "no region of the kernel layout";
}

}  // namespace

std::string explain_va(const Arm64Kernel& k, uint64_t va, ExplainStyle style) {
  const bool md = style == ExplainStyle::markdown;
  const kernel::Geometry& g = k.geometry();
  kernel::arm64::TableRoot root;
  for (const auto& r : k.roots()) {
    if (r.name == "swapper_pg_dir") {
      root = r;
    }
  }
  const hw::arm64::WalkRequest request = arm64_root_walk_request(k, root);
  const std::vector<VaField> fields = fields_of(g, request.ia_bits);
  std::string out;

  out += md ? fmt::format("## Walk of VA `{:#018x}`\n\n", va)
            : fmt::format("Walk of VA {:#018x}\n", va);
  out += fmt::format("{}{}, swapper_pg_dir at PA {:#x} (TTBR1_EL1); the address lies in: {}.\n\n",
                     md ? "" : "  ", g.describe(), root.pa, region_of(k, va));

  out += va_fields_text(va, fields, style);

  const hw::arm64::WalkResult r = hw::arm64::walk(k.mem(), request, va);
  uint64_t table = root.pa;
  for (unsigned s = 0; s < r.step_count; ++s) {
    const hw::arm64::WalkStep& step = r.steps[s];
    const auto kl = g.kernel_level(step.level);
    const std::string name = kl ? std::string(kernel::pg_level_name(*kl)) : "?";
    const auto field_it = std::find_if(fields.begin(), fields.end(),
                                       [&](const VaField& f) { return f.name == name; });
    const size_t fi = static_cast<size_t>(field_it - fields.begin());
    const std::string bits =
        field_it == fields.end() ? "?" : fmt::format("VA[{}:{}]", field_it->hi, field_it->lo);
    const std::string head =
        md ? fmt::format("{}. **Level {} ({})**: ", s + 1, step.level, name)
           : fmt::format("  Level {} ({}): ", step.level, paint_field(name, fi, style));
    out += head + fmt::format("index {} = {} ; entry at {:#x} + {} * 8 = {:#x}\n", bits, step.index,
                              table, step.index, step.entry_addr.value());
    out += fmt::format("{}reads {:#018x}: {}\n", md ? "   " : "    ", step.raw,
                       hw::arm64::describe(request.format, step.level, step.raw));
    if (step.kind == hw::arm64::DescriptorKind::table) {
      table = hw::arm64::output_address(request.format, step.level, step.kind, step.raw).value();
    }
  }
  out += md ? "\n" : "";
  if (!r.ok()) {
    const VaField& top = fields.front();
    const bool outside = va_field_value(va, top) != va_field_value(~uint64_t{0}, top);
    const std::string why =
        outside ? fmt::format("VA[{}:{}] are not all ones, so TTBR1_EL1 does not translate it",
                              top.hi, top.lo)
                : "the walk found no valid descriptor for it";
    out += fmt::format("{}{} fault at level {}: {}.\n", md ? "Result: " : "  => ",
                       hw::arm64::fault_kind_name(r.fault), r.level, why);
    return out;
  }
  out += fmt::format(
      "{}PA {:#x}: a {} {} at level {} maps it; the low {} bits of the VA ({:#x}) are the offset "
      "within it.\n",
      md ? "Result: " : "  => ", r.output.value(), human_size(r.block_size),
      r.level == 3 ? "page" : "block", r.level, std::countr_zero(r.block_size),
      va & (r.block_size - 1));
  return out;
}

}  // namespace ptsim::report
