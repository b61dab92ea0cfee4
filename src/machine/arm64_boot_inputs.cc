#include "ptsim/machine/arm64_boot_inputs.h"

namespace ptsim::machine {

kernel::FdtInfo fdt_info(const Machine& m, uint32_t totalsize) {
  kernel::FdtInfo f;
  f.totalsize = totalsize;
  f.model = m.model;
  for (const MemoryBank& b : m.memory) {
    f.memory.push_back({b.node, {{b.base, b.size}}, b.hotpluggable, true});
  }
  for (const Range& r : m.memreserve) {
    f.memreserve.push_back({r.base, r.size});
  }
  f.reserved_memory_ok = m.reserved_memory_error.empty();
  for (const ReservedRegion& r : m.reserved) {
    kernel::DtReservedNode n;
    n.name = r.name;
    n.has_reg = !r.reg.empty() || !r.linux_error.empty();
    n.reg_well_formed = r.linux_error.empty();
    for (const Range& reg : r.reg) {
      n.reg.push_back({reg.base, reg.size});
    }
    n.size = r.size;
    n.alignment = r.alignment;
    for (const Range& a : r.alloc_ranges) {
      n.alloc_ranges.push_back({a.base, a.size});
    }
    n.no_map = r.no_map;
    n.reusable = r.reusable;
    n.compatible = r.compatible.empty() ? "" : r.compatible.front();
    f.reserved_memory.push_back(std::move(n));
  }
  if (m.chosen.initrd) {
    f.initrd_start = m.chosen.initrd->start;
    f.initrd_end = m.chosen.initrd->end;
  }
  f.bootargs = m.chosen.bootargs.value_or("");
  if (!m.chosen.usable_memory.empty()) {
    f.usable_memory_range = kernel::DtRange{m.chosen.usable_memory.front().base, m.chosen.usable_memory.front().size};
  }
  f.kaslr_seed = m.chosen.kaslr_seed.value_or(0);
  return f;
}

kernel::arm64::BootInputs arm64_boot_inputs(const Machine& m, std::span<const uint8_t> dtb, uint64_t dtb_pa,
                                            const CommandLine& cmdline, const SymbolTable& symbols,
                                            uint64_t text_pa) {
  kernel::arm64::BootInputs in;
  const uint32_t totalsize =
      dtb.size() >= 8 ? (uint32_t{dtb[4]} << 24 | uint32_t{dtb[5]} << 16 | uint32_t{dtb[6]} << 8 | dtb[7]) : 0;
  in.fdt = fdt_info(m, totalsize);
  for (uint8_t b : dtb) {
    in.dtb.push_back(static_cast<std::byte>(b));
  }
  in.dtb_pa = dtb_pa;
  in.text_pa = text_pa;
  static constexpr const char* kNames[] = {
      "_text", "_stext", "_etext", "__start_rodata", "__inittext_begin", "__inittext_end", "__initdata_begin",
      "__initdata_end", "_data", "_end", "__init_begin", "__init_end", "swapper_pg_dir", "init_pg_dir",
      "init_pg_end", "init_idmap_pg_dir", "init_idmap_pg_end", "idmap_pg_dir", "reserved_pg_dir", "tramp_pg_dir",
      "bm_pud", "bm_pmd", "bm_pte", "__idmap_text_start", "__idmap_text_end", "__idmap_kpti_flag"};
  for (const char* name : kNames) {
    if (const auto va = symbols.find(name)) {
      in.symbols.va[name] = *va;
    }
  }
  if (cmdline.rodata) {
    in.rodata = *cmdline.rodata == machine::Rodata::full ? kernel::arm64::Rodata::full
                : *cmdline.rodata == machine::Rodata::on ? kernel::arm64::Rodata::on
                                                : kernel::arm64::Rodata::off;
  }
  in.nokaslr = cmdline.nokaslr;
  if (!cmdline.mem.empty()) {
    in.mem_limit = cmdline.mem.back().size;
  }
  if (cmdline.crashkernel) {
    in.crashkernel_size = cmdline.crashkernel->size;
  }
  in.memblock_debug = cmdline.memblock_debug;
  if (cmdline.earlycon) {
    if (cmdline.earlycon->address) {
      in.earlycon_pa = cmdline.earlycon->address;
    } else if (m.uart && m.uart->reg) {
      in.earlycon_pa = m.uart->reg->base;
    }
  }
  return in;
}

}  // namespace ptsim::machine
