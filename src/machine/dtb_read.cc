// Reading a device-tree blob into a Machine, the way Linux 6.1's early FDT
// code reads it (drivers/of/fdt.c early_init_dt_scan_root/_memory/_chosen,
// fdt_scan_reserved_mem, drivers/of/of_reserved_mem.c).
//
// Order of trust: blob_check.cc proves the header and the structure block
// sound first; after that libfdt's accessors cannot step outside the blob,
// and FdtView checks each property's length before reading a cell.
#include "ptsim/machine/dtb.h"

#include <fmt/format.h>
#include <libfdt.h>

#include "machine/fdt_view.h"
#include "machine/input_file.h"
#include "ptsim/error.h"

namespace ptsim::machine {
namespace {

// Linux's defaults when the root has no #address-cells/#size-cells
// (OF_ROOT_NODE_ADDR_CELLS_DEFAULT, OF_ROOT_NODE_SIZE_CELLS_DEFAULT).
constexpr unsigned kDefaultRootCells = 1;

unsigned root_cells(const FdtView& fdt, const char* name) {
  const auto cells = fdt.optional_u32(0, name);
  if (!cells) {
    return kDefaultRootCells;
  }
  // dt_mem_next_cell reads at most two cells into a u64; ptsim's banks are
  // 64-bit, so a root with more (or none) cannot describe RAM.
  if (*cells < 1 || *cells > 2) {
    throw bad_input(fmt::format("{}: root {} is {}; a root node must use 1 or 2 cells for memory addresses",
                                fdt.source(), name, *cells));
  }
  return *cells;
}

void read_root(const FdtView& fdt, Machine& m) {
  m.address_cells = root_cells(fdt, "#address-cells");
  m.size_cells = root_cells(fdt, "#size-cells");
  m.model = fdt.optional_string(0, "model").value_or("");
  m.compatible = fdt.string_list(0, "compatible");
}

// Models: drivers/of/fdt.c early_init_dt_scan_memory (v6.1), reading only.
void read_memory(const FdtView& fdt, Machine& m) {
  for (int node = fdt.first_subnode(0); node >= 0; node = fdt.next_subnode(node)) {
    const auto type = fdt.optional_string(node, "device_type");
    if (type != "memory" || !fdt.is_available(node)) {
      continue;
    }
    const char* prop = fdt.has(node, "linux,usable-memory") ? "linux,usable-memory" : "reg";
    if (!fdt.has(node, prop)) {
      continue;
    }
    const std::string path = fdt.path(node);
    const CellReader reg = fdt.cells(node, prop);
    const unsigned pair = m.address_cells + m.size_cells;
    if (reg.count() % pair != 0 || reg.byte_length() % 4 != 0) {
      m.notes.push_back(fmt::format("{} {} has {} bytes, not a whole number of ({} + {})-cell pairs: "
                                    "Linux ignores the trailing bytes",
                                    path, prop, reg.byte_length(), m.address_cells, m.size_cells));
    }
    const bool hotpluggable = fdt.has(node, "hotpluggable");
    for (size_t i = 0; i + pair <= reg.count(); i += pair) {
      const uint64_t base = reg.read(i, m.address_cells);
      const uint64_t size = reg.read(i + m.address_cells, m.size_cells);
      if (size == 0) {
        continue;
      }
      m.memory.push_back(MemoryBank{base, size, path, hotpluggable});
    }
  }
}

void read_memreserve(const FdtView& fdt, Machine& m) {
  const int count = fdt_num_mem_rsv(fdt.blob());
  if (count < 0) {
    throw fdt.error(count, fdt_off_mem_rsvmap(fdt.blob()), "reading the memory reservation block");
  }
  for (int i = 0; i < count; ++i) {
    uint64_t base = 0;
    uint64_t size = 0;
    const int rc = fdt_get_mem_rsv(fdt.blob(), i, &base, &size);
    if (rc < 0) {
      throw fdt.error(rc, fdt_off_mem_rsvmap(fdt.blob()) + 16 * i, "reading the memory reservation block");
    }
    m.memreserve.push_back(Range{base, size});
  }
}

// A dynamic region's `size`/`alignment` must be exactly one number of the
// root's cell count (of_reserved_mem.c __reserved_mem_alloc_size).
std::optional<uint64_t> read_exact_cells(const FdtView& fdt, int node, const char* prop, unsigned cells,
                                         ReservedRegion& r) {
  if (!fdt.has(node, prop)) {
    return std::nullopt;
  }
  const CellReader c = fdt.cells(node, prop);
  if (c.byte_length() != cells * 4) {
    if (r.linux_error.empty()) {
      r.linux_error = fmt::format("invalid {} property in '{}' node.", prop, r.name);
    }
    return std::nullopt;
  }
  return c.read(0, cells);
}

ReservedRegion read_reserved_child(const FdtView& fdt, int node, const Machine& m) {
  ReservedRegion r;
  r.name = fdt.name(node);
  r.compatible = fdt.string_list(node, "compatible");
  r.no_map = fdt.has(node, "no-map");
  r.reusable = fdt.has(node, "reusable");
  r.linux_cma_default = fdt.has(node, "linux,cma-default");
  const unsigned pair = m.address_cells + m.size_cells;
  // Models: drivers/of/fdt.c __reserved_mem_reserve_reg (v6.1), reading only.
  if (fdt.has(node, "reg")) {
    const CellReader reg = fdt.cells(node, "reg");
    if (reg.byte_length() % (pair * 4) != 0) {
      r.linux_error = fmt::format("Reserved memory: invalid reg property in '{}', skipping node.", r.name);
      return r;
    }
    for (size_t i = 0; i + pair <= reg.count(); i += pair) {
      const uint64_t base = reg.read(i, m.address_cells);
      const uint64_t size = reg.read(i + m.address_cells, m.size_cells);
      r.reg.push_back(Range{base, size});
    }
    if (!r.reg.empty()) {
      return r;
    }
  }
  // Models: drivers/of/of_reserved_mem.c __reserved_mem_alloc_size (v6.1), reading only.
  r.size = read_exact_cells(fdt, node, "size", m.size_cells, r);
  r.alignment = read_exact_cells(fdt, node, "alignment", m.address_cells, r);
  if (fdt.has(node, "alloc-ranges")) {
    const CellReader ranges = fdt.cells(node, "alloc-ranges");
    if (ranges.byte_length() % (pair * 4) != 0) {
      r.linux_error = fmt::format("invalid alloc-ranges property in '{}', skipping node.", r.name);
    } else {
      for (size_t i = 0; i + pair <= ranges.count(); i += pair) {
        r.alloc_ranges.push_back(Range{ranges.read(i, m.address_cells), ranges.read(i + m.address_cells, m.size_cells)});
      }
    }
  }
  if (r.no_map && r.reusable && r.linux_error.empty()) {
    // of_reserved_mem.c __reserved_mem_init_node's check, made at boot.
    r.linux_error = fmt::format("Reserved memory: ignoring region '{}': can't use reusable and no-map together",
                                r.name);
  }
  return r;
}

// Models: drivers/of/fdt.c fdt_scan_reserved_mem and __reserved_mem_check_root (v6.1), reading only.
void read_reserved_memory(const FdtView& fdt, Machine& m) {
  const int node = fdt.path_offset("/reserved-memory");
  if (node < 0) {
    return;
  }
  const auto size_cells = fdt.optional_u32(node, "#size-cells");
  const auto address_cells = fdt.optional_u32(node, "#address-cells");
  if (size_cells != m.size_cells || address_cells != m.address_cells || !fdt.has(node, "ranges")) {
    m.reserved_memory_error = fmt::format(
        "Reserved memory: unsupported node format, ignoring (/reserved-memory must have #address-cells {} "
        "and #size-cells {} like the root, and `ranges`)",
        m.address_cells, m.size_cells);
    m.notes.push_back(m.reserved_memory_error);
    return;
  }
  for (int child = fdt.first_subnode(node); child >= 0; child = fdt.next_subnode(child)) {
    if (!fdt.is_available(child)) {
      continue;
    }
    ReservedRegion r = read_reserved_child(fdt, child, m);
    if (r.reg.empty() && !r.size && r.linux_error.empty()) {
      m.notes.push_back(fmt::format("/reserved-memory/{} has neither reg nor size: Linux ignores it", r.name));
      continue;
    }
    if (!r.linux_error.empty()) {
      m.notes.push_back(r.linux_error);
    }
    m.reserved.push_back(std::move(r));
  }
}

// linux,initrd-start/-end are one or two cells; of_read_number(prop, len/4).
std::optional<uint64_t> read_initrd_cell(const FdtView& fdt, int node, const char* prop, unsigned& cells) {
  if (!fdt.has(node, prop)) {
    return std::nullopt;
  }
  const CellReader c = fdt.cells(node, prop);
  if (c.byte_length() != 4 && c.byte_length() != 8) {
    throw bad_input(fmt::format("{}: /chosen {} is {} bytes long; it must be one 32-bit cell (4 bytes) or two (8 bytes)",
                                fdt.source(), prop, c.byte_length()));
  }
  cells = static_cast<unsigned>(c.count());
  return c.read(0, cells);
}

// Models: drivers/of/fdt.c early_init_dt_scan_chosen, early_init_dt_check_for_initrd,
// early_init_dt_check_for_usable_mem_range (v6.1) and
// arch/arm64/kernel/pi/kaslr_early.c get_kaslr_seed (v6.1), reading only.
void read_chosen(const FdtView& fdt, Machine& m) {
  int node = fdt.path_offset("/chosen");
  if (node < 0) {
    node = fdt.path_offset("/chosen@0");
  }
  if (node < 0) {
    return;
  }
  Chosen& c = m.chosen;
  c.present = true;
  c.bootargs = fdt.optional_string(node, "bootargs");
  unsigned start_cells = 0;
  unsigned end_cells = 0;
  const auto start = read_initrd_cell(fdt, node, "linux,initrd-start", start_cells);
  const auto end = read_initrd_cell(fdt, node, "linux,initrd-end", end_cells);
  if (start && end) {
    if (*start > *end) {
      m.notes.push_back(fmt::format("/chosen linux,initrd-start {:#x} is above linux,initrd-end {:#x}: "
                                    "Linux ignores the initrd",
                                    *start, *end));
    } else {
      c.initrd = Initrd{*start, *end, start_cells};
    }
  } else if (start || end) {
    m.notes.push_back("/chosen has only one of linux,initrd-start and linux,initrd-end: Linux ignores the initrd");
  }
  if (fdt.has(node, "linux,usable-memory-range")) {
    const CellReader r = fdt.cells(node, "linux,usable-memory-range");
    const unsigned pair = m.address_cells + m.size_cells;
    if (r.byte_length() % (pair * 4) != 0) {
      m.notes.push_back(fmt::format("/chosen linux,usable-memory-range has {} bytes, not whole ({} + {})-cell "
                                    "pairs: Linux ignores it",
                                    r.byte_length(), m.address_cells, m.size_cells));
    } else {
      // MAX_USABLE_RANGES is 2 in 6.1: the first caps memory, the second is added.
      for (size_t i = 0; i + pair <= r.count() && c.usable_memory.size() < 2; i += pair) {
        c.usable_memory.push_back(Range{r.read(i, m.address_cells), r.read(i + m.address_cells, m.size_cells)});
      }
    }
  }
  if (fdt.has(node, "kaslr-seed")) {
    const CellReader seed = fdt.cells(node, "kaslr-seed");
    if (seed.byte_length() == 8) {
      c.kaslr_seed = seed.read(0, 2);
    } else {
      m.notes.push_back(fmt::format("/chosen kaslr-seed is {} bytes, not 8: Linux ignores it", seed.byte_length()));
    }
  }
  c.stdout_path = fdt.optional_string(node, "stdout-path");
  if (!c.stdout_path) {
    c.stdout_path = fdt.optional_string(node, "linux,stdout-path");
  }
}

// The UART stdout-path names: "serial0:115200n8" is an alias with options,
// "/pl011@9000000" a path (drivers/of/fdt.c early_init_dt_scan_chosen_stdout).
void read_uart(const FdtView& fdt, Machine& m) {
  if (!m.chosen.stdout_path) {
    return;
  }
  const std::string& spec = *m.chosen.stdout_path;
  const std::string path = spec.substr(0, spec.find(':'));
  const int node = fdt.path_offset(path);
  if (node < 0) {
    m.notes.push_back(fmt::format("stdout-path '{}' names no node", spec));
    return;
  }
  Uart u;
  u.node = fdt.path(node);
  u.compatible = fdt.string_list(node, "compatible");
  u.reg = fdt.translated_reg(node, m.notes);
  m.uart = std::move(u);
}

}  // namespace

Machine read_dtb(std::span<const uint8_t> blob, std::string_view source) {
  const FdtView fdt = FdtView::checked(blob, source);
  Machine m;
  m.source = std::string(source);
  read_root(fdt, m);
  read_memory(fdt, m);
  read_memreserve(fdt, m);
  read_reserved_memory(fdt, m);
  read_chosen(fdt, m);
  read_uart(fdt, m);
  return m;
}

Machine read_dtb_file(const std::string& path) {
  const std::string bytes = read_input_file(path, "device tree blob", 64 << 20);
  return read_dtb(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), path);
}

uint64_t Machine::ram_size() const {
  uint64_t total = 0;
  for (const MemoryBank& b : memory) {
    total += b.size;
  }
  return total;
}

}  // namespace ptsim::machine
