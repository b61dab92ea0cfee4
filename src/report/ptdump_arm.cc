#include "ptsim/report/ptdump_arm.h"

#include <fmt/format.h>

#include <sstream>
#include <variant>

#include "ptsim/hw/addr.h"
#include "ptsim/hw/arch/arm/short_descriptor.h"
#include "ptsim/hw/bits.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::report {
namespace {

namespace sd = hw::arm::short_descriptor;
namespace two = kernel::arm::pgtable_2level;
namespace three = kernel::arm::pgtable_3level;
using kernel::arm::ArmBoot;
using kernel::arm::ArmVersion;

// dump.c struct prot_bits.
struct prot_bits {
  uint64_t mask;
  uint64_t val;
  const char* set;
  const char* clear;
};

const std::vector<prot_bits>& pte_bits(bool lpae) {
  static const std::vector<prot_bits> classic = {
      {two::L_PTE_USER, two::L_PTE_USER, "USR", "   "},
      {two::L_PTE_RDONLY, two::L_PTE_RDONLY, "ro", "RW"},
      {two::L_PTE_XN, two::L_PTE_XN, "NX", "x "},
      {two::L_PTE_SHARED, two::L_PTE_SHARED, "SHD", "   "},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_UNCACHED, "SO/UNCACHED", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_BUFFERABLE, "MEM/BUFFERABLE/WC", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_WRITETHROUGH, "MEM/CACHED/WT", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_WRITEBACK, "MEM/CACHED/WBRA", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_MINICACHE, "MEM/MINICACHE", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_WRITEALLOC, "MEM/CACHED/WBWA", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_DEV_SHARED, "DEV/SHARED", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_DEV_NONSHARED, "DEV/NONSHARED", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_DEV_WC, "DEV/WC", nullptr},
      {two::L_PTE_MT_MASK, two::L_PTE_MT_DEV_CACHED, "DEV/CACHED", nullptr},
  };
  static const std::vector<prot_bits> lpae_bits = {
      {three::L_PTE_USER, three::L_PTE_USER, "USR", "   "},
      {three::L_PTE_RDONLY, three::L_PTE_RDONLY, "ro", "RW"},
      {three::L_PTE_XN, three::L_PTE_XN, "NX", "x "},
      {three::L_PTE_SHARED, three::L_PTE_SHARED, "SHD", "   "},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_UNCACHED, "SO/UNCACHED", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_BUFFERABLE, "MEM/BUFFERABLE/WC", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_WRITETHROUGH, "MEM/CACHED/WT", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_WRITEBACK, "MEM/CACHED/WBRA", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_WRITEALLOC, "MEM/CACHED/WBWA", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_DEV_SHARED, "DEV/SHARED", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_DEV_WC, "DEV/WC", nullptr},
      {three::L_PTE_MT_MASK, three::L_PTE_MT_DEV_CACHED, "DEV/CACHED", nullptr},
  };
  return lpae ? lpae_bits : classic;
}

const std::vector<prot_bits>& section_bits(bool lpae) {
  constexpr uint64_t ap = two::PMD_SECT_APX | two::PMD_SECT_AP_READ | two::PMD_SECT_AP_WRITE;
  static const std::vector<prot_bits> classic = {
      {ap, two::PMD_SECT_APX | two::PMD_SECT_AP_WRITE, "    ro", nullptr},
      {ap, two::PMD_SECT_AP_WRITE, "    RW", nullptr},
      {ap, two::PMD_SECT_AP_READ, "USR ro", nullptr},
      {ap, two::PMD_SECT_AP_READ | two::PMD_SECT_AP_WRITE, "USR RW", nullptr},
      {two::PMD_SECT_XN, two::PMD_SECT_XN, "NX", "x "},
      {two::PMD_SECT_S, two::PMD_SECT_S, "SHD", "   "},
  };
  constexpr uint64_t ro = three::L_PMD_SECT_RDONLY | three::PMD_SECT_AP2;
  static const std::vector<prot_bits> lpae_bits = {
      {three::PMD_SECT_USER, three::PMD_SECT_USER, "USR", nullptr},
      {ro, ro, "ro", "RW"},
      {three::PMD_SECT_XN, three::PMD_SECT_XN, "NX", "x "},
      {three::PMD_SECT_S, three::PMD_SECT_S, "SHD", "   "},
  };
  return lpae ? lpae_bits : classic;
}

uint64_t level_mask(const std::vector<prot_bits>& bits) {
  uint64_t m = 0;
  for (const prot_bits& b : bits) {
    m |= b.mask;
  }
  return m;
}

// dump.c dump_prot: " %s" for each word that applies.
std::string dump_prot(uint64_t prot, const std::vector<prot_bits>& bits) {
  std::string out;
  for (const prot_bits& b : bits) {
    const char* s = (prot & b.mask) == b.val ? b.set : b.clear;
    if (s != nullptr) {
      out += ' ';
      out += s;
    }
  }
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) {
    out.push_back(w);
  }
  return out;
}

class Dumper {
 public:
  Dumper(const hw::PhysMem& mem, const ArmPtdumpInput& in)
      : mem_(mem), in_(in), lpae_(in.lpae), v3_(!in.names_and_domains), markers_(in.markers) {
    if (markers_.empty()) {
      markers_.push_back({0, ""});  // note_page names the first marker it meets
    }
    markers_.push_back({~uint64_t{0}, ""});
    masks_[4] = level_mask(section_bits(lpae_));
    masks_[5] = level_mask(pte_bits(lpae_));
  }

  ArmPtdump run() {
    if (lpae_) {
      walk_lpae();
    } else {
      walk_classic();
    }
    note_page(0, 0, 0, nullptr);
    flush_run();
    return std::move(out_);
  }

 private:
  const char* level_name(unsigned level) const {
    if (level == 4) {
      return lpae_ ? "PMD" : "PGD";
    }
    return level == 5 ? "PTE" : "";
  }

  const std::vector<prot_bits>* level_bits(unsigned level) const {
    if (level == 4) {
      return &section_bits(lpae_);
    }
    if (level == 5) {
      return &pte_bits(lpae_);
    }
    return nullptr;
  }

  const char* get_domain_name(uint64_t pmd) const {
    if (lpae_ || v3_) {
      return nullptr;
    }
    switch ((pmd & two::PMD_DOMAIN_MASK) >> 5) {
      case 0:
        return "KERNEL ";
      case 1:
        return "USER   ";
      case 2:
        return "IO     ";
      case 3:
        return "VECTORS";
      default:
        return "unknown";
    }
  }

  // dump.c note_page.
  void note_page(uint64_t addr, unsigned level, uint64_t val, const char* domain) {
    static constexpr char units[] = "KMGTPE";
    const uint64_t prot = level < 6 ? val & masks_[level] : 0;
    if (st_level_ == 0) {
      st_level_ = level;
      current_prot_ = prot;
      current_domain_ = domain;
      out_.lines.push_back(fmt::format("---[ {} ]---", markers_[marker_].name));
      return;
    }
    if (prot == current_prot_ && level == st_level_ && domain == current_domain_ &&
        addr < markers_[marker_ + 1].start_address) {
      return;
    }
    if (current_prot_ != 0) {
      std::string line = fmt::format("0x{:08x}-0x{:08x}   ", start_address_, addr);
      uint64_t delta = ((addr - start_address_) & 0xffffffffULL) >> 10;
      const char* unit = units;
      while ((delta & 1023) == 0 && unit[1] != '\0') {
        delta >>= 10;
        ++unit;
      }
      line += fmt::format("{:9}{}", delta, *unit);
      if (!v3_) {
        line += fmt::format(" {}", level_name(st_level_));
      }
      if (current_domain_ != nullptr) {
        line += fmt::format(" {}", current_domain_);
      }
      if (const auto* bits = level_bits(st_level_)) {
        line += dump_prot(current_prot_, *bits);
      }
      out_.lines.push_back(std::move(line));
    }
    if (addr >= markers_[marker_ + 1].start_address) {
      ++marker_;
      out_.lines.push_back(fmt::format("---[ {} ]---", markers_[marker_].name));
    }
    start_address_ = addr;
    current_prot_ = prot;
    current_domain_ = domain;
    st_level_ = level;
  }

  // A valid leaf for the JSON runs.
  void leaf(uint64_t va, uint64_t size, uint64_t pa, unsigned level, uint64_t val,
            const char* domain) {
    const uint64_t prot = val & masks_[level];
    std::vector<std::string> attrs = words(dump_prot(prot, *level_bits(level)));
    std::string dom = domain != nullptr ? words(domain).front() : "";
    std::string lvl = level_name(level);
    if (have_run_ && run_.va_end == va && run_.level == lvl && run_.attrs == attrs &&
        run_.domain == dom && run_.pa_start + (run_.va_end - run_.va_start) == pa) {
      run_.va_end = va + size;
      return;
    }
    flush_run();
    run_ = ArmMappingRun{va, va + size, pa, std::move(lvl), std::move(attrs), std::move(dom)};
    have_run_ = true;
  }

  void flush_run() {
    if (have_run_) {
      out_.runs.push_back(run_);
      have_run_ = false;
    }
  }

  uint64_t load64(uint64_t pa) const { return mem_.try_load64(hw::PhysAddr(pa)).value_or(0); }
  // The 32-bit word at pa (little-endian), from the aligned 64-bit word.
  uint32_t load32(uint64_t pa) const {
    return static_cast<uint32_t>(load64(pa & ~uint64_t{7}) >> ((pa & 4) * 8));
  }

  void walk_pte32(uint64_t table, uint64_t start, const char* domain) {
    for (unsigned i = 0; i < 512; ++i) {
      const uint64_t addr = start + uint64_t{i} * 4096;
      const uint32_t pte = load32(table + i * 4);
      note_page(addr, 5, pte, domain);
      if ((pte & two::L_PTE_PRESENT) != 0) {
        leaf(addr, 4096, pte & 0xfffff000u, 5, pte, domain);
      }
    }
  }

  // A section, or one of the 16 entries of a supersection, whose address
  // bits [23:20] hold PA[35:32] and whose 1 MiB piece is at its offset in
  // the 16 MiB.
  void section_leaf(uint64_t addr, uint32_t pmd, const char* domain) {
    if ((pmd & two::PMD_TYPE_MASK) != two::PMD_TYPE_SECT) {
      return;
    }
    const sd::FirstLevelDescriptor d = sd::decode_first_level(pmd);
    const auto* super = std::get_if<sd::Supersection>(&d);
    const uint64_t pa = super != nullptr
                            ? super->base.value() + (addr & (sd::kSupersectionSize - 1))
                            : pmd & 0xfff00000u;
    leaf(addr, 1u << 20, pa, 4, pmd, domain);
  }

  // walk_pgd -> walk_p4d -> walk_pud -> walk_pmd, with p4d, pud and pmd
  // folded into the pgd pair.
  void walk_classic() {
    const uint64_t pgd = in_.pgd;
    for (unsigned i = 0; i < 2048; ++i) {
      const uint64_t addr = uint64_t{i} << 21;
      const uint32_t pmd0 = load32(pgd + i * 8);
      const uint32_t pmd1 = load32(pgd + i * 8 + 4);
      const char* domain = get_domain_name(pmd0);
      const bool large0 = (pmd0 & 2) != 0;
      if (pmd0 == 0 || large0) {
        note_page(addr, 4, pmd0, domain);
        section_leaf(addr, pmd0, domain);
      } else {
        walk_pte32(pmd0 & 0xfffff000u, addr, domain);
      }
      if ((pmd1 & 2) != 0) {
        const char* domain1 = get_domain_name(pmd1);
        note_page(addr + (1u << 20), 4, pmd1, domain1);
        section_leaf(addr + (1u << 20), pmd1, domain1);
      }
    }
  }

  void walk_lpae() {
    const uint64_t pgd = in_.pgd;
    for (unsigned i = 0; i < 4; ++i) {
      const uint64_t pud = load64(pgd + i * 8);
      const uint64_t base = uint64_t{i} << 30;
      if (pud == 0) {
        note_page(base, 3, pud, nullptr);
        continue;
      }
      const uint64_t pmd_table = pud & three::PHYS_MASK & ~uint64_t{0xfff};
      for (unsigned j = 0; j < 512; ++j) {
        const uint64_t addr = base + (uint64_t{j} << 21);
        const uint64_t pmd = load64(pmd_table + j * 8);
        const bool sect = (pmd & three::PMD_TYPE_MASK) == three::PMD_TYPE_SECT;
        if (pmd == 0 || sect || (pmd & three::L_PMD_SECT_VALID) == 0) {
          note_page(addr, 4, pmd, nullptr);
          if (sect) {
            leaf(addr, 2u << 20, pmd & three::PHYS_MASK & ~uint64_t{(2u << 20) - 1}, 4, pmd,
                 nullptr);
          }
          continue;
        }
        const uint64_t table = pmd & three::PHYS_MASK & ~uint64_t{0xfff};
        for (unsigned k = 0; k < 512; ++k) {
          const uint64_t va = addr + uint64_t{k} * 4096;
          const uint64_t pte = load64(table + k * 8);
          note_page(va, 5, pte, nullptr);
          if ((pte & three::L_PTE_VALID) != 0) {
            leaf(va, 4096, pte & three::PHYS_MASK & ~uint64_t{0xfff}, 5, pte, nullptr);
          }
        }
      }
    }
  }

  const hw::PhysMem& mem_;
  const ArmPtdumpInput& in_;
  bool lpae_;
  bool v3_;
  std::vector<AddrMarker> markers_;
  uint64_t masks_[6] = {};
  size_t marker_ = 0;
  unsigned st_level_ = 0;
  uint64_t current_prot_ = 0;
  const char* current_domain_ = nullptr;
  uint64_t start_address_ = 0;
  ArmPtdump out_;
  ArmMappingRun run_;
  bool have_run_ = false;
};

}  // namespace

ArmPtdump ptdump_arm(const hw::PhysMem& mem, const ArmPtdumpInput& in) {
  return Dumper(mem, in).run();
}

// Models: arch/arm/mm/dump.c address_markers[] and ptdump_initialize() (v6.1;
// v4.14 ends the vmalloc area with VMALLOC_END instead of the FDT area)
std::vector<AddrMarker> arm_ptdump_markers(const kernel::arm::ArmLayout& l, uint64_t vmalloc_start,
                                           ArmVersion version) {
  std::vector<AddrMarker> m = {{l.MODULES_VADDR, "Modules"},
                               {l.PAGE_OFFSET, "Kernel Mapping"},
                               {vmalloc_start, "vmalloc() Area"}};
  if (version == ArmVersion::v6_1) {
    m.push_back({l.FDT_FIXED_BASE, "FDT Area"});
  } else {
    m.push_back({l.VMALLOC_END, "vmalloc() End"});
  }
  m.push_back({l.FIXADDR_START, "Fixmap Area"});
  m.push_back({l.VECTORS_BASE, "Vectors"});
  m.push_back({l.VECTORS_BASE + 2 * 4096, "Vectors End"});
  return m;
}

ArmPtdump ptdump_arm(const ArmBoot& boot) {
  const ArmVersion v = boot.input.config.version;
  ArmPtdumpInput in;
  in.pgd = boot.state.swapper_pg_dir;
  in.lpae = boot.input.config.lpae;
  in.names_and_domains = v != ArmVersion::v3_18 && v != ArmVersion::v4_3;
  in.markers = arm_ptdump_markers(boot.state.layout, boot.state.VMALLOC_START, v);
  return ptdump_arm(*boot.mem, in);
}

ArmPtdumpInput arm_ptdump_input_from_memory(const hw::PhysMem& mem, uint64_t pgd, bool lpae) {
  kernel::arm::ArmConfig config;
  config.lpae = lpae;
  const kernel::arm::ArmLayout layout = kernel::arm::arm_layout(config);
  ArmPtdumpInput in;
  in.pgd = pgd;
  in.lpae = lpae;
  // A first pass finds where the mapping that starts at PAGE_OFFSET ends.
  uint64_t high_memory = layout.PAGE_OFFSET;
  for (const ArmMappingRun& run : ptdump_arm(mem, in).runs) {
    if (run.va_start == high_memory) {
      high_memory = run.va_end;
    }
  }
  const uint64_t vmalloc_start =
      hw::align_up(high_memory + layout.VMALLOC_OFFSET, layout.VMALLOC_OFFSET);
  in.markers = arm_ptdump_markers(layout, vmalloc_start, config.version);
  return in;
}

ArmPtdump ptdump_arm_from_memory(const hw::PhysMem& mem, uint64_t pgd, bool lpae) {
  return ptdump_arm(mem, arm_ptdump_input_from_memory(mem, pgd, lpae));
}

}  // namespace ptsim::report
