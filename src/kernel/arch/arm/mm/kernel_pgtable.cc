#include "kernel/arch/arm/mm/kernel_pgtable.h"

#include "ptsim/hw/addr.h"
#include "ptsim/kernel/arch/arm/pgalloc.h"
#include "ptsim/kernel/arch/arm/pgtable_2level.h"
#include "ptsim/kernel/arch/arm/pgtable_3level.h"

namespace ptsim::kernel::arm {
namespace two = pgtable_2level;
namespace three = pgtable_3level;

phys_addr_t KernelPgtable::pmd_off_k(uint32_t addr) const {
  if (!lpae_) {
    return pgd_ + phys_addr_t{addr >> two::PGDIR_SHIFT} * 8;
  }
  const phys_addr_t pgdp = pgd_ + phys_addr_t{addr >> three::PGDIR_SHIFT} * 8;
  const uint64_t pgd = mem_.load64(hw::PhysAddr(pgdp));
  // pud_page_vaddr(): the table address, PHYS_MASK & PAGE_MASK.
  const phys_addr_t pmd_table = pgd & three::PHYS_MASK & ~uint64_t{0xfff};
  return pmd_table + phys_addr_t{(addr >> three::PMD_SHIFT) & (three::PTRS_PER_PMD - 1)} * 8;
}

uint64_t KernelPgtable::read_pmd(phys_addr_t pmdp) const {
  return lpae_ ? mem_.load64(hw::PhysAddr(pmdp)) : mem_.load32(hw::PhysAddr(pmdp));
}

void KernelPgtable::write_pmd(phys_addr_t pmdp, uint64_t val) {
  if (lpae_) {
    mem_.store64(hw::PhysAddr(pmdp), val);
    return;
  }
  mem_.store32(hw::PhysAddr(pmdp), static_cast<uint32_t>(val));
}

void KernelPgtable::pmd_clear(phys_addr_t pmdp) {
  if (lpae_) {
    mem_.store64(hw::PhysAddr(pmdp), 0);
    return;
  }
  two::pmd_clear(mem_, pmdp);
}

bool KernelPgtable::pmd_bad(phys_addr_t pmdp) const {
  const uint64_t v = read_pmd(pmdp);
  if (lpae_) {
    return (v & three::PMD_TABLE_BIT) == 0;  // !(pmd & 2)
  }
  return (v & two::PMD_TYPE_SECT) != 0;  // pmd & 2
}

void KernelPgtable::pmd_populate(phys_addr_t pmdp, phys_addr_t pte, uint64_t prot) {
  if (lpae_) {
    mem_.store64(hw::PhysAddr(pmdp), (pte + three::PTE_HWTABLE_OFF) | prot);
    return;
  }
  two::__pmd_populate(mem_, pmdp, pte, static_cast<two::pmdval_t>(prot));
}

phys_addr_t KernelPgtable::pte_offset_kernel(phys_addr_t pmdp, uint32_t addr) const {
  const uint64_t v = read_pmd(pmdp);
  const unsigned index = (addr >> 12) & 511;
  if (lpae_) {
    return (v & three::PHYS_MASK & ~uint64_t{0xfff}) + phys_addr_t{index} * 8;
  }
  // pmd_page_vaddr: the page holding the hardware table; Linux's pte
  // tables start the page.
  return (v & ~uint64_t{0xfff}) + phys_addr_t{index} * 4;
}

void KernelPgtable::set_pte_ext(phys_addr_t ptep, uint64_t pte, uint64_t ext) {
  if (lpae_) {
    three::set_pte_ext(mem_, ptep, pte, ext);
    return;
  }
  two::set_pte_ext(mem_, ptep, static_cast<two::pte_t>(pte), static_cast<unsigned>(ext));
}

uint64_t KernelPgtable::read_pte(phys_addr_t ptep) const {
  return lpae_ ? mem_.load64(hw::PhysAddr(ptep)) : mem_.load32(hw::PhysAddr(ptep));
}

}  // namespace ptsim::kernel::arm
