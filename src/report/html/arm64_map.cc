#include "ptsim/report/html/arm64_map.h"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>

#include "ptsim/hw/arch/arm64/granule.h"
#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/report/arm64_boot_report.h"
#include "ptsim/report/html/memblock_ranges.h"

namespace ptsim::report::html {
namespace {

using hw::arm64::WalkRequest;

// Linux's name for a hardware level: the top table is the pgd whatever its
// level, the levels below keep their names (the folding of
// include/asm-generic/pgtable-nopud.h and -nopmd.h, arch/arm64 v6.1).
std::string linux_level(int hw_level, int start_level) {
  static constexpr const char* kNames[] = {"PGD", "P4D", "PUD", "PMD", "PTE"};  // levels -1..3
  return hw_level == start_level ? "PGD" : kNames[hw_level + 1];
}

std::string step_kind(hw::arm64::DescriptorKind kind) {
  return hw::arm64::descriptor_kind_name(kind);
}

// The walk of `va` as the page shows it: one row per descriptor read.
std::vector<WalkEntry> walk_rows(const hw::PhysMem& mem, const WalkRequest& req, uint64_t va) {
  const hw::arm64::WalkResult r = hw::arm64::walk(mem, req, va);
  const int start = hw::arm64::walk_start_level(req);
  std::vector<WalkEntry> rows;
  for (unsigned i = 0; i < r.step_count; ++i) {
    const hw::arm64::WalkStep& s = r.steps[i];
    rows.push_back({fmt::format("L{} {}", s.level, linux_level(s.level, start)),
                    s.entry_addr.value() - s.index * 8, s.index, s.raw, step_kind(s.kind)});
  }
  return rows;
}

// Every leaf of one root merged into runs (as arm64_root_mappings merges
// them: one level, the same attribute bits, VA and PA contiguous), each
// run with the walk of its first address; the table pages met on the way.
struct RootScan {
  std::vector<Mapping> mappings;
  std::map<int, std::vector<uint64_t>> tables;  // hardware level -> table PAs
};

RootScan scan_root(const hw::PhysMem& mem, const std::string& name, const WalkRequest& req) {
  RootScan scan;
  const int start = hw::arm64::walk_start_level(req);
  uint64_t pa_next = 0;
  uint64_t prot = 0;
  int level = 0;  // of the run being extended
  const auto flush_walk = [&] {
    if (!scan.mappings.empty() && scan.mappings.back().walk.empty()) {
      scan.mappings.back().walk = walk_rows(mem, req, scan.mappings.back().first);
    }
  };
  hw::arm64::for_each_leaf(
      mem, req,
      {[&](const hw::arm64::Leaf& leaf) {
         // Called for every leaf (2^28 of them for 1 TiB in pages): no
         // allocation until a run ends.
         const uint64_t leaf_prot = ptdump_arm64_prot_bits(leaf.desc);
         if (!scan.mappings.empty()) {
           Mapping& run = scan.mappings.back();
           if (run.last + 1 == leaf.va && level == leaf.level && prot == leaf_prot &&
               pa_next == leaf.oa.value()) {
             run.last += leaf.size;
             pa_next += leaf.size;
             return;
           }
         }
         flush_walk();
         Mapping m;
         m.root = name;
         m.first = leaf.va;
         m.last = leaf.va + (leaf.size - 1);
         m.pa = leaf.oa.value();
         m.level = linux_level(leaf.level, start);
         m.kind = leaf.level == 3 ? "page" : "block";
         m.attrs = ptdump_arm64_attr_words(leaf.desc);
         m.contiguous = std::find(m.attrs.begin(), m.attrs.end(), "CON") != m.attrs.end();
         m.perm = perm_class(m.attrs);
         m.memtype = memtype_class(m.attrs);
         scan.mappings.push_back(std::move(m));
         pa_next = leaf.oa.value() + leaf.size;
         prot = leaf_prot;
         level = leaf.level;
       },
       [&](const hw::arm64::TableVisit& t) { scan.tables[t.level].push_back(t.table.value()); },
       {}});
  flush_walk();
  return scan;
}

void add_tables(MapModel& model, const RootScan& scan, uint64_t table_bytes) {
  for (const auto& [level, tables] : scan.tables) {
    for (const uint64_t pa : tables) {
      model.phys.push_back({"table", pa, table_bytes, "page tables"});
    }
  }
}

std::vector<LevelCost> scan_cost(const RootScan& scan, int start, uint64_t table_bytes) {
  std::vector<LevelCost> cost;
  for (const auto& [level, tables] : scan.tables) {
    cost.push_back({linux_level(level, start), tables.size(), tables.size() * table_bytes});
  }
  return cost;
}

// What a boot's tables cost per Linux level, the tables counted once each
// (as arm64_table_stats counts them); a pgd can be smaller than a page
// (PGD_SIZE).
std::vector<LevelCost> linux_level_cost(const kernel::Geometry& g, const RootScan& scan) {
  std::vector<LevelCost> cost;
  for (const auto& [hw_level, tables] : scan.tables) {
    const auto level = g.kernel_level(hw_level);
    if (!level) {
      continue;
    }
    const uint64_t n = std::set<uint64_t>(tables.begin(), tables.end()).size();
    cost.push_back({std::string(kernel::pg_level_name(*level)), n, n * g.table_bytes(*level)});
  }
  return cost;
}

void add_root(MapModel& model, const RootScan& scan) {
  model.mappings.insert(model.mappings.end(), scan.mappings.begin(), scan.mappings.end());
}

std::optional<kernel::arm64::TableRoot> find_root(const kernel::arm64::Arm64Kernel& k,
                                                  const std::string& name) {
  for (const auto& r : k.roots()) {
    if (r.name == name) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace

MapModel arm64_map_model(const kernel::arm64::Arm64Kernel& k) {
  const kernel::arm64::Layout& l = k.layout();
  const auto& g = k.geometry();
  MapModel model;
  model.title = "ptsim boot --arch arm64";
  model.subtitle = fmt::format("Linux 6.1 arm64, {}", g.describe());
  model.arch = "arm64";
  model.va_width = 64;
  model.regions = {
      {"user", 0, (uint64_t{1} << g.va_bits) - 1},
      {"linear map", l.page_offset, l.page_end - 1},
      {"modules", l.modules_vaddr, l.modules_end - 1},
      {"vmalloc", l.vmalloc_start, l.vmalloc_end - 1},
      {"kernel image", k.va_symbol("_text"), k.va_symbol("_end") - 1},
      {"fixmap", l.fixaddr_start, l.fixaddr_top - 1},
      {"PCI I/O", l.pci_io_start, l.pci_io_end - 1},
      {"vmemmap", l.vmemmap_start, l.vmemmap_end - 1},
  };
  const uint64_t page = g.page_size();
  std::vector<std::string> drawn = {"swapper_pg_dir"};
  // The idmap TTBR0 holds after paging_init, else the early one of head.S.
  drawn.push_back(find_root(k, "idmap_pg_dir") ? "idmap_pg_dir" : "init_idmap_pg_dir");
  for (const std::string& name : drawn) {
    const auto root = find_root(k, name);
    if (!root) {
      continue;
    }
    const RootScan scan = scan_root(k.mem(), name, arm64_root_walk_request(k, *root));
    add_root(model, scan);
    add_tables(model, scan, page);
    if (!root->upper_half && !scan.mappings.empty()) {
      model.regions.push_back({"idmap", scan.mappings.front().first, scan.mappings.back().last});
    }
    if (name == "swapper_pg_dir") {
      model.table_cost = linux_level_cost(k.geometry(), scan);
    }
  }
  for (PhysRange& r : memblock_ranges(k.memblock())) {
    model.phys.push_back(std::move(r));
  }
  model.phys = merge_phys(std::move(model.phys));
  aggregate(model);
  return model;
}

MapModel arm64_image_map_model(const hw::PhysMem& mem, const std::vector<Arm64ImageRoot>& roots,
                               const std::vector<AddrMarker>& markers) {
  MapModel model;
  model.title = "ptsim ptdump --mem";
  model.subtitle = "translation tables read from a memory image";
  model.arch = "arm64";
  model.va_width = 64;
  add_marker_regions(model, markers);
  add_memory_banks(model, mem);
  for (const Arm64ImageRoot& root : roots) {
    const WalkRequest& req = root.request;
    const uint64_t span = req.ia_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << req.ia_bits) - 1;
    model.regions.push_back(
        {root.name + " range", req.upper_half ? ~span : 0, req.upper_half ? ~uint64_t{0} : span});
    const RootScan scan = scan_root(mem, root.name, req);
    add_root(model, scan);
    const uint64_t table_bytes = hw::arm64::granule_size(req.format.granule);
    add_tables(model, scan, table_bytes);
    for (LevelCost& c : scan_cost(scan, hw::arm64::walk_start_level(req), table_bytes)) {
      c.level = roots.size() > 1 ? root.name + " " + c.level : c.level;
      model.table_cost.push_back(std::move(c));
    }
  }
  model.phys = merge_phys(std::move(model.phys));
  aggregate(model);
  return model;
}

}  // namespace ptsim::report::html
