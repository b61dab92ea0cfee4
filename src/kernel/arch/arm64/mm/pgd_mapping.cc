#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/granule.h"

namespace ptsim::kernel::arm64 {
namespace {

constexpr const char* kCreatePgdMapping = "arch/arm64/mm/mmu.c __create_pgd_mapping";
constexpr const char* kAllocInitPud = "arch/arm64/mm/mmu.c alloc_init_pud";
constexpr const char* kAllocInitContPmd = "arch/arm64/mm/mmu.c alloc_init_cont_pmd";
constexpr const char* kInitPmd = "arch/arm64/mm/mmu.c init_pmd";
constexpr const char* kAllocInitContPte = "arch/arm64/mm/mmu.c alloc_init_cont_pte";
constexpr const char* kInitPte = "arch/arm64/mm/mmu.c init_pte";
constexpr const char* kUnmap = "arch/arm64/mm/mmu.c unmap_hotplug_range";

// The boundary helper shared by pgd_addr_end() and the cont_*_addr_end()s.
uint64_t boundary_end(uint64_t addr, uint64_t end, unsigned shift) {
  const uint64_t size = uint64_t{1} << shift;
  const uint64_t boundary = (addr + size) & ~(size - 1);
  return (boundary - 1 < end - 1) ? boundary : end;
}

// Whether a VA is in one of the two halves for `va_bits`: bits [63:va_bits]
// all 0 (the TTBR0 half) or all 1 (the TTBR1 half).
bool canonical(uint64_t va, unsigned va_bits) {
  const uint64_t top = va >> va_bits;
  return top == 0 || top == (~uint64_t{0} >> va_bits);
}

}  // namespace

// Models: arch/arm64/mm/mmu.c pgattr_change_is_safe (v6.1).
bool pgattr_change_is_safe(uint64_t old_val, uint64_t new_val) {
  // Attributes that may change in a live mapping without break-before-make.
  pteval_t mask = PTE_PXN | PTE_RDONLY | PTE_WRITE | PTE_NG;
  if (old_val == 0 || new_val == 0) {
    return true;  // creating or taking down a mapping
  }
  if (((old_val | new_val) & PTE_CONT) != 0) {
    return false;  // live contiguous mappings may not be touched at all
  }
  if ((old_val & ~new_val & PTE_NG) != 0) {
    return false;  // non-global to global
  }
  // Normal <-> Normal-Tagged is a permission change, not a type change.
  const auto normal = [](uint64_t v) {
    const uint64_t idx = v & PTE_ATTRINDX_MASK;
    return idx == PTE_ATTRINDX(MT_NORMAL) || idx == PTE_ATTRINDX(MT_NORMAL_TAGGED);
  };
  if (normal(old_val) && normal(new_val)) {
    mask |= PTE_ATTRINDX_MASK;
  }
  return ((old_val ^ new_val) & ~mask) == 0;
}

PgdMapper::PgdMapper(const PgTable& pt, PgtableAlloc alloc, KernelLog* log)
    : pt_(pt), g_(pt.geometry()), alloc_(std::move(alloc)), log_(log) {}

phys_addr_t PgdMapper::pgtable_alloc(int shift, const char* where) {
  bug_on(!alloc_, where, "!pgtable_alloc");
  return alloc_(shift);
}

// Models: arch/arm64/mm/mmu.c __create_pgd_mapping (v6.1).
void PgdMapper::create_pgd_mapping(phys_addr_t pgdir, phys_addr_t phys, uint64_t virt, phys_addr_t size,
                                   pgprot_t prot, int flags) {
  // Ranges Linux's callers never pass, refused before anything is written.
  if (size == 0) {
    throw bad_input(fmt::format("mapping of VA {:#x} has size 0", virt));
  }
  const uint64_t last = virt + size - 1;
  if (last < virt) {
    throw bad_input(fmt::format("mapping VA {:#x} + size {:#x} overflows the 64-bit address space", virt, size));
  }
  if (!canonical(virt, g_.va_bits) || !canonical(last, g_.va_bits) ||
      (virt >> g_.va_bits) != (last >> g_.va_bits)) {
    throw bad_input(fmt::format(
        "mapping [{:#x}-{:#x}] is not inside one {}-bit VA half (TTBR0: top bits 0, TTBR1: top bits 1)",
        virt, last, g_.va_bits));
  }
  const unsigned pa_bits = pt_.pa_bits_52() ? 52 : 48;
  if (phys + size - 1 < phys || ((phys + size - 1) >> pa_bits) != 0) {
    throw bad_input(fmt::format("mapping PA {:#x} + size {:#x} goes past the {}-bit physical address space",
                                phys, size, pa_bits));
  }

  const uint64_t page_mask = ~(g_.page_size() - 1);
  if (warn_on(log_, ((phys ^ virt) & ~page_mask) != 0, kCreatePgdMapping, "(phys ^ virt) & ~PAGE_MASK")) {
    return;
  }
  phys &= page_mask;
  uint64_t addr = virt & page_mask;
  const uint64_t end = (virt + size + g_.page_size() - 1) & page_mask;  // PAGE_ALIGN
  EntryPtr pgdp = pt_.pgd_offset_pgd(pgdir, virt);
  do {
    const uint64_t next = g_.addr_end(PgLevel::pgd, addr, end);
    alloc_init_pud(pgdp, addr, next, phys, prot, flags);
    phys += next - addr;
    pgdp = pgdp.next();
    addr = next;
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c alloc_init_pud (v6.1).
void PgdMapper::alloc_init_pud(EntryPtr pgdp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot,
                               int flags) {
  const EntryPtr p4dp = pt_.p4d_offset(pgdp, addr);
  pteval_t p4d = pt_.read(p4dp);
  if (pt_.none(PgLevel::p4d, p4d)) {
    pteval_t p4dval = P4D_TYPE_TABLE | P4D_TABLE_UXN;
    if ((flags & NO_EXEC_MAPPINGS) != 0) {
      p4dval |= P4D_TABLE_PXN;
    }
    const phys_addr_t pud_phys = pgtable_alloc(static_cast<int>(g_.level_shift(PgLevel::pud)), kAllocInitPud);
    if (observer_.table) {
      observer_.table(PgLevel::pud, addr, pud_phys);
    }
    pt_.populate(PgLevel::p4d, p4dp, pud_phys, p4dval);
    p4d = pt_.read(p4dp);
  }
  bug_on(pt_.bad(PgLevel::p4d, p4d), kAllocInitPud, "p4d_bad(p4d)");

  EntryPtr pudp = pt_.pud_offset(p4dp, addr);
  const uint64_t pud_mask = g_.level_mask(PgLevel::pud);
  do {
    const pteval_t old_pud = pt_.read(pudp);
    const uint64_t next = g_.addr_end(PgLevel::pud, addr, end);
    // pud_sect_supported(): 1 GiB blocks with the 4K granule only.
    if (g_.page_shift == 12 && ((addr | next | phys) & ~pud_mask) == 0 && (flags & NO_BLOCK_MAPPINGS) == 0) {
      // pud_set_huge(): only permission changes are allowed on a live entry.
      const pteval_t new_pud = pt_.pfn_pte(phys >> g_.page_shift, mk_sect_prot(prot));
      if (pgattr_change_is_safe(old_pud, new_pud)) {
        pt_.set(pudp, new_pud);
      }
      if (observer_.leaf) {
        observer_.leaf(PgLevel::pud, addr, next, phys, new_pud);
      }
      bug_on(!pgattr_change_is_safe(old_pud, pt_.read(pudp)), kAllocInitPud,
             "!pgattr_change_is_safe(pud_val(old_pud), READ_ONCE(pud_val(*pudp)))");
    } else {
      alloc_init_cont_pmd(pudp, addr, next, phys, prot, flags);
      bug_on(old_pud != 0 && old_pud != pt_.read(pudp), kAllocInitPud,
             "pud_val(old_pud) != 0 && pud_val(old_pud) != READ_ONCE(pud_val(*pudp))");
    }
    phys += next - addr;
    pudp = pudp.next();
    addr = next;
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c alloc_init_cont_pmd (v6.1).
void PgdMapper::alloc_init_cont_pmd(EntryPtr pudp, uint64_t addr, uint64_t end, phys_addr_t phys,
                                    pgprot_t prot, int flags) {
  pteval_t pud = pt_.read(pudp);
  bug_on(pt_.sect(PgLevel::pud, pud), kAllocInitContPmd, "pud_sect(pud)");
  if (pt_.none(PgLevel::pud, pud)) {
    pteval_t pudval = PUD_TYPE_TABLE | PUD_TABLE_UXN;
    if ((flags & NO_EXEC_MAPPINGS) != 0) {
      pudval |= PUD_TABLE_PXN;
    }
    const phys_addr_t pmd_phys = pgtable_alloc(static_cast<int>(g_.level_shift(PgLevel::pmd)), kAllocInitContPmd);
    if (observer_.table) {
      observer_.table(PgLevel::pmd, addr, pmd_phys);
    }
    pt_.populate(PgLevel::pud, pudp, pmd_phys, pudval);
    pud = pt_.read(pudp);
  }
  bug_on(pt_.bad(PgLevel::pud, pud), kAllocInitContPmd, "pud_bad(pud)");

  const uint64_t cont_mask = ~((uint64_t{1} << g_.cont_pmd_shift) - 1);
  do {
    pgprot_t cont_prot = prot;
    const uint64_t next = boundary_end(addr, end, g_.cont_pmd_shift);  // pmd_cont_addr_end
    if (((addr | next | phys) & ~cont_mask) == 0 && (flags & NO_CONT_MAPPINGS) == 0) {
      cont_prot = __pgprot(pgprot_val(prot) | PTE_CONT);
    }
    init_pmd(pudp, addr, next, phys, cont_prot, flags);
    phys += next - addr;
    addr = next;
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c init_pmd (v6.1).
void PgdMapper::init_pmd(EntryPtr pudp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot,
                         int flags) {
  EntryPtr pmdp = pt_.pmd_offset(pudp, addr);
  const uint64_t pmd_mask = g_.level_mask(PgLevel::pmd);
  do {
    const pteval_t old_pmd = pt_.read(pmdp);
    const uint64_t next = g_.addr_end(PgLevel::pmd, addr, end);
    if (((addr | next | phys) & ~pmd_mask) == 0 && (flags & NO_BLOCK_MAPPINGS) == 0) {
      // pmd_set_huge(): only permission changes are allowed on a live entry.
      const pteval_t new_pmd = pt_.pfn_pte(phys >> g_.page_shift, mk_sect_prot(prot));
      if (pgattr_change_is_safe(old_pmd, new_pmd)) {
        pt_.set(pmdp, new_pmd);
      }
      if (observer_.leaf) {
        observer_.leaf(PgLevel::pmd, addr, next, phys, new_pmd);
      }
      bug_on(!pgattr_change_is_safe(old_pmd, pt_.read(pmdp)), kInitPmd,
             "!pgattr_change_is_safe(pmd_val(old_pmd), READ_ONCE(pmd_val(*pmdp)))");
    } else {
      alloc_init_cont_pte(pmdp, addr, next, phys, prot, flags);
      bug_on(old_pmd != 0 && old_pmd != pt_.read(pmdp), kInitPmd,
             "pmd_val(old_pmd) != 0 && pmd_val(old_pmd) != READ_ONCE(pmd_val(*pmdp))");
    }
    phys += next - addr;
    pmdp = pmdp.next();
    addr = next;
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c alloc_init_cont_pte (v6.1).
void PgdMapper::alloc_init_cont_pte(EntryPtr pmdp, uint64_t addr, uint64_t end, phys_addr_t phys,
                                    pgprot_t prot, int flags) {
  pteval_t pmd = pt_.read(pmdp);
  bug_on(pt_.sect(PgLevel::pmd, pmd), kAllocInitContPte, "pmd_sect(pmd)");
  if (pt_.none(PgLevel::pmd, pmd)) {
    pteval_t pmdval = PMD_TYPE_TABLE | PMD_TABLE_UXN;
    if ((flags & NO_EXEC_MAPPINGS) != 0) {
      pmdval |= PMD_TABLE_PXN;
    }
    const phys_addr_t pte_phys = pgtable_alloc(static_cast<int>(g_.page_shift), kAllocInitContPte);
    if (observer_.table) {
      observer_.table(PgLevel::pte, addr, pte_phys);
    }
    pt_.populate(PgLevel::pmd, pmdp, pte_phys, pmdval);
    pmd = pt_.read(pmdp);
  }
  bug_on(pt_.bad(PgLevel::pmd, pmd), kAllocInitContPte, "pmd_bad(pmd)");

  const uint64_t cont_mask = ~((uint64_t{1} << g_.cont_pte_shift) - 1);
  do {
    pgprot_t cont_prot = prot;
    const uint64_t next = boundary_end(addr, end, g_.cont_pte_shift);  // pte_cont_addr_end
    if (((addr | next | phys) & ~cont_mask) == 0 && (flags & NO_CONT_MAPPINGS) == 0) {
      cont_prot = __pgprot(pgprot_val(prot) | PTE_CONT);
    }
    init_pte(pmdp, addr, next, phys, cont_prot);
    if (observer_.leaf) {
      observer_.leaf(PgLevel::pte, addr, next, phys, pt_.pfn_pte(phys >> g_.page_shift, cont_prot));
    }
    phys += next - addr;
    addr = next;
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c init_pte (v6.1).  Like Linux, which maps the
// pte table once through the fixmap and writes through that pointer, the
// entries are written through the host frame of the table.
void PgdMapper::init_pte(EntryPtr pmdp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot) {
  hw::PhysAddr ptep = pt_.pte_offset_kernel(pmdp, addr).pa;
  std::byte* frame = nullptr;
  do {
    const uint64_t in_frame = ptep.value() & (hw::PhysMem::kFrameSize - 1);
    if (frame == nullptr || in_frame == 0) {
      frame = pt_.mem().map_frame(ptep);
    }
    pteval_t old_pte;
    std::memcpy(&old_pte, frame + in_frame, sizeof old_pte);
    const pteval_t new_pte = pt_.pfn_pte(phys >> g_.page_shift, prot);
    std::memcpy(frame + in_frame, &new_pte, sizeof new_pte);
    bug_on(!pgattr_change_is_safe(old_pte, new_pte), kInitPte,
           "!pgattr_change_is_safe(pte_val(old_pte), READ_ONCE(pte_val(*ptep)))");
    phys += g_.page_size();
    ptep += sizeof(pteval_t);
    addr += g_.page_size();
  } while (addr != end);
}

// Models: arch/arm64/mm/mmu.c unmap_hotplug_range and the per-level
// unmap_hotplug_*_range functions (v6.1), free_mapped=false.
void PgdMapper::unmap_hotplug_range(phys_addr_t pgdir, uint64_t addr, uint64_t end) {
  if (end <= addr) {
    throw bad_input(fmt::format("unmap range [{:#x}-{:#x}) is empty or reversed", addr, end));
  }
  do {
    const uint64_t next = g_.addr_end(PgLevel::pgd, addr, end);
    const EntryPtr pgdp = pt_.pgd_offset_pgd(pgdir, addr);
    const pteval_t pgd = pt_.read(pgdp);
    if (!pt_.none(PgLevel::pgd, pgd)) {
      warn_on(log_, !pt_.present(PgLevel::pgd, pgd), kUnmap, "!pgd_present(pgd)");
      // unmap_hotplug_p4d_range
      uint64_t a4 = addr;
      do {
        const uint64_t n4 = g_.addr_end(PgLevel::p4d, a4, next);
        const EntryPtr p4dp = pt_.p4d_offset(pgdp, a4);
        const pteval_t p4d = pt_.read(p4dp);
        if (!pt_.none(PgLevel::p4d, p4d)) {
          warn_on(log_, !pt_.present(PgLevel::p4d, p4d), kUnmap, "!p4d_present(p4d)");
          // unmap_hotplug_pud_range
          uint64_t a3 = a4;
          do {
            const uint64_t n3 = g_.addr_end(PgLevel::pud, a3, n4);
            const EntryPtr pudp = pt_.pud_offset(p4dp, a3);
            const pteval_t pud = pt_.read(pudp);
            if (!pt_.none(PgLevel::pud, pud)) {
              warn_on(log_, !pt_.present(PgLevel::pud, pud), kUnmap, "!pud_present(pud)");
              if (pt_.sect(PgLevel::pud, pud)) {
                pt_.clear(PgLevel::pud, pudp);
              } else {
                warn_on(log_, !pt_.table(PgLevel::pud, pud) && !pt_.next_folded(PgLevel::pud), kUnmap,
                        "!pud_table(pud)");
                // unmap_hotplug_pmd_range
                uint64_t a2 = a3;
                do {
                  const uint64_t n2 = g_.addr_end(PgLevel::pmd, a2, n3);
                  const EntryPtr pmdp = pt_.pmd_offset(pudp, a2);
                  const pteval_t pmd = pt_.read(pmdp);
                  if (!pt_.none(PgLevel::pmd, pmd)) {
                    warn_on(log_, !pt_.present(PgLevel::pmd, pmd), kUnmap, "!pmd_present(pmd)");
                    if (pt_.sect(PgLevel::pmd, pmd)) {
                      pt_.clear(PgLevel::pmd, pmdp);
                    } else {
                      warn_on(log_, !pt_.table(PgLevel::pmd, pmd), kUnmap, "!pmd_table(pmd)");
                      // unmap_hotplug_pte_range
                      uint64_t a1 = a2;
                      do {
                        const EntryPtr ptep = pt_.pte_offset_kernel(pmdp, a1);
                        const pteval_t pte = pt_.read(ptep);
                        if (!pte_none(pte)) {
                          warn_on(log_, !pte_present(pte), kUnmap, "!pte_present(pte)");
                          pt_.set(ptep, 0);  // pte_clear
                        }
                        a1 += g_.page_size();
                      } while (a1 < n2);
                    }
                  }
                  a2 = n2;
                } while (a2 < n3);
              }
            }
            a3 = n3;
          } while (a3 < n4);
        }
        a4 = n4;
      } while (a4 < next);
    }
    addr = next;
  } while (addr < end);
}

void PgdMapper::change_prot_splitting(phys_addr_t pgdir, uint64_t virt, uint64_t size, pteval_t set_mask,
                                      pteval_t clear_mask) {
  const uint64_t page = g_.page_size();
  if (size == 0 || (virt & (page - 1)) != 0 || (size & (page - 1)) != 0 || virt + size - 1 < virt) {
    throw bad_input(fmt::format(
        "protection change [{:#x}, +{:#x}) must be a non-empty, page-aligned range that does not wrap", virt,
        size));
  }
  const pteval_t structural = PTE_TYPE_MASK | hw::genmask(49, 12) | PTE_CONT;
  if (((set_mask | clear_mask) & structural) != 0) {
    throw bad_input("a protection change may not touch the descriptor type, the address or the Contiguous bit");
  }
  const EntryPtr root{hw::PhysAddr(pgdir)};
  change_level(PgLevel::pgd, root, virt, virt + size, set_mask, clear_mask);
}

// Applies the change to the entries of one hardware level.  `table` points
// at the table of that level (for pgd, the pgd itself).
void PgdMapper::change_level(PgLevel level, EntryPtr table, uint64_t addr, uint64_t end, pteval_t set_mask,
                             pteval_t clear_mask) {
  const std::vector<PgLevel> levels = g_.hw_levels();
  const auto pos = std::find(levels.begin(), levels.end(), level) - levels.begin();
  const bool last = level == PgLevel::pte;
  const uint64_t size = g_.level_size(level);
  do {
    const uint64_t next = boundary_end(addr, end, static_cast<unsigned>(g_.level_shift(level)));
    const EntryPtr entry{table.pa + g_.index(level, addr) * sizeof(pteval_t)};
    pteval_t v = pt_.read(entry);
    if ((v & PTE_VALID) == 0) {
      throw bad_input(fmt::format("VA {:#x} is not mapped: nothing to change", addr));
    }
    const bool is_table = !last && (v & PTE_TYPE_MASK) == PMD_TYPE_TABLE;
    const uint64_t entry_va = addr & ~(size - 1);
    if (!is_table && (addr != entry_va || next - entry_va != size)) {
      split_leaf(level, entry, entry_va);  // the range covers part of this block
      v = pt_.read(entry);
    }
    if ((v & PTE_TYPE_MASK) == PMD_TYPE_TABLE && !last) {
      const EntryPtr next_table{hw::PhysAddr(pt_.pte_to_phys(v) & ~(g_.page_size() - 1))};
      change_level(levels[pos + 1], next_table, addr, next, set_mask, clear_mask);
    } else {
      if ((v & PTE_CONT) != 0) {
        break_contiguous(level, entry, addr);
        v = pt_.read(entry);
      }
      pt_.set(entry, 0);  // break before make
      pt_.set(entry, (v & ~clear_mask) | set_mask);
    }
    addr = next;
  } while (addr != end);
}

// Replaces a block by a table of next-level entries that map the same
// memory with the same attributes, Contiguous bits dropped.
void PgdMapper::split_leaf(PgLevel level, EntryPtr entry, uint64_t entry_va) {
  const std::vector<PgLevel> levels = g_.hw_levels();
  const auto pos = std::find(levels.begin(), levels.end(), level) - levels.begin();
  if (level == PgLevel::pte) {
    throw bad_input(fmt::format("cannot split the page at VA {:#x}: it is the smallest mapping", entry_va));
  }
  const PgLevel child = levels[pos + 1];
  const pteval_t v = pt_.read(entry);
  if ((v & PTE_CONT) != 0) {
    break_contiguous(level, entry, entry_va);
  }
  const pteval_t block = pt_.read(entry) & ~PTE_CONT;
  const phys_addr_t table = pgtable_alloc(static_cast<int>(g_.level_shift(child)), "change_prot_splitting");
  const uint64_t child_size = g_.level_size(child);
  const pteval_t type = child == PgLevel::pte ? PTE_TYPE_PAGE : PMD_TYPE_SECT;
  const pteval_t attrs = block & ~(PTE_TYPE_MASK | hw::genmask(49, 12));
  phys_addr_t oa = pt_.pte_to_phys(block) & ~(g_.level_size(level) - 1);
  for (uint64_t i = 0; i < g_.ptrs_per(child); ++i, oa += child_size) {
    pt_.set(EntryPtr{hw::PhysAddr(table + i * sizeof(pteval_t))}, pt_.phys_to_pte_val(oa) | attrs | type);
  }
  pt_.set(entry, 0);  // break before make
  pt_.set(entry, pt_.phys_to_pte_val(table) | PMD_TYPE_TABLE | PMD_TABLE_UXN);
}

// Clears the Contiguous bit on every entry of the run holding `entry`.
void PgdMapper::break_contiguous(PgLevel level, EntryPtr entry, uint64_t addr) {
  const int hw_level = g_.hw_level(level).value_or(3);
  const unsigned n =
      hw::arm64::contiguous_entries(hw::arm64::granule_from_shift(g_.page_shift), hw_level);
  const uint64_t index = g_.index(level, addr);
  const hw::PhysAddr first = entry.pa - (index % n) * sizeof(pteval_t);
  for (unsigned i = 0; i < n; ++i) {
    const EntryPtr e{first + i * sizeof(pteval_t)};
    pt_.set(e, pt_.read(e) & ~PTE_CONT);
  }
}

}  // namespace ptsim::kernel::arm64
