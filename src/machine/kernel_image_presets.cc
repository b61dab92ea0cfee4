// Built-in kernel image layouts: a handful of section symbols from real
// kernels' System.map files, as data.
#include "ptsim/machine/kernel_image.h"

#include <fmt/format.h>

#include "machine/find_by_name.h"
#include "ptsim/error.h"

namespace ptsim::machine {
namespace {

std::vector<KernelImagePreset> make_presets() {
  std::vector<KernelImagePreset> presets;
  // Debian 12's arm64 kernel: System.map-6.1.0-56-arm64 from the package
  // linux-image-6.1.0-56-arm64-dbg, version 6.1.192-2 (/usr/lib/debug/boot/).
  // 4K pages, 48-bit VA, KIMAGE_VADDR 0xffff800008000000, TEXT_OFFSET 0.
  presets.push_back(KernelImagePreset{
      "debian-6.1-arm64",
      Arch::arm64,
      "Debian 12 linux-image-6.1.0-56-arm64 (6.1.192-2), from its -dbg System.map",
      {},
      {
          {"_text", 0xffff800008000000},
          {"_stext", 0xffff800008010000},
          {"__idmap_text_start", 0xffff800008cfd000},
          {"__idmap_text_end", 0xffff800008cfd930},
          {"_etext", 0xffff800008d00000},
          {"__start_rodata", 0xffff800008d00000},
          {"__entry_tramp_text_start", 0xffff800009651000},
          {"idmap_pg_dir", 0xffff800009655000},
          {"tramp_pg_dir", 0xffff800009656000},
          {"reserved_pg_dir", 0xffff800009657000},
          {"swapper_pg_dir", 0xffff800009658000},
          {"__init_begin", 0xffff800009660000},
          {"__inittext_begin", 0xffff800009660000},
          {"__inittext_end", 0xffff800009740000},
          {"__initdata_begin", 0xffff800009740000},
          {"init_idmap_pg_dir", 0xffff800009740000},
          {"init_idmap_pg_end", 0xffff800009745000},
          {"__initdata_end", 0xffff800009cb0000},
          {"__init_end", 0xffff800009cb0000},
          {"_data", 0xffff800009cb0000},
          {"_edata", 0xffff800009f6da00},
          {"__bss_start", 0xffff800009f6e000},
          {"bm_pud", 0xffff800009f70000},
          {"bm_pmd", 0xffff800009f71000},
          {"bm_pte", 0xffff800009f72000},
          {"__bss_stop", 0xffff80000a00add8},
          {"init_pg_dir", 0xffff80000a00b000},
          {"init_pg_end", 0xffff80000a010000},
          {"_end", 0xffff80000a010000},
      }});
  // Debian 12's armhf multiplatform kernels: System.map-6.1.0-50-armmp and
  // -armmp-lpae from linux-image-6.1.0-50-armmp{,-lpae}-dbg, version 6.1.176-1.
  // 3G/1G split: _text 0xc0208000 gives TEXT_OFFSET 0x208000, and
  // swapper_pg_dir sits 0x4000 (LPAE: 0x5000) below _text.
  presets.push_back(KernelImagePreset{
      "debian-6.1-armmp",
      Arch::arm,
      "Debian 12 linux-image-6.1.0-50-armmp (6.1.176-1), from its -dbg System.map",
      {},
      {
          {"swapper_pg_dir", 0xc0204000},
          {"_text", 0xc0208000},
          {"_stext", 0xc0300000},
          {"_etext", 0xc0e00000},
          {"__start_rodata", 0xc0e00000},
          {"__init_begin", 0xc1200000},
          {"__vectors_start", 0xc1200000},
          {"__stubs_start", 0xc1200060},
          {"__init_end", 0xc1400000},
          {"_sdata", 0xc1400000},
          {"_edata", 0xc15a90b4},
          {"__bss_start", 0xc15a90b4},
          {"__bss_stop", 0xc1607588},
          {"_end", 0xc1607588},
      }});
  presets.push_back(KernelImagePreset{
      "debian-6.1-armmp-lpae",
      Arch::arm,
      "Debian 12 linux-image-6.1.0-50-armmp-lpae (6.1.176-1), from its -dbg System.map",
      {},
      {
          {"swapper_pg_dir", 0xc0203000},
          {"_text", 0xc0208000},
          {"_stext", 0xc0400000},
          {"_etext", 0xc1000000},
          {"__start_rodata", 0xc1000000},
          {"__init_begin", 0xc1400000},
          {"__vectors_start", 0xc1400000},
          {"__stubs_start", 0xc1400060},
          {"__init_end", 0xc1600000},
          {"_sdata", 0xc1600000},
          {"_edata", 0xc17ad0c8},
          {"__bss_start", 0xc17ad0c8},
          {"__bss_stop", 0xc180d288},
          {"_end", 0xc180d288},
      }});
  // The vexpress kernel the seed notes work through: _stext 0xc0008280 and
  // __init_end 0xc10d8000 (seed 001), TEXT_OFFSET 0x8000 so _text 0xc0008000
  // and swapper_pg_dir 0xc0004000 (seed 003).  The seeds give no other
  // symbol: the rest are placed where a kernel of that size would have them.
  presets.push_back(KernelImagePreset{
      "seed-vexpress",
      Arch::arm,
      "the vexpress kernel of the seed notes (_stext, __init_end, TEXT_OFFSET 0x8000); _etext, __init_begin, "
      "_sdata and _end estimated",
      {"_etext", "__init_begin", "_sdata", "_end"},
      {
          {"swapper_pg_dir", 0xc0004000},
          {"_text", 0xc0008000},
          {"_stext", 0xc0008280},
          {"_etext", 0xc0a00000},
          {"__init_begin", 0xc1000000},
          {"__init_end", 0xc10d8000},
          {"_sdata", 0xc10d8000},
          {"_end", 0xc1200000},
      }});
  return presets;
}

}  // namespace

SymbolTable KernelImagePreset::symbols() const {
  SymbolTable table{fmt::format("preset {}", name)};
  for (const auto& [symbol, address] : values) {
    table.add(Symbol{address, '?', std::string(symbol)});
  }
  return table;
}

const std::vector<KernelImagePreset>& kernel_image_presets() {
  static const std::vector<KernelImagePreset> presets = make_presets();
  return presets;
}

const KernelImagePreset& kernel_image_preset(std::string_view name) { return find_by_name(kernel_image_presets(), name, "kernel image preset"); }

}  // namespace ptsim::machine
