#include "ptsim/report/machine_report.h"

#include <fmt/format.h>

#include "ptsim/report/format.h"

namespace ptsim::report {
namespace {

using machine::CommandLine;
using machine::CrashKernel;
using machine::Machine;
using machine::Range;
using machine::ReservedRegion;

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

// "0x40000000-0x7fffffff (1G)": inclusive end, as /proc/iomem shows ranges.
std::string span(const Range& r) {
  if (r.size == 0) {
    return fmt::format("{:#010x} (empty)", r.base);
  }
  return fmt::format("{:#010x}-{:#010x} ({})", r.base, r.base + (r.size - 1), human_size(r.size));
}

std::string flags(const ReservedRegion& r) {
  std::string out;
  for (const auto& [on, word] : {std::pair{r.no_map, "no-map"}, std::pair{r.reusable, "reusable"},
                                 std::pair{r.linux_cma_default, "linux,cma-default"}}) {
    if (on) {
      out += fmt::format(" {}", word);
    }
  }
  if (!r.compatible.empty()) {
    out += fmt::format(" [{}]", fmt::join(r.compatible, ", "));
  }
  return out;
}

std::string reserved_line(const ReservedRegion& r) {
  std::string where;
  if (!r.reg.empty()) {
    std::vector<std::string> parts;
    for (const Range& g : r.reg) {
      parts.push_back(span(g));
    }
    where = fmt::format("{}", fmt::join(parts, ", "));
  } else {
    where = fmt::format("dynamic, size {}", r.size ? human_size(*r.size) : "?");
    if (r.alignment) {
      where += fmt::format(", alignment {}", hex(*r.alignment));
    }
    for (const Range& g : r.alloc_ranges) {
      where += fmt::format(", alloc-range {}", span(g));
    }
  }
  std::string line = fmt::format("  {}: {}{}", r.name, where, flags(r));
  if (!r.linux_error.empty()) {
    line += fmt::format("  (Linux skips it: {})", r.linux_error);
  }
  return line;
}

std::string crashkernel_text(const CrashKernel& c) {
  switch (c.kind) {
    case CrashKernel::Kind::high:
      return fmt::format("{} high", human_size(c.size));
    case CrashKernel::Kind::low:
      return fmt::format("{} low", human_size(c.size));
    case CrashKernel::Kind::simple:
      return c.offset ? fmt::format("{} at {}", human_size(c.size), hex(*c.offset))
                      : human_size(c.size);
    case CrashKernel::Kind::ranges:
      break;
  }
  std::vector<std::string> parts;
  for (const auto& r : c.ranges) {
    parts.push_back(fmt::format("RAM {}-{}: {}", human_size(r.start),
                                r.end ? human_size(*r.end) : "", human_size(r.size)));
  }
  return fmt::format("{}{}", fmt::join(parts, ", "), c.offset ? " at " + hex(*c.offset) : "");
}

void cmdline_text(std::string& out, const CommandLine& c, const std::string& origin) {
  out += fmt::format("command line ({}): \"{}\"\n", origin, c.text);
  for (const auto& m : c.mem) {
    out += fmt::format("  mem: {}{}\n", human_size(m.size), m.start ? " at " + hex(*m.start) : "");
  }
  if (c.vmalloc) {
    out += fmt::format("  vmalloc: {}\n", human_size(*c.vmalloc));
  }
  if (c.initrd) {
    out += fmt::format("  initrd: {}\n", span(*c.initrd));
  }
  if (c.rodata) {
    static constexpr const char* names[] = {"full", "on", "off"};
    out += fmt::format("  rodata: {}\n", names[static_cast<int>(*c.rodata)]);
  }
  if (c.nokaslr) {
    out += "  nokaslr\n";
  }
  if (c.memblock_debug) {
    out += "  memblock=debug\n";
  }
  for (const auto* ck : {&c.crashkernel, &c.crashkernel_high, &c.crashkernel_low}) {
    if (*ck) {
      out += fmt::format("  crashkernel: {}\n", crashkernel_text(**ck));
    }
  }
  if (c.earlycon) {
    const auto& e = *c.earlycon;
    out += e.from_stdout_path ? "  earlycon: the stdout-path UART\n"
                              : fmt::format("  earlycon: {}{}{}{}\n", e.name,
                                            e.iotype.empty() ? "" : " " + e.iotype,
                                            e.address ? " at " + hex(*e.address) : "",
                                            e.options.empty() ? "" : " " + e.options);
  }
  if (c.kpti) {
    out += fmt::format("  kpti: {}\n", *c.kpti ? "forced on" : "forced off");
  }
  for (const auto& p : c.other) {
    out += fmt::format("  other: {}{}\n", p.name, p.value ? "=" + *p.value : "");
  }
  if (!c.init_args.empty()) {
    out += fmt::format("  for init: {}\n", c.init_args);
  }
}

using SymbolList = std::vector<std::pair<const char*, std::optional<uint64_t>>>;

// The image layout's symbols in link order, for both reports.
std::optional<std::pair<std::string, SymbolList>> image_symbols(const MachineInputs& in) {
  if (in.arm64_image) {
    const auto& l = *in.arm64_image;
    return std::pair{l.source, SymbolList{{"_text", l.text},
                                          {"_stext", l.stext},
                                          {"_etext", l.etext},
                                          {"__start_rodata", l.start_rodata},
                                          {"__inittext_begin", l.inittext_begin},
                                          {"__inittext_end", l.inittext_end},
                                          {"__initdata_begin", l.initdata_begin},
                                          {"__initdata_end", l.initdata_end},
                                          {"_data", l.data},
                                          {"_end", l.end},
                                          {"swapper_pg_dir", l.swapper_pg_dir},
                                          {"init_pg_dir", l.init_pg_dir},
                                          {"init_pg_end", l.init_pg_end},
                                          {"init_idmap_pg_dir", l.init_idmap_pg_dir},
                                          {"init_idmap_pg_end", l.init_idmap_pg_end},
                                          {"idmap_pg_dir", l.idmap_pg_dir},
                                          {"reserved_pg_dir", l.reserved_pg_dir},
                                          {"tramp_pg_dir", l.tramp_pg_dir}}};
  }
  if (in.arm_image) {
    const auto& l = *in.arm_image;
    return std::pair{l.source, SymbolList{{"swapper_pg_dir", l.swapper_pg_dir},
                                          {"_text", l.text},
                                          {"_stext", l.stext},
                                          {"_etext", l.etext},
                                          {"__start_rodata", l.start_rodata},
                                          {"__init_begin", l.init_begin},
                                          {"__vectors_start", l.vectors_start},
                                          {"__stubs_start", l.stubs_start},
                                          {"__init_end", l.init_end},
                                          {"_sdata", l.sdata},
                                          {"_end", l.end}}};
  }
  return std::nullopt;
}

void image_text(std::string& out, const MachineInputs& in) {
  const auto image = image_symbols(in);
  if (!image) {
    return;
  }
  out += fmt::format("kernel image ({}):\n", image->first);
  for (const auto& [name, v] : image->second) {
    if (v) {
      out += fmt::format("  {:<18} {:#x}\n", name, *v);
    }
  }
}

std::string preset_text(const machine::MachinePreset& p) {
  std::string out = fmt::format("board: {} ({}), kernel image {}", p.description,
                                p.arch == machine::Arch::arm64 ? "arm64" : "arm", p.kernel_image);
  if (p.arm_page_offset != 0) {
    out += fmt::format(", PAGE_OFFSET {:#x}", p.arm_page_offset);
  }
  if (p.kernel_load_address != 0) {
    out += fmt::format(", loaded at {:#x}", p.kernel_load_address);
  }
  return out + "\n";
}

nlohmann::json range_json(const Range& r) {
  return {{"base", hex(r.base)}, {"size", r.size}};
}

nlohmann::json reserved_json(const ReservedRegion& r) {
  nlohmann::json j = {{"name", r.name},
                      {"compatible", r.compatible},
                      {"no_map", r.no_map},
                      {"reusable", r.reusable},
                      {"linux_cma_default", r.linux_cma_default},
                      {"dynamic", r.is_dynamic()}};
  j["reg"] = nlohmann::json::array();
  for (const Range& g : r.reg) {
    j["reg"].push_back(range_json(g));
  }
  if (r.size) {
    j["size"] = *r.size;
  }
  if (r.alignment) {
    j["alignment"] = hex(*r.alignment);
  }
  j["alloc_ranges"] = nlohmann::json::array();
  for (const Range& g : r.alloc_ranges) {
    j["alloc_ranges"].push_back(range_json(g));
  }
  if (!r.linux_error.empty()) {
    j["linux_error"] = r.linux_error;
  }
  return j;
}

nlohmann::json cmdline_json(const CommandLine& c, const std::string& origin) {
  nlohmann::json j = {{"text", c.text},
                      {"origin", origin},
                      {"nokaslr", c.nokaslr},
                      {"memblock_debug", c.memblock_debug}};
  j["mem"] = nlohmann::json::array();
  for (const auto& m : c.mem) {
    nlohmann::json e = {{"size", m.size}};
    if (m.start) {
      e["start"] = hex(*m.start);
    }
    j["mem"].push_back(e);
  }
  if (c.vmalloc) {
    j["vmalloc"] = *c.vmalloc;
  }
  if (c.initrd) {
    j["initrd"] = range_json(*c.initrd);
  }
  if (c.rodata) {
    static constexpr const char* names[] = {"full", "on", "off"};
    j["rodata"] = names[static_cast<int>(*c.rodata)];
  }
  for (const auto& [key, ck] : {std::pair{"crashkernel", &c.crashkernel},
                                std::pair{"crashkernel_high", &c.crashkernel_high},
                                std::pair{"crashkernel_low", &c.crashkernel_low}}) {
    if (*ck) {
      j[key] = crashkernel_text(**ck);
    }
  }
  if (c.earlycon) {
    const auto& e = *c.earlycon;
    j["earlycon"] = {{"from_stdout_path", e.from_stdout_path},
                     {"name", e.name},
                     {"iotype", e.iotype},
                     {"options", e.options}};
    if (e.address) {
      j["earlycon"]["address"] = hex(*e.address);
    }
  }
  if (c.kpti) {
    j["kpti"] = *c.kpti;
  }
  j["other"] = nlohmann::json::array();
  for (const auto& p : c.other) {
    j["other"].push_back(p.value ? nlohmann::json{{"name", p.name}, {"value", *p.value}}
                                 : nlohmann::json{{"name", p.name}});
  }
  j["init_args"] = c.init_args;
  j["notes"] = c.notes;
  return j;
}

}  // namespace

std::string machine_text(const MachineInputs& in) {
  const Machine& m = in.machine;
  std::string out = fmt::format("machine: {}\n", m.source);
  if (in.preset != nullptr) {
    out += preset_text(*in.preset);
  }
  out += fmt::format("model: {}\n", m.model.empty() ? "(none)" : m.model);
  out += fmt::format("compatible: {}\n", fmt::join(m.compatible, ", "));
  out +=
      fmt::format("root cells: #address-cells {}, #size-cells {}\n", m.address_cells, m.size_cells);
  out += fmt::format("memory: {} bank{}, {}\n", m.memory.size(), m.memory.size() == 1 ? "" : "s",
                     human_size(m.ram_size()));
  for (const auto& b : m.memory) {
    out += fmt::format("  {}  {}{}\n", span(Range{b.base, b.size}), b.node,
                       b.hotpluggable ? " hotpluggable" : "");
  }
  out += fmt::format("memreserve:{}\n", m.memreserve.empty() ? " none" : "");
  for (const auto& r : m.memreserve) {
    out += fmt::format("  {}\n", span(r));
  }
  out += fmt::format("reserved-memory:{}\n", m.reserved.empty() ? " none" : "");
  for (const auto& r : m.reserved) {
    out += reserved_line(r) + "\n";
  }
  const auto& c = m.chosen;
  out += fmt::format("chosen:{}\n", c.present ? "" : " none");
  if (c.bootargs) {
    out += fmt::format("  bootargs: \"{}\"\n", *c.bootargs);
  }
  if (c.initrd) {
    out += fmt::format("  initrd: {:#x}-{:#x} ({}-bit cells)\n", c.initrd->start, c.initrd->end,
                       c.initrd->cells * 32);
  }
  for (const auto& r : c.usable_memory) {
    out += fmt::format("  usable-memory-range: {}\n", span(r));
  }
  if (c.kaslr_seed) {
    out += fmt::format("  kaslr-seed: {:#018x}\n", *c.kaslr_seed);
  }
  if (c.stdout_path) {
    out += fmt::format("  stdout-path: {}\n", *c.stdout_path);
  }
  if (m.uart) {
    out += fmt::format("uart: {} {} [{}]\n", m.uart->node,
                       m.uart->reg ? span(*m.uart->reg) : "(no address)",
                       fmt::join(m.uart->compatible, ", "));
  }
  if (in.cmdline) {
    cmdline_text(out, *in.cmdline, in.cmdline_origin);
  }
  image_text(out, in);
  std::vector<std::string> notes = m.notes;
  if (in.cmdline) {
    notes.insert(notes.end(), in.cmdline->notes.begin(), in.cmdline->notes.end());
  }
  for (const auto& n : notes) {
    out += fmt::format("note: {}\n", n);
  }
  return out;
}

nlohmann::json machine_json(const MachineInputs& in) {
  const Machine& m = in.machine;
  nlohmann::json j = {{"schema", "ptsim.machine/1"},
                      {"source", m.source},
                      {"model", m.model},
                      {"compatible", m.compatible},
                      {"address_cells", m.address_cells},
                      {"size_cells", m.size_cells},
                      {"ram_size", m.ram_size()},
                      {"notes", m.notes}};
  if (in.preset != nullptr) {
    const machine::MachinePreset& p = *in.preset;
    j["preset"] = {{"name", p.name},
                   {"arch", p.arch == machine::Arch::arm64 ? "arm64" : "arm"},
                   {"kernel_image", p.kernel_image},
                   {"arm_page_offset", hex(p.arm_page_offset)},
                   {"kernel_load_address", hex(p.kernel_load_address)}};
  }
  j["memory"] = nlohmann::json::array();
  for (const auto& b : m.memory) {
    j["memory"].push_back({{"base", hex(b.base)},
                           {"size", b.size},
                           {"node", b.node},
                           {"hotpluggable", b.hotpluggable}});
  }
  j["memreserve"] = nlohmann::json::array();
  for (const auto& r : m.memreserve) {
    j["memreserve"].push_back(range_json(r));
  }
  j["reserved_memory"] = nlohmann::json::array();
  for (const auto& r : m.reserved) {
    j["reserved_memory"].push_back(reserved_json(r));
  }
  const auto& c = m.chosen;
  nlohmann::json chosen = {{"present", c.present}};
  if (c.bootargs) {
    chosen["bootargs"] = *c.bootargs;
  }
  if (c.initrd) {
    chosen["initrd"] = {
        {"start", hex(c.initrd->start)}, {"end", hex(c.initrd->end)}, {"cells", c.initrd->cells}};
  }
  chosen["usable_memory_range"] = nlohmann::json::array();
  for (const auto& r : c.usable_memory) {
    chosen["usable_memory_range"].push_back(range_json(r));
  }
  if (c.kaslr_seed) {
    chosen["kaslr_seed"] = hex(*c.kaslr_seed);
  }
  if (c.stdout_path) {
    chosen["stdout_path"] = *c.stdout_path;
  }
  j["chosen"] = chosen;
  if (m.uart) {
    j["uart"] = {{"node", m.uart->node}, {"compatible", m.uart->compatible}};
    if (m.uart->reg) {
      j["uart"]["reg"] = range_json(*m.uart->reg);
    }
  }
  if (in.cmdline) {
    j["cmdline"] = cmdline_json(*in.cmdline, in.cmdline_origin);
  }
  if (const auto image = image_symbols(in)) {
    nlohmann::json symbols = nlohmann::json::object();
    for (const auto& [name, v] : image->second) {
      if (v) {
        symbols[name] = hex(*v);
      }
    }
    j["kernel_image"] = {{"source", image->first}, {"symbols", symbols}};
  }
  return j;
}

}  // namespace ptsim::report
