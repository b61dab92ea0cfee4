#include "ptsim/machine/arm64_boot_inputs.h"

#include <fmt/format.h>
#include <libfdt.h>

#include <fstream>
#include <iterator>
#include <string_view>

#include "ptsim/error.h"
#include "ptsim/error_context.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/presets.h"

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

namespace {

constexpr uint64_t MiB = 1ull << 20;

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw cannot_open("device tree blob", path);
  }
  return {std::istreambuf_iterator<char>(in), {}};
}

// QEMU creates its blobs in a 1 MiB buffer, and the header's totalsize says so.
std::vector<uint8_t> padded_like_qemu(std::vector<uint8_t> blob) {
  std::vector<uint8_t> out(MiB);
  if (fdt_open_into(blob.data(), out.data(), static_cast<int>(out.size())) != 0) {
    return blob;
  }
  return out;
}

}  // namespace

kernel::arm64::BootInputs prepare_arm64_boot(const Arm64BootRequest& request) {
  MachineChoice choice = request.machine;
  if (choice.preset.empty() && choice.dtb.empty()) {
    choice.preset = "virt";
  }
  const Machine m = load_machine(choice);
  if (m.memory.empty()) {
    throw bad_input(fmt::format(
        "machine '{}' has no memory node, so no RAM to boot in (fix: add a /memory node with a reg "
        "property, e.g. memory@40000000 {{ device_type = \"memory\"; reg = <0x0 0x40000000 0x0 "
        "0x40000000>; }})",
        m.source));
  }
  std::vector<uint8_t> dtb = choice.dtb.empty() ? padded_like_qemu(write_dtb(m)) : read_file_bytes(choice.dtb);

  SymbolTable symbols;
  if (!request.symbols_file.empty()) {
    symbols = SymbolTable::read_file(request.symbols_file);
  } else {
    const std::string_view image = choice.preset.empty() ? "debian-6.1-arm64" : machine_preset(choice.preset).kernel_image;
    symbols = kernel_image_preset(image).symbols();
    // KIMAGE_VADDR = _PAGE_END(VA_BITS_MIN) + 128 MiB moves with VA_BITS.
    const unsigned va_min = std::min(request.va_bits, 48u);
    const uint64_t kimage = (~uint64_t{0} << (va_min - 1)) + (128 * MiB);
    const uint64_t delta = kimage - *symbols.find("_text");
    if (delta != 0) {
      SymbolTable moved(symbols.source() + " (moved to KIMAGE_VADDR " + fmt::format("{:#x})", kimage));
      for (const auto& [name, s] : symbols.all()) {
        moved.add(Symbol{s.address + delta, s.type, s.name});
      }
      symbols = moved;
    }
    // Linked for 4K pages: a 16K or 64K kernel's page-table areas are larger.
    symbols = arm64_image_pgtables_for_page_size(symbols, request.page_shift, request.va_bits);
  }
  if (image_arch(symbols) != Arch::arm64) {
    throw bad_input(fmt::format(
        "kernel symbols '{}' are not an arm64 kernel's: _text is missing or not in the upper "
        "(TTBR1) half "
        "of a 64-bit address space (fix: for a 32-bit kernel use ptsim boot --arch arm)",
        symbols.source()));
  }
  const uint64_t ram_base = m.memory.front().base;
  const uint64_t ram_size = m.memory.front().size;
  const uint64_t text_pa = request.text_pa.value_or(ram_base + 2 * MiB);
  const uint64_t dtb_pa = request.dtb_pa.value_or(ram_base + std::min<uint64_t>(ram_size / 2, 128 * MiB));
  const std::string cmdline = request.cmdline.value_or(m.chosen.bootargs.value_or("nokaslr"));
  return arm64_boot_inputs(m, dtb, dtb_pa, parse_command_line(cmdline), symbols, text_pa);
}

}  // namespace ptsim::machine
