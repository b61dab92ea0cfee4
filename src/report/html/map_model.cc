#include "ptsim/report/html/map_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace ptsim::report::html {
namespace {

bool has(const std::vector<std::string>& attrs, std::string_view word) {
  return std::find(attrs.begin(), attrs.end(), word) != attrs.end();
}

bool starts_with_any(const std::string& word, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return word.starts_with(p); });
}

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

bool same_class(const Mapping& a, const Mapping& b) {
  return a.root == b.root && a.kind == b.kind && a.contiguous == b.contiguous && a.perm == b.perm &&
         a.memtype == b.memtype && a.last + 1 == b.first;
}

}  // namespace

std::string perm_class(const std::vector<std::string>& attrs) {
  // dump.c and ptdump.c print "RW" for a writable entry and "ro" otherwise,
  // "NX" for a privileged-execute-never one and "x" otherwise.
  std::string perm = has(attrs, "RW") ? "RW" : "RO";
  if (!has(attrs, "NX")) {
    perm = perm == "RW" ? "RWX" : "RX";
  }
  return has(attrs, "USR") ? "USR " + perm : perm;
}

std::string memtype_class(const std::vector<std::string>& attrs) {
  for (const std::string& w : attrs) {
    if (w == "MEM/NORMAL-TAGGED") {
      return "tagged";
    }
    if (w == "MEM/NORMAL-NC" || w == "MEM/BUFFERABLE/WC" || w == "DEV/WC") {
      return "normal-nc";
    }
    if (starts_with_any(w, {"DEVICE/", "DEV/", "SO/"})) {
      return "device";
    }
    if (starts_with_any(w, {"MEM/"})) {
      return "normal";
    }
  }
  return "unknown";
}

void aggregate(MapModel& model, size_t cap) {
  std::vector<Mapping>& maps = model.mappings;
  if (maps.size() <= cap) {
    return;
  }
  const size_t before = maps.size();
  std::vector<Mapping> merged;
  merged.reserve(before);
  for (Mapping& m : maps) {
    if (!merged.empty() && same_class(merged.back(), m)) {
      merged.back().last = m.last;
      merged.back().runs += m.runs;
      continue;
    }
    merged.push_back(std::move(m));
  }
  maps = std::move(merged);
  model.notes.push_back(fmt::format(
      "{} mapping runs were aggregated into {}: neighbours with the same permission, memory type "
      "and kind are drawn as one (its walk and PA are the first run's)",
      before, maps.size()));
  if (maps.size() <= cap) {
    return;
  }
  model.notes.push_back(
      fmt::format("only the first {} of {} mappings are drawn", cap, maps.size()));
  maps.resize(cap);
}

void add_marker_regions(MapModel& model, const std::vector<AddrMarker>& markers) {
  const uint64_t top = model.va_width >= 64 ? ~uint64_t{0} : (uint64_t{1} << model.va_width) - 1;
  for (size_t i = 0; i < markers.size(); ++i) {
    const uint64_t last = i + 1 < markers.size() ? markers[i + 1].start_address - 1 : top;
    if (last >= markers[i].start_address) {
      model.regions.push_back({markers[i].name, markers[i].start_address, last});
    }
  }
}

void add_memory_banks(MapModel& model, const hw::PhysMem& mem) {
  for (const hw::Bank& b : mem.banks()) {
    const bool ram = b.kind == hw::BankKind::ram;
    model.phys.push_back({ram ? "ram" : "device", b.base.value(), b.size,
                          b.name.empty() ? (ram ? "memory image" : "device") : b.name});
  }
}

std::vector<PhysRange> merge_phys(std::vector<PhysRange> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const PhysRange& a, const PhysRange& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.base < b.base;
  });
  std::vector<PhysRange> out;
  for (PhysRange& r : ranges) {
    if (!out.empty() && out.back().kind == r.kind && r.base <= out.back().base + out.back().size &&
        out.back().label == r.label) {
      const uint64_t end = std::max(out.back().base + out.back().size, r.base + r.size);
      out.back().size = end - out.back().base;
      continue;
    }
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PhysRange& a, const PhysRange& b) { return a.base < b.base; });
  return out;
}

nlohmann::json map_model_json(const MapModel& model) {
  using nlohmann::json;
  json regions = json::array();
  for (const Region& r : model.regions) {
    regions.push_back({{"name", r.name}, {"first", hex(r.first)}, {"last", hex(r.last)}});
  }
  json mappings = json::array();
  for (const Mapping& m : model.mappings) {
    json walk = json::array();
    for (const WalkEntry& e : m.walk) {
      walk.push_back({{"level", e.level},
                      {"table", hex(e.table)},
                      {"index", e.index},
                      {"desc", fmt::format("{:#018x}", e.desc)},
                      {"kind", e.kind}});
    }
    mappings.push_back({{"root", m.root},
                        {"first", hex(m.first)},
                        {"last", hex(m.last)},
                        {"pa", hex(m.pa)},
                        {"level", m.level},
                        {"kind", m.kind},
                        {"contiguous", m.contiguous},
                        {"perm", m.perm},
                        {"memtype", m.memtype},
                        {"attrs", m.attrs},
                        {"runs", m.runs},
                        {"walk", walk}});
  }
  json phys = json::array();
  for (const PhysRange& p : model.phys) {
    phys.push_back(
        {{"kind", p.kind}, {"base", hex(p.base)}, {"size", hex(p.size)}, {"label", p.label}});
  }
  json cost = json::array();
  for (const LevelCost& c : model.table_cost) {
    cost.push_back({{"level", c.level}, {"tables", c.tables}, {"bytes", c.bytes}});
  }
  return {{"schema", "ptsim.html-map/1"}, {"title", model.title},
          {"subtitle", model.subtitle},   {"arch", model.arch},
          {"va_width", model.va_width},   {"regions", regions},
          {"mappings", mappings},         {"phys", phys},
          {"table_cost", cost},           {"notes", model.notes}};
}

}  // namespace ptsim::report::html
