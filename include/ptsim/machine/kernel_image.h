// The kernel image layout: where the kernel's sections and page-table
// symbols are, read from a System.map or /proc/kallsyms file, or from a
// built-in preset (the same few symbols of a real kernel, kept as data).
//
//   SymbolTable syms = SymbolTable::read_file("System.map-6.1.0-56-arm64");
//   Arm64ImageLayout img = arm64_image_layout(syms);     // throws if one is missing
//   Arm64ImageLayout deb = arm64_image_layout(kernel_image_preset("debian-6.1-arm64").symbols());
//   ArmImageLayout a = arm_image_layout(kernel_image_preset("debian-6.1-armmp").symbols());
//   uint64_t text_offset = a.text - 0xc0000000;          // 0x208000 for Debian's armmp
//
// Addresses are link-time virtual addresses as the file gives them; turning
// them into physical ones (the load address, KASLR, PAGE_OFFSET) is the
// boot model's job.  Field names are the Linux symbols without their
// leading underscores; each field's comment gives the symbol.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ptsim/machine/machine.h"

namespace ptsim::machine {

struct Symbol {
  uint64_t address = 0;
  char type = '?';  // nm's type letter: T text, D data, B bss, R rodata, A absolute...
  std::string name;
};

class SymbolTable {
 public:
  explicit SymbolTable(std::string source = {}) : source_(std::move(source)) {}

  // Parses System.map or /proc/kallsyms text: one "<hex address> <type>
  // <name>" per line ("ffff800008000000 T _text"); kallsyms' module lines
  // ("... t foo\t[ext4]") are skipped.  A malformed line is bad_input naming
  // source:line and the text; a file whose every address is 0 (kallsyms read
  // without privilege, kptr_restrict) is refused too.
  static SymbolTable parse(std::string_view text, std::string_view source);
  static SymbolTable read_file(const std::string& path);

  // The first symbol of that name (System.map repeats static names).
  std::optional<uint64_t> find(std::string_view name) const;
  const Symbol* symbol(std::string_view name) const;
  void add(Symbol s);
  size_t size() const { return by_name_.size(); }
  const std::unordered_map<std::string, Symbol>& all() const { return by_name_; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::unordered_map<std::string, Symbol> by_name_;
};

// arm64, Linux 6.1 (arch/arm64/kernel/vmlinux.lds.S).
struct Arm64ImageLayout {
  std::string source;
  uint64_t text = 0;               // _text: start of the image (KIMAGE_VADDR + TEXT_OFFSET)
  uint64_t stext = 0;              // _stext
  uint64_t etext = 0;              // _etext
  uint64_t start_rodata = 0;       // __start_rodata
  uint64_t inittext_begin = 0;     // __inittext_begin
  uint64_t inittext_end = 0;       // __inittext_end
  uint64_t initdata_begin = 0;     // __initdata_begin
  uint64_t initdata_end = 0;       // __initdata_end
  uint64_t data = 0;               // _data
  uint64_t end = 0;                // _end
  uint64_t swapper_pg_dir = 0;     // swapper_pg_dir
  uint64_t init_pg_dir = 0;        // init_pg_dir
  uint64_t init_pg_end = 0;        // init_pg_end
  uint64_t init_idmap_pg_dir = 0;  // init_idmap_pg_dir
  uint64_t init_idmap_pg_end = 0;  // init_idmap_pg_end
  uint64_t idmap_pg_dir = 0;       // idmap_pg_dir
  uint64_t reserved_pg_dir = 0;    // reserved_pg_dir
  // Present only in some kernels or files.
  std::optional<uint64_t> tramp_pg_dir;            // tramp_pg_dir (CONFIG_UNMAP_KERNEL_AT_EL0)
  std::optional<uint64_t> init_begin;              // __init_begin
  std::optional<uint64_t> init_end;                // __init_end
  std::optional<uint64_t> edata;                   // _edata
  std::optional<uint64_t> bss_start;               // __bss_start
  std::optional<uint64_t> bss_stop;                // __bss_stop
  std::optional<uint64_t> idmap_text_start;        // __idmap_text_start
  std::optional<uint64_t> idmap_text_end;          // __idmap_text_end
  std::optional<uint64_t> entry_tramp_text_start;  // __entry_tramp_text_start
  std::optional<uint64_t> bm_pud;                  // bm_pud (fixmap tables, arch/arm64/mm/mmu.c)
  std::optional<uint64_t> bm_pmd;                  // bm_pmd
  std::optional<uint64_t> bm_pte;                  // bm_pte
};

// arm (32-bit), Linux 6.1 and 4.x (arch/arm/kernel/vmlinux.lds.S).
struct ArmImageLayout {
  std::string source;
  uint64_t text = 0;                       // _text: PAGE_OFFSET + TEXT_OFFSET
  uint64_t stext = 0;                      // _stext: KERNEL_START
  uint64_t etext = 0;                      // _etext
  uint64_t init_begin = 0;                 // __init_begin
  uint64_t init_end = 0;                   // __init_end
  uint64_t sdata = 0;                      // _sdata
  uint64_t end = 0;                        // _end: KERNEL_END
  std::optional<uint64_t> edata;           // _edata
  std::optional<uint64_t> bss_start;       // __bss_start
  std::optional<uint64_t> bss_stop;        // __bss_stop
  std::optional<uint64_t> swapper_pg_dir;  // swapper_pg_dir (absolute, below _text)
  std::optional<uint64_t> start_rodata;    // __start_rodata
  std::optional<uint64_t> vectors_start;   // __vectors_start
  std::optional<uint64_t> stubs_start;     // __stubs_start
};

// The layouts from a symbol table.  Every missing required symbol is named
// in one bad_input error; so is an order that cannot be (e.g. _end below
// _text, a symbol outside [_text, _end]).
Arm64ImageLayout arm64_image_layout(const SymbolTable& symbols);
ArmImageLayout arm_image_layout(const SymbolTable& symbols);

// Built-in image layouts: the section symbols of real kernels.

struct KernelImagePreset {
  std::string_view name;  // "debian-6.1-arm64"
  Arch arch;
  std::string_view description;  // the kernel it comes from
  // Symbols not in the source and filled in by ptsim (named in description);
  // empty when every value is real.
  std::vector<std::string_view> estimated;
  std::vector<std::pair<std::string_view, uint64_t>> values;

  SymbolTable symbols() const;
};

// Every preset, and one by name (bad_input listing the names if unknown).
const std::vector<KernelImagePreset>& kernel_image_presets();
const KernelImagePreset& kernel_image_preset(std::string_view name);

}  // namespace ptsim::machine
