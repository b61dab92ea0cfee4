// The built-in arm64 image relinked, in outline, for 16K and 64K pages.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>

#include "ptsim/error.h"
#include "ptsim/kernel/arch/arm64/kernel_pgtable.h"
#include "ptsim/machine/arm64_boot_inputs.h"

namespace ptsim::machine {
namespace {

using kernel::arm64::SEGMENT_ALIGN;

uint64_t align_up(uint64_t x, uint64_t a) {
  return (x + a - 1) & ~(a - 1);
}

struct PgtableSizes {
  uint64_t init_idmap_dir = 0;  // INIT_IDMAP_DIR_SIZE
  uint64_t init_dir = 0;        // INIT_DIR_SIZE
  bool operator==(const PgtableSizes&) const = default;
};

// One pass of arch/arm64/kernel/vmlinux.lds.S (v6.1) over the 4K image's
// addresses `old`, with the two areas whose size depends on _end given.
// Objects between the areas keep their sizes; each segment boundary stays
// SEGMENT_ALIGN aligned.
std::map<std::string, uint64_t> relink(const SymbolTable& old, uint64_t page,
                                       const PgtableSizes& sizes) {
  const auto at = [&](const char* name) { return *old.find(name); };
  std::map<std::string, uint64_t> out;
  // .rodata.text ends ALIGN(PAGE_SIZE); then idmap_pg_dir, tramp_pg_dir
  // (CONFIG_UNMAP_KERNEL_AT_EL0), reserved_pg_dir, swapper_pg_dir: a
  // PAGE_SIZE each.
  uint64_t next = align_up(at("idmap_pg_dir"), page);
  for (const char* name : {"idmap_pg_dir", "tramp_pg_dir", "reserved_pg_dir", "swapper_pg_dir"}) {
    if (old.find(name)) {
      out[name] = next;
      next += page;
    }
  }
  // __init_begin = ALIGN(SEGMENT_ALIGN); init text keeps its size.
  const uint64_t init_shift =
      std::max(at("__init_begin"), align_up(next, SEGMENT_ALIGN)) - at("__init_begin");
  // __initdata_begin: init_idmap_pg_dir, INIT_IDMAP_DIR_SIZE, then .init.data
  // and the rest of the init segment, ending ALIGN(SEGMENT_ALIGN).
  const uint64_t idmap_dir = at("init_idmap_pg_dir") + init_shift;
  const uint64_t idmap_end = idmap_dir + sizes.init_idmap_dir;
  const uint64_t initdata_shift = idmap_end - at("init_idmap_pg_end");
  const uint64_t initdata_end = align_up(at("__initdata_end") + initdata_shift, SEGMENT_ALIGN);
  const uint64_t data_shift = initdata_end - at("__initdata_end");
  // .bss: bm_pud, bm_pmd, bm_pte are __page_aligned_bss PAGE_SIZE arrays
  // (arch/arm64/mm/mmu.c); the bss grows by what they grew.
  const uint64_t bm = align_up(at("bm_pud") + data_shift, page);
  const uint64_t bss_shift = bm + 3 * page - (at("bm_pte") + 4096);
  // ALIGN(PAGE_SIZE): init_pg_dir, INIT_DIR_SIZE; _end = ALIGN(SEGMENT_ALIGN).
  const uint64_t init_pg_dir = align_up(at("__bss_stop") + bss_shift, page);

  for (const auto& [name, s] : old.all()) {
    const uint64_t a = s.address;
    out.try_emplace(name, a < at("__init_begin")        ? a
                          : a < at("init_idmap_pg_end") ? a + init_shift
                          : a < at("__initdata_end")    ? a + initdata_shift
                          : a < at("bm_pud")            ? a + data_shift
                                                        : a + bss_shift);
  }
  out["__init_begin"] = at("__init_begin") + init_shift;
  out["init_idmap_pg_dir"] = idmap_dir;
  out["init_idmap_pg_end"] = idmap_end;
  out["__initdata_end"] = out["__init_end"] = out["_data"] = initdata_end;
  out["bm_pud"] = bm;
  out["bm_pmd"] = bm + page;
  out["bm_pte"] = bm + 2 * page;
  out["init_pg_dir"] = init_pg_dir;
  out["init_pg_end"] = init_pg_dir + sizes.init_dir;
  out["_end"] = align_up(init_pg_dir + sizes.init_dir, SEGMENT_ALIGN);
  return out;
}

}  // namespace

SymbolTable arm64_image_pgtables_for_page_size(const SymbolTable& symbols, unsigned page_shift,
                                               unsigned va_bits) {
  if (page_shift == 12) {
    return symbols;
  }
  for (const char* name :
       {"_text", "idmap_pg_dir", "__init_begin", "init_idmap_pg_dir", "init_idmap_pg_end",
        "__initdata_end", "bm_pud", "bm_pte", "__bss_stop"}) {
    if (!symbols.find(name)) {
      throw Error(ErrorKind::internal,
                  fmt::format("{}: the built-in image lacks {}, which its relayout for "
                              "other page sizes needs",
                              symbols.source(), name));
    }
  }
  const kernel::Geometry g = kernel::arm64_geometry(page_shift, va_bits);
  const uint64_t kimage_vaddr = *symbols.find("_text");
  // INIT_DIR_SIZE and INIT_IDMAP_DIR_SIZE depend on _end, which follows
  // them: the linker settles on sizes that agree with the _end they give.
  // Debian's kernel has CONFIG_RANDOMIZE_BASE, so EARLY_KASLR is 1.
  PgtableSizes sizes{g.page_size(), g.page_size()};
  std::map<std::string, uint64_t> layout;
  for (int pass = 0; pass < 8; ++pass) {
    layout = relink(symbols, g.page_size(), sizes);
    const uint64_t end = layout.at("_end");
    const PgtableSizes next{kernel::arm64::init_idmap_dir_size(g, kimage_vaddr, end),
                            kernel::arm64::init_dir_size(g, kimage_vaddr, end, true)};
    if (next == sizes) {
      break;
    }
    sizes = next;
  }
  SymbolTable out(symbols.source() +
                  fmt::format(" (page-table areas laid out for {}K pages)", g.page_size() / 1024));
  for (const auto& [name, s] : symbols.all()) {
    out.add(Symbol{layout.at(name), s.type, s.name});
  }
  return out;
}

}  // namespace ptsim::machine
