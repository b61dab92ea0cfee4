#include "ptsim/report/ptdump_arm64.h"

#include <array>

#include <fmt/format.h>

#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/hw/bits.h"

namespace ptsim::report {
namespace {

using hw::bit;

// The pte bits ptdump.c decodes (arch/arm64/include/asm/pgtable-hwdef.h,
// memory.h; v6.1).
constexpr uint64_t PTE_VALID = bit(0);
constexpr uint64_t PTE_TABLE_BIT = bit(1);
constexpr uint64_t PTE_USER = bit(6);
constexpr uint64_t PTE_RDONLY = bit(7);
constexpr uint64_t PTE_SHARED = uint64_t{3} << 8;
constexpr uint64_t PTE_AF = bit(10);
constexpr uint64_t PTE_NG = bit(11);
constexpr uint64_t PTE_GP = bit(50);
constexpr uint64_t PTE_CONT = bit(52);
constexpr uint64_t PTE_PXN = bit(53);
constexpr uint64_t PTE_UXN = bit(54);
constexpr uint64_t PTE_PROT_NONE = bit(58);
constexpr uint64_t PTE_ATTRINDX_MASK = uint64_t{7} << 2;
constexpr uint64_t PTE_ATTRINDX(uint64_t t) {
  return t << 2;
}
constexpr uint64_t MT_NORMAL = 0;
constexpr uint64_t MT_NORMAL_TAGGED = 1;
constexpr uint64_t MT_NORMAL_NC = 2;
constexpr uint64_t MT_DEVICE_nGnRnE = 3;
constexpr uint64_t MT_DEVICE_nGnRE = 4;

struct prot_bits {
  uint64_t mask;
  uint64_t val;
  const char* set;
  const char* clear;
};

// Models: arch/arm64/mm/ptdump.c pte_bits (v6.1)
constexpr std::array<prot_bits, 16> pte_bits = {{
    {PTE_VALID, PTE_VALID, " ", "F"},
    {PTE_USER, PTE_USER, "USR", "   "},
    {PTE_RDONLY, PTE_RDONLY, "ro", "RW"},
    {PTE_PXN, PTE_PXN, "NX", "x "},
    {PTE_SHARED, PTE_SHARED, "SHD", "   "},
    {PTE_AF, PTE_AF, "AF", "  "},
    {PTE_NG, PTE_NG, "NG", "  "},
    {PTE_CONT, PTE_CONT, "CON", "   "},
    {PTE_TABLE_BIT, PTE_TABLE_BIT, "   ", "BLK"},
    {PTE_UXN, PTE_UXN, "UXN", "   "},
    {PTE_GP, PTE_GP, "GP", "  "},
    {PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRnE), "DEVICE/nGnRnE", nullptr},
    {PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRE), "DEVICE/nGnRE", nullptr},
    {PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_NC), "MEM/NORMAL-NC", nullptr},
    {PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL), "MEM/NORMAL", nullptr},
    {PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_TAGGED), "MEM/NORMAL-TAGGED", nullptr},
}};

constexpr uint64_t prot_mask() {
  uint64_t m = 0;
  for (const prot_bits& b : pte_bits) {
    m |= b.mask;
  }
  return m;
}

// Linux levels as ptdump numbers them: 0 pgd, 1 p4d, 2 pud, 3 pmd, 4 pte.
struct pg_state {
  std::string out;
  std::vector<AddrMarker> markers;
  size_t marker = 0;
  uint64_t start_address = 0;
  int level = -1;
  uint64_t current_prot = 0;
  std::array<const char*, 5> names{};
};

void dump_prot(pg_state& st) {
  for (const prot_bits& b : pte_bits) {
    const char* s = (st.current_prot & b.mask) == b.val ? b.set : b.clear;
    if (s != nullptr) {
      st.out += ' ';
      st.out += s;
    }
  }
}

// Models: arch/arm64/mm/ptdump.c note_page (v6.1)
void note_page(pg_state& st, uint64_t addr, int level, uint64_t val) {
  static constexpr char units[] = "KMGTPE";
  const uint64_t prot = level >= 0 ? (val & prot_mask()) : 0;
  const auto next_marker = [&st] { return st.markers[st.marker + 1].start_address; };
  if (st.level == -1) {
    st.level = level;
    st.current_prot = prot;
    st.start_address = addr;
    st.out += fmt::format("---[ {} ]---\n", st.markers[st.marker].name);
  } else if (prot != st.current_prot || level != st.level || addr >= next_marker()) {
    const char* unit = units;
    st.out += fmt::format("0x{:016x}-0x{:016x}   ", st.start_address, addr);
    uint64_t delta = (addr - st.start_address) >> 10;
    while ((delta & 1023) == 0 && unit[1] != '\0') {
      delta >>= 10;
      ++unit;
    }
    st.out += fmt::format("{:9}{} {}", delta, *unit, st.names[st.level]);
    if (st.current_prot != 0) {
      dump_prot(st);
    }
    st.out += '\n';
    if (addr >= next_marker()) {
      ++st.marker;
      st.out += fmt::format("---[ {} ]---\n", st.markers[st.marker].name);
    }
    st.start_address = addr;
    st.current_prot = prot;
    st.level = level;
  }
  if (addr >= next_marker()) {
    ++st.marker;
    st.out += fmt::format("---[ {} ]---\n", st.markers[st.marker].name);
  }
}

struct Walker {
  const hw::PhysMem& mem;
  const PtdumpArm64Input& in;
  pg_state& st;
  int start_level = 0;  // hardware level of the top table
  int levels = 4;       // CONFIG_PGTABLE_LEVELS
  hw::arm64::TableVisitLimit limit{mem, in.format.granule};

  uint64_t load(hw::PhysAddr pa) const { return mem.try_load64(pa).value_or(0); }
  static bool present(uint64_t val) { return (val & (PTE_VALID | PTE_PROT_NONE)) != 0; }
  static bool is_table(uint64_t val) { return (val & 3) == 3; }
  hw::PhysAddr next_table(uint64_t val, int level) const {
    return hw::arm64::output_address(in.format, level, hw::arm64::DescriptorKind::table, val);
  }

  // Visits the entries of the table at `table`, hardware level `level`,
  // whose first entry maps `base`; `first` and `last` bound the indexes.
  void walk(int level, hw::PhysAddr table, uint64_t base, uint64_t count) {
    const hw::arm64::TableVisitLimit::Scope on_path = limit.enter(level, table);
    const unsigned shift = hw::arm64::level_shift(in.format.granule, level);
    for (uint64_t i = 0; i < count; ++i) {
      const uint64_t addr = base + (i << shift);
      if (addr < in.start && addr + (uint64_t{1} << shift) - 1 < in.start) {
        continue;
      }
      const uint64_t val = load(table + i * 8);
      visit(level, addr, val);
    }
  }

  void descend(int level, uint64_t addr, uint64_t val) {
    const unsigned bits = hw::arm64::bits_per_level(in.format.granule);
    walk(level + 1, next_table(val, level), addr, uint64_t{1} << bits);
  }

  // Models: mm/pagewalk.c walk_p4d_range/walk_pud_range/walk_pmd_range
  // with mm/ptdump.c's callbacks (v6.1), on arm64's level folding.
  void visit(int level, uint64_t addr, uint64_t val) {
    if (level == 3) {
      note_page(st, addr, 4, val);  // ptdump_pte_entry: every pte, empty or not
      return;
    }
    const bool top = level == start_level;
    // pte_hole reports real_depth(): a hole in the top table is level 0.
    const int hole_depth = top ? 0 : (level == 1 ? 2 : 3);
    // A four-level top table is the p4d: p4d_none_or_clear_bad() also
    // treats a non-table entry as a hole.
    if (val == 0 || (level == 0 && !is_table(val))) {
      note_page(st, addr, hole_depth, 0);
      return;
    }
    if (level == 0) {
      descend(level, addr, val);
      return;
    }
    // pud_leaf() is false with 64K pages (pud_table() is always true).
    const bool leaf_possible = level == 2 || in.format.granule != hw::arm64::Granule::k64K;
    if (leaf_possible && present(val) && !is_table(val)) {
      note_page(st, addr, level == 1 ? 2 : 3, val);
      return;
    }
    if (!present(val)) {
      return;  // walk_p?d_range: !p?d_present(), nothing noted
    }
    descend(level, addr, val);
  }
};

}  // namespace

uint64_t ptdump_arm64_prot_bits(uint64_t desc) { return desc & prot_mask(); }

std::vector<std::string> ptdump_arm64_attr_words(uint64_t desc) {
  std::vector<std::string> words;
  for (const prot_bits& b : pte_bits) {
    const char* s = (desc & b.mask) == b.val ? b.set : b.clear;
    if (s == nullptr) {
      continue;
    }
    std::string w(s);
    while (!w.empty() && w.back() == ' ') {
      w.pop_back();
    }
    if (!w.empty()) {
      words.push_back(w);
    }
  }
  return words;
}

std::vector<AddrMarker> arm64_linear_map_markers(unsigned va_bits) {
  return {{~uint64_t{0} << va_bits, "Linear Mapping start"},
          {~uint64_t{0} << (va_bits - 1), "Linear Mapping end"}};
}

std::string ptdump_arm64(const hw::PhysMem& mem, const PtdumpArm64Input& in) {
  pg_state st;
  st.markers = in.markers;
  if (st.markers.empty()) {
    st.markers.push_back({in.start, in.upper ? "TTBR1_EL1" : "TTBR0_EL1"});
  }
  st.markers.push_back({~uint64_t{0}, ""});
  Walker w{mem, in, st};
  w.start_level = hw::arm64::start_level(in.format.granule, in.va_bits);
  w.levels = 4 - w.start_level;
  // Models: arch/arm64/mm/ptdump.c pg_level[] names (v6.1)
  st.names = {"PGD", "P4D", w.levels > 3 ? "PUD" : "PGD", w.levels > 2 ? "PMD" : "PGD", "PTE"};
  const unsigned top_shift = hw::arm64::level_shift(in.format.granule, w.start_level);
  const uint64_t entries = uint64_t{1} << (in.va_bits - top_shift);
  const uint64_t base = in.upper ? (~uint64_t{0} << in.va_bits) : 0;
  w.walk(w.start_level, in.pgd, base, entries);
  note_page(st, 0, -1, 0);  // ptdump_walk_pgd: flush out the last range
  return st.out;
}

}  // namespace ptsim::report
