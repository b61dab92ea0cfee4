// The machine a kernel boots on, as the boot models consume it: RAM banks,
// reserved memory, the /chosen node and the console UART.
//
// A Machine comes from a real device-tree blob (machine/dtb.h, read with
// libfdt) or from a built-in preset (machine/presets.h).  It holds what the
// blob *says*, read the way Linux 6.1's early FDT code reads it
// (drivers/of/fdt.c, drivers/of/of_reserved_mem.c): the boot models then
// apply Linux's own policy (memblock_add, memblock_reserve, the alloc of
// dynamic reserved regions, mem= limits) to it.  Where Linux would read a
// property and then ignore or skip it (a reserved-memory node with a bad
// `reg`, a `kaslr-seed` of the wrong length), the value is kept, flagged,
// and Linux's message is added to `notes` so a user sees why.
//
// All addresses are CPU physical addresses, as plain 64-bit numbers (the
// boot models convert to hw::PhysAddr where they touch memory).  Ranges
// are [base, base + size).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ptsim::machine {

// The architecture a machine or kernel image is for.
enum class Arch { arm64, arm };

struct Range {
  uint64_t base = 0;
  uint64_t size = 0;
  uint64_t end() const { return base + size; }
  bool operator==(const Range&) const = default;
};

// One (base, size) pair of a /memory node's `reg` (or of its
// `linux,usable-memory`, which Linux prefers when present).  Pairs of size 0
// are dropped, as early_init_dt_scan_memory drops them.
struct MemoryBank {
  uint64_t base = 0;
  uint64_t size = 0;
  std::string node;           // "/memory@40000000"
  bool hotpluggable = false;  // the node has `hotpluggable` (memblock_mark_hotplug)
  bool operator==(const MemoryBank&) const = default;
};

// A child of /reserved-memory (Documentation/devicetree/bindings/
// reserved-memory/reserved-memory.yaml).  Static regions have `reg`; dynamic
// ones have `size` (and maybe `alignment`, `alloc-ranges`) and get their
// place from memblock at boot, which is the boot model's job.
struct ReservedRegion {
  std::string name;                     // node name: "linux,cma", "vram@4c000000"
  std::vector<std::string> compatible;  // e.g. {"shared-dma-pool"}
  std::vector<Range> reg;               // static: every reg pair (Linux reserves all, records the first)
  std::optional<uint64_t> size;         // dynamic: `size`
  std::optional<uint64_t> alignment;    // dynamic: `alignment`
  std::vector<Range> alloc_ranges;      // dynamic: `alloc-ranges`
  bool no_map = false;                  // `no-map`: memblock_mark_nomap, not in the linear map
  bool reusable = false;                // `reusable`: the OS may use it (CMA)
  bool linux_cma_default = false;       // `linux,cma-default`
  // Empty when Linux 6.1 accepts the node; otherwise the pr_err it prints
  // and Linux skips the node (e.g. "invalid reg property").
  std::string linux_error;

  bool is_dynamic() const { return reg.empty() && size.has_value(); }
  bool operator==(const ReservedRegion&) const = default;
};

// linux,initrd-start / linux,initrd-end: [start, end).
struct Initrd {
  uint64_t start = 0;
  uint64_t end = 0;
  unsigned cells = 2;  // how the blob wrote them: 1 (32-bit) or 2 (64-bit) cells
  bool operator==(const Initrd&) const = default;
};

struct Chosen {
  bool present = false;                  // the blob has a /chosen node
  std::optional<std::string> bootargs;   // `bootargs`
  std::optional<Initrd> initrd;          // set only when Linux would use it (start <= end)
  std::vector<Range> usable_memory;      // `linux,usable-memory-range` (crash kernels)
  std::optional<uint64_t> kaslr_seed;    // `kaslr-seed`, only when 8 bytes (kaslr_early.c)
  std::optional<std::string> stdout_path;  // `stdout-path`, as written ("serial0:115200n8")
  bool operator==(const Chosen&) const = default;
};

// The UART stdout-path names (what `earlycon` with no value would use).
struct Uart {
  std::string node;                     // full path, "/pl011@9000000"
  std::vector<std::string> compatible;  // {"arm,pl011", "arm,primecell"}
  std::optional<Range> reg;             // first reg pair translated to a CPU physical address
  bool operator==(const Uart&) const = default;
};

struct Machine {
  std::string source;                   // "virt.dtb", "preset virt"
  std::string model;                    // root `model`
  std::vector<std::string> compatible;  // root `compatible`
  unsigned address_cells = 1;           // root #address-cells (Linux's default 1 when absent)
  unsigned size_cells = 1;              // root #size-cells (default 1)
  std::vector<MemoryBank> memory;       // in blob order
  std::vector<Range> memreserve;        // the header's memory reservation block
  std::vector<ReservedRegion> reserved;  // /reserved-memory children that are available
  // Empty when /reserved-memory is absent or usable; otherwise Linux's
  // "unsupported node format" reason and every child is ignored.
  std::string reserved_memory_error;
  Chosen chosen;
  std::optional<Uart> uart;
  std::vector<std::string> notes;  // things read but ignored, with Linux's reason

  // Sum of the memory banks' sizes.
  uint64_t ram_size() const;
  bool operator==(const Machine&) const = default;
};

}  // namespace ptsim::machine
