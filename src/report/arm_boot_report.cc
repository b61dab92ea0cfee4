#include "ptsim/report/arm_boot_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "ptsim/error.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/inputs.h"
#include "ptsim/machine/presets.h"
#include "ptsim/report/memblock_report.h"
#include "ptsim/report/ptdump_arm.h"

namespace ptsim::report {
namespace {

using kernel::arm::ArmBoot;
using kernel::arm::ArmBootInput;
using kernel::arm::ArmConfig;
using kernel::arm::ArmVersion;

constexpr uint64_t kLinkedPageOffset = 0xc0000000;

std::string hex(uint64_t v) {
  return fmt::format("{:#x}", v);
}

uint32_t moved(uint64_t va, uint32_t delta) {
  return static_cast<uint32_t>(va) + delta;
}

// Where QEMU's arm boot loader puts the DTB without an initrd: at the
// initrd slot, RAM base + min(RAM / 2, 128 MiB) (hw/arm/boot.c).
uint64_t qemu_dtb_address(const machine::Machine& m) {
  const machine::MemoryBank& b = m.memory.front();
  return b.base + std::min<uint64_t>(b.size / 2, 128ULL << 20);
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) {
    out += l;
    out += '\n';
  }
  return out;
}

}  // namespace

ArmBootInput arm_boot_input(const machine::Machine& m, const machine::ArmImageLayout& image,
                            const ArmConfig& config, uint64_t dtb_size) {
  ArmBootInput in;
  in.config = config;
  const uint32_t page_offset = kernel::arm::arm_layout(config).PAGE_OFFSET;
  // The image presets and most System.maps are linked for 3G/1G; a kernel
  // built for another split has the same layout PAGE_OFFSET apart.
  const uint32_t delta = image.text >= kLinkedPageOffset && page_offset != kLinkedPageOffset
                             ? static_cast<uint32_t>(page_offset - kLinkedPageOffset)
                             : 0;
  kernel::arm::ArmKernelImage& k = in.image;
  k.text = moved(image.text, delta);
  k.stext = moved(image.stext, delta);
  k.etext = moved(image.etext, delta);
  k.init_begin = moved(image.init_begin, delta);
  k.init_end = moved(image.init_end, delta);
  k.sdata = moved(image.sdata, delta);
  k.end = moved(image.end, delta);
  k.edata = moved(image.edata.value_or(image.end), delta);
  k.bss_start = moved(image.bss_start.value_or(image.end), delta);
  k.bss_stop = moved(image.bss_stop.value_or(image.end), delta);
  if (image.swapper_pg_dir) {
    k.swapper_pg_dir = moved(*image.swapper_pg_dir, delta);
  }
  if (image.start_rodata) {
    k.start_rodata = moved(*image.start_rodata, delta);
  }
  for (const machine::MemoryBank& b : m.memory) {
    in.memory.push_back({b.base, b.size});
  }
  for (const machine::Range& r : m.memreserve) {
    in.memreserve.emplace_back(r.base, r.size);
  }
  for (const machine::ReservedRegion& r : m.reserved) {
    if (!r.linux_error.empty()) {
      continue;
    }
    kernel::arm::ArmReservedMemory region;
    region.name = r.name;
    region.no_map = r.no_map;
    region.shared_dma_pool =
        std::find(r.compatible.begin(), r.compatible.end(), "shared-dma-pool") != r.compatible.end();
    region.reusable = r.reusable;
    region.cma_default = r.linux_cma_default;
    if (r.is_dynamic()) {
      region.dynamic = true;
      region.size = *r.size;
      region.alignment = r.alignment.value_or(0);
      for (const machine::Range& a : r.alloc_ranges) {
        region.alloc_ranges.emplace_back(a.base, a.size);
      }
      in.reserved_memory.push_back(region);
      continue;
    }
    // Linux reserves every reg pair (and records the first).
    for (const machine::Range& reg : r.reg) {
      region.base = reg.base;
      region.size = reg.size;
      in.reserved_memory.push_back(region);
    }
  }
  if (m.chosen.initrd) {
    in.dt_initrd = std::make_pair(m.chosen.initrd->start, m.chosen.initrd->end);
  }
  in.cmdline = m.chosen.bootargs.value_or("");
  if (!m.memory.empty()) {
    // QEMU puts the blob right after the initrd (page aligned), else where
    // the initrd would go.
    in.dtb_phys = m.chosen.initrd ? (m.chosen.initrd->end + 0xfff) & ~uint64_t{0xfff}
                                  : qemu_dtb_address(m);
    in.dtb_size = dtb_size;
  }
  return in;
}

ArmBootInput arm_boot_input(const BootArmOptions& o) {
  machine::MachineChoice choice;
  choice.preset = o.machine == "virt" ? "virt-arm" : o.machine;
  choice.dtb = o.dtb;
  choice.ram = o.ram;
  if (choice.preset.empty() && choice.dtb.empty()) {
    choice.preset = "vexpress-a9";
  }
  const machine::Machine m = machine::load_machine(choice);
  const machine::MachinePreset* preset =
      choice.preset.empty() ? nullptr : &machine::machine_preset(choice.preset);
  if (preset != nullptr && preset->arch != machine::Arch::arm) {
    throw usage_error(fmt::format("machine '{}' is an arm64 machine; ptsim boot --arch arm needs "
                                  "an arm one (virt-arm, vexpress-a9, rpi2)",
                                  preset->name));
  }

  ArmConfig config;
  config.version = kernel::arm::parse_arm_version(o.profile);
  config.lpae = o.lpae;
  config.xip_exiprom = o.xip_exiprom;
  // QEMU's vexpress-a9 with one Cortex-A9 runs the kernel as a uniprocessor
  // ("Memory policy: Data cache writeback"); virt's Cortex-A15 as SMP.
  const bool vexpress = std::find(m.compatible.begin(), m.compatible.end(),
                                  "arm,vexpress,v2p-ca9") != m.compatible.end();
  config.smp = o.smp.value_or(!vexpress);
  // Debian's 6.1 armmp kernels: CONFIG_CMA_SIZE_MBYTES=16.
  config.cma_size_mbytes = config.version == ArmVersion::v6_1 ? 16 : 0;
  if (!o.vmsplit.empty()) {
    config.vmsplit_user_gib = kernel::arm::parse_vmsplit(o.vmsplit);
  } else if (preset != nullptr && preset->arm_page_offset == 0x80000000) {
    config.vmsplit_user_gib = 2;
  }

  std::string image_name = o.kernel_image;
  if (o.kernel_symbols.empty() && image_name.empty()) {
    if (preset != nullptr) {
      image_name = std::string(preset->kernel_image);
    } else {
      image_name = config.version == ArmVersion::v6_1 ? "debian-6.1-armmp" : "seed-vexpress";
    }
    if (o.lpae && image_name == "debian-6.1-armmp") {
      image_name = "debian-6.1-armmp-lpae";
    }
  }
  const auto layout = machine::load_image_layout(o.kernel_symbols, image_name);
  if (!layout || !std::holds_alternative<machine::ArmImageLayout>(*layout)) {
    throw usage_error(
        fmt::format("kernel symbols '{}' are not a 32-bit arm kernel's (fix: for an arm64 kernel "
                    "drop --arch arm)",
                    o.kernel_symbols));
  }
  uint64_t dtb_size = 0;
  if (!o.dtb.empty()) {
    std::ifstream f(o.dtb, std::ios::binary | std::ios::ate);
    dtb_size = f ? static_cast<uint64_t>(f.tellg()) : 0;
  } else {
    dtb_size = machine::write_dtb(m).size();
  }
  ArmBootInput in =
      arm_boot_input(m, std::get<machine::ArmImageLayout>(*layout), config, dtb_size);
  if (o.cmdline) {
    in.cmdline = *o.cmdline;
  }
  if (o.stage == "final") {
    in.stage = ArmBootInput::Stage::final;
  } else if (o.stage != "paging_init") {
    throw usage_error(fmt::format("--stage '{}': arm offers paging_init and final", o.stage));
  }
  return in;
}

ArmBoot boot_arm(const BootArmOptions& o) {
  return kernel::arm::run_arm_boot(arm_boot_input(o));
}

std::string arm_boot_text(const ArmBoot& boot, const BootArmOptions& o) {
  if (o.json) {
    return arm_boot_json(boot).dump(2) + "\n";
  }
  std::string out = arm_boot_summary(boot);
  if (o.layout) {
    out += "\n" + arm_layout_text(boot);
  }
  if (o.memblock) {
    out += "\n" + arm_memblock_text(boot);
  }
  if (o.ptdump) {
    out += "\n" + join_lines(ptdump_arm(boot).lines);
  }
  if (o.trace) {
    out += "\n" + arm_trace_text(boot);
  }
  return out;
}

std::string run_boot_arm(const BootArmOptions& o) {
  return arm_boot_text(boot_arm(o), o);
}

std::string arm_boot_summary(const ArmBoot& b) {
  const auto& s = b.state;
  const auto& l = s.layout;
  const auto& c = b.input.config;
  std::string out;
  out += fmt::format("Linux {} arm, VMSPLIT_{}G, {}, stage {}\n", kernel::arm::to_string(c.version),
                     c.vmsplit_user_gib, c.lpae ? "LPAE (3 levels)" : "classic MMU (2 levels)",
                     b.input.stage == ArmBootInput::Stage::final ? "final" : "paging_init");
  out += fmt::format("PAGE_OFFSET      0x{:08x}   PHYS_OFFSET 0x{:08x}   TEXT_OFFSET {:#x}\n",
                     l.PAGE_OFFSET, s.PHYS_OFFSET, s.TEXT_OFFSET);
  out += fmt::format("TASK_SIZE        0x{:08x}   MODULES 0x{:08x}-0x{:08x}   PKMAP_BASE 0x{:08x}\n",
                     l.TASK_SIZE, l.MODULES_VADDR, l.MODULES_END, l.PKMAP_BASE);
  out += fmt::format("swapper_pg_dir   0x{:08x} (phys), {} bytes\n", s.swapper_pg_dir,
                     l.SWAPPER_PG_DIR_SIZE);
  out += fmt::format("arm_lowmem_limit 0x{:08x}   high_memory 0x{:08x}   memblock limit 0x{:08x}\n",
                     s.arm_lowmem_limit, s.high_memory, s.memblock_limit);
  out += fmt::format("vmalloc          0x{:08x}-0x{:08x} (VMALLOC_OFFSET {} MiB)\n", s.VMALLOC_START,
                     l.VMALLOC_END, l.VMALLOC_OFFSET >> 20);
  out += fmt::format("fixmap           0x{:08x}-0x{:08x}   vectors 0x{:08x}\n", l.FIXADDR_START,
                     l.FIXADDR_END, l.VECTORS_BASE);
  out += fmt::format("kernel_x         0x{:08x}-0x{:08x}   kernel sections 0x{:08x}-0x{:08x}\n",
                     s.kernel_x_start, s.kernel_x_end, s.kernel_sec_start, s.kernel_sec_end);
  out += "prepare_page_table clears:";
  for (const auto& [a, e] : s.clear_loops) {
    out += fmt::format(" 0x{:08x}-0x{:08x}", a, e);
  }
  out += "\n";
  out += fmt::format("vectors page 0x{:08x}, pkmap pte 0x{:08x}, fixmap pte 0x{:08x}, zero page 0x{:08x}\n",
                     s.vectors, s.pkmap_page_table, s.fixmap_page_table, s.zero_page);
  out += fmt::format("create_mapping calls: {}\n", s.mappings.size());
  // What the modelled functions printed (pr_*), and any WARN that fired.
  for (const kernel::KernelMessage& msg : b.log.messages()) {
    const bool warning = msg.kind == kernel::KernelMessage::Kind::warning;
    out += fmt::format("{}{}   [{}]\n", warning ? "WARNING: " : "kernel: ", msg.text, msg.where);
  }
  return out;
}

std::string arm_layout_text(const ArmBoot& b) {
  return join_lines(kernel::arm::mem_init_layout_lines(b));
}

std::string arm_memblock_text(const ArmBoot& b) {
  std::string out = "/sys/kernel/debug/memblock/memory:\n";
  out += b.memblock->memblock_debug_show(b.memblock->memory());
  out += "/sys/kernel/debug/memblock/reserved:\n";
  out += b.memblock->memblock_debug_show(b.memblock->reserved());
  return out;
}

std::string arm_trace_text(const ArmBoot& b) {
  std::string out;
  for (const kernel::arm::TraceEvent& e : b.trace) {
    out += fmt::format("{}: {}\n", e.function, e.text);
  }
  return out;
}

nlohmann::json arm_boot_json(const ArmBoot& b) {
  using nlohmann::json;
  const auto& s = b.state;
  const auto& l = s.layout;
  const auto& c = b.input.config;
  json j;
  j["schema"] = "ptsim.boot.arm/1";
  j["arch"] = "arm";
  j["profile"] = kernel::arm::to_string(c.version);
  j["vmsplit"] = fmt::format("{}G", c.vmsplit_user_gib);
  j["lpae"] = c.lpae;
  j["stage"] = b.input.stage == ArmBootInput::Stage::final ? "final" : "paging_init";
  j["cmdline"] = b.input.cmdline;
  j["layout"] = {
      {"PAGE_OFFSET", hex(l.PAGE_OFFSET)},     {"PHYS_OFFSET", hex(s.PHYS_OFFSET)},
      {"TEXT_OFFSET", hex(s.TEXT_OFFSET)},     {"TASK_SIZE", hex(l.TASK_SIZE)},
      {"MODULES_VADDR", hex(l.MODULES_VADDR)}, {"MODULES_END", hex(l.MODULES_END)},
      {"PKMAP_BASE", hex(l.PKMAP_BASE)},       {"FIXADDR_START", hex(l.FIXADDR_START)},
      {"FIXADDR_END", hex(l.FIXADDR_END)},     {"FIXADDR_TOP", hex(l.FIXADDR_TOP)},
      {"VMALLOC_OFFSET", hex(l.VMALLOC_OFFSET)}, {"VMALLOC_START", hex(s.VMALLOC_START)},
      {"VMALLOC_END", hex(l.VMALLOC_END)},     {"VECTORS_BASE", hex(l.VECTORS_BASE)},
      {"PMD_SIZE", hex(l.PMD_SIZE)},           {"SECTION_SIZE", hex(l.SECTION_SIZE)},
  };
  json loops = json::array();
  for (const auto& [a, e] : s.clear_loops) {
    loops.push_back({{"start", hex(a)}, {"end", hex(e)}});
  }
  j["state"] = {
      {"swapper_pg_dir", hex(s.swapper_pg_dir)},
      {"vmalloc_limit", hex(s.vmalloc_limit)},
      {"arm_lowmem_limit", hex(s.arm_lowmem_limit)},
      {"high_memory", hex(s.high_memory)},
      {"memblock_limit", hex(s.memblock_limit)},
      {"kernel_sec_start", hex(s.kernel_sec_start)},
      {"kernel_sec_end", hex(s.kernel_sec_end)},
      {"kernel_x_start", hex(s.kernel_x_start)},
      {"kernel_x_end", hex(s.kernel_x_end)},
      {"prepare_page_table", loops},
      {"vectors", hex(s.vectors)},
      {"pkmap_page_table", hex(s.pkmap_page_table)},
      {"fixmap_page_table", hex(s.fixmap_page_table)},
      {"zero_page", hex(s.zero_page)},
  };
  json maps = json::array();
  for (const kernel::arm::map_desc& md : s.mappings) {
    maps.push_back({{"virtual", hex(md.virtual_)},
                    {"pfn", hex(md.pfn)},
                    {"length", hex(md.length)},
                    {"type", kernel::arm::mem_type_name(md.type)}});
  }
  j["create_mapping"] = maps;
  j["memblock"] = {{"memory", memblock_regions_json(b.memblock->memory(), false)},
                   {"reserved", memblock_regions_json(b.memblock->reserved(), false)},
                   {"debugfs", arm_memblock_text(b)}};
  j["layout_print"] = kernel::arm::mem_init_layout_lines(b);
  const ArmPtdump dump = ptdump_arm(b);
  j["ptdump"] = dump.lines;
  json trace = json::array();
  for (const kernel::arm::TraceEvent& e : b.trace) {
    trace.push_back({{"function", e.function}, {"text", e.text}});
  }
  j["trace"] = trace;
  j["dmesg"] = b.dmesg;
  json runs = json::array();
  for (const ArmMappingRun& r : dump.runs) {
    json run = {{"va_start", hex(r.va_start)}, {"va_end", hex(r.va_end)},
                {"pa_start", hex(r.pa_start)}, {"level", r.level},
                {"attrs", r.attrs}};
    if (!r.domain.empty()) {
      run["domain"] = r.domain;
    }
    runs.push_back(std::move(run));
  }
  j["tables"] = {{"swapper_pg_dir",
                  {{"pa", hex(s.swapper_pg_dir)},
                   {"format", c.lpae ? "long-descriptor" : "short-descriptor"},
                   {"mappings", runs}}}};
  return j;
}

}  // namespace ptsim::report
