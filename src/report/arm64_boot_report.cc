#include "ptsim/report/arm64_boot_report.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/kernel/arch/arm64/memory.h"
#include "ptsim/report/arm64_mappings.h"
#include "ptsim/report/format.h"
#include "ptsim/report/memblock_report.h"

namespace ptsim::report {
namespace {

using kernel::arm64::Arm64Kernel;
using kernel::arm64::Layout;

// memory.rst prints sizes in the largest unit, rounded: " 256TB", " 124TB"
// (the vmalloc area is 16 KiB short of 124 TiB).
std::string rst_size(uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (u < 5 && bytes >> (10 * (u + 1)) != 0) {
    ++u;
  }
  const uint64_t unit = uint64_t{1} << (10 * u);
  return fmt::format("{:>4}{}", (bytes + unit / 2) / unit, units[u]);
}

}  // namespace

std::vector<AddrMarker> arm64_address_markers(const Layout& l) {
  return {
      {l.page_offset, "Linear Mapping start"}, {l.page_end, "Linear Mapping end"},
      {l.modules_vaddr, "Modules start"},      {l.modules_end, "Modules end"},
      {l.vmalloc_start, "vmalloc() area"},     {l.vmalloc_end, "vmalloc() end"},
      {l.fixaddr_start, "Fixmap start"},       {l.fixaddr_top, "Fixmap end"},
      {l.pci_io_start, "PCI I/O start"},       {l.pci_io_end, "PCI I/O end"},
      {l.vmemmap_start, "vmemmap start"},      {l.vmemmap_end, "vmemmap end"},
  };
}

std::string arm64_layout_text(const Arm64Kernel& k) {
  const Layout& l = k.layout();
  const auto& g = k.geometry();
  std::string out = fmt::format("AArch64 Linux memory layout with {}KB pages + {} levels ({}-bit):\n\n",
                                g.page_size() / 1024, g.pgtable_levels, g.va_bits);
  out += "  Start\t\t\tEnd\t\t\tSize\t\tUse\n";
  out += "  -----------------------------------------------------------------------\n";
  const auto row = [&](uint64_t start, uint64_t end_inclusive, const char* use) {
    out += fmt::format("  {:016x}\t{:016x}\t{}\t\t{}\n", start, end_inclusive, rst_size(end_inclusive - start + 1),
                       use);
  };
  row(0, (uint64_t{1} << g.va_bits) - 1, "user");
  row(l.page_offset, l.page_end - 1, "kernel logical memory map");
  row(l.modules_vaddr, l.modules_end - 1, "modules");
  row(l.vmalloc_start, l.vmalloc_end - 1, "vmalloc");
  row(l.vmalloc_end, l.fixaddr_top - 1, "fixed mappings (top down)");
  row(l.fixaddr_top, l.pci_io_start - 1, "[guard region]");
  row(l.pci_io_start, l.pci_io_end - 1, "PCI I/O space");
  row(l.pci_io_end, l.vmemmap_start - 1, "[guard region]");
  row(l.vmemmap_start, l.vmemmap_end - 1, "vmemmap");
  row(l.vmemmap_end, ~uint64_t{0}, "[guard region]");
  out += fmt::format(
      "\nThis boot: FIXADDR_START {:#x} ({} fixmap slots), kernel image at {:#x}, memstart_addr {:#x}, "
      "high_memory {:#x}\n",
      l.fixaddr_start, l.fix.end_of_permanent_fixed_addresses, k.va_symbol("_text"), k.memstart_addr(),
      k.high_memory());
  return out;
}

std::string memblock_debugfs_text(const kernel::Memblock& mb) {
  return fmt::format("/sys/kernel/debug/memblock/memory:\n{}/sys/kernel/debug/memblock/reserved:\n{}",
                     mb.memblock_debug_show(mb.memory()), mb.memblock_debug_show(mb.reserved()));
}

std::string arm64_boot_ptdump(const Arm64Kernel& k) {
  PtdumpArm64Input in;
  in.format.granule = hw::arm64::granule_from_shift(k.geometry().page_shift);
  in.va_bits = k.geometry().va_bits;
  in.upper = true;
  in.pgd = hw::PhysAddr(k.registers().ttbr1_el1);
  in.start = k.layout().page_offset;
  in.markers = arm64_address_markers(k.layout());
  return ptdump_arm64(k.mem(), in);
}

std::string arm64_boot_trace(const Arm64Kernel& k) {
  std::string out;
  for (const auto& e : k.trace()) {
    out += fmt::format("{}: {}\n", e.function, e.text);
  }
  return out;
}

std::string arm64_boot_summary(const Arm64Kernel& k) {
  const auto& regs = k.registers();
  std::string out = fmt::format("Linux 6.1 arm64 boot: {}\n", k.geometry().describe());
  out += fmt::format("  kernel image: _text {:#x} at PA {:#x} (kimage_voffset {:#x}, KASLR offset {:#x})\n",
                     k.va_symbol("_text"), k.pa_symbol("_text"), k.kimage_voffset(), k.kaslr_offset());
  out += fmt::format("  memblock: {} memory region(s), {} of RAM; {} reserved region(s), {}\n",
                     k.memblock().memory().cnt, human_size(k.memblock().memblock_phys_mem_size()),
                     k.memblock().reserved().cnt, human_size(k.memblock().memblock_reserved_size()));
  out += fmt::format("  linear map: memstart_addr {:#x}, PAGE_OFFSET {:#x}, high_memory {:#x}, rodata={}\n",
                     k.memstart_addr(), k.layout().page_offset, k.high_memory(),
                     k.rodata_full() ? "full" : "on/off");
  out += fmt::format("  TTBR0_EL1 {:#x}  TTBR1_EL1 {:#x}  TCR_EL1 {:#x}  idmap_t0sz {}\n", regs.ttbr0_el1,
                     regs.ttbr1_el1, regs.tcr_el1, regs.idmap_t0sz);
  const uint64_t tables = k.table_pages();
  out += fmt::format("  table pages from memblock: {} ({})\n", tables, human_size(tables * k.geometry().page_size()));
  for (const auto& root : k.roots()) {
    out += fmt::format("  root {:<18} PA {:#x} ({})\n", root.name, root.pa, root.upper_half ? "TTBR1 range" : "TTBR0 range");
  }
  for (const auto& m : k.log().messages()) {
    out += fmt::format("  {}: {} ({})\n", m.kind == kernel::KernelMessage::Kind::warning ? "WARNING" : "note", m.text,
                       m.where);
  }
  return out;
}

hw::arm64::WalkRequest arm64_root_walk_request(const Arm64Kernel& k, const kernel::arm64::TableRoot& root) {
  hw::arm64::WalkRequest req;
  req.format.granule = hw::arm64::granule_from_shift(k.geometry().page_shift);
  req.format.oa = k.config().pa_bits == 52 ? hw::arm64::OaFormat::lpa : hw::arm64::OaFormat::pa48;
  req.table_base = hw::PhysAddr(root.pa);
  req.ia_bits = root.ia_bits;
  req.upper_half = root.upper_half;
  req.pa_bits = k.config().pa_bits;
  return req;
}

nlohmann::json arm64_root_mappings(const Arm64Kernel& k, const kernel::arm64::TableRoot& root) {
  static constexpr const char* kLevels[] = {"PGD", "P4D", "PUD", "PMD", "PTE"};
  const auto& g = k.geometry();
  // Linux's name for each Arm level, from the kernel's own folding.
  std::array<const char*, 5> level_names{"?", "?", "?", "?", "?"};
  for (int hw_level = -1; hw_level <= 3; ++hw_level) {
    if (const auto kl = g.kernel_level(hw_level)) {
      level_names[static_cast<size_t>(hw_level + 1)] = kLevels[static_cast<int>(*kl)];
    }
  }
  return {{"root", fmt::format("{:#x}", root.pa)},
          {"mappings", arm64_mapping_runs(k.mem(), arm64_root_walk_request(k, root), level_names)}};
}

nlohmann::json arm64_layout_json(const Arm64Kernel& k) {
  const Layout& l = k.layout();
  return {
      {"PAGE_OFFSET", fmt::format("{:#x}", l.page_offset)}, {"PAGE_END", fmt::format("{:#x}", l.page_end)},
      {"MODULES_VADDR", fmt::format("{:#x}", l.modules_vaddr)}, {"MODULES_END", fmt::format("{:#x}", l.modules_end)},
      {"KIMAGE_VADDR", fmt::format("{:#x}", l.kimage_vaddr)}, {"VMALLOC_START", fmt::format("{:#x}", l.vmalloc_start)},
      {"VMALLOC_END", fmt::format("{:#x}", l.vmalloc_end)}, {"FIXADDR_START", fmt::format("{:#x}", l.fixaddr_start)},
      {"FIXADDR_TOP", fmt::format("{:#x}", l.fixaddr_top)}, {"PCI_IO_START", fmt::format("{:#x}", l.pci_io_start)},
      {"PCI_IO_END", fmt::format("{:#x}", l.pci_io_end)}, {"VMEMMAP_START", fmt::format("{:#x}", l.vmemmap_start)},
      {"VMEMMAP_END", fmt::format("{:#x}", l.vmemmap_end)}, {"memstart_addr", fmt::format("{:#x}", k.memstart_addr())},
      {"high_memory", fmt::format("{:#x}", k.high_memory())}, {"kimage_voffset", fmt::format("{:#x}", k.kimage_voffset())},
  };
}

nlohmann::json arm64_boot_json(const Arm64Kernel& k) {
  const Layout& l = k.layout();
  const nlohmann::json layout = arm64_layout_json(k);
  nlohmann::json fixmap = nlohmann::json::object();
  for (const auto& [name, idx] : l.fix.named()) {
    fixmap[name] = idx;
  }
  nlohmann::json tables = nlohmann::json::object();
  for (const auto& root : k.roots()) {
    tables[root.name] = arm64_root_mappings(k, root);
  }
  nlohmann::json trace = nlohmann::json::array();
  for (const auto& e : k.trace()) {
    trace.push_back({{"function", e.function}, {"text", e.text}});
  }
  nlohmann::json log = nlohmann::json::array();
  for (const auto& m : k.log().messages()) {
    log.push_back({{"kind", m.kind == kernel::KernelMessage::Kind::warning ? "warning" : "info"},
                   {"where", m.where},
                   {"text", m.text}});
  }
  const auto& regs = k.registers();
  return {
      {"schema", "ptsim.boot.arm64/1"},
      {"geometry", k.geometry().describe()},
      {"layout", layout},
      {"fixmap", fixmap},
      {"registers",
       {{"TTBR0_EL1", fmt::format("{:#x}", regs.ttbr0_el1)},
        {"TTBR1_EL1", fmt::format("{:#x}", regs.ttbr1_el1)},
        {"TCR_EL1", fmt::format("{:#x}", regs.tcr_el1)},
        {"idmap_t0sz", regs.idmap_t0sz}}},
      {"memblock",
       {{"memory", memblock_regions_json(k.memblock().memory(), true)},
        {"reserved", memblock_regions_json(k.memblock().reserved(), true)}}},
      {"memblock_debug", k.memblock_debug_lines()},
      {"trace", trace},
      {"log", log},
      {"ptdump", arm64_boot_ptdump(k)},
      {"tables", tables},
  };
}

}  // namespace ptsim::report
