#include "ptsim/report/boot_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/descriptor.h"
#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"
#include "ptsim/report/arm64_boot_report.h"
#include "ptsim/report/arm_boot_report.h"
#include "ptsim/report/format.h"
#include "ptsim/report/ptdump_arm.h"

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

// The constants two sides disagree on, {name, a, b} each.
Json differing(const Json& ca, const Json& cb) {
  Json constants = Json::array();
  for (const auto& [name, value] : ca.items()) {
    const Json other = cb.contains(name) ? cb[name] : Json(nullptr);
    if (value != other) {
      constants.push_back({{"name", name}, {"a", value}, {"b", other}});
    }
  }
  for (const auto& [name, value] : cb.items()) {
    if (!ca.contains(name)) {
      constants.push_back({{"name", name}, {"a", nullptr}, {"b", value}});
    }
  }
  return constants;
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
  const Json constants = differing(constants_json(a), constants_json(b));
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
  return boot_diff_text(d);
}

std::string boot_diff_text(const nlohmann::ordered_json& d) {
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
  for (const auto& item : sa.items()) {
    const std::string& key = item.key();
    if (key == "table_pages" || key == "table_bytes") {
      continue;
    }
    const std::string label = key == "contiguous"      ? "contiguous entries"
                              : key == "block_size"    ? "block size"
                              : key == "supersections" ? "supersection entries"
                                                       : key + " mapped";
    const auto shown = [&](const Json& side) {
      if (!side.contains(key)) {
        return std::string("-");
      }
      return key == "block_size" ? human_size(side[key].get<uint64_t>()) : side[key].dump();
    };
    out += fmt::format("  {:<22}  {:>12}  {:>12}\n", label, shown(sa), shown(sb));
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

namespace {

namespace two = kernel::arm::pgtable_2level;
namespace three = kernel::arm::pgtable_3level;

void add_table(ArmTableStats& s, const std::string& level, uint64_t bytes) {
  for (auto& [name, n] : s.table_pages) {
    if (name == level) {
      ++n;
    }
  }
  s.table_bytes += bytes;
}

// Classic MMU: 4096 first-level words; a pte page (two Linux tables, then
// two hardware ones at PTE_HWTABLE_OFF) serves each 2 MiB pair.
void classic_stats(const kernel::arm::ArmBoot& b, ArmTableStats& s) {
  const hw::PhysMem& mem = *b.mem;
  const uint64_t pgd = b.state.swapper_pg_dir;
  s.table_pages = {{"pgd", 0}, {"pte", 0}};
  for (uint64_t off = 0; off < b.state.layout.SWAPPER_PG_DIR_SIZE; off += two::PAGE_SIZE) {
    add_table(s, "pgd", two::PAGE_SIZE);
  }
  s.block_size = two::SECTION_SIZE;
  std::set<uint64_t> pte_pages;
  for (uint64_t i = 0; i < 2 * two::PTRS_PER_PGD; ++i) {
    const uint32_t word = mem.load32(hw::PhysAddr(pgd + i * 4));
    const uint32_t type = word & two::PMD_TYPE_MASK;
    if (type == two::PMD_TYPE_SECT) {
      ++((word & two::PMD_SECT_SUPER) != 0 ? s.supersections : s.blocks);
      continue;
    }
    if (type != two::PMD_TYPE_TABLE) {
      continue;
    }
    const uint64_t page = word & ~uint64_t{two::PAGE_SIZE - 1};
    if (!pte_pages.insert(page).second) {
      continue;
    }
    add_table(s, "pte", two::PAGE_SIZE);
    for (uint64_t e = 0; e < 2 * two::kHwTableEntries; ++e) {
      const uint32_t pte = mem.load32(hw::PhysAddr(page + two::PTE_HWTABLE_OFF + e * 4));
      s.pages += (pte & 3) != 0 ? 1 : 0;  // small (1x) or large (01) page descriptor
    }
  }
}

// LPAE: the pgd's four entries, each a pmd table of 512; pte tables of 512.
void lpae_stats(const kernel::arm::ArmBoot& b, ArmTableStats& s) {
  const hw::PhysMem& mem = *b.mem;
  const uint64_t pgd = b.state.swapper_pg_dir;
  s.table_pages = {{"pgd", 0}, {"pmd", 0}, {"pte", 0}};
  add_table(s, "pgd", three::PTRS_PER_PTE * sizeof(uint64_t));
  s.block_size = uint64_t{1} << three::SECTION_SHIFT;
  const uint64_t page_mask = ~uint64_t{(1u << three::PAGE_SHIFT) - 1};
  for (uint64_t i = 0; i < three::PTRS_PER_PGD; ++i) {
    const uint64_t pud = mem.load64(hw::PhysAddr(pgd + i * 8));
    if ((pud & three::PMD_TYPE_MASK) != three::PMD_TYPE_TABLE) {
      continue;
    }
    const uint64_t pmd_table = pud & three::PHYS_MASK & page_mask;
    add_table(s, "pmd", three::PTRS_PER_PMD * sizeof(uint64_t));
    for (uint64_t j = 0; j < three::PTRS_PER_PMD; ++j) {
      const uint64_t pmd = mem.load64(hw::PhysAddr(pmd_table + j * 8));
      if ((pmd & three::PMD_TYPE_MASK) == three::PMD_TYPE_SECT) {
        ++s.blocks;
        continue;
      }
      if ((pmd & three::PMD_TYPE_MASK) != three::PMD_TYPE_TABLE) {
        continue;
      }
      const uint64_t table = pmd & three::PHYS_MASK & page_mask;
      add_table(s, "pte", three::PTE_HWTABLE_SIZE);
      for (uint64_t k = 0; k < three::PTRS_PER_PTE; ++k) {
        const uint64_t pte = mem.load64(hw::PhysAddr(table + k * 8));
        s.pages += (pte & three::PMD_TYPE_MASK) == three::PMD_TYPE_TABLE ? 1 : 0;  // page: 0b11
      }
    }
  }
}

Json arm_stats_json(const ArmTableStats& s) {
  Json pages = Json::object();
  for (const auto& [level, n] : s.table_pages) {
    pages[level] = n;
  }
  return {{"table_pages", pages}, {"table_bytes", s.table_bytes},
          {"blocks", s.blocks},   {"supersections", s.supersections},
          {"pages", s.pages},     {"block_size", s.block_size}};
}

// The layout, the boot's computed state and the build, as arm_boot_json has them.
Json arm_constants_json(const kernel::arm::ArmBoot& b) {
  const nlohmann::json full = arm_boot_json(b);
  Json j = {{"profile", full["profile"]}, {"vmsplit", full["vmsplit"]}, {"lpae", full["lpae"]}};
  for (const auto& [name, value] : full["layout"].items()) {
    j[name] = value;
  }
  for (const auto& [name, value] : full["state"].items()) {
    if (value.is_string()) {
      j[name] = value;
    }
  }
  j["create_mapping calls"] = b.state.mappings.size();
  return j;
}

std::vector<Run> arm_runs(const kernel::arm::ArmBoot& b) {
  std::vector<Run> runs;
  for (const ArmMappingRun& r : ptdump_arm(b).runs) {
    std::vector<std::string> attrs = r.attrs;
    if (!r.domain.empty()) {
      attrs.push_back("domain=" + r.domain);
    }
    runs.push_back({r.va_start, r.va_end - 1, r.pa_start, r.level, std::move(attrs)});
  }
  return runs;
}

Json arm_side_summary(const kernel::arm::ArmBoot& b, const std::string& label) {
  const std::string summary = arm_boot_summary(b);
  return {{"options", label}, {"geometry", summary.substr(0, summary.find('\n'))}};
}

}  // namespace

ArmTableStats arm_table_stats(const kernel::arm::ArmBoot& b) {
  ArmTableStats s;
  if (b.input.config.lpae) {
    lpae_stats(b, s);
  } else {
    classic_stats(b, s);
  }
  return s;
}

nlohmann::ordered_json arm_boot_diff_json(const kernel::arm::ArmBoot& a, const std::string& label_a,
                                          const kernel::arm::ArmBoot& b,
                                          const std::string& label_b) {
  return {{"schema", "ptsim.diff.arm/1"},
          {"a", arm_side_summary(a, label_a)},
          {"b", arm_side_summary(b, label_b)},
          {"constants", differing(arm_constants_json(a), arm_constants_json(b))},
          {"swapper_pg_dir",
           {{"a", arm_stats_json(arm_table_stats(a))}, {"b", arm_stats_json(arm_table_stats(b))}}},
          {"ranges", ranges_mapped_differently(arm_runs(a), arm_runs(b))}};
}

}  // namespace ptsim::report
