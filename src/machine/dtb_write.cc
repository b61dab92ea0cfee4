// Writing a Machine as a device-tree blob with libfdt's sequential-write
// API, and the header checks arm64's fixmap_remap_fdt makes.
#include "ptsim/machine/dtb.h"

#include <fmt/format.h>
#include <libfdt.h>

#include "ptsim/error.h"

namespace ptsim::machine {
namespace {

// Appends `value` as `cells` big-endian 32-bit cells.
void push_cells(std::vector<uint8_t>& out, uint64_t value, unsigned cells) {
  for (unsigned i = cells; i-- > 0;) {
    const auto cell = static_cast<uint32_t>(cells == 1 || i < 2 ? value >> (32 * i) : 0);
    out.push_back(static_cast<uint8_t>(cell >> 24));
    out.push_back(static_cast<uint8_t>(cell >> 16));
    out.push_back(static_cast<uint8_t>(cell >> 8));
    out.push_back(static_cast<uint8_t>(cell));
  }
}

std::vector<uint8_t> pairs(const std::vector<Range>& ranges, unsigned na, unsigned ns) {
  std::vector<uint8_t> out;
  for (const Range& r : ranges) {
    push_cells(out, r.base, na);
    push_cells(out, r.size, ns);
  }
  return out;
}

std::vector<uint8_t> string_list(const std::vector<std::string>& strings) {
  std::vector<uint8_t> out;
  for (const std::string& s : strings) {
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(0);
  }
  return out;
}

// One attempt at writing the blob into `buf`; returns a libfdt error code.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& buf) : buf_(buf) {}

  int rc() const { return rc_; }

  void step(int rc) {
    if (rc_ == 0) {
      rc_ = rc;
    }
  }
  void bytes(const char* name, const std::vector<uint8_t>& value) {
    step(fdt_property(fdt(), name, value.data(), static_cast<int>(value.size())));
  }
  void string(const char* name, const std::string& value) {
    step(fdt_property(fdt(), name, value.c_str(), static_cast<int>(value.size() + 1)));
  }
  void flag(const char* name) { step(fdt_property(fdt(), name, nullptr, 0)); }
  void u32(const char* name, uint32_t value) { step(fdt_property_u32(fdt(), name, value)); }
  void begin(const std::string& name) { step(fdt_begin_node(fdt(), name.c_str())); }
  void end() { step(fdt_end_node(fdt())); }
  void* fdt() { return buf_.data(); }

 private:
  std::vector<uint8_t>& buf_;
  int rc_ = 0;
};

void write_reserved(Writer& w, const Machine& m) {
  if (m.reserved.empty()) {
    return;
  }
  w.begin("reserved-memory");
  w.u32("#address-cells", m.address_cells);
  w.u32("#size-cells", m.size_cells);
  w.flag("ranges");
  for (const ReservedRegion& r : m.reserved) {
    w.begin(r.name);
    if (!r.compatible.empty()) {
      w.bytes("compatible", string_list(r.compatible));
    }
    if (!r.reg.empty()) {
      w.bytes("reg", pairs(r.reg, m.address_cells, m.size_cells));
    }
    if (r.size) {
      std::vector<uint8_t> v;
      push_cells(v, *r.size, m.size_cells);
      w.bytes("size", v);
    }
    if (r.alignment) {
      std::vector<uint8_t> v;
      push_cells(v, *r.alignment, m.address_cells);
      w.bytes("alignment", v);
    }
    if (!r.alloc_ranges.empty()) {
      w.bytes("alloc-ranges", pairs(r.alloc_ranges, m.address_cells, m.size_cells));
    }
    if (r.no_map) {
      w.flag("no-map");
    }
    if (r.reusable) {
      w.flag("reusable");
    }
    if (r.linux_cma_default) {
      w.flag("linux,cma-default");
    }
    w.end();
  }
  w.end();
}

void write_chosen(Writer& w, const Machine& m) {
  const Chosen& c = m.chosen;
  if (!c.present) {
    return;
  }
  w.begin("chosen");
  if (c.bootargs) {
    w.string("bootargs", *c.bootargs);
  }
  if (c.initrd) {
    std::vector<uint8_t> start;
    std::vector<uint8_t> end;
    push_cells(start, c.initrd->start, c.initrd->cells);
    push_cells(end, c.initrd->end, c.initrd->cells);
    w.bytes("linux,initrd-start", start);
    w.bytes("linux,initrd-end", end);
  }
  if (!c.usable_memory.empty()) {
    w.bytes("linux,usable-memory-range", pairs(c.usable_memory, m.address_cells, m.size_cells));
  }
  if (c.kaslr_seed) {
    std::vector<uint8_t> v;
    push_cells(v, *c.kaslr_seed, 2);
    w.bytes("kaslr-seed", v);
  }
  if (c.stdout_path) {
    w.string("stdout-path", *c.stdout_path);
  }
  w.end();
}

// The UART at its path; the buses above it get an empty `ranges`, so its
// reg is already the CPU physical address.  An alias stdout-path
// ("serial0:115200n8") gets its /aliases entry.
void write_uart(Writer& w, const Machine& m) {
  if (!m.uart || !m.uart->reg) {
    return;
  }
  const std::string& path = m.uart->node;
  const std::string& out = m.chosen.stdout_path.value_or("/");
  if (!out.empty() && out[0] != '/') {
    w.begin("aliases");
    w.string(out.substr(0, out.find(':')).c_str(), path);
    w.end();
  }
  unsigned depth = 0;
  for (size_t at = 1; at < path.size();) {
    const size_t slash = path.find('/', at);
    const bool last = slash == std::string::npos;
    w.begin(path.substr(at, last ? std::string::npos : slash - at));
    ++depth;
    if (last) {
      if (!m.uart->compatible.empty()) {
        w.bytes("compatible", string_list(m.uart->compatible));
      }
      w.bytes("reg", pairs({*m.uart->reg}, m.address_cells, m.size_cells));
      break;
    }
    w.u32("#address-cells", m.address_cells);
    w.u32("#size-cells", m.size_cells);
    w.flag("ranges");
    at = slash + 1;
  }
  for (; depth > 0; --depth) {
    w.end();
  }
}

int write_once(std::vector<uint8_t>& buf, const Machine& m) {
  Writer w(buf);
  w.step(fdt_create(w.fdt(), static_cast<int>(buf.size())));
  for (const Range& r : m.memreserve) {
    w.step(fdt_add_reservemap_entry(w.fdt(), r.base, r.size));
  }
  w.step(fdt_finish_reservemap(w.fdt()));
  w.begin("");
  w.u32("#address-cells", m.address_cells);
  w.u32("#size-cells", m.size_cells);
  if (!m.model.empty()) {
    w.string("model", m.model);
  }
  if (!m.compatible.empty()) {
    w.bytes("compatible", string_list(m.compatible));
  }
  write_chosen(w, m);
  // One node per bank, named after its base as dtc and QEMU name them.
  for (const MemoryBank& b : m.memory) {
    w.begin(fmt::format("memory@{:x}", b.base));
    w.string("device_type", "memory");
    w.bytes("reg", pairs({Range{b.base, b.size}}, m.address_cells, m.size_cells));
    if (b.hotpluggable) {
      w.flag("hotpluggable");
    }
    w.end();
  }
  write_reserved(w, m);
  write_uart(w, m);
  w.end();
  w.step(fdt_finish(w.fdt()));
  return w.rc();
}

}  // namespace

std::vector<uint8_t> write_dtb(const Machine& m) {
  std::vector<uint8_t> buf(16 * 1024);
  for (;;) {
    const int rc = write_once(buf, m);
    if (rc == 0) {
      buf.resize(fdt_totalsize(buf.data()));
      return buf;
    }
    if (rc != -FDT_ERR_NOSPACE || buf.size() >= MAX_FDT_SIZE) {
      throw bad_input(fmt::format("cannot write a device tree for {}: {}", m.source, fdt_strerror(rc)));
    }
    buf.resize(buf.size() * 2);
  }
}

FdtCheck fixmap_fdt_check(std::span<const uint8_t> blob, uint64_t dt_phys) {
  FdtCheck c;
  if (dt_phys == 0) {
    c.reason = "the FDT physical address is 0 (no device tree passed in x0)";
    return c;
  }
  if (dt_phys % MIN_FDT_ALIGN != 0) {
    c.reason = fmt::format("the FDT physical address {:#x} is not {}-byte aligned (MIN_FDT_ALIGN)", dt_phys,
                           MIN_FDT_ALIGN);
    return c;
  }
  if (blob.size() < 8) {
    c.reason = fmt::format("only {} bytes at the FDT address; the magic and totalsize need 8", blob.size());
    return c;
  }
  auto be32 = [&](size_t at) {
    return (uint32_t{blob[at]} << 24) | (uint32_t{blob[at + 1]} << 16) | (uint32_t{blob[at + 2]} << 8) |
           uint32_t{blob[at + 3]};
  };
  const uint32_t magic = be32(0);
  if (magic != FDT_MAGIC) {
    c.reason = fmt::format("fdt_magic is {:#010x}, not FDT_MAGIC {:#010x}", magic, FDT_MAGIC);
    return c;
  }
  c.totalsize = be32(4);
  if (c.totalsize > MAX_FDT_SIZE) {
    c.reason = fmt::format("fdt_totalsize {:#x} exceeds MAX_FDT_SIZE {:#x} (2 MiB)", c.totalsize, MAX_FDT_SIZE);
    return c;
  }
  c.ok = true;
  return c;
}

std::string fdt_check_failure_message(uint64_t dt_phys, uint64_t dt_virt) {
  return fmt::format(
      "\nError: invalid device tree blob at physical address 0x{:016x} (virtual address 0x{:016x})\n"
      "The dtb must be 8-byte aligned and must not exceed 2 MB in size\n"
      "\nPlease check your bootloader.",
      dt_phys, dt_virt);
}

}  // namespace ptsim::machine
