#include "ptsim/report/boot_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/report/arm64_boot_report.h"
#include "ptsim/report/format.h"

namespace ptsim::report {
namespace {

using kernel::arm64::Arm64Kernel;
using kernel::arm64::TableRoot;
using Json = nlohmann::ordered_json;

TableRoot swapper_root(const Arm64Kernel& k) {
  for (const TableRoot& r : k.roots()) {
    if (r.name == "swapper_pg_dir") {
      return r;
    }
  }
  throw Error(ErrorKind::internal, "the booted kernel has no swapper_pg_dir root");
}

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

uint64_t parse_hex(const nlohmann::json& v) {
  return std::stoull(v.get<std::string>(), nullptr, 16);
}

// One merged run of arm64_root_mappings(), `last` inclusive so that a run
// ending at the top of the address space needs no 65-bit end.
struct Run {
  uint64_t first, last, pa;
  std::string level;
  std::vector<std::string> attrs;
};

std::vector<Run> runs_of(const Arm64Kernel& k, const TableRoot& root) {
  std::vector<Run> runs;
  const nlohmann::json mappings = arm64_root_mappings(k, root);
  for (const auto& m : mappings["mappings"]) {
    runs.push_back({parse_hex(m["va_start"]), parse_hex(m["va_end"]) - 1, parse_hex(m["pa_start"]),
                    m["level"].get<std::string>(), m["attrs"].get<std::vector<std::string>>()});
  }
  return runs;
}

// The run holding `va`, advancing `i` through the sorted runs.
const Run* run_at(const std::vector<Run>& runs, size_t& i, uint64_t va) {
  while (i < runs.size() && runs[i].last < va) {
    ++i;
  }
  return i < runs.size() && runs[i].first <= va ? &runs[i] : nullptr;
}

bool same_mapping(const Run* a, const Run* b, uint64_t va) {
  if (a == nullptr || b == nullptr) {
    return a == b;
  }
  return a->level == b->level && a->attrs == b->attrs &&
         a->pa + (va - a->first) == b->pa + (va - b->first);
}

Json side_json(const Run* r, uint64_t va) {
  if (r == nullptr) {
    return nullptr;
  }
  return Json{{"pa_start", hex(r->pa + (va - r->first))}, {"level", r->level}, {"attrs", r->attrs}};
}

// Splits the address space at every run boundary of either side and keeps
// the pieces the two sides map differently, merged while they come from the
// same pair of runs.
Json ranges_mapped_differently(const std::vector<Run>& a, const std::vector<Run>& b) {
  std::set<uint64_t> cuts;
  for (const auto* runs : {&a, &b}) {
    for (const Run& r : *runs) {
      cuts.insert(r.first);
      if (r.last != UINT64_MAX) {
        cuts.insert(r.last + 1);
      }
    }
  }
  Json out = Json::array();
  size_t ia = 0;
  size_t ib = 0;
  std::optional<std::pair<const Run*, const Run*>> open;
  for (auto it = cuts.begin(); it != cuts.end(); ++it) {
    const uint64_t first = *it;
    const auto next = std::next(it);
    const uint64_t last = next == cuts.end() ? UINT64_MAX : *next - 1;
    const Run* ra = run_at(a, ia, first);
    const Run* rb = run_at(b, ib, first);
    if (same_mapping(ra, rb, first)) {
      open.reset();
      continue;
    }
    if (open && open->first == ra && open->second == rb) {
      out.back()["va_end"] = hex(last + 1);
      continue;
    }
    open = std::make_pair(ra, rb);
    out.push_back({{"va_start", hex(first)},
                   {"va_end", hex(last + 1)},
                   {"a", side_json(ra, first)},
                   {"b", side_json(rb, first)}});
  }
  return out;
}

Json constants_json(const Arm64Kernel& k) {
  Json j = {{"PAGE_SIZE", hex(k.geometry().page_size())},
            {"VA_BITS", k.geometry().va_bits},
            {"vabits_actual", k.vabits_actual()},
            {"CONFIG_PGTABLE_LEVELS", k.geometry().pgtable_levels}};
  const nlohmann::json layout = arm64_layout_json(k);
  for (const auto& [name, value] : layout.items()) {
    j[name] = value;
  }
  return j;
}

Json stats_json(const Arm64TableStats& s) {
  Json pages = Json::object();
  for (const auto& [level, n] : s.table_pages) {
    pages[level] = n;
  }
  return {{"table_pages", pages},
          {"table_bytes", s.table_bytes},
          {"blocks", s.blocks},
          {"pages", s.pages},
          {"contiguous", s.contiguous}};
}

Json side_summary(const Arm64Kernel& k, const std::string& label) {
  return {{"options", label}, {"geometry", k.geometry().describe()}};
}

}  // namespace

Arm64TableStats arm64_table_stats(const Arm64Kernel& k, const TableRoot& root) {
  const kernel::Geometry& g = k.geometry();
  Arm64TableStats s;
  for (kernel::PgLevel l : kernel::kAllPgLevels) {
    if (!g.is_folded(l)) {
      s.table_pages.emplace_back(std::string(kernel::pg_level_name(l)), 0);
    }
  }
  std::set<uint64_t> seen;
  hw::arm64::for_each_leaf(k.mem(), arm64_root_walk_request(k, root),
                           {[&](const hw::arm64::Leaf& leaf) {
                              ++(leaf.level == 3 ? s.pages : s.blocks);
                              s.contiguous += hw::arm64::desc::kContiguous.get(leaf.desc);
                            },
                            [&](const hw::arm64::TableVisit& t) {
                              const auto kl = g.kernel_level(t.level);
                              if (!kl || !seen.insert(t.table.value()).second) {
                                return;
                              }
                              const std::string name(kernel::pg_level_name(*kl));
                              for (auto& [level, n] : s.table_pages) {
                                n += level == name ? 1 : 0;
                              }
                              s.table_bytes += g.table_bytes(*kl);
                            },
                            {}});
  return s;
}

nlohmann::ordered_json arm64_boot_diff_json(const Arm64Kernel& a, const std::string& label_a,
                                            const Arm64Kernel& b, const std::string& label_b) {
  const Json ca = constants_json(a);
  const Json cb = constants_json(b);
  Json constants = Json::array();
  for (const auto& [name, value] : ca.items()) {
    const Json other = cb.contains(name) ? cb[name] : Json(nullptr);
    if (value != other) {
      constants.push_back({{"name", name}, {"a", value}, {"b", other}});
    }
  }
  const TableRoot root_a = swapper_root(a);
  const Json stats_a = stats_json(arm64_table_stats(a, root_a));
  const std::vector<Run> runs_a = runs_of(a, root_a);
  const TableRoot root_b = swapper_root(b);
  const Json stats_b = stats_json(arm64_table_stats(b, root_b));
  const std::vector<Run> runs_b = runs_of(b, root_b);
  return {{"schema", "ptsim.diff.arm64/1"},
          {"a", side_summary(a, label_a)},
          {"b", side_summary(b, label_b)},
          {"constants", constants},
          {"swapper_pg_dir", {{"a", stats_a}, {"b", stats_b}}},
          {"ranges", ranges_mapped_differently(runs_a, runs_b)}};
}

namespace {

std::string value_text(const Json& v) {
  if (v.is_null()) {
    return "-";
  }
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string mapping_text(const Json& side) {
  if (side.is_null()) {
    return "not mapped";
  }
  std::string attrs;
  for (const auto& a : side["attrs"]) {
    attrs += " " + a.get<std::string>();
  }
  return fmt::format("{} pa {}{}", side["level"].get<std::string>(),
                     side["pa_start"].get<std::string>(), attrs);
}

}  // namespace

std::string arm64_boot_diff_text(const nlohmann::ordered_json& d) {
  std::string out;
  out += fmt::format("A: {}  ({})\n", d["a"]["options"].get<std::string>(),
                     d["a"]["geometry"].get<std::string>());
  out += fmt::format("B: {}  ({})\n", d["b"]["options"].get<std::string>(),
                     d["b"]["geometry"].get<std::string>());

  out += fmt::format("\nLayout constants that differ: {}\n", d["constants"].size());
  for (const auto& c : d["constants"]) {
    out += fmt::format("  {:<22} {:>20}  {:>20}\n", c["name"].get<std::string>(),
                       value_text(c["a"]), value_text(c["b"]));
  }

  const Json& sa = d["swapper_pg_dir"]["a"];
  const Json& sb = d["swapper_pg_dir"]["b"];
  out += fmt::format("\nswapper_pg_dir{:>23}  {:>12}\n", "A", "B");
  std::vector<std::string> levels;
  for (const auto* side : {&sa, &sb}) {
    for (const auto& [level, n] : (*side)["table_pages"].items()) {
      if (std::find(levels.begin(), levels.end(), level) == levels.end()) {
        levels.push_back(level);
      }
    }
  }
  const auto count = [](const Json& side, const std::string& level) {
    return side["table_pages"].contains(level) ? side["table_pages"][level].dump()
                                               : std::string("folded");
  };
  for (const std::string& level : levels) {
    out += fmt::format("  {:<22}  {:>12}  {:>12}\n", level + " table pages", count(sa, level),
                       count(sb, level));
  }
  out += fmt::format("  {:<22}  {:>12}  {:>12}\n", "table memory",
                     human_size(sa["table_bytes"].get<uint64_t>()),
                     human_size(sb["table_bytes"].get<uint64_t>()));
  for (const char* key : {"blocks", "pages", "contiguous"}) {
    const std::string label =
        std::string(key) == "contiguous" ? "contiguous entries" : std::string(key) + " mapped";
    out += fmt::format("  {:<22}  {:>12}  {:>12}\n", label, sa[key].dump(), sb[key].dump());
  }

  out += fmt::format("\nVA ranges mapped differently: {}\n", d["ranges"].size());
  for (const auto& r : d["ranges"]) {
    const uint64_t size = parse_hex(r["va_end"]) - parse_hex(r["va_start"]);
    out += fmt::format("  {}-{} {:>6}\n    A: {}\n    B: {}\n", r["va_start"].get<std::string>(),
                       r["va_end"].get<std::string>(), human_size(size), mapping_text(r["a"]),
                       mapping_text(r["b"]));
  }
  return out;
}

}  // namespace ptsim::report
