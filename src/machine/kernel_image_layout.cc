// Section symbols to image layouts, with the checks that catch a wrong file.
#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/machine/kernel_image.h"

namespace ptsim::machine {
namespace {

template <class Layout>
struct Required {
  const char* symbol;
  uint64_t Layout::*field;
};

template <class Layout>
struct Optional {
  const char* symbol;
  std::optional<uint64_t> Layout::*field;
};

// Fills the layout's fields; every missing required symbol is named at once.
template <class Layout, size_t R, size_t O>
Layout fill(const SymbolTable& symbols, const Required<Layout> (&required)[R],
            const Optional<Layout> (&optional)[O], std::string_view arch) {
  Layout layout;
  layout.source = symbols.source();
  std::vector<std::string> missing;
  for (const auto& r : required) {
    const auto value = symbols.find(r.symbol);
    if (!value) {
      missing.emplace_back(r.symbol);
      continue;
    }
    layout.*(r.field) = *value;
  }
  if (!missing.empty()) {
    throw bad_input(fmt::format(
        "{}: the {} image layout needs {} but the file lacks {} (/proc/kallsyms lists data "
        "symbols only with CONFIG_KALLSYMS_ALL) (fix: use the System.map from the kernel's -dbg "
        "package, or a built-in layout with --kernel-image)",
        symbols.source(), arch, missing.size() == 1 ? "this symbol" : "these symbols",
        fmt::join(missing, ", ")));
  }
  for (const auto& o : optional) {
    layout.*(o.field) = symbols.find(o.symbol);
  }
  return layout;
}

// Each pair must be in non-decreasing address order.
void check_order(const SymbolTable& symbols,
                 std::initializer_list<std::pair<const char*, const char*>> pairs) {
  for (const auto& [low, high] : pairs) {
    const auto a = symbols.find(low);
    const auto b = symbols.find(high);
    if (a && b && *a > *b) {
      throw bad_input(
          fmt::format("{}: {} ({:#x}) is above {} ({:#x}); a kernel image puts {} first — is this "
                      "file from one kernel?",
                      symbols.source(), low, *a, high, *b, low));
    }
  }
}

// Each named symbol, when present, lies in [_text, _end].
void check_inside(const SymbolTable& symbols, uint64_t text, uint64_t end,
                  std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto v = symbols.find(name);
    if (v && (*v < text || *v > end)) {
      throw bad_input(fmt::format("{}: {} ({:#x}) lies outside the image [_text {:#x}, _end {:#x}]",
                                  symbols.source(), name, *v, text, end));
    }
  }
}

using A64 = Arm64ImageLayout;
constexpr Required<A64> kArm64Required[] = {
    {"_text", &A64::text},
    {"_stext", &A64::stext},
    {"_etext", &A64::etext},
    {"__start_rodata", &A64::start_rodata},
    {"__inittext_begin", &A64::inittext_begin},
    {"__inittext_end", &A64::inittext_end},
    {"__initdata_begin", &A64::initdata_begin},
    {"__initdata_end", &A64::initdata_end},
    {"_data", &A64::data},
    {"_end", &A64::end},
    {"swapper_pg_dir", &A64::swapper_pg_dir},
    {"init_pg_dir", &A64::init_pg_dir},
    {"init_pg_end", &A64::init_pg_end},
    {"init_idmap_pg_dir", &A64::init_idmap_pg_dir},
    {"init_idmap_pg_end", &A64::init_idmap_pg_end},
    {"idmap_pg_dir", &A64::idmap_pg_dir},
    {"reserved_pg_dir", &A64::reserved_pg_dir},
};
constexpr Optional<A64> kArm64Optional[] = {
    {"tramp_pg_dir", &A64::tramp_pg_dir},
    {"__init_begin", &A64::init_begin},
    {"__init_end", &A64::init_end},
    {"_edata", &A64::edata},
    {"__bss_start", &A64::bss_start},
    {"__bss_stop", &A64::bss_stop},
    {"__idmap_text_start", &A64::idmap_text_start},
    {"__idmap_text_end", &A64::idmap_text_end},
    {"__entry_tramp_text_start", &A64::entry_tramp_text_start},
    {"bm_pud", &A64::bm_pud},
    {"bm_pmd", &A64::bm_pmd},
    {"bm_pte", &A64::bm_pte},
};

using A32 = ArmImageLayout;
constexpr Required<A32> kArmRequired[] = {
    {"_text", &A32::text},
    {"_stext", &A32::stext},
    {"_etext", &A32::etext},
    {"__init_begin", &A32::init_begin},
    {"__init_end", &A32::init_end},
    {"_sdata", &A32::sdata},
    {"_end", &A32::end},
};
constexpr Optional<A32> kArmOptional[] = {
    {"_edata", &A32::edata},
    {"__bss_start", &A32::bss_start},
    {"__bss_stop", &A32::bss_stop},
    {"swapper_pg_dir", &A32::swapper_pg_dir},
    {"__start_rodata", &A32::start_rodata},
    {"__vectors_start", &A32::vectors_start},
    {"__stubs_start", &A32::stubs_start},
};

}  // namespace

// The order is arch/arm64/kernel/vmlinux.lds.S's (v6.1).
Arm64ImageLayout arm64_image_layout(const SymbolTable& symbols) {
  const Arm64ImageLayout layout = fill(symbols, kArm64Required, kArm64Optional, "arm64");
  // The arm64 kernel image lives in the TTBR1 half: its addresses have the top bits set.
  if ((layout.text >> 63) == 0) {
    throw bad_input(fmt::format(
        "{}: _text is {:#x}, not a kernel address of the upper (TTBR1) half; is this an "
        "arm64 kernel's file?",
        symbols.source(), layout.text));
  }
  check_order(symbols, {{"_text", "_end"},
                        {"_text", "_stext"},
                        {"_stext", "_etext"},
                        {"_etext", "__start_rodata"},
                        {"__start_rodata", "__inittext_begin"},
                        {"__inittext_begin", "__inittext_end"},
                        {"__inittext_end", "__initdata_begin"},
                        {"__initdata_begin", "__initdata_end"},
                        {"__initdata_end", "_data"},
                        {"_data", "_end"},
                        {"init_pg_dir", "init_pg_end"},
                        {"init_idmap_pg_dir", "init_idmap_pg_end"},
                        {"__bss_start", "__bss_stop"},
                        {"__idmap_text_start", "__idmap_text_end"}});
  check_inside(symbols, layout.text, layout.end,
               {"swapper_pg_dir", "init_pg_dir", "init_pg_end", "init_idmap_pg_dir",
                "init_idmap_pg_end", "idmap_pg_dir", "reserved_pg_dir", "tramp_pg_dir",
                "__init_begin", "__init_end", "bm_pud", "bm_pmd", "bm_pte"});
  return layout;
}

// The order is arch/arm/kernel/vmlinux.lds.S's (v4.x to v6.1): text, rodata,
// init, data, bss.  swapper_pg_dir is an absolute symbol below _text.
ArmImageLayout arm_image_layout(const SymbolTable& symbols) {
  const ArmImageLayout layout = fill(symbols, kArmRequired, kArmOptional, "arm");
  if (layout.end > 0xffffffff) {
    throw bad_input(
        fmt::format("{}: _end is {:#x}, beyond 32 bits; is this a 32-bit arm kernel's file?",
                    symbols.source(), layout.end));
  }
  check_order(symbols, {{"_text", "_end"},
                        {"_text", "_stext"},
                        {"_stext", "_etext"},
                        {"_etext", "__init_begin"},
                        {"__init_begin", "__init_end"},
                        {"__init_end", "_sdata"},
                        {"_sdata", "_end"},
                        {"__bss_start", "__bss_stop"},
                        {"swapper_pg_dir", "_text"}});
  check_inside(symbols, layout.text, layout.end,
               {"_edata", "__bss_start", "__bss_stop", "__start_rodata", "__vectors_start",
                "__stubs_start"});
  return layout;
}

}  // namespace ptsim::machine
