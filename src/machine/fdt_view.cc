// Checking a blob before anything reads it, and length-checked accessors.
#include "machine/fdt_view.h"

#include <fmt/format.h>
#include <libfdt.h>

#include <cstring>

namespace ptsim::machine {
namespace {

__extension__ using u128 = unsigned __int128;

// The size of the v17 header, the version every current dtc writes.
constexpr size_t kHeaderSize = sizeof(struct fdt_header);

uint32_t be32_at(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Header fields, in header order, with their offsets: used to say which
// field is wrong when fdt_check_header refuses the blob.
struct HeaderField {
  const char* name;
  unsigned offset;
};

// Names the first header field that breaks the layout rules of the
// Devicetree Specification v0.4 section 5.2 (blocks inside totalsize).
std::string header_diagnosis(const uint8_t* h, uint32_t totalsize, unsigned& offset) {
  const uint32_t version = be32_at(h + 0x14);
  const uint32_t last_comp = be32_at(h + 0x18);
  if (version < 16 || last_comp > 17) {
    offset = 0x14;
    return fmt::format("version {} (last compatible version {}); libfdt reads versions 16 and 17",
                       version, last_comp);
  }
  const uint32_t off_struct = be32_at(h + 0x08);
  const uint32_t off_strings = be32_at(h + 0x0c);
  const uint32_t off_rsv = be32_at(h + 0x10);
  const uint32_t size_strings = be32_at(h + 0x20);
  const uint32_t size_struct = version >= 17 ? be32_at(h + 0x24) : 0;
  const struct {
    HeaderField field;
    uint64_t start;
    uint64_t size;
  } blocks[] = {
      {{"off_mem_rsvmap", 0x10}, off_rsv, 16},
      {{"off_dt_struct", 0x08}, off_struct, 0},
      {{"size_dt_struct", 0x24}, off_struct, size_struct},
      {{"off_dt_strings", 0x0c}, off_strings, 0},
      {{"size_dt_strings", 0x20}, off_strings, size_strings},
  };
  for (const auto& b : blocks) {
    if (b.start < kHeaderSize || b.start + b.size > totalsize) {
      offset = b.field.offset;
      return fmt::format(
          "header field {} places a block at {:#x}+{:#x}, outside the {}-byte blob after the "
          "header",
          b.field.name, b.start, b.size, totalsize);
    }
  }
  offset = 0;
  return "the header";
}

// Finds where in the structure block fdt_check_full's complaint lies, by
// walking the tags the same way; returns the absolute offset.
uint64_t locate_structure_error(const void* fdt) {
  const uint64_t base = fdt_off_dt_struct(fdt);
  int offset = 0;
  int depth = 0;
  for (;;) {
    int next = 0;
    const uint32_t tag = fdt_next_tag(fdt, offset, &next);
    if (next < 0) {
      return base + static_cast<uint64_t>(offset);
    }
    switch (tag) {
      case FDT_BEGIN_NODE:
        ++depth;
        break;
      case FDT_END_NODE:
        if (--depth < 0) {
          return base + static_cast<uint64_t>(offset);
        }
        break;
      case FDT_PROP: {
        int length = 0;
        const char* name = nullptr;
        if (fdt_getprop_by_offset(fdt, offset, &name, &length) == nullptr) {
          return base + static_cast<uint64_t>(offset);
        }
        break;
      }
      case FDT_END:
        return base + static_cast<uint64_t>(offset);
      default:
        break;
    }
    offset = next;
  }
}

}  // namespace

uint64_t CellReader::read(size_t index, unsigned cells) const {
  if ((index + cells) * 4 > length_) {
    throw Error(ErrorKind::internal, "cell read beyond a property's checked length");
  }
  uint64_t value = 0;
  for (unsigned i = 0; i < cells; ++i) {
    value = (value << 32) | be32_at(data_ + (index + i) * 4);
  }
  return value;
}

Error FdtView::error(int fdt_err, uint64_t offset, std::string_view doing) const {
  return bad_input(fmt::format("{}: invalid device tree blob: {} at offset {:#x} ({})", source_,
                               fdt_strerror(fdt_err), offset, doing));
}

FdtView FdtView::checked(std::span<const uint8_t> blob, std::string_view source) {
  const std::string name(source);
  if (blob.size() < kHeaderSize) {
    throw bad_input(fmt::format(
        "{}: invalid device tree blob: {} at offset {:#x} (the blob is {} bytes, shorter "
        "than the {}-byte FDT header)",
        name, fdt_strerror(-FDT_ERR_TRUNCATED), blob.size(), blob.size(), kHeaderSize));
  }
  const uint32_t magic = be32_at(blob.data());
  if (magic != FDT_MAGIC) {
    throw bad_input(fmt::format(
        "{}: invalid device tree blob: {} at offset 0x0 (magic is {:#010x}, must be {:#010x})",
        name, fdt_strerror(-FDT_ERR_BADMAGIC), magic, FDT_MAGIC));
  }
  const uint32_t totalsize = be32_at(blob.data() + 4);
  if (totalsize > blob.size()) {
    throw bad_input(fmt::format(
        "{}: invalid device tree blob: {} at offset {:#x} (header totalsize at offset 0x4 "
        "says {} bytes, the blob has {})",
        name, fdt_strerror(-FDT_ERR_TRUNCATED), blob.size(), totalsize, blob.size()));
  }
  std::vector<uint64_t> storage((blob.size() + 7) / 8);
  std::memcpy(storage.data(), blob.data(), blob.size());
  FdtView view(std::move(storage), name);
  const void* fdt = view.blob();
  if (const int rc = fdt_check_header(fdt); rc != 0) {
    unsigned offset = 0;
    const std::string why = header_diagnosis(blob.data(), totalsize, offset);
    throw view.error(rc, offset, why);
  }
  // libfdt accepts versions from 2, but versions before 16 store each
  // node's full path instead of its name, and libfdt 1.6's fdt_check_full
  // dereferences a null name on them; every dtc since 2007 writes 17.
  if (fdt_version(fdt) < 16) {
    throw view.error(-FDT_ERR_BADVERSION, 0x14,
                     fmt::format("header version {} is older than 16, the oldest ptsim reads",
                                 fdt_version(fdt)));
  }
  if (const int rc = fdt_check_full(fdt, totalsize); rc != 0) {
    throw view.error(rc, locate_structure_error(fdt), "checking the structure block");
  }
  return view;
}

int FdtView::first_subnode(int node) const {
  const int child = fdt_first_subnode(blob(), node);
  if (child < 0 && child != -FDT_ERR_NOTFOUND) {
    throw error(child, fdt_off_dt_struct(blob()) + static_cast<uint64_t>(node), "listing subnodes");
  }
  return child < 0 ? -1 : child;
}

int FdtView::next_subnode(int node) const {
  const int next = fdt_next_subnode(blob(), node);
  if (next < 0 && next != -FDT_ERR_NOTFOUND) {
    throw error(next, fdt_off_dt_struct(blob()) + static_cast<uint64_t>(node), "listing subnodes");
  }
  return next < 0 ? -1 : next;
}

int FdtView::path_offset(const std::string& path) const {
  return fdt_path_offset(blob(), path.c_str());
}

std::string FdtView::name(int node) const {
  int length = 0;
  const char* n = fdt_get_name(blob(), node, &length);
  if (n == nullptr) {
    throw error(length, fdt_off_dt_struct(blob()) + static_cast<uint64_t>(node),
                "reading a node name");
  }
  return std::string(n, static_cast<size_t>(length));
}

std::string FdtView::path(int node) const {
  std::vector<char> buf(256);
  for (;;) {
    const int rc = fdt_get_path(blob(), node, buf.data(), static_cast<int>(buf.size()));
    if (rc == 0) {
      return std::string(buf.data());
    }
    if (rc != -FDT_ERR_NOSPACE || buf.size() >= (1u << 20)) {
      throw error(rc, fdt_off_dt_struct(blob()) + static_cast<uint64_t>(node),
                  "computing a node's path");
    }
    buf.resize(buf.size() * 4);
  }
}

const uint8_t* FdtView::prop(int node, const char* name, int* length) const {
  const void* p = fdt_getprop(blob(), node, name, length);
  if (p == nullptr) {
    return nullptr;
  }
  return static_cast<const uint8_t*>(p);
}

bool FdtView::has(int node, const char* prop_name) const {
  int length = 0;
  return prop(node, prop_name, &length) != nullptr;
}

std::optional<uint32_t> FdtView::optional_u32(int node, const char* prop_name) const {
  int length = 0;
  const uint8_t* p = prop(node, prop_name, &length);
  if (p == nullptr) {
    return std::nullopt;
  }
  if (length != 4) {
    throw bad_input(fmt::format("{}: {} {} is {} bytes long; it must be one 32-bit cell (4 bytes)",
                                source_, path(node), prop_name, length));
  }
  return be32_at(p);
}

std::optional<std::string> FdtView::optional_string(int node, const char* prop_name) const {
  int length = 0;
  const uint8_t* p = prop(node, prop_name, &length);
  if (p == nullptr) {
    return std::nullopt;
  }
  const char* s = reinterpret_cast<const char*>(p);
  return std::string(s, strnlen(s, static_cast<size_t>(length)));
}

std::vector<std::string> FdtView::string_list(int node, const char* prop_name) const {
  int length = 0;
  const uint8_t* p = prop(node, prop_name, &length);
  std::vector<std::string> out;
  if (p == nullptr) {
    return out;
  }
  const char* s = reinterpret_cast<const char*>(p);
  size_t at = 0;
  const auto total = static_cast<size_t>(length);
  while (at < total) {
    const size_t n = strnlen(s + at, total - at);
    out.emplace_back(s + at, n);
    at += n + 1;
  }
  return out;
}

CellReader FdtView::cells(int node, const char* prop_name) const {
  int length = 0;
  const uint8_t* p = prop(node, prop_name, &length);
  if (p == nullptr) {
    throw Error(ErrorKind::internal,
                fmt::format("property {} read without checking it exists", prop_name));
  }
  return CellReader(p, static_cast<size_t>(length));
}

bool FdtView::is_available(int node) const {
  const auto status = optional_string(node, "status");
  return !status || *status == "okay" || *status == "ok";
}

std::optional<Range> FdtView::translated_reg(int node, std::vector<std::string>& notes) const {
  const std::string where = path(node);
  const int parent = fdt_parent_offset(blob(), node);
  if (parent < 0 || !has(node, "reg")) {
    notes.push_back(fmt::format("{} has no reg", where));
    return std::nullopt;
  }
  const int na = fdt_address_cells(blob(), parent);
  const int ns = fdt_size_cells(blob(), parent);
  const CellReader reg = cells(node, "reg");
  if (na < 1 || ns < 0 || reg.count() < static_cast<size_t>(na + ns)) {
    notes.push_back(fmt::format("{} reg does not hold one ({} + {})-cell pair", where, na, ns));
    return std::nullopt;
  }
  auto read_wide = [](const CellReader& c, size_t index, int n) {
    u128 v = 0;
    for (int i = 0; i < n; ++i) {
      v = (v << 32) | c.read(index + static_cast<size_t>(i), 1);
    }
    return v;
  };
  u128 addr = read_wide(reg, 0, na);
  const u128 size = read_wide(reg, static_cast<size_t>(na), ns);
  // Each ancestor below the root maps its children's addresses into its
  // own parent's space with `ranges` (Devicetree Specification 2.3.8).
  for (int bus = parent; bus > 0;) {
    const int up = fdt_parent_offset(blob(), bus);
    if (up < 0) {
      throw error(up, fdt_off_dt_struct(blob()) + static_cast<uint64_t>(bus),
                  "finding a parent node");
    }
    if (!has(bus, "ranges")) {
      notes.push_back(fmt::format("{} is not translatable: {} has no ranges", where, path(bus)));
      return std::nullopt;
    }
    const CellReader ranges = cells(bus, "ranges");
    const int cna = fdt_address_cells(blob(), bus);
    const int pna = fdt_address_cells(blob(), up);
    const int cns = fdt_size_cells(blob(), bus);
    if (cna < 1 || pna < 1 || cns < 0) {
      notes.push_back(
          fmt::format("{} is not translatable: bad cell counts in {}", where, path(bus)));
      return std::nullopt;
    }
    const auto entry = static_cast<size_t>(cna + pna + cns);
    bool found = ranges.count() == 0;  // empty ranges: identity
    for (size_t i = 0; !found && i + entry <= ranges.count(); i += entry) {
      const u128 child = read_wide(ranges, i, cna);
      const u128 parent_base = read_wide(ranges, i + static_cast<size_t>(cna), pna);
      const u128 length = read_wide(ranges, i + static_cast<size_t>(cna + pna), cns);
      if (addr >= child && addr - child < length) {
        addr = parent_base + (addr - child);
        found = true;
      }
    }
    if (!found) {
      notes.push_back(
          fmt::format("{} is not translatable: no ranges entry of {} covers it", where, path(bus)));
      return std::nullopt;
    }
    bus = up;
  }
  if ((addr >> 64) != 0 || (size >> 64) != 0) {
    notes.push_back(fmt::format("{} reg does not fit 64 bits", where));
    return std::nullopt;
  }
  return Range{static_cast<uint64_t>(addr), static_cast<uint64_t>(size)};
}

}  // namespace ptsim::machine
