// The mapping half of arch/arm64/mm/mmu.c (v6.1): __create_pgd_mapping and
// the per-level functions beneath it, which choose block, contiguous and
// page entries exactly where Linux does; unmap_hotplug_range; and a
// protection change that splits blocks where the range needs it.
//
//   __create_pgd_mapping
//     -> alloc_init_pud        (p4d table if none; 1 GiB blocks, 4K only)
//        -> alloc_init_cont_pmd  (pmd table if none; CONT_PMD runs)
//           -> init_pmd            (blocks where aligned)
//              -> alloc_init_cont_pte  (pte table if none; CONT_PTE runs)
//                 -> init_pte            (pages)
//
// Linux 6.1 has no alloc_init_p4d: alloc_init_pud handles the p4d entry
// itself (the separate function arrived with five-level arm64 tables).
#pragma once

#include <cstdint>
#include <functional>

#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/kernel/events.h"
#include "ptsim/kernel/types.h"

namespace ptsim::kernel::arm64 {

// phys_addr_t (*pgtable_alloc)(int shift): returns a zeroed table page for
// the level whose entries map 2^shift bytes.  The boot flows plug memblock in.
using PgtableAlloc = std::function<phys_addr_t(int shift)>;

// Told of each table page hooked in and each run of leaves written, for
// `ptsim explain`.  Either may be empty.
struct MapObserver {
  // A new table of `level` (its entries map 2^level_shift bytes) at `table`, for `va`.
  std::function<void(PgLevel level, uint64_t va, phys_addr_t table)> table;
  // Leaves of `level` for [va, end) from `phys`; `desc` is the first one written.
  std::function<void(PgLevel level, uint64_t va, uint64_t end, phys_addr_t phys, pteval_t desc)>
      leaf;
};

// pgattr_change_is_safe(): whether `old` may become `new` in a live mapping
// without break-before-make.
bool pgattr_change_is_safe(uint64_t old_val, uint64_t new_val);

class PgdMapper {
 public:
  // `alloc` may be empty, as for create_mapping_noalloc(): a mapping that
  // needs a new table is then a BUG().
  PgdMapper(const PgTable& pt, PgtableAlloc alloc, KernelLog* log = nullptr);
  void set_observer(MapObserver observer) { observer_ = std::move(observer); }

  // Models: arch/arm64/mm/mmu.c __create_pgd_mapping (v6.1).
  // `pgdir` is the physical address of the pgd.
  void create_pgd_mapping(phys_addr_t pgdir, phys_addr_t phys, uint64_t virt, phys_addr_t size,
                          pgprot_t prot, int flags);

  // Models: arch/arm64/mm/mmu.c unmap_hotplug_range (v6.1) with
  // free_mapped=false: clears leaf entries, keeps the tables.
  void unmap_hotplug_range(phys_addr_t pgdir, uint64_t addr, uint64_t end);

  // Sets and clears protection bits on every leaf of [virt, virt + size),
  // splitting a block or a contiguous run that the range covers only in part
  // (break-before-make: the old entry is cleared before the new one is
  // written).  Linux 6.1 itself never splits kernel blocks; this is for
  // library users.  Unmapped addresses in the range are refused.
  void change_prot_splitting(phys_addr_t pgdir, uint64_t virt, uint64_t size, pteval_t set_mask,
                             pteval_t clear_mask);

 private:
  void alloc_init_pud(EntryPtr pgdp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot, int flags);
  void alloc_init_cont_pmd(EntryPtr pudp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot,
                           int flags);
  void init_pmd(EntryPtr pudp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot, int flags);
  void alloc_init_cont_pte(EntryPtr pmdp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot,
                           int flags);
  void init_pte(EntryPtr pmdp, uint64_t addr, uint64_t end, phys_addr_t phys, pgprot_t prot);
  phys_addr_t pgtable_alloc(int shift, const char* where);

  void change_level(PgLevel level, EntryPtr parent, uint64_t addr, uint64_t end, pteval_t set_mask,
                    pteval_t clear_mask);
  void split_leaf(PgLevel level, EntryPtr entry, uint64_t entry_va);
  void break_contiguous(PgLevel level, EntryPtr entry, uint64_t addr);

  const PgTable& pt_;
  const Geometry& g_;
  PgtableAlloc alloc_;
  KernelLog* log_;
  MapObserver observer_;
};

}  // namespace ptsim::kernel::arm64
